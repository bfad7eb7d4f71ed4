"""The SQLite store: a real analysis round trip, every EventQuery filter, migrations, and hostile input."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from conftest import document_inserts_meet
from frontlines.gazetteer import haversine_km
from frontlines.ingest import iter_documents
from frontlines.models import Analysis, Document, EventRecord, Figure, Place, Quote
from frontlines.pipeline import analyze
from frontlines.store import EventQuery, SqlStore, StoredEvent, open_store

PLACE_FIELDS = ("mention", "start", "end", "name", "kind", "country", "admin1", "latitude",
                "longitude", "geonameid")

# --- hand-made analyses with known events ------------------------------------------------------------

SYRIA_TEXT = (
    "Opposition factions clashed with government forces in Aleppo on November 27. "
    "Russian warplanes struck Idlib city on Friday. "
    "In 2019 the regime's forces took Ma'arat al-Nu'man. "
    "A statement said the campaign would continue at some point."
)
SUDAN_TEXT = (
    "The RSF shelled El Fasher on Tuesday, killing four people. "
    "Volunteers said 100% of the camp's clinics were hit."
)


def _sentence(text: str, needle: str) -> tuple[str, int, int]:
    start = text.index(needle)
    end = text.index(".", start) + 1
    return text[start:end], start, end


def _event(text: str, needle: str, **fields: object) -> EventRecord:
    evidence, start, end = _sentence(text, needle)
    return EventRecord(evidence=evidence, start=start, end=end, **fields)  # type: ignore[arg-type]


CLASH = _event(
    SYRIA_TEXT, "Opposition factions", event_type="Battles", sub_event_type="Armed clash",
    actor1="Syrian opposition (HTS-led)", actor2="Military Forces of Syria", inter1=2, inter2=1,
    event_date=date(2024, 11, 27), date_precision="day",
    date_window=(date(2024, 11, 27), date(2024, 11, 27)), location="Aleppo", admin1="Aleppo",
    country="SY", latitude=36.2012, longitude=37.1612, geo_precision=1, geonameid=170063,
    confidence=0.8)
STRIKE = _event(
    SYRIA_TEXT, "Russian warplanes", event_type="Explosions/Remote violence",
    sub_event_type="Air/drone strike", actor1="Military Forces of Russia",
    assoc_actor_1="Military Forces of Syria", inter1=8, event_date=date(2024, 11, 29),
    date_precision="day", location="Idlib", admin1="Idlib", country="SY", latitude=35.9306,
    longitude=36.6339, geo_precision=1, geonameid=169389, confidence=0.7)
TAKEOVER_2019 = _event(
    SYRIA_TEXT, "In 2019", event_type="Battles", sub_event_type="Government regains territory",
    actor1="Military Forces of Syria", inter1=1, event_date=date(2019, 1, 1), date_precision="year",
    date_window=(date(2019, 1, 1), date(2019, 12, 31)), location="Ma‘arrat an Nu‘mān",
    admin1="Idlib", country="SY", latitude=35.6483, longitude=36.6769, geo_precision=1,
    confidence=0.6, background=True)
UNDATED = _event(
    SYRIA_TEXT, "A statement", event_type="Strategic developments", sub_event_type="Other",
    actor1="Syrian opposition (HTS-led)", inter1=2, location="Syria", country="SY",
    latitude=35.0, longitude=38.0, geo_precision=3, confidence=0.3)
SHELLING = _event(
    SUDAN_TEXT, "The RSF", event_type="Explosions/Remote violence",
    sub_event_type="Shelling/artillery/missile attack", actor1="Rapid Support Forces (RSF)",
    actor2="Civilians (Sudan)", inter1=2, inter2=7, event_date=date(2024, 8, 27),
    date_precision="day", location="El Fasher", admin1="Northern Darfur", country="SD",
    latitude=13.6279, longitude=25.3494, geo_precision=1, fatalities=4, confidence=0.9)
CLINICS = _event(
    SUDAN_TEXT, "Volunteers", event_type="Explosions/Remote violence",
    sub_event_type="Shelling/artillery/missile attack", actor1="Rapid Support Forces (RSF)",
    inter1=2, event_date=date(2024, 8, 27), date_precision="week",
    date_window=(date(2024, 8, 26), date(2024, 9, 1)), location="Abu Shouk camp",
    admin1="Northern Darfur", country="SD", latitude=13.66, longitude=25.34, geo_precision=2,
    confidence=0.5)


def syria_analysis() -> Analysis:
    doc = Document(id="syria-test", text=SYRIA_TEXT, title="Rebels advance", source="Test Wire",
                   url="https://example.org/syria", published=date(2024, 11, 30), language="en")
    aleppo = SYRIA_TEXT.index("Aleppo")
    quote_start = SYRIA_TEXT.index("the campaign")
    return Analysis(
        document=doc, events=[CLASH, STRIKE, TAKEOVER_2019, UNDATED],
        places=[Place("Aleppo", aleppo, aleppo + 6, name="Aleppo", kind="city", country="SY",
                      admin1="Aleppo", latitude=36.2012, longitude=37.1612, geonameid=170063)],
        quotes=[Quote(None, None, "the campaign would continue", quote_start, quote_start + 27)])


def sudan_analysis() -> Analysis:
    doc = Document(id="sudan-test", text=SUDAN_TEXT, title="Shelling in El Fasher", source="Wire B",
                   published=date(2024, 8, 28), language="en")
    four = SUDAN_TEXT.index("four people")
    return Analysis(
        document=doc, events=[SHELLING, CLINICS],
        figures=[Figure(4, "people", None, None, "four people", four, four + 11)])


@pytest.fixture()
def store(store_url: str) -> SqlStore:
    s = open_store(store_url)
    yield s
    s.close()


@pytest.fixture()
def filled(store: SqlStore) -> tuple[SqlStore, int, int]:
    syria = store.save(syria_analysis())
    sudan = store.save(sudan_analysis())
    assert syria.created and sudan.created
    return store, syria.document_id, sudan.document_id


def _events(store: SqlStore, **query: object) -> list[EventRecord]:
    q = EventQuery(**query)  # type: ignore[arg-type]
    found = store.events(q)
    # count_events counts every match, ignoring the page (for "page 2 of N")
    unpaged = EventQuery(**{**query, "limit": None, "offset": 0})  # type: ignore[arg-type]
    assert store.count_events(q) == len(store.events(unpaged))
    return [s.event for s in found]


# --- round trip -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dev_analysis(shared_dir: Path) -> Analysis:
    path = shared_dir / "corpus" / "dev" / "12-menafn.txt"
    (document,) = iter_documents([str(path)], published=date(2024, 8, 28))
    assert isinstance(document, Document)
    return analyze(document)


def _place_fields(p: Place) -> tuple:
    return tuple(getattr(p, name) for name in PLACE_FIELDS)


def test_real_analysis_round_trip(store: SqlStore, dev_analysis: Analysis) -> None:
    # the article has events, places, a quote and figures: every table is exercised
    assert dev_analysis.events and dev_analysis.places and dev_analysis.quotes and dev_analysis.figures
    result = store.save(dev_analysis)
    assert result.created
    stored = store.document(result.document_id)
    assert stored is not None
    doc = dev_analysis.document
    assert (stored.doc_id, stored.sha256, stored.title, stored.url, stored.path, stored.source,
            stored.published, stored.language, stored.skip_reason, stored.text) == (
        doc.id, doc.sha256, doc.title, doc.url, doc.path, doc.source, doc.published, doc.language,
        doc.skip_reason, doc.text)
    key = lambda e: (e.start, e.location or "", e.sub_event_type)  # noqa: E731
    assert sorted((s.event for s in stored.events), key=key) == sorted(dev_analysis.events, key=key)
    assert all(s.document_id == result.document_id and s.published == doc.published
               for s in stored.events)
    assert [_place_fields(p) for p in stored.places] == sorted(
        (_place_fields(p) for p in dev_analysis.places), key=lambda t: t[1])
    assert stored.quotes == sorted(dev_analysis.quotes, key=lambda q: q.start)
    assert stored.figures == sorted(dev_analysis.figures, key=lambda f: f.start)
    assert [d.id for d in store.documents()] == [result.document_id]


def test_saving_the_same_text_twice_stores_nothing_new(store: SqlStore, dev_analysis: Analysis) -> None:
    first = store.save(dev_analysis)
    counts = store.count_events(EventQuery())
    again = store.save(dev_analysis)
    assert again.document_id == first.document_id and not again.created
    assert store.count_events(EventQuery()) == counts
    assert len(store.documents()) == 1
    assert store.has_document(dev_analysis.document.sha256)
    assert not store.has_document("0" * 64)


def test_two_writers_saving_one_text_at_once_store_it_once(store_url: str) -> None:
    # Both look the text up, find nothing and insert; the unique sha256 refuses one of them,
    # which must answer "already stored", not fail.
    store = open_store(store_url)
    with document_inserts_meet(store.engine), ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: store.save(sudan_analysis()), range(2)))
    assert sorted(r.created for r in results) == [False, True]
    assert results[0].document_id == results[1].document_id
    assert len(store.documents()) == 1
    assert _events(store) == [SHELLING, CLINICS]
    store.close()


def test_hand_made_round_trip_keeps_windows_background_and_fatalities(
        filled: tuple[SqlStore, int, int]) -> None:
    store, syria_id, sudan_id = filled
    syria = store.document(syria_id)
    sudan = store.document(sudan_id)
    assert syria is not None and sudan is not None
    assert {s.event.evidence: s.event for s in syria.events} == {
        e.evidence: e for e in (CLASH, STRIKE, TAKEOVER_2019, UNDATED)}
    assert [s.event for s in sudan.events] == [SHELLING, CLINICS]
    assert sudan.figures == sudan_analysis().figures and sudan.quotes == []
    assert syria.quotes == syria_analysis().quotes
    assert store.document(999) is None


def test_skipped_document_is_kept_on_record(store: SqlStore) -> None:
    doc = Document(id="fr", text="Des combats ont éclaté dans la ville.", language="fr",
                   skip_reason="not English (fr)")
    result = store.save(Analysis(document=doc))
    stored = store.document(result.document_id)
    assert stored is not None and stored.skip_reason == "not English (fr)" and stored.events == []


# --- filters --------------------------------------------------------------------------------------------


def test_no_filter_orders_by_date_with_undated_last(filled: tuple[SqlStore, int, int]) -> None:
    store, _, _ = filled
    assert _events(store) == [TAKEOVER_2019, SHELLING, CLINICS, CLASH, STRIKE, UNDATED]


def test_date_range(filled: tuple[SqlStore, int, int]) -> None:
    store, _, _ = filled
    assert _events(store, date_from=date(2024, 11, 28)) == [STRIKE]
    assert _events(store, date_to=date(2024, 8, 27)) == [TAKEOVER_2019, SHELLING, CLINICS]
    assert _events(store, date_from=date(2024, 11, 27), date_to=date(2024, 11, 29)) == [CLASH, STRIKE]
    assert _events(store, date_from=date(2025, 1, 1)) == []


def test_country_is_case_insensitive(filled: tuple[SqlStore, int, int]) -> None:
    store, _, _ = filled
    assert _events(store, country="sd") == _events(store, country="SD") == [SHELLING, CLINICS]
    assert len(_events(store, country="Sy")) == 4


def test_admin1_is_case_insensitive(filled: tuple[SqlStore, int, int]) -> None:
    store, _, _ = filled
    assert _events(store, admin1="idlib") == [TAKEOVER_2019, STRIKE]
    assert _events(store, admin1="Northern Darfur", country="SD") == [SHELLING, CLINICS]


def test_actor_substring_in_any_actor_column(filled: tuple[SqlStore, int, int]) -> None:
    store, _, _ = filled
    assert _events(store, actor="russia") == [STRIKE]
    # actor1 of one event, actor2 of another, an associated actor of a third
    assert _events(store, actor="Military Forces of Syria") == [TAKEOVER_2019, CLASH, STRIKE]
    assert _events(store, actor="HTS") == [CLASH, UNDATED]
    assert _events(store, actor="civilians") == [SHELLING]


def test_event_type_or_sub_event_type(filled: tuple[SqlStore, int, int]) -> None:
    store, _, _ = filled
    assert _events(store, event_type="battles") == [TAKEOVER_2019, CLASH]
    assert _events(store, event_type="Air/drone strike") == [STRIKE]
    assert _events(store, event_type="explosions/remote violence") == [SHELLING, CLINICS, STRIKE]
    assert _events(store, event_type="Air") == []  # whole names, not substrings


def test_text_in_evidence(filled: tuple[SqlStore, int, int]) -> None:
    store, _, _ = filled
    assert _events(store, text="WARPLANES") == [STRIKE]
    assert _events(store, text="camp's clinics") == [CLINICS]


def test_near_within_km(filled: tuple[SqlStore, int, int]) -> None:
    store, _, _ = filled
    aleppo = (36.20, 37.16)
    # the fixtures' distances from Aleppo, so the radii below are far from any boundary
    assert haversine_km(*aleppo, STRIKE.latitude, STRIKE.longitude) == pytest.approx(57, abs=3)
    assert haversine_km(*aleppo, TAKEOVER_2019.latitude, TAKEOVER_2019.longitude) == pytest.approx(
        74, abs=3)
    assert _events(store, near=aleppo, within_km=20) == [CLASH]
    assert _events(store, near=aleppo, within_km=65) == [CLASH, STRIKE]
    assert _events(store, near=aleppo, within_km=100) == [TAKEOVER_2019, CLASH, STRIKE]
    assert _events(store, near=aleppo, within_km=100, limit=1, offset=1) == [CLASH]
    assert _events(store, near=(13.63, 25.35), within_km=10) == [SHELLING, CLINICS]
    assert _events(store, near=(0.0, 0.0), within_km=500) == []


def test_document_id(filled: tuple[SqlStore, int, int]) -> None:
    store, syria_id, sudan_id = filled
    assert _events(store, document_id=sudan_id) == [SHELLING, CLINICS]
    assert len(_events(store, document_id=syria_id)) == 4
    assert _events(store, document_id=12345) == []


def test_limit_and_offset(filled: tuple[SqlStore, int, int]) -> None:
    store, _, _ = filled
    everything = _events(store)
    assert _events(store, limit=2) == everything[:2]
    assert _events(store, limit=2, offset=2) == everything[2:4]
    assert _events(store, offset=5) == everything[5:]
    assert _events(store, limit=0) == []


def test_include_background(filled: tuple[SqlStore, int, int]) -> None:
    store, _, _ = filled
    assert TAKEOVER_2019 in _events(store, include_background=True)
    without = _events(store, include_background=False)
    assert TAKEOVER_2019 not in without and len(without) == 5


def test_filters_combine_with_and(filled: tuple[SqlStore, int, int]) -> None:
    store, _, _ = filled
    assert _events(store, country="SY", actor="syria", include_background=False,
                   date_from=date(2024, 11, 1)) == [CLASH, STRIKE]
    assert _events(store, country="SD", event_type="Battles") == []


def test_stored_events_carry_their_source(filled: tuple[SqlStore, int, int]) -> None:
    store, syria_id, _ = filled
    (stored,) = store.events(EventQuery(text="warplanes"))
    assert isinstance(stored, StoredEvent)
    assert (stored.document_id, stored.source, stored.url, stored.title, stored.published) == (
        syria_id, "Test Wire", "https://example.org/syria", "Rebels advance", date(2024, 11, 30))


# --- removal, migrations, hostile values --------------------------------------------------------------------


def _row_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "events", "places", "quotes", "figures")}


def test_remove_document_removes_its_rows(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    store = open_store(str(db))
    syria_id = store.save(syria_analysis()).document_id
    store.save(sudan_analysis())
    assert _row_counts(db) == {"documents": 2, "events": 6, "places": 1, "quotes": 1, "figures": 1}
    assert store.remove_document(syria_id)
    assert _row_counts(db) == {"documents": 1, "events": 2, "places": 0, "quotes": 0, "figures": 1}
    assert store.document(syria_id) is None
    assert not store.remove_document(syria_id)
    # the text can be stored again once removed
    assert store.save(syria_analysis()).created
    store.close()


def test_migrations_are_recorded_and_reopening_is_a_no_op(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    store = open_store(str(db))
    store.save(sudan_analysis())
    store.close()
    with sqlite3.connect(db) as conn:
        versions = conn.execute("SELECT version, applied_at FROM schema_version").fetchall()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert [v for v, _ in versions] == [1, 2, 3]  # 2 (the PostGIS index) is a no-op on SQLite
    assert {"documents", "events", "places", "quotes", "figures", "schema_version"} <= tables
    reopened = open_store(str(db))
    reopened.migrate()
    assert _events(reopened) == [SHELLING, CLINICS]
    reopened.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version, applied_at FROM schema_version").fetchall() == versions


HOSTILE = ["%", "_", "'", "\\", "O'Brien", '"; DROP TABLE events; --', "'; DROP TABLE events; --",
           "Aleppo' OR '1'='1", "%' OR 1=1 --"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filter_values_are_plain_values(tmp_path: Path, value: str) -> None:
    db = tmp_path / "events.db"
    store = open_store(str(db))
    store.save(syria_analysis())
    store.save(sudan_analysis())
    for field in ("country", "admin1", "actor", "event_type", "text"):
        found = _events(store, **{field: value})
        # only the one evidence sentence that really contains a literal "%" or "'" may match
        for event in found:
            assert field == "text" and value in event.evidence, (field, value, event)
    assert _row_counts(db)["events"] == 6
    store.close()


def test_like_wildcards_are_literal(filled: tuple[SqlStore, int, int]) -> None:
    store, _, _ = filled
    assert _events(store, text="100%") == [CLINICS]
    assert _events(store, text="%") == [CLINICS]
    assert _events(store, text="'") == [TAKEOVER_2019, CLINICS]
    assert _events(store, actor="_") == []
    assert _events(store, text="Aleppo%November") == []
