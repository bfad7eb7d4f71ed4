"""Quotations and their speakers, on the seed article and on sentences written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontlines.models import Quote
from frontlines.nlp import parse
from frontlines.quotes import extract_quotes, speech_index

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "corpus" / "seed" / "alestiklal-2024-12-russia-absence.md"
SEED_GOLD = SEED.with_name("alestiklal-2024-12-russia-absence.gold.json")
SEED_RECALL_FLOOR = 0.9


def quotes_of(text: str) -> list[Quote]:
    return extract_quotes(parse(text))


def surname(name: str | None) -> str:
    return name.split()[-1].lower() if name else ""


def find(quotes: list[Quote], words: str) -> Quote:
    matches = [q for q in quotes if words in q.text]
    assert matches, f"no quote contains {words!r}: {[q.text for q in quotes]}"
    return matches[0]


# --- the seed article ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_quotes() -> list[Quote]:
    if not SEED.exists() or not SEED_GOLD.exists():
        pytest.skip(f"seed article not found under {SHARED} (the shared/ folder beside the repo)")
    return quotes_of(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_gold() -> list[dict]:
    if not SEED_GOLD.exists():
        pytest.skip(f"seed gold not found under {SHARED}")
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))["quotes"]


def test_seed_speaker_recall(seed_quotes: list[Quote], seed_gold: list[dict]) -> None:
    def found(gold: dict) -> bool:
        first_words = " ".join(gold["text_start"].split()[:8])
        return any(first_words in q.text and surname(q.speaker) == surname(gold["speaker"])
                   for q in seed_quotes)

    missed = [g for g in seed_gold if not found(g)]
    recall = 1 - len(missed) / len(seed_gold)
    assert recall >= SEED_RECALL_FLOOR, f"recall {recall:.2f}; missed {missed}"


def test_seed_affiliations(seed_quotes: list[Quote]) -> None:
    assert find(seed_quotes, "In mid-September 2024").affiliation == \
        "Harmoon Center for Contemporary Studies"
    assert find(seed_quotes, "the current battle in Syria").affiliation == "military analyst"
    assert find(seed_quotes, "Maintaining calm in Idlib").affiliation == "Turkish Foreign Ministry"
    assert find(seed_quotes, "two or three weeks away").affiliation in (
        "Russian Foreign Minister", "Foreign Minister of Russia")


def test_seed_leaves_out_names_and_one_word_quotes(seed_quotes: list[Quote]) -> None:
    texts = [q.text for q in seed_quotes]
    assert not any("Deterrence of Aggression" in t for t in texts)
    assert not any(t.startswith("deliberate") or t.startswith("terrorists") for t in texts)
    assert not any("bloody Russian intervention" in t for t in texts)


def test_seed_variant_spelling_resolves_to_full_name(seed_quotes: list[Quote]) -> None:
    # the article writes "Shaban said" after introducing "Nawar Shaaban"
    assert find(seed_quotes, "militia presence in Syria").speaker == "Nawar Shaaban"
    assert find(seed_quotes, "military expertise revealed").speaker == "Nawar Shaaban"


# --- attribution patterns -----------------------------------------------------------------------

def test_offsets_point_inside_the_marks() -> None:
    text = 'Officials met on Monday.\n"We have retaken the airport," said Colonel Ahmed Haddad.'
    [quote] = quotes_of(text)
    assert text[quote.start:quote.end] == quote.text
    assert quote.text == "We have retaken the airport,"
    assert quote.speaker == "Ahmed Haddad"


def test_quote_after_attribution_with_apposition() -> None:
    text = ("“The shelling went on all night,” Sara Mansour, a nurse at the Al-Shifa Hospital, "
            "told reporters.")
    [quote] = quotes_of(text)
    assert quote.speaker == "Sara Mansour"
    assert quote.affiliation == "Al-Shifa Hospital"


def test_quote_before_attribution_with_colon() -> None:
    text = ("Hamas spokesman Hazem Qassem said: “The occupation bears full responsibility for "
            "the escalation.”")
    [quote] = quotes_of(text)
    assert quote.speaker == "Hazem Qassem"
    assert quote.affiliation == "Hamas"


def test_according_to_before_the_quote() -> None:
    text = ("Local medic Omar Said treated the wounded.\n"
            "According to Said, “most of the victims were women and children.”")
    [quote] = quotes_of(text)
    assert quote.speaker == "Omar Said"


def test_pronoun_and_paragraph_continuation() -> None:
    text = ("Defense analyst Karim Haddad, a researcher at the Beirut Institute, described "
            "the offensive.\n"
            "“The rebels moved faster than anyone expected,” he told Reuters.\n"
            "“The army had no reserves left to send north.”\n"
            "Government forces later regrouped near the city.")
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Karim Haddad", "Karim Haddad"]
    assert all(q.affiliation == "Beirut Institute" for q in quotes)


def test_surname_resolves_to_the_full_name() -> None:
    text = ("Foreign Ministry spokesperson Leila Farouk condemned the strikes.\n"
            "“This is a flagrant violation of international law,” Farouk said.\n"
            "“We call on the Security Council to act,” Faruk added.")
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Leila Farouk", "Leila Farouk"]
    assert quotes[0].affiliation == "Foreign Ministry"


def test_pronoun_follows_the_last_named_speaker() -> None:
    text = ("“We will hold the line,” said General Tarek Nour.\n"
            "Opposition commander Yusuf Kaya responded on Monday.\n"
            "“Their defences have already collapsed,” he said.")
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Tarek Nour", "Yusuf Kaya"]


def test_several_quotes_in_one_paragraph() -> None:
    text = ('Information Minister Ziad Makari said the army "will not abandon Aleppo."\n'
            '"The town is ours," said Abu Mohammed, a commander with the Free Syrian Army. '
            '"We have been hit hard," he said. "But we will rebuild."')
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Ziad Makari"] + ["Abu Mohammed"] * 3
    assert quotes[1].affiliation == "Free Syrian Army"


def test_statement_credits_its_author() -> None:
    text = ("“The attack was repelled and the terrorists suffered heavy losses,” according to "
            "a statement by the Syrian army.")
    [quote] = quotes_of(text)
    assert quote.speaker == "Syrian army"


def test_organisation_speaker_resolves_to_fuller_mention() -> None:
    text = ("The Syrian army withdrew from the town on Friday.\n"
            "“Our units have redeployed to protect civilians,” the army claimed.")
    [quote] = quotes_of(text)
    assert quote.speaker == "Syrian army"


def test_single_quotes_attributed_in_british_style() -> None:
    text = "‘We will not leave our homes,’ said Fatima Ali, a resident of the town."
    [quote] = quotes_of(text)
    assert quote.text == "We will not leave our homes,"
    assert quote.speaker == "Fatima Ali"


def test_partial_quote_inside_reported_speech() -> None:
    text = ("UN Secretary-General Antonio Guterres warned on Friday that the situation was "
            "“deteriorating rapidly” across the region.")
    [quote] = quotes_of(text)
    assert quote.text == "deteriorating rapidly"
    assert quote.speaker == "Antonio Guterres"


# --- what is not a quotation --------------------------------------------------------------------

def test_operation_names_and_one_word_quotes_are_not_quotes() -> None:
    text = ("The army launched “Operation Dawn Shield” on Monday, the ministry said.\n"
            "Rebels, who call the offensive “Deterring Aggression,” said it was “deliberate.”")
    assert quotes_of(text) == []


def test_scare_quotes_without_speaker_are_not_quotes() -> None:
    text = ("Airstrikes hit ‘terrorist groups’ gatherings near the city.\n"
            "The “humanitarian corridor” remained closed and the “bloody intervention” went on.")
    assert quotes_of(text) == []


def test_apostrophes_do_not_open_quotes() -> None:
    text = ("Russia’s absence and the rebels’ advance changed Assad’s calculations, "
            "analysts said.")
    assert quotes_of(text) == []


def test_unattributed_quote_with_no_earlier_speaker_is_dropped() -> None:
    assert quotes_of("“The war is far from over.”\nFighting continued overnight.") == []


# --- the speech index that figures rely on ------------------------------------------------------

def test_speech_index_resolves_it_to_the_original_source() -> None:
    text = ("The Syrian Observatory for Human Rights reported that rebels seized 21 villages, "
            "Xinhua news agency reported.\nIt noted that 89 combatants died.")
    doc = parse(text)
    index = speech_index(doc)
    noted = next(t for t in doc if t.text == "noted")
    assert index.by_token[noted.i].name == "Syrian Observatory for Human Rights"
