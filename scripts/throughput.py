"""Throughput benchmark (a script, not a test): ingest a generated corpus end to end.

The corpus is built from the team's sample articles: every article is retold by other outlets
(same facts: these are the duplicates deduplication should merge) and rewritten with other towns
of the same country (new events). For each configuration, run in a process of its own, it reports
articles per second end to end (read, analyse, store), also past the start-up (cluster, spaCy and
gazetteer loading), peak memory and CPU seconds of the writer and of each worker, and the share of
stored reports merged as duplicates. The machine's other work slows every figure but the CPU
seconds: compare runs on an idle machine.

    .venv/bin/python scripts/throughput.py --articles 2000 --workers 0 2 \\
        --db sqlite postgresql://frontlines:frontlines@127.0.0.1:5432/frontlines_bench

A PostgreSQL database named here is emptied first: give it one of its own.
"""

from __future__ import annotations

import os

# Before numpy, thinc or spaCy are imported: their thread pools read these once, at import. One
# thread each, so that "1 process" means one core; Dask starts its workers with the same.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from datetime import timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # this checkout's frontlines, not whichever one is installed
    sys.path.insert(0, str(REPO))

from dask.distributed import Client  # noqa: E402

from frontlines.dedup import duplicate_share, merge_reports  # noqa: E402
from frontlines.ingest import iter_documents  # noqa: E402
from frontlines.models import Document  # noqa: E402
from frontlines.runner import ClusterSpec, local_cluster, run  # noqa: E402
from frontlines.store import EventQuery, open_store  # noqa: E402
from frontlines.store.sql import drop_all_tables  # noqa: E402

SAMPLE = REPO / "frontlines" / "sample_corpus"
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
    worker_cpu: list[float] = []
    done_at: list[float] = []  # seconds from the start to each result
    with _cluster(workers) as client:
        spec = ClusterSpec(scheduler=client.scheduler.address) if client else ClusterSpec()
        for result in run(documents, spec, keep=lambda d: not store.has_document(d.sha256)):
            if not isinstance(result, Document):
                stored += store.save(result).created
            done_at.append(time.perf_counter() - start)
        elapsed = time.perf_counter() - start
        if client:
            worker_rss = sorted(client.run(_peak_rss_mb).values())
            worker_cpu = sorted(client.run(_cpu_seconds).values())
    merged = merge_reports(store.events(EventQuery()))
    store.close()
    return {
        "workers": workers, "store": db.split("://")[0] if "://" in db else "sqlite",
        "articles": len(documents), "stored": stored, "seconds": round(elapsed, 1),
        "articles_per_second": round(len(documents) / elapsed, 2),
        # Starting the cluster and loading spaCy and the gazetteer come before the first result;
        # the rate past the first tenth of the corpus is what a long run settles at.
        "seconds_to_first_result": round(done_at[0], 1) if done_at else None,
        "articles_per_second_after_first_tenth": _rate_after(done_at, len(done_at) // 10),
        "writer_peak_rss_mb": _peak_rss_mb(),
        "worker_peak_rss_mb": worker_rss,
        # CPU time of each process over its life (a worker's includes loading the models): with
        # other work on the machine, articles per CPU second says more than per second.
        "writer_cpu_seconds": _cpu_seconds(),
        "worker_cpu_seconds": worker_cpu, "duplicates_merged": round(duplicate_share(merged), 3),
    }


def _rate_after(done_at: list[float], skipped: int) -> float | None:
    if skipped < 1 or done_at[-1] <= done_at[skipped - 1]:
        return None
    return round((len(done_at) - skipped) / (done_at[-1] - done_at[skipped - 1]), 2)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 1)


def _peak_rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


@contextmanager
def _cluster(workers: int) -> Iterator[Client | None]:
    """A local cluster the script keeps a client to, so it can ask workers for their memory."""
    if not workers:
        yield None
        return
    with local_cluster(workers) as cluster, Client(cluster) as client:
        yield client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2])
    parser.add_argument("--db", nargs="+", default=["sqlite"],
                        help="'sqlite' for a temporary file, or a postgresql:// URL (emptied first)")
    args = parser.parse_args()
    configurations = [(db, workers) for db in args.db for workers in args.workers]
    if len(configurations) > 1:
        # Each configuration in a process of its own: peak memory is a high-water mark, and the
        # writer of a distributed run would otherwise report the single-process run's spaCy.
        for db, workers in configurations:
            subprocess.run([sys.executable, __file__, "--articles", str(args.articles),
                            "--workers", str(workers), "--db", db], check=True)
        return
    documents = generate(args.articles)
    db, workers = configurations[0]
    with tempfile.TemporaryDirectory() as tmp:
        target = str(Path(tmp) / "bench.db") if db == "sqlite" else _emptied(db)
        print(json.dumps(measure(documents, workers, target)), flush=True)


def _emptied(url: str) -> str:
    drop_all_tables(url)
    return url


if __name__ == "__main__":
    main()
