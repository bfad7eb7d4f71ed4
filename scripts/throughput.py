"""Throughput benchmark (a script, not a test): ingest a generated corpus end to end.

The corpus is built from the team's sample articles: every article is retold by other outlets
(same facts: these are the duplicates deduplication should merge) and rewritten with other towns
of the same country (new events). For each configuration it reports articles per second end to
end (read, analyse, store), peak memory of the writer and of each worker, and the share of stored
reports merged as duplicates.

    .venv/bin/python scripts/throughput.py --articles 2000 --workers 0 2 \\
        --db sqlite --db postgresql://frontlines:frontlines@127.0.0.1:5432/frontlines_test
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import tempfile
import time
from datetime import timedelta
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dask.distributed import Client, LocalCluster

from frontlines.dedup import duplicate_share, merge_reports
from frontlines.ingest import iter_documents
from frontlines.models import Document
from frontlines.runner import ClusterSpec, run
from frontlines.store import EventQuery, open_store
from frontlines.store.sql import drop_all_tables

SAMPLE = Path(__file__).resolve().parents[1] / "frontlines" / "sample_corpus"
# Towns to swap in, by country, so rewritten articles report new places.
TOWNS = {
    "SY": ["Saraqib", "Atarib", "Darat Izza", "Sarmin", "Binnish", "Jisr al-Shughur", "Ariha",
           "Maarat Misrin", "Taftanaz", "Kafr Nabl", "Morek", "Suran", "Rastan", "Talbiseh",
           "Salamiyah", "Masyaf", "Tell Rifaat", "Manbij", "Al-Bab", "Azaz"],
    "SD": ["El Fasher", "Nyala", "Geneina", "Kutum", "Mellit", "Kabkabiya", "Tawila", "Omdurman"],
    "MM": ["Maungdaw", "Buthidaung", "Sittwe", "Kyauktaw", "Mrauk-U", "Minbya", "Ann", "Taungup"],
    "UA": ["Sudzha", "Kursk", "Kharkiv", "Vovchansk", "Kupiansk", "Pokrovsk", "Toretsk"],
    "ML": ["Bamako", "Kidal", "Gao", "Timbuktu", "Mopti", "Segou"],
    "RU": ["Moscow", "Belgorod", "Kursk", "Bryansk"],
}


def generate(n: int, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    bases = [d for d in iter_documents([str(SAMPLE)]) if isinstance(d, Document)]
    documents = []
    for i in range(n):
        base = bases[i % len(bases)]
        text, variant = base.text, i // len(bases)
        if variant % 3:  # rewritten with other towns of its country
            for pool in TOWNS.values():
                present = [t for t in pool if re.search(rf"\b{re.escape(t)}\b", text)]
                for town in present:
                    text = re.sub(rf"\b{re.escape(town)}\b", rng.choice(pool), text)
        # Every copy is a distinct text (its own hash); every third one retells the same facts.
        text += f"\nReporting by desk {i}."
        # Rewritten articles are also later stories: relative dates ("on Friday") move with them.
        shift = timedelta(days=7 * (variant % 40)) if variant % 3 else timedelta(0)
        published = base.published + shift if base.published else None
        documents.append(Document(id=f"{base.id}-{i}", text=text, title=base.title,
                                  source=f"Outlet {i % 40}", published=published,
                                  language="en"))
    return documents


def measure(documents: list[Document], workers: int, db: str) -> dict[str, object]:
    store = open_store(db)
    start = time.perf_counter()
    stored = 0
    worker_rss: list[int] = []
    with _cluster(workers) as client:
        spec = ClusterSpec(scheduler=client.scheduler.address) if client else ClusterSpec()
        for result in run(documents, spec, keep=lambda d: not store.has_document(d.sha256)):
            if not isinstance(result, Document):
                stored += store.save(result).created
        elapsed = time.perf_counter() - start
        if client:
            worker_rss = sorted(client.run(_peak_rss_mb).values())
    merged = merge_reports(store.events(EventQuery()))
    store.close()
    return {
        "workers": workers, "store": db.split("://")[0] if "://" in db else "sqlite",
        "articles": len(documents), "stored": stored, "seconds": round(elapsed, 1),
        "articles_per_second": round(len(documents) / elapsed, 2),
        "writer_peak_rss_mb": _peak_rss_mb(),
        "worker_peak_rss_mb": worker_rss, "duplicates_merged": round(duplicate_share(merged), 3),
    }


def _peak_rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


@contextmanager
def _cluster(workers: int) -> Iterator[Client | None]:
    """A local cluster the script keeps a client to, so it can ask workers for their memory."""
    if not workers:
        yield None
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2])
    parser.add_argument("--db", nargs="+", default=["sqlite"],
                        help="'sqlite' for a temporary file, or a postgresql:// URL (emptied first)")
    args = parser.parse_args()
    documents = generate(args.articles)
    for db in args.db:
        for workers in args.workers:
            with tempfile.TemporaryDirectory() as tmp:
                target = str(Path(tmp) / "bench.db") if db == "sqlite" else _emptied(db)
                print(json.dumps(measure(documents, workers, target)), flush=True)


def _emptied(url: str) -> str:
    drop_all_tables(url)
    return url


if __name__ == "__main__":
    main()
