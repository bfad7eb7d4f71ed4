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
    """One Document per entry, up to `max_feed_entries`; then one failure says what was left."""
    data = src.read(ctx.limits.max_bytes)
    if not data.strip():
        raise EmptyInput("empty")
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
    outlet = parsed.feed.get("title")
    limit = ctx.limits.max_feed_entries
    for index, entry in enumerate(entries, 1):
        if index > limit:
            reason = f"feed has {len(entries)} entries; only the first {limit} were read"
            yield IngestFailure(src.label, reason)
            return
        try:
            yield _entry_document(entry, index, src, ctx, outlet)
        except IngestError as exc:
            yield IngestFailure(f"{src.label}#{index}", str(exc))


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
