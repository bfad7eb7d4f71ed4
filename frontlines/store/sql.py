"""The `Store` on SQLAlchemy Core: SQLite by default, PostgreSQL with a `postgresql://` URL.

The schema is plain tables a person can open in any SQLite browser (Datasette's habit): documents,
events, places, quotes and figures, each row pointing at its document and at character offsets in
its text. Schema changes are numbered migrations recorded in `schema_version`; opening a store
applies the ones it lacks. A document and all its rows are written in one transaction, so an
interrupted ingest leaves either the whole document or nothing.

A `near` query keeps exactly the events whose great-circle distance (`haversine_km`) is within the
radius, on every backend: the distance is computed in SQL, so counting and paging happen there too.
What differs is the coarse test before it, the one an index answers: on PostgreSQL with PostGIS a
GiST index over a geography point per event (`ST_DWithin`), elsewhere a latitude/longitude box over
the plain index.
"""

from __future__ import annotations

import functools
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table,
    Text, and_, create_engine, delete, event, func, insert, inspect, literal_column, or_, select, text,
    union_all,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from frontlines.gazetteer import haversine_km
from frontlines.models import Analysis, EventRecord, Figure, Place, Quote
from frontlines.store.base import (
    ActorCount, DailyCount, EventQuery, PlaceCount, SaveResult, StoredDocument, StoredEvent,
)

log = logging.getLogger(__name__)

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("doc_id", String, nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("title", Text), Column("url", Text), Column("path", Text), Column("source", Text),
    Column("published", Date), Column("language", String(16)), Column("skip_reason", Text),
    Column("text", Text, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("event_date", Date), Column("date_precision", String(8), nullable=False),
    Column("window_start", Date), Column("window_end", Date),
    Column("event_type", String, nullable=False), Column("sub_event_type", String, nullable=False),
    Column("actor1", Text), Column("assoc_actor_1", Text), Column("inter1", Integer),
    Column("actor2", Text), Column("assoc_actor_2", Text), Column("inter2", Integer),
    Column("location", Text), Column("admin1", Text), Column("country", String(2)),
    Column("latitude", Float), Column("longitude", Float), Column("geo_precision", Integer),
    Column("geonameid", Integer), Column("fatalities", Integer),
    Column("evidence", Text, nullable=False), Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False), Column("confidence", Float, nullable=False),
    Column("background", Boolean, nullable=False),
    Index("events_date", "event_date"),
    Index("events_place", "country", "admin1"),
    Index("events_type", "event_type", "sub_event_type"),
    Index("events_point", "latitude", "longitude"),
    Index("events_document", "document_id"),
)

places = Table(
    "places", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("mention", Text, nullable=False), Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False), Column("name", Text), Column("kind", String),
    Column("country", String(2)), Column("admin1", Text), Column("latitude", Float),
    Column("longitude", Float), Column("geonameid", Integer), Column("located_at", Text),
    Index("places_document", "document_id"),
)

quotes = Table(
    "quotes", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("speaker", Text), Column("affiliation", Text), Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
    Index("quotes_document", "document_id"),
)

figures = Table(
    "figures", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("quantity", Float, nullable=False), Column("unit", Text, nullable=False),
    Column("qualifier", Text), Column("claimant", Text), Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
    Index("figures_document", "document_id"),
)

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

_DOMAIN_TABLES = (documents, events, places, quotes, figures)


def _create_v1(conn: Connection) -> bool:
    metadata.create_all(conn, tables=list(_DOMAIN_TABLES))
    return True


def _add_geography_point(conn: Connection) -> bool:
    """On PostgreSQL with PostGIS, a geography point per event and a GiST index on it for `near`.

    The point is a generated column, so the database itself keeps it in step with latitude and
    longitude on every insert and update; coordinates off the globe give no point (such an event is
    near nothing, as the latitude/longitude box decides elsewhere). Without PostGIS in the database
    the step is left pending and retried at each opening: once a superuser runs
    `CREATE EXTENSION postgis`, the next opening adds the index.
    """
    if conn.dialect.name != "postgresql":
        return True  # SQLite keeps the plain latitude/longitude index
    if not _postgis_installed(conn):
        _log_without_postgis(conn.engine.url.render_as_string(hide_password=True))
        return False
    conn.execute(text(
        "ALTER TABLE events ADD COLUMN point geography(Point, 4326) GENERATED ALWAYS AS ("
        " CASE WHEN latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180"
        " THEN geography(ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)) END) STORED"))
    conn.execute(text("CREATE INDEX events_geography ON events USING gist (point)"))
    return True


def _add_place_located_at(conn: Connection) -> bool:
    """Places whose point is another's (a village at its district) say whose. A store created
    at this version already has the column from `_create_v1`."""
    columns = {c["name"] for c in inspect(conn).get_columns("places")}
    if "located_at" not in columns:
        conn.execute(text("ALTER TABLE places ADD COLUMN located_at TEXT"))
    return True


def _postgis_installed(conn: Connection) -> bool:
    return conn.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")) is not None


@functools.cache  # once per database in a process, however often it is opened
def _log_without_postgis(database: str) -> None:
    log.warning("PostGIS is not installed in %s: `near` queries use the plain latitude/longitude "
                "index (a superuser's CREATE EXTENSION postgis adds the spatial index at the next "
                "opening)", database)


# Numbered migrations, applied in order; append, never edit a released one. A step returns False
# when it cannot apply yet (PostGIS absent): it stays unrecorded and is retried at the next opening,
# so no later step may depend on it.
MIGRATIONS: tuple[tuple[int, Callable[[Connection], bool]], ...] = (
    (1, _create_v1), (2, _add_geography_point), (3, _add_place_located_at))
_GEOGRAPHY_VERSION = 2
# Concurrent openings of a new PostgreSQL store take turns at migrating (any constant key will do).
_MIGRATION_LOCK = 7_316_514


class great_circle_km(FunctionElement[float]):
    """`haversine_km(lat1, lon1, lat2, lon2)` in SQL, the same double on every backend."""

    type = Float()
    inherit_cache = True


@compiles(great_circle_km)
def _great_circle_by_call(element: great_circle_km, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite calls the Python function itself, registered on every connection (`_sqlite_connect`).
    return f"great_circle_km({compiler.process(element.clauses, **kw)})"


@compiles(great_circle_km, "postgresql")
def _great_circle_inline(element: great_circle_km, compiler: SQLCompiler, **kw: Any) -> str:
    # `haversine_km` written out operation for operation: PostgreSQL's float8 functions call the
    # same C maths library as Python's `math`, so a point exactly on the radius falls on the same
    # side on both backends (tests/test_store_near.py compares them bit for bit).
    lat1, lon1, lat2, lon2 = (compiler.process(arg, **kw) for arg in element.clauses)
    return (f"(6371.0::float8 * 2 * asin(sqrt(least(1.0::float8,"
            f" power(sin((radians({lat2}) - radians({lat1})) / 2), 2)"
            f" + cos(radians({lat1})) * cos(radians({lat2}))"
            f" * power(sin(radians({lon2} - {lon1}) / 2), 2)))))")


# An event dated only to its week, month or year belongs to no single day: a daily count would
# put it on the first day of its period.
COARSER_THAN_A_DAY = ("week", "month", "year")
# Points of one named place closer than this are one place written with different rounding.
SAME_POINT_KM = 2.0


def _same_point(lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None) -> bool:
    if None in (lat1, lon1, lat2, lon2):
        return (lat1, lon1) == (lat2, lon2)
    return haversine_km(lat1, lon1, lat2, lon2) < SAME_POINT_KM


def _great_circle_or_null(lat1: float | None, lon1: float | None, lat2: float | None,
                          lon2: float | None) -> float | None:
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return None  # as SQL's own functions do with NULL
    return haversine_km(lat1, lon1, lat2, lon2)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (the web API) go on while one writer ingests; foreign keys make the
    # cascade on document removal real.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    dbapi_connection.create_function("great_circle_km", 4, _great_circle_or_null, deterministic=True)


def database_url(db: str) -> str:
    """A path becomes a SQLite URL; a PostgreSQL URL is driven by psycopg 3 (what we install)."""
    if "://" not in db:
        return f"sqlite:///{db}"
    for prefix in ("postgresql://", "postgres://"):
        if db.startswith(prefix):
            return "postgresql+psycopg://" + db[len(prefix):]
    return db


class SqlStore:
    """A `Store` over any database SQLAlchemy reaches; SQLite and PostgreSQL are tested."""

    def __init__(self, db: str) -> None:
        url = database_url(db)
        # PostGIS declares its functions costly, which lifts `near` plans past jit_above_cost, and
        # compiling them took longer than running them (counting 55,000 of 100,000 events within
        # 300 km: 1.4 s with JIT, 0.23 s without).
        jit_off = {"options": "-c jit=off"} if url.startswith("postgresql") else {}
        self.engine: Engine = create_engine(url, connect_args=jit_off)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_connect)
        self.geography = False  # whether `near` can use PostGIS; set by `migrate`
        self.migrate()

    def migrate(self) -> None:
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
            schema_version.create(conn, checkfirst=True)
            applied = set(conn.scalars(select(schema_version.c.version)))
            for version, step in MIGRATIONS:
                if version not in applied and step(conn):
                    conn.execute(insert(schema_version).values(
                        version=version, applied_at=datetime.now(UTC)))
                    applied.add(version)
        self.geography = self.engine.dialect.name == "postgresql" and _GEOGRAPHY_VERSION in applied

    def close(self) -> None:
        self.engine.dispose()

    # --- writing ---------------------------------------------------------------------------

    def has_document(self, sha256: str) -> bool:
        return self._document_id(sha256) is not None

    def _document_id(self, sha256: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(documents.c.id).where(documents.c.sha256 == sha256))

    def save(self, analysis: Analysis) -> SaveResult:
        doc = analysis.document
        existing = self._document_id(doc.sha256)
        if existing is not None:
            return SaveResult(existing, created=False)
        try:
            with self.engine.begin() as conn:
                document_id = self._insert_analysis(conn, analysis)
        except IntegrityError:
            # Another writer stored the same text between the look-up above and this insert (two
            # uploads at once): the unique sha256 refused ours, and the text is stored all the same.
            existing = self._document_id(doc.sha256)
            if existing is None:
                raise
            return SaveResult(existing, created=False)
        return SaveResult(document_id, created=True)

    @staticmethod
    def _insert_analysis(conn: Connection, analysis: Analysis) -> int:
        doc = analysis.document
        document_id = conn.execute(insert(documents).values(
            doc_id=doc.id, sha256=doc.sha256, title=doc.title, url=doc.url, path=doc.path,
            source=doc.source, published=doc.published, language=doc.language,
            skip_reason=doc.skip_reason, text=doc.text, ingested_at=datetime.now(UTC),
        )).inserted_primary_key[0]
        _insert_rows(conn, events, document_id, (_event_row(e) for e in analysis.events))
        _insert_rows(conn, places, document_id, (_place_row(p) for p in analysis.places))
        _insert_rows(conn, quotes, document_id, (
            dict(speaker=q.speaker, affiliation=q.affiliation, text=q.text, start=q.start,
                 end=q.end) for q in analysis.quotes))
        _insert_rows(conn, figures, document_id, (
            dict(quantity=f.quantity, unit=f.unit, qualifier=f.qualifier, claimant=f.claimant,
                 text=f.text, start=f.start, end=f.end) for f in analysis.figures))
        return document_id

    def remove_document(self, document_id: int) -> bool:
        with self.engine.begin() as conn:
            for table in (events, places, quotes, figures):
                conn.execute(delete(table).where(table.c.document_id == document_id))
            return conn.execute(delete(documents).where(documents.c.id == document_id)).rowcount > 0

    # --- reading ---------------------------------------------------------------------------

    def events(self, query: EventQuery) -> list[StoredEvent]:
        stmt = (select(events, documents.c.source, documents.c.url, documents.c.title,
                       documents.c.published)
                .join(documents, documents.c.id == events.c.document_id))
        conditions = _conditions(query, self.geography)
        with self.engine.connect() as conn:
            if query.limit is None:
                stmt = stmt.where(*conditions).order_by(*_ORDER).offset(query.offset)
                return [_stored_event(row) for row in conn.execute(stmt).mappings()]
            # A page is found by sorting ids alone, then its rows are read by id: sorting whole
            # rows (evidence text, document columns) made a page of a 100,000-event store take
            # ten times longer.
            page = list(conn.scalars(select(events.c.id).where(*conditions).order_by(*_ORDER)
                                     .offset(query.offset).limit(query.limit)))
            found: dict[int, StoredEvent] = {}
            for start in range(0, len(page), _IN_CHUNK):
                chunk = page[start:start + _IN_CHUNK]
                for row in conn.execute(stmt.where(events.c.id.in_(chunk))).mappings():
                    found[row["id"]] = _stored_event(row)
        return [found[event_id] for event_id in page]

    def count_events(self, query: EventQuery) -> int:
        stmt = (select(func.count()).select_from(events.join(documents))
                .where(*_conditions(query, self.geography)))
        with self.engine.connect() as conn:
            return int(conn.scalar(stmt) or 0)

    def documents(self) -> list[StoredDocument]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents).order_by(documents.c.id)).mappings()
            return [_stored_document(row) for row in rows]

    def document(self, document_id: int) -> StoredDocument | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(documents).where(documents.c.id == document_id)).mappings().first()
            if row is None:
                return None
            stored = _stored_document(row)
            stored.places = [Place(**{k: r[k] for k in _PLACE_FIELDS}) for r in conn.execute(
                select(places).where(places.c.document_id == document_id).order_by(places.c.start)).mappings()]
            stored.quotes = [Quote(r["speaker"], r["affiliation"], r["text"], r["start"], r["end"])
                             for r in conn.execute(select(quotes).where(
                                 quotes.c.document_id == document_id).order_by(quotes.c.start)).mappings()]
            stored.figures = [Figure(r["quantity"], r["unit"], r["qualifier"], r["claimant"], r["text"],
                                     r["start"], r["end"]) for r in conn.execute(select(figures).where(
                                         figures.c.document_id == document_id).order_by(figures.c.start)).mappings()]
        stored.events = self.events(EventQuery(document_id=document_id))
        return stored

    # --- aggregates ------------------------------------------------------------------------
    # Grouping happens in SQL so a 100,000-event store sends back a few hundred rows.

    def daily_counts(self, query: EventQuery) -> list[DailyCount]:
        c = events.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(c.event_date, c.event_type, func.count())
                .where(*_conditions(query, self.geography), c.event_date.is_not(None),
                       c.date_precision.not_in(COARSER_THAN_A_DAY))
                .group_by(c.event_date, c.event_type).order_by(c.event_date, c.event_type)).all()
        return [DailyCount(day, kind, int(n)) for day, kind, n in rows]

    def places(self, query: EventQuery) -> list[PlaceCount]:
        c = events.c
        key = (c.location, c.admin1, c.country, c.latitude, c.longitude)
        n = func.count().label("n")
        stmt = select(*key, n).where(*_conditions(query, self.geography)).group_by(*key).order_by(
            n.desc(), c.location, c.country)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        # One place whose events carry its point rounded differently (Aleppo at 36.2012 and at
        # 36.20124) is one row, at the point most of its events have (rows come most first).
        by_name: dict[tuple, list[list[Any]]] = defaultdict(list)  # name -> [lat, lon, count]s
        for location, admin1, country, lat, lon, count in rows:
            points = by_name[(location, admin1, country)]
            same = next((p for p in points if _same_point(p[0], p[1], lat, lon)), None)
            if same is None:
                points.append([lat, lon, int(count)])
            else:
                same[2] += int(count)
        places = [PlaceCount(*name, lat, lon, count=count)
                  for name, points in by_name.items() for lat, lon, count in points]
        return sorted(places, key=lambda p: (-p.count, p.location or "", p.country or ""))

    def actors(self, query: EventQuery) -> list[ActorCount]:
        c = events.c
        conditions = _conditions(query, self.geography)
        named = union_all(*(
            select(c.id.label("event_id"), col.label("name"))
            .where(*conditions, col.is_not(None)) for col in (c.actor1, c.actor2, c.assoc_actor_1,
                                                              c.assoc_actor_2))).subquery()
        tally: Counter[str] = Counter()
        with self.engine.connect() as conn:
            if query.near is None:
                # Grouped in SQL: an event naming an actor in two roles counts once, except when
                # one of the two is inside a "; "-joined associate list (the grouping sees the
                # whole list); the exact count below is kept for `near`, whose rows are few.
                stmt = select(named.c.name, func.count(named.c.event_id.distinct())).group_by(named.c.name)
                pairs: Iterable[tuple[int | None, str, int]] = (
                    (None, name, n) for name, n in conn.execute(stmt))
            else:
                pairs = ((event_id, name, 1)
                         for event_id, name in conn.execute(select(named).distinct()))
            seen: set[tuple[int, str]] = set()
            for event_id, names, n in pairs:
                # Associated actors are stored "; "-joined: each name of the list counts.
                for name in {part.strip() for part in names.split("; ") if part.strip()}:
                    if event_id is None:
                        tally[name] += n
                    elif (event_id, name) not in seen:
                        seen.add((event_id, name))
                        tally[name] += 1
        return [ActorCount(name, n) for name, n in sorted(tally.items(), key=lambda i: (-i[1], i[0]))]


# Events come dated first, by date, undated last; the id breaks ties so pages never overlap.
_ORDER = (events.c.event_date.is_(None), events.c.event_date, events.c.id)
_IN_CHUNK = 900  # ids per IN (...) list, well under every SQLite build's limit on bound parameters

_PLACE_FIELDS = ("mention", "start", "end", "name", "kind", "country", "admin1", "latitude",
                 "longitude", "geonameid", "located_at")
_EVENT_FIELDS = ("event_type", "sub_event_type", "actor1", "evidence", "start", "end", "event_date",
                 "date_precision", "actor2", "assoc_actor_1", "assoc_actor_2", "inter1", "inter2",
                 "location", "admin1", "country", "latitude", "longitude", "geo_precision",
                 "geonameid", "fatalities", "confidence", "background")


def _insert_rows(conn: Connection, table: Table, document_id: int, rows: Iterable[dict]) -> None:
    batch = [{**row, "document_id": document_id} for row in rows]
    if batch:
        conn.execute(insert(table), batch)


def _event_row(e: EventRecord) -> dict[str, Any]:
    row = {name: getattr(e, name) for name in _EVENT_FIELDS}
    row["window_start"], row["window_end"] = e.date_window or (None, None)
    return row


def _place_row(p: Place) -> dict[str, Any]:
    return {name: getattr(p, name) for name in _PLACE_FIELDS}


def _stored_event(row: Any) -> StoredEvent:
    record = EventRecord(**{name: row[name] for name in _EVENT_FIELDS})
    if row["window_start"] is not None:
        record.date_window = (row["window_start"], row["window_end"])
    return StoredEvent(id=row["id"], document_id=row["document_id"], event=record,
                       source=row["source"], url=row["url"], title=row["title"],
                       published=row["published"])


def _stored_document(row: Any) -> StoredDocument:
    return StoredDocument(
        id=row["id"], doc_id=row["doc_id"], sha256=row["sha256"], title=row["title"], url=row["url"],
        path=row["path"], source=row["source"], published=row["published"],
        language=row["language"], skip_reason=row["skip_reason"], text=row["text"])


def _conditions(q: EventQuery, geography: bool) -> list[Any]:
    """SQL conditions for every filter; values are bound parameters, never spliced into SQL.

    `geography`: whether the events table has the PostGIS point (`_add_geography_point`).
    """
    c = events.c
    out: list[Any] = []
    if q.date_from is not None:
        out.append(c.event_date >= q.date_from)
    if q.date_to is not None:
        out.append(c.event_date <= q.date_to)
    if q.country:
        out.append(func.upper(c.country) == q.country.upper())
    if q.admin1:
        out.append(func.lower(c.admin1) == q.admin1.lower())
    if q.actor:
        like = f"%{_escape_like(q.actor.lower())}%"
        out.append(or_(*(func.lower(col).like(like, escape="\\") for col in
                         (c.actor1, c.actor2, c.assoc_actor_1, c.assoc_actor_2))))
    if q.event_type:
        wanted = q.event_type.lower()
        out.append(or_(func.lower(c.event_type) == wanted, func.lower(c.sub_event_type) == wanted))
    if q.text:
        out.append(func.lower(c.evidence).like(f"%{_escape_like(q.text.lower())}%", escape="\\"))
    if not q.include_background:
        out.append(c.background.is_(False))
    if q.document_id is not None:
        out.append(c.document_id == q.document_id)
    if q.near is not None:
        out.extend(_near_conditions(q, geography=geography))
    return out


_EARTH_RADIUS_KM = 6371.0  # the sphere of `haversine_km`
# The coarse test reaches this much further than the radius (relative, then absolute): PostGIS's
# sphere is 6371.0088 km, 1.4e-6 larger, and rounding must never drop a point the exact test keeps.
_REACH_MARGIN, _REACH_SLACK_KM = 1e-5, 1e-6


def _near_conditions(q: EventQuery, *, geography: bool) -> list[Any]:
    """The coarse test an index answers, then the exact great-circle distance."""
    assert q.near is not None
    lat, lon = (float(v) for v in q.near)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"near {q.near} is off the globe: latitude -90..90, longitude -180..180")
    if not q.within_km >= 0:
        raise ValueError(f"within_km must be a distance of 0 km or more, not {q.within_km}")
    reach_km = q.within_km * (1 + _REACH_MARGIN) + _REACH_SLACK_KM
    if geography:
        # ST_DWithin on the sphere (use_spheroid false), which the GiST index answers
        coarse = func.ST_DWithin(literal_column("events.point"), func.geography(func.ST_MakePoint(lon, lat)),
                                 reach_km * 1000, False)
    else:
        coarse = _bounding_box(lat, lon, reach_km)
    return [coarse, great_circle_km(lat, lon, events.c.latitude, events.c.longitude) <= q.within_km]


def _bounding_box(lat: float, lon: float, reach_km: float) -> Any:
    """Latitude and longitude ranges holding every point on the globe within `reach_km`.

    The longitude half-width grows towards the poles (asin(sin r / cos lat), Jan Matuschek's
    "Finding Points Within a Distance"); a box crossing the antimeridian is two ranges, and a circle
    holding a pole spans every longitude. Coordinates off the globe fall outside every box.
    """
    c = events.c
    radius = math.degrees(reach_km / _EARTH_RADIUS_KM)
    south, north = lat - radius, lat + radius
    if south <= -90 or north >= 90:
        return and_(c.latitude.between(max(south, -90.0), min(north, 90.0)),
                    c.longitude.between(-180.0, 180.0))
    ratio = math.sin(math.radians(radius)) / math.cos(math.radians(lat))
    half_width = math.degrees(math.asin(min(1.0, ratio)))
    west, east = lon - half_width, lon + half_width
    if west < -180:
        ranges = [(west + 360, 180.0), (-180.0, east)]
    elif east > 180:
        ranges = [(west, 180.0), (-180.0, east - 360)]
    else:
        ranges = [(west, east)]
    return and_(c.latitude.between(south, north),
                or_(*(c.longitude.between(low, high) for low, high in ranges)))


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def open_store(db: str) -> SqlStore:
    return SqlStore(db)


def drop_all_tables(db: str) -> None:
    """Drop every table (tests and benchmarks start from a fresh schema) but an extension's own.

    PostGIS owns `spatial_ref_sys`, which only dropping the extension may remove. Tables go by name,
    without reflecting their columns (SQLAlchemy knows no geography type).
    """
    engine = create_engine(database_url(db))
    with engine.begin() as conn:
        names = set(inspect(conn).get_table_names())
        cascade = ""
        if conn.dialect.name == "postgresql":
            names -= set(conn.scalars(text(
                "SELECT c.relname FROM pg_class c JOIN pg_depend d ON d.objid = c.oid"
                " WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e'")))
            cascade = " CASCADE"  # the foreign keys between our tables go with them
        quote = conn.dialect.identifier_preparer.quote
        for name in sorted(names):
            conn.execute(text(f"DROP TABLE IF EXISTS {quote(name)}{cascade}"))
    engine.dispose()
