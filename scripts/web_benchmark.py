"""Web API latency over a large generated store, and page load time in Chromium.

    .venv/bin/python scripts/web_benchmark.py [--events 100000] [--page-events 10000] [--requests 200]

1. Analyses the bundled sample corpus into a fresh store, then copies its real events until the store
   holds `--events`, each copy moved in time (within a year) and space (a few tens of km), with
   SQLAlchemy bulk inserts.
2. Serves it with uvicorn on loopback and times `--requests` GETs per query with httpx
   (p50 / p95 / max, in ms).
3. Builds a `--page-events` store the same way and times the page in headless Debian Chromium with
   Playwright, from navigation to all markers drawn (skipped when Chromium or Playwright is missing).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from web_helpers import fill_with_samples, running_server  # noqa: E402

from frontlines.store import open_store  # noqa: E402
from frontlines.store.sql import events as events_table  # noqa: E402
from frontlines.web import create_app  # noqa: E402

QUERIES = {
    "events limit=500": "/api/events?limit=500",
    "events limit=500 json": "/api/events?limit=500&format=json",
    "events limit=500 country=SY&type=Battles": "/api/events?limit=500&country=SY&type=Battles",
    "events limit=500 actor=russia": "/api/events?limit=500&actor=russia",
    "events limit=500 since/until (one month)": "/api/events?limit=500&since=2024-11-01&until=2024-11-30",
    "events limit=500 offset=50000": "/api/events?limit=500&offset=50000",
    "events limit=500 near Aleppo 50 km": "/api/events?limit=500&near=36.2,37.16&within=50",
    "events limit=5000": "/api/events?limit=5000",
    "stats/daily": "/api/stats/daily",
    "places": "/api/places",
    "actors": "/api/actors",
}
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def generate_store(db: Path, total: int, seed: int = 5) -> float:
    """A store of `total` events copied and perturbed from the analysed sample corpus; seconds taken."""
    started = time.perf_counter()
    fill_with_samples(db)
    store = open_store(str(db))
    rng = random.Random(seed)
    with store.engine.begin() as conn:
        real = [dict(r) for r in conn.execute(select(events_table)).mappings()]
        located = [r for r in real if r["latitude"] is not None]
        rows: list[dict] = []
        for n in range(total - len(real)):
            row = dict(rng.choice(located))
            row.pop("id")
            shift = timedelta(days=rng.randint(-365, 0))
            if row["event_date"] is not None:
                row["event_date"] += shift
                row["window_start"] = row["window_end"] = None
            row["latitude"] += rng.uniform(-0.3, 0.3)
            row["longitude"] += rng.uniform(-0.3, 0.3)
            row["fatalities"] = rng.choice([None, None, 0, 1, 2, 5, 12, 40])
            row["background"] = rng.random() < 0.05
            rows.append(row)
            if len(rows) == 10_000 or n == total - len(real) - 1:
                conn.execute(insert(events_table), rows)
                rows = []
    store.close()
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def time_api(db: Path, requests: int) -> None:
    with running_server(create_app(str(db))) as base, httpx.Client(base_url=base, timeout=60) as client:
        total = client.get("/api/events?limit=1").json()["total"]
        print(f"store: {total:,} events; {requests} requests per query, one at a time, over loopback")
        print(f"{'query':45} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'bytes':>10}")
        for name, path in QUERIES.items():
            for _ in range(3):  # warm the page cache and the connection
                client.get(path)
            times, size = [], 0
            count = requests if "5000" not in path else max(10, requests // 10)
            for _ in range(count):
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
                size = len(response.content)
                response.raise_for_status()
            print(f"{name:45} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} "
                  f"{max(times):8.1f} {size:>10,}")


def time_page(db: Path, runs: int = 3) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("page load: skipped (playwright is not installed)")
        return
    if not CHROMIUM.exists():
        print(f"page load: skipped ({CHROMIUM} is absent)")
        return
    with running_server(create_app(str(db))) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        for run in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(f"{base}/?background=1")
            page.wait_for_selector("body[data-loaded=true]", timeout=120_000)
            elapsed = time.perf_counter() - start
            drawn = page.evaluate("document.body.dataset.markers")
            status = page.locator("#status").inner_text()
            print(f"page load run {run + 1}: {elapsed:.2f} s to {drawn} markers drawn ({status})")
            if run == 0:
                (ROOT / "test-artifacts").mkdir(exist_ok=True)
                page.screenshot(path=str(ROOT / "test-artifacts" / f"web-benchmark-{drawn}.png"))
            context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--page-events", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="frontlines-bench-") as folder:
        big = Path(folder) / "big.db"
        print(f"generated {args.events:,} events in {generate_store(big, args.events):.1f} s")
        time_api(big, args.requests)
        page_db = Path(folder) / "page.db"
        generate_store(page_db, args.page_events)
        print(f"page with {args.page_events:,} events:")
        time_page(page_db)
        print(f"page with {args.events:,} events:")
        time_page(big, runs=1)


if __name__ == "__main__":
    main()
