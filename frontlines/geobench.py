"""Toponym benchmark harness for the corpora of Gritta et al. ("A Pragmatic Guide to Geoparsing
Evaluation"): XML `<article>`s with `<text>` and `<toponym>`s carrying character offsets and gold
coordinates (LGL, GeoVirus, WikToR and the like share the format).

It reports the field's standard measures: the share of gold toponyms the system finds (span
overlap), the share found and resolved within 161 km (Accuracy@161km, end to end), the same among
the found ones, and the median error in km.
"""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from frontlines.gazetteer import haversine_km
from frontlines.models import Place

ACCURACY_KM = 161.0


@dataclass(slots=True, frozen=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    latitude: float
    longitude: float


@dataclass(slots=True, frozen=True)
class BenchArticle:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass(slots=True)
class GeoScore:
    gold: int = 0
    found: int = 0
    within: int = 0
    errors_km: list[float] | None = None
    articles: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def accuracy_161(self) -> float:
        return self.within / self.gold if self.gold else 0.0

    @property
    def accuracy_161_found(self) -> float:
        return self.within / self.found if self.found else 0.0

    @property
    def median_error_km(self) -> float | None:
        return statistics.median(self.errors_km) if self.errors_km else None


def read_corpus(path: Path, limit: int | None = None) -> Iterator[BenchArticle]:
    """Articles streamed from the XML, so a large corpus is not held in memory at once."""
    count = 0
    for _, element in ET.iterparse(path, events=("end",)):
        if element.tag != "article":
            continue
        text = element.findtext("text") or ""
        toponyms = []
        for top in element.iter("toponym"):
            gaz = top.find("gaztag")
            lat = gaz.findtext("lat") if gaz is not None else top.findtext("lat")
            lon = gaz.findtext("lon") if gaz is not None else top.findtext("lon")
            if lat is None or lon is None:
                continue  # a toponym with no gold coordinates cannot be scored
            toponyms.append(GoldToponym(int(top.findtext("start")), int(top.findtext("end")),
                                        top.findtext("phrase") or "", float(lat), float(lon)))
        yield BenchArticle(element.get("docid", str(count)), text, tuple(toponyms))
        element.clear()
        count += 1
        if limit is not None and count >= limit:
            return


def score_article(article: BenchArticle, places: list[Place], score: GeoScore) -> None:
    score.articles += 1
    for gold in article.toponyms:
        score.gold += 1
        overlapping = [p for p in places if p.start < gold.end and gold.start < p.end]
        if not overlapping:
            continue
        score.found += 1
        resolved = [p for p in overlapping if p.resolved]
        if not resolved:
            continue
        error = min(haversine_km(p.latitude, p.longitude, gold.latitude, gold.longitude)
                    for p in resolved)
        score.errors_km.append(error)
        score.within += error <= ACCURACY_KM


def run_benchmark(path: Path, find_places: Callable[[str], list[Place]],
                  limit: int | None = None) -> GeoScore:
    score = GeoScore(errors_km=[])
    for article in read_corpus(path, limit):
        score_article(article, find_places(article.text), score)
    return score


def report_lines(score: GeoScore) -> Iterator[str]:
    median = score.median_error_km
    yield (f"articles {score.articles}, gold toponyms {score.gold}: found {score.recall:.3f}, "
           f"Accuracy@161km {score.accuracy_161:.3f} end to end, "
           f"{score.accuracy_161_found:.3f} of found; median error "
           f"{'n/a' if median is None else f'{median:.1f} km'}")
