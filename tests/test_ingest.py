"""Ingest: every reader on small fixtures, every kind of bad input, and URLs via MockTransport."""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontlines.errors import IngestError
from frontlines.ingest import (
    READERS,
    USER_AGENT,
    IngestLimits,
    iter_documents,
    normalise_text,
    read_text_document,
)
from frontlines.models import Document, IngestFailure

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "corpus" / "seed" / "alestiklal-2024-12-russia-absence.md"

ENGLISH = (
    "Government forces shelled the outskirts of the town on Monday, residents said, "
    "and at least two people were wounded.\n"
)


def ingest(
    *inputs: str | Path,
    published: date | None = None,
    limits: IngestLimits = IngestLimits(),
    transport: httpx.BaseTransport | None = None,
) -> list[Document | IngestFailure]:
    names = [str(name) for name in inputs]
    return list(iter_documents(names, published=published, limits=limits, transport=transport))


def only_document(items: list[Document | IngestFailure]) -> Document:
    assert len(items) == 1, items
    assert isinstance(items[0], Document), items[0]
    return items[0]


def only_failure(items: list[Document | IngestFailure]) -> IngestFailure:
    assert len(items) == 1, items
    assert isinstance(items[0], IngestFailure), items[0]
    return items[0]


def documents(items: list[Document | IngestFailure]) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def failures(items: list[Document | IngestFailure]) -> list[IngestFailure]:
    return [item for item in items if isinstance(item, IngestFailure)]


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --- plain text -------------------------------------------------------------------------------


def test_plain_text_keeps_paragraphs_and_takes_the_first_line_as_title() -> None:
    doc = only_document(ingest(FIXTURES / "plain.txt", published=date(2024, 12, 3)))
    assert doc.id == "plain"
    assert doc.path == str(FIXTURES / "plain.txt")
    assert doc.title == "Drone strike hits fuel depot near river crossing"
    assert doc.published == date(2024, 12, 3)  # no date in the file: the caller's date
    assert doc.language == "en" and doc.skip_reason is None
    assert doc.text.startswith("Drone strike hits fuel depot near river crossing\nLocal officials")
    # three blank lines in the file collapse to one; paragraphs stay apart
    assert "several hours.\n\nNo casualties" in doc.text
    assert "midday.\n\nResidents" in doc.text
    assert doc.sha256 and len(doc.sha256) == 64


def test_normalisation_is_what_offsets_index_into() -> None:
    raw = "Cafe\u0301 hit\r\nby\x07 shells\r\n\r\n\r\n\r\n\tNext\x00 paragraph.  \r\n"
    assert normalise_text(raw) == "Caf\u00e9 hit\nby shells\n\n\tNext paragraph."
    assert unicodedata.is_normalized("NFC", normalise_text(raw))


def test_read_text_document_normalises_and_rejects_empty_text() -> None:
    doc = read_text_document("Headline\r\n\r\n\r\n" + ENGLISH, id="api-1", source="Wire")
    assert doc.id == "api-1" and doc.title == "Headline" and doc.source == "Wire"
    assert doc.text == "Headline\n\n" + ENGLISH.strip()
    with pytest.raises(IngestError, match="empty"):
        read_text_document(" \n\t\n", id="blank")


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_front_matter_and_image_lines() -> None:
    doc = only_document(ingest(FIXTURES / "article.md", published=date(2000, 1, 1)))
    assert doc.title == "Talks resume as ceasefire holds in the north"
    assert doc.published == date(2024, 12, 5)  # front matter wins over the caller's date
    assert doc.source == "The Border Herald"
    assert doc.url == "https://herald.example/2024/12/talks-resume"
    assert "![" not in doc.text and "img.example" not in doc.text
    assert "Delegates arrive" not in doc.text  # image alt text is not body text
    assert "outlet:" not in doc.text and "---" not in doc.text
    assert doc.text.startswith("Talks resume as ceasefire holds in the north\n\nNegotiators")
    assert "a statement from the mediation team, the talks" in doc.text  # bold unwrapped
    assert "described by the United Nations as vital" in doc.text  # link unwrapped
    assert doc.text.endswith("The mediators said a third round would be held next week.")


def test_markdown_without_front_matter_titles_from_first_line() -> None:
    doc = only_document(ingest(FIXTURES / "untitled.md", published=date(2024, 12, 8)))
    assert doc.title == "Protesters gather outside the governor's office"
    assert doc.published == date(2024, 12, 8)
    assert doc.text == (
        "Protesters gather outside the governor's office\n"
        "Several hundred people gathered outside the governor's office on Sunday to demand the "
        "release of detained students, witnesses said."
    )


def test_markdown_front_matter_with_a_bad_date_is_a_failure(tmp_path: Path) -> None:
    path = write(tmp_path, "bad-date.md", "---\ntitle: X\npublished: 5 Dec 2024\n---\n" + ENGLISH)
    failure = only_failure(ingest(path))
    assert failure.input == str(path)
    assert "front matter published" in failure.reason and "YYYY-MM-DD" in failure.reason


def test_unclosed_front_matter_is_body_text(tmp_path: Path) -> None:
    path = write(tmp_path, "rule.md", "---\n" + ENGLISH)
    doc = only_document(ingest(path))
    assert doc.text == ENGLISH.strip()  # a lone rule line is dropped, the text kept


@pytest.mark.skipif(not SEED.exists(), reason=f"the shared seed corpus is not at {SEED}")
def test_seed_article() -> None:
    doc = only_document(ingest(SEED))
    assert doc.id == "alestiklal-2024-12-russia-absence"
    assert doc.title == "With Assad's Regime Crumbling, Why Isn't Russia Taking Action?"
    assert doc.language == "en" and doc.skip_reason is None
    assert "![" not in doc.text
    assert not any(line.startswith("![") for line in doc.text.splitlines())
    # the caption under the lead image is a sentence of its own and stays
    assert "Russia found the Assad regime unable to advance due to a tactical flaw it faced.\n" in (
        doc.text
    )
    assert "leading to the near-total capture of Aleppo city" in doc.text


# --- HTML -------------------------------------------------------------------------------------


def test_html_page_through_trafilatura() -> None:
    doc = only_document(ingest(FIXTURES / "page.html"))
    assert doc.id == "page"
    assert doc.title == "Shelling hits market in northern town"
    assert doc.source == "Frontier Daily"
    assert doc.published == date(2024, 12, 2)
    assert doc.url == "https://frontier.example/news/market-shelling"
    assert "Artillery shells struck a crowded market in the town of Maarat al-Numan" in doc.text
    assert "at least four people were killed" in doc.text
    assert "All rights reserved" not in doc.text and "Sport" not in doc.text
    # paragraphs stay on separate lines
    assert "civil defence team working in the area.\nRescue workers" in doc.text


def test_html_without_article_text_is_a_failure() -> None:
    failure = only_failure(ingest(FIXTURES / "empty-page.html"))
    assert failure.reason == "no article text found"


def test_html_in_a_declared_legacy_charset(tmp_path: Path) -> None:
    page = (FIXTURES / "page.html").read_text("utf-8")
    page = page.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "Maarat al-Numan", "Ma\u2019arat al-Nu\u00e9man"
    )
    doc = only_document(ingest(write(tmp_path, "legacy.html", page.encode("cp1252"))))
    assert "Ma\u2019arat al-Nu\u00e9man" in doc.text


# --- feeds ------------------------------------------------------------------------------------


def test_rss_feed_entries_become_documents() -> None:
    items = ingest(FIXTURES / "feed.rss")
    first, second = (only_document([item]) for item in items)
    assert first.id == "coastal-1001"  # the guid
    assert second.id == "https://coastal.example/news/storm-delays-convoy"  # no guid: the link
    assert first.title == "Naval patrol intercepts smuggling boat"
    assert first.url == "https://coastal.example/news/patrol-intercepts-boat"
    assert first.published == date(2024, 12, 2) and second.published == date(2024, 12, 3)
    assert first.source == second.source == "Coastal Wire"
    assert first.path == str(FIXTURES / "feed.rss")
    assert "<p>" not in first.text
    assert first.text == (
        "A naval patrol intercepted a boat carrying fuel and weapons off the southern coast on "
        "Sunday night, the coast guard said.\n"
        "Three crew members were detained and taken to the port for questioning."
    )


def test_atom_feed_prefers_full_content_over_summary() -> None:
    first, second = (only_document([item]) for item in ingest(FIXTURES / "feed.atom"))
    assert first.id == "urn:uuid:7e1a1d2c-0000-4000-8000-000000000002"
    assert first.title == "Clashes reported on mountain road"
    assert first.url == "https://monitor.example/clashes-mountain-road"
    assert first.published == date(2024, 12, 3)
    assert first.text.startswith("Armed groups exchanged fire on the mountain road")
    assert "Short summary" not in first.text
    assert second.published == date(2024, 12, 4)  # only <updated>
    assert second.source == "Highland Monitor"
    assert second.text.startswith("The town council announced an overnight curfew")


def test_feed_entry_limit_reports_what_was_left() -> None:
    items = ingest(FIXTURES / "feed.rss", limits=IngestLimits(max_feed_entries=1))
    assert [type(item) for item in items] == [Document, IngestFailure]
    assert failures(items)[0].reason == "feed has 2 entries; only the first 1 were read"


def test_broken_feed_is_a_failure() -> None:
    failure = only_failure(ingest(FIXTURES / "broken.xml"))
    assert failure.reason.startswith("broken feed: ")
    assert "\n" not in failure.reason


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = write(tmp_path, "config.xml", "<?xml version='1.0'?><settings><a>1</a></settings>")
    assert only_failure(ingest(path)).reason == "no feed entries found"


# --- JSON Lines -------------------------------------------------------------------------------


def test_jsonl_reads_every_good_line_and_names_the_bad_one() -> None:
    path = FIXTURES / "articles.jsonl"
    items = ingest(path, published=date(2024, 12, 1))
    assert [type(item) for item in items] == [Document, Document, IngestFailure, Document]
    first, second, bad, fourth = items
    assert isinstance(first, Document) and isinstance(second, Document)
    assert isinstance(bad, IngestFailure) and isinstance(fourth, Document)
    assert (first.id, first.title, first.source) == (
        "wire-1",
        "Checkpoint reopens after week-long closure",
        "Regional Wire",
    )
    assert first.url == "https://wire.example/1" and first.published == date(2024, 12, 6)
    assert second.id == "articles:2" and second.source == "Valley Times"
    assert second.published == date(2024, 12, 1)  # no date in the record: the caller's
    assert bad.input == f"{path}:3" and bad.reason.startswith("invalid JSON")
    assert fourth.id == "wire-4" and fourth.published == date(2024, 12, 7)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('["a list"]', "expected a JSON object, got list"),
        ('{"title": "no text"}', '"text" is missing or not a non-empty string'),
        ('{"text": "   "}', '"text" is missing or not a non-empty string'),
        ('{"text": "Fighting resumed.", "published": "yesterday"}', '"published": '),
        ('{"text": "Fighting resumed.", "id": [1]}', '"id" must be a string or an integer'),
        ('{"text": "Fighting resumed.", "title": 7}', '"title" must be a string'),
    ],
)
def test_jsonl_invalid_records(tmp_path: Path, line: str, reason: str) -> None:
    good = json.dumps({"id": 42, "text": ENGLISH})
    path = write(tmp_path, "batch.ndjson", f"{line}\n\n{good}\n")
    bad, doc = ingest(path)
    assert isinstance(bad, IngestFailure) and bad.input == f"{path}:1"
    assert bad.reason.startswith(reason)
    assert isinstance(doc, Document) and doc.id == "42"


def test_jsonl_line_over_the_limit_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    good = json.dumps({"text": ENGLISH})
    huge = json.dumps({"text": "word " * 200})
    path = write(tmp_path, "mixed.jsonl", f"{good}\n{huge}\n{good}")
    items = ingest(path, limits=IngestLimits(max_bytes=len(good) + 10))
    assert [type(item) for item in items] == [Document, IngestFailure, Document]
    (too_large,) = failures(items)
    assert too_large.input == f"{path}:2" and too_large.reason.startswith("too large")
    assert documents(items)[1].id == "mixed:3"


# --- folders, languages, and the stream going on ----------------------------------------------


def test_folder_walk_is_recursive_sorted_and_skips_hidden_and_unknown_files() -> None:
    items = ingest(FIXTURES / "folder")
    assert not failures(items)
    first, second = documents(items)
    assert (first.id, second.id) == ("a-report", "b-report")
    assert second.path == str(FIXTURES / "folder" / "sub" / "b-report.md")
    assert "![" not in second.text


def test_folder_with_nothing_readable(tmp_path: Path) -> None:
    write(tmp_path, "data.csv", "a,b\n")
    write(tmp_path, ".notes.txt", ENGLISH)
    failure = only_failure(ingest(tmp_path))
    assert failure.input == str(tmp_path) and failure.reason.startswith("no readable files")


def test_non_english_document_is_kept_with_a_skip_reason() -> None:
    doc = only_document(ingest(FIXTURES / "french.txt"))
    assert doc.language == "fr"
    assert doc.skip_reason == "language is fr, not English"


def test_a_failure_does_not_stop_the_inputs_after_it(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    items = ingest(missing, FIXTURES / "plain.txt", tmp_path / "nowhere")
    assert items[0] == IngestFailure(str(missing), "no such file or directory")
    assert isinstance(items[1], Document)
    assert items[2] == IngestFailure(str(tmp_path / "nowhere"), "no such file or directory")


def test_a_single_path_string_is_one_input() -> None:
    assert only_document(list(iter_documents(str(FIXTURES / "plain.txt")))).id == "plain"


def test_unexpected_reader_errors_become_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_reader(*_args: object) -> Iterator[Document]:
        raise RuntimeError("reader bug\non two lines")
        yield  # pragma: no cover

    monkeypatch.setitem(READERS, ".txt", broken_reader)
    items = ingest(FIXTURES / "plain.txt", FIXTURES / "untitled.md")
    assert items[0] == IngestFailure(
        str(FIXTURES / "plain.txt"), "unexpected RuntimeError: reader bug on two lines"
    )
    assert isinstance(items[1], Document)


# --- bad files --------------------------------------------------------------------------------


def test_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    assert only_failure(ingest(path)).reason == "binary file, not text"


def test_undecodable_bytes_are_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "noise.md", bytes(range(0x80, 0x100)) * 8)
    assert only_failure(ingest(path)).reason.startswith("binary file, not text")


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t  "])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    for name in ("empty.txt", "empty.md", "empty.html", "empty.rss", "empty.jsonl"):
        path = write(tmp_path, name, content)
        assert only_failure(ingest(path)) == IngestFailure(str(path), "empty"), name


def test_latin1_file_is_decoded(tmp_path: Path) -> None:
    text = (
        "Fighting near Besan\u00e7on left the caf\u00e9 on the main square damaged, r\u00e9sidents "
        "said on Friday. The \u00e9lite unit stationed there withdrew to the fa\u00e7ade of the "
        "old barracks, a na\u00efve move according to local officials.\n"
    )
    path = write(tmp_path, "latin1.txt", text.encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    doc = only_document(ingest(path))
    assert doc.text == text.strip()
    assert doc.language == "en"


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "wide.txt", ENGLISH.encode("utf-16"))
    assert only_document(ingest(path)).text == ENGLISH.strip()


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", ENGLISH * 20)
    failure = only_failure(ingest(path, limits=IngestLimits(max_bytes=1000)))
    assert failure.reason == f"too large: {len(ENGLISH) * 20} bytes > 1000 bytes limit"


def test_size_limit_reads_in_megabytes_for_real_limits(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"x" * 3_400_000)
    failure = only_failure(ingest(path, limits=IngestLimits(max_bytes=2_000_000)))
    assert failure.reason == "too large: 3.4 MB > 2.0 MB limit"


def test_text_over_the_character_limit_is_rejected_not_truncated(tmp_path: Path) -> None:
    path = write(tmp_path, "long.txt", ENGLISH * 10)
    failure = only_failure(ingest(path, limits=IngestLimits(max_document_chars=500)))
    assert failure.reason.startswith("too long: ") and "> 500 limit" in failure.reason


def test_unsupported_file_type_named_explicitly(tmp_path: Path) -> None:
    path = write(tmp_path, "report.docx", b"PK\x03\x04")
    assert only_failure(ingest(path)).reason.startswith("unsupported file type '.docx'")


def test_file_without_extension_is_sniffed(tmp_path: Path) -> None:
    feed = write(tmp_path, "feed", (FIXTURES / "feed.rss").read_bytes())
    plain = write(tmp_path, "README", ENGLISH)
    items = ingest(feed, plain)
    assert [item.id for item in documents(items)] == [
        "coastal-1001",
        "https://coastal.example/news/storm-delays-convoy",
        "README",
    ]


_EXTENSIONS = [*sorted(READERS), ""]


# Raw bytes, and text that gets past decoding so that the readers' parsers see it too.
_CONTENT = st.one_of(
    st.binary(max_size=2048),
    st.text(max_size=512).map(lambda text: text.encode("utf-8")),
    st.builds(
        lambda head, tail: (head + tail).encode("utf-8"),
        st.sampled_from(["<rss><channel><item>", "<html><body><p>", '{"text": "', "---\n"]),
        st.text(max_size=256),
    ),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_CONTENT, suffix=st.sampled_from(_EXTENSIONS))
def test_random_bytes_never_raise(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    items = list(iter_documents([str(path)]))
    assert items and all(isinstance(item, Document | IngestFailure) for item in items)
    # the readers themselves handle garbage; the catch-all guard is not what saved the run
    assert not any(f.reason.startswith("unexpected") for f in failures(items)), items


# --- URLs -------------------------------------------------------------------------------------

Handler = Callable[[httpx.Request], httpx.Response]


def serve(routes: dict[str, Handler | httpx.Response]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        route = routes.get(str(request.url))
        if route is None:
            return httpx.Response(404)
        return route(request) if callable(route) else route

    return httpx.MockTransport(handle)


def test_url_html_page(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def page(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            content=(FIXTURES / "page.html").read_bytes(),
            headers={"content-type": "text/html; charset=utf-8"},
        )

    url = "https://frontier.example/news/market-shelling.html"
    redirect = httpx.Response(301, headers={"location": url})
    transport = serve({"https://frontier.example/short": redirect, url: page})
    doc = only_document(ingest("https://frontier.example/short", transport=transport))
    assert seen[0].headers["user-agent"] == USER_AGENT == "frontlines/0.1"
    assert doc.id == "market-shelling"
    assert doc.url == url  # where the redirect led
    assert doc.path is None
    assert doc.title == "Shelling hits market in northern town"
    assert doc.source == "Frontier Daily"


def test_url_plain_text_defaults_source_to_the_host() -> None:
    transport = serve(
        {
            "https://wire.example/story.txt": httpx.Response(
                200, text=ENGLISH, headers={"content-type": "text/plain"}
            )
        }
    )
    doc = only_document(
        ingest("https://wire.example/story.txt", transport=transport, published=date(2024, 12, 9))
    )
    assert (doc.id, doc.source) == ("story", "wire.example")
    assert doc.url == "https://wire.example/story.txt"
    assert doc.published == date(2024, 12, 9)


def test_url_feed_served_as_generic_xml_is_sniffed() -> None:
    body = (FIXTURES / "feed.atom").read_bytes()
    transport = serve(
        {
            "https://monitor.example/latest": httpx.Response(
                200, content=body, headers={"content-type": "application/xml"}
            )
        }
    )
    items = ingest("https://monitor.example/latest", transport=transport)
    assert [d.title for d in documents(items)] == [
        "Clashes reported on mountain road",
        "Council announces curfew",
    ]


def test_url_markdown_served_as_text_plain_uses_the_extension() -> None:
    body = (FIXTURES / "untitled.md").read_bytes()
    url = "https://notes.example/untitled.md"
    response = httpx.Response(200, content=body, headers={"content-type": "text/plain"})
    transport = serve({url: response})
    doc = only_document(ingest(url, transport=transport))
    assert "![" not in doc.text and doc.title == "Protesters gather outside the governor's office"


def test_unreachable_url() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    failure = only_failure(ingest("https://down.example/", transport=httpx.MockTransport(refuse)))
    assert failure == IngestFailure(
        "https://down.example/", "could not fetch: ConnectError: connection refused"
    )


def test_url_timeout() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    limits = IngestLimits(fetch_timeout=3)
    transport = httpx.MockTransport(slow)
    failure = only_failure(ingest("https://slow.example/", transport=transport, limits=limits))
    assert failure.reason == "could not fetch: timed out after 3 s"


def test_url_trickling_past_the_deadline() -> None:
    def trickle() -> Iterator[bytes]:
        for _ in range(5):
            time.sleep(0.03)
            yield b"word "

    url = "https://slow.example/a.txt"
    transport = serve({url: lambda _request: httpx.Response(200, content=trickle())})
    limits = IngestLimits(fetch_timeout=0.05)
    failure = only_failure(ingest(url, transport=transport, limits=limits))
    assert failure.reason == "could not fetch: timed out after 0.05 s"


def test_url_http_error_status() -> None:
    failure = only_failure(ingest("https://news.example/gone", transport=serve({})))
    assert failure.reason == "HTTP 404 Not Found"


def test_url_page_over_the_cap_by_content_length() -> None:
    transport = serve({"https://big.example/": httpx.Response(200, content=b"a" * 5000)})
    limits = IngestLimits(max_bytes=1000)
    failure = only_failure(ingest("https://big.example/", transport=transport, limits=limits))
    assert failure.reason == "too large: 5000 bytes > 1000 bytes limit"


def test_url_page_over_the_cap_while_streaming() -> None:
    sent: list[int] = []

    def endless() -> Iterator[bytes]:
        for index in range(1000):
            sent.append(index)
            yield b"x" * 500

    transport = serve({"https://big.example/": lambda _r: httpx.Response(200, content=endless())})
    items = ingest("https://big.example/", transport=transport, limits=IngestLimits(max_bytes=1000))
    assert only_failure(items).reason == "too large: over the 1000 bytes limit"
    assert len(sent) <= 3  # stopped at the cap, not after downloading everything


def test_url_unsupported_content_type() -> None:
    pdf = httpx.Response(200, content=b"%PDF-1.7", headers={"content-type": "application/pdf"})
    transport = serve({"https://docs.example/r": pdf})
    failure = only_failure(ingest("https://docs.example/r", transport=transport))
    assert failure.reason == "unsupported content type 'application/pdf'"


def test_failed_url_does_not_stop_the_next_input() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    transport = httpx.MockTransport(refuse)
    items = ingest("https://down.example/", FIXTURES / "plain.txt", transport=transport)
    assert isinstance(items[0], IngestFailure) and isinstance(items[1], Document)


def test_feed_larger_than_the_whole_file_limit_is_streamed_entry_by_entry(tmp_path: Path) -> None:
    entry = ("<item><title>Report {i}</title><link>https://example.org/r/{i}</link>"
             "<pubDate>Sat, 30 Nov 2024 10:00:00 GMT</pubDate><description>Rebels said on Saturday "
             "they had entered the town of Saraqib in report number {i}.</description></item>")
    body = "".join(entry.format(i=i) for i in range(400))
    feed = tmp_path / "archive.xml"
    feed.write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>Archive Wire</title>"
                    f"{body}</channel></rss>", encoding="utf-8")
    limits = IngestLimits(max_bytes=20_000, max_feed_entries=1000)
    assert feed.stat().st_size > 4 * limits.max_bytes
    items = list(iter_documents([str(feed)], limits=limits))
    documents = [i for i in items if isinstance(i, Document)]
    assert len(documents) == 400 and not [i for i in items if isinstance(i, IngestFailure)]
    assert documents[7].title == "Report 7" and documents[7].source == "Archive Wire"
    assert documents[7].published == date(2024, 11, 30)
    capped = list(iter_documents([str(feed)], limits=IngestLimits(max_bytes=20_000, max_feed_entries=50)))
    assert len([i for i in capped if isinstance(i, Document)]) == 50
    assert "only the first 50" in capped[-1].reason
