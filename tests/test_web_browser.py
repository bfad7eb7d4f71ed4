"""The page in Debian's Chromium driven by Playwright, against uvicorn over the sample corpus.

Skipped (with the reason) where /usr/bin/chromium or the playwright package is missing;
scripts/test.sh installs both, so CI runs them. Playwright's own browser download is never used.
Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from frontlines.store import open_store
from frontlines.web import create_app
from web_helpers import (
    HOSTILE_EVIDENCE, IMG_PAYLOAD, SCRIPT_PAYLOAD, fill_with_samples, hostile_analysis,
    running_server,
)

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent (scripts/test.sh installs Debian's chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed "
                               "(pip install -e '.[test]')")

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    db = fill_with_samples(tmp_path_factory.mktemp("browser") / "events.db")
    store = open_store(str(db))
    hostile_id = store.save(hostile_analysis()).document_id
    hostile_event = store.document(hostile_id).events[0].id  # type: ignore[union-attr]
    store.close()
    with running_server(create_app(str(db))) as base:
        yield {"base": base, "hostile_event": hostile_event}


@pytest.fixture(scope="module")
def browser(site: dict[str, Any]) -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, site: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # Nothing may leave the machine: every request must go to the test server.
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(site["base"]) else None)
    pg.problems = problems
    yield pg
    context.close()
    assert outside == [], f"the page asked for outside resources: {outside}"
    assert problems == [], problems  # CSP violations and script errors show up here


def shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def api(site: dict[str, Any], path: str, **params: Any) -> Any:
    return httpx.get(f"{site['base']}{path}", params=params, timeout=10).json()


def load(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-loaded=true]")  # markers drawn
    page.wait_for_selector("#chart svg")  # the chart, which also sets the slider's extent


def markers(page: Any) -> int:
    return int(page.evaluate("document.body.dataset.markers"))


def list_items(page: Any) -> int:
    return page.locator("#event-list .event").count()


def wait_for_reload(page: Any, before: int) -> None:
    page.wait_for_function("(n) => Number(document.body.dataset.markers) !== n", arg=before)


def test_page_shows_markers_list_chart_and_base_map(page: Any, site: dict[str, Any]) -> None:
    load(page, f"{site['base']}/")
    expected = api(site, "/api/events", no_background="true", limit=5000)
    placed = sum(1 for f in expected["features"] if f["geometry"])
    assert placed > 10 and markers(page) == placed
    assert 0 < list_items(page) <= placed
    assert page.locator("#status").inner_text().startswith(f"Showing {placed} of {expected['total']}")
    assert page.locator("#chart svg rect").count() > 5  # bars and the window
    assert page.locator(".leaflet-overlay-pane canvas").count() >= 1  # countries drawn
    shoot(page, "web-overview.png")


@pytest.mark.parametrize("address", ["/?from=9999-99-99", "/?to=2024-02-30&country=SYR",
                                     "/?from=2024-13-01&type=" + "x" * 500])
def test_an_address_with_parts_the_api_refuses_still_shows_the_events(page: Any, site: dict[str, Any],
                                                                       address: str) -> None:
    load(page, f"{site['base']}{address}")
    assert markers(page) > 10 or "type=" in address
    assert "9999" not in page.url and "SYR" not in page.url and "2024-13" not in page.url


def test_the_list_dates_an_event_as_precisely_as_its_report(page: Any, site: dict[str, Any]) -> None:
    load(page, f"{site['base']}/?background=1")
    page.wait_for_selector("#event-list .event")
    features = api(site, "/api/events", limit=5000)["features"]
    coarse = {f["properties"]["date_precision"] for f in features if f["geometry"]} & {"month", "year"}
    assert coarse  # the sample corpus has events known only to their month or year
    labels = page.locator("#event-list .event-date").all_inner_texts()
    for precision in coarse:
        assert any(label.endswith(f"({precision})") for label in labels), (precision, labels)


def test_with_history_on_the_time_axis_spans_the_days_events_fell_on(page: Any,
                                                                       site: dict[str, Any]) -> None:
    # The sample corpus recalls a takeover "in 2016" and a ceasefire of March 2020: known only to
    # their year or month, they fall on no day and do not stretch the axis over years.
    load(page, f"{site['base']}/?background=1")
    first_day = page.locator("#from-label").inner_text()
    assert first_day >= "2024-01-01", first_day
    years = {f["properties"]["event_date"][:4] for f in api(site, "/api/events", limit=5000)["features"]
             if f["properties"]["event_date"]}
    assert min(years) < "2024"  # the history is there, on the map and in the list


def test_at_1280_by_720_the_panel_leaves_most_of_the_map_and_a_filter_rewinds_the_list(
        browser: Any, site: dict[str, Any]) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        load(page, f"{site['base']}/")
        page.locator("#event-list .event-button").first.click()
        page.wait_for_selector("#panel:not([hidden])")
        map_box, panel_box = page.locator("#map").bounding_box(), page.locator("#panel").bounding_box()
        covered = max(0.0, map_box["x"] + map_box["width"] - panel_box["x"])
        assert covered < map_box["width"] / 4, (covered, map_box, panel_box)
        shoot(page, "web-panel-1280.png")
        page.click("#panel-close")
        page.evaluate("document.getElementById('event-list').scrollTop = 400")
        assert page.evaluate("document.getElementById('event-list').scrollTop") > 0
        before = markers(page)
        page.select_option("#f-type", "Battles")
        wait_for_reload(page, before)
        assert page.evaluate("document.getElementById('event-list').scrollTop") == 0
    finally:
        context.close()


def test_the_country_menu_counts_what_the_map_shows(page: Any, site: dict[str, Any]) -> None:
    load(page, f"{site['base']}/")
    page.wait_for_selector("#f-country option[value=SY]", state="attached")

    def syria_count() -> int:
        label = page.locator("#f-country option[value=SY]").inner_text()
        return int(label.rsplit("(", 1)[1].rstrip(")"))

    shown = api(site, "/api/events", country="SY", no_background="true", limit=1)["total"]
    everything = api(site, "/api/events", country="SY", limit=1)["total"]
    assert everything > shown  # the sample corpus recalls history in Syria
    assert syria_count() == shown
    page.check("#f-background")
    page.wait_for_function("(n) => !document.querySelector('#f-country option[value=SY]')"
                           ".textContent.endsWith(`(${n})`)", arg=shown)
    assert syria_count() == everything


def test_slider_narrows_the_time_range_and_the_list(page: Any, site: dict[str, Any]) -> None:
    load(page, f"{site['base']}/")
    before_markers, before_items = markers(page), list_items(page)
    slider = page.locator("#t-from")
    last = int(slider.get_attribute("max"))
    slider.focus()
    for _ in range(int(last * 0.8)):
        page.keyboard.press("ArrowRight")
    wait_for_reload(page, before_markers)
    page.wait_for_timeout(300)  # the list follows the markers on the next frame
    assert 0 < markers(page) < before_markers
    assert 0 < list_items(page) < before_items
    since = page.locator("#from-label").inner_text()
    assert f"from={since}" in page.url
    expected = api(site, "/api/events", no_background="true", since=since, limit=5000)
    assert markers(page) == sum(1 for f in expected["features"] if f["geometry"])
    dates = [d for d in page.locator("#event-list .event-date").all_inner_texts()
             if len(d) == 10]  # day-precise labels; coarser ones say their precision
    assert dates and all(d >= since for d in dates)
    shoot(page, "web-slider.png")


def test_play_slides_a_window_through_time(page: Any, site: dict[str, Any]) -> None:
    load(page, f"{site['base']}/")
    page.click("#play")
    page.wait_for_function("() => new URLSearchParams(location.search).has('to')")
    assert page.locator("#play").get_attribute("aria-pressed") == "true"
    first_to = page.locator("#to-label").inner_text()
    page.wait_for_function("(d) => document.getElementById('to-label').textContent > d", arg=first_to)
    page.click("#play")
    assert page.locator("#play").get_attribute("aria-pressed") == "false"


def test_play_played_through_ends_on_the_full_range(page: Any, site: dict[str, Any]) -> None:
    load(page, f"{site['base']}/")
    everything = markers(page)
    page.click("#play")
    page.wait_for_function("() => new URLSearchParams(location.search).has('to')")
    page.wait_for_function("() => document.getElementById('play').getAttribute('aria-pressed') === 'false'",
                           timeout=90_000)
    page.wait_for_function("(n) => Number(document.body.dataset.markers) === n", arg=everything)
    assert "from=" not in page.url and "to=" not in page.url
    assert page.locator("#t-from").input_value() == "0"
    assert page.locator("#t-to").input_value() == page.locator("#t-to").get_attribute("max")


def test_filters_apply_and_the_view_survives_a_reload(page: Any, site: dict[str, Any]) -> None:
    load(page, f"{site['base']}/")
    before = markers(page)
    page.select_option("#f-type", "Battles")
    wait_for_reload(page, before)
    expected = api(site, "/api/events", type="Battles", no_background="true", limit=5000)
    battles = sum(1 for f in expected["features"] if f["geometry"])
    assert markers(page) == battles < before
    assert "type=Battles" in page.url
    page.select_option("#f-country", "SY")
    page.wait_for_function("() => location.search.includes('country=SY')")
    syrian = sum(1 for f in expected["features"] if f["geometry"] and f["properties"]["country"] == "SY")
    page.wait_for_function("(n) => Number(document.body.dataset.markers) === n", arg=syrian)
    page.fill("#f-actor", "Syria")
    page.press("#f-actor", "Enter")
    page.wait_for_function("() => location.search.includes('actor=Syria')")
    page.wait_for_selector("body[data-loaded=true]")
    shoot(page, "web-filter.png")
    url, count = page.url, markers(page)
    load(page, url)  # a shared link shows the same view
    assert page.input_value("#f-type") == "Battles" and page.input_value("#f-country") == "SY"
    assert page.input_value("#f-actor") == "Syria" and markers(page) == count
    page.click("#f-reset")
    page.wait_for_function("() => !location.search.includes('type=')")
    page.wait_for_function("(n) => Number(document.body.dataset.markers) === n", arg=before)


def test_clicking_an_event_shows_its_evidence_in_the_article(page: Any, site: dict[str, Any]) -> None:
    load(page, f"{site['base']}/")
    event_id = int(page.locator("#event-list .event").nth(2).get_attribute("data-id"))
    # the list follows the map, which moves to the marker: find the item again by its id
    item = page.locator(f"#event-list .event[data-id='{event_id}']")
    item.locator("button").click()
    page.wait_for_selector("#panel:not([hidden]) mark.evidence")
    expected = next(f["properties"] for f in api(site, "/api/events", no_background="true",
                                                 limit=5000)["features"] if f["id"] == event_id)
    assert page.locator("mark.evidence").inner_text() == expected["evidence"]
    meta = page.locator("#panel-meta").inner_text()
    assert f"precision: {expected['date_precision']}" in meta and expected["source"] in meta
    article = page.locator("#panel-text").inner_text()
    document = api(site, f"/api/documents/{expected['document_id']}")
    assert article.strip() == document["text"].strip()
    assert f"event={event_id}" in page.url
    assert "selected" in (item.get_attribute("class") or "")
    shoot(page, "web-panel.png")

    # and the other way: the map is centred on the chosen marker, so a click there selects it
    page.click("#panel-close")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#panel:not([hidden]) mark.evidence")
    chosen = page.evaluate("new URLSearchParams(location.search).get('event')")
    selected = page.locator("#event-list .event.selected")
    assert selected.count() == 1 and selected.get_attribute("data-id") == chosen
    assert page.locator(f"#event-list .event[data-id='{event_id}']").count() == 1


def test_hostile_article_is_shown_as_text_and_runs_nothing(page: Any, site: dict[str, Any]) -> None:
    load(page, f"{site['base']}/?event={site['hostile_event']}")
    page.wait_for_selector("#panel:not([hidden]) mark.evidence")
    page.wait_for_timeout(500)  # time for any injected handler to fire
    assert page.evaluate("typeof window.__pwned") == "undefined"
    mark = page.locator("mark.evidence").inner_text()
    assert mark == HOSTILE_EVIDENCE and SCRIPT_PAYLOAD in mark and IMG_PAYLOAD in mark
    panel_text = page.locator("#panel").inner_text()
    assert "<b>markup</b>" in panel_text and "javascript:window.__pwned=3" in panel_text
    assert IMG_PAYLOAD in panel_text  # the title and the place name, as text
    for tag in ("script", "img", "b", "a[href^='javascript']"):
        assert page.locator(f"#panel {tag}, #event-list {tag}").count() == 0, tag
    item = page.locator(f"#event-list .event[data-id='{site['hostile_event']}']")
    assert IMG_PAYLOAD in item.inner_text()
    shoot(page, "web-hostile.png")
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_docs_page_works_offline(page: Any, site: dict[str, Any]) -> None:
    page.goto(f"{site['base']}/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/events", "/api/stats/daily", "/api/places", "/api/actors"} <= {p.strip() for p in paths}



def test_control_layer_follows_the_time_range(page: Any, site: dict[str, Any]) -> None:
    load(page, f"{site['base']}/?control=1")
    page.wait_for_selector("body[data-control-ready=true]", state="attached")
    day = page.locator("#to-label").inner_text()
    answer = api(site, "/api/control", at=day)
    shown = [p for p in answer["places"] if p["status"] != "unknown" and p["place"]["latitude"] is not None]
    assert shown, "the sample corpus hands places to a side"
    assert page.evaluate("document.body.dataset.controlPlaces") == str(len(shown))
    assert page.locator("#f-control").is_checked()
    shoot(page, "web-control.png")
