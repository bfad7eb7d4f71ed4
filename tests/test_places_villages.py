"""Places down to the village: the national gazetteers in the bundled index, the fallback to the
town the text ties an unknown village to, and context that outweighs a namesake abroad.

The texts are the team's: the bundled sample corpus and sentences written for these tests.
"""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from frontlines.gazetteer import Gazetteer, default_gazetteer, haversine_km
from frontlines.gazetteer.national import ukrainian_to_latin
from frontlines.ingest import iter_documents
from frontlines.models import Document
from frontlines.nlp import parse
from frontlines.pipeline import analyze
from frontlines.places import extract_places


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def _sample(name: str) -> Document:
    path = resources.files("frontlines").joinpath(f"sample_corpus/{name}.md")
    (document,) = [d for d in iter_documents([str(path)]) if isinstance(d, Document)]
    return document


@pytest.mark.parametrize(("cyrillic", "latin"), [
    ("Харків", "Kharkiv"), ("Запоріжжя", "Zaporizhzhia"), ("Авдіївка", "Avdiivka"),
    ("Куп’янськ", "Kupiansk"), ("Єнакієве", "Yenakiieve"), ("Згурівка", "Zghurivka"),
    ("Часів Яр", "Chasiv Yar"), ("Юнаківка", "Yunakivka"),
])
def test_ukrainian_names_follow_the_national_transliteration(cyrillic: str, latin: str) -> None:
    assert ukrainian_to_latin(cyrillic) == latin


def test_a_ukrainian_village_cities500_lacks_sits_at_its_hromada(gazetteer: Gazetteer) -> None:
    (robotyne,) = [c for c in gazetteer.candidates("Robotyne") if c.country == "UA"]
    assert robotyne.kind == "village" and robotyne.located_at.endswith("hromada")
    assert robotyne.admin1 == "Zaporizhia"
    # The middle of its hromada's known settlements: within Accuracy@161km's reach of the village
    # (47.45 N, 35.84 E).
    assert haversine_km(robotyne.latitude, robotyne.longitude, 47.45, 35.84) < 161


def test_a_cities500_town_gains_its_official_ukrainian_spelling(gazetteer: Gazetteer) -> None:
    (kupiansk,) = [c for c in gazetteer.candidates("Kupiansk") if c.country == "UA"]
    assert kupiansk.exact and kupiansk.located_at is None and kupiansk.population > 20_000


def test_myanmar_villages_are_found_in_spaced_and_joined_spellings(gazetteer: Gazetteer) -> None:
    spaced = {c.id for c in gazetteer.candidates("Pi Tauk Kone") if c.country == "MM"}
    joined = {c.id for c in gazetteer.candidates("Pitaukkone") if c.country == "MM"}
    assert spaced and spaced == joined
    located = [c for c in gazetteer.candidates("Pi Tauk Kone") if c.located_at is None]
    assert located and all(c.kind == "village" for c in located)


def test_yemeni_places_sit_at_their_district(gazetteer: Gazetteer) -> None:
    in_yemen = [c for c in gazetteer.candidates("Al Qutamlah") if c.country == "YE"]
    assert in_yemen and all(c.located_at and c.located_at.endswith("district") for c in in_yemen)


def test_an_unknown_village_tied_to_a_town_is_located_there_and_says_so() -> None:
    text = ("Opposition fighters captured the village of Kafr Halab, south of Atarib, on Thursday, "
            "a war monitor said.")
    (village,) = [p for p in extract_places(parse(text)) if p.mention == "Kafr Halab"]
    assert village.name is None  # no gazetteer knows it
    assert (village.located_at, village.country, village.vicinity) == ("Al Atārib", "SY", True)
    events = analyze(Document(id="t", text=text, published=date(2024, 12, 1))).events
    assert [(e.location, e.geo_precision) for e in events] == [("Al Atārib", 2)]


@pytest.mark.parametrize("text", [
    "Shelling hit Umm Jurf in the western countryside of Aleppo on Monday.",
    "Drones struck Umm Jurf, 12 km north of Aleppo, on Monday.",
])
def test_a_direction_from_a_known_place_makes_an_unknown_name_a_place(text: str) -> None:
    (village,) = [p for p in extract_places(parse(text)) if p.mention == "Umm Jurf"]
    assert village.located_at == "Aleppo" and village.country == "SY"


def test_a_person_north_of_a_town_is_no_place() -> None:
    places = extract_places(parse("Ahmed Hassan, north of Aleppo, said the attack was over."))
    assert [p.mention for p in places] == ["Aleppo"]


def test_a_village_west_of_el_fasher_is_not_the_saudi_town_of_its_name() -> None:
    analysis = analyze(_sample("08-el-fasher-abu-shouk-shelling"))
    shaqra = [p for p in analysis.places if p.mention == "Shaqra"]
    assert shaqra and all(p.country == "SD" and p.located_at == "El Fasher" for p in shaqra)


def test_an_aleppo_district_is_not_an_iraqi_town_of_its_name() -> None:
    analysis = analyze(_sample("02-rebels-enter-aleppo"))
    assert {p.country for p in analysis.places if p.resolved} == {"SY"}


def test_a_generals_surname_is_no_town() -> None:
    analysis = analyze(_sample("12-moscow-scooter-bomb"))
    assert "Kirillov" not in {p.mention for p in analysis.places}


def test_a_city_outweighs_villages_of_its_name_nearer_the_front() -> None:
    text = ("Russian forces pressed on towards Pokrovsk and Kurakhove in Donetsk region, Ukraine's "
            "General Staff said. Two days earlier, Russian guided bombs struck an industrial site "
            "in Zaporizhzhia, wounding 13 people.")
    places = {p.mention: p for p in extract_places(parse(text))}
    assert places["Zaporizhzhia"].kind == "city" and places["Zaporizhzhia"].population > 500_000
    assert places["Pokrovsk"].country == "UA"
