"""The `Store` on SQLAlchemy Core: SQLite by default, PostgreSQL with a `postgresql://` URL.

The schema is plain tables a person can open in any SQLite browser (Datasette's habit): documents,
events, places, quotes and figures, each row pointing at its document and at character offsets in
its text. Schema changes are numbered migrations recorded in `schema_version`; opening a store
applies the ones it lacks. A document and all its rows are written in one transaction, so an
interrupted ingest leaves either the whole document or nothing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table,
    Text, and_, create_engine, delete, event, func, insert, or_, select, union_all,
)
from sqlalchemy.engine import Connection, Engine

from frontlines.gazetteer import haversine_km
from frontlines.models import Analysis, EventRecord, Figure, Place, Quote
from frontlines.store.base import (
    ActorCount, DailyCount, EventQuery, PlaceCount, SaveResult, StoredDocument, StoredEvent,
)

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
    Column("longitude", Float), Column("geonameid", Integer),
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


def _create_v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=list(_DOMAIN_TABLES))


# Numbered migrations, applied in order; append, never edit a released one.
MIGRATIONS: tuple[tuple[int, Callable[[Connection], None]], ...] = ((1, _create_v1),)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (the web API) go on while one writer ingests; foreign keys make the
    # cascade on document removal real.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


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
        self.engine: Engine = create_engine(database_url(db))
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.migrate()

    def migrate(self) -> None:
        with self.engine.begin() as conn:
            schema_version.create(conn, checkfirst=True)
            applied = set(conn.scalars(select(schema_version.c.version)))
            for version, step in MIGRATIONS:
                if version not in applied:
                    step(conn)
                    conn.execute(insert(schema_version).values(
                        version=version, applied_at=datetime.now(UTC)))

    def close(self) -> None:
        self.engine.dispose()

    # --- writing ---------------------------------------------------------------------------

    def has_document(self, sha256: str) -> bool:
        with self.engine.connect() as conn:
            return conn.scalar(select(documents.c.id).where(documents.c.sha256 == sha256)) is not None

    def save(self, analysis: Analysis) -> SaveResult:
        doc = analysis.document
        with self.engine.begin() as conn:
            existing = conn.scalar(select(documents.c.id).where(documents.c.sha256 == doc.sha256))
            if existing is not None:
                return SaveResult(existing, created=False)
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
        return SaveResult(document_id, created=True)

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
        with self.engine.connect() as conn:
            if query.limit is None and query.near is None:
                stmt = stmt.where(*_conditions(query)).order_by(*_ORDER).offset(query.offset)
                return [_stored_event(row) for row in conn.execute(stmt).mappings()]
            # A page is found by sorting ids alone, then its rows are read by id: sorting whole
            # rows (evidence text, document columns) made a page of a 100,000-event store take
            # ten times longer, and a `near` query no longer builds every event in its box.
            page = self._page_ids(conn, query)
            found: dict[int, StoredEvent] = {}
            for start in range(0, len(page), _IN_CHUNK):
                chunk = page[start:start + _IN_CHUNK]
                for row in conn.execute(stmt.where(events.c.id.in_(chunk))).mappings():
                    found[row["id"]] = _stored_event(row)
        return [found[event_id] for event_id in page]

    def _page_ids(self, conn: Connection, query: EventQuery) -> list[int]:
        """The ids of the events on the query's page, in `_ORDER`, the exact radius applied."""
        if query.near is None:
            stmt = select(events.c.id).where(*_conditions(query)).order_by(*_ORDER)
            return list(conn.scalars(stmt.offset(query.offset).limit(query.limit)))
        stmt = (select(events.c.id, events.c.latitude, events.c.longitude)
                .where(*_conditions(query)).order_by(*_ORDER))
        matching = [event_id for event_id, lat, lon in conn.execute(stmt) if _is_near(query, lat, lon)]
        end = None if query.limit is None else query.offset + query.limit
        return matching[query.offset:end]

    def count_events(self, query: EventQuery) -> int:
        with self.engine.connect() as conn:
            if query.near is not None:
                return len(self._page_ids(conn, EventQuery(**{**_fields(query), "limit": None,
                                                              "offset": 0})))
            stmt = select(func.count()).select_from(events.join(documents)).where(*_conditions(query))
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
    # Grouping happens in SQL so a 100,000-event store sends back a few hundred rows; only a
    # `near` query needs Python afterwards, for the exact great-circle test (as in `events`).

    def daily_counts(self, query: EventQuery) -> list[DailyCount]:
        c = events.c
        dated = [*_conditions(query), c.event_date.is_not(None)]
        with self.engine.connect() as conn:
            if query.near is None:
                rows = conn.execute(
                    select(c.event_date, c.event_type, func.count())
                    .where(*dated).group_by(c.event_date, c.event_type)
                    .order_by(c.event_date, c.event_type)).all()
                return [DailyCount(day, kind, int(n)) for day, kind, n in rows]
            rows = conn.execute(select(c.event_date, c.event_type, c.latitude, c.longitude)
                                .where(*dated)).all()
        tally = Counter((day, kind) for day, kind, lat, lon in rows if _is_near(query, lat, lon))
        return [DailyCount(day, kind, n) for (day, kind), n in sorted(tally.items())]

    def places(self, query: EventQuery) -> list[PlaceCount]:
        c = events.c
        key = (c.location, c.admin1, c.country, c.latitude, c.longitude)
        n = func.count().label("n")
        stmt = select(*key, n).where(*_conditions(query)).group_by(*key).order_by(
            n.desc(), c.location, c.country)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        # every event of a group shares its point, so the exact distance test applies per group
        return [PlaceCount(*row[:5], count=int(row[5])) for row in rows
                if query.near is None or _is_near(query, row[3], row[4])]

    def actors(self, query: EventQuery) -> list[ActorCount]:
        c = events.c
        conditions = _conditions(query)
        named = union_all(*(
            select(c.id.label("event_id"), col.label("name"), c.latitude, c.longitude)
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
                rows = conn.execute(select(named).distinct()).all()
                pairs = ((event_id, name, 1) for event_id, name, lat, lon in rows
                         if _is_near(query, lat, lon))
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
                 "longitude", "geonameid")
_EVENT_FIELDS = ("event_type", "sub_event_type", "actor1", "evidence", "start", "end", "event_date",
                 "date_precision", "actor2", "assoc_actor_1", "assoc_actor_2", "inter1", "inter2",
                 "location", "admin1", "country", "latitude", "longitude", "geo_precision",
                 "geonameid", "fatalities", "confidence", "background")


def _fields(query: EventQuery) -> dict[str, Any]:
    return {name: getattr(query, name) for name in query.__dataclass_fields__}


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


def _conditions(q: EventQuery) -> list[Any]:
    """SQL conditions for every filter; values are bound parameters, never spliced into SQL."""
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
        # A bounding box the index can use; the exact great-circle test follows in Python.
        lat, lon = q.near
        dlat = q.within_km / 111.0
        dlon = q.within_km / max(1e-6, 111.0 * math.cos(math.radians(lat)))
        out.append(and_(c.latitude.between(lat - dlat, lat + dlat),
                         c.longitude.between(lon - dlon, lon + dlon)))
    return out


def _is_near(query: EventQuery, lat: float | None, lon: float | None) -> bool:
    if query.near is None:
        return True
    if lat is None or lon is None:
        return False
    return haversine_km(query.near[0], query.near[1], lat, lon) <= query.within_km


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def open_store(db: str) -> SqlStore:
    return SqlStore(db)


def drop_all_tables(db: str) -> None:
    """Empty a database completely (tests and benchmarks start from a fresh schema)."""
    engine = create_engine(database_url(db))
    existing = MetaData()
    existing.reflect(engine)
    existing.drop_all(engine)
    engine.dispose()
