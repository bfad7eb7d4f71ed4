"""Killing an ingest with SIGKILL at a random moment loses no document and duplicates none.

Each document and all its rows are written in one transaction, so after a kill the store holds
whole documents only; running the same ingest again adds exactly the ones that were missing.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

TOWNS = ["Saraqib", "Atarib", "Sarmin", "Binnish", "Ariha", "Taftanaz", "Manbij", "Azaz"]


def _write_corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        (folder / f"report-{i:03d}.txt").write_text(
            f"Clashes near {town} ({i})\n"
            f"Syrian government forces shelled the town of {town} in Idlib province on Friday, "
            f"killing {i % 7 + 1} civilians, a local monitor said in report number {i}.\n"
            f"Opposition fighters said they had repelled an attack on {town} the following day.\n",
            encoding="utf-8")


def _ingest(folder: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "FRONTLINES_DB": str(db)}
    return subprocess.Popen([sys.executable, "-m", "frontlines", "ingest", str(folder),
                             "--published", "2024-11-30"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _per_document(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT d.sha256, COUNT(e.id) FROM documents d "
                            "LEFT JOIN events e ON e.document_id = d.id GROUP BY d.id").fetchall()
    shas = [sha for sha, _ in rows]
    assert len(shas) == len(set(shas)), "a document was stored twice"
    return dict(rows)


@pytest.mark.parametrize("trial", range(2))
def test_sigkill_then_rerun_leaves_whole_documents_only(tmp_path: Path, trial: int) -> None:
    folder = tmp_path / "corpus"
    _write_corpus(folder, 60)
    clean = tmp_path / "clean.db"
    assert _ingest(folder, clean).wait(timeout=300) == 0
    expected = _per_document(clean)

    killed = tmp_path / "killed.db"
    process = _ingest(folder, killed)
    time.sleep(random.Random(trial).uniform(3.0, 6.0))  # models load, then documents go in
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    if killed.exists():
        partial = _per_document(killed)
        # Whatever was stored is stored whole: the same events as in the clean run.
        assert all(partial[sha] == expected[sha] for sha in partial)
    assert _ingest(folder, killed).wait(timeout=300) == 0
    assert _per_document(killed) == expected
