"""The storage seam: one narrow interface, implemented for SQLite and PostgreSQL.

Everything above this module (CLI, web API, Dask runner) talks to a `Store`; nothing above it writes
SQL. Query parameters travel as an `EventQuery`, results as `StoredEvent` / `StoredDocument`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from frontlines.models import Analysis, EventRecord, Figure, Place, Quote


# How far from `near` an event may lie when no radius is given: the CLI, the API and the store agree.
DEFAULT_RADIUS_KM = 50.0


@dataclass(slots=True, kw_only=True)
class EventQuery:
    """Filters for `Store.events`; every field is optional and they combine with AND."""

    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None
    admin1: str | None = None
    actor: str | None = None  # a substring of actor1, actor2 or an associated actor
    event_type: str | None = None  # an event type or a sub-event type
    text: str | None = None  # a substring of the evidence sentence
    near: tuple[float, float] | None = None
    within_km: float = DEFAULT_RADIUS_KM
    include_background: bool = True
    document_id: int | None = None
    limit: int | None = None
    offset: int = 0


def parse_point(text: str) -> tuple[float, float]:
    """"36.2,37.16" -> (36.2, 37.16); ValueError, with a message for the user, for anything else."""
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError:
        raise ValueError(f"near must be LAT,LON in decimal degrees (e.g. 36.2,37.16), not {text!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"near {text!r} is off the globe: latitude -90..90, longitude -180..180")
    return lat, lon


@dataclass(slots=True)
class StoredEvent:
    id: int
    document_id: int
    event: EventRecord
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None


@dataclass(slots=True)
class StoredDocument:
    id: int
    doc_id: str
    sha256: str
    title: str | None
    url: str | None
    path: str | None
    source: str | None
    published: date | None
    language: str | None
    skip_reason: str | None
    text: str
    events: list[StoredEvent] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class DailyCount:
    """How many events of one type fell on one day (undated events, and those dated only to a
    week, month or year, are not counted)."""

    day: date
    event_type: str
    count: int


@dataclass(slots=True, frozen=True)
class PlaceCount:
    """One distinct event location and how many events it holds."""

    location: str | None
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    count: int


@dataclass(slots=True, frozen=True)
class ActorCount:
    """One actor and how many events name it (as actor1, actor2 or an associated actor)."""

    name: str
    count: int


@dataclass(slots=True, frozen=True)
class SaveResult:
    document_id: int
    created: bool  # False when the same text was stored before


class Store(Protocol):
    """What frontlines needs from a database."""

    def save(self, analysis: Analysis) -> SaveResult:
        """Store a document and everything found in it, whole or not at all."""
        ...

    def has_document(self, sha256: str) -> bool: ...

    def events(self, query: EventQuery) -> list[StoredEvent]: ...

    def count_events(self, query: EventQuery) -> int: ...

    def document(self, document_id: int) -> StoredDocument | None: ...

    # Aggregates for the web page; each honours every filter of the query but not its paging.
    def daily_counts(self, query: EventQuery) -> list[DailyCount]: ...

    def places(self, query: EventQuery) -> list[PlaceCount]: ...

    def actors(self, query: EventQuery) -> list[ActorCount]: ...

    def documents(self) -> list[StoredDocument]: ...

    def remove_document(self, document_id: int) -> bool: ...

    def close(self) -> None: ...
