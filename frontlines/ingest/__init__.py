"""Ingest: files, folders and URLs in; `Document`s (or `IngestFailure`s saying why not) out.

    for item in iter_documents(["articles/", "https://example.org/feed.xml"]):
        if isinstance(item, IngestFailure):
            ...  # item.input, item.reason
        else:
            ...  # a Document; item.skip_reason is set when it is kept but not analysed

Readers are chosen by file extension (`READERS`) or, for URLs, by media type and content. The
exceptions behind every failure reason are listed in `frontlines.errors`.
"""

from frontlines.ingest.core import IngestLimits, normalise_text
from frontlines.ingest.fetch import USER_AGENT
from frontlines.ingest.pipeline import (
    MEDIA_TYPES,
    READERS,
    iter_documents,
    list_readable_files,
    read_text_document,
)

__all__ = [
    "MEDIA_TYPES",
    "READERS",
    "USER_AGENT",
    "IngestLimits",
    "iter_documents",
    "list_readable_files",
    "normalise_text",
    "read_text_document",
]
