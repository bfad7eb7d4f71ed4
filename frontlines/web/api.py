"""The read-only JSON API: events (GeoJSON or JSON, paged), one document, daily counts, places, actors.

Every list endpoint takes the filters of `frontlines events` (the same `EventQuery`), so a view on
the page and a command line answer the same question the same way. Large answers are built as
plain dicts and sent as they are: FastAPI's generic encoder would walk 5,000 features again.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from frontlines.export import feature_collection, stored_event_json
from frontlines.actors import country_names
from frontlines.store import DEFAULT_RADIUS_KM, EventQuery, Store, StoredDocument, parse_point

MAX_PAGE = 5000
DEFAULT_PAGE = 500
MAX_TEXT_FILTER = 200  # characters; a filter is a few words, not a document
# The largest integer SQLite and PostgreSQL's bigint hold: a larger offset or id overflows the
# database's integer, which is the caller's error (422), not the server's (500).
SQL_INT_MAX = 2**63 - 1
_CONTROL_CHARACTERS = frozenset(chr(c) for c in range(32)) | {"\x7f"}

router = APIRouter(prefix="/api", tags=["read"])


def get_store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


StoreDep = Annotated[Store, Depends(get_store)]


def _invalid(field: str, message: str, value: object) -> RequestValidationError:
    """A 422 shaped like FastAPI's own, for checks that span or parse parameters."""
    return RequestValidationError([{"type": "value_error", "loc": ("query", field), "msg": message,
                                    "input": value}])


def _parse_near(near: str) -> tuple[float, float]:
    try:
        return parse_point(near)
    except ValueError as error:
        raise _invalid("near", str(error), near) from None


def event_filters(
    since: Annotated[date | None, Query(description="Events on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[date | None, Query(description="Events on or before this date (YYYY-MM-DD).")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$",
                                         description="ISO 3166 alpha-2 country code, e.g. SY.")] = None,
    admin1: Annotated[str | None, Query(max_length=MAX_TEXT_FILTER,
                                        description="First-level region, e.g. Idlib.")] = None,
    actor: Annotated[str | None, Query(max_length=MAX_TEXT_FILTER,
                                       description="Part of an actor's name, e.g. HTS.")] = None,
    event_type: Annotated[str | None, Query(alias="type", max_length=MAX_TEXT_FILTER,
                                            description="Event type or sub-event type.")] = None,
    text: Annotated[str | None, Query(max_length=MAX_TEXT_FILTER,
                                      description="Words in the evidence sentence.")] = None,
    near: Annotated[str | None, Query(max_length=64,
                                      description="LAT,LON: only events near this point.")] = None,
    within: Annotated[float | None, Query(
        gt=0, le=20_040, description=f"Radius in km for near (default {DEFAULT_RADIUS_KM:g}).")] = None,
    no_background: Annotated[bool, Query(description="Leave out history told as background.")] = False,
) -> EventQuery:
    if since and until and since > until:
        raise _invalid("since", f"since ({since}) is after until ({until})", str(since))
    if within is not None and not near:
        raise _invalid("within", "within is a radius around near: give near=LAT,LON too", within)
    for name, value in (("admin1", admin1), ("actor", actor), ("type", event_type), ("text", text)):
        if value and _CONTROL_CHARACTERS.intersection(value):
            raise _invalid(name, "control characters (such as NUL) are not text to search for",
                           value.encode("unicode_escape").decode("ascii"))
    return EventQuery(
        date_from=since, date_to=until, country=country or None, admin1=admin1 or None,
        actor=actor or None, event_type=event_type or None, text=text or None,
        near=_parse_near(near) if near else None,
        within_km=DEFAULT_RADIUS_KM if within is None else within,
        include_background=not no_background)


QueryDep = Annotated[EventQuery, Depends(event_filters)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, at most {MAX_PAGE}.")]
Offset = Annotated[int, Query(ge=0, le=SQL_INT_MAX, description="Rows to skip (for the next page).")]


class GeoJSONResponse(JSONResponse):
    media_type = "application/geo+json"


@router.get("/events", summary="Events matching the filters, one page at a time",
            response_class=GeoJSONResponse,
            responses={200: {"description": "A GeoJSON FeatureCollection with `total`, `limit`, "
                             "`offset` and `next_offset` beside `features` (or, with format=json, "
                             "the same paging with `events`).",
                             "content": {"application/json": {}}}})
def list_events(store: StoreDep, query: QueryDep, limit: Limit = DEFAULT_PAGE, offset: Offset = 0,
                format: Annotated[Literal["geojson", "json"], Query(
                    description="geojson (default) or json.")] = "geojson") -> JSONResponse:
    query.limit, query.offset = limit, offset
    found = store.events(query)
    total = store.count_events(query)
    paging = {"total": total, "limit": limit, "offset": offset, "returned": len(found),
              "next_offset": offset + len(found) if offset + len(found) < total else None}
    if format == "json":
        return JSONResponse({**paging, "events": [stored_event_json(e) for e in found]})
    return GeoJSONResponse(feature_collection(found, **paging))


@router.get("/documents/{document_id}", summary="One document with its text and the spans found in it")
def get_document(store: StoreDep, document_id: Annotated[int, Path(ge=1, le=SQL_INT_MAX)]) -> JSONResponse:
    stored = store.document(document_id)
    if stored is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no document {document_id}")
    return JSONResponse(document_json(stored))


def document_json(stored: StoredDocument) -> dict[str, Any]:
    """A document for the page. Its file path on the server is left out: readers need not see it."""
    return {
        "id": stored.id, "doc_id": stored.doc_id, "title": stored.title, "url": stored.url,
        "source": stored.source, "published": stored.published.isoformat() if stored.published else None,
        "language": stored.language, "skip_reason": stored.skip_reason, "text": stored.text,
        "events": [stored_event_json(e) for e in stored.events],
        "places": [{"mention": p.mention, "start": p.start, "end": p.end, "name": p.name,
                    "kind": p.kind, "country": p.country, "admin1": p.admin1,
                    "latitude": p.latitude, "longitude": p.longitude, "geonameid": p.geonameid}
                   for p in stored.places],
        "quotes": [{"speaker": q.speaker, "affiliation": q.affiliation, "text": q.text,
                    "start": q.start, "end": q.end} for q in stored.quotes],
        "figures": [{"quantity": f.quantity, "unit": f.unit, "qualifier": f.qualifier,
                     "claimant": f.claimant, "text": f.text, "start": f.start, "end": f.end}
                    for f in stored.figures],
    }


@router.get("/stats/daily", summary="Events per day and event type (undated events, and those "
            "dated only to a week, month or year, are left out)")
def daily_stats(store: StoreDep, query: QueryDep) -> JSONResponse:
    days: dict[str, dict[str, Any]] = {}
    types: set[str] = set()
    for row in store.daily_counts(query):
        day = days.setdefault(row.day.isoformat(), {"date": row.day.isoformat(), "total": 0, "counts": {}})
        day["counts"][row.event_type] = row.count
        day["total"] += row.count
        types.add(row.event_type)
    return JSONResponse({"event_types": sorted(types), "total": sum(d["total"] for d in days.values()),
                         "days": list(days.values())})


@router.get("/places", summary="Distinct event locations with their event counts, most first")
def list_places(store: StoreDep, query: QueryDep,
                limit: Annotated[int, Query(ge=1, le=10_000)] = 1000, offset: Offset = 0) -> JSONResponse:
    found = store.places(query)
    names = country_names()
    rows = [{"location": p.location, "admin1": p.admin1, "country": p.country,
             "country_name": names.get(p.country or ""), "latitude": p.latitude,
             "longitude": p.longitude, "count": p.count} for p in found[offset:offset + limit]]
    return JSONResponse({"total": len(found), "limit": limit, "offset": offset, "places": rows})


@router.get("/actors", summary="Distinct actors with the number of events naming them, most first")
def list_actors(store: StoreDep, query: QueryDep,
                limit: Annotated[int, Query(ge=1, le=10_000)] = 1000, offset: Offset = 0) -> JSONResponse:
    found = store.actors(query)
    rows = [{"name": a.name, "count": a.count} for a in found[offset:offset + limit]]
    return JSONResponse({"total": len(found), "limit": limit, "offset": offset, "actors": rows})


@router.get("/control", summary="Who held each known place on a day, and on whose word")
def control_on(store: StoreDep, at: Annotated[date, Query(description="The day, YYYY-MM-DD.")],
               country: Annotated[str | None, Query(max_length=2)] = None,
               admin1: Annotated[str | None, Query(max_length=MAX_TEXT_FILTER)] = None,
               place: Annotated[str | None, Query(max_length=MAX_TEXT_FILTER)] = None,
               areas: bool = False) -> JSONResponse:
    """The same answer as `frontlines control --at DAY --json`, from the same library calls."""
    from frontlines.control import changes_from_store, select_changes
    from frontlines.control.report import control_json

    changes = select_changes(changes_from_store(store), country=country, admin1=admin1, place=place)
    return JSONResponse(control_json(changes, at, areas=areas))
