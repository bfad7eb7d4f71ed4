"""The web API through FastAPI's TestClient over a store of the bundled sample corpus.

Expected answers are read from the store itself (the same `EventQuery` the CLI builds), so the tests
hold while the extraction improves: what is checked is that the API asks the store the right
question and says the answer faithfully, with paging, errors, authentication and headers.
"""

from __future__ import annotations

import json

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import document_inserts_meet
from frontlines.store import EventQuery, SqlStore, StoredEvent, open_store
from frontlines.web import create_app
from frontlines.web.security import CONTENT_SECURITY_POLICY
from web_helpers import (
    HOSTILE_TEXT, SAMPLE_CORPUS, fill_with_samples, hostile_analysis, raw_get, running_server,
)

TOKEN = "test-token-0123456789abcdef"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = fill_with_samples(tmp_path_factory.mktemp("web") / "events.db")
    store = open_store(str(path))
    store.save(hostile_analysis())
    store.close()
    return path


@pytest.fixture(scope="module")
def store(db: Path) -> Iterator[SqlStore]:
    s = open_store(str(db))
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db))) as c:
        yield c


def ids(payload: dict) -> list[int]:
    if "features" in payload:
        return [f["id"] for f in payload["features"]]
    return [e["id"] for e in payload["events"]]


def store_ids(store: SqlStore, **query: object) -> list[int]:
    return [e.id for e in store.events(EventQuery(**query))]  # type: ignore[arg-type]


# --- /api/events ------------------------------------------------------------------------------------


def test_events_default_is_a_geojson_feature_collection_with_paging(client: TestClient, store: SqlStore) -> None:
    response = client.get("/api/events")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    total = store.count_events(EventQuery())
    assert total > 20  # the sample corpus and the hostile article
    assert body["type"] == "FeatureCollection"
    assert (body["total"], body["limit"], body["offset"], body["returned"], body["next_offset"]) == (
        total, 500, 0, total, None)
    assert ids(body) == store_ids(store)
    first = store.events(EventQuery(limit=1))[0]
    feature = body["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point",
                                   "coordinates": [first.event.longitude, first.event.latitude]}
    props = feature["properties"]
    assert (props["evidence"], props["start"], props["end"], props["document_id"]) == (
        first.event.evidence, first.event.start, first.event.end, first.document_id)


def test_events_as_plain_json(client: TestClient, store: SqlStore) -> None:
    response = client.get("/api/events", params={"format": "json", "limit": 3})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert "features" not in body and "type" not in body
    assert ids(body) == store_ids(store, limit=3)
    assert body["next_offset"] == 3 and body["total"] == store.count_events(EventQuery())


def _filter_cases(store: SqlStore) -> list[tuple[dict[str, str], dict[str, object]]]:
    """(API parameters, the EventQuery fields they stand for), with values taken from the data."""
    events = [e.event for e in store.events(EventQuery())]
    dated = sorted(e.event_date for e in events if e.event_date)
    middle = dated[len(dated) // 2]
    strike = next(e for e in events if e.sub_event_type == "Air/drone strike")
    with_actor2 = next(e for e in events if e.actor2)
    word = next(w for w in strike.evidence.split() if len(w) > 6).strip(".,")
    located = next(e for e in events if e.country == "SD")
    return [
        ({"since": middle.isoformat()}, {"date_from": middle}),
        ({"until": middle.isoformat()}, {"date_to": middle}),
        ({"since": dated[0].isoformat(), "until": middle.isoformat()}, {"date_from": dated[0], "date_to": middle}),
        ({"country": "sy"}, {"country": "sy"}),
        ({"admin1": (strike.admin1 or "").lower()}, {"admin1": strike.admin1}),
        ({"actor": with_actor2.actor2[:5].upper()}, {"actor": with_actor2.actor2[:5]}),
        ({"type": "Battles"}, {"event_type": "Battles"}),
        ({"type": "air/drone strike"}, {"event_type": "Air/drone strike"}),
        ({"text": word}, {"text": word}),
        ({"near": f"{located.latitude},{located.longitude}", "within": "25"},
         {"near": (located.latitude, located.longitude), "within_km": 25.0}),
        ({"no_background": "true"}, {"include_background": False}),
        ({"country": "SY", "type": "Battles", "no_background": "1"},
         {"country": "SY", "event_type": "Battles", "include_background": False}),
    ]


def test_every_filter_asks_the_store_the_same_question(client: TestClient, store: SqlStore) -> None:
    all_ids = store_ids(store)
    for params, query in _filter_cases(store):
        expected = store_ids(store, **query)
        assert expected, f"no sample event matches {params}: pick another value"
        assert len(expected) < len(all_ids), f"{params} filters nothing out"
        for fmt in ("geojson", "json"):
            body = client.get("/api/events", params={**params, "format": fmt}).json()
            assert ids(body) == expected, params
            assert body["total"] == len(expected), params


def test_paging_walks_every_event_once_in_order(client: TestClient, store: SqlStore) -> None:
    seen: list[int] = []
    offset: int | None = 0
    pages = 0
    while offset is not None:
        body = client.get("/api/events", params={"limit": 7, "offset": offset}).json()
        assert body["limit"] == 7 and body["offset"] == offset and body["returned"] <= 7
        seen += ids(body)
        offset = body["next_offset"]
        pages += 1
    assert seen == store_ids(store) and pages == -(-len(seen) // 7)
    past = client.get("/api/events", params={"offset": 10_000}).json()
    assert past["features"] == [] and past["next_offset"] is None and past["total"] == len(seen)
    near = client.get("/api/events", params={"near": "36.2,37.16", "within": 300, "limit": 2,
                                             "offset": 1}).json()
    assert ids(near) == store_ids(store, near=(36.2, 37.16), within_km=300, limit=2, offset=1)


@pytest.mark.parametrize(("params", "mentions"), [
    ({"limit": 0}, "limit"), ({"limit": 5001}, "limit"), ({"offset": -1}, "offset"),
    ({"limit": "many"}, "limit"), ({"since": "2024-13-01"}, "since"), ({"until": "yesterday"}, "until"),
    ({"since": "2024-12-01", "until": "2024-11-01"}, "after"), ({"near": "abc"}, "LAT,LON"),
    ({"near": "1,2,3"}, "LAT,LON"), ({"near": "91,0"}, "globe"), ({"near": "0,181"}, "globe"),
    ({"within": 0}, "within"), ({"within": -5}, "within"), ({"country": "SYR"}, "country"),
    ({"format": "xml"}, "format"), ({"text": "x" * 201}, "text"), ({"no_background": "maybe"}, "no_background"),
    ({"offset": 2**63}, "offset"), ({"within": 30}, "near"), ({"text": "\x00"}, "control"),
    ({"actor": "HTS\x00"}, "control"),
])
def test_bad_parameters_are_422_naming_the_problem(client: TestClient, params: dict, mentions: str) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 422, params
    body = response.json()
    assert isinstance(body["detail"], str) and mentions in body["detail"], body
    assert body["errors"]


def test_a_refused_long_filter_is_not_echoed_back_whole(client: TestClient) -> None:
    response = client.get("/api/events", params={"text": "x" * 5000})
    assert response.status_code == 422
    assert len(response.text) < 1000


def test_a_document_id_past_the_databases_integers_is_422_not_500(client: TestClient) -> None:
    response = client.get("/api/documents/99999999999999999999999")
    assert response.status_code == 422 and "document_id" in response.json()["detail"]


# --- /api/documents/{id} ----------------------------------------------------------------------------


def test_document_has_text_and_spans_of_events_places_and_quotes(client: TestClient, store: SqlStore) -> None:
    with_quotes = next(d for d in store.documents() if (s := store.document(d.id)) and s.quotes and s.events)
    body = client.get(f"/api/documents/{with_quotes.id}").json()
    text = body["text"]
    assert text == with_quotes.text and body["title"] == with_quotes.title
    assert "path" not in body  # the server's file layout is nobody's business
    assert body["events"] and body["places"] and body["quotes"]
    for event in body["events"]:
        assert text[event["start"]:event["end"]] == event["evidence"]
        assert event["document_id"] == with_quotes.id
    for place in body["places"]:
        assert text[place["start"]:place["end"]] == place["mention"]
    for quote in body["quotes"]:
        assert 0 <= quote["start"] < quote["end"] <= len(text)
        assert quote["text"] in text


def test_document_text_comes_back_exactly_as_stored(client: TestClient, store: SqlStore) -> None:
    hostile = next(d for d in store.documents() if d.doc_id == "hostile")
    body = client.get(f"/api/documents/{hostile.id}").json()
    assert body["text"] == HOSTILE_TEXT  # JSON carries it; only the page must show it as text


@pytest.mark.parametrize(("path", "status"), [
    ("/api/documents/999999", 404), ("/api/documents/0", 422), ("/api/documents/abc", 422),
    ("/api/documents/-1", 422), ("/api/documents/1.5", 422),
])
def test_unknown_or_malformed_document(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.json()["detail"]


# --- aggregates -------------------------------------------------------------------------------------


def on_a_day(stored: StoredEvent) -> bool:
    """Dated to a day (or with a date of unknown precision): what the daily chart counts."""
    return bool(stored.event.event_date) and stored.event.date_precision not in {"week", "month", "year"}


def test_daily_counts_by_type(client: TestClient, store: SqlStore) -> None:
    body = client.get("/api/stats/daily").json()
    rows = store.daily_counts(EventQuery())
    assert body["total"] == sum(r.count for r in rows) == sum(
        1 for e in store.events(EventQuery()) if on_a_day(e))
    assert body["event_types"] == sorted({r.event_type for r in rows})
    assert [d["date"] for d in body["days"]] == sorted({r.day.isoformat() for r in rows})
    for day in body["days"]:
        assert day["total"] == sum(day["counts"].values())
        for kind, n in day["counts"].items():
            assert n == sum(1 for e in store.events(EventQuery(
                date_from=date.fromisoformat(day["date"]), date_to=date.fromisoformat(day["date"])))
                if e.event.event_type == kind and on_a_day(e))


def test_daily_counts_take_every_filter(client: TestClient, store: SqlStore) -> None:
    for params, query in _filter_cases(store):
        body = client.get("/api/stats/daily", params=params).json()
        expected = sum(1 for e in store.events(EventQuery(**query)) if on_a_day(e))  # type: ignore[arg-type]
        assert body["total"] == expected, params
    assert client.get("/api/stats/daily", params={"since": "2024-13-01"}).status_code == 422


def test_places_with_counts(client: TestClient, store: SqlStore) -> None:
    body = client.get("/api/places").json()
    places = store.places(EventQuery())
    assert body["total"] == len(places)
    assert sum(p["count"] for p in body["places"]) == store.count_events(EventQuery())
    assert [p["count"] for p in body["places"]] == sorted((p["count"] for p in body["places"]), reverse=True)
    top = body["places"][0]
    assert top == {"location": places[0].location, "admin1": places[0].admin1,
                   "country": places[0].country, "country_name": "Syria",
                   "latitude": places[0].latitude, "longitude": places[0].longitude,
                   "count": places[0].count}
    sudan = client.get("/api/places", params={"country": "SD"}).json()
    assert sudan["places"] and {p["country"] for p in sudan["places"]} == {"SD"}
    page = client.get("/api/places", params={"limit": 2, "offset": 1}).json()
    assert page["places"] == body["places"][1:3] and page["total"] == body["total"]
    assert client.get("/api/places", params={"limit": 0}).status_code == 422


def test_actors_with_counts(client: TestClient, store: SqlStore) -> None:
    body = client.get("/api/actors").json()
    actors = store.actors(EventQuery())
    assert body["total"] == len(actors)
    assert [(a["name"], a["count"]) for a in body["actors"]] == [(a.name, a.count) for a in actors]
    syria = next(a for a in body["actors"] if a["name"] == "Military Forces of Syria")
    assert syria["count"] == store.count_events(EventQuery(actor="Military Forces of Syria"))
    sudan = client.get("/api/actors", params={"country": "SD"}).json()
    assert sudan["actors"] and all("Syria" not in a["name"] for a in sudan["actors"])


# --- hostile input ----------------------------------------------------------------------------------

INJECTIONS = ["' OR '1'='1", "'; DROP TABLE events; --", "\" OR 1=1 --", "1) OR (1=1", "%", "_%_",
              "\\", "Battles' --", "x' UNION SELECT text FROM documents --"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_sql_looking_filter_values_are_plain_text(client: TestClient, store: SqlStore, value: str) -> None:
    before = store.count_events(EventQuery())
    for name in ("actor", "admin1", "type", "text"):
        for path in ("/api/events", "/api/stats/daily", "/api/places", "/api/actors"):
            response = client.get(path, params={name: value})
            assert response.status_code == 200, (path, name)
            body = response.json()
            assert body["total"] == 0, (path, name, value)
    # a country is two letters, so SQL in it is refused before any query runs
    assert client.get("/api/events", params={"country": value}).status_code == 422
    assert store.count_events(EventQuery()) == before
    assert len(store.documents()) >= 13


# --- security headers and static files --------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/static/app.css", "/api/events?limit=1",
                                  "/api/documents/999999", "/api/events?limit=0", "/openapi.json",
                                  "/docs", "/no/such/page", "/static/missing.js"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_page_and_assets_are_bundled(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "<script>" not in html and "onclick" not in html and "style=" not in html
    assert "http://" not in html.replace('xmlns="http://', "") and "https://" not in html
    for asset in ("/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css",
                  "/static/app.js", "/static/app.css",
                  "/static/vendor/world-atlas/countries-50m.geojson",
                  "/static/vendor/leaflet/LICENSE", "/static/vendor/world-atlas/LICENSE",
                  "/static/vendor/leaflet/images/marker-icon.png",
                  "/static/vendor/swagger-ui/swagger-ui-bundle.js"):
        assert client.get(asset).status_code == 200, asset
    script = client.get("/static/app.js").text
    for sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    countries = client.get("/static/vendor/world-atlas/countries-50m.geojson").json()
    assert countries["type"] == "FeatureCollection" and len(countries["features"]) > 200


def test_openapi_and_docs_work_offline(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/events", "/api/documents/{document_id}", "/api/stats/daily", "/api/places",
            "/api/actors"} <= set(schema["paths"])
    assert "/api/ingest" not in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert params == {"since", "until", "country", "admin1", "actor", "type", "text", "near", "within",
                      "no_background", "limit", "offset", "format"}
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "<script>" not in docs


TRAVERSALS = ["/static/../app.py", "/static/%2e%2e/app.py", "/static/%2E%2E/app.py",
              "/static/..%2fapp.py", "/static/..%2Fapp.py", "/static/%2e%2e%2fapp.py",
              "/static/vendor/../../app.py", "/static/vendor/leaflet/../../../web/app.py",
              "/static/..%5capp.py", "/static/....//app.py", "/static//etc/passwd",
              "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml", "/static/..%252fapp.py"]


def test_static_path_traversal_is_refused_over_a_real_socket(db: Path) -> None:
    # Sent raw to uvicorn: an HTTP client would normalise `..` away before it left the process.
    with running_server(create_app(str(db))) as base:
        assert raw_get(base, "/static/app.js")[0] == 200
        for path in TRAVERSALS:
            status, body = raw_get(base, path)
            assert status in (400, 404), (path, status)
            assert b"create_app" not in body and b"root:" not in body and b"[project]" not in body, path


# --- the write endpoint -----------------------------------------------------------------------------


def test_without_a_token_there_is_no_write_endpoint(client: TestClient) -> None:
    for method in ("post", "put", "delete"):
        response = client.request(method, "/api/ingest", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code in (404, 405), method
    assert client.post("/api/events").status_code == 405


@pytest.fixture()
def writable(tmp_path: Path) -> Iterator[tuple[TestClient, SqlStore]]:
    page = "<html><head><title>Shelling in El Fasher</title></head><body><article><h1>Shelling in El Fasher</h1>" + (
        "<p>The Rapid Support Forces shelled Abu Shouk camp near El Fasher in North Darfur, Sudan, on "
        "Tuesday, killing at least four civilians, according to local volunteers.</p>" * 2) + "</article></body></html>"

    def fake_web(request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.example":
            return httpx.Response(200, html=page)
        return httpx.Response(404)

    db = tmp_path / "writable.db"
    with TestClient(create_app(str(db), token=TOKEN, transport=httpx.MockTransport(fake_web))) as c:
        store = open_store(str(db))
        yield c, store
        store.close()


AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401), ({"Authorization": TOKEN}, 401), ({"Authorization": f"Basic {TOKEN}"}, 401),
    ({"Authorization": "Bearer "}, 401), ({"Authorization": "Bearer wrong-token-0123456789"}, 403),
    ({"Authorization": f"Bearer {TOKEN}x"}, 403), ({"Authorization": f"Bearer {TOKEN[:-1]}"}, 403),
])
def test_write_endpoint_refuses_a_missing_or_wrong_token(
        writable: tuple[TestClient, SqlStore], headers: dict, status: int) -> None:
    client, store = writable
    sample = (SAMPLE_CORPUS / "08-el-fasher-abu-shouk-shelling.md").read_bytes()
    response = client.post("/api/ingest", headers=headers, files={"file": ("a.md", sample, "text/markdown")})
    assert response.status_code == status
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"
    assert store.documents() == []


def test_upload_is_analysed_and_stored_once(writable: tuple[TestClient, SqlStore]) -> None:
    client, store = writable
    sample = (SAMPLE_CORPUS / "08-el-fasher-abu-shouk-shelling.md").read_bytes()
    files = {"file": ("../../etc/08 El Fasher.md", sample, "text/markdown")}
    first = client.post("/api/ingest", headers=AUTH, files=files)
    assert first.status_code == 200, first.text
    (doc,) = first.json()["documents"]
    assert doc["created"] and doc["events"] == store.count_events(EventQuery()) > 0
    stored = store.document(doc["id"])
    assert stored is not None and stored.path is None and stored.title.startswith("Shelling of Abu Shouk")
    again = client.post("/api/ingest", headers=AUTH, files=files).json()
    assert again["documents"] == [{**doc, "created": False, "events": None}]
    assert len(store.documents()) == 1
    # what was stored is at once readable through the read endpoints
    assert client.get("/api/events").json()["total"] == doc["events"]


def test_the_same_upload_twice_at_once_is_stored_once(store_url: str) -> None:
    # Two clients upload one article at the same moment over a real socket: both requests analyse
    # it and insert it, the database keeps one, and both answers are 200 (one "already stored").
    sample = (SAMPLE_CORPUS / "08-el-fasher-abu-shouk-shelling.md").read_bytes()
    app = create_app(store_url, token=TOKEN)

    def upload(_: int) -> httpx.Response:
        return httpx.post(f"{base}/api/ingest", headers=AUTH, timeout=120,
                          files={"file": ("fasher.md", sample, "text/markdown")})

    with (running_server(app) as base, document_inserts_meet(app.state.store.engine),
          ThreadPoolExecutor(2) as pool):
        responses = list(pool.map(upload, range(2)))
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    answers = [r.json()["documents"][0] for r in responses]
    assert sorted(a["created"] for a in answers) == [False, True]
    assert answers[0]["id"] == answers[1]["id"]
    store = open_store(store_url)
    assert len(store.documents()) == 1
    assert store.count_events(EventQuery()) == max(a["events"] or 0 for a in answers) > 0
    store.close()


def test_url_is_fetched_analysed_and_stored(writable: tuple[TestClient, SqlStore]) -> None:
    client, store = writable
    response = client.post("/api/ingest", headers=AUTH,
                           data={"url": "https://news.example/el-fasher", "published": "2024-08-28"})
    assert response.status_code == 200, response.text
    (doc,) = response.json()["documents"]
    stored = store.document(doc["id"])
    assert stored is not None and stored.url == "https://news.example/el-fasher"
    assert stored.published == date(2024, 8, 28)
    missing = client.post("/api/ingest", headers=AUTH, data={"url": "https://news.example.org/gone"})
    assert missing.status_code == 422 and "gone" in missing.json()["detail"]


@pytest.mark.parametrize(("data", "files", "mentions"), [
    ({}, None, "exactly one"),
    ({"url": "https://news.example/x"}, {"file": ("a.txt", b"text", "text/plain")}, "exactly one"),
    ({"url": "file:///etc/passwd"}, None, "http"),
    ({"url": "javascript:alert(1)"}, None, "http"),
    ({}, {"file": ("a.exe", b"MZ", "application/octet-stream")}, "unsupported"),
    ({}, {"file": ("noextension", b"text", "text/plain")}, "unsupported"),
    ({}, {"file": ("empty.txt", b"", "text/plain")}, "empty"),
    ({"published": "soon", "url": "https://news.example/x"}, None, "published"),
])
def test_bad_ingest_requests_are_422(writable: tuple[TestClient, SqlStore], data: dict,
                                     files: dict | None, mentions: str) -> None:
    client, store = writable
    response = client.post("/api/ingest", headers=AUTH, data=data, files=files)
    assert response.status_code == 422, response.text
    assert mentions in response.json()["detail"]
    assert store.documents() == []


def test_write_endpoint_is_documented_only_when_on(writable: tuple[TestClient, SqlStore]) -> None:
    client, _ = writable
    assert "/api/ingest" in client.get("/openapi.json").json()["paths"]


def test_a_short_token_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 16"):
        create_app(str(tmp_path / "x.db"), token="short")


def test_dates_in_answers_are_iso(client: TestClient) -> None:
    body = client.get("/api/events", params={"since": (date(2024, 11, 27) - timedelta(days=1)).isoformat(),
                                             "limit": 1, "format": "json"}).json()
    (event,) = body["events"]
    assert date.fromisoformat(event["event_date"]) >= date(2024, 11, 26)


def test_control_answers_like_the_command_line(client: TestClient, db: Path) -> None:
    from typer.testing import CliRunner

    from frontlines.cli import app

    api = client.get("/api/control", params={"at": "2024-12-09", "country": "SY"})
    assert api.status_code == 200
    cli = CliRunner().invoke(app, ["control", "--db", str(db), "--at", "2024-12-09",
                                   "--country", "SY", "--json"])
    assert cli.exit_code == 0, cli.output
    assert api.json() == json.loads(cli.stdout)
    held = {p["place"]["name"]: p["holder"] for p in api.json()["places"] if p["status"] == "held"}
    assert held, "the sample articles hand some Syrian places to a side"
    assert client.get("/api/control", params={"at": "not-a-day"}).status_code == 422
