"""HTML: whole web pages through trafilatura, small fragments (feed entries) through lxml.

A saved news page is mostly navigation, adverts and related links; trafilatura finds the article
in it. A feed entry's HTML is already just the article (or its summary), where trafilatura's
boilerplate heuristics would throw short texts away, so fragments are flattened directly.
"""

from __future__ import annotations

import html as html_entities
import logging
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from frontlines.errors import NoArticleText
from frontlines.ingest.core import (
    Item,
    ReadContext,
    Source,
    build_document,
    declared_html_charset,
    decode_bytes,
    parse_iso_date,
)

logger = logging.getLogger(__name__)


def read_html(src: Source, ctx: ReadContext) -> Iterator[Item]:
    """A web page's article text and metadata (title, date, site name, canonical URL), offline."""
    data = src.read(ctx.limits.max_bytes)
    page = decode_bytes(data, declared=src.charset or declared_html_charset(data))
    found = _extract(page, src.url)
    text = found.get("text")
    if not isinstance(text, str) or not text.strip():
        raise NoArticleText("no article text found")
    yield build_document(
        ctx,
        src,
        text,
        title=found.get("title"),
        # a fetched page's own address beats the canonical link it claims
        url=src.url or found.get("url"),
        source=found.get("sitename"),
        published=_lenient_date(found.get("date")),
    )


def _extract(page: str, url: str | None) -> dict[str, Any]:
    """trafilatura's article text and metadata; reader comments are not the article."""
    result = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False)
    if result is None:
        return {}
    return result if isinstance(result, dict) else result.as_dict()


def _lenient_date(value: object) -> date | None:
    """Dates extracted from pages are guesses; a malformed one is dropped, not an error."""
    if not isinstance(value, str):
        return None
    try:
        return parse_iso_date(value)
    except ValueError:
        logger.debug("ignoring unparseable page date %r", value)
        return None


# --- fragments --------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
        *("hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td"),
        *("th", "thead", "tr", "ul"),
    }
)
_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "head"})
_SPACES = re.compile(r"\s+")


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, one block element per line.

    Walks the tree iteratively so that pathologically nested markup cannot exhaust the stack.
    """
    if not fragment.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError) as exc:
        logger.debug("fragment did not parse (%s); stripping tags by pattern", exc)
        return _strip_tags(fragment)
    parts: list[str] = []
    dropped = 0  # depth inside elements whose text is never visible
    events = ("start", "end", "comment", "pi")
    for event, element in etree.iterwalk(root, events=events):
        tag = element.tag if isinstance(element.tag, str) else None  # None: comment, PI
        if tag is None:
            if not dropped and element.tail:
                parts.append(_SPACES.sub(" ", element.tail))
        elif event == "start":
            dropped += tag in _DROP_TAGS
            if dropped:
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if element.text:
                parts.append(_SPACES.sub(" ", element.text))
        else:
            dropped -= tag in _DROP_TAGS
            if dropped:
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if element is not root and element.tail:
                parts.append(_SPACES.sub(" ", element.tail))
    return _join_lines("".join(parts))


def _strip_tags(fragment: str) -> str:
    text = re.sub(r"<(?:br|/p|/div|/li|/h\d)\b[^>]*>", "\n", fragment, flags=re.I)
    text = html_entities.unescape(re.sub(r"<[^>]*>", " ", text))
    return _join_lines(text)


def _join_lines(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
