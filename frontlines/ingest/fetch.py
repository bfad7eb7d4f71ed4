"""Fetching web pages and feeds, bounded in size and time.

The transport is injectable so that tests (and callers with their own proxies or caches) never need
the network; every way a fetch can go wrong becomes a one-line `FetchError` or `InputTooLarge`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import httpx

from frontlines.errors import FetchError, FetchTimeout, HTTPStatusError, InputTooLarge
from frontlines.ingest.core import IngestLimits, describe, human_size, too_large

logger = logging.getLogger(__name__)

USER_AGENT = "frontlines/0.1"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A downloaded body and what the server said about it."""

    url: str  # after redirects
    body: bytes
    media_type: str | None  # "text/html", lower case, without parameters
    charset: str | None


def is_url(name: str) -> bool:
    return name[:8].lower().startswith(("http://", "https://"))


def make_client(limits: IngestLimits, transport: httpx.BaseTransport | None) -> httpx.Client:
    return httpx.Client(
        transport=transport,
        timeout=limits.fetch_timeout,
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
    )


def fetch(client: httpx.Client, url: str, limits: IngestLimits) -> Fetched:
    """GET a URL, streaming the body so that an oversized page is refused without downloading it.

    httpx's timeout bounds each network operation; a server that trickles bytes could still take
    forever, so the whole download is also held to `fetch_timeout`.
    """
    deadline = time.monotonic() + limits.fetch_timeout
    try:
        with client.stream("GET", url) as response:
            _check_response(response, limits)
            body = _read_capped(response, limits, deadline)
            media_type, charset = _content_type(response)
            return Fetched(str(response.url), body, media_type, charset)
    except httpx.TimeoutException:
        raise FetchTimeout(_timed_out(limits)) from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(f"could not fetch: {describe(exc)}") from None


def _check_response(response: httpx.Response, limits: IngestLimits) -> None:
    if not response.is_success:
        raise HTTPStatusError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise InputTooLarge(too_large(int(declared), limits.max_bytes))


def _read_capped(response: httpx.Response, limits: IngestLimits, deadline: float) -> bytes:
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > limits.max_bytes:
            raise InputTooLarge(f"too large: over the {human_size(limits.max_bytes)} limit")
        if time.monotonic() > deadline:
            raise FetchTimeout(_timed_out(limits))
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(response: httpx.Response) -> tuple[str | None, str | None]:
    header = response.headers.get("content-type")
    if not header:
        return None, None
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type.strip().lower() or None, charset


def _timed_out(limits: IngestLimits) -> str:
    return f"could not fetch: timed out after {limits.fetch_timeout:g} s"


def url_stem(url: str) -> str:
    """A document id for a page: its last path segment without extension, else its host."""
    parts = urlsplit(url)
    stem = PurePosixPath(unquote(parts.path)).stem
    return stem or parts.hostname or url


def url_suffix(url: str) -> str:
    """The URL path's extension, lower case: the format hint of last resort."""
    return PurePosixPath(urlsplit(url).path).suffix.lower()


def url_host(url: str) -> str | None:
    return urlsplit(url).hostname
