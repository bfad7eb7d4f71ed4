"""`create_app`: the FastAPI application behind `frontlines serve`.

Read-only unless started with a token: the write endpoint (`POST /api/ingest`) is not merely
refused without one, it is not routed at all, so it cannot be reached by a missing check.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import metadata, resources
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from frontlines.store import open_store
from frontlines.web.api import router as read_router
from frontlines.web.ingest import ingest_router
from frontlines.web.security import SecurityHeaders

STATIC_DIR = Path(str(resources.files("frontlines.web").joinpath("static")))
MIN_TOKEN_CHARS = 16
ECHOED_INPUT_CHARS = 80


def _version() -> str:
    try:
        return metadata.version("frontlines")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0"


def create_app(db: str, *, token: str | None = None,
               transport: httpx.BaseTransport | None = None) -> FastAPI:
    """The application over the store at `db` (a SQLite path or a database URL).

    `token` turns on the write endpoint; `transport` replaces the network for URL ingests (tests).
    """
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise ValueError(f"the token must be at least {MIN_TOKEN_CHARS} characters long")
    store = open_store(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="frontlines", version=_version(), lifespan=lifespan,
        description="Conflict events extracted from news, each traceable to its sentence.",
        # FastAPI's own /docs pulls Swagger UI from a CDN with an inline script; ours is bundled.
        docs_url=None, redoc_url=None,
    )
    app.state.store = store
    app.state.writable = token is not None
    app.include_router(read_router)
    if token is not None:
        app.include_router(ingest_router(token, transport))

    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC_DIR / "docs.html")

    # Starlette runs the last middleware added first: the headers wrap compressed answers too.
    # Level 5, not Starlette's 9: nearly as small, and several times faster on a 5 MB page of
    # events or the 1.4 MB of country shapes, which loopback does not need squeezed hard.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_middleware(SecurityHeaders)
    return app


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with one readable sentence (`detail`) as well as FastAPI's structured `errors`."""
    errors = jsonable_encoder(exc.errors())
    for error in errors:
        # The input is echoed to say what was refused, never at length: an over-long filter
        # must not come back whole.
        if isinstance(error.get("input"), str) and len(error["input"]) > ECHOED_INPUT_CHARS:
            error["input"] = error["input"][:ECHOED_INPUT_CHARS] + "…"
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
    return JSONResponse({"detail": "; ".join(parts) or "invalid request", "errors": errors},
                        status_code=422)
