"""Shared by the web tests: stores filled from the bundled sample corpus, a hostile article, and a
real uvicorn server on a free loopback port in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from importlib import resources
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from frontlines.ingest import iter_documents
from frontlines.models import Analysis, Document, EventRecord, Place
from frontlines.pipeline import analyze
from frontlines.store import open_store

SAMPLE_CORPUS = Path(str(resources.files("frontlines").joinpath("sample_corpus")))

SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=2">'
HOSTILE_EVIDENCE = f"Militants shelled Qusayr {SCRIPT_PAYLOAD} on Monday {IMG_PAYLOAD} killing three."
HOSTILE_TEXT = (f"Hostile <b>markup</b> test\n\nThe wire copy began here. {HOSTILE_EVIDENCE} "
                f"It ended with <a href=\"javascript:window.__pwned=3\">a link</a>.")


def fill_with_samples(db: Path, names: list[str] | None = None) -> Path:
    """Analyse the bundled sample articles (all, or those named) into the store at `db`."""
    inputs = [str(SAMPLE_CORPUS / n) for n in names] if names else [str(SAMPLE_CORPUS)]
    store = open_store(str(db))
    try:
        for item in iter_documents(inputs):
            assert isinstance(item, Document), item
            store.save(analyze(item))
    finally:
        store.close()
    return db


def hostile_analysis() -> Analysis:
    """A hand-made document whose text, title and event carry HTML and script payloads."""
    start = HOSTILE_TEXT.index(HOSTILE_EVIDENCE)
    doc = Document(id="hostile", text=HOSTILE_TEXT, title=f"Payload title {IMG_PAYLOAD}",
                   source=f"Outlet {SCRIPT_PAYLOAD}", url="javascript:window.__pwned=4",
                   published=date(2024, 12, 2), language="en")
    qusayr = HOSTILE_TEXT.index("Qusayr")
    event = EventRecord(
        event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
        actor1=f"Militia {SCRIPT_PAYLOAD}", evidence=HOSTILE_EVIDENCE, start=start,
        end=start + len(HOSTILE_EVIDENCE), event_date=date(2024, 12, 2), date_precision="day",
        location=f"Qusayr {IMG_PAYLOAD}", admin1="Homs", country="SY", latitude=34.5096,
        longitude=36.5797, geo_precision=1, fatalities=3, confidence=0.9)
    place = Place("Qusayr", qusayr, qusayr + 6, name="Al Qusayr", kind="town", country="SY",
                  admin1="Homs", latitude=34.5096, longitude=36.5797)
    return Analysis(document=doc, events=[event], places=[place])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on loopback in a daemon thread; yields the base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def raw_get(base_url: str, raw_path: str) -> tuple[int, bytes]:
    """GET a path exactly as written (no client normalises `..` away); status and body."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(f"GET {raw_path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body
