"""Figures: quantities, units, qualifiers and claimants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontlines.figures import extract_figures
from frontlines.models import Figure
from frontlines.nlp import parse
from frontlines.quotes import extract_quotes

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "corpus" / "seed" / "alestiklal-2024-12-russia-absence.md"
SEED_GOLD = SEED.with_name("alestiklal-2024-12-russia-absence.gold.json")
OUTLET = "Al-Estiklal"

# Sentences from the seed article (Al-Estiklal, December 2024), kept here so these tests run
# without shared/.
SEED_SENTENCES = "\n".join([
    "The lack of Russian air support for Assad’s forces and militias was a key factor behind the "
    "rapid collapse of the regime’s defensive lines, forcing their retreat from over 60 kilometers "
    "beyond the first contact point in Idlib's countryside.",
    "Through this operation, opposition factions established control over 108 villages, military "
    "positions, and critical sites in Aleppo and Idlib provinces, covering an estimated area of "
    "at least 850 square kilometers.",
    "The collapse of Assad's forces and Iranian militias at this time in Aleppo and Idlib reflects "
    "the significant role of Russia’s military intervention, which began in late September 2015 "
    "to prevent the fall of Bashar al-Assad’s regime and led to the deaths of half a million "
    "Syrians.",
    "By 2017, Moscow secured long-term leases for the Khmeimim Air Base in Latakia and the naval "
    "base in Tartus, ensuring its presence on the Mediterranean coast for 49 years, extendable by "
    "another 25 years.",
    "In this context, Syrian security researcher at the Harmoon Center for Contemporary Studies, "
    "Nawar Shaaban, argues that Russia's lack of support for Assad’s forces is “deliberate.”",
    "“In mid-September 2024, Russian aircraft carried out more than 50 airstrikes on opposition "
    "areas to demonstrate their military presence in Syria,” he told Al-Estiklal.",
])


def figures_of(text: str, outlet: str | None = OUTLET) -> list[Figure]:
    doc = parse(text)
    return extract_figures(doc, outlet=outlet, quotes=extract_quotes(doc))


def by_quantity(figures: list[Figure], quantity: float) -> Figure:
    matches = [f for f in figures if f.quantity == quantity]
    assert matches, f"no figure {quantity}: {[(f.quantity, f.text) for f in figures]}"
    return matches[0]


@pytest.fixture(scope="module")
def seed_figures() -> list[Figure]:
    return figures_of(SEED_SENTENCES)


def test_seed_counts_and_units(seed_figures: list[Figure]) -> None:
    assert by_quantity(seed_figures, 108).unit == "villages"
    assert by_quantity(seed_figures, 850).unit == "square kilometers"
    assert by_quantity(seed_figures, 60).unit == "kilometers"
    assert by_quantity(seed_figures, 50).unit == "airstrikes"
    assert by_quantity(seed_figures, 500000).text == "half a million Syrians"
    assert by_quantity(seed_figures, 49).unit == "years"
    assert by_quantity(seed_figures, 25).text == "another 25 years"


def test_seed_qualifiers(seed_figures: list[Figure]) -> None:
    assert by_quantity(seed_figures, 850).qualifier == "at least"
    assert by_quantity(seed_figures, 60).qualifier == "over"
    assert by_quantity(seed_figures, 50).qualifier == "more than"
    # "control over 108 villages": here "over" is a preposition
    assert by_quantity(seed_figures, 108).qualifier is None


def test_seed_claimants(seed_figures: list[Figure]) -> None:
    assert by_quantity(seed_figures, 50).claimant == "Nawar Shaaban"
    assert by_quantity(seed_figures, 108).claimant == OUTLET
    assert by_quantity(seed_figures, 500000).claimant == OUTLET


def test_seed_skips_years_and_dates(seed_figures: list[Figure]) -> None:
    quantities = {f.quantity for f in seed_figures}
    assert not quantities & {2015, 2017, 2024}


def test_offsets_match_text(seed_figures: list[Figure]) -> None:
    for figure in seed_figures:
        assert SEED_SENTENCES[figure.start:figure.end] == figure.text


def test_seed_article_figures() -> None:
    if not SEED.exists() or not SEED_GOLD.exists():
        pytest.skip(f"seed article not found under {SHARED} (the shared/ folder beside the repo)")
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))["figures"]
    figures = figures_of(SEED.read_text(encoding="utf-8"))
    found = {(f.quantity, f.claimant) for f in figures}
    missed = [g for g in gold if (g["quantity"], g["claimant"]) not in found]
    assert not missed, missed


# --- units, numbers in words, qualifiers --------------------------------------------------------

def test_casualty_sentence_with_others() -> None:
    figures = figures_of("At least 25 people were killed and 30 others injured in the attack.")
    first, second = figures
    assert (first.quantity, first.unit, first.qualifier) == (25, "people", "at least")
    assert first.text == "At least 25 people"
    assert (second.quantity, second.unit) == (30, "people")  # "others" takes the unit before


def test_millions_commas_and_hyphenated_units() -> None:
    figures = figures_of(
        "An estimated 10.7 million people are displaced and the war has cost 16,650 lives. "
        "The rebels hold Myanmar's 270-kilometer border with Bangladesh.")
    assert by_quantity(figures, 10_700_000).qualifier == "estimated"
    assert by_quantity(figures, 16_650).unit == "lives"
    border = by_quantity(figures, 270)
    assert (border.unit, border.text) == ("kilometer", "270-kilometer")


def test_number_words() -> None:
    figures = figures_of("Five soldiers were captured and twenty-five were wounded as rebels "
                         "entered a dozen towns.")
    assert by_quantity(figures, 5).unit == "soldiers"
    assert by_quantity(figures, 12).unit == "towns"
    assert by_quantity(figures, 25).unit == "people"  # the verb says who was counted


def test_vague_counts_are_skipped() -> None:
    text = "Troops fired hundreds of artillery shells at dozens of villages."
    assert figures_of(text) == []


def test_dates_times_ordinals_lists_ages_and_names_are_skipped() -> None:
    text = ("1. On November 27, 2024, at 10:30 am, the 2nd Division attacked.\n"
            "A 25-year-old man, aged 30, was detained near Battalion No. 5.\n"
            "The launch of Operation 1027 last year and Military Operation Command 15 were "
            "discussed three days ago.")
    assert figures_of(text) == []


def test_durations_are_kept() -> None:
    [figure] = figures_of("The siege lasted 49 years.")
    assert (figure.quantity, figure.unit) == (49, "years")


# --- claimants ----------------------------------------------------------------------------------

def test_reporting_verb_names_the_claimant() -> None:
    figures = figures_of("The Syrian Observatory for Human Rights reported that rebels seized "
                         "21 villages, Xinhua news agency reported.\n"
                         "It noted that 89 combatants died.")
    assert by_quantity(figures, 21).claimant == "Syrian Observatory for Human Rights"
    assert by_quantity(figures, 89).claimant == "Syrian Observatory for Human Rights"


def test_according_to_names_the_claimant() -> None:
    [figure] = figures_of("The offensive left 89 deaths, according to a war monitor.")
    assert figure.claimant == "war monitor"


def test_outlet_is_the_fallback_claimant() -> None:
    [figure] = figures_of("Rebels captured 108 villages.", outlet="Shafaq News")
    assert figure.claimant == "Shafaq News"
    [figure] = figures_of("Rebels captured 108 villages.", outlet=None)
    assert figure.claimant is None
