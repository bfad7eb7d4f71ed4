"""Shared test set-up: the gold data beside the repository, and a private event store per test.

The gazetteer index is deliberately *not* redirected: it is built once (about 15 s) in the per-user
data folder and reused by every run, so `FRONTLINES_HOME` is left alone here.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

# ../shared relative to the repository root: the team's gold corpus and the analysis contract.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SKIP_REASON = "../shared is absent: gold fixtures unavailable"


def shared_path(*parts: str) -> Path:
    """A path inside ../shared, or skip the calling test when the folder is not there."""
    if not SHARED.is_dir():
        pytest.skip(SKIP_REASON)
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: gold fixtures unavailable")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder (gold corpus, contract); skips the test when it is absent."""
    return shared_path()


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The founding article, as captured (Markdown with image lines)."""
    return shared_path("corpus", "seed", "alestiklal-2024-12-russia-absence.md")


@pytest.fixture(autouse=True)
def private_event_store(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default store at a fresh temporary file so no test touches a user's real store."""
    db = tmp_path_factory.mktemp("store") / "frontlines.db"
    monkeypatch.setenv("FRONTLINES_DB", str(db))
    return db


@pytest.fixture(scope="session")
def contract_keys() -> dict[str, list[str]]:
    """The field names of each part of the analysis contract, read from ../shared/corpus/README.md."""
    readme = shared_path("corpus", "README.md").read_text(encoding="utf-8")
    block = readme.split("## The analysis contract", 1)[1].split("```")[1]
    keys = {}
    for part in ("doc", "events", "places", "quotes", "figures"):
        match = re.search(rf'"{part}":\s*\[?\s*\{{(.*?)\}}', block, re.S)
        assert match, f"the contract in ../shared/corpus/README.md has no {part!r} object"
        keys[part] = re.findall(r'"(\w+)":', match.group(1))
    return keys


# A PostgreSQL server for the store tests: scripts/test.sh starts one and exports its URL.
POSTGRES_URL = os.environ.get("FRONTLINES_TEST_PG")


def empty_postgres(url: str) -> str:
    """Drop every table in the test database, so each test starts from an empty schema."""
    from frontlines.store.sql import drop_all_tables

    drop_all_tables(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql", "postgresql-without-postgis"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The address of an empty store, once for each backend the Store interface has.

    PostgreSQL runs twice: as installed (scripts/postgres.sh adds PostGIS, so `near` uses its
    spatial index), then as if PostGIS were absent, the plain-index path every server without it takes.
    """
    if request.param == "sqlite":
        return str(tmp_path / "events.db")
    if not POSTGRES_URL:
        pytest.skip("FRONTLINES_TEST_PG is not set: no PostgreSQL server (scripts/test.sh starts one)")
    if request.param == "postgresql-without-postgis":
        from frontlines.store import sql

        monkeypatch.setattr(sql, "_postgis_installed", lambda _conn: False)
    return empty_postgres(POSTGRES_URL)


@contextmanager
def document_inserts_meet(engine: Engine, writers: int = 2) -> Iterator[None]:
    """Hold each INSERT of a document until `writers` of them are under way.

    Every writer has then looked its text up and found nothing: the race two simultaneous uploads
    of one text run, made certain instead of left to timing. A writer that never inserts breaks the
    barrier (after a minute) and fails the others' inserts.
    """
    barrier = threading.Barrier(writers, timeout=60)

    def hold(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("INSERT INTO documents"):
            barrier.wait()

    event.listen(engine, "before_cursor_execute", hold)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", hold)
