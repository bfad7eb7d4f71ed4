"""Control changes from coded territory events, and everything a store holds about control.

The events stage codes the territory events (events.py); this module only reads them:
- "Non-state actor overtakes territory" and "Government regains territory": actor1 takes the place;
- "Non-violent transfer of territory": actor1 is the receiving side. When no taker is named the
  events stage puts the side that withdrew in actor1 (and leaves actor2 empty); such a record says
  who left, not who holds the place, and gives no change;
- "Agreement": a change only when the sentence hands the place over ("hand over", "handover",
  "handed ... to") and names who receives it ("to X"); other agreements (leases, ceasefires,
  de-escalation zones) change no hands here.
An event with no date or no holder gives no change: it cannot be placed in time or on a side.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date, timedelta

from frontlines.acled import SubEventType
from frontlines.control.model import ChangeKind, ControlChange, Level, PlaceKey, holder_side
from frontlines.models import DatePrecision, EventRecord
from frontlines.store.base import EventQuery, Store, StoredEvent

TERRITORY_KINDS: dict[str, ChangeKind] = {
    SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY: "takeover",
    SubEventType.GOVERNMENT_REGAINS_TERRITORY: "regain",
    SubEventType.NON_VIOLENT_TRANSFER_OF_TERRITORY: "transfer",
    SubEventType.AGREEMENT: "agreement",
}
HANDOVER = re.compile(r"\b(?:hand(?:s|ed|ing)?[\s-]+over|handover|handed\b[^.;]{0,80}?\bto\b)", re.I)
RECIPIENT = re.compile(r"\bto\s+(?:the\s+)?([^,.;:()]{2,80})")
WITHDRAWAL = re.compile(r"\b(?:withdr[ae]w\w*|retreat\w*|pull(?:ed|s|ing)? (?:out|back)|evacuat\w*|abandon\w*|redeploy\w*)\b", re.I)


def date_window(day: date, precision: DatePrecision, window: tuple[date, date] | None,
                published: date | None) -> tuple[date, date]:
    """The inclusive range of days a date allows, capped at the publication day.

    A stored window is used as it is ("late 2019" is September to December); without one the
    precision gives it. A report cannot tell of a change after the day it was published, so the
    window ends on that day at the latest.
    """
    if window is not None:
        start, end = window
    elif precision == "week":
        start, end = day, day + timedelta(days=6)
    elif precision == "month":
        start, end = day, day.replace(day=calendar.monthrange(day.year, day.month)[1])
    elif precision == "year":
        start, end = day, date(day.year, 12, 31)
    else:
        start = end = day
    if published is not None and start <= published < end:
        end = published
    return start, end


def event_place(e: EventRecord) -> PlaceKey | None:
    """The place an event is coded at; its level follows the event's geo-precision."""
    if not e.location:
        return None
    if e.geo_precision == 3:
        level: Level = "region" if e.admin1 else "country"
    elif e.geo_precision == 2:
        level = "vicinity"
    else:
        level = "locality"
    return PlaceKey.make(e.location, e.country, e.admin1, level, e.latitude, e.longitude,
                         e.geonameid if level in {"locality", "vicinity"} else None)


def change_from_event(stored: StoredEvent) -> ControlChange | None:
    """The control change a stored territory event states, or None when it states none."""
    e = stored.event
    kind = TERRITORY_KINDS.get(e.sub_event_type)
    place = event_place(e)
    if kind is None or place is None or e.event_date is None or e.date_precision == "unknown":
        return None
    actor = e.actor1
    if kind == "transfer" and not e.actor2 and WITHDRAWAL.search(e.evidence):
        return None  # the events stage named only the side that left
    if kind == "agreement":
        actor = handover_recipient(e.evidence, e.country)
    if not actor:
        return None
    window = date_window(e.event_date, e.date_precision, e.date_window, stored.published)
    return ControlChange(
        place=place, holder=holder_side(actor), actor=actor, day=window[0],
        precision=e.date_precision, window=window, kind=kind, evidence=e.evidence,
        source=stored.source, url=stored.url, published=stored.published, event_id=stored.id,
        document_id=stored.document_id, background=e.background)


def handover_recipient(sentence: str, country: str | None) -> str | None:
    """Who receives a place an agreement hands over: the actor or country after "to"; else None."""
    from frontlines.actors import actor_table, government_of
    from frontlines.gazetteer import country_table

    found = HANDOVER.search(sentence)
    if not found:
        return None
    # "handed ... to X" ends on "to"; "hand over Y to X" has its "to" further on.
    tail = sentence[found.end() - 2:] if found.group().lower().endswith("to") else sentence[found.end():]
    recipient = RECIPIENT.search(tail)
    if not recipient:
        return None
    phrase = recipient.group(1)
    mentions = actor_table().find(phrase, country)
    if mentions and mentions[0].start <= 4:
        return mentions[0].actor.name
    names = {rec["name"].casefold(): code for code, rec in country_table().items()}
    for words in range(min(4, len(phrase.split())), 0, -1):
        code = names.get(" ".join(phrase.split()[:words]).casefold())
        if code:
            return government_of(code).name
    return None


def changes_from_events(events: Iterable[StoredEvent]) -> list[ControlChange]:
    """Every control change the given stored events state, in date order."""
    changes = [c for c in (change_from_event(e) for e in events) if c is not None]
    return sorted(changes, key=lambda c: c.sort_key)


def changes_from_store(store: Store, *, statements: bool = True) -> list[ControlChange]:
    """All control changes a store holds: territory events, and statements of control read from
    every stored document's text."""
    events: list[StoredEvent] = []
    for sub_type in TERRITORY_KINDS:
        events += store.events(EventQuery(event_type=sub_type))
    changes = changes_from_events(events)
    if statements:
        from frontlines.control.statements import statements_in_document

        for listed in store.documents():
            if listed.skip_reason:
                continue
            document = store.document(listed.id)
            if document is not None:
                changes += statements_in_document(document)
    return sorted(changes, key=lambda c: c.sort_key)
