"""The actors stage: phrases in real sentences normalised to one actor each, with ACLED inter codes."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from frontlines.actors import extract_actors, main_country
from frontlines.ingest import iter_documents
from frontlines.models import Actor, ActorMention, Document, Place
from frontlines.nlp import parse
from frontlines.places import extract_places

SYRIAN_MILITARY = Actor("Military Forces of Syria", 1, "SY")
HTS_LED = Actor("Syrian opposition (HTS-led)", 2, "SY")
RUSSIAN_MILITARY = Actor("Military Forces of Russia", 1, "RU")


def actors_in(text: str) -> list[ActorMention]:
    """Run the stage as the pipeline does: places first, then actors against the article's country."""
    return extract_actors(text, extract_places(parse(text)))


def by_phrase(mentions: list[ActorMention]) -> dict[str, set[Actor]]:
    out: dict[str, set[Actor]] = {}
    for m in mentions:
        out.setdefault(m.text, set()).add(m.actor)
    return out


def test_names_for_the_syrian_army_are_one_actor() -> None:
    text = ("Assad's forces, regime forces and the Syrian army pulled back from Aleppo, Syria, "
            "on Friday.")
    found = by_phrase(actors_in(text))
    assert found["Assad's forces"] == found["regime forces"] == found["Syrian army"] == {SYRIAN_MILITARY}


def test_curly_apostrophe_matches_too() -> None:
    found = by_phrase(actors_in("Assad’s forces withdrew from Hama in Syria."))
    assert found["Assad’s forces"] == {SYRIAN_MILITARY}


def test_opposition_phrases_are_the_hts_led_opposition_in_a_syria_article() -> None:
    text = ("Opposition factions and HTS-led rebels entered Saraqib in Idlib province, Syria, "
            "as government forces withdrew.")
    found = by_phrase(actors_in(text))
    assert found["Opposition factions"] == {HTS_LED}
    assert found["HTS-led rebels"] == {HTS_LED}
    # the generic phrase takes the article's country
    assert found["government forces"] == {SYRIAN_MILITARY}


def test_local_aliases_do_not_apply_outside_their_country() -> None:
    found = by_phrase(actors_in("Opposition factions advanced in Kharkiv, Ukraine, on Monday."))
    assert HTS_LED not in {a for actors in found.values() for a in actors}


def test_demonym_and_force_noun_is_that_state_military() -> None:
    mentions = actors_in("Russian warplanes bombed the outskirts of Idlib in Syria on Sunday.")
    assert [(m.text, m.actor) for m in mentions] == [("Russian warplanes", RUSSIAN_MILITARY)]


def test_two_demonyms_sharing_a_force_noun_give_both_actors() -> None:
    text = "Syrian and Russian warplanes struck Saraqib in Idlib province, Syria."
    mentions = [m for m in actors_in(text) if m.text == "Syrian and Russian warplanes"]
    assert {m.actor for m in mentions} == {SYRIAN_MILITARY, RUSSIAN_MILITARY}
    assert all(text[m.start:m.end] == m.text for m in mentions)


def test_demonym_force_noun_works_for_countries_without_an_alias() -> None:
    found = by_phrase(actors_in("Ethiopian troops crossed into Somalia on Thursday."))
    (actor,) = found["Ethiopian troops"]
    assert (actor.name, actor.inter, actor.country) == ("Military Forces of Ethiopia", 1, "ET")


def test_acronyms_match_case_sensitively() -> None:
    found = by_phrase(actors_in("The AA said it had captured Maungdaw in Rakhine State, Myanmar."))
    assert found["AA"] == {Actor("Arakan Army (AA)", 2, "MM")}
    lower = actors_in("An aa battery was found near Maungdaw in Rakhine State, Myanmar.")
    assert [m for m in lower if m.text.lower() == "aa"] == []


def test_generic_government_forces_in_a_sudan_article() -> None:
    text = "Government forces shelled El Fasher in North Darfur, Sudan, residents said."
    found = by_phrase(actors_in(text))
    assert found["Government forces"] == {Actor("Military Forces of Sudan", 1, "SD")}
    assert found["residents"] == {Actor("Civilians (Sudan)", 7, "SD")}


def test_article_naming_no_country_is_about_no_country() -> None:
    text = "Militants attacked a checkpoint overnight, killing two soldiers, the army said."
    assert main_country([], text) is None
    assert extract_actors(text, []) == []


@pytest.mark.parametrize(("text", "phrase", "name", "inter"), [
    ("HTS fighters entered Aleppo, Syria.", "HTS", "Syrian opposition (HTS-led)", 2),
    ("Iran-backed militias withdrew from Aleppo, Syria.", "Iran-backed militias",
     "Iran-backed militias", 3),
    ("Protesters gathered in Khartoum, Sudan, on Friday.", "Protesters", "Protesters (Sudan)", 6),
    ("Rioters burned cars in Khartoum, Sudan, on Friday.", "Rioters", "Rioters (Sudan)", 5),
    ("Wagner mercenaries were seen near Bamako, Mali.", "Wagner mercenaries", "Wagner Group", 8),
    ("The RSF shelled El Fasher, Sudan.", "RSF", "Rapid Support Forces (RSF)", 2),
    ("Police arrested three men in Khartoum, Sudan.", "Police", "Police Forces of Sudan", 1),
])
def test_inter_codes(text: str, phrase: str, name: str, inter: int) -> None:
    (actor,) = by_phrase(actors_in(text))[phrase]
    assert (actor.name, actor.inter) == (name, inter)


def test_offsets_point_at_the_phrase() -> None:
    text = "Fighting raged as regime forces and opposition fighters clashed near Hama, Syria."
    for m in actors_in(text):
        assert text[m.start:m.end] == m.text


def test_main_country_counts_places_and_demonyms() -> None:
    aleppo = Place("Aleppo", 0, 6, name="Aleppo", kind="city", country="SY", latitude=36.2, longitude=37.16)
    russia = Place("Russia", 10, 16, name="Russia", kind="country", country="RU", latitude=60, longitude=100)
    assert main_country([aleppo, russia]) == "SY"  # a town counts twice a country
    assert main_country([], "Sudanese and Sudanese and Syrian") == "SD"
    assert main_country([]) is None


def test_seed_article_actors(seed_path: Path) -> None:
    (document,) = iter_documents([str(seed_path)])
    assert isinstance(document, Document)
    mentions = extract_actors(document.text, extract_places(parse(document.text)))
    found = by_phrase(mentions)
    assert found["Assad's forces"] == {SYRIAN_MILITARY}
    assert found["opposition factions"] == {HTS_LED}
    assert found["Russian warplanes"] == {RUSSIAN_MILITARY}
    # the researcher's think tank is not an actor
    assert not any("Harmoon" in m.text for m in mentions)


def test_actor_data_file_is_well_formed() -> None:
    with resources.files("frontlines").joinpath("data/actors.toml").open("rb") as f:
        data = tomllib.load(f)
    names = [rec["name"] for rec in data["actor"]]
    assert len(names) == len(set(names))
    for rec in data["actor"] + data["generic"]:
        assert 1 <= int(rec["inter"]) <= 8, rec["name"]
        assert rec["aliases"], rec["name"]
    for rec in data["generic"]:
        assert "{country}" in rec["name"]
