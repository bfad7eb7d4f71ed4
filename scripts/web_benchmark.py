"""Web API latency over a large generated store, `near` queries in the store, and page load time.

    .venv/bin/python scripts/web_benchmark.py [--events 100000] [--page-events 10000] [--requests 200]
        [--db sqlite postgresql://...] [--near-only] [--spread 0.3]

1. Analyses the bundled sample corpus into a fresh store, then copies its real events until the store
   holds `--events`, each copy moved in time (within a year) and space (up to `--spread` degrees
   of latitude and longitude), with SQLAlchemy bulk inserts. `--db` names the stores: `sqlite` (a
   temporary file) and PostgreSQL URLs, each emptied first (one database with PostGIS and one
   without compares the two `near` paths).
2. Serves each with uvicorn on loopback and times `--requests` GETs per query with httpx
   (p50 / p95 / max, in ms); `--near-only` skips this and step 4.
3. Times `near` queries on the stores themselves, without HTTP (p50 / p95 of `--requests // 4`
   runs), the stores taking turns so that a shared machine's changing load weighs on each alike,
   and checks that every store finds as many events.
4. Builds a `--page-events` SQLite store the same way and times the page in headless Debian
   Chromium with Playwright, from navigation to all markers drawn (skipped when Chromium or
   Playwright is missing).
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from web_helpers import fill_with_samples, running_server  # noqa: E402

from frontlines.store import EventQuery, SqlStore, open_store  # noqa: E402
from frontlines.store.sql import drop_all_tables  # noqa: E402
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
ALEPPO, FASHER = (36.2, 37.16), (13.63, 25.35)
NEAR_QUERIES: dict[str, tuple[str, EventQuery]] = {
    "events near Aleppo 50 km, first 500": ("events", EventQuery(near=ALEPPO, within_km=50, limit=500)),
    "events near Aleppo 50 km, page at 5000": (
        "events", EventQuery(near=ALEPPO, within_km=50, limit=500, offset=5000)),
    "count near Aleppo 50 km": ("count_events", EventQuery(near=ALEPPO, within_km=50)),
    "count near Aleppo 300 km": ("count_events", EventQuery(near=ALEPPO, within_km=300)),
    "daily counts near Aleppo 300 km": ("daily_counts", EventQuery(near=ALEPPO, within_km=300)),
    "places near El Fasher 25 km": ("places", EventQuery(near=FASHER, within_km=25)),
    "events near El Fasher 5 km, all": ("events", EventQuery(near=FASHER, within_km=5)),
    "count near 0,0 100 km (none)": ("count_events", EventQuery(near=(0.0, 0.0), within_km=100)),
}
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def generate_store(db: str, total: int, spread: float = 0.3, seed: int = 5) -> float:
    """A store of `total` events copied and perturbed from the analysed sample corpus; seconds taken."""
    started = time.perf_counter()
    fill_with_samples(db)  # type: ignore[arg-type]  # a SQLite path or a database URL
    store = open_store(db)
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
            row["latitude"] += rng.uniform(-spread, spread)
            row["longitude"] += rng.uniform(-spread, spread)
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


def elapsed_ms(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def timings_ms(run: Callable[[], object], count: int) -> str:
    """p50, p95 and max of `count` runs after three warm-up runs, formatted for the tables."""
    for _ in range(3):  # warm the page cache and the connection
        run()
    times = [elapsed_ms(run) for _ in range(count)]
    return f"{statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} {max(times):8.1f}"


def time_api(db: str, requests: int) -> None:
    with running_server(create_app(db)) as base, httpx.Client(base_url=base, timeout=60) as client:
        total = client.get("/api/events?limit=1").json()["total"]
        print(f"store: {total:,} events; {requests} requests per query, one at a time, over loopback")
        print(f"{'query':45} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'bytes':>10}")
        for name, path in QUERIES.items():
            size = len(client.get(path).raise_for_status().content)
            count = requests if "5000" not in path else max(10, requests // 10)
            print(f"{name:45} {timings_ms(lambda: client.get(path).raise_for_status(), count)} "
                  f"{size:>10,}")


def time_near(stores: dict[str, SqlStore], runs: int) -> None:
    """`near` queries on the stores themselves: the database's share of the API's time."""
    print(f"\nnear queries in the stores, {runs} runs each, taking turns: p50 / p95 ms")
    print(f"{'query':40} {'found':>7}" + "".join(f" {label:>26}" for label in stores))
    for name, (method, query) in NEAR_QUERIES.items():
        calls = {label: functools.partial(getattr(store, method), query) for label, store in stores.items()}
        found = {len(a) if isinstance(a, list) else a for a in (call() for call in calls.values())}
        if len(found) > 1:
            raise SystemExit(f"{name}: the stores disagree ({found})")
        times: dict[str, list[float]] = {label: [] for label in stores}
        for _ in range(runs):
            for label, call in calls.items():
                times[label].append(elapsed_ms(call))
        cells = (f"{statistics.median(t):.1f} / {percentile(t, 0.95):.1f}" for t in times.values())
        print(f"{name:40} {found.pop():>7,}" + "".join(f" {cell:>26}" for cell in cells))


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
    parser.add_argument("--db", nargs="+", default=["sqlite"],
                        help="sqlite (a temporary file) and/or PostgreSQL URLs, each emptied first")
    parser.add_argument("--spread", type=float, default=0.3,
                        help="degrees by which a copied event may move in latitude and longitude")
    parser.add_argument("--near-only", action="store_true",
                        help="time only the near queries in the store (no API, no page)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="frontlines-bench-") as folder:
        big = Path(folder) / "big.db"
        stores: dict[str, SqlStore] = {}
        for target in args.db:
            if target == "sqlite":
                db = str(big)
            else:
                drop_all_tables(target)
                db = target
            print(f"\n{db.split('@')[-1]}: generated {args.events:,} events in "
                  f"{generate_store(db, args.events, args.spread):.1f} s")
            if not args.near_only:
                time_api(db, args.requests)
            store = open_store(db)
            kind = "PostGIS" if store.geography else "lat/lon box"
            stores[f"{store.engine.dialect.name} {len(stores) + 1} ({kind})"] = store
        time_near(stores, max(10, args.requests // 4))
        for store in stores.values():
            store.close()
        if args.near_only:
            return
        page_db = Path(folder) / "page.db"
        generate_store(str(page_db), args.page_events)
        print(f"page with {args.page_events:,} events:")
        time_page(page_db)
        if big.exists():
            print(f"page with {args.events:,} events:")
            time_page(big, runs=1)


if __name__ == "__main__":
    main()
