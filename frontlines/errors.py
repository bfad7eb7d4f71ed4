"""Every exception frontlines raises on purpose, in one place.

Callers that only care whether something went wrong catch `FrontlinesError`. The ingest stage
never lets its errors escape `iter_documents`: each becomes an `IngestFailure` whose reason is
`str(error)`, so every message here is written to be read by a user as a single line.

    FrontlinesError
    └── IngestError                 an input could not be turned into a Document
        ├── InputNotFound           no such file or directory
        ├── UnsupportedInput        a file type or content type no reader handles
        ├── EmptyInput              nothing to read
        ├── BinaryInput             bytes that are not text (NUL bytes, no text encoding fits)
        ├── InputTooLarge           over `IngestLimits.max_bytes` or `max_document_chars`
        ├── InvalidRecord           a JSON Lines record or front matter that breaks its format
        ├── NoArticleText           an HTML page with no article in it
        ├── BrokenFeed              an RSS/Atom feed that cannot be parsed
        └── FetchError              a URL that could not be fetched
            ├── FetchTimeout        ... within `IngestLimits.fetch_timeout`
            └── HTTPStatusError     ... because the server answered with an error status
    └── ModelError                  the event model is missing, or was built with other libraries
"""

from __future__ import annotations


class FrontlinesError(Exception):
    """Base of every error frontlines raises deliberately."""


class ModelError(FrontlinesError):
    """The event model is missing or was trained with another version of scikit-learn."""


class IngestError(FrontlinesError):
    """An input could not be read; the message is the one-line reason shown to the user."""


class InputNotFound(IngestError):
    pass


class UnsupportedInput(IngestError):
    pass


class EmptyInput(IngestError):
    pass


class BinaryInput(IngestError):
    pass


class InputTooLarge(IngestError):
    pass


class InvalidRecord(IngestError):
    pass


class NoArticleText(IngestError):
    pass


class BrokenFeed(IngestError):
    pass


class FetchError(IngestError):
    pass


class FetchTimeout(FetchError):
    pass


class HTTPStatusError(FetchError):
    pass


__all__ = [
    "BinaryInput",
    "BrokenFeed",
    "EmptyInput",
    "FetchError",
    "FetchTimeout",
    "FrontlinesError",
    "HTTPStatusError",
    "IngestError",
    "InputNotFound",
    "InputTooLarge",
    "InvalidRecord",
    "NoArticleText",
    "UnsupportedInput",
]
