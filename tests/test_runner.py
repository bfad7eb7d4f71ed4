"""Analysis on a Dask cluster stores exactly what a single-process run stores."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from dask.distributed import Client

from typer.testing import CliRunner

from frontlines.cli import app, sample_corpus
from frontlines.export import stored_event_json
from frontlines.ingest import iter_documents
from frontlines.models import Analysis, Document, IngestFailure
from frontlines.runner import ClusterSpec, local_cluster, run
from frontlines.store import EventQuery, open_store


def _events_without_ids(db: Path) -> list[str]:
    store = open_store(str(db))
    rows = []
    for stored in store.events(EventQuery()):
        row = stored_event_json(stored)
        row.pop("id"), row.pop("document_id")
        rows.append(json.dumps(row, sort_keys=True))
    store.close()
    return sorted(rows)


def test_two_workers_store_the_same_events_as_one_process(tmp_path: Path) -> None:
    runner = CliRunner()
    single, cluster = tmp_path / "single.db", tmp_path / "cluster.db"
    assert runner.invoke(app, ["ingest", "--sample", "--db", str(single)]).exit_code == 0
    result = runner.invoke(app, ["ingest", "--sample", "--db", str(cluster), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "12 documents stored" in result.stdout
    assert _events_without_ids(single) == _events_without_ids(cluster) != []


def test_results_keep_input_order_and_failures_and_skips_pass_through(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    inputs = [str(tmp_path / "empty.txt"), str(sample_corpus())]
    items = list(iter_documents(inputs))
    first_article = next(i for i in items if isinstance(i, Document))
    results = list(run(items, ClusterSpec(workers=1),
                       keep=lambda d: d.sha256 != first_article.sha256))
    assert len(results) == len(items)
    assert isinstance(results[0], IngestFailure)
    assert results[1] is first_article  # not analysed: passed through as it came
    analysed = [r for r in results if isinstance(r, Analysis)]
    assert [a.document.id for a in analysed] == [
        i.id for i in items if isinstance(i, Document) and i is not first_article]
    assert all(a.doc is None for a in analysed)  # the spaCy Doc stays on the worker


def test_a_text_met_twice_in_one_batch_keeps_every_result_with_its_own_document() -> None:
    # The writer stores each result as it comes; were `keep` asked again when results come back,
    # the copy would now be refused, and the documents after it paired with the wrong analyses.
    first, second = [d for d in iter_documents([str(sample_corpus())])
                     if isinstance(d, Document)][:2]
    copy = replace(first, id="copy of the first")
    items = [first, copy, second]
    stored: set[str] = set()
    with local_cluster(1) as cluster:
        spec = ClusterSpec(scheduler=cluster.scheduler_address)  # type: ignore[attr-defined]
        for run_spec in (ClusterSpec(), spec):
            stored.clear()
            results = []
            for result in run(items, run_spec, keep=lambda d: d.sha256 not in stored):
                results.append(result)
                stored.add(result.document.sha256 if isinstance(result, Analysis) else "")
            assert [r.document for r in results] == items  # type: ignore[union-attr]
            assert results[2].places != results[0].places


def test_local_workers_start_single_threaded_without_dasks_malloc_trim_threshold() -> None:
    with local_cluster(1) as cluster, Client(cluster) as client:
        settings = client.run(lambda: {k: os.environ.get(k) for k in (
            "MALLOC_TRIM_THRESHOLD_", "OPENBLAS_NUM_THREADS")})
    assert list(settings.values()) == [{"MALLOC_TRIM_THRESHOLD_": None, "OPENBLAS_NUM_THREADS": "1"}]
