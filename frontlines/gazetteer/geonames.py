"""Importing the files GeoNames publishes into the user's gazetteer, streamed and resumable.

A user downloads what they need from GeoNames' export folder and runs `frontlines gazetteer
import FILE...`; each file may be zipped or not:

- places, 19 tab-separated columns: `allCountries`, a country's `XX` (`SY.zip`), `cities500`,
  `cities1000`, `cities5000`, `cities15000`;
- `alternateNamesV2` (or the older `alternateNames`): more spellings of places already imported;
- `admin1CodesASCII.txt`, `admin2Codes.txt`: the names of first- and second-level divisions;
- `hierarchy`: parent-child links between divisions and places.

Only what conflict reporting names is kept: populated places, administrative divisions below the
first level (the bundled index has countries and regions, with curated spellings and centres),
airports, bases, camps, border posts, dams, bridges, prisons, hills and mountains, roads. Names keep
Latin and Arabic script, as the bundled index does.

The import streams line by line (allCountries has 12 million rows), so memory stays bounded. It
commits every `BATCH_LINES` lines together with how far it got, so an interrupted import resumes
where it stopped, and re-running a finished file does nothing; rows are upserted by geonameid, so a
file read twice never doubles a place.
"""

from __future__ import annotations

import os
import sqlite3
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import IO, Protocol

from frontlines.errors import FrontlinesError
from frontlines.gazetteer.index import CITY_POPULATION, name_rows, usable_name
from frontlines.toponyms import name_key, skeleton_key

IMPORT_VERSION = 1
BATCH_LINES = 20_000
TOWN_POPULATION = 1_000


class GeoNamesImportError(FrontlinesError):
    """A file that is not one of GeoNames' dumps, or one that cannot be read."""


class FileKind(str, Enum):
    """The GeoNames dumps the importer reads, in the order they are best imported."""

    ADMIN_NAMES = "admin codes"
    PLACES = "places"
    ALTERNATE_NAMES = "alternate names"
    HIERARCHY = "hierarchy"


# The feature codes kept outside the populated places (class P), and the kind each becomes.
KIND_BY_FEATURE_CODE = {
    **dict.fromkeys(("ADM2", "ADM3", "ADM4", "ADM5", "ADMD"), "district"),
    **dict.fromkeys(("AIRP", "AIRF", "AIRH"), "airport"),
    **dict.fromkeys(("AIRB", "MILB", "INSM", "NVB"), "military base"),
    "CMPRF": "camp",
    **dict.fromkeys(("PSTB", "PSTC"), "border crossing"),
    "DAM": "dam",
    "BDG": "bridge",
    "PRN": "prison",
    **dict.fromkeys(("HLL", "HLLS"), "hill"),
    **dict.fromkeys(("MT", "MTS", "PK"), "mountain"),
    "PASS": "pass",
    **dict.fromkeys(("RD", "RDJCT"), "road"),
}
# Historical places are not where today's events happen.
SKIPPED_POPULATED_CODES = frozenset({"PPLH"})
# Language codes of GeoNames' alternate names that are identifiers, not names.
NOT_NAME_LANGUAGES = frozenset({"link", "wkdt", "post", "iata", "icao", "faac", "abbr", "unlc",
                                "tcid", "fr_1793"})

SCHEMA = """
CREATE TABLE IF NOT EXISTS places (
    id INTEGER PRIMARY KEY, geonameid INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    country TEXT, admin1_code TEXT, admin1 TEXT, latitude REAL NOT NULL, longitude REAL NOT NULL,
    population INTEGER NOT NULL DEFAULT 0, anchor_latitude REAL, anchor_longitude REAL,
    capital INTEGER NOT NULL DEFAULT 0, countries TEXT, feature_code TEXT, admin2_code TEXT
);
CREATE TABLE IF NOT EXISTS names (key TEXT NOT NULL, skeleton TEXT NOT NULL,
                                  place_id INTEGER NOT NULL, is_primary INTEGER NOT NULL,
                                  UNIQUE (key, place_id));
-- The unique index above answers lookups by key; only skeletons need one of their own.
CREATE INDEX IF NOT EXISTS names_skeleton ON names(skeleton);
CREATE TABLE IF NOT EXISTS admin_names (code TEXT PRIMARY KEY, name TEXT NOT NULL,
                                        geonameid INTEGER);
CREATE TABLE IF NOT EXISTS hierarchy (parent INTEGER NOT NULL, child INTEGER NOT NULL,
                                      type TEXT, PRIMARY KEY (parent, child));
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL, lines_done INTEGER NOT NULL,
    rows_kept INTEGER NOT NULL, complete INTEGER NOT NULL, updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
"""


@dataclass(frozen=True, slots=True)
class DumpFile:
    """One GeoNames table to read: a plain file, or a member of a zip archive."""

    path: Path
    member: str | None
    kind: FileKind
    size: int

    @property
    def name(self) -> str:
        return f"{self.path.name}:{self.member}" if self.member else self.path.name

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        if self.member is None:
            with open(self.path, "rb") as f:
                yield f
        else:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as f:
                yield f


@dataclass(slots=True)
class ImportResult:
    """What one file added: lines read in this run, rows kept in all runs."""

    name: str
    kind: FileKind
    lines_read: int
    rows_kept: int
    resumed_at: int = 0
    skipped: bool = False


Progress = Callable[[DumpFile, int], None]


class _TableWriter(Protocol):
    def write(self, rows: list[list[str]]) -> int: ...


def kind_of(file_name: str) -> FileKind | None:
    """The dump a file name stands for ("SY.txt", "allCountries.zip", "admin1CodesASCII.txt")."""
    stem = file_name.rsplit("/", 1)[-1].split(".", 1)[0]
    lowered = stem.lower()
    if lowered == "allcountries" or lowered in {"cities500", "cities1000", "cities5000",
                                                "cities15000"} or (len(stem) == 2 and stem.isupper()):
        return FileKind.PLACES
    if lowered in {"alternatenamesv2", "alternatenames"}:
        return FileKind.ALTERNATE_NAMES
    if lowered in {"admin1codesascii", "admin1codes", "admin2codes"}:
        return FileKind.ADMIN_NAMES
    if lowered == "hierarchy":
        return FileKind.HIERARCHY
    return None


def dump_files(path: Path) -> list[DumpFile]:
    """The GeoNames tables in `path`: the file itself, or the tables a zip archive holds.

    Archives carry a readme and a language-code table beside their data; those are passed over.
    """
    if not path.is_file():
        raise GeoNamesImportError(f"{path}: no such file")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            found = [DumpFile(path, info.filename, kind, info.file_size)
                     for info in archive.infolist()
                     if (kind := kind_of(info.filename)) is not None]
    else:
        kind = kind_of(path.name)
        found = [DumpFile(path, None, kind, path.stat().st_size)] if kind is not None else []
    if not found:
        raise GeoNamesImportError(
            f"{path.name}: not a GeoNames dump this importer reads (allCountries, a country file "
            "such as SY.zip, citiesN, alternateNamesV2, admin1CodesASCII, admin2Codes, hierarchy)")
    return found


def import_files(paths: list[Path], into: Path, *, region_names: dict[tuple[str, str], str] | None = None,
                 progress: Progress | None = None, force: bool = False) -> list[ImportResult]:
    """Import GeoNames dumps into the SQLite file `into`, creating it if need be.

    Tables are read in dependency order whatever order they are given in: division names first
    (to name each place's region), then places, then alternate names and the hierarchy, which
    only attach to places already imported. `region_names` names first-level divisions when no
    admin1 codes file is given (the bundled index knows them). A file read to its end before is
    skipped unless `force`.
    """
    tables = sorted((t for p in paths for t in dump_files(Path(p))),
                    key=lambda t: list(FileKind).index(t.kind))
    into.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(into)
    try:
        # WAL keeps a reader (a running analysis) working while an import writes.
        db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                         "PRAGMA cache_size=-200000;" + SCHEMA)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(IMPORT_VERSION),))
        db.commit()
        results = [_import_table(db, table, region_names or {}, progress, force) for table in tables]
        _name_regions(db)
        return results
    finally:
        db.close()


def _import_table(db: sqlite3.Connection, table: DumpFile, region_names: dict[tuple[str, str], str],
                  progress: Progress | None, force: bool) -> ImportResult:
    row = db.execute("SELECT size, lines_done, rows_kept, complete FROM sources WHERE name = ?",
                     (table.name,)).fetchone()
    start, kept = 0, 0
    if row is not None and row[0] == table.size and not force:
        if row[3]:
            return ImportResult(table.name, table.kind, 0, row[2], skipped=True)
        start, kept = row[1], row[2]
    # Only the table's own writer: the places writer reads the division names when made.
    reader: _TableWriter = _PlaceWriter(db, region_names) if table.kind is FileKind.PLACES else {
        FileKind.ALTERNATE_NAMES: _AlternateNameWriter,
        FileKind.ADMIN_NAMES: _AdminNameWriter,
        FileKind.HIERARCHY: _HierarchyWriter,
    }[table.kind](db)
    try:
        return _read_table(db, table, reader, start, kept, progress)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise GeoNamesImportError(
            f"{table.name}: the archive is broken ({exc}); the rows read before the break are kept, "
            "and importing a complete download resumes there") from exc


def _read_table(db: sqlite3.Connection, table: DumpFile, reader: _TableWriter, start: int, kept: int,
                progress: Progress | None) -> ImportResult:
    line_no = 0
    with table.open() as stream:
        batch: list[list[str]] = []
        for raw in stream:
            line_no += 1
            if line_no <= start:
                continue
            if progress is not None:
                progress(table, len(raw))
            if raw.startswith(b"#"):
                continue
            batch.append(raw.decode("utf-8", errors="replace").rstrip("\r\n").split("\t"))
            if len(batch) >= BATCH_LINES:
                kept += reader.write(batch)
                _checkpoint(db, table, line_no, kept, complete=False)
                batch = []
        kept += reader.write(batch)
        _checkpoint(db, table, line_no, kept, complete=True)
    return ImportResult(table.name, table.kind, line_no - start, kept, resumed_at=start)


def _checkpoint(db: sqlite3.Connection, table: DumpFile, lines: int, kept: int, *,
                complete: bool) -> None:
    """Record how far the file was read in the same transaction as its rows."""
    db.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?,?,?,?,?)",
               (table.name, table.kind.value, table.size, lines, kept, int(complete),
                datetime.now(timezone.utc).isoformat(timespec="seconds")))
    db.commit()


def place_kind(feature_class: str, feature_code: str, population: int) -> str | None:
    """The gazetteer kind of a GeoNames feature, or None for a feature not kept."""
    if feature_class == "P":
        if feature_code in SKIPPED_POPULATED_CODES:
            return None
        if feature_code == "PPLX":
            return "neighbourhood"
        if population >= CITY_POPULATION:
            return "city"
        return "town" if population >= TOWN_POPULATION else "village"
    return KIND_BY_FEATURE_CODE.get(feature_code)


class _PlaceWriter:
    """The 19 columns of allCountries, a country file or citiesN."""

    def __init__(self, db: sqlite3.Connection, region_names: dict[tuple[str, str], str]) -> None:
        self.db = db
        self.admin1 = dict(region_names)
        for code, name in db.execute("SELECT code, name FROM admin_names"):
            parts = code.split(".")
            if len(parts) == 2:
                self.admin1[(parts[0], parts[1])] = name

    def write(self, rows: list[list[str]]) -> int:
        places, names = [], []
        for rec in rows:
            if len(rec) < 19:
                continue  # a truncated last line of an interrupted download
            try:
                geonameid, lat, lon = int(rec[0]), float(rec[4]), float(rec[5])
                population = int(rec[14] or 0)
            except ValueError:
                continue
            kind = place_kind(rec[6], rec[7], population)
            if kind is None:
                continue
            country, admin1_code = rec[8] or None, rec[10] or None
            places.append((geonameid, geonameid, rec[1], kind, country, admin1_code,
                           self.admin1.get((country or "", admin1_code or "")), lat, lon,
                           population, int(rec[7] == "PPLC"), rec[7], rec[11] or None))
            spellings = {rec[1], rec[2]} | {n for n in rec[3].split(",") if usable_name(n)}
            names += name_rows({n for n in spellings if n}, geonameid, rec[1])
        self.db.executemany(
            "INSERT INTO places (id, geonameid, name, kind, country, admin1_code, admin1, latitude, "
            "longitude, population, capital, feature_code, admin2_code) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
            "name=excluded.name, kind=excluded.kind, country=excluded.country, "
            "admin1_code=excluded.admin1_code, admin1=coalesce(excluded.admin1, admin1), "
            "latitude=excluded.latitude, longitude=excluded.longitude, "
            "population=excluded.population, capital=excluded.capital, "
            "feature_code=excluded.feature_code, admin2_code=excluded.admin2_code",
            places)
        self.db.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?)", names)
        return len(places)


class _AlternateNameWriter:
    """alternateNamesV2: id, geonameid, language, name, preferred, short, colloquial, historic,
    from, to (the older alternateNames stops after historic)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def write(self, rows: list[list[str]]) -> int:
        names = []
        for rec in rows:
            if len(rec) < 4 or rec[2] in NOT_NAME_LANGUAGES or not usable_name(rec[3]):
                continue
            key = name_key(rec[3])
            if key and rec[1].isdigit():
                names.append((key, skeleton_key(rec[3]), int(rec[1]), int(rec[1])))
        # Only for places imported: a name of a place the gazetteer does not hold finds nothing.
        before = self.db.total_changes
        self.db.executemany(
            "INSERT OR IGNORE INTO names SELECT ?, ?, ?, 0 WHERE EXISTS "
            "(SELECT 1 FROM places WHERE id = ?)", names)
        return self.db.total_changes - before


class _AdminNameWriter:
    """admin1CodesASCII / admin2Codes: code ("SY.09", "SY.09.1234"), name, ASCII name, geonameid."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def write(self, rows: list[list[str]]) -> int:
        records = [(rec[0], rec[1], int(rec[3]) if len(rec) > 3 and rec[3].isdigit() else None)
                   for rec in rows if len(rec) >= 2 and "." in rec[0] and rec[1]]
        self.db.executemany("INSERT OR REPLACE INTO admin_names VALUES (?,?,?)", records)
        return len(records)


class _HierarchyWriter:
    """hierarchy: parent geonameid, child geonameid, type ("ADM" for administrative links)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def write(self, rows: list[list[str]]) -> int:
        links = [(int(rec[0]), int(rec[1]), rec[2] if len(rec) > 2 else None)
                 for rec in rows if len(rec) >= 2 and rec[0].isdigit() and rec[1].isdigit()]
        self.db.executemany("INSERT OR IGNORE INTO hierarchy VALUES (?,?,?)", links)
        return len(links)


def _name_regions(db: sqlite3.Connection) -> None:
    """Name the region of places imported before the admin1 codes file that names it."""
    db.execute(
        "UPDATE places SET admin1 = (SELECT a.name FROM admin_names a "
        "WHERE a.code = places.country || '.' || places.admin1_code) "
        "WHERE admin1 IS NULL AND admin1_code IS NOT NULL")
    db.commit()


@dataclass(frozen=True, slots=True)
class ImportStatus:
    """What an import file holds: its sources and its places per country and kind."""

    path: Path
    sources: list[dict]
    places_by_country: dict[str, dict[str, int]]
    names: int
    admin_names: int
    hierarchy_links: int
    size_bytes: int


def import_status(path: Path) -> ImportStatus | None:
    """The import's sources and counts, or None when nothing was imported."""
    if not path.exists():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        db.row_factory = sqlite3.Row
        sources = [dict(r) for r in db.execute("SELECT * FROM sources ORDER BY name")]
        by_country: dict[str, dict[str, int]] = {}
        for country, kind, count in db.execute(
                "SELECT coalesce(country, '-'), kind, count(*) FROM places GROUP BY 1, 2"):
            by_country.setdefault(country, {})[kind] = count
        names = db.execute("SELECT count(*) FROM names").fetchone()[0]
        admin = db.execute("SELECT count(*) FROM admin_names").fetchone()[0]
        links = db.execute("SELECT count(*) FROM hierarchy").fetchone()[0]
    finally:
        db.close()
    size = sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if os.path.exists(p))
    return ImportStatus(path, sources, by_country, names, admin, links, size)
