"""Reports of one event from many outlets merge into one event, explainably and reversibly."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from frontlines.dedup import duplicate_share, merge_reports
from frontlines.models import Analysis, Document, EventRecord
from frontlines.store import EventQuery, StoredEvent, open_store

BASE = EventRecord(
    event_type="Battles", sub_event_type="Non-state actor overtakes territory",
    actor1="Syrian opposition (HTS-led)", actor2="Military Forces of Syria",
    evidence="Rebels captured Saraqib on Friday.", start=0, end=34,
    event_date=date(2024, 11, 29), date_precision="day", location="Saraqib", country="SY",
    latitude=35.8645, longitude=36.8059, geo_precision=1, confidence=0.85)


def _stored(i: int, document: int, event: EventRecord, source: str, published: date) -> StoredEvent:
    return StoredEvent(id=i, document_id=document, event=event, source=source, published=published)


def test_same_event_from_three_outlets_is_one_event_with_three_sources():
    reports = [
        _stored(1, 1, BASE, "Wire A", date(2024, 11, 30)),
        _stored(2, 2, replace(BASE, evidence="Saraqib fell to the opposition.", latitude=35.87), "Wire B",
                date(2024, 12, 1)),
        # dated only to the month by a later analysis piece: still compatible
        _stored(3, 3, replace(BASE, date_precision="month", event_date=date(2024, 11, 1), fatalities=15),
                "Weekly C", date(2024, 12, 6)),
    ]
    (merged,) = merge_reports(reports)
    assert merged.source_count == 3 and len(merged.evidence) == 2
    assert merged.event.date_precision == "day"  # the most precise report speaks for the event
    assert (merged.first_reported, merged.last_reported) == (date(2024, 11, 30), date(2024, 12, 6))
    assert merged.fatalities == 15
    assert duplicate_share([merged]) == 2 / 3


def test_reports_that_disagree_stay_apart():
    other_day = replace(BASE, event_date=date(2024, 12, 2))
    far_away = replace(BASE, location="Hama", latitude=35.13, longitude=36.76)
    other_type = replace(BASE, event_type="Explosions/Remote violence", sub_event_type="Air/drone strike")
    other_actors = replace(BASE, actor1="Syrian National Army (SNA)", actor2="Syrian Democratic Forces (SDF)")
    reports = [_stored(1, 1, BASE, "A", date(2024, 11, 30))] + [
        _stored(i, i, e, "B", date(2024, 12, 3))
        for i, e in enumerate([other_day, far_away, other_type, other_actors], start=2)]
    assert len(merge_reports(reports)) == 5


def test_a_suicide_bombing_and_air_strikes_in_one_city_on_one_day_stay_two_events():
    bombing = replace(BASE, event_type="Explosions/Remote violence", sub_event_type="Suicide bomb",
                      location="Aleppo", latitude=36.2012, longitude=37.1612,
                      evidence="Two suicide car bombs struck army checkpoints in Aleppo.")
    strikes = replace(bombing, sub_event_type="Air/drone strike", actor1="Military Forces of Russia",
                      evidence="Aircraft carried out more than 50 air strikes on western Aleppo.")
    reports = [_stored(1, 1, bombing, "A", date(2024, 11, 30)), _stored(2, 2, strikes, "B", date(2024, 12, 2))]
    assert len(merge_reports(reports)) == 2


def test_two_events_of_one_document_are_not_merged_with_each_other():
    reports = [_stored(1, 1, BASE, "A", date(2024, 11, 30)), _stored(2, 1, BASE, "A", date(2024, 11, 30))]
    assert len(merge_reports(reports)) == 2


def test_removing_a_document_undoes_its_merge(tmp_path: Path):
    store = open_store(str(tmp_path / "m.db"))
    for n, text in enumerate(["Rebels captured Saraqib on Friday.", "Saraqib fell to the opposition."]):
        document = Document(id=f"d{n}", text=text, published=date(2024, 11, 30), source=f"Wire {n}")
        store.save(Analysis(document=document, events=[replace(BASE, evidence=text)]))
    (merged,) = merge_reports(store.events(EventQuery()))
    assert merged.source_count == 2
    store.remove_document(merged.reports[1].document_id)
    (alone,) = merge_reports(store.events(EventQuery()))
    assert alone.source_count == 1
    store.close()
