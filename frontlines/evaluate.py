"""Accuracy against gold annotations, as `../shared/corpus/README.md` defines it.

For each `NAME.gold.json` beside `NAME.txt` or `NAME.md`, the text is analysed with the gold's
publication date and compared with the gold:
- events, matched one to one: same event type, a date that agrees at the gold's precision, and a
  point within 30 km (town), 50 km (part of or near a town) or 110 km (province) of the gold's;
  optional gold events count neither way; with `background_excluded`, predictions dated 90 or more
  days before publication are not scored;
- the same recall with the sub-event type required;
- place accuracy: the share of gold places whose mention was found and resolved within 161 km;
- quote speaker recall: gold quotes whose opening words and speaker were both found.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from rapidfuzz import fuzz

from frontlines.gazetteer import haversine_km
from frontlines.ingest import iter_documents
from frontlines.models import Analysis, Document, EventRecord, IngestFailure
from frontlines.toponyms import name_key

DISTANCE_KM = {1: 30.0, 2: 50.0, 3: 110.0}
PLACE_KM = 161.0
BACKGROUND_DAYS = 90


@dataclass(slots=True)
class Counts:
    """Raw counts over one or many documents; the ratios are derived, never stored."""

    true_positives: int = 0
    predicted: int = 0
    gold: int = 0
    typed_true_positives: int = 0
    places_found: int = 0
    places: int = 0
    speakers_found: int = 0
    quotes: int = 0
    day_dated_exactly: int = 0
    day_events: int = 0
    misses: list[str] = field(default_factory=list)
    # (confidence, matched a gold event) for every scored prediction
    judged: list[tuple[float, bool]] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(other, name)
            if isinstance(value, list):
                getattr(self, name).extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)

    @property
    def precision(self) -> float:
        return ratio(self.true_positives, self.predicted)

    @property
    def recall(self) -> float:
        return ratio(self.true_positives, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def confidence_halves(self) -> tuple[float, float]:
        """Precision of the more confident half of the predictions, and of the less confident."""
        ranked = sorted(self.judged, key=lambda j: -j[0])
        half = len(ranked) // 2
        top, bottom = ranked[:half], ranked[half:]
        return _share_right(top), _share_right(bottom)

    @property
    def typed_recall(self) -> float:
        return ratio(self.typed_true_positives, self.gold)

    @property
    def place_accuracy(self) -> float:
        return ratio(self.places_found, self.places)

    @property
    def speaker_recall(self) -> float:
        return ratio(self.speakers_found, self.quotes)

    @property
    def day_date_accuracy(self) -> float:
        return ratio(self.day_dated_exactly, self.day_events)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "event_precision": round(self.precision, 4), "event_recall": round(self.recall, 4),
            "event_f1": round(self.f1, 4), "event_recall_with_subtype": round(self.typed_recall, 4),
            "place_accuracy": round(self.place_accuracy, 4),
            "quote_speaker_recall": round(self.speaker_recall, 4),
            "day_date_accuracy": round(self.day_date_accuracy, 4),
            "gold_events": self.gold, "predicted_events": self.predicted,
            "gold_places": self.places, "gold_quotes": self.quotes,
        }


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _share_right(judged: list[tuple[float, bool]]) -> float:
    return ratio(sum(ok for _, ok in judged), len(judged))


@dataclass(slots=True)
class GoldFile:
    gold_path: Path
    text_path: Path
    gold: dict


def find_gold(gold_dir: Path) -> list[GoldFile]:
    found = []
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        texts = [gold_path.with_name(stem + ext) for ext in (".txt", ".md")]
        text_path = next((t for t in texts if t.exists()), None)
        if text_path is not None:
            found.append(GoldFile(gold_path, text_path, json.loads(gold_path.read_text("utf-8"))))
    return found


def load_gold_document(gold_file: GoldFile) -> Document:
    published = gold_file.gold.get("published")
    published_date = date.fromisoformat(published) if published else None
    for item in iter_documents([str(gold_file.text_path)], published=published_date):
        if isinstance(item, IngestFailure):
            raise ValueError(f"{item.input}: {item.reason}")
        item.published = published_date
        return item
    raise ValueError(f"{gold_file.text_path}: no document")


# --- matching ----------------------------------------------------------------------------------


def _date_agrees(pred: EventRecord, gold: dict) -> bool:
    if gold.get("date_optional"):
        return True
    precision = gold["date_precision"]
    if precision == "unknown":
        window = gold.get("date_window")
        if not window or pred.event_date is None:
            return window is None
        first, last = (date.fromisoformat(d) for d in window)
        return first <= pred.event_date <= last
    if pred.event_date is None:
        return False
    truth = date.fromisoformat(gold["date"])
    if precision == "day":
        return pred.event_date == truth
    if precision == "week":
        monday = truth - timedelta(days=truth.weekday())
        return monday <= pred.event_date <= monday + timedelta(days=6)
    if precision == "month":
        return (pred.event_date.year, pred.event_date.month) == (truth.year, truth.month)
    return pred.event_date.year == truth.year


def _place_agrees(pred: EventRecord, gold: dict) -> bool:
    if gold.get("location_optional"):
        return True
    if pred.latitude is None or pred.longitude is None:
        return False
    limit = DISTANCE_KM.get(int(gold.get("geo_precision") or 1), 30.0)
    return haversine_km(pred.latitude, pred.longitude, gold["latitude"], gold["longitude"]) <= limit


def _match(preds: Sequence[EventRecord], golds: Sequence[dict],
           agrees: Callable[[EventRecord, dict], bool]) -> dict[int, int]:
    """Gold index -> prediction index: as many one-to-one pairs as the agreements allow.

    A greedy pass can pair a gold event with the one prediction another gold event needed; Kuhn's
    augmenting paths (a dozen lines for graphs of a few dozen events, so no graph library) find a
    maximum matching. Required golds are matched before optional ones, and more confident
    predictions are tried first.
    """
    order = sorted(range(len(preds)), key=lambda i: -preds[i].confidence)
    options = {gi: [pi for pi in order if agrees(preds[pi], golds[gi])] for gi in range(len(golds))}
    owner: dict[int, int] = {}  # prediction index -> gold index

    def claim(gi: int, visited: set[int]) -> bool:
        for pi in options[gi]:
            if pi in visited:
                continue
            visited.add(pi)
            if pi not in owner or claim(owner[pi], visited):
                owner[pi] = gi
                return True
        return False

    # An augmenting path never unmatches a gold event, so optional ones matched second cannot
    # take a prediction away from a required one.
    for gi in sorted(range(len(golds)), key=lambda g: bool(golds[g].get("optional"))):
        claim(gi, set())
    return {gi: pi for pi, gi in owner.items()}


def _event_agrees(pred: EventRecord, gold: dict) -> bool:
    return pred.event_type == gold["event_type"] and _date_agrees(pred, gold) and _place_agrees(pred, gold)


def _typed_agrees(pred: EventRecord, gold: dict) -> bool:
    return _event_agrees(pred, gold) and pred.sub_event_type == gold["sub_event_type"]


def score_events(preds: Sequence[EventRecord], gold: dict, published: date | None) -> Counts:
    if gold.get("background_excluded") and published:
        cutoff = published - timedelta(days=BACKGROUND_DAYS)
        preds = [p for p in preds if p.event_date is None or p.event_date > cutoff]
    golds = gold.get("events", [])
    matched = _match(preds, golds, _event_agrees)
    optional_hits = sum(1 for gi in matched if golds[gi].get("optional"))
    required = [g for g in golds if not g.get("optional")]
    counts = Counts(
        true_positives=len(matched) - optional_hits,
        predicted=len(preds) - optional_hits,
        gold=len(required),
    )
    matched_predictions = {pi: gi for gi, pi in matched.items()}
    optional_predictions = {pi for pi, gi in matched_predictions.items() if golds[gi].get("optional")}
    counts.judged = [(p.confidence, i in matched_predictions) for i, p in enumerate(preds)
                     if i not in optional_predictions]
    typed = _match(preds, golds, _typed_agrees)
    counts.typed_true_positives = sum(1 for gi in typed if not golds[gi].get("optional"))
    for gi, g in enumerate(golds):
        if g.get("optional"):
            continue
        located = [p for p in preds if p.event_type == g["event_type"] and _place_agrees(p, g)]
        if g["date_precision"] == "day" and located:
            # Dating is judged on the events found (type and place agree); a missed event is
            # already counted against recall.
            counts.day_events += 1
            if any(p.event_date and p.event_date.isoformat() == g["date"] for p in located):
                counts.day_dated_exactly += 1
        if gi not in matched:
            counts.misses.append(f"missed {g.get('key')}: {g['event_type']} {g.get('date')} "
                                 f"{g['location']}: {g['evidence'][:70]}")
    return counts


def _mention_matches(pred_mention: str, gold_mention: str) -> bool:
    a, b = name_key(pred_mention), name_key(gold_mention)
    return bool(a and b) and (a == b or a in b or b in a)


def score_places(analysis: Analysis, gold: dict) -> Counts:
    counts = Counts(places=len(gold.get("places", [])))
    for g in gold.get("places", []):
        hits = [p for p in analysis.places if _mention_matches(p.mention, g["mention"])]
        if any(p.resolved and haversine_km(p.latitude, p.longitude, g["latitude"], g["longitude"])
               <= PLACE_KM for p in hits):
            counts.places_found += 1
        else:
            counts.misses.append(f"place {g['mention']}")
    return counts


def _normalise_quote(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split()).lower()


def _same_speaker(predicted: str | None, gold: str) -> bool:
    if not predicted:
        return False
    surname = gold.split()[-1].lower()
    # Transliterated surnames vary ("Shaaban", "Shaban"): compare word by word, not as substrings.
    return any(fuzz.ratio(surname, word) >= 80 for word in predicted.lower().split())


def score_quotes(analysis: Analysis, gold: dict) -> Counts:
    counts = Counts(quotes=len(gold.get("quotes", [])))
    for g in gold.get("quotes", []):
        opening = _normalise_quote(g["text_start"])
        if any(opening in _normalise_quote(q.text) and _same_speaker(q.speaker, g["speaker"])
               for q in analysis.quotes):
            counts.speakers_found += 1
        else:
            counts.misses.append(f"quote {g['speaker']}: {g['text_start'][:40]}")
    return counts


@dataclass(slots=True)
class DocumentScore:
    id: str
    counts: Counts


def evaluate(gold_dir: Path, analyze: Callable[[Document], Analysis]) -> tuple[Counts, list[DocumentScore]]:
    """Score `analyze` on every gold file in `gold_dir`."""
    total = Counts()
    per_document = []
    for gold_file in find_gold(gold_dir):
        document = load_gold_document(gold_file)
        analysis = analyze(document)
        counts = Counts()
        for part in (score_events(analysis.events, gold_file.gold, document.published),
                     score_places(analysis, gold_file.gold), score_quotes(analysis, gold_file.gold)):
            counts.add(part)
        per_document.append(DocumentScore(gold_file.gold.get("id", document.id), counts))
        total.add(counts)
    return total, per_document


def summary_lines(total: Counts) -> Iterable[str]:
    yield (f"events: precision {total.precision:.3f}  recall {total.recall:.3f}  F1 {total.f1:.3f}  "
           f"recall with sub-event type {total.typed_recall:.3f}  "
           f"({total.true_positives}/{total.gold} gold, {total.predicted} predicted)")
    yield (f"places: accuracy@161km {total.place_accuracy:.3f} ({total.places_found}/{total.places})  "
           f"day-precision events dated exactly {total.day_date_accuracy:.3f}")
    top, bottom = total.confidence_halves()
    yield (f"quotes: speaker recall {total.speaker_recall:.3f} ({total.speakers_found}/{total.quotes})  "
           f"confidence: precision {top:.2f} in the top half, {bottom:.2f} in the bottom half")


# --- the team's snippet set: per sub-event type precision and recall ---------------------------


@dataclass(slots=True)
class TypeCounts:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return ratio(self.true_positives, self.predicted)

    @property
    def recall(self) -> float:
        return ratio(self.true_positives, self.gold)

    @property
    def f1(self) -> float:
        return ratio(2 * self.true_positives, self.predicted + self.gold)


@dataclass(slots=True)
class SnippetScore:
    by_type: dict[str, TypeCounts]
    snippets: int
    negatives: int
    false_alarms_on_negatives: int
    dated_exactly: int
    dated_events: int
    misses: list[str] = field(default_factory=list)

    def total(self) -> TypeCounts:
        out = TypeCounts()
        for c in self.by_type.values():
            out.true_positives += c.true_positives
            out.predicted += c.predicted
            out.gold += c.gold
        return out

    def weighted_f1(self) -> float:
        """Per sub-event type F1, weighted by the type's gold events (the snippet benchmarks' measure)."""
        gold = sum(c.gold for c in self.by_type.values())
        return ratio(sum(c.f1 * c.gold for c in self.by_type.values()), gold)

    def macro_f1(self) -> float:
        labelled = [c for c in self.by_type.values() if c.gold]
        return ratio(sum(c.f1 for c in labelled), len(labelled))


def bundled_snippets() -> Path:
    from importlib import resources

    return Path(str(resources.files("frontlines").joinpath("eval_sets/acled_snippets.jsonl")))


def read_snippets(path: Path) -> list[dict]:
    """A snippet set: one labelled snippet per JSON line."""
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def snippet_document(item: dict) -> Document:
    """A snippet as a document, published on its story's date."""
    published = date.fromisoformat(item["published"]) if item.get("published") else None
    return Document(id=item["id"], text=item["text"], published=published, language="en")


def evaluate_snippets(path: Path, analyze: Callable[[Document], Analysis]) -> SnippetScore:
    """Per sub-event type precision and recall on short labelled snippets (see `score_snippet`)."""
    score = SnippetScore({}, 0, 0, 0, 0, 0)
    for item in read_snippets(path):
        score_snippet(score, item, analyze(snippet_document(item)).events)
    return score


def score_snippet(score: SnippetScore, item: dict, events: Sequence[EventRecord]) -> None:
    """Add one snippet's predicted events to `score`.

    A predicted event counts when its sub-event type matches a labelled event of the snippet
    (one to one); its date is checked separately, so that typing and dating are read apart.
    Snippets flagged `background` are history: an event predicted there must be marked background.
    """
    by_type = score.by_type
    predicted = [e for e in events if not (item.get("background") and e.background)]
    golds = item.get("events", [])
    score.snippets += 1
    if not golds:
        score.negatives += 1
        score.false_alarms_on_negatives += bool(predicted)
    unmatched = list(predicted)
    for g in golds:
        counts = by_type.setdefault(g["sub_event_type"], TypeCounts())
        counts.gold += 1
        hit = next((p for p in unmatched if p.sub_event_type == g["sub_event_type"]), None)
        if hit is None:
            score.misses.append(f"{item['id']}: missed {g['sub_event_type']}, got "
                                f"{[str(p.sub_event_type) for p in predicted]}")
            continue
        unmatched.remove(hit)
        counts.true_positives += 1
        counts.predicted += 1
        if g.get("date"):
            score.dated_events += 1
            score.dated_exactly += hit.event_date is not None and hit.event_date.isoformat() == g["date"]
    for p in unmatched:
        by_type.setdefault(p.sub_event_type, TypeCounts()).predicted += 1
        score.misses.append(f"{item['id']}: extra {p.sub_event_type} at {p.location}")


def snippet_lines(score: SnippetScore) -> Iterable[str]:
    yield f"{'sub-event type':42} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}"
    for name in sorted(score.by_type):
        c = score.by_type[name]
        yield f"{name:42} {c.precision:6.2f} {c.recall:6.2f} {c.f1:6.2f} {c.gold:5d} {c.predicted:5d}"
    total = score.total()
    yield (f"snippets: {score.snippets}, micro precision {total.precision:.3f} recall {total.recall:.3f}, "
           f"weighted F1 {score.weighted_f1():.3f}, macro F1 {score.macro_f1():.3f}; "
           f"negatives with a false event {score.false_alarms_on_negatives}/{score.negatives}; "
           f"matched events dated exactly {score.dated_exactly}/{score.dated_events}")
