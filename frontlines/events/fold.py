"""ACLED's one-event rules across a document: the same type, place and day is one event; a
takeover absorbs its fighting; restatements and vaguer retellings fold into the events they echo."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from frontlines.events.candidates import OVERTAKE, REGAIN, TRANSFER
from frontlines.gazetteer import haversine_km
from frontlines.models import EventRecord, Place

# A district is taken to hold a town named with it when they lie this close.
DISTRICT_KM = 75.0
# An undated restatement is the dated event it echoes when their days are this close.
RESTATEMENT_DAYS = 7


def without_containers(records: list[EventRecord], places: Sequence[Place]) -> list[EventRecord]:
    """Within one sentence, an event of a type at a town is not also an event at its district or
    region ("fought in and around Bahir Dar, ... near the Amhara regional capital")."""
    districts = {p.name for p in places if p.resolved and p.kind in {"district", "county"}}

    def container(event: EventRecord) -> bool:
        return event.geo_precision == 3 or event.location in districts

    def holds(outer: EventRecord, inner: EventRecord) -> bool:
        if not container(outer) or container(inner) or outer.sub_event_type != inner.sub_event_type:
            return False
        if outer.geo_precision == 3:
            return bool(outer.admin1) and outer.admin1 == inner.admin1
        return haversine_km(outer.latitude, outer.longitude, inner.latitude, inner.longitude) <= DISTRICT_KM

    return [e for e in records if not any(holds(e, other) for other in records if other is not e)]


def fold(events: list[EventRecord]) -> list[EventRecord]:
    """Apply ACLED's one-event rules within a document.

    The same type, place and day is one event. A takeover absorbs fighting and a no-fight transfer
    at the same place and day (the final acquisition is the territory event).
    """
    territory = {(e.location, e.event_date) for e in events if e.sub_event_type in {OVERTAKE, REGAIN}}
    territory |= {(e.location, e.start) for e in events if e.sub_event_type in {OVERTAKE, REGAIN}}
    kept: dict[tuple, EventRecord] = {}
    for event in events:
        same_day = (event.location, event.event_date) in territory
        same_sentence = (event.location, event.start) in territory
        if (same_day or same_sentence) and event.sub_event_type in {"Armed clash", TRANSFER}:
            continue
        key = (event.sub_event_type, event.location, event.latitude, event.longitude, event.event_date)
        if key in kept:
            first = kept[key]
            if (event.date_stated, event.place_stated) > (first.date_stated, first.place_stated):
                # The sentence that states the date, or the place, is the better evidence for the event.
                kept[key], first, event = event, event, first
            if event.fatalities and (first.fatalities or 0) < event.fatalities:
                first.fatalities = event.fatalities
            first.confidence = max(first.confidence, event.confidence)
            continue
        kept[key] = event
    return list(kept.values())


def drop_restatements(events: list[EventRecord]) -> list[EventRecord]:
    """Leave out events that restate, with no date of their own, an event dated elsewhere.

    A lead sums up what later paragraphs tell with dates ("regaining control over large parts of
    Aleppo" before "the capture of Aleppo city ... by November 29"), and analysis goes back over it
    ("the opposition succeeded in recapturing towns in the rural areas of Aleppo"). Such a sentence
    borrows a date from afar; where the article dates an event of the same type at the same place
    (same name, same precision: a province's countryside is not its capital) within
    RESTATEMENT_DAYS of that borrowed date, it is that event told again. An event told twice
    without its date is one event too.
    """
    def place_of(event: EventRecord) -> tuple:
        return event.event_type, event.location, event.geo_precision

    dated: dict[tuple, list[EventRecord]] = defaultdict(list)
    for event in events:
        if event.date_stated and event.event_date is not None:
            dated[place_of(event)].append(event)
    kept = []
    for event in events:
        if not event.date_stated or event.event_date is None:
            told = dated[place_of(event)]
            if any(_restates(event, other) for other in told):
                continue
            told.append(event)
        kept.append(event)
    return kept


def drop_unplaced_restatements(events: list[EventRecord]) -> list[EventRecord]:
    """Leave out events coded at a fallback place when the article places an event of their type.

    A lead or an analyst's sentence retells in vaguer words ("seized control of 21 villages",
    "the city is now in the hands of the rebels") what the article tells with a place; a report
    that names no place for an event anywhere (a wire flash, a post) keeps it at its country.
    """
    placed = {e.event_type for e in events if e.place_stated}
    return [e for e in events if e.place_stated or e.event_type not in placed]


def _restates(event: EventRecord, dated: EventRecord) -> bool:
    if event.event_date is None or dated.event_date is None:
        return False
    first, last = event.date_window or (event.event_date, event.event_date)
    slack = timedelta(days=RESTATEMENT_DAYS)
    return first - slack <= dated.event_date <= last + slack
