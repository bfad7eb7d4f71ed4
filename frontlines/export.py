"""Output formats: the analysis contract (JSON), and events as ACLED-column CSV, JSON Lines, GeoJSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from typing import Any, TextIO

from frontlines.acled import EventType, Inter, SubEventType, interaction
from frontlines.gazetteer import country_table
from frontlines.models import Analysis, EventRecord
from frontlines.store.base import StoredEvent

# ACLED's export columns that frontlines fills, in ACLED's order (see shared/ACLED.md).
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3, "unknown": 3}
CONTRACT_EVENT_FIELDS = (
    "event_date", "date_precision", "event_type", "sub_event_type", "actor1", "actor2", "location",
    "admin1", "country", "latitude", "longitude", "geo_precision", "geonameid", "fatalities",
    "evidence", "start", "end", "confidence",
)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def event_json(event: EventRecord) -> dict[str, Any]:
    """An event as the analysis contract lists its fields."""
    return {name: _iso(getattr(event, name)) for name in CONTRACT_EVENT_FIELDS}


def analysis_json(analysis: Analysis) -> dict[str, Any]:
    """One document's analysis, exactly as `frontlines analyze --json` prints it."""
    doc = analysis.document
    return {
        "doc": {"id": doc.id, "path": doc.path, "title": doc.title, "source": doc.source,
                "url": doc.url, "published": _iso(doc.published), "language": doc.language,
                "sha256": doc.sha256, **({"skip_reason": doc.skip_reason} if doc.skip_reason else {})},
        "events": [event_json(e) for e in analysis.events],
        "places": [{"mention": p.mention, "start": p.start, "end": p.end, "name": p.name,
                    "kind": p.kind, "country": p.country, "admin1": p.admin1,
                    "latitude": p.latitude, "longitude": p.longitude, "geonameid": p.geonameid,
                    **({"located_at": p.located_at} if p.located_at else {})}
                   for p in analysis.places],
        "quotes": [asdict(q) for q in analysis.quotes],
        "figures": [{"quantity": f.quantity, "unit": f.unit, "qualifier": f.qualifier,
                     "claimant": f.claimant, "text": f.text} for f in analysis.figures],
    }


def acled_row(stored: StoredEvent) -> dict[str, Any]:
    e = stored.event
    sub_type = SubEventType(e.sub_event_type)
    targets_civilians = sub_type.event_type is EventType.VIOLENCE_AGAINST_CIVILIANS or e.inter2 == Inter.CIVILIANS
    # ACLED names the country and numbers it by ISO 3166 numeric code.
    country = country_table().get(e.country or "", {})
    return {
        "event_id_cnty": f"{country.get('iso3', 'XXX')}{stored.id}", "event_date": _iso(e.event_date),
        "year": e.event_date.year if e.event_date else None,
        "time_precision": TIME_PRECISION[e.date_precision],
        "disorder_type": str(sub_type.disorder_type),
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type, "actor1": e.actor1, "assoc_actor_1": e.assoc_actor_1,
        "inter1": e.inter1, "actor2": e.actor2, "assoc_actor_2": e.assoc_actor_2, "inter2": e.inter2,
        "interaction": interaction(e.inter1, e.inter2),
        "civilian_targeting": "Civilian targeting" if targets_civilians else None,
        "iso": country.get("isonumeric"), "region": None, "country": country.get("name", e.country),
        "admin1": e.admin1, "admin2": None,
        "admin3": None, "location": e.location, "latitude": e.latitude, "longitude": e.longitude,
        "geo_precision": e.geo_precision, "source": stored.source or stored.url,
        "source_scale": None, "notes": e.evidence, "fatalities": e.fatalities or 0,
        "tags": "background" if e.background else None,
        "timestamp": None,
    }


def stored_event_json(stored: StoredEvent) -> dict[str, Any]:
    return {"id": stored.id, "document_id": stored.document_id, **event_json(stored.event),
            "date_window": [_iso(d) for d in stored.event.date_window] if stored.event.date_window else None,
            "assoc_actor_1": stored.event.assoc_actor_1, "assoc_actor_2": stored.event.assoc_actor_2,
            "inter1": stored.event.inter1, "inter2": stored.event.inter2,
            "background": stored.event.background, "source": stored.source, "url": stored.url,
            "title": stored.title, "published": _iso(stored.published)}


def geojson_feature(stored: StoredEvent) -> dict[str, Any]:
    e = stored.event
    geometry = None if e.latitude is None else {"type": "Point", "coordinates": [e.longitude, e.latitude]}
    return {"type": "Feature", "id": stored.id, "geometry": geometry,
            "properties": stored_event_json(stored)}


def feature_collection(events: Iterable[StoredEvent], **members: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [geojson_feature(e) for e in events], **members}


def write_events(events: list[StoredEvent], fmt: str, stream: TextIO) -> None:
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        for stored in events:
            writer.writerow(acled_row(stored))
    elif fmt == "jsonl":
        for stored in events:
            stream.write(json.dumps(stored_event_json(stored), ensure_ascii=False) + "\n")
    elif fmt == "geojson":
        json.dump(feature_collection(events), stream, ensure_ascii=False)
        stream.write("\n")
    else:
        raise ValueError(f"unknown format {fmt!r}")
