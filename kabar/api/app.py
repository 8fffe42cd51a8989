"""The FastAPI application: JSON API under /api/v1 (and /api), HTML pages at the root.

Each request opens its own Store (cheap for SQLite), so the app is safe in uvicorn's
thread pool without sharing connections.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from kabar import __version__
from kabar.api import pages, routes
from kabar.api.security import (
    DEFAULT_MAX_BODY,
    SECURITY_HEADERS,
    BodySizeLimitMiddleware,
    SecurityHeadersMiddleware,
)
from kabar.store import open_store

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(db: str, api_key: str | None = None, max_body: int = DEFAULT_MAX_BODY) -> FastAPI:
    """The kabar web app on the store at ``db`` (a path or ``sqlite:///`` URL).

    api_key: when set (default: the ``KABAR_API_KEY`` environment variable), writes (the
        ingest endpoints and the upload form) need it; reads stay open.
    max_body: largest request body in bytes; bigger uploads get 413 before being read.
    """
    # Open once now: creates/migrates the database and fails fast on a bad location.
    open_store(db).close()

    app = FastAPI(
        title="kabar",
        version=__version__,
        description="Scraped news articles in, dated stories out.",
        # Swagger UI and ReDoc load from a CDN and run inline scripts, both of which the CSP
        # (and the offline rule) forbid: /docs is our own server-rendered page instead.
        docs_url=None,
        redoc_url=None,
    )
    app.state.db = db
    app.state.api_key = api_key if api_key is not None else os.environ.get("KABAR_API_KEY")
    app.state.max_body = max_body
    app.state.ingest_lock = threading.Lock()
    app.add_middleware(BodySizeLimitMiddleware, max_body=max_body)
    app.add_middleware(SecurityHeadersMiddleware)
    app.include_router(routes.router, prefix="/api/v1")
    app.include_router(routes.router, prefix="/api", include_in_schema=False)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        return pages.error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Runs outside the middleware stack, hence the explicit security headers.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {"detail": "internal server error"}, status_code=500, headers=SECURITY_HEADERS
        )

    return app
