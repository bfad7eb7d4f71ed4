"""The `frontlines` command: a thin shell over the library, one verb per thing a user does.

    frontlines ingest PATH|URL...      read, analyse and store articles
    frontlines analyze PATH... --json  analyse without storing (the output contract)
    frontlines events [filters]        query stored events; table, CSV, JSON Lines or GeoJSON
    frontlines eval GOLD_DIR           accuracy against gold annotations
    frontlines train events            fit the event model on the bundled blind corpus
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.progress import (
    MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn,
)
from rich.text import Text

from frontlines.config import default_db
from frontlines.export import analysis_json, write_events
from frontlines.ingest import IngestLimits, iter_documents
from frontlines.models import Document, IngestFailure
from frontlines.store import DEFAULT_RADIUS_KM, EventQuery, open_store, parse_point

app = typer.Typer(
    help="Turn reporting on armed conflict into sourced, geolocated, dated event data.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
# Piped output (CI logs, files) gets a wide fixed width so event tables are not folded to 80 columns.
out = Console(width=None if sys.stdout.isatty() else 200)
# One line per message whatever the width: a wrapped error splits file names.
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[str, typer.Option(
    "--db", help="Event store: a SQLite file or a postgresql:// URL. Default: $FRONTLINES_DB "
    "or frontlines.db in the per-user data folder.", show_default=False)]
DEFAULT_LIMITS = IngestLimits()
MaxBytesOption = Annotated[int, typer.Option(
    "--max-bytes", help="Largest file or fetched page read, in bytes.", min=1)]
MaxCharsOption = Annotated[int, typer.Option(
    "--max-chars", help="Longest document text analysed, in characters.", min=1)]
MaxEntriesOption = Annotated[int, typer.Option(
    "--max-feed-entries", help="Most entries read from one feed.", min=1)]
TimeoutOption = Annotated[float, typer.Option(
    "--fetch-timeout", help="Seconds allowed to fetch one URL.", min=0.1)]
PublishedOption = Annotated[str | None, typer.Option(
    "--published", metavar="YYYY-MM-DD",
    help="Publication date for inputs whose metadata has none.")]
OutletOption = Annotated[str | None, typer.Option(
    "--outlet", help="The outlet that published inputs whose metadata names none (plain text).")]
UrlOption = Annotated[str | None, typer.Option(
    "--url", help="The address of an input whose metadata gives none (one saved article).")]


class EventsBy(str, Enum):
    both = "both"
    rules = "rules"
    model = "model"


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    geojson = "geojson"


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _error(f"{option} must be a date as YYYY-MM-DD, not {value!r}")
        raise typer.Exit(2) from None


def sample_corpus() -> Path:
    """The team's bundled sample articles (shipped inside the package)."""
    return Path(str(resources.files("frontlines").joinpath("sample_corpus")))


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@app.command()
def ingest(
    inputs: Annotated[list[str] | None, typer.Argument(
        help="Files, folders (read recursively) or http(s) URLs: text, Markdown, HTML, RSS/Atom, "
        "JSON Lines.", show_default=False)] = None,
    db: DbOption = "",
    published: PublishedOption = None,
    outlet: OutletOption = None,
    url: UrlOption = None,
    sample: Annotated[bool, typer.Option("--sample", help="Ingest the bundled sample corpus.")] = False,
    workers: Annotated[int, typer.Option(
        help="Analyse on a local Dask cluster of this many worker processes (0: in this process).",
        min=0)] = 0,
    scheduler: Annotated[str | None, typer.Option(
        help="Analyse on an existing Dask cluster, e.g. tcp://HOST:8786.")] = None,
    max_bytes: MaxBytesOption = DEFAULT_LIMITS.max_bytes,
    max_chars: MaxCharsOption = DEFAULT_LIMITS.max_document_chars,
    max_feed_entries: MaxEntriesOption = DEFAULT_LIMITS.max_feed_entries,
    fetch_timeout: TimeoutOption = DEFAULT_LIMITS.fetch_timeout,
) -> None:
    """Read, analyse and store articles; print the events found and where they were written."""
    from frontlines.runner import ClusterSpec, run  # spaCy and Dask load only for this command

    paths = list(inputs or []) + ([str(sample_corpus())] if sample else [])
    if not paths:
        _error("name at least one input, or pass --sample")
        raise typer.Exit(2)
    target = db or default_db()
    store = open_store(target)
    failures = stored = unchanged = skipped = 0
    new_events = []
    limits = IngestLimits(max_bytes=max_bytes, max_feed_entries=max_feed_entries,
                          fetch_timeout=fetch_timeout, max_document_chars=max_chars)
    items = iter_documents(paths, published=_parse_date(published, "--published"), outlet=outlet,
                           url=url, limits=limits)
    spec = ClusterSpec(workers=workers, scheduler=scheduler)
    with _progress() as progress:
        task = progress.add_task("analysing", total=None, failures=0)
        for result in run(items, spec, keep=lambda d: not store.has_document(d.sha256)):
            progress.advance(task)
            if isinstance(result, IngestFailure):
                failures += 1
                progress.update(task, failures=failures)
                _error(f"{result.input}: {result.reason}")
                continue
            if isinstance(result, Document) or not store.save(result).created:
                unchanged += 1
                continue
            document = result.document
            if document.skip_reason:
                skipped += 1
                err.print(Text(f"skipped: {document.path or document.url or document.id}: "
                               f"{document.skip_reason}"))
                continue
            stored += 1
            new_events += [(document.id, e) for e in result.events]
    _print_event_table(new_events)
    out.print(f"{stored} documents stored, {unchanged} already stored, {skipped} skipped, "
              f"{failures} failed; {len(new_events)} events written to {target}", highlight=False)
    if failures:
        raise typer.Exit(1)


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f} docs/s" if task.speed else "… docs/s")


def _progress() -> Progress:
    """Documents done, rate and failures, on stderr, for every run long enough to watch."""
    return Progress(
        TextColumn("{task.description}"), MofNCompleteColumn(), _RateColumn(),
        TextColumn("{task.fields[failures]} failed"), TimeElapsedColumn(),
        console=err, transient=True)


@app.command()
def analyze(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders or URLs to analyse.")],
    published: PublishedOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per document "
                                          "(the analysis contract).")] = False,
) -> None:
    """Analyse articles without storing anything."""
    from frontlines.pipeline import analyze as run

    failures = 0
    for item in iter_documents(inputs, published=_parse_date(published, "--published")):
        if isinstance(item, IngestFailure):
            failures += 1
            _error(f"{item.input}: {item.reason}")
            continue
        analysis = run(item)
        if as_json:
            sys.stdout.write(json.dumps(analysis_json(analysis), ensure_ascii=False) + "\n")
        else:
            out.print(f"[bold]{item.title or item.id}[/bold] ({item.published or 'no date'})")
            if item.skip_reason:
                out.print(f"  skipped: {item.skip_reason}")
            _print_event_table([(item.id, e) for e in analysis.events])
    if failures:
        raise typer.Exit(1)


@app.command()
def events(
    db: DbOption = "",
    since: Annotated[str | None, typer.Option(help="Events on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Events on or before this date (YYYY-MM-DD).")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-2 country code, e.g. SY.")] = None,
    admin1: Annotated[str | None, typer.Option(help="First-level region, e.g. Idlib.")] = None,
    actor: Annotated[str | None, typer.Option(help="Part of an actor's name, e.g. 'HTS' or 'Russia'.")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="Event type or sub-event type, "
                                                   "e.g. Battles or 'Air/drone strike'.")] = None,
    text: Annotated[str | None, typer.Option(help="Words in the evidence sentence.")] = None,
    near: Annotated[str | None, typer.Option(help="LAT,LON: only events near this point.")] = None,
    within: Annotated[float | None, typer.Option(
        help=f"Radius in km for --near (default {DEFAULT_RADIUS_KM:g}).", show_default=False)] = None,
    no_background: Annotated[bool, typer.Option("--no-background", help="Leave out history told as background.")] = False,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    merged: Annotated[bool, typer.Option("--merged", help="One row per event, merging reports of "
                                         "the same event from different documents (in every "
                                         "format: sources joined, the lowest fatality count).")] = False,
    show_sources: Annotated[bool, typer.Option("--show-sources", help="With --merged (implied): "
                                               "list every report behind each event.")] = False,
) -> None:
    """Query stored events: a table, or ACLED-column CSV, JSON Lines or GeoJSON."""
    point = None
    if near:
        try:
            point = parse_point(near)
        except ValueError as error:
            _error(f"--{error}")
            raise typer.Exit(2) from None
    if within is not None and not near:
        _error("--within is a radius around --near: give --near LAT,LON too")
        raise typer.Exit(2)
    if within is not None and within < 0:
        _error(f"--within must be a distance of 0 km or more, not {within}")
        raise typer.Exit(2)
    query = EventQuery(
        date_from=_parse_date(since, "--since"), date_to=_parse_date(until, "--until"),
        country=country, admin1=admin1, actor=actor, event_type=event_type, text=text,
        near=point, within_km=DEFAULT_RADIUS_KM if within is None else within,
        include_background=not no_background, limit=limit)
    store = open_store(db or default_db())
    found = store.events(query)
    if (merged or show_sources) and output_format is OutputFormat.table and output is None:
        _print_merged(found, show_sources)
        return
    if merged or show_sources:
        from frontlines.dedup import merge_reports

        found = [group.as_stored() for group in merge_reports(found)]
    if output_format is OutputFormat.table and output is None:
        _print_event_table([(str(e.document_id), e.event) for e in found])
        out.print(f"{len(found)} events")
        return
    fmt = "csv" if output_format is OutputFormat.table else output_format.value
    if output is None:
        write_events(found, fmt, sys.stdout)
    else:
        with output.open("w", encoding="utf-8", newline="") as f:
            write_events(found, fmt, f)
        err.print(f"{len(found)} events written to {output}")


@app.command("eval")
def evaluate_command(
    gold: Annotated[Path | None, typer.Argument(
        help="A folder of NAME.gold.json files beside NAME.txt/NAME.md, or a snippet set (.jsonl). "
        "Default: the bundled ACLED snippet set.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    details: Annotated[bool, typer.Option("--details", help="List each document's misses.")] = False,
    events_by: Annotated[EventsBy, typer.Option(
        "--events-by", help="What decides which sentences report events: the trained model and the "
        "trigger lexicon together (as analysis runs), or either alone (an ablation).")] = "both",
) -> None:
    """Score the analysis: against gold articles (event P/R/F1, places, quote speakers), or per
    sub-event type precision and recall on a snippet set."""
    from frontlines.evaluate import bundled_snippets, evaluate, evaluate_snippets, snippet_lines, summary_lines
    from frontlines.events.learned import EventClassifier
    from frontlines.pipeline import analyze

    model = EventClassifier.load()
    model.decision = model.decision.ablated(EventsBy(events_by).value)

    def run(document: Document):
        return analyze(document, event_model=model)

    gold_dir = gold or bundled_snippets()
    if gold_dir.is_file() and gold_dir.suffix == ".jsonl":
        score = evaluate_snippets(gold_dir, run)
        if as_json:
            payload = {name: {"precision": round(c.precision, 4), "recall": round(c.recall, 4),
                              "f1": round(c.f1, 4), "gold": c.gold, "predicted": c.predicted}
                       for name, c in sorted(score.by_type.items())}
            payload["_total"] = {"weighted_f1": round(score.weighted_f1(), 4), "macro_f1": round(score.macro_f1(), 4),
                                 "false_events_on_negatives": score.false_alarms_on_negatives,
                                 "negatives": score.negatives}
            sys.stdout.write(json.dumps(payload, indent=2) + "\n")
            return
        if details:
            for miss in score.misses:
                out.print(f"    {miss}", highlight=False)
        for line in snippet_lines(score):
            out.print(line, highlight=False)
        return
    if not gold_dir.is_dir():
        _error(f"{gold_dir}: not a folder of gold files or a .jsonl snippet set")
        raise typer.Exit(2)
    total, per_document = evaluate(gold_dir, run)
    if as_json:
        payload = {"total": total.as_dict(),
                   "documents": {d.id: d.counts.as_dict() for d in per_document}}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    for scored in per_document:
        c = scored.counts
        out.print(f"{scored.id}: event F1 {c.f1:.2f} ({c.true_positives}/{c.gold}, "
                  f"{c.predicted} predicted), places {c.places_found}/{c.places}, "
                  f"quotes {c.speakers_found}/{c.quotes}", highlight=False)
        if details:
            for miss in c.misses:
                out.print(f"    {miss}", highlight=False)
    for line in summary_lines(total):
        out.print(line, highlight=False)


@app.command()
def geobench(
    corpus: Annotated[Path, typer.Argument(help="A toponym corpus in the XML of Gritta et al. "
                                           "(e.g. ../shared/benchmarks/geoparsing/lgl.xml).")],
    limit: Annotated[int | None, typer.Option(help="Only the first N articles.")] = None,
    adjectives: Annotated[bool, typer.Option(
        "--adjectives/--no-adjectives",
        help="Count demonyms ('Sudanese') as toponyms, as LGL's annotators did.")] = True,
    embedded: Annotated[bool, typer.Option(
        "--embedded/--no-embedded",
        help="Count places inside organisation names ('Ohio State University'), as LGL's "
        "annotators did.")] = True,
) -> None:
    """Geoparsing accuracy: toponyms found, Accuracy@161km, median error."""
    from frontlines.actors import actor_name_spans
    from frontlines.geobench import report_lines, run_benchmark
    from frontlines.nlp import parse
    from frontlines.places import demonym_places, extract_places

    def find_places(text: str) -> list:
        places = extract_places(parse(text), names_of_actors=actor_name_spans(text),
                                embedded=embedded)
        return places + (demonym_places(text) if adjectives else [])

    if not corpus.is_file():
        _error(f"{corpus}: no such file")
        raise typer.Exit(2)
    for line in report_lines(run_benchmark(corpus, find_places, limit)):
        out.print(line, highlight=False)


def _print_merged(found: list, show_sources: bool) -> None:
    from frontlines.dedup import duplicate_share, merge_reports

    groups = merge_reports(found)
    table = Table("date", "prec", "type", "actor1", "actor2", "location", "fat.", "sources",
                  "first reported", "last reported")
    for group in groups:
        e = group.event
        table.add_row(str(e.event_date or "?"), e.date_precision, e.sub_event_type, e.actor1 or "",
                      e.actor2 or "", f"{e.location or ''} ({e.country or '?'})",
                      "" if group.fatalities is None else str(group.fatalities),
                      str(group.source_count), str(group.first_reported or "?"),
                      str(group.last_reported or "?"))
        if show_sources:
            for report in group.reports:
                table.add_row("", "", "", Text(f"  #{report.id} {report.source or report.url or ''}"),
                              "", "", "", "", str(report.published or "?"),
                              Text(report.event.evidence[:120]))
    out.print(table)
    out.print(f"{len(groups)} events from {len(found)} reports "
              f"({duplicate_share(groups):.0%} merged as duplicates)", highlight=False)


def _error(message: str) -> None:
    """A one-line error; user input in it is printed as written, never read as markup."""
    err.print(Text.assemble(("error:", "red"), " ", message))


def _print_event_table(rows: list[tuple[str, object]]) -> None:
    if not rows:
        return
    table = Table("doc", "date", "prec", "type", "actor1", "actor2", "location", "fat.", "conf.")
    for doc_id, e in rows:
        table.add_row(doc_id, str(e.event_date or "?"), e.date_precision, e.sub_event_type,
                      e.actor1 or "", e.actor2 or "", f"{e.location or ''} ({e.country or '?'})",
                      "" if e.fatalities is None else str(e.fatalities), f"{e.confidence:.2f}")
    out.print(table)


@app.command()
def serve(
    db: DbOption = "",
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8321,
    token: Annotated[str | None, typer.Option(
        envvar="FRONTLINES_TOKEN", show_default=False,
        help="Turn on POST /api/ingest, for requests carrying 'Authorization: Bearer TOKEN' (at least "
        "16 characters; also read from $FRONTLINES_TOKEN). Without it the server is read-only.")] = None,
) -> None:
    """Serve the map and timeline page and its JSON API (OpenAPI at /docs)."""
    import uvicorn  # the web stack loads only for this command

    from frontlines.web import create_app

    target = db or default_db()
    try:
        web_app = create_app(target, token=token or None)
    except ValueError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    mode = "read-write (token set)" if token else "read-only"
    err.print(Text(f"serving {target} on http://{host}:{port}/ ({mode})"))
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


@app.command()
def control(
    at: Annotated[str, typer.Option("--at", metavar="YYYY-MM-DD", help="The day to answer for.",
                                    show_default=False)],
    db: DbOption = "",
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-2 country code, e.g. SY.")] = None,
    admin1: Annotated[str | None, typer.Option(help="First-level region, e.g. Idlib.")] = None,
    place: Annotated[str | None, typer.Option(help="A place name, any common spelling, e.g. Saraqib.")] = None,
    areas: Annotated[bool, typer.Option("--areas", help="Add the rough area held by each side (km², "
                                        "Voronoi cells around the places).")] = False,
    timeline: Annotated[bool, typer.Option("--timeline", help="Under each place, list every claim "
                                           "about it and whether it decides the day.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the states (and areas) as JSON.")] = False,
) -> None:
    """Who held each known place on a day, since when, and on whose word (one line a place:
    place | holder, contested, uncertain or unknown | since | evidence | source)."""
    from frontlines.control import (
        area_by_holder, bundled_boundaries, changes_from_store, control_at, control_timeline,
        select_changes,
    )
    from frontlines.control.report import area_lines, control_json, state_line, timeline_lines

    day = _parse_date(at, "--at")
    store = open_store(db or default_db())
    try:
        changes = select_changes(changes_from_store(store), country=country, admin1=admin1, place=place)
    finally:
        store.close()
    if as_json:
        payload = control_json(changes, day, areas=areas)
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    states = control_at(changes, day)
    estimate = area_by_holder(states, bundled_boundaries()) if areas else None
    claims = control_timeline(changes)
    for state in states:
        sys.stdout.write(state_line(state) + "\n")
        if timeline:
            sys.stdout.write("\n".join(timeline_lines(claims[state.place], day)) + "\n")
    if not states:
        err.print(Text("no control claims match; territory events and statements of control are "
                       "read from stored articles (frontlines ingest)"))
    if estimate is not None:
        sys.stdout.write("\n" + "\n".join(area_lines(estimate)) + "\n")


train_app = typer.Typer(help="Train frontlines' models from the corpora shipped in the package.",
                        no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("events")
def train_events_command(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="The model directory to write. Default: the one the package loads.",
        show_default=False)] = None,
    corpus: Annotated[Path | None, typer.Option(
        "--corpus", help="A folder holding the corpus splits named in the config. Default: the bundled "
        "corpus (frontlines/corpus/events).", show_default=False)] = None,
) -> None:
    """Fit the event model on the train split of the blind corpus, choose its thresholds on dev,
    and write the model directory (pipeline.joblib, meta.json). Deterministic; a few minutes on two cores."""
    from frontlines.events.learned import MODEL_DIR
    from frontlines.train_events import CORPUS_DIR, train_event_model

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    meta = train_event_model(output or MODEL_DIR, corpus_dir=corpus or CORPUS_DIR,
                             progress=lambda message: err.print(message, highlight=False))
    alone = meta["dev_model_alone"]
    out.print(f"model written to {output or MODEL_DIR}: dev, model alone: weighted F1 {alone['weighted_f1']:.3f}, "
              f"macro F1 {alone['macro_f1']:.3f}, false events on negatives {alone['false_events_on_negatives']:.3f}; "
              f"whole events stage: {meta['dev_stage']} with {meta['decision']}",
              highlight=False)


gazetteer_app = typer.Typer(help="The place gazetteer: import GeoNames dumps, see what it holds.",
                            no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("import")
def gazetteer_import(
    files: Annotated[list[Path], typer.Argument(
        help="GeoNames dumps as downloaded, zipped or not: allCountries, a country file (SY.zip), "
        "cities500/1000/5000/15000, alternateNamesV2, admin1CodesASCII.txt, admin2Codes.txt, hierarchy.")],
    into: Annotated[Path | None, typer.Option(
        "--into", help="The import file to write. Default: geonames-import.sqlite in the data folder, "
        "which analysis then uses.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Read again files already imported to their end.")] = False,
) -> None:
    """Import GeoNames dumps into the gazetteer analysis uses. Streams in bounded memory; an
    interrupted import resumes where it stopped when run again."""
    from rich.progress import BarColumn, DownloadColumn, TransferSpeedColumn

    from frontlines.gazetteer import default_gazetteer, imported_index_path
    from frontlines.gazetteer.geonames import DumpFile, GeoNamesImportError, import_files

    target = into or imported_index_path()
    bars: dict[str, object] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), TimeElapsedColumn(), console=err, transient=True) as progress:
        def advance(table: DumpFile, n_bytes: int) -> None:
            if table.name not in bars:
                bars[table.name] = progress.add_task(table.name, total=table.size)
            progress.advance(bars[table.name], n_bytes)

        try:
            results = import_files(files, target, region_names=default_gazetteer().region_names(),
                                   progress=advance, force=force)
        except (GeoNamesImportError, OSError) as exc:
            err.print(Text(f"error: {exc}"))
            raise typer.Exit(2) from exc
    for result in results:
        if result.skipped:
            how = "already imported (--force to read it again)"
        else:
            resumed = f", resumed at line {result.resumed_at:,}" if result.resumed_at else ""
            how = f"{result.lines_read:,} lines read{resumed}"
        out.print(f"{result.name} ({result.kind.value}): {how}; {result.rows_kept:,} rows kept",
                  highlight=False)
    out.print(f"gazetteer import: {target}", highlight=False)


@gazetteer_app.command("status")
def gazetteer_status(
    into: Annotated[Path | None, typer.Option(
        "--into", help="The import file to describe. Default: the one analysis uses.",
        show_default=False)] = None,
) -> None:
    """What the gazetteer holds: the bundled sources, the files imported, places per country."""
    from frontlines.gazetteer import bundled_index_path, imported_index_path
    from frontlines.gazetteer.geonames import import_status

    out.print(f"bundled: cities500, first- and second-level divisions, the team's supplement "
              f"({bundled_index_path()})", highlight=False)
    status = import_status(into or imported_index_path())
    if status is None:
        out.print("imported: nothing (frontlines gazetteer import FILE... adds GeoNames dumps)")
        return
    out.print(f"imported: {status.path} ({status.size_bytes / 1e6:,.1f} MB; {status.names:,} names, "
              f"{status.admin_names:,} division names, {status.hierarchy_links:,} hierarchy links)",
              highlight=False)
    sources = Table("source", "kind", "lines", "rows kept", "complete", "updated")
    for src in status.sources:
        sources.add_row(src["name"], src["kind"], f"{src['lines_done']:,}", f"{src['rows_kept']:,}",
                        "yes" if src["complete"] else "no (run the import again to resume)",
                        src["updated"])
    out.print(sources)
    kinds = sorted({k for counts in status.places_by_country.values() for k in counts})
    countries = Table("country", "places", *kinds)
    for country, counts in sorted(status.places_by_country.items(),
                                  key=lambda item: -sum(item[1].values())):
        countries.add_row(country, f"{sum(counts.values()):,}", *(f"{counts.get(k, 0):,}" for k in kinds))
    out.print(countries)
