"""Running the pipeline over many documents: in this process, or on a Dask cluster.

Either way one writer stores the results: analyses come back to the calling process, in the order
the documents were read, and are saved there, so a distributed run stores exactly what a
single-process run would. Workers load spaCy and the gazetteer once (both are cached per process)
and analyse documents in batches to amortise the round trips.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice

from frontlines.models import Analysis, Document, IngestFailure
from frontlines.pipeline import analyze

log = logging.getLogger(__name__)

DEFAULT_BATCH = 8


@dataclass(frozen=True, slots=True)
class ClusterSpec:
    """Where to analyse: `workers` local processes, or an existing scheduler's address."""

    workers: int = 0
    scheduler: str | None = None

    @property
    def distributed(self) -> bool:
        return self.workers > 0 or self.scheduler is not None


def analyze_batch(documents: list[Document]) -> list[Analysis]:
    """Analyse documents in a worker; the spaCy Doc stays behind (it is large and not needed)."""
    results = []
    for document in documents:
        analysis = analyze(document)
        analysis.doc = None
        results.append(analysis)
    return results


def _batches(items: Iterable[Document | IngestFailure], size: int
             ) -> Iterator[list[Document | IngestFailure]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def run_local(items: Iterable[Document | IngestFailure],
              keep: Callable[[Document], bool] = lambda _: True
              ) -> Iterator[Analysis | IngestFailure]:
    """Analyse in this process, yielding results in input order."""
    for item in items:
        if isinstance(item, IngestFailure) or not keep(item):
            yield item
        else:
            yield analyze(item)


@contextmanager
def _client(spec: ClusterSpec) -> Iterator[object]:
    from dask.distributed import Client, LocalCluster  # only distributed runs pay for Dask

    if spec.scheduler:
        client = Client(spec.scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    # One thread per worker process: spaCy's parser is CPU-bound Python and gains nothing from
    # threads; processes give real parallelism.
    with LocalCluster(n_workers=spec.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def run_distributed(items: Iterable[Document | IngestFailure], spec: ClusterSpec, *,
                    batch_size: int = DEFAULT_BATCH,
                    keep: Callable[[Document], bool] = lambda _: True
                    ) -> Iterator[Analysis | IngestFailure]:
    """Analyse on a Dask cluster, yielding results in input order with bounded work in flight."""
    with _client(spec) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))  # type: ignore[attr-defined]
        in_flight: deque[tuple[list[Document | IngestFailure], object | None]] = deque()
        for batch in _batches(items, batch_size):
            wanted = [d for d in batch if isinstance(d, Document) and keep(d)]
            future = client.submit(analyze_batch, wanted, pure=False) if wanted else None  # type: ignore[attr-defined]
            in_flight.append((batch, future))
            # Keep every worker busy, but never read the whole corpus into memory.
            while len(in_flight) > 2 * workers:
                yield from _collect(*in_flight.popleft(), keep)
        while in_flight:
            yield from _collect(*in_flight.popleft(), keep)


def _collect(batch: list[Document | IngestFailure], future: object | None,
             keep: Callable[[Document], bool]) -> Iterator[Analysis | IngestFailure]:
    analyses = iter(future.result() if future is not None else [])  # type: ignore[attr-defined]
    for item in batch:
        if isinstance(item, Document) and keep(item):
            yield next(analyses)
        else:
            yield item


def run(items: Iterable[Document | IngestFailure], spec: ClusterSpec = ClusterSpec(), *,
        keep: Callable[[Document], bool] = lambda _: True) -> Iterator[Analysis | IngestFailure]:
    """Analyse `items` where `spec` says; documents `keep` rejects pass through unanalysed."""
    if spec.distributed:
        return run_distributed(items, spec, keep=keep)
    return run_local(items, keep)
