"""From what the user named (files, folders, URLs) to a stream of Documents and IngestFailures.

Which reader handles an input is data, not code: `READERS` maps file extensions to readers and
`MEDIA_TYPES` maps what a server says it sends, so supporting a new format is one entry in each.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx

from frontlines.errors import IngestError, InputNotFound, UnsupportedInput
from frontlines.ingest.core import (
    IngestLimits,
    Item,
    ReadContext,
    Reader,
    Source,
    build_document,
    describe,
    first_line,
    one_line,
)
from frontlines.ingest.feeds import read_feed
from frontlines.ingest.fetch import (
    Fetched,
    fetch,
    is_url,
    make_client,
    url_host,
    url_stem,
    url_suffix,
)
from frontlines.ingest.jsonl import read_jsonl
from frontlines.ingest.text import read_markdown, read_plain
from frontlines.ingest.web import read_html
from frontlines.models import Document, IngestFailure

logger = logging.getLogger(__name__)

READERS: dict[str, Reader] = {
    ".txt": read_plain,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".xml": read_feed,
    ".rss": read_feed,
    ".atom": read_feed,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
}

# Media types that say what the body is; generic ones (text/plain, XML) only break a tie after
# sniffing and the URL's extension have had their say, since servers label feeds and Markdown
# with them all the time.
MEDIA_TYPES: dict[str, Reader] = {
    "text/html": read_html,
    "application/xhtml+xml": read_html,
    "application/rss+xml": read_feed,
    "application/atom+xml": read_feed,
    "application/rdf+xml": read_feed,
    "text/markdown": read_markdown,
    "text/x-markdown": read_markdown,
    "application/x-ndjson": read_jsonl,
    "application/jsonl": read_jsonl,
    "application/x-jsonlines": read_jsonl,
}
GENERIC_MEDIA_TYPES: dict[str, Reader] = {
    "text/plain": read_plain,
    "text/xml": read_feed,
    "application/xml": read_feed,
    "application/octet-stream": read_plain,
}

_SNIFF_BYTES = 2048
_MARKUP = re.compile(rb"<(rss|feed|rdf:rdf|!doctype html|html)[\s>]", re.I)


def iter_documents(
    inputs: Sequence[str | os.PathLike[str]] | str,
    *,
    published: date | None = None,
    outlet: str | None = None,
    url: str | None = None,
    limits: IngestLimits = IngestLimits(),
    transport: httpx.BaseTransport | None = None,
) -> Iterator[Document | IngestFailure]:
    """Every document the inputs hold, in order, and a failure for each one that cannot be read.

    Nothing raises out of here for bad input: a run over a thousand files should not die on the
    hundredth. `published`, `outlet` and `url` describe documents whose own metadata does not
    (a plain-text article saved from a page): what a document says of itself wins.
    """
    for item in _iter_documents(inputs, published=published, limits=limits, transport=transport):
        if isinstance(item, Document) and (outlet and not item.source or url and not item.url):
            item = replace(item, source=item.source or outlet, url=item.url or url)
        yield item


def _iter_documents(
    inputs: Sequence[str | os.PathLike[str]] | str,
    *,
    published: date | None,
    limits: IngestLimits,
    transport: httpx.BaseTransport | None,
) -> Iterator[Document | IngestFailure]:
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    ctx = ReadContext(limits=limits, published=published)
    client: httpx.Client | None = None
    try:
        for item in inputs:
            name = os.fspath(item)
            if is_url(name):
                client = client or make_client(limits, transport)
                yield from _guarded(name, _read_url(name, client, ctx))
            else:
                yield from _guarded(name, _read_path(name, ctx))
    finally:
        if client is not None:
            client.close()


def read_text_document(
    text: str,
    *,
    id: str,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    published: date | None = None,
    limits: IngestLimits = IngestLimits(),
) -> Document:
    """A Document from text already in hand (an API request, a test), normalised like any file.

    Raises `IngestError` when the text is empty or too long.
    """
    src = Source(label=id, stem=id)
    ctx = ReadContext(limits=limits, published=published)
    return build_document(ctx, src, text, title=title or first_line(text), url=url, source=source)


def _guarded(label: str, items: Iterator[Item]) -> Iterator[Item]:
    """Turn whatever stops one input into a failure for that input, so the next one still runs."""
    try:
        yield from items
    except IngestError as exc:
        logger.info("%s: %s", label, exc)
        yield IngestFailure(label, one_line(str(exc)))
    except Exception as exc:  # the one catch-all: a reader bug must not end the whole run
        logger.error("%s: unexpected error", label, exc_info=True)
        yield IngestFailure(label, f"unexpected {describe(exc)}")


# --- files and folders ------------------------------------------------------------------------


def _read_path(name: str, ctx: ReadContext) -> Iterator[Item]:
    if not name.strip():
        raise InputNotFound("empty input name")  # Path("") would silently mean the current folder
    path = Path(name)
    if not path.is_dir():
        yield from _read_file(path, ctx)
        return
    files = list_readable_files(path)
    if not files:
        raise UnsupportedInput(f"no readable files (looked for {', '.join(READERS)})")
    for file in files:
        yield from _guarded(str(file), _read_file(file, ctx))


def list_readable_files(folder: Path) -> list[Path]:
    """Files under `folder` that a reader handles, sorted; hidden files and folders are left out."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=_log_walk_error):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(
            Path(dirpath, name)
            for name in filenames
            if not name.startswith(".") and Path(name).suffix.lower() in READERS
        )
    return sorted(found)


def _log_walk_error(exc: OSError) -> None:
    logger.warning("skipping unreadable folder %s: %s", exc.filename, exc.strerror)


def _read_file(path: Path, ctx: ReadContext) -> Iterator[Item]:
    if not path.exists():
        raise InputNotFound("no such file or directory")
    if not path.is_file():
        raise UnsupportedInput("not a regular file")
    reader = _reader_for_file(path)
    yield from reader(Source(label=str(path), stem=path.stem, path=path), ctx)


def _reader_for_file(path: Path) -> Reader:
    """By extension; a file without one is sniffed, and read as plain text if nothing else fits."""
    suffix = path.suffix.lower()
    if suffix in READERS:
        return READERS[suffix]
    if suffix:
        raise UnsupportedInput(f"unsupported file type {suffix!r} (readable: {', '.join(READERS)})")
    with Source(label=str(path), stem=path.stem, path=path).open() as handle:
        return sniff(handle.read(_SNIFF_BYTES)) or read_plain


# --- URLs -------------------------------------------------------------------------------------


def _read_url(url: str, client: httpx.Client, ctx: ReadContext) -> Iterator[Item]:
    page = fetch(client, url, ctx.limits)
    src = Source(
        label=url,
        stem=url_stem(page.url),
        url=page.url,
        body=page.body,
        charset=page.charset,
        outlet=url_host(page.url),
    )
    yield from reader_for_page(page)(src, ctx)


def reader_for_page(page: Fetched) -> Reader:
    """The media type if it is specific, else the content itself, else the URL's extension."""
    if page.media_type in MEDIA_TYPES:
        return MEDIA_TYPES[page.media_type]
    sniffed = sniff(page.body[:_SNIFF_BYTES])
    if sniffed:
        return sniffed
    suffix = url_suffix(page.url)
    if suffix in READERS:
        return READERS[suffix]
    media_type = page.media_type or "text/plain"
    if media_type in GENERIC_MEDIA_TYPES:
        return GENERIC_MEDIA_TYPES[media_type]
    if media_type.startswith("text/"):
        return read_plain
    raise UnsupportedInput(f"unsupported content type {media_type!r}")


def sniff(head: bytes) -> Reader | None:
    """A feed or an HTML page, told apart by whichever root-like tag comes first."""
    match = _MARKUP.search(head)
    if not match:
        return None
    return read_feed if match.group(1).lower() in (b"rss", b"feed", b"rdf:rdf") else read_html
