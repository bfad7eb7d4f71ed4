"""The API keeps answering while an ingest writes to the same store: SQLite in WAL mode, and
PostgreSQL, whose readers never wait for a writer's transaction.

A bounded load test on loopback: a fixed number of concurrent requests, each with a timeout, while
a writer thread stores new documents. Every request must succeed and see a consistent page.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from frontlines.ingest import iter_documents
from frontlines.models import Document, text_sha256
from frontlines.pipeline import analyze
from frontlines.store import EventQuery, open_store
from frontlines.web import create_app
from web_helpers import SAMPLE_CORPUS, running_server

REQUESTS = 200
CLIENTS = 8
COPIES = 40


@pytest.mark.parametrize("store_url", ["sqlite", "postgresql"], indirect=True)
def test_reads_succeed_while_an_ingest_writes(store_url: str) -> None:
    store = open_store(store_url)
    analyses = [analyze(d) for d in iter_documents([str(SAMPLE_CORPUS)]) if isinstance(d, Document)]
    store.save(analyses[0])
    writing = threading.Event()

    def writer() -> None:
        writing.set()
        for copy in range(COPIES):
            for analysis in analyses:
                text = f"{analysis.document.text}\n(copy {copy})"
                document = dataclasses.replace(analysis.document, text=text, sha256=text_sha256(text))
                store.save(dataclasses.replace(analysis, document=document))

    with running_server(create_app(store_url)) as base:
        thread = threading.Thread(target=writer)
        thread.start()
        writing.wait(5)

        def read(i: int) -> tuple[int, int, int]:
            params = {"limit": 50, "offset": (i * 7) % 200}
            response = httpx.get(f"{base}/api/events", params=params, timeout=20)
            body = response.json()
            return response.status_code, body.get("returned", -1), body.get("total", -1)

        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            answers = list(pool.map(read, range(REQUESTS)))
        elapsed = time.perf_counter() - started
        thread.join(timeout=300)
    assert [status for status, _, _ in answers] == [200] * REQUESTS
    assert all(0 <= returned <= 50 and total >= 1 for _, returned, total in answers)
    assert not thread.is_alive()
    final = store.count_events(EventQuery())
    assert final == sum(len(a.events) for a in analyses) * COPIES + len(analyses[0].events)
    store.close()
    print(f"\n{store.engine.dialect.name}: {REQUESTS} requests from {CLIENTS} clients during the ingest: "
          f"{REQUESTS / elapsed:.0f} requests/s, 0 errors")
