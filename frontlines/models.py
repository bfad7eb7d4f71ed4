"""The typed records that flow through the pipeline.

One article enters as a `Document` (from `ingest`), is parsed into an `Analysis`, and each stage
(`places`, `dates`, `actors`, `events`, `quotes`, `figures`) adds its own list of records to it.
Every record carries `start`/`end` character offsets into `Document.text`, so any output can be
traced back to the words that support it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # spaCy is heavy; only the type is needed here
    from spacy.tokens import Doc

DatePrecision = Literal["day", "week", "month", "year", "unknown"]
PRECISIONS: tuple[DatePrecision, ...] = ("day", "week", "month", "year", "unknown")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Document:
    """One article as ingested: its extracted text and what is known about where it came from."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    path: str | None = None
    source: str | None = None  # the outlet, e.g. "Al-Estiklal"
    published: date | None = None
    language: str | None = None
    # Set when the document is kept on record but not analysed (e.g. not English).
    skip_reason: str | None = None
    sha256: str = ""

    def __post_init__(self) -> None:
        if not self.sha256:
            self.sha256 = text_sha256(self.text)


@dataclass(slots=True, frozen=True)
class IngestFailure:
    """An input that could not be read: the input as the user named it and a one-line reason."""

    input: str
    reason: str


@dataclass(slots=True)
class DateMention:
    """A temporal expression and the calendar date it stands for.

    `date` is the first day of the period at `precision` (the day itself, the Monday of a week, the
    first of a month or year); `window` is the inclusive range of days the expression allows.
    """

    text: str
    start: int
    end: int
    date: date | None
    precision: DatePrecision
    window: tuple[date, date] | None = None
    # True for expressions that name a calendar date themselves ("November 29, 2024", "in 2016");
    # False for ones resolved against an anchor ("the following day", "on Friday").
    explicit: bool = True


@dataclass(slots=True)
class Place:
    """A place mentioned in the text and, when resolved, the gazetteer entry it refers to."""

    mention: str
    start: int
    end: int
    name: str | None = None
    kind: str | None = None  # city, town, governorate, country, military base, sea, ...
    country: str | None = None  # ISO 3166 alpha-2
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None
    population: int = 0
    # The point ACLED codes for an event known only to this region (its capital), when it differs.
    anchor_latitude: float | None = None
    anchor_longitude: float | None = None
    # The text describes a place near or part of this one ("Idlib's countryside", "north of X").
    vicinity: bool = False
    score: float = 0.0
    # When the coordinates are not the place's own: the place they belong to. A village a national
    # gazetteer knows without a point sits at its district ("Mudiyah district"); a village no
    # gazetteer knows (no `name`) sits at the town the text ties it to ("Al Atārib").
    located_at: str | None = None

    @property
    def resolved(self) -> bool:
        return self.latitude is not None


@dataclass(slots=True, frozen=True)
class Actor:
    """A normalised conflict actor with its ACLED interaction code (1 state forces ... 8 external)."""

    name: str
    inter: int
    country: str | None = None


@dataclass(slots=True)
class ActorMention:
    text: str
    start: int
    end: int
    actor: Actor


@dataclass(slots=True)
class EventRecord:
    """One event, one place, in ACLED's vocabulary, with the sentence that states it."""

    event_type: str
    sub_event_type: str
    actor1: str | None
    evidence: str
    start: int
    end: int
    event_date: date | None = None
    date_precision: DatePrecision = "unknown"
    date_window: tuple[date, date] | None = None
    actor2: str | None = None
    assoc_actor_1: str | None = None
    assoc_actor_2: str | None = None
    inter1: int | None = None
    inter2: int | None = None
    location: str | None = None
    admin1: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    geonameid: int | None = None
    fatalities: int | None = None
    confidence: float = 0.5
    # History the article tells as background rather than news it reports.
    background: bool = False
    # False when the date is neither stated with the event nor in the sentence just before it but
    # borrowed from further away or from the publication date (used within one analysis; not stored).
    date_stated: bool = True
    # False when no place of the event's clause resolved and it is coded near the sentence's place
    # or at the country (used within one analysis; not stored).
    place_stated: bool = True


@dataclass(slots=True)
class Quote:
    speaker: str | None
    affiliation: str | None
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Figure:
    quantity: float
    unit: str
    qualifier: str | None
    claimant: str | None
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Analysis:
    """A document and everything the pipeline found in it; each stage fills one list."""

    document: Document
    doc: Doc | None = None
    places: list[Place] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
