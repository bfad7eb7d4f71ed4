"""Gold scoring on hand-made predictions and golds: dates, distances, optional golds, background."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest

from frontlines.evaluate import (
    Counts,
    evaluate,
    find_gold,
    score_events,
    score_places,
    score_quotes,
    summary_lines,
)
from frontlines.gazetteer import haversine_km
from frontlines.models import Analysis, Document, EventRecord, Place, Quote

ALEPPO = (36.20, 37.16)
PUBLISHED = date(2024, 12, 4)


def offset_north(point: tuple[float, float], km: float) -> tuple[float, float]:
    """The point `km` due north of `point` (one degree of latitude is 2πR/360 km)."""
    return point[0] + km / (2 * math.pi * 6371.0 / 360), point[1]


def gold_event(**fields: object) -> dict:
    record = {"key": "E1", "event_type": "Battles", "sub_event_type": "Armed clash",
              "date": "2024-11-27", "date_precision": "day", "location": "Aleppo",
              "latitude": ALEPPO[0], "longitude": ALEPPO[1], "geo_precision": 1,
              "evidence": "Opposition factions clashed with government forces in Aleppo."}
    record.update(fields)
    return record


def pred(event_date: date | None = date(2024, 11, 27), point: tuple[float, float] | None = ALEPPO,
         **fields: object) -> EventRecord:
    values: dict = {"event_type": "Battles", "sub_event_type": "Armed clash", "actor1": "X",
                    "evidence": "Opposition factions clashed with government forces in Aleppo.",
                    "start": 0, "end": 60, "event_date": event_date, "confidence": 0.5}
    if point is not None:
        values["latitude"], values["longitude"] = point
    values.update(fields)
    return EventRecord(**values)


def tp(preds: list[EventRecord], *golds: dict, published: date | None = PUBLISHED,
       **gold_fields: object) -> int:
    counts = score_events(preds, {"events": list(golds), **gold_fields}, published)
    return counts.true_positives


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("gold", "agree", "disagree"), [
    ({"date": "2024-11-27", "date_precision": "day"}, [date(2024, 11, 27)],
     [date(2024, 11, 26), date(2024, 11, 28), None]),
    # 2024-11-27 is a Wednesday: its week runs Monday 25 to Sunday 1 December
    ({"date": "2024-11-27", "date_precision": "week"},
     [date(2024, 11, 25), date(2024, 11, 27), date(2024, 12, 1)],
     [date(2024, 11, 24), date(2024, 12, 2), None]),
    ({"date": "2024-11-01", "date_precision": "month"}, [date(2024, 11, 1), date(2024, 11, 30)],
     [date(2024, 10, 31), date(2024, 12, 1), date(2023, 11, 15), None]),
    ({"date": "2019-01-01", "date_precision": "year"}, [date(2019, 1, 1), date(2019, 12, 31)],
     [date(2018, 12, 31), date(2020, 1, 1), None]),
    ({"date": None, "date_precision": "unknown", "date_window": ["2024-11-27", "2024-11-29"]},
     [date(2024, 11, 27), date(2024, 11, 29)], [date(2024, 11, 26), date(2024, 11, 30), None]),
    # no window: any date, or none, agrees
    ({"date": None, "date_precision": "unknown"}, [date(1999, 1, 1), None], []),
])
def test_date_agreement_at_each_precision(gold: dict, agree: list, disagree: list) -> None:
    for day in agree:
        assert tp([pred(day)], gold_event(**gold), published=None) == 1, day
    for day in disagree:
        assert tp([pred(day)], gold_event(**gold), published=None) == 0, day


def test_date_optional_ignores_the_date() -> None:
    gold = gold_event(date_optional=True)
    assert tp([pred(date(2020, 5, 5))], gold) == 1
    assert tp([pred(None)], gold) == 1


# --- distances -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("geo_precision", "inside_km", "outside_km"), [
    (1, 28, 32), (2, 48, 52), (3, 105, 115), (None, 28, 32),
])
def test_distance_threshold_by_geo_precision(geo_precision: int | None, inside_km: float,
                                             outside_km: float) -> None:
    gold = gold_event(geo_precision=geo_precision)
    inside, outside = offset_north(ALEPPO, inside_km), offset_north(ALEPPO, outside_km)
    assert haversine_km(*ALEPPO, *inside) == pytest.approx(inside_km, abs=0.01)
    assert tp([pred(point=inside)], gold) == 1
    assert tp([pred(point=outside)], gold) == 0


def test_prediction_without_coordinates_misses_unless_location_is_optional() -> None:
    assert tp([pred(point=None)], gold_event()) == 0
    assert tp([pred(point=None)], gold_event(location_optional=True)) == 1
    assert tp([pred(point=(0.0, 0.0))], gold_event(location_optional=True)) == 1


def test_event_type_must_agree_and_sub_event_type_counts_separately() -> None:
    assert tp([pred(event_type="Explosions/Remote violence")], gold_event()) == 0
    counts = score_events([pred(sub_event_type="Non-state actor overtakes territory")],
                          {"events": [gold_event()]}, PUBLISHED)
    assert (counts.true_positives, counts.typed_true_positives) == (1, 0)
    assert (counts.recall, counts.typed_recall) == (1.0, 0.0)


# --- matching and counting ----------------------------------------------------------------------------------


def test_matching_is_one_to_one() -> None:
    counts = score_events([pred(), pred()], {"events": [gold_event()]}, PUBLISHED)
    assert (counts.true_positives, counts.predicted, counts.gold) == (1, 2, 1)
    assert counts.precision == 0.5 and counts.recall == 1.0
    assert counts.f1 == pytest.approx(2 / 3)


def test_optional_golds_count_neither_way() -> None:
    required = gold_event(key="E1")
    optional = gold_event(key="E2", optional=True, date="2024-11-20", location="Idlib",
                          latitude=35.93, longitude=36.63)
    golds = {"events": [required, optional]}
    # found: not a true positive, and not a false positive either
    counts = score_events([pred(date(2024, 11, 20), (35.93, 36.63))], golds, PUBLISHED)
    assert (counts.true_positives, counts.predicted, counts.gold) == (0, 0, 1)
    # missed: not a miss
    counts = score_events([pred()], golds, PUBLISHED)
    assert (counts.true_positives, counts.predicted, counts.gold) == (1, 1, 1)
    assert counts.misses == []
    counts = score_events([], golds, PUBLISHED)
    assert counts.gold == 1 and len(counts.misses) == 1 and "E1" in counts.misses[0]


def test_required_golds_claim_predictions_before_optional_ones() -> None:
    optional = gold_event(key="E0", optional=True)
    required = gold_event(key="E1")
    counts = score_events([pred()], {"events": [optional, required]}, PUBLISHED)
    assert (counts.true_positives, counts.predicted, counts.gold) == (1, 1, 1)


def test_most_confident_prediction_is_matched_first() -> None:
    weak_far = pred(point=offset_north(ALEPPO, 500), confidence=0.2)
    strong = pred(confidence=0.9)
    counts = score_events([weak_far, strong], {"events": [gold_event()]}, PUBLISHED)
    assert (counts.true_positives, counts.predicted) == (1, 2)


def test_background_excluded_drops_predictions_90_days_or_more_before_publication() -> None:
    gold = {"events": [gold_event()], "background_excluded": True}
    ninety = date(2024, 9, 5)  # PUBLISHED - 90 days
    assert (PUBLISHED - ninety).days == 90
    history = [pred(ninety), pred(date(2016, 1, 1))]
    counts = score_events([pred(), *history], gold, PUBLISHED)
    assert (counts.true_positives, counts.predicted) == (1, 1)
    # 89 days before publication is news, and is scored (here a false positive)
    counts = score_events([pred(), pred(date(2024, 9, 6))], gold, PUBLISHED)
    assert counts.predicted == 2
    # an undated prediction is kept
    assert score_events([pred(), pred(None)], gold, PUBLISHED).predicted == 2
    # without the flag, or without a publication date, history is scored
    assert score_events([pred(), *history], {"events": [gold_event()]}, PUBLISHED).predicted == 3
    assert score_events([pred(), *history], gold, None).predicted == 3


def test_day_events_dated_exactly() -> None:
    golds = {"events": [gold_event(key="E1"), gold_event(key="E2", date="2024-11-28"),
                        gold_event(key="E3", date_precision="month", date="2024-11-01")]}
    counts = score_events([pred(date(2024, 11, 27))], golds, PUBLISHED)
    assert (counts.day_dated_exactly, counts.day_events) == (1, 2)
    assert counts.day_date_accuracy == 0.5
    # a day event nothing was found for is a miss for recall, not a dating error
    assert score_events([], golds, PUBLISHED).day_events == 0


def test_counts_add_and_ratios_of_nothing() -> None:
    total = Counts()
    assert (total.precision, total.recall, total.f1, total.place_accuracy) == (0.0, 0.0, 0.0, 0.0)
    total.add(Counts(true_positives=1, predicted=2, gold=2, misses=["a"]))
    total.add(Counts(true_positives=1, predicted=1, gold=2, misses=["b"]))
    assert (total.true_positives, total.predicted, total.gold) == (2, 3, 4)
    assert total.misses == ["a", "b"]
    assert total.as_dict()["event_precision"] == round(2 / 3, 4)
    lines = list(summary_lines(total))
    assert [line.split(":")[0] for line in lines] == ["events", "places", "quotes"]
    assert "(2/4 gold, 3 predicted)" in lines[0]


# --- places and quotes ----------------------------------------------------------------------------------


def analysis(places: list[Place] = (), quotes: list[Quote] = ()) -> Analysis:  # type: ignore[assignment]
    return Analysis(document=Document(id="t", text="x"), places=list(places), quotes=list(quotes))


def place(mention: str, point: tuple[float, float] | None) -> Place:
    p = Place(mention, 0, len(mention))
    if point is not None:
        p.latitude, p.longitude = point
    return p


GOLD_PLACES = {"places": [
    {"mention": "Ma’arat al-Nu’man", "latitude": 35.64, "longitude": 36.67},
    {"mention": "Idlib", "latitude": 35.93, "longitude": 36.63},
    {"mention": "Aleppo", "latitude": 36.20, "longitude": 37.16},
]}


def test_score_places_matches_spelling_variants_within_161_km() -> None:
    found = analysis([
        place("Maarat al-Numan", (35.6483, 36.6769)),  # another spelling, same key
        place("Idlib", offset_north((35.93, 36.63), 150)),  # 150 km off: still within 161 km
        place("Aleppo", None),  # recognised, not resolved
    ])
    counts = score_places(found, GOLD_PLACES)
    assert (counts.places_found, counts.places) == (2, 3)
    assert counts.misses == ["place Aleppo"]


def test_score_places_too_far_or_absent() -> None:
    counts = score_places(analysis([place("Idlib", offset_north((35.93, 36.63), 170))]), GOLD_PLACES)
    assert counts.places_found == 0 and counts.places == 3
    # a longer mention containing the gold one counts ("Idlib province" for "Idlib")
    counts = score_places(analysis([place("Idlib province", (35.84, 36.65))]), GOLD_PLACES)
    assert counts.places_found == 1
    # one resolved occurrence is enough when another is not
    counts = score_places(analysis([place("Aleppo", None), place("Aleppo", ALEPPO)]), GOLD_PLACES)
    assert counts.places_found == 1


GOLD_QUOTES = {"quotes": [
    {"speaker": "Nawar Shaaban", "affiliation": "Harmoon Center for Contemporary Studies",
     "text_start": "In mid-September 2024, Russian aircraft carried out"},
    {"speaker": "Sergey Lavrov", "affiliation": "Foreign Minister of Russia",
     "text_start": "two or three weeks away"},
]}


def test_score_quotes_needs_opening_words_and_speaker() -> None:
    quotes = [
        # the surname spelled differently, the passage with extra spaces
        Quote("Nawar Shaban", None, "In mid-September  2024, Russian aircraft carried out more "
              "than 50 airstrikes on opposition areas", 0, 100),
        # the opening words inside a longer quoted passage, with curly quotation marks
        Quote("Sergey Lavrov", "Russia", "Damascus was just ‘two or three weeks away’", 200, 240),
    ]
    counts = score_quotes(analysis(quotes=quotes), GOLD_QUOTES)
    assert (counts.speakers_found, counts.quotes) == (2, 2)
    assert counts.misses == []


def test_score_quotes_accepts_the_surname_alone_in_another_spelling() -> None:
    quotes = [Quote("Shaban", None, "In mid-September 2024, Russian aircraft carried out more than 50",
                    0, 70)]
    assert score_quotes(analysis(quotes=quotes), GOLD_QUOTES).speakers_found == 1


def test_score_quotes_wrong_or_missing_speaker_is_a_miss() -> None:
    quotes = [Quote(None, None, "In mid-September 2024, Russian aircraft carried out strikes", 0, 60),
              Quote("Ismail Ayoub", None, "two or three weeks away", 100, 123)]
    counts = score_quotes(analysis(quotes=quotes), GOLD_QUOTES)
    assert counts.speakers_found == 0
    assert len(counts.misses) == 2
    assert counts.misses[0].startswith("quote Nawar Shaaban: In mid-September 2024")
    assert counts.misses[1] == "quote Sergey Lavrov: two or three weeks away"


# --- the whole run over a gold folder --------------------------------------------------------------------


def test_evaluate_scores_each_gold_file_with_its_publication_date(tmp_path: Path) -> None:
    text = "Opposition factions clashed with government forces in Aleppo on Wednesday.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    gold = {"id": "a", "published": "2024-11-29", "events": [gold_event()],
            "places": [{"mention": "Aleppo", "latitude": ALEPPO[0], "longitude": ALEPPO[1]}],
            "quotes": []}
    (tmp_path / "a.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    (tmp_path / "orphan.gold.json").write_text(json.dumps(gold), encoding="utf-8")  # no text: skipped
    seen: list[Document] = []

    def fake_analyze(document: Document) -> Analysis:
        seen.append(document)
        start = document.text.index("Aleppo")
        found = Place("Aleppo", start, start + 6, latitude=ALEPPO[0], longitude=ALEPPO[1])
        return Analysis(document=document, events=[pred()], places=[found])

    assert [g.text_path.name for g in find_gold(tmp_path)] == ["a.txt"]
    total, per_document = evaluate(tmp_path, fake_analyze)
    assert [d.published for d in seen] == [date(2024, 11, 29)]
    assert [d.id for d in per_document] == ["a"]
    assert (total.true_positives, total.predicted, total.gold) == (1, 1, 1)
    assert (total.places_found, total.places, total.quotes) == (1, 1, 0)
