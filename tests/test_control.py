"""Who controls a place on a date (frontlines.control): the rules on hand-made claims, statements of
control in text, the area estimate, and the seed and dev articles analysed into a real store."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest
from shapely.geometry import box
from typer.testing import CliRunner

from frontlines.control import (
    AreaEstimate, ControlChange, ControlState, PlaceKey, area_by_holder, change_from_event,
    changes_from_store, control_at, control_timeline, date_window, find_statements, place_state,
    select_changes, statements_in_analysis,
)
from frontlines.control.areas import CONTESTED, EARTH_RADIUS_KM, UNKNOWN
from frontlines.models import EventRecord, Place
from frontlines.store import StoredEvent, open_store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "corpus" / "seed" / "alestiklal-2024-12-russia-absence.md"
DEV = SHARED / "corpus" / "dev"
SEED_SENTENCE = "leading to the near-total capture of Aleppo city"
OPPOSITION = "Syrian opposition (HTS-led)"
GOVERNMENT = "Government of Syria"

SARAQIB = PlaceKey.make("Saraqib", "SY", "Idlib", "locality", 35.8645, 36.8059, 164816)
D = date.fromisoformat


def claim(holder: str, day: str, *, precision: str = "day", end: str | None = None,
          kind: str = "takeover", source: str = "Wire A", place: PlaceKey = SARAQIB,
          event_id: int = 1) -> ControlChange:
    start = D(day)
    window = date_window(start, precision, (start, D(end)) if end else None, None)
    return ControlChange(place=place, holder=holder, actor=holder, day=window[0],
                         precision=precision, window=window, kind=kind,
                         evidence=f"{source} says {holder} holds {place.name}.", source=source,
                         published=window[1], event_id=event_id)


def state(claims: list[ControlChange], day: str) -> ControlState:
    states = control_at(claims, D(day))
    assert len(states) == 1
    return states[0]


# --- ordering, precision, contest -------------------------------------------------------------


def test_timeline_orders_each_places_changes_by_date_and_keeps_places_apart() -> None:
    idlib_city = PlaceKey.make("Idlib", "SY", "Idlib", "locality", 35.93, 36.63, 169389)
    idlib_region = PlaceKey.make("Idlib", "SY", "Idlib", "region", 35.93, 36.63, None)
    changes = [
        claim(OPPOSITION, "2024-11-28", event_id=3),
        claim(GOVERNMENT, "2019-09-01", end="2019-12-31", precision="year", kind="regain", event_id=2),
        claim(OPPOSITION, "2024-11-30", place=idlib_region, event_id=4),
        claim(GOVERNMENT, "2024-11-29", kind="statement", place=idlib_city, event_id=5),
        claim(OPPOSITION, "2016-02-01", precision="month", event_id=1),
    ]
    timeline = control_timeline(changes)
    assert [c.day for c in timeline[SARAQIB]] == [D("2016-02-01"), D("2019-09-01"), D("2024-11-28")]
    # a region is not the city named after it: Idlib city does not inherit the region's change
    assert set(timeline) == {SARAQIB, idlib_city, idlib_region}
    assert place_state(idlib_city, timeline[idlib_city], D("2024-12-01")).holder == GOVERNMENT
    assert place_state(idlib_region, timeline[idlib_region], D("2024-12-01")).holder == OPPOSITION
    # the holder on a day follows the order of the changes
    assert state(changes[:2] + changes[4:], "2018-01-01").holder == OPPOSITION
    assert state(changes[:2] + changes[4:], "2020-01-01").holder == GOVERNMENT
    assert state(changes[:2] + changes[4:], "2024-11-28").holder == OPPOSITION


def test_unknown_before_the_first_change_and_no_holder_is_guessed() -> None:
    before = state([claim(OPPOSITION, "2024-11-29")], "2024-11-20")
    assert (before.status, before.holder, before.candidates) == ("unknown", None, [])


def test_a_month_only_change_does_not_decide_a_day_inside_that_month() -> None:
    october = claim(GOVERNMENT, "2024-10-01", kind="regain", event_id=1)
    november = claim(OPPOSITION, "2024-11-01", precision="month", event_id=2)
    assert november.window == (D("2024-11-01"), D("2024-11-30"))
    mid = state([october, november], "2024-11-15")
    # the previous known holder, and a pending change that may already have happened
    assert mid.status == "uncertain"
    assert mid.holder == GOVERNMENT and mid.since == october
    assert mid.pending == [november] and mid.candidates == [GOVERNMENT, OPPOSITION]
    # with nothing known before it, the month-only change leaves the day uncertain, holder unset
    alone = state([november], "2024-11-15")
    assert (alone.status, alone.holder, alone.candidates) == ("uncertain", None, [OPPOSITION])
    # once the month is over, it decides
    after = state([october, november], "2024-12-01")
    assert (after.status, after.holder, after.since, after.previous) == ("held", OPPOSITION, november, october)


def test_a_later_day_precision_change_overrides() -> None:
    november = claim(OPPOSITION, "2024-11-01", precision="month", event_id=1)
    regained = claim(GOVERNMENT, "2024-12-03", kind="regain", source="Wire B", event_id=2)
    s = state([november, regained], "2024-12-05")
    assert (s.status, s.holder, s.since, s.previous) == ("held", GOVERNMENT, regained, november)
    assert s.evidence == [regained]
    assert state([november, regained], "2024-12-02").holder == OPPOSITION


def test_a_vague_claim_explained_by_a_precise_one_is_not_pending() -> None:
    # "This comes after insurgents captured Aleppo" (some day of 2024, before the report) and
    # "the capture of Aleppo ... by November 29": one change, told twice.
    vague = claim(OPPOSITION, "2024-01-01", end="2024-12-05", precision="year", event_id=1)
    precise = claim(OPPOSITION, "2024-11-29", source="Wire B", event_id=2)
    assert state([vague, precise], "2024-11-20").status == "unknown"
    s = state([vague, precise], "2024-12-05")
    assert (s.status, s.since, s.evidence[0]) == ("held", precise, precise)
    # a rival claim inside the vague window keeps it pending
    rival = claim(GOVERNMENT, "2024-06-01", kind="regain", event_id=3)
    assert state([vague, precise, rival], "2024-11-20").status == "uncertain"


def test_contested_when_sources_disagree_for_overlapping_windows() -> None:
    a = claim(OPPOSITION, "2024-11-30", source="Shafaq News", event_id=1)
    b = claim(GOVERNMENT, "2024-11-30", kind="statement", source="SANA", event_id=2)
    s = state([a, b], "2024-12-01")
    assert s.status == "contested" and s.holder is None
    assert {c.holder for c in s.claims} == {OPPOSITION, GOVERNMENT}
    assert set(s.sources) == {"Shafaq News", "SANA"}
    # a month-wide claim overlapping a day claim is not strictly earlier or later either
    month = claim(GOVERNMENT, "2024-11-01", precision="month", source="SANA", event_id=3)
    assert state([a, month], "2024-12-01").status == "contested"
    # a claim strictly later than the other settles it
    later = claim(GOVERNMENT, "2024-12-02", kind="regain", source="SANA", event_id=4)
    assert state([a, b, later], "2024-12-03").holder == GOVERNMENT


def test_army_government_and_police_of_a_country_hold_for_one_side() -> None:
    stored = StoredEvent(7, 1, EventRecord(
        "Battles", "Government regains territory", "Military Forces of Syria",
        "Syrian army forces recaptured Saraqib on Monday.", 0, 49, event_date=D("2024-12-02"),
        date_precision="day", location="Saraqib", admin1="Idlib", country="SY", latitude=35.8645,
        longitude=36.8059, geo_precision=1, geonameid=164816), source="Wire A",
        published=D("2024-12-03"))
    regain = change_from_event(stored)
    assert regain is not None and regain.place == SARAQIB
    assert (regain.holder, regain.actor, regain.kind) == (GOVERNMENT, "Military Forces of Syria", "regain")
    statement = claim(GOVERNMENT, "2024-12-02", kind="statement", source="Wire B", event_id=8)
    assert state([regain, statement], "2024-12-03").status == "held"


# --- changes from events ----------------------------------------------------------------------


def _stored(sub_type: str, actor1: str | None, evidence: str, actor2: str | None = None,
            published: str = "2024-12-01", precision: str = "day", day: str = "2024-11-30") -> StoredEvent:
    event_type = "Strategic developments" if sub_type in {"Agreement", "Non-violent transfer of territory"} else "Battles"
    return StoredEvent(1, 1, EventRecord(
        event_type, sub_type, actor1, evidence, 0, len(evidence), event_date=D(day),
        date_precision=precision, actor2=actor2, location="Tall Rif‘at", admin1="Aleppo", country="SY",
        latitude=36.4723, longitude=37.0947, geo_precision=1, geonameid=163476),
        source="Wire", published=D(published))


def test_only_agreements_that_hand_a_place_over_change_hands_and_to_whom() -> None:
    handed = change_from_event(_stored(
        "Agreement", "Government of Russia", "Under the deal, Russian military police handed Tal Rifaat "
        "over to the Syrian Democratic Forces on Saturday.", "Government of Turkey"))
    assert handed is not None and handed.kind == "agreement"
    assert handed.holder == "Syrian Democratic Forces (SDF)"
    to_country = change_from_event(_stored(
        "Agreement", "Government of Russia", "Russia agreed to hand over Tal Rifaat to Turkey.",
        "Government of Turkey"))
    assert to_country is not None and to_country.holder == "Government of Turkey"
    lease = change_from_event(_stored(
        "Agreement", "Government of Russia", "Moscow secured long-term leases for the base.", "Government of Syria"))
    assert lease is None


def test_a_transfer_naming_only_the_side_that_left_gives_no_holder() -> None:
    left = _stored("Non-violent transfer of territory", "Military Forces of Syria",
                   "Syrian army forces withdrew from Tal Rifaat.")
    assert change_from_event(left) is None
    taken = _stored("Non-violent transfer of territory", "Syrian Democratic Forces (SDF)",
                    "The SDF entered Tal Rifaat unopposed after the army withdrew.", "Military Forces of Syria")
    change = change_from_event(taken)
    assert change is not None and change.holder == "Syrian Democratic Forces (SDF)"


def test_a_report_caps_the_window_of_what_it_reports_at_its_publication_day() -> None:
    vague = change_from_event(_stored("Non-state actor overtakes territory", OPPOSITION,
                                      "This comes after insurgents captured Tal Rifaat.",
                                      published="2024-12-05", precision="year", day="2024-01-01"))
    assert vague is not None and vague.window == (D("2024-01-01"), D("2024-12-05"))


# --- statements of control --------------------------------------------------------------------


def _place(text: str, mention: str, name: str, kind: str, lat: float, lon: float,
           geonameid: int | None, admin1: str = "Idlib") -> Place:
    start = text.index(mention)
    return Place(mention, start, start + len(mention), name, kind, "SY", admin1, lat, lon, geonameid)


STATEMENTS = (
    "Fighters moved into the opposition-held town of Saraqib on Monday. "
    "Aleppo, which is controlled by the government, was shelled. "
    "New villages near Jisr al-Shughur, previously under Assad's control, fell. "
    "Rebels stormed Hama. The city, historically a government stronghold, is now in the hands of "
    "opposition fighters. "
    "Idlib was under Syrian opposition control in 2017."
)


def _statement_places() -> list[Place]:
    t = STATEMENTS
    return [_place(t, "Saraqib", "Saraqib", "town", 35.8645, 36.8059, 164816),
            _place(t, "Aleppo", "Aleppo", "city", 36.2012, 37.1612, 170063, "Aleppo"),
            _place(t, "Jisr al-Shughur", "Jisr ash Shughur", "town", 35.81, 36.32, 172374),
            _place(t, "Hama", "Ḩamāh", "city", 35.1318, 36.7578, 170017, "Hama"),
            _place(t, "Idlib", "Idlib", "city", 35.9306, 36.6339, 169389)]


def test_statements_of_control_give_the_holder_on_the_report_day() -> None:
    found = find_statements(STATEMENTS, _statement_places(), D("2024-11-30"), source="Test Wire")
    holders = {c.place.name: c.holder for c in found}
    assert holders == {"Saraqib": OPPOSITION, "Aleppo": GOVERNMENT, "Ḩamāh": OPPOSITION}
    # "previously under Assad's control" and "was under ... control in 2017" are history, undated
    assert "Jisr ash Shughur" not in holders and "Idlib" not in holders
    for change in found:
        assert (change.kind, change.day, change.precision, change.window) == (
            "statement", D("2024-11-30"), "day", (D("2024-11-30"), D("2024-11-30")))
        assert change.source == "Test Wire"
    saraqib = next(c for c in found if c.place.name == "Saraqib")
    assert saraqib.place == SARAQIB and "opposition-held town of Saraqib" in saraqib.evidence
    # no publication date, no statement: it could not be dated
    assert find_statements(STATEMENTS, _statement_places(), None) == []


# --- areas ------------------------------------------------------------------------------------


def _held(name: str, lon: float, lat: float, holder: str | None, status: str = "held") -> ControlState:
    return ControlState(PlaceKey.make(name, "XX", None, "locality", lat, lon, None), D("2024-12-01"),
                        status, holder=holder)  # type: ignore[arg-type]


def test_voronoi_areas_on_a_square_sum_to_the_squares_area() -> None:
    states = [_held("a", 0.25, 0.25, "A"), _held("b", 0.75, 0.25, "A"),
              _held("c", 0.25, 0.75, "B"), _held("d", 0.75, 0.75, None, "contested")]
    estimate = area_by_holder(states, [box(0.0, 0.0, 1.0, 1.0)], buffer_km=500)
    assert isinstance(estimate, AreaEstimate)
    # the exact area of a 1°x1° cell of the sphere at the equator: R² Δλ (sin φ2 - sin φ1)
    square = EARTH_RADIUS_KM ** 2 * math.radians(1) * math.sin(math.radians(1))
    assert abs(estimate.total_km2 - square) / square < 0.01
    assert abs(estimate.by_holder["A"] - square / 2) / square < 0.01
    assert abs(estimate.by_holder["B"] - square / 4) / square < 0.01
    assert abs(estimate.by_holder[CONTESTED] - square / 4) / square < 0.01
    assert len(estimate.places) == 4 and "boundary" in estimate.method


def test_without_boundaries_a_lone_place_counts_its_buffer_only() -> None:
    estimate = area_by_holder([_held("a", 36.8, 35.86, "A"), _held("b", 40.0, 10.0, None, "unknown")],
                              buffer_km=10)
    # both in one country ("XX"): the hull + 10 km is a long strip; each side gets its half
    assert set(estimate.by_holder) == {"A", UNKNOWN}
    lone = area_by_holder([_held("a", 36.8, 35.86, "A")], buffer_km=10)
    assert abs(lone.by_holder["A"] - math.pi * 100) / (math.pi * 100) < 0.01
    regions_only = area_by_holder([ControlState(PlaceKey.make("Idlib", "SY", "Idlib", "region", 35.9, 36.6, None),
                                                D("2024-12-01"), "held", holder="A")])
    assert regions_only.by_holder == {}


# --- the seed and dev articles in a real store ------------------------------------------------


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not SEED.is_file() or not DEV.is_dir():
        pytest.skip(f"{SHARED} is absent: the seed and dev articles are needed")
    from frontlines.ingest import iter_documents
    from frontlines.models import IngestFailure
    from frontlines.pipeline import analyze

    db = str(tmp_path_factory.mktemp("control") / "x.db")
    store = open_store(db)
    for path in [SEED, *sorted(DEV.glob("*.txt"))]:
        gold = json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".gold.json").read_text(encoding="utf-8"))
        published = D(gold["published"]) if gold.get("published") else None
        for document in iter_documents([str(path)], published=published):
            assert not isinstance(document, IngestFailure), document
            document.published = published or document.published
            document.source = document.source or gold.get("outlet")
            document.url = document.url or gold.get("source_url")
            store.save(analyze(document))
    store.close()
    return db


@pytest.fixture(scope="module")
def corpus_changes(corpus_db: str) -> list[ControlChange]:
    store = open_store(corpus_db)
    try:
        return changes_from_store(store)
    finally:
        store.close()


ALEPPO_CITY = "geonames:170063"


def _aleppo(changes: list[ControlChange], day: str) -> ControlState:
    return next(s for s in control_at(changes, D(day)) if s.place.id == ALEPPO_CITY)


def test_aleppo_is_the_oppositions_on_30_november_on_the_seeds_word(corpus_changes: list[ControlChange]) -> None:
    s = _aleppo(corpus_changes, "2024-11-30")
    assert (s.status, s.holder) == ("held", OPPOSITION)
    assert SEED_SENTENCE in s.evidence[0].evidence
    assert s.evidence[0].source == "Al-Estiklal (English edition)"
    assert s.evidence[0].window == (D("2024-11-29"), D("2024-11-29"))
    assert s.since is not None and s.since.window[1] <= D("2024-11-29")


def test_aleppo_is_unknown_on_20_november_as_no_article_gives_it_to_anyone(corpus_changes: list[ControlChange]) -> None:
    s = _aleppo(corpus_changes, "2024-11-20")
    assert (s.status, s.holder) == ("unknown", None)
    assert not any(c.holder == GOVERNMENT for c in corpus_changes if c.place.id == ALEPPO_CITY)


def test_a_statement_in_an_article_dates_the_holder_to_its_report(corpus_changes: list[ControlChange]) -> None:
    # i24NEWS (29 Nov): "the northwestern province of Aleppo, which is controlled by ... Assad's
    # government"; Al-Estiklal: opposition control over "villages ... in Aleppo and Idlib provinces"
    region = [c for c in corpus_changes if c.place.id == "SY/region/aleppo"]
    said = [c for c in region if c.kind == "statement"]
    assert [(c.holder, c.source, c.day) for c in said] == [(GOVERNMENT, "i24NEWS", D("2024-11-29"))]
    states = {s.place.id: s for s in control_at(corpus_changes, D("2024-11-29"))}
    assert states["SY/region/aleppo"].holder == GOVERNMENT
    assert control_at(select_changes(corpus_changes, place="Aleppo"), D("2024-11-30"))[0].holder == OPPOSITION


def test_statements_found_in_an_analysis_before_it_is_stored() -> None:
    if not DEV.is_dir():
        pytest.skip(f"{SHARED} is absent")
    from frontlines.ingest import iter_documents
    from frontlines.pipeline import analyze

    document = next(iter(iter_documents([str(DEV / "07-devdiscourse.txt")], published=D("2024-12-05"))))
    found = statements_in_analysis(analyze(document))
    assert [(c.place.name, c.holder) for c in found] == [("Ḩamāh", OPPOSITION)]
    assert "now in the hands of opposition fighters" in found[0].evidence


def test_filters_pick_places_by_country_region_and_spelling(corpus_changes: list[ControlChange]) -> None:
    maarat = select_changes(corpus_changes, place="Maarat al-Numan")
    assert {c.place.id for c in maarat} == {"geonames:167611"}
    assert all(c.place.country == "MM" for c in select_changes(corpus_changes, country="mm"))
    assert {c.place.admin1 for c in select_changes(corpus_changes, admin1="Idleb")} == {"Idlib"}


# --- the command ------------------------------------------------------------------------------

runner = CliRunner()


def test_control_command_prints_one_line_a_place_with_evidence_and_source(corpus_db: str) -> None:
    from frontlines.cli import app

    result = runner.invoke(app, ["control", "--db", corpus_db, "--at", "2024-11-30", "--country", "SY"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    aleppo = next(line for line in lines if line.startswith("Aleppo (Aleppo, SY) |"))
    assert OPPOSITION in aleppo and "near-total capture of Aleppo city" in aleppo
    assert "Al-Estiklal (English edition), 2024-12-04" in aleppo
    assert not any("Maungdaw" in line for line in lines)
    earlier = runner.invoke(app, ["control", "--db", corpus_db, "--at", "2024-11-20", "--place", "Aleppo"])
    assert earlier.exit_code == 0, earlier.output
    assert any(line.startswith("Aleppo (Aleppo, SY) | unknown") for line in earlier.stdout.splitlines())


def test_control_command_json_and_areas(corpus_db: str) -> None:
    from frontlines.cli import app

    result = runner.invoke(app, ["control", "--db", corpus_db, "--at", "2024-12-05", "--admin1", "Idlib",
                                 "--areas", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["date"] == "2024-12-05"
    assert {p["place"]["admin1"] for p in payload["places"]} == {"Idlib"}
    assert payload["areas"]["total_km2"] > 0
    assert set(payload["areas"]["km2_by_holder"]) <= {OPPOSITION, GOVERNMENT, CONTESTED, UNKNOWN, "(uncertain)"}
    table = runner.invoke(app, ["control", "--db", corpus_db, "--at", "2024-12-05", "--areas"])
    assert table.exit_code == 0 and "km²" in table.stdout
    bad = runner.invoke(app, ["control", "--db", corpus_db, "--at", "30/11/2024"])
    assert bad.exit_code == 2
