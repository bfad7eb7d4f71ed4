"""RSS and Atom feeds: every entry is an article of its own.

A feed is how outlets publish a running stream of reports, so one input yields many documents; a bad
entry is reported on its own (`FEED#N`) and the rest of the feed goes on.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

import feedparser

from frontlines.errors import BrokenFeed, EmptyInput, IngestError
from frontlines.ingest.core import Item, ReadContext, Source, build_document, one_line
from frontlines.ingest.web import html_to_text
from frontlines.models import Document, IngestFailure

logger = logging.getLogger(__name__)

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def read_feed(src: Source, ctx: ReadContext) -> Iterator[Item]:
    """One Document per entry, up to `max_feed_entries`; then one failure says what was left.

    A feed file larger than `max_bytes` is not read whole: its entries are cut out one at a time
    (`_stream_entries`), so a 1 GB archive feed is read in the memory of one entry.
    """
    if src.path is not None and src.body is None and _size(src) > ctx.limits.max_bytes:
        yield from _stream_feed(src, ctx)
        return
    data = src.read(ctx.limits.max_bytes)
    if not data.strip():
        raise EmptyInput("empty")
    yield from _read_feed_bytes(data, src, ctx)


def _size(src: Source) -> int:
    try:
        return src.path.stat().st_size if src.path else 0
    except OSError:
        return 0  # let the normal read report the error


def _read_feed_bytes(data: bytes, src: Source, ctx: ReadContext, first: int = 1,
                     outlet: str | None = None) -> Iterator[Item]:
    headers = {"content-location": src.url} if src.url else {}
    # A file object, never bytes or str: given a string, feedparser may treat it as a URL to fetch.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    entries = parsed.entries
    if not entries:
        if parsed.bozo:
            problem = one_line(str(parsed.get("bozo_exception", ""))) or "not a feed"
            raise BrokenFeed(f"broken feed: {problem}")
        raise BrokenFeed("no feed entries found")
    if parsed.bozo:
        logger.info("%s: feed is malformed (%s) but has entries", src.label, parsed.bozo_exception)
    outlet = outlet or parsed.feed.get("title")
    limit = ctx.limits.max_feed_entries
    for index, entry in enumerate(entries, first):
        if index > limit:
            reason = f"feed has {len(entries)} entries; only the first {limit} were read"
            yield IngestFailure(src.label, reason)
            return
        try:
            yield _entry_document(entry, index, src, ctx, outlet)
        except IngestError as exc:
            yield IngestFailure(f"{src.label}#{index}", str(exc))


_ENTRY_TAGS = ("item", "entry")
STREAM_CHUNK = 1 << 20


def _stream_feed(src: Source, ctx: ReadContext) -> Iterator[Item]:
    """Parse a huge feed entry by entry with lxml's incremental parser, clearing as it goes."""
    from lxml import etree

    count = 0
    outlet: str | None = None
    parser = etree.XMLPullParser(events=("end",), recover=True, huge_tree=False)
    with src.open() as handle:
        while chunk := handle.read(STREAM_CHUNK):
            parser.feed(chunk)
            for _, element in parser.read_events():
                name = etree.QName(element).localname if isinstance(element.tag, str) else ""
                if name == "title" and outlet is None and element.getparent() is not None \
                        and etree.QName(element.getparent()).localname in ("channel", "feed"):
                    outlet = (element.text or "").strip() or None
                if name not in _ENTRY_TAGS:
                    continue
                count += 1
                if count > ctx.limits.max_feed_entries:
                    yield IngestFailure(src.label, f"feed has more than {ctx.limits.max_feed_entries} "
                                        f"entries; only the first {ctx.limits.max_feed_entries} were read")
                    return
                # Each entry alone is a tiny feed of its own, read by the same code as a whole one.
                wrapper = b"<rss version='2.0'><channel>" + etree.tostring(element) + b"</channel></rss>" \
                    if name == "item" else (b"<feed xmlns='http://www.w3.org/2005/Atom'>"
                                            + etree.tostring(element) + b"</feed>")
                yield from _read_feed_bytes(wrapper, src, ctx, first=count, outlet=outlet)
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    if count == 0:
        raise BrokenFeed("no feed entries found")


def _entry_document(
    entry: Any, index: int, src: Source, ctx: ReadContext, outlet: str | None
) -> Document:
    text = _entry_text(entry)
    if not text.strip():
        raise EmptyInput("feed entry has no text")
    link = entry.get("link") or None
    entry_source = entry.get("source") or {}
    return build_document(
        ctx,
        src,
        text,
        id=entry.get("id") or link or f"{src.stem}:{index}",
        title=_detail_text(entry.get("title_detail"), entry.get("title")),
        url=link,
        source=entry_source.get("title") or outlet,
        published=_entry_date(entry),
    )


def _entry_text(entry: Any) -> str:
    """The fullest text the entry carries: full content when present, the summary otherwise."""
    candidates = [*entry.get("content", []), entry.get("summary_detail")]
    texts = [_detail_text(detail, None) for detail in candidates if detail]
    return max(texts, key=len, default="")


def _detail_text(detail: Any, fallback: str | None) -> str:
    if not detail:
        return fallback or ""
    value = detail.get("value") or ""
    return html_to_text(value) if detail.get("type") in _HTML_TYPES else value


def _entry_date(entry: Any) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    except ValueError:
        return None
