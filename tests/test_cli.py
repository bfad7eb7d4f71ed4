"""The `frontlines` command through typer's CliRunner: ingest, analyze, events, eval, --help."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from frontlines.cli import app
from frontlines.models import Analysis, Document, EventRecord
from frontlines.store import EventQuery, open_store

runner = CliRunner()
README = Path(__file__).resolve().parents[1] / "README.md"

# Two short articles written for these tests.
SARAQIB = """---
title: Rebels seize Saraqib after overnight fighting
published: 2024-11-30
outlet: Test Wire
---
Rebels seize Saraqib after overnight fighting

Opposition factions led by Hayat Tahrir al-Sham took control of the town of Saraqib in Idlib
province, Syria, on Saturday after clashes with government forces, a war monitor said.
"""
EL_FASHER = """Shelling hits displacement camp in North Darfur

The Rapid Support Forces shelled Abu Shouk camp near El Fasher in North Darfur, Sudan, on Tuesday,
killing at least four civilians, according to local volunteers.
"""


def flat(text: str) -> str:
    """Output with Rich's line wrapping undone (it wraps at 80 columns when not on a terminal)."""
    return re.sub(r"\s+", " ", text)


def write_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "saraqib.md").write_text(SARAQIB, encoding="utf-8")
    (folder / "el-fasher.txt").write_text(EL_FASHER, encoding="utf-8")
    return folder


COUNT_LINE = re.compile(r"(\d+) documents stored, (\d+) already stored, (\d+) skipped, (\d+) failed; "
                        r"(\d+) events written to")


def counts(output: str) -> tuple[int, ...]:
    match = COUNT_LINE.search(flat(output))
    assert match, output
    return tuple(int(g) for g in match.groups())


# --- ingest -----------------------------------------------------------------------------------------


def test_ingest_prints_events_and_the_count_line(tmp_path: Path, private_event_store: Path) -> None:
    folder = write_articles(tmp_path / "articles")
    result = runner.invoke(app, ["ingest", str(folder), "--published", "2024-08-27"])
    assert result.exit_code == 0, result.output
    stored, already, skipped, failed, n_events = counts(result.stdout)
    assert (stored, already, skipped, failed) == (2, 0, 0, 0)
    # no --db: the store named by $FRONTLINES_DB (the test's private one) was used
    assert str(private_event_store) in result.stdout.replace("\n", "")
    store = open_store(str(private_event_store))
    assert len(store.documents()) == 2
    assert store.count_events(EventQuery()) == n_events >= 1
    saraqib = [s.event for s in store.events(EventQuery(country="SY"))]
    store.close()
    # the table lists the events: its header, then one row per event (a wrapped row's continuation
    # lines leave the doc cell blank)
    assert re.search(r"doc\s*┃\s*date\s*┃\s*prec\s*┃\s*type", result.stdout)
    assert len(re.findall(r"^│ \S", result.stdout, re.M)) == n_events
    assert saraqib and all(e.event_date == date(2024, 11, 30) for e in saraqib)  # front matter wins


def test_plain_text_gets_the_outlet_and_address_the_user_gives(tmp_path: Path,
                                                               private_event_store: Path) -> None:
    article = tmp_path / "el-fasher.txt"
    article.write_text(EL_FASHER, encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(article), "--outlet", "Sudan Tribune",
                                 "--url", "https://example.org/el-fasher", "--published", "2024-08-28"])
    assert result.exit_code == 0, result.output
    (stored,) = open_store(str(private_event_store)).events(EventQuery())[:1]
    assert (stored.source, stored.url) == ("Sudan Tribune", "https://example.org/el-fasher")


def test_reingest_says_already_stored(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "articles")
    db = str(tmp_path / "explicit.db")
    first = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert again.exit_code == 0, again.output
    assert counts(again.stdout) == (0, 2, 0, 0, 0)
    assert "┃" not in again.stdout  # no new events, no table


def test_bad_inputs_get_one_line_each_and_the_good_one_is_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_event_store: Path) -> None:
    monkeypatch.chdir(tmp_path)  # short relative names, as a user would type them
    Path("binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    Path("empty.txt").write_bytes(b"")
    Path("invalid-utf8.txt").write_bytes(b"\xef\xbb\xbfShelling in Aleppo \xff\xfe\xc3 killed two.")
    Path("good.md").write_text(SARAQIB, encoding="utf-8")
    bad = {"binary.txt": "binary", "empty.txt": "empty", "missing.txt": "no such file",
           "invalid-utf8.txt": "invalid UTF-8"}
    result = runner.invoke(app, ["ingest", *bad, "good.md"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == len(bad), result.stderr
    for name, reason in bad.items():
        (line,) = [line for line in error_lines if f" {name}: " in line]
        assert reason in line, line
    assert counts(result.stdout)[:4] == (1, 0, 0, 4)
    store = open_store(str(private_event_store))
    assert [d.doc_id for d in store.documents()] == ["good"]
    store.close()


def test_ingest_with_nothing_to_read_is_a_usage_error() -> None:
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 2
    assert "name at least one input" in result.stderr


def test_bad_published_date_is_a_usage_error(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "articles")
    result = runner.invoke(app, ["ingest", str(folder), "--published", "30/11/2024"])
    assert result.exit_code == 2
    assert "--published must be a date as YYYY-MM-DD" in flat(result.stderr)


def test_input_names_with_brackets_are_printed_as_they_are(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["ingest", "draft [final].txt", "a[/red]b.txt"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "error: draft [final].txt: no such file or directory" in result.stderr
    assert "error: a[/red]b.txt: no such file or directory" in result.stderr


def test_error_for_a_long_path_stays_on_one_line(tmp_path: Path) -> None:
    deep = tmp_path / "a-rather-long-folder-name-for-articles" / "another-level-of-nesting"
    deep.mkdir(parents=True)
    empty = deep / "an-empty-article-file-with-a-long-name.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(empty)])
    assert result.exit_code == 1
    assert f"error: {empty}: empty" in result.stderr.splitlines()


# --- analyze --------------------------------------------------------------------------------------


def test_analyze_json_prints_one_contract_object_per_document(
        tmp_path: Path, seed_path: Path, contract_keys: dict[str, list[str]],
        private_event_store: Path) -> None:
    folder = write_articles(tmp_path / "articles")
    result = runner.invoke(app, ["analyze", "--json", str(seed_path), str(folder),
                                 "--published", "2024-12-04"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    payloads = [json.loads(line) for line in lines]
    assert [p["doc"]["id"] for p in payloads] == [
        "alestiklal-2024-12-russia-absence", "el-fasher", "saraqib"]
    for payload in payloads:
        assert list(payload) == ["doc", "events", "places", "quotes", "figures"]
        assert set(payload["doc"]) == set(contract_keys["doc"])
        for part in ("events", "places", "quotes", "figures"):
            for record in payload[part]:
                assert set(record) == set(contract_keys[part]), part
    seed = payloads[0]
    assert seed["doc"]["published"] == "2024-12-04"  # no date in its metadata: --published applies
    assert seed["events"] and seed["places"] and seed["quotes"]
    assert payloads[2]["doc"]["published"] == "2024-11-30"  # its front matter wins
    assert not private_event_store.exists()  # analyze stores nothing


# --- events -------------------------------------------------------------------------------------------


def _fill(db: Path) -> None:
    text = ("Russian warplanes struck Idlib city on Friday. "
            "The RSF shelled El Fasher on Tuesday, killing four people.")
    strike = EventRecord(
        event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
        actor1="Military Forces of Russia", inter1=8, evidence=text[:46], start=0, end=46,
        event_date=date(2024, 11, 29), date_precision="day", location="Idlib", admin1="Idlib",
        country="SY", latitude=35.9306, longitude=36.6339, geo_precision=1, confidence=0.7)
    shelling = EventRecord(
        event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
        actor1="Rapid Support Forces (RSF)", actor2="Civilians (Sudan)", inter1=2, inter2=7,
        evidence=text[47:], start=47, end=len(text), event_date=date(2024, 8, 27),
        date_precision="day", location="El Fasher", admin1="Northern Darfur", country="SD",
        latitude=13.6279, longitude=25.3494, geo_precision=1, fatalities=4, confidence=0.9)
    store = open_store(str(db))
    store.save(Analysis(document=Document(id="t", text=text, source="Test Wire"),
                        events=[strike, shelling]))
    store.close()


def test_events_table_with_filters(private_event_store: Path) -> None:
    _fill(private_event_store)
    everything = runner.invoke(app, ["events"])
    assert everything.exit_code == 0, everything.output
    assert everything.stdout.rstrip().endswith("2 events")
    sudan = runner.invoke(app, ["events", "--country", "sd", "--type", "Shelling/artillery/missile attack",
                                "--since", "2024-08-01", "--until", "2024-08-31"])
    assert sudan.exit_code == 0, sudan.output
    assert sudan.stdout.rstrip().endswith("1 events")
    near = runner.invoke(app, ["events", "--near", "35.93,36.63", "--within", "25"])
    assert near.stdout.rstrip().endswith("1 events")
    nothing = runner.invoke(app, ["events", "--actor", "Hezbollah"])
    assert nothing.stdout.rstrip().endswith("0 events")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson"])
def test_events_output_files(tmp_path: Path, private_event_store: Path, fmt: str) -> None:
    _fill(private_event_store)
    out = tmp_path / f"events.{fmt}"
    result = runner.invoke(app, ["events", "--format", fmt, "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 events written to" in flat(result.stderr)
    content = out.read_text(encoding="utf-8")
    if fmt == "csv":
        rows = list(csv.DictReader(content.splitlines()))
        assert [r["location"] for r in rows] == ["El Fasher", "Idlib"]
        assert rows[0]["fatalities"] == "4" and rows[0]["interaction"] == "27"
    elif fmt == "jsonl":
        records = [json.loads(line) for line in content.splitlines()]
        assert [r["location"] for r in records] == ["El Fasher", "Idlib"]
    else:
        collection = json.loads(content)
        assert collection["type"] == "FeatureCollection"
        assert [f["geometry"]["coordinates"] for f in collection["features"]] == [
            [25.3494, 13.6279], [36.6339, 35.9306]]


def test_events_csv_to_stdout(private_event_store: Path) -> None:
    _fill(private_event_store)
    result = runner.invoke(app, ["events", "--format", "csv", "--country", "SY"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [r["location"] for r in rows] == ["Idlib"]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson"])
def test_merged_events_export_one_row_per_event_in_every_format(private_event_store: Path,
                                                                 fmt: str) -> None:
    _fill(private_event_store)
    # A second outlet reports the El Fasher shelling with a higher toll.
    text = "The RSF shelled El Fasher on Tuesday, killing six people, residents said."
    report = EventRecord(
        event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
        actor1="Rapid Support Forces (RSF)", inter1=2, evidence=text, start=0, end=len(text),
        event_date=date(2024, 8, 27), date_precision="day", location="El Fasher",
        admin1="Northern Darfur", country="SD", latitude=13.6279, longitude=25.3494,
        geo_precision=1, fatalities=6, confidence=0.8)
    store = open_store(str(private_event_store))
    store.save(Analysis(document=Document(id="u", text=text, source="Other Wire"), events=[report]))
    store.close()
    result = runner.invoke(app, ["events", "--merged", "--format", fmt, "--country", "SD"])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        (row,) = list(csv.DictReader(result.stdout.splitlines()))
        assert (row["fatalities"], row["source"]) == ("4", "Test Wire; Other Wire")
    elif fmt == "jsonl":
        (record,) = [json.loads(line) for line in result.stdout.splitlines()]
        assert (record["fatalities"], record["source"]) == (4, "Test Wire; Other Wire")
    else:
        (feature,) = json.loads(result.stdout)["features"]
        assert feature["properties"]["source"] == "Test Wire; Other Wire"


@pytest.mark.parametrize("near", ["abc", "35.9", "35.9,36.6,1", "north,east", "35.9;36.6"])
def test_events_near_with_bad_input_is_a_usage_error(near: str) -> None:
    result = runner.invoke(app, ["events", "--near", near])
    assert result.exit_code == 2
    assert "--near must be LAT,LON" in flat(result.stderr)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, message", [
    (["--near", "95,0"], "off the globe"), (["--near", "36,37", "--within", "-1"], "--within must be"),
])
def test_events_near_off_the_globe_or_a_negative_radius_is_a_usage_error(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["events", *args])
    assert result.exit_code == 2
    assert message in flat(result.stderr)
    assert "Traceback" not in result.output


def test_events_within_without_near_is_a_usage_error() -> None:
    result = runner.invoke(app, ["events", "--within", "30"])
    assert result.exit_code == 2 and "--near" in flat(result.stderr)


def test_events_bad_since_is_a_usage_error() -> None:
    result = runner.invoke(app, ["events", "--since", "2024-13-01"])
    assert result.exit_code == 2
    assert "--since must be a date" in flat(result.stderr)


def test_events_bad_format_is_refused() -> None:
    result = runner.invoke(app, ["events", "--format", "xml"])
    assert result.exit_code == 2


# --- eval ------------------------------------------------------------------------------------------------


def test_eval_on_the_seed_prints_the_three_summary_lines(shared_dir: Path) -> None:
    seed = shared_dir / "corpus" / "seed"
    gold = json.loads((seed / "alestiklal-2024-12-russia-absence.gold.json").read_text("utf-8"))
    result = runner.invoke(app, ["eval", str(seed)])
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    events = re.search(r"events: precision (\d\.\d{3}) recall (\d\.\d{3}) F1 (\d\.\d{3}) "
                       r"recall with sub-event type (\d\.\d{3}) \((\d+)/(\d+) gold, (\d+) predicted\)", text)
    places = re.search(r"places: accuracy@161km (\d\.\d{3}) \((\d+)/(\d+)\)", text)
    quotes = re.search(r"quotes: speaker recall (\d\.\d{3}) \((\d+)/(\d+)\)", text)
    assert events and places and quotes, text
    assert all(0 <= float(events.group(i)) <= 1 for i in range(1, 5))
    required = [e for e in gold["events"] if not e.get("optional")]
    assert int(events.group(6)) == len(required)
    assert int(events.group(5)) <= len(required)
    assert int(places.group(3)) == len(gold["places"])
    assert int(quotes.group(3)) == len(gold["quotes"])


def test_eval_json(shared_dir: Path) -> None:
    result = runner.invoke(app, ["eval", str(shared_dir / "corpus" / "seed"), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"total", "documents"}
    assert list(payload["documents"]) == ["alestiklal-2024-12-russia-absence"]
    assert 0 <= payload["total"]["event_f1"] <= 1


def test_eval_on_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "not a folder" in result.stderr


# --- help and the README -----------------------------------------------------------------------------


def commands() -> dict[str, Any]:
    """Every command `app` registers, a group's as "group command" (typer ships its own copy of
    click's classes)."""
    found = {}
    for name, command in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        for sub_name, sub in getattr(command, "commands", {}).items():
            found[f"{name} {sub_name}"] = sub
        if not hasattr(command, "commands"):
            found[name] = command
    return found


def options(command: Any) -> list[Any]:
    return [p for p in command.params if p.param_type_name == "option"]


def test_top_level_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in commands():
        assert name.split()[0] in result.stdout


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_and_option_has_help(name: str) -> None:
    command = commands()[name]
    assert command.help, f"{name} has no help text"
    assert options(command), name
    for param in options(command):
        assert param.help, f"{name} {param.opts} has no help text"
    result = runner.invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    for param in options(command):
        assert param.opts[0] in result.stdout, (name, param.opts)


def test_readme_command_reference_mentions_every_command() -> None:
    readme = README.read_text(encoding="utf-8")
    reference = readme.split("## Commands", 1)[1]
    for name, command in commands().items():
        assert f"frontlines {name}" in reference, f"README's command reference lacks {name}"
        for param in options(command):
            assert any(opt in reference for opt in param.opts), (name, param.opts)


def test_ingest_limits_are_configurable(tmp_path: Path) -> None:
    article = tmp_path / "long.txt"
    article.write_text("Rebels captured the town of Saraqib on Friday, a monitor said.\n" * 50)
    db = tmp_path / "limits.db"
    small = runner.invoke(app, ["ingest", str(article), "--db", str(db), "--max-bytes", "1000"])
    assert small.exit_code == 1
    assert f"error: {article}: too large" in flat(small.stderr)
    roomy = runner.invoke(app, ["ingest", str(article), "--db", str(db), "--max-bytes", "100000"])
    assert roomy.exit_code == 0, roomy.output
