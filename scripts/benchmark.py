#!/usr/bin/env python
"""Throughput of the full pipeline on one core, next to spaCy's own time on the same texts.

    .venv/bin/python scripts/benchmark.py                    # 500 articles, a table
    .venv/bin/python scripts/benchmark.py --articles 1000 --json
    .venv/bin/python scripts/benchmark.py --store /tmp/bench.db   # also write every analysis to SQLite

The bundled sample corpus (`frontlines/sample_corpus/*.md`, read with `iter_documents`) is repeated
until there are `--articles` documents, and analysed in one process:

1. the full pipeline as `ingest` runs it: `frontlines.pipeline.analyze_batch`, a batch of
   `frontlines.runner.DEFAULT_BATCH` documents at a time, optionally followed by `Store.save`;
2. the full pipeline one document at a time (`frontlines.pipeline.analyze`);
3. spaCy alone as frontlines loads and calls it, on the same texts: `frontlines.nlp.parse_many`
   (the same batches) and `frontlines.nlp.parse` (one call per text); the pipeline's cost is given
   as a multiple of these;
4. stock spaCy for reference: the model as `spacy.load` gives it (thinc's BLIS matrix products,
   the stock attribute ruler), one `nlp(text)` call per text; with `--spacy-batch N` also its
   `nlp.pipe(texts, batch_size=N)`.

Model and gazetteer loading happen before any timing, and are reported on their own. Times are wall
clock (`perf_counter`) with CPU time beside them; peak memory is the process's maximum resident set
size (`resource.getrusage`), which only grows: each figure is the peak so far. Thread pools are
limited to one thread, and the process is pinned to one CPU where the OS allows it, so the figures
describe one core.
"""

from __future__ import annotations

import os

# Before numpy, thinc or spaCy are imported: their thread pools read these once, at import.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterable  # noqa: E402
from dataclasses import dataclass, replace  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

from frontlines.gazetteer import default_gazetteer  # noqa: E402
from frontlines.ingest import iter_documents  # noqa: E402
from frontlines.models import Document, text_sha256  # noqa: E402
import spacy  # noqa: E402
from frontlines.nlp import MODEL_NAME, load_model, parse, parse_many  # noqa: E402
from frontlines.pipeline import analyze, analyze_batch  # noqa: E402
from frontlines.runner import DEFAULT_BATCH  # noqa: E402
from frontlines.store import open_store  # noqa: E402
from spacy.language import Language  # noqa: E402


@dataclass(slots=True)
class Timing:
    name: str
    articles: int
    chars: int
    wall: float
    cpu: float
    events: int | None = None

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.wall if self.wall else 0.0

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.wall if self.wall else 0.0

    def as_dict(self) -> dict[str, float | int | str | None]:
        return {"name": self.name, "articles": self.articles, "chars": self.chars,
                "wall_seconds": round(self.wall, 3), "cpu_seconds": round(self.cpu, 3),
                "articles_per_second": round(self.articles_per_second, 2),
                "chars_per_second": round(self.chars_per_second), "events": self.events}


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # kilobytes on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def pin_to_one_cpu() -> int | None:
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def sample_documents(corpus: Path) -> list[Document]:
    paths = sorted(str(p) for p in corpus.glob("*.md"))
    if not paths:
        raise SystemExit(f"error: no *.md files in {corpus}")
    docs = []
    for item in iter_documents(paths):
        if not isinstance(item, Document):
            raise SystemExit(f"error: {item.input}: {item.reason}")
        docs.append(item)
    return docs


def repeated(docs: list[Document], n: int) -> list[Document]:
    """`n` documents cycling through `docs`; each copy gets its own id and content hash so that a
    store keeps every copy (the same text would otherwise be stored once)."""
    out = []
    for i in range(n):
        doc = docs[i % len(docs)]
        out.append(replace(doc, id=f"{doc.id}#{i}", sha256=text_sha256(f"{i}\n{doc.text}")))
    return out


def time_pipeline(docs: list[Document], store_path: str | None, *, batched: bool) -> Timing:
    store = open_store(store_path) if store_path else None
    events = 0
    wall, cpu = time.perf_counter(), time.process_time()
    batches = ([docs[k:k + DEFAULT_BATCH] for k in range(0, len(docs), DEFAULT_BATCH)] if batched
               else [[doc] for doc in docs])
    for batch in batches:
        for analysis in analyze_batch(batch) if batched else [analyze(batch[0])]:
            events += len(analysis.events)
            if store is not None:
                store.save(analysis)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if store is not None:
        store.close()
    name = f"pipeline, batches of {DEFAULT_BATCH}" if batched else "pipeline, one at a time"
    name += " + SQLite" if store is not None else ""
    return Timing(name, len(docs), sum(len(d.text) for d in docs), wall, cpu, events)


def time_spacy(name: str, texts: list[str], parse_all: Callable[[list[str]], Iterable[object]]
               ) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in parse_all(texts):
        pass
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return Timing(name, len(texts), sum(len(t) for t in texts), wall, cpu)


def stock_spacy() -> Language:
    """The model as spaCy loads it, with frontlines' one sentence rule, for reference."""
    nlp = spacy.load(MODEL_NAME)
    nlp.add_pipe("line_breaks_end_sentences", before="parser")
    return nlp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500,
                        help="How many articles to analyse (the sample corpus repeated; default 500).")
    parser.add_argument("--store", metavar="PATH",
                        help="Also save every analysis into this SQLite file (created if needed).")
    parser.add_argument("--corpus", type=Path, default=REPO / "frontlines" / "sample_corpus",
                        help="Folder of *.md articles to repeat (default: the bundled sample corpus).")
    parser.add_argument("--spacy-batch", type=int, default=None, metavar="N",
                        help="Also time stock spaCy's nlp.pipe with batch_size N (it holds a whole "
                        "batch of parsed Docs in memory at once: 256 took 1.5 GB).")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")

    cpu = pin_to_one_cpu()
    started = time.perf_counter()
    load_model()
    default_gazetteer()
    base = sample_documents(args.corpus)
    analyze_batch(base)  # warm-up: lazily built tables, word lists, gazetteer pages, caches
    load_seconds = time.perf_counter() - started
    rss = {"after_load": peak_rss_mb()}

    docs = repeated(base, args.articles)
    texts = [d.text for d in docs]
    batched = time_pipeline(docs, args.store, batched=True)
    rss["after_pipeline_batched"] = peak_rss_mb()
    each = time_pipeline(docs, None, batched=False)
    spacy_batched = time_spacy(f"spaCy alone, batches of {DEFAULT_BATCH}", texts, parse_many)
    spacy_each = time_spacy("spaCy alone, one at a time", texts, lambda ts: map(parse, ts))
    rss["after_frontlines_spacy"] = peak_rss_mb()
    stock = stock_spacy()
    stock(texts[0])
    timings = [batched, each, spacy_batched, spacy_each,
               time_spacy("stock spaCy, nlp(text) each", texts, lambda ts: map(stock, ts))]
    if args.spacy_batch:
        timings.append(time_spacy(f"stock spaCy, nlp.pipe (batch {args.spacy_batch})", texts,
                                  lambda ts: stock.pipe(ts, batch_size=args.spacy_batch)))
    rss["end"] = peak_rss_mb()

    result = {
        "articles": args.articles, "distinct_articles": len(base),
        "mean_chars_per_article": round(sum(len(t) for t in texts) / len(texts)),
        "python": platform.python_version(), "machine": platform.machine(),
        "pinned_cpu": cpu, "load_seconds": round(load_seconds, 2),
        "timings": [t.as_dict() for t in timings],
        "pipeline_over_spacy_batched": round(batched.wall / spacy_batched.wall, 2),
        "pipeline_over_spacy_each": round(each.wall / spacy_each.wall, 2),
        "pipeline_over_stock_spacy": round(batched.wall / timings[4].wall, 2),
        "peak_rss_mb": {k: round(v, 1) for k, v in rss.items()},
        "store": args.store,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0

    print(f"{args.articles} articles ({len(base)} distinct, mean {result['mean_chars_per_article']} "
          f"chars), one core{f' (CPU {cpu})' if cpu is not None else ''}, "
          f"Python {result['python']}; loading took {load_seconds:.1f} s")
    header = f"{'':40} {'wall s':>8} {'cpu s':>8} {'articles/s':>11} {'chars/s':>10}"
    print(header)
    print("-" * len(header))
    for t in timings:
        print(f"{t.name:40} {t.wall:8.2f} {t.cpu:8.2f} {t.articles_per_second:11.1f} "
              f"{t.chars_per_second:10,.0f}")
    print("-" * len(header))
    print(f"pipeline / spaCy time: {result['pipeline_over_spacy_batched']:.2f}x (batched), "
          f"{result['pipeline_over_spacy_each']:.2f}x (one at a time); batched pipeline / stock "
          f"spaCy per text: {result['pipeline_over_stock_spacy']:.2f}x")
    print(f"events found: {batched.events} (batched), {each.events} (one at a time)")
    print("peak RSS: " + ", ".join(f"{v:.0f} MB {k.replace('_', ' ')}" for k, v in rss.items()))
    if args.store:
        print(f"stored in {args.store}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
