"""POST /api/ingest: analyse and store a URL or an uploaded file. Mounted only when a token is set.

The same library calls as `frontlines ingest`: `iter_documents`, `analyze`, `Store.save`. An upload
is written to a private temporary folder under a name made here (never the client's), read by the
reader its extension selects, and the folder is removed before the answer goes out.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path, PurePath
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile, status
from fastapi.responses import JSONResponse

from frontlines.ingest import READERS, IngestLimits, iter_documents
from frontlines.models import Analysis, Document, IngestFailure
from frontlines.store import Store
from frontlines.web.api import get_store
from frontlines.web.security import bearer_token_check

_SAFE_STEM = re.compile(r"[^A-Za-z0-9._-]+")


def ingest_router(token: str, transport: httpx.BaseTransport | None = None) -> APIRouter:
    """The write endpoints, each behind the bearer token. `transport` lets tests fake the web."""
    router = APIRouter(prefix="/api", tags=["write"], dependencies=[Depends(bearer_token_check(token))])
    limits = IngestLimits()

    @router.post("/ingest", summary="Analyse and store an article from a URL or an uploaded file",
                 responses={401: {"description": "No bearer token"},
                            403: {"description": "Wrong token"}})
    def ingest(
        request: Request,
        url: Annotated[str | None, Form(max_length=2000, description="An http(s) URL to fetch.")] = None,
        file: Annotated[UploadFile | None, File(description=f"A file: {', '.join(READERS)}.")] = None,
        published: Annotated[date | None, Form(description="Publication date when the input has "
                                               "none (YYYY-MM-DD).")] = None,
    ) -> JSONResponse:
        store: Store = get_store(request)
        if (url is None) == (file is None):
            raise _unprocessable("send exactly one of the form fields url and file")
        if url is not None:
            if not re.match(r"^https?://", url, re.I):
                raise _unprocessable("url must start with http:// or https://")
            items = list(iter_documents([url], published=published, limits=limits, transport=transport))
            return _answer(_store_all(store, items, label=url))
        assert file is not None
        name = PurePath(file.filename or "upload.txt").name
        suffix = PurePath(name).suffix.lower()
        if suffix not in READERS:
            raise _unprocessable(f"unsupported file type {suffix or '(none)'!r}; "
                                 f"readable: {', '.join(READERS)}")
        data = file.file.read(limits.max_bytes + 1)
        if len(data) > limits.max_bytes:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE,
                                f"the file is larger than {limits.max_bytes:,} bytes")
        stem = _SAFE_STEM.sub("-", PurePath(name).stem).strip(".-")[:80] or "upload"
        with tempfile.TemporaryDirectory(prefix="frontlines-upload-") as folder:
            path = Path(folder) / f"{stem}{suffix}"
            path.write_bytes(data)
            items = list(iter_documents([path], published=published, limits=limits))
            for item in items:
                if isinstance(item, Document):
                    item.path = None  # the temporary copy is gone once this returns
        return _answer(_store_all(store, items, label=name))

    return router


def _answer(outcome: dict[str, Any]) -> JSONResponse:
    """200 when anything was stored or found stored before; 422 naming the reasons when nothing was."""
    if not outcome["documents"]:
        reasons = "; ".join(f"{f['input']}: {f['reason']}" for f in outcome["failures"])
        raise _unprocessable(reasons or "the input holds no document")
    return JSONResponse(outcome)


def _unprocessable(message: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, message)


def _store_all(store: Store, items: list[Document | IngestFailure], *, label: str) -> dict[str, Any]:
    from frontlines.pipeline import analyze  # spaCy loads on the first write, not at start-up

    # A failure names the input as the client gave it, never the server's temporary path.
    failures = [{"input": label, "reason": i.reason} for i in items if isinstance(i, IngestFailure)]
    documents: list[dict[str, Any]] = []
    for doc in (i for i in items if isinstance(i, Document)):
        # Text stored before is not analysed again; saving an empty analysis of it only looks up
        # its id (`save` checks the text's sha256 first and writes nothing).
        analysis = Analysis(document=doc) if store.has_document(doc.sha256) else analyze(doc)
        result = store.save(analysis)
        documents.append({"id": result.document_id, "title": doc.title, "created": result.created,
                          "events": len(analysis.events) if result.created else None,
                          "skip_reason": doc.skip_reason})
    return {"documents": documents, "failures": failures}
