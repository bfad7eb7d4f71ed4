"""One event told by many outlets: merge the reports of the same event across documents.

Two stored events are reports of one event when they come from different documents and agree on
everything a reader would check: the same sub-event type (a suicide bombing and an air strike in one
city on one day are two events, though both are explosions), dates compatible at their precisions (a
report dated to the month is compatible with one dated to a day of that month), places near each
other for their precisions, and no conflicting actors. Reports that agree pairwise are grouped
(transitively), and each group becomes a `MergedEvent` with every source and evidence sentence.

The merge is a view computed from the stored events, never written over them: it explains itself
(`frontlines events --show-sources` lists each report behind a merged event) and it undoes itself
when a document is removed, because the next query simply no longer sees that document's events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from frontlines.gazetteer import haversine_km
from frontlines.models import EventRecord
from frontlines.store.base import StoredEvent

# How far apart two reports' points may be, by the coarser of their geo precisions (ACLED: 1 the
# town, 2 near a town, 3 only the region is known).
NEARBY_KM = {1: 15.0, 2: 40.0, 3: 110.0}
PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


@dataclass(slots=True)
class MergedEvent:
    """One event and every report of it, the most precise report first."""

    reports: list[StoredEvent]

    @property
    def event(self) -> EventRecord:
        return self.reports[0].event

    @property
    def source_count(self) -> int:
        return len({r.source or r.url or r.document_id for r in self.reports})

    @property
    def evidence(self) -> list[str]:
        return list(dict.fromkeys(r.event.evidence for r in self.reports))

    @property
    def first_reported(self) -> date | None:
        return min((r.published for r in self.reports if r.published), default=None)

    @property
    def last_reported(self) -> date | None:
        return max((r.published for r in self.reports if r.published), default=None)

    @property
    def fatalities(self) -> int | None:
        # Outlets' counts differ; ACLED codes the most conservative reported figure.
        counts = [r.event.fatalities for r in self.reports if r.event.fatalities is not None]
        return min(counts) if counts else None

    def as_stored(self) -> StoredEvent:
        """The event as one stored row for the exports: the most precise report, with the merged
        fatalities and every source behind it ("Reuters; AFP"), as ACLED lists an event's sources."""
        best = self.reports[0]
        sources = "; ".join(dict.fromkeys(r.source or r.url or f"document {r.document_id}"
                                          for r in self.reports))
        return replace(best, source=sources, event=replace(best.event, fatalities=self.fatalities))


def _window(event: EventRecord) -> tuple[date, date] | None:
    if event.date_window:
        return event.date_window
    if event.event_date is None:
        return None
    start = event.event_date
    if event.date_precision == "day":
        return start, start
    if event.date_precision == "week":
        return start, start + timedelta(days=6)
    if event.date_precision == "month":
        following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return start, following - timedelta(days=1)
    if event.date_precision == "year":
        return start, date(start.year, 12, 31)
    return None


def dates_compatible(a: EventRecord, b: EventRecord) -> bool:
    wa, wb = _window(a), _window(b)
    if wa is None or wb is None:
        return False  # an undated report cannot be said to be the same day as anything
    return wa[0] <= wb[1] and wb[0] <= wa[1]


def places_compatible(a: EventRecord, b: EventRecord) -> bool:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return False
    limit = NEARBY_KM[max(a.geo_precision or 1, b.geo_precision or 1)]
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= limit


def _sides(event: EventRecord) -> set[str]:
    names = {event.actor1, event.actor2}
    return {n for n in names if n and not n.startswith("Unidentified")}


def actors_compatible(a: EventRecord, b: EventRecord) -> bool:
    """Actors have no direction in ACLED; named sides must overlap unless one report names none."""
    sa, sb = _sides(a), _sides(b)
    return not sa or not sb or bool(sa & sb)


def same_event(a: StoredEvent, b: StoredEvent) -> bool:
    ea, eb = a.event, b.event
    return (a.document_id != b.document_id and ea.sub_event_type == eb.sub_event_type
            and dates_compatible(ea, eb) and places_compatible(ea, eb) and actors_compatible(ea, eb))


def _rank(report: StoredEvent) -> tuple:
    e = report.event
    return (PRECISION_ORDER[e.date_precision], e.geo_precision or 3, -e.confidence, report.id)


def merge_reports(events: Iterable[StoredEvent]) -> list[MergedEvent]:
    """Group reports of the same event; every input event ends up in exactly one group."""
    events = list(events)
    parent = list(range(len(events)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only reports of the same sub-type in the same country can match, so compare within those blocks.
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, stored in enumerate(events):
        blocks[(stored.event.sub_event_type, stored.event.country)].append(i)
    for members in blocks.values():
        members.sort(key=lambda i: _window(events[i].event) or (date.max, date.max))
        for pos, i in enumerate(members):
            window_i = _window(events[i].event)
            for j in members[pos + 1:]:
                window_j = _window(events[j].event)
                if window_i is None or window_j is None or window_j[0] > window_i[1]:
                    break  # sorted by start: no later report can overlap this one
                if same_event(events[i], events[j]):
                    parent[find(j)] = find(i)
    groups: dict[int, list[StoredEvent]] = defaultdict(list)
    for i, stored in enumerate(events):
        groups[find(i)].append(stored)
    merged = [MergedEvent(sorted(g, key=_rank)) for g in groups.values()]
    return sorted(merged, key=lambda m: (m.event.event_date or date.max, m.reports[0].id))


def duplicate_share(merged: Sequence[MergedEvent]) -> float:
    """The share of stored reports that were folded into another report's event."""
    reports = sum(len(m.reports) for m in merged)
    return (reports - len(merged)) / reports if reports else 0.0
