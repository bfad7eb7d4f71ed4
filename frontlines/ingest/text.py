"""Plain text and Markdown articles.

Markdown is how captured articles are usually saved (the seed corpus among them): body paragraphs
interleaved with image lines and, sometimes, a front-matter block naming the title, date and outlet.
Only the body paragraphs are text; the rest is metadata or noise.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date

from frontlines.errors import InvalidRecord
from frontlines.ingest.core import (
    Item,
    ReadContext,
    Source,
    build_document,
    decode_bytes,
    first_line,
    parse_iso_date,
)

logger = logging.getLogger(__name__)


def read_plain(src: Source, ctx: ReadContext) -> Iterator[Item]:
    """A text file as it is; its first line is taken as the headline, as in saved articles."""
    text = decode_bytes(src.read(ctx.limits.max_bytes), declared=src.charset)
    yield build_document(ctx, src, text, title=first_line(text))


def read_markdown(src: Source, ctx: ReadContext) -> Iterator[Item]:
    """A Markdown article: front matter is metadata, image lines go, markup is unwrapped."""
    raw = decode_bytes(src.read(ctx.limits.max_bytes), declared=src.charset)
    meta, body = split_front_matter(raw)
    text = markdown_to_text(body)
    yield build_document(
        ctx,
        src,
        text,
        title=meta.get("title") or first_line(text),
        url=meta.get("url"),
        source=meta.get("outlet") or meta.get("source"),
        published=_front_matter_date(meta),
    )


# --- front matter -----------------------------------------------------------------------------

_FENCE = "---"
_FENCE_ENDS = ("---", "...")
_KEY_VALUE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Key/value pairs from a leading `---` block, and the text after it.

    Only flat `key: value` lines are understood: that is all an article needs, and it spares a YAML
    dependency. A block that never closes is not front matter, so the text is returned whole.
    """
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != _FENCE:
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() in _FENCE_ENDS:
            break
    else:
        return {}, text
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        match = _KEY_VALUE.match(line)
        if match:
            meta[match.group(1).lower()] = _unquote(match.group(2))
        elif line.strip():
            logger.debug("front matter line not understood: %r", line)
    return meta, "\n".join(lines[end + 1 :])


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _front_matter_date(meta: dict[str, str]) -> date | None:
    """A wrong date the author wrote is an error to report, not one to replace with a guess."""
    value = meta.get("published")
    if not value:
        return None
    try:
        return parse_iso_date(value)
    except ValueError as exc:
        raise InvalidRecord(f"front matter published: {exc}") from None


# --- Markdown to text -------------------------------------------------------------------------

_IMAGE = r"!\[[^\]\n]*\]\([^)\n]*\)"
_IMAGE_TOKEN = re.compile(rf"\[{_IMAGE}\]\([^)\n]*\)|{_IMAGE}|<img\b[^>\n]*>", re.I)
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_RULE = re.compile(r"^\s{0,3}([-*_=])(?:\s*\1){2,}\s*$")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def markdown_to_text(body: str) -> str:
    """Body text only: images and rules dropped, headings, quotes, links and bold unwrapped.

    Image lines go entirely, captions in their alt text included, because they are not sentences of
    the article and would otherwise be parsed as if they were.
    """
    out: list[str] = []
    for line in body.split("\n"):
        if _RULE.match(line):
            continue
        had_image = _IMAGE_TOKEN.search(line) is not None
        line = _IMAGE_TOKEN.sub("", line)
        if had_image and not line.strip():
            continue
        out.append(_unwrap_inline(line))
    return "\n".join(out)


def _unwrap_inline(line: str) -> str:
    heading = _HEADING.match(line)
    if heading:
        line = heading.group(1)
    line = _QUOTE.sub("", line)
    line = _LINK.sub(r"\1", line)
    return _STRONG.sub(r"\2", line)
