"""The store's aggregates for the web page: counts per day and type, distinct places, actors.

Each one honours every `EventQuery` filter (the `near` radius included) and ignores paging, and
hostile filter values are bound parameters, so they match nothing instead of changing the SQL.
"""

from __future__ import annotations

from datetime import date

import pytest

from frontlines.models import Analysis, Document, EventRecord
from frontlines.store import ActorCount, DailyCount, EventQuery, PlaceCount, SqlStore, open_store

TEXT = "One. Two. Three. Four. Five."


def _event(n: int, **fields: object) -> EventRecord:
    return EventRecord(evidence=f"Sentence {n}.", start=n, end=n + 1, **fields)  # type: ignore[arg-type]


ALEPPO = dict(location="Aleppo", admin1="Aleppo", country="SY", latitude=36.2012, longitude=37.1612)
IDLIB = dict(location="Idlib", admin1="Idlib", country="SY", latitude=35.9306, longitude=36.6339)
FASHER = dict(location="El Fasher", admin1="Northern Darfur", country="SD", latitude=13.6279,
              longitude=25.3494)

EVENTS = [
    _event(0, event_type="Battles", sub_event_type="Armed clash", actor1="HTS",
           actor2="Military Forces of Syria", event_date=date(2024, 11, 27), **ALEPPO),
    _event(1, event_type="Battles", sub_event_type="Armed clash", actor1="HTS",
           assoc_actor_1="SNA; Jaish al-Izza", event_date=date(2024, 11, 27), **ALEPPO),
    _event(2, event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
           actor1="Military Forces of Russia", assoc_actor_1="Military Forces of Syria",
           event_date=date(2024, 11, 27), **IDLIB),
    _event(3, event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
           actor1="Military Forces of Russia", event_date=date(2024, 11, 29), background=True,
           **IDLIB),
    _event(4, event_type="Explosions/Remote violence",
           sub_event_type="Shelling/artillery/missile attack", actor1="RSF",
           actor2="Civilians (Sudan)", event_date=date(2024, 8, 27), fatalities=4, **FASHER),
    # undated: counted among places and actors, never on a day
    _event(5, event_type="Strategic developments", sub_event_type="Other", actor1="RSF", **FASHER),
]


@pytest.fixture()
def store(store_url: str) -> SqlStore:
    # `store_url` (conftest.py) is a fresh SQLite file, then an empty PostgreSQL database
    s = open_store(store_url)
    doc = Document(id="agg", text=TEXT, title="Aggregates", published=date(2024, 12, 1), language="en")
    s.save(Analysis(document=doc, events=EVENTS))
    yield s
    s.close()


def test_daily_counts_group_by_day_and_type_and_leave_out_undated(store: SqlStore) -> None:
    assert store.daily_counts(EventQuery()) == [
        DailyCount(date(2024, 8, 27), "Explosions/Remote violence", 1),
        DailyCount(date(2024, 11, 27), "Battles", 2),
        DailyCount(date(2024, 11, 27), "Explosions/Remote violence", 1),
        DailyCount(date(2024, 11, 29), "Explosions/Remote violence", 1),
    ]


def test_an_event_known_only_to_its_month_is_on_no_day(store: SqlStore) -> None:
    before = store.daily_counts(EventQuery())
    doc = Document(id="month", text="Month sentence.", language="en")
    store.save(Analysis(document=doc, events=[_event(
        8, event_type="Battles", sub_event_type="Armed clash", actor1="HTS", event_date=date(2024, 11, 1),
        date_precision="month", **ALEPPO)]))
    assert store.daily_counts(EventQuery()) == before


def test_daily_counts_honour_filters_and_ignore_paging(store: SqlStore) -> None:
    assert store.daily_counts(EventQuery(country="sd")) == [
        DailyCount(date(2024, 8, 27), "Explosions/Remote violence", 1)]
    assert store.daily_counts(EventQuery(event_type="air/drone strike", include_background=False)) == [
        DailyCount(date(2024, 11, 27), "Explosions/Remote violence", 1)]
    assert store.daily_counts(EventQuery(date_from=date(2024, 11, 28))) == [
        DailyCount(date(2024, 11, 29), "Explosions/Remote violence", 1)]
    assert store.daily_counts(EventQuery(actor="russia", limit=1, offset=5)) == [
        DailyCount(date(2024, 11, 27), "Explosions/Remote violence", 1),
        DailyCount(date(2024, 11, 29), "Explosions/Remote violence", 1)]
    assert store.daily_counts(EventQuery(text="sentence 4")) == [
        DailyCount(date(2024, 8, 27), "Explosions/Remote violence", 1)]


def test_daily_counts_near_use_the_exact_radius(store: SqlStore) -> None:
    # Idlib is about 50 km from Aleppo: a 30 km radius around Aleppo keeps Aleppo's two events only
    near_aleppo = EventQuery(near=(36.2012, 37.1612), within_km=30)
    assert store.daily_counts(near_aleppo) == [DailyCount(date(2024, 11, 27), "Battles", 2)]
    wide = EventQuery(near=(36.2012, 37.1612), within_km=80)
    assert sum(d.count for d in store.daily_counts(wide)) == 4


def test_places_are_distinct_with_counts_most_first(store: SqlStore) -> None:
    assert store.places(EventQuery()) == [
        PlaceCount("Aleppo", "Aleppo", "SY", 36.2012, 37.1612, 2),
        PlaceCount("El Fasher", "Northern Darfur", "SD", 13.6279, 25.3494, 2),
        PlaceCount("Idlib", "Idlib", "SY", 35.9306, 36.6339, 2),
    ]
    assert store.places(EventQuery(admin1="idlib", include_background=False)) == [
        PlaceCount("Idlib", "Idlib", "SY", 35.9306, 36.6339, 1)]
    assert [p.location for p in store.places(EventQuery(near=(36.2, 37.16), within_km=30))] == ["Aleppo"]
    assert store.places(EventQuery(date_from=date(2030, 1, 1))) == []


def test_one_place_rounded_two_ways_is_one_row(store: SqlStore) -> None:
    rounded = dict(ALEPPO, latitude=36.20124, longitude=37.16117)
    doc = Document(id="other", text="Other sentence.", language="en")
    store.save(Analysis(document=doc, events=[_event(9, event_type="Battles", actor1="HTS",
                                                     sub_event_type="Armed clash", **rounded)]))
    (aleppo,) = [p for p in store.places(EventQuery()) if p.location == "Aleppo"]
    assert (aleppo.latitude, aleppo.longitude, aleppo.count) == (36.2012, 37.1612, 3)


def test_actors_count_each_event_once_across_roles_and_split_associates(store: SqlStore) -> None:
    assert store.actors(EventQuery()) == [
        ActorCount("HTS", 2), ActorCount("Military Forces of Russia", 2),
        ActorCount("Military Forces of Syria", 2), ActorCount("RSF", 2),
        ActorCount("Civilians (Sudan)", 1), ActorCount("Jaish al-Izza", 1), ActorCount("SNA", 1),
    ]


def test_actors_honour_filters(store: SqlStore) -> None:
    assert store.actors(EventQuery(country="SD")) == [ActorCount("RSF", 2), ActorCount("Civilians (Sudan)", 1)]
    # the actor filter selects events; the other actors of those events are listed too
    assert store.actors(EventQuery(actor="sna")) == [
        ActorCount("HTS", 1), ActorCount("Jaish al-Izza", 1), ActorCount("SNA", 1)]
    assert store.actors(EventQuery(near=(13.63, 25.35), within_km=5, date_from=date(2024, 1, 1))) == [
        ActorCount("Civilians (Sudan)", 1), ActorCount("RSF", 1)]


@pytest.mark.parametrize("hostile", [
    "'; DROP TABLE events; --", "\" OR 1=1 --", "%", "_", "\\", "SY' OR '1'='1",
])
def test_hostile_filter_values_match_nothing_and_change_nothing(store: SqlStore, hostile: str) -> None:
    for field in ("country", "admin1", "actor", "event_type", "text"):
        query = EventQuery(**{field: hostile})  # type: ignore[arg-type]
        assert store.daily_counts(query) == []
        assert store.places(query) == []
        assert store.actors(query) == []
    assert store.count_events(EventQuery()) == len(EVENTS)


def test_pages_match_the_unpaged_order_even_past_one_in_list(store_url: str) -> None:
    # `events` sorts ids first and reads each page's rows by id in chunks; pages of any size must
    # be exact slices of the unpaged answer, `near` ones included.
    store = open_store(store_url)
    many = [_event(i % 5, event_type="Battles", sub_event_type="Armed clash", actor1=f"A{i % 7}",
                   event_date=None if i % 11 == 0 else date(2024, 1 + i % 12, 1 + i % 28),
                   location="Aleppo", country="SY", latitude=36.2 + (i % 50) / 100,
                   longitude=37.16, admin1="Aleppo") for i in range(2100)]
    store.save(Analysis(document=Document(id="many", text=TEXT, language="en"), events=many))
    try:
        for base in (EventQuery(), EventQuery(near=(36.2, 37.16), within_km=30)):
            unpaged = [e.id for e in store.events(base)]
            assert len(unpaged) == store.count_events(base) > 1000
            for limit, offset in ((1000, 0), (1000, 1000), (1500, 700), (7, 2095), (3000, 0)):
                paged = store.events(EventQuery(near=base.near, within_km=base.within_km,
                                                limit=limit, offset=offset))
                assert [e.id for e in paged] == unpaged[offset:offset + limit]
            dates = [e.event.event_date for e in store.events(base)]
            dated = [d for d in dates if d is not None]
            assert dated == sorted(dated) and dates[len(dated):] == [None] * (len(dates) - len(dated))
    finally:
        store.close()
