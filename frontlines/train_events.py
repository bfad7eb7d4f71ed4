"""`frontlines train events`: fit the event model on the team's blind corpus and write its directory.

One command, one config (`data/event_model.toml`), the same output from the same data on two cores:
1. every snippet of the train and dev splits is parsed; each sentence is labelled with the
   sub-event types whose words (the writer's shortest span stating the event) it holds, or none;
2. a scikit-learn pipeline (word and character n-gram TF-IDF, the trigger lexicon's hits, one
   logistic regression per sub-event type) is fitted on the train sentences;
3. the thresholds that join model and rules (`learned.Decision`) are chosen on the dev snippets by
   running the whole events stage, and the model directory is written: `pipeline.joblib` and
   `meta.json` (versions, corpus hashes, config, decision, dev scores).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from importlib.metadata import version
from pathlib import Path

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from frontlines.evaluate import (
    Counts, SnippetScore, find_gold, load_gold_document, ratio, read_snippets, score_events, score_snippet,
    snippet_document,
)
from frontlines.events.coding import extract_events, find_triggers
from frontlines.events.learned import (
    META_FILE,
    MODEL_FILE,
    SUB_TYPES,
    Decision,
    EventClassifier,
    model_input,
    sentence_part,
    trigger_part,
)
from frontlines.models import Analysis
from frontlines.nlp import parse_many, span_text
from frontlines.pipeline import analyze_batch

logger = logging.getLogger(__name__)

CONFIG = Path(str(resources.files("frontlines").joinpath("data/event_model.toml")))
CORPUS_DIR = Path(str(resources.files("frontlines").joinpath("corpus/events")))
NONE = "none"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One training example: a sentence's model input and the sub-event types it reports."""

    input: str
    labels: frozenset[str]


def labelled_sentences(snippets: Sequence[dict]) -> list[list[Sentence]]:
    """Each snippet's sentences, labelled with the events whose words they hold.

    A sentence that states no labelled event is an example of "none", which is what most
    sentences of an article are (context, attribution, background).
    """
    grouped = []
    for snippet, doc in zip(snippets, parse_many(s["text"] for s in snippets)):
        spans = []
        for event in snippet.get("events", []):
            start = snippet["text"].find(event.get("words") or "\0")
            if start >= 0:
                spans.append((start, event["sub_event_type"]))
        grouped.append([
            Sentence(model_input(span_text(sentence), (h.trigger.sub_event_type for h in find_triggers(sentence))),
                     frozenset(t for start, t in spans if sentence.start_char <= start < sentence.end_char))
            for sentence in doc.sents])
    return grouped


def build_pipeline(config: dict) -> Pipeline:
    features, classifier = config["features"], config["classifier"]
    parts = [
        ("words", TfidfVectorizer(preprocessor=sentence_part, ngram_range=tuple(features["word_ngrams"]),
                                  min_df=features["word_min_df"], sublinear_tf=True)),
        ("chars", TfidfVectorizer(preprocessor=sentence_part, analyzer="char_wb",
                                  ngram_range=tuple(features["char_ngrams"]), min_df=features["char_min_df"],
                                  max_features=features["char_max_features"], sublinear_tf=True,
                                  dtype=np.float32)),
    ]
    if features["triggers"]:
        parts.append(("triggers", CountVectorizer(analyzer=trigger_part, binary=True)))
    return Pipeline([
        ("features", FeatureUnion(parts)),
        ("classify", OneVsRestClassifier(LogisticRegression(
            C=classifier["C"], class_weight=classifier["class_weight"], solver="liblinear",
            random_state=classifier["seed"]))),
    ])


def label_matrix(examples: Sequence[Sentence]) -> np.ndarray:
    return np.array([[t.value in e.labels for t in SUB_TYPES] for e in examples], dtype=int)


def fit(examples: Sequence[Sentence], config: dict) -> Pipeline:
    pipeline = build_pipeline(config)
    pipeline.fit([e.input for e in examples], label_matrix(examples))
    return pipeline


# --- scoring on dev ------------------------------------------------------------------------------


def snippet_labels(snippets: Sequence[dict], probabilities: Sequence[np.ndarray],
                   threshold: float) -> tuple[list[str], list[str]]:
    """Gold and predicted primary labels, one per snippet: the model alone as a snippet classifier
    (the sub-type of its surest sentence, or none below `threshold`)."""
    gold, predicted = [], []
    for snippet, rows in zip(snippets, probabilities):
        gold.append(snippet["events"][0]["sub_event_type"] if snippet.get("events") else NONE)
        best = rows.max(axis=0) if len(rows) else np.zeros(len(SUB_TYPES))
        predicted.append(SUB_TYPES[int(best.argmax())].value if best.max() >= threshold else NONE)
    return gold, predicted


def grouped_probabilities(classifier: EventClassifier, groups: Sequence[Sequence[Sentence]]) -> list[np.ndarray]:
    """The model's probabilities for each snippet's sentences, one array per snippet."""
    flat = classifier.probabilities([s.input for group in groups for s in group])
    bounds = list(itertools.accumulate((len(g) for g in groups), initial=0))
    return [flat[bounds[i]:bounds[i + 1]] for i in range(len(groups))]


def classification_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """Macro and weighted F1 over the 25 sub-event types, per-type F1, false events on negatives."""
    labels = [t.value for t in SUB_TYPES]
    negatives = [p for g, p in zip(gold, predicted) if g == NONE]
    per_type = f1_score(gold, predicted, labels=labels, average=None, zero_division=0)
    return {
        "macro_f1": round(float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "weighted_f1": round(float(f1_score(gold, predicted, labels=labels, average="weighted", zero_division=0)), 4),
        "false_events_on_negatives": round(sum(p != NONE for p in negatives) / max(1, len(negatives)), 4),
        "per_type_f1": {t: round(float(f), 4) for t, f in zip(labels, per_type)},
    }


def stage_score(snippets: Sequence[dict], analyses: Sequence[Analysis], classifier: EventClassifier) -> SnippetScore:
    """The whole events stage on already parsed snippets, scored as `frontlines eval` scores them."""
    score = SnippetScore({}, 0, 0, 0, 0, 0)
    for snippet, analysis in zip(snippets, analyses):
        score_snippet(score, snippet, extract_events(analysis, classifier))
    return score


@dataclass(slots=True)
class DevSet:
    """What the thresholds are chosen on: the dev snippets and dev articles, parsed once."""

    snippets: list[dict]
    snippet_analyses: list[Analysis]
    articles: list[tuple[dict, Analysis]]  # gold, analysis

    def score(self, classifier: EventClassifier) -> tuple[float, float]:
        """Micro F1 of the whole events stage on the snippets, and event F1 on the articles."""
        snippets = stage_score(self.snippets, self.snippet_analyses, classifier).total()
        articles = Counts()
        for gold, analysis in self.articles:
            articles.add(score_events(extract_events(analysis, classifier), gold, analysis.document.published))
        return ratio(2 * snippets.true_positives, snippets.predicted + snippets.gold), articles.f1


def read_dev_set(snippets: Sequence[dict], article_dirs: Sequence[Path], classifier: EventClassifier) -> DevSet:
    gold_files = [g for folder in article_dirs for g in find_gold(folder)]
    articles = analyze_batch([load_gold_document(g) for g in gold_files], event_model=classifier)
    return DevSet(list(snippets), analyze_batch([snippet_document(s) for s in snippets], event_model=classifier),
                  [(g.gold, a) for g, a in zip(gold_files, articles)])


class _RememberingClassifier(EventClassifier):
    """The same model, remembering each input's probabilities: the grid reruns the stage on the
    same sentences with other thresholds only."""

    def __init__(self, model: EventClassifier) -> None:
        self.__dict__.update(model.__dict__)
        self._seen: dict[str, np.ndarray] = {}

    def probabilities(self, inputs: Sequence[str]) -> np.ndarray:
        new = [i for i in dict.fromkeys(inputs) if i not in self._seen]
        self._seen.update(zip(new, super().probabilities(new)))
        return np.array([self._seen[i] for i in inputs]).reshape(len(inputs), len(SUB_TYPES))


def choose_decision(dev: DevSet, model: EventClassifier, grid: dict) -> tuple[Decision, dict]:
    """The thresholds with the best mean of the stage's snippet F1 and article F1 on dev."""
    classifier = _RememberingClassifier(model)
    best: tuple[float, Decision, dict] | None = None
    for veto, propose in itertools.product(grid["veto"], grid["propose"]):
        classifier.decision = Decision(veto, propose, grid["retype_margin"])
        snippet_f1, article_f1 = dev.score(classifier)
        logger.info("veto %.2f propose %.2f: snippet F1 %.3f, article F1 %.3f", veto, propose, snippet_f1, article_f1)
        objective = (snippet_f1 + article_f1) / 2 if dev.articles else snippet_f1
        if best is None or objective > best[0]:
            best = (objective, classifier.decision,
                    {"snippet_micro_f1": round(snippet_f1, 4), "article_event_f1": round(article_f1, 4)})
    assert best is not None
    model.decision = best[1]
    return best[1], best[2]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train_event_model(out_dir: Path, *, corpus_dir: Path = CORPUS_DIR, config_path: Path = CONFIG,
                      progress: Callable[[str], None] = logger.info) -> dict:
    """Fit the model on the train split, choose its thresholds on dev, write `out_dir`; its meta."""
    config = tomllib.loads(config_path.read_text("utf-8"))
    train_path, dev_path = corpus_dir / config["corpus"]["train"], corpus_dir / config["corpus"]["dev"]
    train, dev = read_snippets(train_path), read_snippets(dev_path)
    progress(f"parsing {len(train)} train snippets")
    examples = [s for group in labelled_sentences(train) for s in group]
    progress(f"fitting on {len(examples)} sentences")
    pipeline = fit(examples, config)
    out_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(pipeline, out_dir / MODEL_FILE, compress=3)
    meta = {
        "name": "frontlines-events", "frontlines": version("frontlines"), "scikit_learn": sklearn.__version__,
        "corpus": {"train": {"file": train_path.name, "sha256": _sha256(train_path), "snippets": len(train),
                             "sentences": len(examples)},
                   "dev": {"file": dev_path.name, "sha256": _sha256(dev_path), "snippets": len(dev)}},
        "config": config, "sub_event_types": [t.value for t in SUB_TYPES],
    }
    classifier = EventClassifier(pipeline, meta)
    progress(f"scoring {len(dev)} dev snippets")
    gold, predicted = snippet_labels(dev, grouped_probabilities(classifier, labelled_sentences(dev)), 0.5)
    meta["dev_model_alone"] = classification_scores(gold, predicted)
    progress("choosing the decision thresholds on dev with the whole events stage")
    package = Path(str(resources.files("frontlines")))
    dev_set = read_dev_set(dev, [package / d for d in config["corpus"]["dev_articles"]], classifier)
    decision, stage_scores = choose_decision(dev_set, classifier, config["decision"])
    meta["decision"] = asdict(decision)
    meta["dev_stage"] = stage_scores
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", "utf-8")
    return meta
