"""Exports: ACLED-column CSV, JSON Lines, GeoJSON, and the analysis contract's JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from frontlines.export import (
    ACLED_COLUMNS,
    acled_row,
    analysis_json,
    feature_collection,
    write_events,
)
from frontlines.ingest import iter_documents
from frontlines.models import Analysis, Document, EventRecord, Figure, Place, Quote
from frontlines.pipeline import analyze
from frontlines.store import EventQuery, StoredEvent, open_store

TEXT = (
    "Opposition factions clashed with government forces in Aleppo on November 27. "
    "Russian warplanes struck Idlib city during the week, a monitor said. "
    "Hundreds of people protested in Khartoum in August, chanting \"no to war\". "
    "The two sides signed a truce at some point in 2019."
)


def _evidence(needle: str) -> dict:
    start = TEXT.index(needle)
    end = TEXT.index(".", start) + 1
    return {"evidence": TEXT[start:end], "start": start, "end": end}


CLASH = EventRecord(
    event_type="Battles", sub_event_type="Armed clash", actor1="Syrian opposition (HTS-led)",
    actor2="Military Forces of Syria", inter1=2, inter2=1, event_date=date(2024, 11, 27),
    date_precision="day", location="Aleppo", admin1="Aleppo", country="SY", latitude=36.2012,
    longitude=37.1612, geo_precision=1, geonameid=170063, fatalities=12, confidence=0.8,
    **_evidence("Opposition factions"))
STRIKE = EventRecord(
    event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
    actor1="Military Forces of Russia", inter1=8, event_date=date(2024, 11, 25),
    date_precision="week", date_window=(date(2024, 11, 25), date(2024, 12, 1)), location="Idlib",
    admin1="Idlib", country="SY", latitude=35.9306, longitude=36.6339, geo_precision=2,
    confidence=0.7, **_evidence("Russian warplanes"))
PROTEST = EventRecord(
    event_type="Protests", sub_event_type="Peaceful protest", actor1="Protesters (Sudan)", inter1=6,
    event_date=date(2024, 8, 1), date_precision="month", location="Khartoum", admin1="Khartoum",
    country="SD", latitude=15.5518, longitude=32.5324, geo_precision=1, confidence=0.6,
    **_evidence("Hundreds of people"))
TRUCE = EventRecord(
    event_type="Strategic developments", sub_event_type="Agreement", actor1="Military Forces of Syria",
    actor2="Syrian opposition (HTS-led)", inter1=1, inter2=2, event_date=None,
    date_precision="unknown", date_window=(date(2019, 1, 1), date(2019, 12, 31)), confidence=0.4,
    background=True, **_evidence("The two sides"))
ATTACK = EventRecord(
    event_type="Violence against civilians", sub_event_type="Attack",
    actor1="Rapid Support Forces (RSF)", actor2="Civilians (Sudan)", inter1=2, inter2=7,
    event_date=date(2024, 8, 27), date_precision="year", country="SD", latitude=13.63,
    longitude=25.35, geo_precision=3, confidence=0.5, evidence="x", start=0, end=1)


def stored(event: EventRecord, id_: int) -> StoredEvent:
    return StoredEvent(id=id_, document_id=1, event=event, source="Test Wire",
                       url="https://example.org/a", title="A test", published=date(2024, 11, 30))


EVENTS = [stored(e, i) for i, e in enumerate((CLASH, STRIKE, PROTEST, TRUCE, ATTACK), start=1)]


def export(fmt: str, events: list[StoredEvent] = EVENTS) -> str:
    stream = io.StringIO()
    write_events(events, fmt, stream)
    return stream.getvalue()


# --- CSV ----------------------------------------------------------------------------------------------


def test_csv_header_is_acled_columns_in_order() -> None:
    reader = csv.reader(io.StringIO(export("csv")))
    assert tuple(next(reader)) == ACLED_COLUMNS
    assert len(list(reader)) == len(EVENTS)
    # an empty export still has its header
    assert export("csv", []).strip() == ",".join(ACLED_COLUMNS)


def _csv_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(export("csv"))))


def test_csv_precision_interaction_and_disorder_type() -> None:
    rows = {r["notes"]: r for r in _csv_rows()}
    clash, strike = rows[CLASH.evidence], rows[STRIKE.evidence]
    protest, truce, attack = rows[PROTEST.evidence], rows[TRUCE.evidence], rows[ATTACK.evidence]
    assert [r["time_precision"] for r in (clash, strike, protest, truce, attack)] == [
        "1", "2", "3", "3", "3"]
    # two actors join lowest code first; one actor alone is code * 10
    assert [r["interaction"] for r in (clash, strike, protest, truce, attack)] == [
        "12", "80", "60", "12", "27"]
    assert [r["disorder_type"] for r in (clash, strike, protest, truce, attack)] == [
        "Political violence", "Political violence", "Demonstrations", "Strategic developments",
        "Political violence"]
    assert attack["civilian_targeting"] == "Civilian targeting" and clash["civilian_targeting"] == ""


def test_csv_row_values() -> None:
    rows = {r["notes"]: r for r in _csv_rows()}
    clash = rows[CLASH.evidence]
    # ACLED's conventions: a three-letter prefix, the numeric ISO code, the country's name
    assert (clash["event_id_cnty"], clash["iso"]) == ("SYR1", "760")
    assert (clash["event_date"], clash["year"]) == ("2024-11-27", "2024")
    assert (clash["actor1"], clash["inter1"], clash["actor2"], clash["inter2"]) == (
        "Syrian opposition (HTS-led)", "2", "Military Forces of Syria", "1")
    assert (clash["location"], clash["admin1"], clash["country"]) == ("Aleppo", "Aleppo", "Syria")
    assert (float(clash["latitude"]), float(clash["longitude"])) == (36.2012, 37.1612)
    assert (clash["geo_precision"], clash["fatalities"], clash["source"]) == ("1", "12", "Test Wire")
    # unknown fatalities are 0, as in ACLED; an undated event has no date or year
    truce = rows[TRUCE.evidence]
    assert (truce["fatalities"], truce["event_date"], truce["year"]) == ("0", "", "")
    assert truce["event_id_cnty"] == "XXX4" and truce["tags"] == "background"
    # evidence with quotes and commas survives CSV quoting
    assert rows[PROTEST.evidence]["notes"] == PROTEST.evidence


def test_acled_row_source_falls_back_to_url() -> None:
    row = acled_row(StoredEvent(id=9, document_id=1, event=CLASH, url="https://example.org/b"))
    assert row["source"] == "https://example.org/b"


# --- JSON Lines and GeoJSON --------------------------------------------------------------------------


def test_jsonl_is_one_event_per_line() -> None:
    lines = export("jsonl").splitlines()
    assert len(lines) == len(EVENTS)
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [1, 2, 3, 4, 5]
    strike = records[1]
    assert strike["event_date"] == "2024-11-25" and strike["date_precision"] == "week"
    assert strike["date_window"] == ["2024-11-25", "2024-12-01"]
    assert strike["inter1"] == 8 and strike["background"] is False
    assert (strike["source"], strike["published"]) == ("Test Wire", "2024-11-30")
    assert records[3]["event_date"] is None and records[3]["background"] is True


def test_jsonl_keeps_non_ascii_text() -> None:
    event = EventRecord(event_type="Battles", sub_event_type="Armed clash", actor1=None,
                        evidence="Clashes in Ma‘arrat an Nu‘mān", start=0, end=28,
                        location="Ma‘arrat an Nu‘mān")
    line = export("jsonl", [stored(event, 1)])
    assert "Ma‘arrat an Nu‘mān" in line
    assert json.loads(line)["location"] == "Ma‘arrat an Nu‘mān"


def test_geojson_is_a_feature_collection_with_lon_lat_points() -> None:
    collection = json.loads(export("geojson"))
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert len(features) == len(EVENTS)
    clash = features[1]
    assert clash["type"] == "Feature"
    assert clash["geometry"] == {"type": "Point", "coordinates": [37.1612, 36.2012]}
    assert clash["properties"]["location"] == "Aleppo"
    assert features[4]["geometry"] is None  # no coordinates, no point
    assert feature_collection([], name="empty") == {"type": "FeatureCollection", "features": [],
                                                    "name": "empty"}


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="xml"):
        export("xml")


def test_export_from_a_real_store(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "events.db"))
    document = Document(id="t", text=TEXT, published=date(2024, 11, 30))
    store.save(Analysis(document=document, events=[CLASH, STRIKE]))
    found = store.events(EventQuery())
    store.close()
    rows = list(csv.DictReader(io.StringIO(export("csv", found))))
    assert [r["event_date"] for r in rows] == ["2024-11-25", "2024-11-27"]
    assert [r["event_id_cnty"] for r in rows] == [f"SYR{s.id}" for s in found]


# --- the analysis contract ---------------------------------------------------------------------------


def _hand_made_analysis() -> Analysis:
    document = Document(id="t", text=TEXT, path="t.txt", title="A test", source="Test Wire",
                        url="https://example.org/a", published=date(2024, 11, 30), language="en")
    aleppo = TEXT.index("Aleppo")
    war = TEXT.index("no to war")
    return Analysis(
        document=document, events=[CLASH, TRUCE],
        places=[Place("Aleppo", aleppo, aleppo + 6, name="Aleppo", kind="city", country="SY",
                      admin1="Aleppo", latitude=36.2012, longitude=37.1612, geonameid=170063,
                      population=2_098_210, vicinity=True, score=7.9)],
        quotes=[Quote("a monitor", None, "no to war", war, war + 9)],
        figures=[Figure(12.0, "people", "at least", "a monitor", "at least 12 people", 0, 18)])


def test_analysis_json_has_exactly_the_contract_keys(contract_keys: dict[str, list[str]]) -> None:
    payload = analysis_json(_hand_made_analysis())
    assert list(payload) == ["doc", "events", "places", "quotes", "figures"]
    assert set(payload["doc"]) == set(contract_keys["doc"])
    for part in ("events", "places", "quotes", "figures"):
        assert payload[part], part
        for record in payload[part]:
            assert set(record) == set(contract_keys[part]), part
    json.dumps(payload)  # serialisable as it is


def test_analysis_json_values() -> None:
    payload = analysis_json(_hand_made_analysis())
    assert payload["doc"]["published"] == "2024-11-30"
    assert payload["events"][0]["event_date"] == "2024-11-27"
    assert payload["events"][1]["event_date"] is None
    assert payload["places"][0]["latitude"] == 36.2012
    assert payload["quotes"][0] == {"speaker": "a monitor", "affiliation": None, "text": "no to war",
                                    "start": TEXT.index("no to war"), "end": TEXT.index("no to war") + 9}
    assert payload["figures"][0]["quantity"] == 12.0


def test_skipped_document_says_why() -> None:
    document = Document(id="fr", text="Des combats ont éclaté.", language="fr",
                        skip_reason="not English (fr)")
    payload = analysis_json(Analysis(document=document))
    assert payload["doc"]["skip_reason"] == "not English (fr)"
    assert payload["events"] == payload["places"] == payload["quotes"] == payload["figures"] == []


def test_analysis_json_of_the_seed_article(seed_path: Path, contract_keys: dict[str, list[str]]) -> None:
    (document,) = iter_documents([str(seed_path)])
    assert isinstance(document, Document)
    payload = json.loads(json.dumps(analysis_json(analyze(document)), ensure_ascii=False))
    assert set(payload["doc"]) == set(contract_keys["doc"])
    assert payload["events"] and payload["places"] and payload["quotes"]
    for part in ("events", "places", "quotes", "figures"):
        for record in payload[part]:
            assert set(record) == set(contract_keys[part]), part
    for record in payload["events"] + payload["places"] + payload["quotes"]:
        if "start" in record:
            assert 0 <= record["start"] < record["end"] <= len(document.text)
