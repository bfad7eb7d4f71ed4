"""Toponym keys, gazetteer lookups and the places stage, on real names and real sentences.

Most tests use the real GeoNames index (built once in the per-user data folder); one set uses a small
fake gazetteer at the `lookup(mentions)` seam to check the ranking without the index.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pytest

from frontlines.actors import countries_of_named_actors
from frontlines.gazetteer import Candidate, Gazetteer, default_gazetteer, haversine_km
from frontlines.gazetteer.index import INDEXES, SCHEMA
from frontlines.ingest import iter_documents
from frontlines.models import Document, Place
from frontlines.nlp import parse
from frontlines.places import extract_places
from frontlines.toponyms import name_key, skeleton_key

# --- toponym keys --------------------------------------------------------------------------------


@pytest.mark.parametrize("spellings", [
    ["Ma’arat al-Nu’man", "Maarat al-Numan", "Ma`arrat an Nu`man", "Ma'arrat al-Nu'man"],
    ["Khan Shaykhun", "Khan Sheikhoun", "Khan Shaykhoun"],
    ["Tal Rifaat", "Tell Rifaat", "Tall Rif‘at"],
    ["al-Qusayr", "Al Qusayr", "Al-Quşayr"],
])
def test_skeleton_key_folds_transliteration_variants(spellings: list[str]) -> None:
    assert len({skeleton_key(s) for s in spellings}) == 1, {s: skeleton_key(s) for s in spellings}


def test_name_key_folds_marks_case_hyphens_and_the_article() -> None:
    # ayn/hamza marks, case, hyphens and the Arabic article disappear from the strict key
    assert name_key("Ma’arat al-Nu’man") == name_key("Maarat al-Numan") == "maarat numan"
    assert name_key("al-Qusayr") == name_key("Al Qusayr") == name_key("Al-Quşayr") == "qusayr"
    assert name_key("Türkiye") == name_key("Turkiye") == "turkiye"
    # a spelling that differs by more than marks keeps a different strict key; only the loose
    # skeleton brings them together (and a fuzzy check must then confirm the match)
    assert name_key("Khan Shaykhun") != name_key("Khan Sheikhoun")
    assert skeleton_key("Khan Shaykhun") == skeleton_key("Khan Sheikhoun")


def test_name_key_keeps_a_lone_article_and_arabic_script() -> None:
    # "El" alone is a name (El, the town), not an article to drop
    assert name_key("El") == "el"
    assert name_key("حلب") == "حلب"


def test_different_places_keep_different_skeletons() -> None:
    assert skeleton_key("Homs") != skeleton_key("Hama")
    assert skeleton_key("Idlib") != skeleton_key("Aleppo")


# --- the real gazetteer ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def _near(lat: float, lon: float, target: tuple[float, float], km: float) -> bool:
    return haversine_km(lat, lon, *target) <= km


def test_aleppo_is_both_a_city_and_a_governorate(gazetteer: Gazetteer) -> None:
    cands = [c for c in gazetteer.candidates("Aleppo") if c.country == "SY"]
    kinds = {c.kind: c for c in cands}
    assert {"city", "region"} <= set(kinds)
    city, region = kinds["city"], kinds["region"]
    assert _near(city.latitude, city.longitude, (36.20, 37.16), 5)
    assert city.population > 1_000_000
    assert region.admin1 == "Aleppo" and region.is_region
    # a region knows the town an event known only to the region is coded at
    assert region.anchor_latitude is not None
    assert _near(region.anchor_latitude, region.anchor_longitude, (36.20, 37.16), 5)


def test_curated_air_base_is_found_under_another_spelling(gazetteer: Gazetteer) -> None:
    for spelling in ("Khmeimim Air Base", "Hmeimim Air Base"):
        (base,) = [c for c in gazetteer.candidates(spelling) if c.kind == "military base"]
        assert base.name == "Hmeimim Air Base"
        assert base.country == "SY"
        assert base.latitude == pytest.approx(35.40, abs=0.02)
        assert base.longitude == pytest.approx(35.95, abs=0.02)


def test_curated_camp_is_found_with_and_without_its_feature_word(gazetteer: Gazetteer) -> None:
    for spelling in ("Abu Shouk camp", "Abu Shouk"):
        camps = [c for c in gazetteer.candidates(spelling) if c.kind == "camp"]
        assert camps, spelling
        assert camps[0].country == "SD"
        # beside El Fasher, North Darfur
        assert _near(camps[0].latitude, camps[0].longitude, (13.63, 25.35), 15)


@pytest.mark.parametrize("alias", ["Turkiye", "Türkiye", "Turkey"])
def test_country_aliases(gazetteer: Gazetteer, alias: str) -> None:
    countries = [c for c in gazetteer.candidates(alias) if c.kind == "country"]
    assert [c.country for c in countries] == ["TR"]


def test_loose_match_proposes_a_variant_spelling_with_its_similarity(gazetteer: Gazetteer) -> None:
    (town,) = [c for c in gazetteer.candidates("Maarat al-Numan") if c.country == "SY"]
    assert _near(town.latitude, town.longitude, (35.64, 36.67), 5)
    assert 80 <= town.match_ratio <= 100
    (exact,) = [c for c in gazetteer.candidates("Khan Sheikhoun") if c.country == "SY"]
    assert exact.exact and exact.match_ratio == 100


def test_unknown_name_has_no_candidates(gazetteer: Gazetteer) -> None:
    assert gazetteer.candidates("Zorvath Minor") == []
    assert gazetteer.lookup(["Zorvath Minor", "Idlib"]).keys() == {"Idlib"}


def _tiny_index(path: Path, names_in_row_order: list[str]) -> Gazetteer:
    """A one-place index, in the real index's schema, whose name rows are stored in the given order.

    Columns of `names` beyond key, skeleton and place_id (flags the build adds) are filled with 0.
    """
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.execute("INSERT INTO places (id, geonameid, name, kind, country, admin1_code, admin1, latitude, "
               "longitude, population) VALUES (1, 163345, 'Tall Rif‘at', 'town', 'SY', '09', "
               "'Aleppo', 36.4723, 37.0947, 25658)")
    columns = [row[1] for row in db.execute("PRAGMA table_info(names)")]
    for name in names_in_row_order:
        values = {"key": name_key(name), "skeleton": skeleton_key(name), "place_id": 1}
        db.execute(f"INSERT INTO names ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                   [values.get(column, 0) for column in columns])
    db.executescript(INDEXES)
    db.commit()
    db.close()
    return Gazetteer(path)


def test_loose_lookup_finds_a_close_spelling_on_a_tiny_index(tmp_path: Path) -> None:
    gaz = _tiny_index(tmp_path / "g.sqlite", ["Tal Refaat", "Tell Rifat"])
    (cand,) = gaz.candidates("Tell Rifaat")
    assert cand.name == "Tall Rif‘at" and not cand.exact


def test_loose_lookup_does_not_depend_on_name_row_order(tmp_path: Path) -> None:
    gaz = _tiny_index(tmp_path / "g.sqlite", ["Tell Rifat", "Tal Refaat"])
    assert [c.name for c in gaz.candidates("Tell Rifaat")] == ["Tall Rif‘at"]


# --- the places stage on real text ------------------------------------------------------------------

SEED_PLACES = {
    # mention as written: the real coordinates of the place
    "Aleppo": (36.20, 37.16),
    "Idlib": (35.93, 36.63),
    "Hama": (35.13, 36.76),
    "Khmeimim Air Base": (35.40, 35.95),
    "Tartus": (34.89, 35.89),
    "Ma’arat al-Nu’man": (35.64, 36.67),
    "Khan Shaykhun": (35.44, 36.65),
    "Saraqib": (35.86, 36.80),
    "al-Qusayr": (34.51, 36.58),
}


@pytest.fixture(scope="module")
def seed_places(seed_path: Path) -> tuple[Document, list[Place]]:
    (document,) = iter_documents([str(seed_path)])
    assert isinstance(document, Document)
    return document, extract_places(parse(document.text))


@pytest.mark.parametrize("mention", sorted(SEED_PLACES))
def test_seed_article_places_resolve_near_their_real_coordinates(
        seed_places: tuple[Document, list[Place]], mention: str) -> None:
    document, places = seed_places
    found = [p for p in places if p.mention == mention]
    assert found, f"{mention} not recognised"
    for place in found:
        # offsets point at the words themselves
        assert document.text[place.start:place.end] == mention
        assert place.resolved and place.country == "SY", place
    # a name that is both a city and a governorate may resolve to either, but always nearby
    assert any(_near(p.latitude, p.longitude, SEED_PLACES[mention], 30) for p in found), found


def test_seed_article_air_base_is_the_curated_entry(seed_places: tuple[Document, list[Place]]) -> None:
    _, places = seed_places
    (base,) = [p for p in places if p.mention == "Khmeimim Air Base"]
    assert (base.name, base.kind, base.admin1) == ("Hmeimim Air Base", "military base", "Latakia")


def test_seed_article_qusayr_is_the_syrian_town_not_the_egyptian_one(
        seed_places: tuple[Document, list[Place]]) -> None:
    _, places = seed_places
    (qusayr,) = [p for p in places if p.mention == "al-Qusayr"]
    assert qusayr.admin1 == "Homs"


def test_seed_article_organisations_and_demonyms_are_not_places(
        seed_places: tuple[Document, list[Place]]) -> None:
    document, places = seed_places
    covered = {document.text[p.start:p.end] for p in places}
    # "Syrian", "Russian", "Iranian", "Lebanese" are adjectives, never place mentions
    assert not covered & {"Syrian", "Russian", "Iranian", "Lebanese", "Turkish"}
    harmoon = document.text.index("Harmoon Center for Contemporary Studies")
    assert not [p for p in places if harmoon <= p.start < harmoon + 40]


def _places(text: str) -> list[Place]:
    return extract_places(parse(text))


def test_demonyms_are_not_places() -> None:
    assert _places("Syrian officials said Russian warplanes struck the area.") == []


@pytest.mark.parametrize("text", [
    "A researcher at the Harmoon Center for Contemporary Studies spoke to reporters.",
    "The Syrian Observatory for Human Rights reported heavy clashes overnight.",
])
def test_organisation_names_yield_no_place(text: str) -> None:
    assert _places(text) == []


def test_region_cue_gives_the_governorate() -> None:
    (hama,) = _places("Fighting spread across Hama province on Tuesday, Syrian activists said.")
    assert (hama.mention, hama.kind, hama.country, hama.admin1) == ("Hama", "governorate", "SY", "Hama")


def test_city_cue_gives_the_city() -> None:
    (hama, syria) = _places("Rebels entered the city of Hama after fierce fighting in Syria.")
    assert (hama.mention, hama.kind, hama.country) == ("Hama", "city", "SY")
    assert _near(hama.latitude, hama.longitude, (35.13, 36.76), 5)
    assert syria.kind == "country"


def test_transliteration_variants_resolve_to_the_same_towns() -> None:
    places = _places("Government forces shelled Maarat al-Numan and Khan Sheikhoun "
                     "in Idlib province, Syria, residents said.")
    by_mention = {p.mention: p for p in places}
    assert _near(by_mention["Maarat al-Numan"].latitude, by_mention["Maarat al-Numan"].longitude,
                 SEED_PLACES["Ma’arat al-Nu’man"], 5)
    assert _near(by_mention["Khan Sheikhoun"].latitude, by_mention["Khan Sheikhoun"].longitude,
                 SEED_PLACES["Khan Shaykhun"], 5)
    assert by_mention["Idlib"].kind == "governorate"


@pytest.mark.parametrize("text", [
    "Gunmen raided the hamlet of Zorvath Minor before dawn, a farmer told reporters.",
    "Gunmen raided the village of Qaryat Zumurrud al-Jadida before dawn, a farmer told reporters.",
])
def test_unknown_village_stays_unresolved_rather_than_snapping_to_a_namesake(text: str) -> None:
    # "al-Jadida" alone is the name of real towns (El Jadida, Morocco, among them); inside an
    # unknown village name with no context it must not be resolved to one of them
    assert [p for p in _places(text) if p.resolved] == []


def test_x_comma_y_picks_the_namesake_in_y() -> None:
    places = _places("Police in Damascus, Maryland, closed a road after a crash near Frederick.")
    damascus = next(p for p in places if p.mention == "Damascus")
    assert (damascus.country, damascus.admin1) == ("US", "Maryland")
    assert _near(damascus.latitude, damascus.longitude, (39.29, -77.20), 10)


def test_without_other_context_damascus_is_the_syrian_capital() -> None:
    (damascus,) = _places("Officials in Damascus said the strike killed five people.")
    assert (damascus.country, damascus.kind) == ("SY", "city")


def test_place_in_region_of_country_resolves_within_it() -> None:
    places = {p.mention: p for p in _places(
        "Ukrainian troops advanced near Sudzha in the Kursk region of Russia.")}
    assert (places["Sudzha"].country, places["Sudzha"].admin1) == ("RU", "Kursk")
    assert places["Sudzha"].vicinity  # "near Sudzha"
    assert places["Kursk"].kind == "oblast"


# --- the resolver against a fake gazetteer ------------------------------------------------------------


def _cand(id_: int, name: str, kind: str, country: str, admin1: str | None, lat: float,
          lon: float, population: int) -> Candidate:
    return Candidate(id_, 1000 + id_, name, kind, country, "01" if admin1 else None, admin1, lat, lon,
                     population, None, None)


class FakeGazetteer:
    """Two Tripolis, two towns called Al Bayda, and their countries; every lookup is recorded."""

    def __init__(self) -> None:
        self.table = {
            "Tripoli": [
                _cand(1, "Tripoli", "city", "LY", "Tripoli", 32.89, 13.19, 1_150_989),
                _cand(2, "Tripoli", "city", "LB", "North", 34.44, 35.85, 229_398),
            ],
            "Al Bayda": [
                _cand(3, "Al Bayda", "city", "LY", "Jabal al Akhdar", 32.76, 21.76, 206_180),
                _cand(4, "Al Bayda", "town", "YE", "Al Bayda", 13.99, 45.57, 37_821),
            ],
            "Libya": [_cand(5, "Libya", "country", "LY", None, 27.0, 17.0, 6_461_454)],
            "Lebanon": [_cand(6, "Lebanon", "country", "LB", None, 33.83, 35.83, 4_125_247)],
        }
        self.asked: set[str] = set()

    def lookup(self, mentions: Iterable[str]) -> dict[str, list[Candidate]]:
        mentions = set(mentions)
        self.asked |= mentions
        return {m: self.table[m] for m in mentions if m in self.table}


@pytest.mark.parametrize(("country", "code"), [("Lebanon", "LB"), ("Libya", "LY")])
def test_fake_gazetteer_context_picks_the_namesake(country: str, code: str) -> None:
    fake = FakeGazetteer()
    places = extract_places(parse(f"Clashes broke out in Tripoli, {country}, overnight, "
                                  "officials said."), fake)
    assert {"Tripoli", country} <= fake.asked
    tripoli = next(p for p in places if p.mention == "Tripoli")
    assert tripoli.country == code
    named = next(p for p in places if p.mention == country)
    assert (named.kind, named.country) == ("country", code)


def test_fake_gazetteer_demonym_is_context_too() -> None:
    fake = FakeGazetteer()
    places = extract_places(parse("Lebanese soldiers deployed in Tripoli overnight."), fake)
    (tripoli,) = places
    assert tripoli.country == "LB"


def test_fake_gazetteer_ambiguous_town_without_context_is_not_resolved() -> None:
    fake = FakeGazetteer()
    places = extract_places(parse("Clashes broke out in Al Bayda overnight, officials said."), fake)
    assert "Al Bayda" in fake.asked
    # neither namesake has support in the text: the "none of these" answer wins
    assert [p for p in places if p.resolved] == []
    # with the country's demonym in the text (the fake knows no "Yemen"), the same name resolves
    places = extract_places(parse("Clashes broke out in Al Bayda overnight, Yemeni officials said."),
                            fake)
    (bayda,) = [p for p in places if p.mention == "Al Bayda"]
    assert bayda.country == "YE"


# --- datelines, capitals, seas, hyphenated names ------------------------------------------------------


def _by_mention(text: str) -> dict[str, Place]:
    return {p.mention: p for p in _places(text)}


def test_dateline_names_cities_not_regions() -> None:
    places = _by_mention("WASHINGTON/SANAA, Jan 12 (Reuters) - US and British warplanes struck "
                         "Houthi targets across Yemen early on Friday, officials said.")
    washington = places["WASHINGTON"]
    assert (washington.kind, washington.country) == ("city", "US")
    assert _near(washington.latitude, washington.longitude, (38.90, -77.04), 20)
    assert (places["SANAA"].kind, places["SANAA"].country) == ("city", "YE")


def test_capital_is_meant_unless_the_text_says_region() -> None:
    (capital,) = _places("Officials in Washington said the talks would resume next week.")
    assert _near(capital.latitude, capital.longitude, (38.90, -77.04), 20)
    state = next(p for p in _places("Wildfires spread across Washington state on Sunday.")
                 if p.mention == "Washington")
    assert (state.kind, state.admin1) == ("state", "Washington")


def test_sea_is_in_context_when_a_country_on_its_shores_is_named() -> None:
    places = _by_mention("The Houthis fired missiles at merchant ships in the Red Sea, "
                         "Yemeni and Saudi officials said.")
    assert places["Red Sea"].kind == "sea"
    assert _near(places["Red Sea"].latitude, places["Red Sea"].longitude, (20.0, 38.5), 50)


def test_curated_lake_beats_nothing_and_its_name_is_not_a_town() -> None:
    places = _by_mention("Minova lies on the north-western shore of Lake Kivu in eastern Congo.")
    assert (places["Lake Kivu"].kind, places["Congo"].country) == ("lake", "CD")
    assert not [p for p in _places("Ships sailed around the Cape of Good Hope to avoid attacks.")
                if p.resolved and p.kind != "cape"]


def test_part_of_an_unknown_hyphenated_town_is_not_a_place() -> None:
    places = _places("Gang members stormed the town of Pont-Sondé in Haiti's Artibonite region "
                     "on Thursday, officials said.")
    # "Pont" alone is an alternate name of French towns; it is only a piece of "Pont-Sondé"
    assert not [p for p in places if p.resolved and p.country != "HT"], places
    assert {p.mention for p in places if p.country == "HT"} == {"Haiti", "Artibonite"}


def test_hyphenated_pairs_and_party_labels_keep_their_places() -> None:
    places = _by_mention("State Sen. Robert Ford, D-Charleston, told the South Carolina Senate "
                         "that the bill would pass.")
    assert (places["Charleston"].country, places["Charleston"].admin1) == ("US", "South Carolina")
    places = _by_mention("Russian drones struck the Kherson-Mykolaiv highway in southern Ukraine.")
    assert {places["Kherson"].country, places["Mykolaiv"].country} == {"UA"}


def test_title_abbreviations_count_only_as_titles() -> None:
    (congo,) = _places("M23 rebels advanced in eastern DR Congo on Tuesday.")
    assert (congo.mention, congo.kind, congo.country) == ("DR Congo", "country", "CD")
    assert [p for p in _places("Dr Ahmed Saleh treated the wounded.") if p.resolved] == []


def test_a_piece_of_a_facility_name_is_not_the_town_it_spells() -> None:
    places = _places("Several mortar rounds landed near Mogadishu's Aden Adde International "
                     "Airport late on Wednesday, Somali police said.")
    # "Aden" is the first word of the airport's name, not the Yemeni port
    assert [(p.mention, p.country) for p in places if p.resolved] == [("Mogadishu", "SO")]


def test_a_facility_named_after_a_town_is_placed_at_the_town() -> None:
    places = _by_mention("Russian missiles struck Kyiv's Boryspil International Airport, "
                         "Ukrainian officials said.")
    assert (places["Boryspil"].country, places["Kyiv"].country) == ("UA", "UA")


def test_weapon_names_are_not_places_unless_the_text_says_so() -> None:
    places = _places("A US official said fighter jets and Tomahawk cruise missiles struck "
                     "targets in Yemen, and Patriot batteries were moved to Saudi Arabia.")
    assert {p.mention for p in places} == {"US", "Yemen", "Saudi Arabia"}
    (town, _) = _places("Police in the town of Tomahawk, Wisconsin, closed the bridge.")
    assert (town.mention, town.admin1) == ("Tomahawk", "Wisconsin")


def test_second_level_divisions_and_region_aliases_come_from_geonames(gazetteer: Gazetteer) -> None:
    (loroum,) = gazetteer.candidates("Loroum")
    assert (loroum.kind, loroum.country, loroum.admin1) == ("district", "BF", "Nord")
    (north_kivu,) = [c for c in gazetteer.candidates("North Kivu") if c.kind == "region"]
    assert north_kivu.country == "CD"


def test_a_division_named_with_its_feature_word_beats_a_bare_town() -> None:
    places = _by_mention("Jihadists killed 12 civilians near Titao, the capital of Loroum "
                         "province in Burkina Faso, residents said.")
    assert (places["Loroum"].kind, places["Loroum"].country) == ("district", "BF")
    assert _near(places["Titao"].latitude, places["Titao"].longitude, (13.77, -2.07), 10)
    # a bare name shared by a town and its district is the town
    pokrovsk = _by_mention("Fighting was intense around Pokrovsk in Ukraine's Donetsk region.")
    assert (pokrovsk["Pokrovsk"].kind, pokrovsk["Pokrovsk"].country) == ("town", "UA")


def test_news_agencies_are_sources_not_places():
    doc = parse("ISLAMABAD (Reuters) - Rangers arrested a former minister, officials told Lusa and AFP.")
    assert [(p.mention, p.country) for p in extract_places(doc)] == [("ISLAMABAD", "PK")]


def test_a_town_the_gazetteer_lacks_is_reported_unresolved_when_the_text_calls_it_a_town():
    doc = parse("Al-Shabaab militants on Wednesday captured Adan Yabaal, a strategic town in central Somalia.")
    unknown = [p for p in extract_places(doc) if p.mention == "Adan Yabaal"]
    assert [(p.resolved, p.latitude) for p in unknown] == [(False, None)]


@pytest.mark.parametrize("text, expected", [
    ("An angry crowd stoned a man to death in Goma's Majengo neighbourhood on Wednesday.", [("Goma", "CD")]),
    ("A grenade was hurled at a legislator's house in Imphal's Khurai area on Tuesday.", [("Imphal", "IN")]),
])
def test_a_town_before_a_possessive_is_a_whole_name_and_its_parts_lie_in_it(text, expected):
    assert [(p.mention, p.country) for p in extract_places(parse(text)) if p.resolved] == expected


def test_a_name_the_text_calls_a_town_once_is_a_place_wherever_it_recurs():
    text = ("M23 rebels captured the town of Minova on Tuesday.\n"
            "The fighters entered Minova, on the north-western shore of Lake Kivu, in the afternoon.\n")
    assert [p.mention for p in extract_places(parse(text)) if p.mention == "Minova"] == ["Minova", "Minova"]


def test_lowercase_particles_join_a_name_and_named_groups_say_which_country():
    doc = parse("The port town of Mocímboa da Praia was recaptured by Rwandan and Mozambican troops on Sunday.")
    assert [p.name for p in extract_places(doc)] == ["Mocímboa da Praia"]
    text = "RSF commanders accused the army of dropping chlorine on their positions near Mellit on Saturday."
    places = extract_places(parse(text), actor_countries=countries_of_named_actors(text))
    assert [(p.mention, p.country) for p in places if p.resolved] == [("Mellit", "SD")]
