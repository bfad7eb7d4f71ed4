"""How control states read: one line a place for people, one JSON object a place for programs."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from frontlines.control.areas import AreaEstimate, area_by_holder, bundled_boundaries
from frontlines.control.model import ControlChange, ControlState
from frontlines.control.timeline import control_at, is_restated

EVIDENCE_CHARS = 110
# Where a sentence says a place changed hands: the shortened evidence keeps this part.
CONTROL_WORDS = re.compile(
    r"captur\w*|control\w*|took|taken|seiz\w*|regain\w*|recaptur\w*|withdr\w*|retreat\w*|"
    r"entered|liberat\w*|fall|fell|hands?\b|held|hand\w* over|handover|took over|grip", re.I)


def shorten(sentence: str, limit: int = EVIDENCE_CHARS) -> str:
    """The sentence, or the `limit` characters of it around the words that say who took what."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence
    anchor = CONTROL_WORDS.search(sentence)
    centre = anchor.start() if anchor else 0
    start = max(0, min(centre - limit // 3, len(sentence) - limit))
    end = start + limit
    if start > 0:
        start = sentence.find(" ", start) + 1 or start
    if end < len(sentence):
        end = sentence.rfind(" ", start, end) if sentence.rfind(" ", start, end) > start else end
    return ("…" if start > 0 else "") + sentence[start:end].strip() + ("…" if end < len(sentence) else "")


def cite(change: ControlChange) -> str:
    """"Al-Estiklal (English edition), 2024-12-04" — the outlet and the report's date."""
    who = change.source or "unknown source"
    return f"{who}, {change.published}" if change.published else who


def state_line(state: ControlState) -> str:
    """place | holder or status | since | evidence | source, for the terminal."""
    place = state.place.label
    if state.status == "unknown":
        return f"{place} | unknown | - | no claim ends on or before {state.day} | -"
    if state.status == "contested":
        claims = "; ".join(f"{c.holder} ({c.when}, {c.kind}: \"{shorten(c.evidence, 70)}\" — {cite(c)})"
                           for c in state.claims)
        return f"{place} | contested: {' vs '.join(state.candidates)} | - | {claims} | " \
               f"{'; '.join(state.sources)}"
    if state.status == "uncertain":
        known = (f"{state.holder} since {state.since.when} ({state.since.precision})"
                 if state.holder and state.since else "nothing known before")
        pending = "; ".join(f"{c.holder} {c.when} ({c.precision}, {c.kind}, undecided on {state.day}): "
                            f"\"{shorten(c.evidence, 70)}\" — {cite(c)}" for c in state.pending
                            if c.holder != state.holder)
        names = state.candidates if state.holder else ["unknown", *state.candidates]
        return f"{place} | uncertain: {' or '.join(names)} | {known} | pending {pending} | " \
               f"{'; '.join(state.sources)}"
    since, latest = state.since, state.evidence[0]
    more = f" (+{len(state.evidence) - 1} more)" if len(state.evidence) > 1 else ""
    return (f"{place} | {state.holder} | since {since.when} ({since.precision}, {since.kind}, "
            f"{since.source or 'unknown source'}) | \"{shorten(latest.evidence)}\"{more} | {cite(latest)}")


def change_json(change: ControlChange) -> dict[str, Any]:
    return {
        "holder": change.holder, "actor": change.actor, "kind": change.kind,
        "date": change.day.isoformat(), "precision": change.precision,
        "window": [change.window[0].isoformat(), change.window[1].isoformat()],
        "evidence": change.evidence, "source": change.source, "url": change.url,
        "published": change.published.isoformat() if change.published else None,
        "event_id": change.event_id, "document_id": change.document_id,
        "background": change.background,
    }


def state_json(state: ControlState) -> dict[str, Any]:
    p = state.place
    return {
        "place": {"id": p.id, "name": p.name, "level": p.level, "country": p.country,
                  "admin1": p.admin1, "latitude": p.latitude, "longitude": p.longitude,
                  "geonameid": p.geonameid},
        "date": state.day.isoformat(), "status": state.status, "holder": state.holder,
        "candidates": state.candidates,
        "since": change_json(state.since) if state.since else None,
        "evidence": [change_json(c) for c in state.evidence],
        "claims": [change_json(c) for c in state.claims],
        "pending": [change_json(c) for c in state.pending],
        "previous": change_json(state.previous) if state.previous else None,
        "sources": state.sources,
    }


def area_lines(estimate: AreaEstimate) -> list[str]:
    lines = [f"{holder:40} {km2:>12,.0f} km²" for holder, km2 in estimate.by_holder.items()]
    lines.append(f"{'total':40} {estimate.total_km2:>12,.0f} km²")
    lines.append(f"({estimate.method}; a rough estimate: see README, 'Who controls a place')")
    return lines


def area_json(estimate: AreaEstimate) -> dict[str, Any]:
    return {"km2_by_holder": {k: round(v, 1) for k, v in estimate.by_holder.items()},
            "total_km2": round(estimate.total_km2, 1), "method": estimate.method,
            "places": [{"id": a.place_id, "name": a.name, "holder": a.holder, "km2": round(a.km2, 1)}
                       for a in estimate.places]}


def timeline_lines(claims: list[ControlChange], day: date) -> list[str]:
    """Every claim about a place, oldest first, marked by whether it decides `day`."""
    lines = []
    for c in claims:
        if c.window[1] <= day:
            mark = "decided"
        elif c.window[0] > day:
            mark = "later"
        else:
            mark = "restates a precise claim" if is_restated(c, claims) else "pending"
        lines.append(f"    {c.when:>22} {c.precision:5} {c.kind:9} {c.holder} [{mark}] "
                     f"\"{shorten(c.evidence, 80)}\" — {cite(c)}")
    return lines


def control_json(changes: list[ControlChange], day: date, *, areas: bool = False) -> dict[str, Any]:
    """Who held each place on `day`, as data: what `frontlines control --json` prints and
    `/api/control` answers."""
    states = control_at(changes, day)
    payload: dict[str, Any] = {"date": day.isoformat(), "places": [state_json(s) for s in states]}
    if areas:
        payload["areas"] = area_json(area_by_holder(states, bundled_boundaries()))
    return payload
