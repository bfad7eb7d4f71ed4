#!/usr/bin/env python
"""Throughput of the full pipeline on one core, next to spaCy's own time on the same texts.

    .venv/bin/python scripts/benchmark.py                    # 500 articles, a table
    .venv/bin/python scripts/benchmark.py --articles 1000 --json
    .venv/bin/python scripts/benchmark.py --store /tmp/bench.db   # also write every analysis to SQLite

The bundled sample corpus (`frontlines/sample_corpus/*.md`, read with `iter_documents`) is repeated
until there are `--articles` documents, and analysed in one process:

1. the full pipeline (`frontlines.pipeline.analyze`), optionally followed by `Store.save`;
2. spaCy alone on the same texts, one `nlp(text)` call per text (what the pipeline does);
3. spaCy alone with `nlp.pipe(texts)` (batched), for reference.

Model and gazetteer loading happen before any timing, and are reported on their own. Times are wall
clock (`perf_counter`) with CPU time beside them; peak memory is the process's maximum resident set
size (`resource.getrusage`). Thread pools are limited to one thread, and the process is pinned to one
CPU where the OS allows it, so the figures describe one core.
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
from dataclasses import dataclass, replace  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

from frontlines.gazetteer import default_gazetteer  # noqa: E402
from frontlines.ingest import iter_documents  # noqa: E402
from frontlines.models import Document, text_sha256  # noqa: E402
from frontlines.nlp import load_model  # noqa: E402
from frontlines.pipeline import analyze  # noqa: E402
from frontlines.store import open_store  # noqa: E402


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


def time_pipeline(docs: list[Document], store_path: str | None) -> Timing:
    store = open_store(store_path) if store_path else None
    events = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for doc in docs:
        analysis = analyze(doc)
        events += len(analysis.events)
        if store is not None:
            store.save(analysis)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if store is not None:
        store.close()
    name = "pipeline + SQLite store" if store is not None else "full pipeline"
    return Timing(name, len(docs), sum(len(d.text) for d in docs), wall, cpu, events)


def time_spacy(texts: list[str], *, batched: bool, batch_size: int | None = None) -> Timing:
    nlp = load_model()
    wall, cpu = time.perf_counter(), time.process_time()
    if batched:
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass
    else:
        for text in texts:
            nlp(text)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    name = f"spaCy alone, nlp.pipe (batch {batch_size or nlp.batch_size})" if batched else \
        "spaCy alone, nlp(text) each"
    return Timing(name, len(texts), sum(len(t) for t in texts), wall, cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500,
                        help="How many articles to analyse (the sample corpus repeated; default 500).")
    parser.add_argument("--store", metavar="PATH",
                        help="Also save every analysis into this SQLite file (created if needed).")
    parser.add_argument("--corpus", type=Path, default=REPO / "frontlines" / "sample_corpus",
                        help="Folder of *.md articles to repeat (default: the bundled sample corpus).")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="nlp.pipe batch size for the batched spaCy run (default: spaCy's own, "
                        "which holds a whole batch of parsed Docs in memory at once).")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")

    cpu = pin_to_one_cpu()
    started = time.perf_counter()
    load_model()
    default_gazetteer()
    base = sample_documents(args.corpus)
    analyze(base[0])  # warm-up: lazily built tables, word lists, first gazetteer pages
    load_seconds = time.perf_counter() - started
    rss_after_load = peak_rss_mb()

    docs = repeated(base, args.articles)
    texts = [d.text for d in docs]
    pipeline = time_pipeline(docs, args.store)
    rss_after_pipeline = peak_rss_mb()
    spacy_each = time_spacy(texts, batched=False)
    rss_after_spacy = peak_rss_mb()
    spacy_pipe = time_spacy(texts, batched=True, batch_size=args.batch_size)
    rss_peak = peak_rss_mb()

    result = {
        "articles": args.articles, "distinct_articles": len(base),
        "mean_chars_per_article": round(sum(len(t) for t in texts) / len(texts)),
        "python": platform.python_version(), "machine": platform.machine(),
        "pinned_cpu": cpu, "load_seconds": round(load_seconds, 2),
        "timings": [t.as_dict() for t in (pipeline, spacy_each, spacy_pipe)],
        "pipeline_over_spacy_each": round(pipeline.wall / spacy_each.wall, 2),
        "pipeline_over_spacy_pipe": round(pipeline.wall / spacy_pipe.wall, 2),
        "peak_rss_mb": {"after_load": round(rss_after_load, 1),
                        "after_pipeline": round(rss_after_pipeline, 1),
                        "after_spacy_each": round(rss_after_spacy, 1), "end": round(rss_peak, 1)},
        "store": args.store,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0

    print(f"{args.articles} articles ({len(base)} distinct, mean {result['mean_chars_per_article']} "
          f"chars), one core{f' (CPU {cpu})' if cpu is not None else ''}, "
          f"Python {result['python']}; loading took {load_seconds:.1f} s")
    header = f"{'':36} {'wall s':>8} {'cpu s':>8} {'articles/s':>11} {'chars/s':>10}"
    print(header)
    print("-" * len(header))
    for t in (pipeline, spacy_each, spacy_pipe):
        print(f"{t.name:36} {t.wall:8.2f} {t.cpu:8.2f} {t.articles_per_second:11.1f} "
              f"{t.chars_per_second:10,.0f}")
    print("-" * len(header))
    print(f"pipeline / spaCy time: {result['pipeline_over_spacy_each']:.2f}x (per text), "
          f"{result['pipeline_over_spacy_pipe']:.2f}x (nlp.pipe)")
    print(f"events found: {pipeline.events}")
    print(f"peak RSS: {rss_after_load:.0f} MB after loading, {rss_after_pipeline:.0f} MB after the "
          f"pipeline, {rss_after_spacy:.0f} MB after spaCy per text, {rss_peak:.0f} MB after "
          f"nlp.pipe")
    if args.store:
        print(f"stored in {args.store}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
