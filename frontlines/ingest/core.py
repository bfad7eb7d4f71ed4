"""What every reader shares: limits, the input being read, decoding, text normalisation, and the
one place a `Document` is built.

Readers differ only in how they find text and metadata; everything that decides what the final text
looks like lives here, because downstream character offsets index into exactly that text.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO, TypeAlias

import charset_normalizer
import py3langid

from frontlines.errors import BinaryInput, EmptyInput, IngestError, InputNotFound, InputTooLarge
from frontlines.models import Document, IngestFailure

logger = logging.getLogger(__name__)

MB = 1_000_000


@dataclass(frozen=True, slots=True)
class IngestLimits:
    """Bounds that keep one hostile or mistaken input from exhausting memory or time."""

    max_bytes: int = 20 * MB  # per file read whole, per fetched page, per JSON Lines record
    max_feed_entries: int = 5000
    fetch_timeout: float = 20.0  # seconds, for the whole fetch, not per network operation
    max_document_chars: int = 2_000_000


@dataclass(frozen=True, slots=True)
class Source:
    """One file or fetched page to read.

    Files are opened lazily so that JSON Lines can stream them; a fetched page arrives as `body`,
    already capped at `max_bytes` while it was downloaded.
    """

    label: str  # how failures name it: the path or URL
    stem: str  # the default document id
    path: Path | None = None
    url: str | None = None
    body: bytes | None = None
    charset: str | None = None  # declared by the server's Content-Type
    outlet: str | None = None  # the default `Document.source`, e.g. the host of a URL

    def open(self) -> BinaryIO:
        """Open for streaming; OS errors become one-line ingest errors."""
        if self.body is not None:
            return io.BytesIO(self.body)
        assert self.path is not None
        try:
            return self.path.open("rb")
        except OSError as exc:
            raise _read_error(exc) from None

    def read(self, max_bytes: int) -> bytes:
        """The whole content, refusing a file over `max_bytes` before reading any of it."""
        if self.body is not None:
            return self.body
        assert self.path is not None
        data = b""
        try:
            size = self.path.stat().st_size
            if size <= max_bytes:
                with self.path.open("rb") as handle:
                    data = handle.read(max_bytes + 1)
                size = len(data)  # the file may have grown since stat()
        except OSError as exc:
            raise _read_error(exc) from None
        if size > max_bytes:
            raise InputTooLarge(too_large(size, max_bytes))
        return data


def _read_error(exc: OSError) -> IngestError:
    if isinstance(exc, FileNotFoundError):
        return InputNotFound("no such file or directory")
    return IngestError(f"could not read: {exc.strerror or exc}")


@dataclass(frozen=True, slots=True)
class ReadContext:
    """What the caller decided for every input of one run."""

    limits: IngestLimits
    published: date | None = None  # used when the input itself carries no date


Item: TypeAlias = Document | IngestFailure
Reader: TypeAlias = Callable[[Source, ReadContext], Iterator[Item]]


def human_size(n: int) -> str:
    """MB reads well for real limits; tiny limits (tests) need bytes to stay meaningful."""
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 10_000:
        return f"{n / 1000:.0f} kB"
    return f"{n} bytes"


def one_line(text: str) -> str:
    """Failure reasons are shown one per line, whatever the exception behind them printed."""
    return " ".join(text.split())


def describe(exc: BaseException) -> str:
    """An exception as `Type: message` on one line; some (httpx's) carry no message at all."""
    message = one_line(str(exc))
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def too_large(size: int, limit: int) -> str:
    return f"too large: {human_size(size)} > {human_size(limit)} limit"


# --- decoding ---------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# frontlines analyses English; legacy English text is almost always Windows-1252 or Latin-1, and
# charset-normalizer often ranks an exotic code page equally well on short samples.
_PREFERRED_LEGACY = ("cp1252", "latin_1", "iso8859_15")
_MAX_CHAOS = 0.1  # charset-normalizer's mess ratio above which a guess is not trusted
BINARY_REASON = "binary file, not text"


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """Bytes to text: BOM, then UTF-8, then a declared charset, then a confident guess.

    UTF-8 comes before a declared charset because pages that declare Latin-1 but send valid UTF-8
    are common, and valid UTF-8 is almost never an accident.
    """
    if not data.strip():
        raise EmptyInput("empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise BinaryInput(f"{BINARY_REASON}: invalid {encoding.upper()}") from None
    if b"\x00" in data:
        raise BinaryInput(BINARY_REASON)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            logger.debug("declared charset %r does not decode the content", declared)
    return _guess_decode(data)


def _guess_decode(data: bytes) -> str:
    matches = [m for m in charset_normalizer.from_bytes(data) if m.chaos <= _MAX_CHAOS]
    if not matches:
        raise BinaryInput(f"{BINARY_REASON}: not UTF-8 and no text encoding fits")
    least = min(m.chaos for m in matches)
    best = [m for m in matches if m.chaos == least]
    chosen = next((m for enc in _PREFERRED_LEGACY for m in best if m.encoding == enc), best[0])
    logger.info("not UTF-8; decoded as %s", chosen.encoding)
    return str(chosen)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def declared_html_charset(data: bytes) -> str | None:
    """The charset a page names in its <meta> tag, which outranks guessing for non-UTF-8 pages."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


# --- text -------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.M)
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """The canonical form every offset downstream refers to.

    NFC so that the same word always has the same code points; one newline convention; no control
    characters (they break tokenisers and JSON consumers) except newline and tab; at most one blank
    line between paragraphs, which keeps paragraphs apart without padding the offsets.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()


def clean_line(value: object) -> str | None:
    """A title or outlet on one line, or None when there is nothing left of it."""
    if not isinstance(value, str):
        return None
    line = " ".join(normalise_text(value).split())
    return line or None


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")


def parse_iso_date(value: str) -> date:
    """A YYYY-MM-DD date, tolerating a time after it; ValueError otherwise."""
    match = _ISO_DATE.match(value.strip())
    try:
        if match:
            return date(*(int(part) for part in match.groups()))
    except ValueError:  # 2024-13-40: the right shape, not a calendar date
        pass
    raise ValueError(f"{value!r} is not a YYYY-MM-DD date")


# --- documents --------------------------------------------------------------------------------

_LANGUAGE_SAMPLE = 20_000  # characters; more adds time, not accuracy


def detect_language(text: str) -> str:
    language, _score = py3langid.classify(text[:_LANGUAGE_SAMPLE])
    return str(language)


def build_document(
    ctx: ReadContext,
    src: Source,
    text: str,
    *,
    id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    published: date | None = None,
) -> Document:
    """Normalise, check and label one text; the only place a reader's output becomes a Document.

    Fields the reader found win; the input's own (file stem, URL, host) and the run's publication
    date fill the gaps.
    """
    text = normalise_text(text)
    if not text:
        raise EmptyInput("empty")
    limit = ctx.limits.max_document_chars
    if len(text) > limit:
        raise InputTooLarge(f"too long: {len(text):,} characters > {limit:,} limit")
    language = detect_language(text)
    skip_reason = None if language == "en" else f"language is {language}, not English"
    return Document(
        id=id or src.stem,
        text=text,
        title=clean_line(title),
        url=url or src.url,
        path=str(src.path) if src.path is not None else None,
        source=clean_line(source) or src.outlet,
        published=published or ctx.published,
        language=language,
        skip_reason=skip_reason,
    )


def first_line(text: str, *, max_chars: int = 300) -> str | None:
    """The first non-empty line: the headline of a saved article; None if too long to be one."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= max_chars else None
    return None
