"""The records of the control layer: a place, a claim that someone holds it, and the state on a day.

A `ControlChange` is one source's word that an actor holds a place from some date: a takeover, a
regain, a non-violent transfer, an agreement that hands the place over, or a statement of control
("opposition-held Idlib") dated by the report that makes it. A `ControlState` is what the claims
say about one place on one day, including when they do not settle it (uncertain, contested,
unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Literal

from frontlines.models import DatePrecision
from frontlines.toponyms import name_key

ChangeKind = Literal["takeover", "regain", "transfer", "agreement", "statement"]
Status = Literal["held", "contested", "uncertain", "unknown"]
# locality: a town, city, base...; vicinity: "X's countryside", "near X" (not X itself);
# region: a first-level region (governorate, oblast, state); country: a whole country.
Level = Literal["locality", "vicinity", "region", "country"]

# When a change and a statement date the same day, the change is named first: a statement says
# only that the holder held the place when the report was written.
KIND_RANK: dict[str, int] = {"takeover": 0, "regain": 0, "transfer": 0, "agreement": 1, "statement": 2}

_STATE_NAME = re.compile(r"^(?:Government|Military Forces|Police Forces) of (.+)$")


@dataclass(frozen=True, slots=True)
class PlaceKey:
    """One place whose control is tracked; equal keys are the same place whatever the spelling.

    `id` is the identity: the GeoNames id when known, else the name key with the country and the
    coordinates rounded to 0.01 degree (about 1 km). A region and the city it is named after are
    different places ("Idlib" governorate is not Idlib city), and so is a city's countryside.
    """

    id: str
    name: str = field(compare=False)
    country: str | None = field(default=None, compare=False)
    admin1: str | None = field(default=None, compare=False)
    level: Level = field(default="locality", compare=False)
    latitude: float | None = field(default=None, compare=False)
    longitude: float | None = field(default=None, compare=False)
    geonameid: int | None = field(default=None, compare=False)

    @classmethod
    def make(cls, name: str, country: str | None, admin1: str | None, level: Level,
             latitude: float | None, longitude: float | None, geonameid: int | None) -> PlaceKey:
        lat = None if latitude is None else round(latitude, 2)
        lon = None if longitude is None else round(longitude, 2)
        cc = country or "??"
        if level == "country":
            ident = f"{cc}/country"
        elif level == "region":
            ident = f"{cc}/region/{name_key(name)}"
        elif geonameid is not None:
            ident = f"geonames:{geonameid}"
        else:
            ident = f"{cc}/{name_key(name)}@{lat},{lon}"
        if level == "vicinity":
            ident += "/vicinity"
        return cls(ident, name, country, admin1, level, lat, lon, geonameid)

    @property
    def label(self) -> str:
        """How a person reads the place: "Saraqib (Idlib, SY)", "Idlib (region, SY)"."""
        where = {"region": "region", "country": "country", "vicinity": "surroundings"}.get(self.level)
        parts = [p for p in (where, self.admin1 if self.level in {"locality", "vicinity"} else None,
                             self.country) if p]
        return f"{self.name} ({', '.join(parts)})" if parts else self.name


@dataclass(frozen=True, slots=True)
class ControlChange:
    """One claim that `holder` holds `place` from `day` on, with the sentence and source saying so.

    `window` is the inclusive range of days the date allows (a month-only date allows the whole
    month, capped at the report's publication day: nothing reported happened after it).
    `holder` is the side that holds the place; state forces of a country, its government and its
    police are one side ("Government of Syria"); `actor` is the actor as the event coded it.
    """

    place: PlaceKey
    holder: str
    actor: str
    day: date
    precision: DatePrecision
    window: tuple[date, date]
    kind: ChangeKind
    evidence: str
    source: str | None = None
    url: str | None = None
    published: date | None = None
    event_id: int | None = None
    document_id: int | None = None
    background: bool = False

    @property
    def sort_key(self) -> tuple:
        return (self.day, self.window[1], KIND_RANK[self.kind], self.event_id or 0,
                self.document_id or 0, self.holder)

    @property
    def width(self) -> int:
        return (self.window[1] - self.window[0]).days

    @property
    def when(self) -> str:
        """The date as precise as the text gave it: 2024-11-29, 2024-11, late 2019 as 2019-09..12."""
        start, end = self.window
        if self.precision == "day" or start == end:
            return start.isoformat()
        if self.precision == "month" and start.day == 1:
            return f"{start:%Y-%m}"
        if start.year == end.year and start.month == 1 and start.day == 1 and (end.month, end.day) == (12, 31):
            return str(start.year)
        return f"{start.isoformat()}..{end.isoformat()}"


@dataclass(slots=True)
class ControlState:
    """Who holds `place` on `day`, according to the claims, and on whose word.

    - held: one holder; `since` is the claim that put it in their hands earliest (the earliest
      window end among the claims after the last claim for anyone else), `evidence` the claims for
      the holder since then, newest and most precise first.
    - contested: sources disagree and neither claim is strictly later; `claims` holds the
      competing claims, one or more per holder, with their sources.
    - uncertain: a change whose date window covers `day` may or may not have happened yet (a
      month-only change does not decide a day inside that month); `holder` is the last known
      holder if any (None when nothing was known before), `pending` the undecided changes, and
      `candidates` everyone who may hold the place that day.
    - unknown: no claim about the place ends on or before `day`; nothing is guessed.
    """

    place: PlaceKey
    day: date
    status: Status
    holder: str | None = None
    since: ControlChange | None = None
    evidence: list[ControlChange] = field(default_factory=list)
    claims: list[ControlChange] = field(default_factory=list)
    pending: list[ControlChange] = field(default_factory=list)
    previous: ControlChange | None = None  # the last claim for another holder before `since`

    @property
    def candidates(self) -> list[str]:
        names = [self.holder] if self.holder else []
        names += [c.holder for c in self.claims] + [c.holder for c in self.pending]
        return list(dict.fromkeys(names))

    @property
    def sources(self) -> list[str]:
        changes = self.evidence or self.claims
        return list(dict.fromkeys(c.source or "unknown source" for c in [*changes, *self.pending]))


def holder_side(actor: str) -> str:
    """The side an actor holds ground for: a country's army, police and government are one side."""
    match = _STATE_NAME.match(actor)
    if match:
        return f"Government of {match.group(1)}"
    country = _state_actor_countries().get(actor)
    if country:
        from frontlines.actors import government_of

        return government_of(country).name
    return actor


@lru_cache(maxsize=1)
def _state_actor_countries() -> dict[str, str]:
    """State forces named otherwise ("Turkish Military Forces") -> their country, from actors.toml."""
    from frontlines.actors import actor_table

    return {alias.actor.name: alias.actor.country
            for aliases in actor_table().by_phrase.values() for alias in aliases
            if alias.actor is not None and alias.actor.inter == 1 and alias.actor.country}
