"""Peak memory while reading a very large feed or JSON Lines file (a script, not a test).

    .venv/bin/python scripts/big_input.py --size-mb 1024 --kind feed
    .venv/bin/python scripts/big_input.py --size-mb 1024 --kind jsonl

It writes a file of the given size (entries of about 100 kB of news-like text) to a temporary
folder, reads it through `iter_documents` without analysing, and prints documents read, seconds
and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from frontlines.ingest import IngestLimits, iter_documents
from frontlines.models import Document

PARAGRAPH = ("Government forces shelled the town of Saraqib on Friday, killing three civilians, "
             "a local monitor said, as opposition fighters pressed their advance. ")
ENTRY_CHARS = 100_000


def write(path: Path, kind: str, size: int) -> int:
    body = PARAGRAPH * (ENTRY_CHARS // len(PARAGRAPH))
    count = 0
    with path.open("w", encoding="utf-8") as f:
        if kind == "feed":
            f.write("<?xml version='1.0'?><rss version='2.0'><channel><title>Big Wire</title>")
        while f.tell() < size:
            if kind == "feed":
                f.write(f"<item><title>Report {count}</title><description>{body} {count}"
                        f"</description></item>\n")
            else:
                f.write(json.dumps({"id": f"r{count}", "title": f"Report {count}",
                                    "text": f"{body} {count}"}) + "\n")
            count += 1
        if kind == "feed":
            f.write("</channel></rss>")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--kind", choices=["feed", "jsonl"], default="feed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("big.xml" if args.kind == "feed" else "big.jsonl")
        written = write(path, args.kind, args.size_mb * 1024 * 1024)
        limits = IngestLimits(max_feed_entries=written + 1)
        start = time.perf_counter()
        read = sum(isinstance(item, Document) for item in iter_documents([str(path)], limits=limits))
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"kind": args.kind, "file_mb": round(path.stat().st_size / 2**20),
                          "entries": written, "documents_read": read, "seconds": round(elapsed, 1),
                          "peak_rss_mb": round(peak)}))


if __name__ == "__main__":
    main()
