"""Running the pipeline over many documents: in this process, or on a Dask cluster.

Either way one writer stores the results: analyses come back to the calling process, in the order
the documents were read, and are saved there, so a distributed run stores exactly what a
single-process run would. Workers load spaCy and the gazetteer once (both are cached per process).
Documents go in batches, in this process as on a cluster: spaCy parses a batch together, which
costs less per document, and on a cluster a batch is one round trip.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice

from frontlines.models import Analysis, Document, IngestFailure
from frontlines.nlp import BATCH_TEXTS
from frontlines.pipeline import analyze_batch

log = logging.getLogger(__name__)

# Documents per batch: as many as spaCy parses together, so that each batch is one nlp.pipe call.
DEFAULT_BATCH = BATCH_TEXTS

# frontlines.ingest.core.Item, named here so that workers need not import the readers.
Item = Document | IngestFailure


@dataclass(frozen=True, slots=True)
class ClusterSpec:
    """Where to analyse: `workers` local processes, or an existing scheduler's address."""

    workers: int = 0
    scheduler: str | None = None

    @property
    def distributed(self) -> bool:
        return self.workers > 0 or self.scheduler is not None


def analyze_on_worker(documents: list[Document]) -> list[Analysis]:
    """Analyse documents in a worker; the spaCy Doc stays behind (it is large and not needed)."""
    analyses = analyze_batch(documents)
    for analysis in analyses:
        analysis.doc = None
    return analyses


@dataclass(slots=True)
class _Batch:
    """A run of input items and which of them are to be analysed.

    `keep` is asked once per document, when the batch is formed: asking again when results come
    back could get another answer (the writer may have stored the same text from earlier in the
    batch meanwhile) and pair a document with another one's analysis.
    """

    items: list[Item]
    wanted: list[bool]

    @property
    def documents(self) -> list[Document]:
        return [item for item, wanted in zip(self.items, self.wanted) if wanted]  # type: ignore[misc]

    def results(self, analyses: Iterable[Analysis]) -> Iterator[Analysis | Item]:
        """The items in input order, each wanted document replaced by its analysis."""
        analysed = iter(analyses)
        for item, wanted in zip(self.items, self.wanted):
            yield next(analysed) if wanted else item


def _batches(items: Iterable[Item], size: int, keep: Callable[[Document], bool]) -> Iterator[_Batch]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield _Batch(chunk, [isinstance(item, Document) and keep(item) for item in chunk])


def run_local(items: Iterable[Item], keep: Callable[[Document], bool] = lambda _: True,
              *, batch_size: int = DEFAULT_BATCH) -> Iterator[Analysis | Item]:
    """Analyse in this process, yielding results in input order, a batch at a time."""
    for batch in _batches(items, batch_size, keep):
        yield from batch.results(analyze_batch(batch.documents))


@contextmanager
def _client(spec: ClusterSpec) -> Iterator[object]:
    from dask.distributed import Client  # only distributed runs pay for Dask

    if spec.scheduler:
        client = Client(spec.scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    with local_cluster(spec.workers) as cluster, Client(cluster) as client:
        yield client


@contextmanager
def local_cluster(workers: int) -> Iterator[object]:
    """A Dask cluster of `workers` processes on this machine, set up for spaCy.

    One thread per worker process: spaCy's parser is CPU-bound Python and gains nothing from
    threads; processes give real parallelism. And glibc keeps its own memory trimming: Dask's
    nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which hands freed memory back to the
    system at once, and spaCy frees and reallocates large arrays for every batch; with it each
    batch faulted its memory back in (a hundred times the page faults, 20-100% more time per
    document, measured). Workers of a cluster named with `--scheduler` are set up by whoever
    started them.
    """
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                         dashboard_address=None) as cluster:
        yield cluster


def run_distributed(items: Iterable[Item], spec: ClusterSpec, *,
                    batch_size: int = DEFAULT_BATCH,
                    keep: Callable[[Document], bool] = lambda _: True
                    ) -> Iterator[Analysis | Item]:
    """Analyse on a Dask cluster, yielding results in input order with bounded work in flight."""
    with _client(spec) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))  # type: ignore[attr-defined]
        in_flight: deque[tuple[_Batch, object | None]] = deque()
        for batch in _batches(items, batch_size, keep):
            documents = batch.documents
            future = client.submit(analyze_on_worker, documents, pure=False) if documents else None  # type: ignore[attr-defined]
            in_flight.append((batch, future))
            # Keep every worker busy, but never read the whole corpus into memory.
            while len(in_flight) > 2 * workers:
                yield from _collect(*in_flight.popleft())
        while in_flight:
            yield from _collect(*in_flight.popleft())


def _collect(batch: _Batch, future: object | None) -> Iterator[Analysis | Item]:
    return batch.results(future.result() if future is not None else [])  # type: ignore[attr-defined]


def run(items: Iterable[Item], spec: ClusterSpec = ClusterSpec(), *,
        keep: Callable[[Document], bool] = lambda _: True) -> Iterator[Analysis | Item]:
    """Analyse `items` where `spec` says; documents `keep` rejects pass through unanalysed."""
    if spec.distributed:
        return run_distributed(items, spec, keep=keep)
    return run_local(items, keep)
