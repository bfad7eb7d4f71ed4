"""JSON Lines: one article per line, as exported by scrapers and news APIs.

Such exports can run to gigabytes, so the file is streamed one line at a time and only each record
is bounded (by `max_bytes`), not the file. A bad line is reported as `FILE:LINE` and the rest of the
file goes on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

from frontlines.errors import BinaryInput, EmptyInput, IngestError, InvalidRecord
from frontlines.ingest.core import (
    BINARY_REASON,
    Item,
    ReadContext,
    Source,
    build_document,
    human_size,
    parse_iso_date,
)
from frontlines.models import Document, IngestFailure

logger = logging.getLogger(__name__)

_SNIFF_BYTES = 8192
_TEXT_FIELDS = ("title", "url", "outlet", "source")


def read_jsonl(src: Source, ctx: ReadContext) -> Iterator[Item]:
    """One Document per line that holds a JSON object with a non-empty "text"."""
    limit = ctx.limits.max_bytes
    records = 0
    with src.open() as handle:
        if b"\x00" in handle.read(_SNIFF_BYTES):
            raise BinaryInput(BINARY_REASON)
        handle.seek(0)
        for lineno, raw in _bounded_lines(handle, limit):
            if raw is not None and not raw.strip():
                continue
            records += 1
            label = f"{src.label}:{lineno}"
            if raw is None:
                yield IngestFailure(label, f"too large: record over {human_size(limit)} limit")
                continue
            try:
                yield _record_document(raw, lineno, src, ctx)
            except IngestError as exc:
                yield IngestFailure(label, str(exc))
    if not records:
        raise EmptyInput("empty")


def _bounded_lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; None stands for a line over `limit`, skipped without holding it in memory."""
    lineno = 0
    while line := handle.readline(limit + 1):
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(limit)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
        else:
            yield lineno, line


def _record_document(raw: bytes, lineno: int, src: Source, ctx: ReadContext) -> Document:
    record = _parse_record(raw, first=lineno == 1)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InvalidRecord('"text" is missing or not a non-empty string')
    fields = {key: _optional_str(record, key) for key in _TEXT_FIELDS}
    return build_document(
        ctx,
        src,
        text,
        id=_record_id(record) or f"{src.stem}:{lineno}",
        title=fields["title"],
        url=fields["url"],
        source=fields["outlet"] or fields["source"],
        published=_record_date(record),
    )


def _parse_record(raw: bytes, *, first: bool) -> dict[str, Any]:
    try:
        line = raw.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError:
        raise InvalidRecord("not valid UTF-8 (JSON Lines must be UTF-8)") from None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        message = exc.msg.removesuffix(" at")
        raise InvalidRecord(f"invalid JSON at column {exc.colno}: {message}") from None
    except (ValueError, RecursionError) as exc:  # huge integers, absurd nesting
        raise InvalidRecord(f"invalid JSON: {exc}") from None
    if not isinstance(record, dict):
        raise InvalidRecord(f"expected a JSON object, got {type(record).__name__}")
    return record


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidRecord(f'"{key}" must be a string')
    return value


def _record_id(record: dict[str, Any]) -> str | None:
    value = record.get("id")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidRecord('"id" must be a string or an integer')
    return str(value)


def _record_date(record: dict[str, Any]) -> date | None:
    value = record.get("published")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidRecord('"published" must be a YYYY-MM-DD string')
    try:
        return parse_iso_date(value)
    except ValueError as exc:
        raise InvalidRecord(f'"published": {exc}') from None
