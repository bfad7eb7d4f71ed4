"""Who held each place on a day: the claims ordered per place, and the rules that read them.

The rules, for a place and a day D:
1. A claim decides D only when its whole date window ends on or before D. A change dated only to
   November does not decide 15 November: it is pending, and the state is "uncertain" between the
   last known holder (if any) and the pending holder(s).
2. Among the deciding claims, the latest are those no other deciding claim is strictly later than
   (its window starting after theirs ends). If they name different holders the state is
   "contested", with every such claim and its source: disagreement is shown, never settled.
3. A vaguely dated claim that a precise claim of the same holder, inside its window, explains
   (and that no rival claim overlaps) is the same change told loosely: it is not left pending.
4. Before the first claim nothing is known: the state is "unknown". No holder is assumed (not the
   government, not the last holder of a surrounding region).
5. A place does not inherit from the region around it: each place has its own claims.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from frontlines.control.model import KIND_RANK, ControlChange, ControlState, PlaceKey
from frontlines.toponyms import name_key, skeleton_key


def control_timeline(changes: Iterable[ControlChange]) -> dict[PlaceKey, list[ControlChange]]:
    """Each place's claims in date order (first day, then end of window, changes before statements)."""
    timeline: dict[PlaceKey, list[ControlChange]] = {}
    for change in changes:
        timeline.setdefault(change.place, []).append(change)
    for claims in timeline.values():
        claims.sort(key=lambda c: c.sort_key)
    return dict(sorted(timeline.items(), key=lambda kv: (kv[0].country or "", kv[0].name, kv[0].level, kv[0].id)))


def control_at(changes: Iterable[ControlChange], day: date) -> list[ControlState]:
    """The state of every place the claims name, on `day`."""
    return [place_state(place, claims, day) for place, claims in control_timeline(changes).items()]


def place_state(place: PlaceKey, claims: list[ControlChange], day: date) -> ControlState:
    """The state of one place on `day` from its claims (see the module's rules)."""
    decided = [c for c in claims if c.window[1] <= day]
    pending = [c for c in claims if c.window[0] <= day < c.window[1] and not is_restated(c, claims)]
    if not decided:
        return ControlState(place, day, "uncertain" if pending else "unknown", pending=pending)
    latest = [c for c in decided if not any(d.window[0] > c.window[1] for d in decided)]
    sides = list(dict.fromkeys(c.holder for c in latest))
    if len(sides) > 1:
        return ControlState(place, day, "contested", claims=_newest_first(latest), pending=pending)
    holder = sides[0]
    others = [c for c in decided if c.holder != holder]
    last_other_end = max((c.window[1] for c in others), default=None)
    run = [c for c in decided if c.holder == holder
           and (last_other_end is None or c.window[0] > last_other_end)]
    since = min(run, key=lambda c: (c.window[1], c.width, KIND_RANK[c.kind], c.sort_key))
    previous = max(others, key=lambda c: (c.window[1], c.sort_key)) if others else None
    open_changes = [c for c in pending if c.holder != holder]
    status = "uncertain" if open_changes else "held"
    return ControlState(place, day, status, holder=holder, since=since, evidence=_newest_first(run),
                        pending=pending, previous=previous)


def is_restated(vague: ControlChange, claims: list[ControlChange]) -> bool:
    """True when a vaguely dated claim is most likely a precisely dated one told loosely.

    "This comes after insurgents captured Aleppo" (some day in 2024) and "the capture of Aleppo
    city ... by November 29" name one change when the same side takes the same place inside the
    vague window and nobody else is said to hold it within that window. Such a claim is not left
    pending on days before the precise one: it adds no doubt, only another source.
    """
    start, end = vague.window
    precise = any(c.holder == vague.holder and c.width < vague.width
                  and start <= c.window[0] and c.window[1] <= end for c in claims)
    rival = any(c.holder != vague.holder and c.window[0] <= end and start <= c.window[1] for c in claims)
    return precise and not rival


def _newest_first(claims: list[ControlChange]) -> list[ControlChange]:
    """Newest first; on the same day the most precise, then changes before statements."""
    return sorted(claims, key=lambda c: (-c.window[0].toordinal(), c.width, KIND_RANK[c.kind],
                                         -(c.event_id or 0)))


def select_changes(changes: Iterable[ControlChange], *, country: str | None = None,
                   admin1: str | None = None, place: str | None = None) -> list[ControlChange]:
    """The claims about places in `country` (ISO code), in `admin1`, or named `place`.

    Names are compared as the gazetteer compares them, so "Maarat al-Numan" finds
    "Ma‘arrat an Nu‘mān" and "Idleb" finds "Idlib".
    """
    out = []
    for change in changes:
        key = change.place
        if country and (key.country or "").upper() != country.upper():
            continue
        if admin1 and not _same_name(admin1, key.admin1 or (key.name if key.level == "region" else "")):
            continue
        if place and not _same_name(place, key.name):
            continue
        out.append(change)
    return out


def _same_name(wanted: str, name: str) -> bool:
    if not name:
        return False
    return name_key(wanted) == name_key(name) or skeleton_key(wanted) == skeleton_key(name)
