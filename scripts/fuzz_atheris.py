"""Coverage-guided fuzzing of the readers and the analysis with atheris (longer runs, not CI).

    .venv/bin/pip install atheris==2.3.0
    .venv/bin/python scripts/fuzz_atheris.py -runs=20000          # or -max_total_time=600

Each input is written to a file under every extension a reader handles and ingested, and its
decoded text is analysed; anything but a Document, an IngestFailure or an Analysis is a crash.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

import atheris

# Instrument our own code only: instrumenting spaCy and its native extensions crashes them.
with atheris.instrument_imports(include=["frontlines"], enable_loader_override=False):
    from frontlines.ingest import READERS, IngestLimits, iter_documents
    from frontlines.models import Analysis, Document, IngestFailure
    from frontlines.pipeline import analyze

LIMITS = IngestLimits(max_bytes=200_000, max_feed_entries=50, max_document_chars=50_000)
WORKDIR = Path(tempfile.mkdtemp(prefix="frontlines-fuzz-"))
EXTENSIONS = sorted(READERS)


def one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    extension = EXTENSIONS[provider.ConsumeIntInRange(0, len(EXTENSIONS) - 1)]
    payload = provider.ConsumeBytes(provider.remaining_bytes())
    path = WORKDIR / f"input{extension}"
    path.write_bytes(payload)
    for item in iter_documents([str(path)], limits=LIMITS):
        assert isinstance(item, Document | IngestFailure), type(item)
    text = payload.decode("utf-8", errors="replace")[:5_000]
    result = analyze(Document(id="fuzz", text=text, published=date(2024, 12, 1), language="en"))
    assert isinstance(result, Analysis)
    for event in result.events:
        assert text[event.start:event.end] == event.evidence


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
