"""`near` queries give the same answer on every backend, edges of the globe included.

Each backend is checked against one truth computed here in Python with `haversine_km` over every
stored event: SQLite, PostgreSQL with its PostGIS index, and PostgreSQL without PostGIS (plain
indexes). Events crowd the antimeridian and both poles, sit on the poles and on longitude ±180,
and some sit exactly on the radius, where one rounding step decides.
"""

from __future__ import annotations

import logging
import math
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from conftest import POSTGRES_URL, empty_postgres
from frontlines.gazetteer import haversine_km
from frontlines.models import Analysis, Document, EventRecord
from frontlines.store import EventQuery, SqlStore, open_store
from frontlines.store.sql import _conditions, great_circle_km
from frontlines.store.sql import events as events_table

Point = tuple[float | None, float | None]

# Clusters around the places where a flat latitude/longitude box goes wrong, and one mid-latitude.
CLUSTERS = [(65.0, 179.95), (-16.8, -179.99), (89.95, 10.0), (-89.9, -120.0), (36.2, 37.16)]
# On the poles and the antimeridian exactly, off the globe, and without coordinates.
SPECIAL: list[Point] = [(90.0, 0.0), (90.0, 135.0), (-90.0, 180.0), (0.0, 180.0), (0.0, -180.0),
                        (10.0, 180.0), (95.0, 10.0), (0.0, 200.0), (None, None), (12.0, None)]
QUERIES = [
    ((65.0, 179.95), 50.0), ((65.0, -179.99), 120.0), ((-16.8, 179.9), 300.0),
    ((89.95, 10.0), 40.0), ((90.0, 0.0), 100.0), ((89.0, -170.0), 150.0),
    ((-90.0, 180.0), 200.0), ((-89.9, 60.0), 30.0), ((36.2, 37.16), 150.0),
    ((0.0, 180.0), 500.0), ((0.0, -180.0), 0.0), ((10.0, 180.0), 0.0),
    ((89.0, 10.0), 800.0), ((0.0, -160.0), 100.0),  # the haversine alone would take (95, 10), (0, 200)
    ((0.0, 0.0), math.pi * 6371.0),  # half the globe's circumference: every event on it
]


def _points(seed: int = 7) -> list[Point]:
    rng = random.Random(seed)
    # uniform over the sphere, then the clusters (longitude wrapped, latitude clipped); those at a
    # pole spread over every longitude
    points: list[Point] = [(math.degrees(math.asin(rng.uniform(-1, 1))), rng.uniform(-180, 180))
                           for _ in range(300)]
    for lat, lon in CLUSTERS:
        spread = 180 if abs(lat) > 80 else 3
        for _ in range(40):
            points.append((max(-90.0, min(90.0, lat + rng.uniform(-1.5, 1.5))),
                           (lon + rng.uniform(-spread, spread) + 180) % 360 - 180))
    return points + SPECIAL


def _analysis(points: list[Point], name: str) -> Analysis:
    """One document with an event at each point; event i is dated unless i is a multiple of 9."""
    text_parts, records = [], []
    offset = 0
    for i, (lat, lon) in enumerate(points):
        sentence = f"Event {i}. "
        text_parts.append(sentence)
        day = None if i % 9 == 0 else date(2024, 1, 1) + timedelta(days=i % 50)
        records.append(EventRecord(
            event_type="Battles" if i % 2 else "Protests", sub_event_type="Armed clash",
            actor1=f"Actor {i % 7}", evidence=sentence.strip(), start=offset,
            end=offset + len(sentence) - 1, event_date=day,
            date_precision="day" if day else "unknown", location=f"Place {i}", latitude=lat,
            longitude=lon))
        offset += len(sentence)
    return Analysis(document=Document(id=name, text="".join(text_parts), title=name), events=records)


def _on_globe(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180


def _truth(records: list[EventRecord], center: tuple[float, float], km: float) -> list[str]:
    """The evidence of every event within `km`, in the store's order (dated first, then by date)."""
    kept = [(r.event_date is None, r.event_date or date.min, i, r.evidence)
            for i, r in enumerate(records) if _on_globe(r.latitude, r.longitude)
            and haversine_km(*center, r.latitude, r.longitude) <= km]  # type: ignore[arg-type]
    return [evidence for *_, evidence in sorted(kept)]


@pytest.fixture()
def crowded(store_url: str) -> tuple[SqlStore, list[EventRecord]]:
    store = open_store(store_url)
    analysis = _analysis(_points(), "crowded")
    store.save(analysis)
    yield store, analysis.events
    store.close()


@pytest.mark.parametrize(("center", "km"), QUERIES)
def test_near_keeps_exactly_the_events_within_the_radius(
        crowded: tuple[SqlStore, list[EventRecord]], center: tuple[float, float], km: float) -> None:
    store, records = crowded
    truth = _truth(records, center, km)
    query = EventQuery(near=center, within_km=km)
    assert [s.event.evidence for s in store.events(query)] == truth
    assert store.count_events(query) == len(truth)
    page = EventQuery(near=center, within_km=km, limit=5, offset=3)
    assert [s.event.evidence for s in store.events(page)] == truth[3:8]
    # the aggregates honour the same radius
    kept = set(truth)
    within = [r for r in records if r.evidence in kept]
    assert sum(d.count for d in store.daily_counts(query)) == sum(r.event_date is not None for r in within)
    assert sorted(p.location for p in store.places(query)) == sorted(r.location for r in within)
    assert {a.name: a.count for a in store.actors(query)} == Counter(r.actor1 for r in within)


def test_the_edges_of_the_globe_are_really_exercised() -> None:
    # Guards the test above: its circles do cross the antimeridian and hold the poles.
    records = _analysis(_points(), "crowded").events
    by_evidence = {r.evidence: r for r in records}
    across = [by_evidence[e].longitude for e in _truth(records, (65.0, 179.95), 50.0)]
    assert min(across) < -179 and max(across) > 179  # type: ignore[operator]
    around_pole = [by_evidence[e].longitude for e in _truth(records, (89.95, 10.0), 40.0)]
    assert len(around_pole) > 5 and max(around_pole) - min(around_pole) > 180  # type: ignore[operator]
    for off_globe, center, km in [((95.0, 10.0), (89.0, 10.0), 800.0), ((0.0, 200.0), (0.0, -160.0), 100.0)]:
        assert haversine_km(*center, *off_globe) <= km
        (index,) = [i for i, r in enumerate(records) if (r.latitude, r.longitude) == off_globe]
        assert f"Event {index}." not in _truth(records, center, km)  # off the globe: near nothing


# Pairs whose distance the store must measure to the last bit: along a meridian, across the
# antimeridian, over a pole, and an ordinary one.
EDGE_PAIRS = [((36.2, 37.16), (36.9, 37.16)), ((65.0, 179.95), (65.1, -179.7)),
              ((89.9, 0.0), (89.8, 180.0)), ((-16.8, -179.99), (-17.3, 179.2)),
              ((13.63, 25.35), (13.4, 25.9))]


@pytest.mark.parametrize(("center", "point"), EDGE_PAIRS)
def test_a_point_exactly_on_the_radius_is_inside_and_one_bit_less_leaves_it_out(
        store_url: str, center: tuple[float, float], point: tuple[float, float]) -> None:
    store = open_store(store_url)
    store.save(_analysis([point], "edge"))
    distance = haversine_km(*center, *point)
    assert store.count_events(EventQuery(near=center, within_km=distance)) == 1
    assert store.count_events(EventQuery(near=center, within_km=math.nextafter(distance, 0))) == 0
    store.close()


def test_the_sql_distance_is_haversine_to_the_bit(crowded: tuple[SqlStore, list[EventRecord]]) -> None:
    store, _ = crowded
    c = events_table.c
    for lat, lon in [*CLUSTERS, (0.0, 180.0), (-90.0, 0.0)]:
        stmt = select(c.latitude, c.longitude, great_circle_km(lat, lon, c.latitude, c.longitude))
        with store.engine.connect() as conn:
            rows = conn.execute(stmt.where(c.latitude.is_not(None), c.longitude.is_not(None))).all()
        assert [km for _, _, km in rows] == [haversine_km(lat, lon, a, b) for a, b, _ in rows]


@pytest.mark.parametrize(("near", "km", "message"), [
    ((91.0, 0.0), 10.0, "off the globe"), ((0.0, -180.5), 10.0, "off the globe"),
    ((0.0, 0.0), -1.0, "0 km or more"), ((0.0, 0.0), math.nan, "0 km or more")])
def test_an_impossible_near_is_a_clear_error(store_url: str, near: tuple[float, float], km: float,
                                             message: str) -> None:
    store = open_store(store_url)
    with pytest.raises(ValueError, match=message):
        store.events(EventQuery(near=near, within_km=km))
    store.close()


# --- PostgreSQL: the PostGIS index, and the store without it --------------------------------------------


def _postgis_store() -> SqlStore:
    if not POSTGRES_URL:
        pytest.skip("FRONTLINES_TEST_PG is not set: no PostgreSQL server (scripts/test.sh starts one)")
    store = open_store(empty_postgres(POSTGRES_URL))
    if not store.geography:
        store.close()
        pytest.skip("PostGIS is not installed in the test database (scripts/postgres.sh installs it)")
    return store


def test_postgis_point_follows_latitude_and_longitude_and_near_uses_its_index() -> None:
    store = _postgis_store()
    store.save(_analysis([(36.2, 37.16), (95.0, 0.0), (None, None)], "points"))
    point = text("SELECT ST_Y(point::geometry), ST_X(point::geometry) FROM events ORDER BY id")
    with store.engine.begin() as conn:
        assert conn.execute(point).all() == [(36.2, 37.16), (None, None), (None, None)]
        conn.execute(text("UPDATE events SET latitude = 13.63, longitude = 25.35 WHERE latitude = 36.2"))
        assert conn.execute(point).first() == (13.63, 25.35)
        conn.execute(text("SET LOCAL enable_seqscan = off"))  # three rows: force the plan a big store gets
        sql = str(select(events_table.c.id).where(*_conditions(EventQuery(near=(13.6, 25.3)), True))
                  .compile(store.engine, compile_kwargs={"literal_binds": True}))
        plan = "\n".join(conn.scalars(text(f"EXPLAIN {sql}")))
    assert "events_geography" in plan, plan
    store.close()


def test_without_postgis_the_store_logs_once_and_upgrades_when_it_appears(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    _postgis_store().close()  # skips unless the database really has PostGIS
    from frontlines.store import sql

    monkeypatch.setattr(sql, "_postgis_installed", lambda _conn: False)
    sql._log_without_postgis.cache_clear()  # other tests opened this database without PostGIS too
    assert POSTGRES_URL
    records = _analysis(_points(), "crowded")
    with caplog.at_level(logging.WARNING, logger="frontlines.store.sql"):
        plain = open_store(empty_postgres(POSTGRES_URL))
        plain.save(records)
        answers = [[s.id for s in plain.events(EventQuery(near=c, within_km=km))] for c, km in QUERIES]
        open_store(POSTGRES_URL).close()  # opened again, by the web server say: no second line
    assert not plain.geography
    assert sum("PostGIS is not installed" in r.getMessage() for r in caplog.records) == 1
    plain.close()
    monkeypatch.undo()  # as if a superuser had now run CREATE EXTENSION postgis
    upgraded = open_store(POSTGRES_URL)
    assert upgraded.geography
    assert [[s.id for s in upgraded.events(EventQuery(near=c, within_km=km))]
            for c, km in QUERIES] == answers
    upgraded.close()
