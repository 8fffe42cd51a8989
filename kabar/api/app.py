"""The FastAPI application: JSON API under /api/v1 (and /api), HTML pages at the root.

Each worker thread has its own Store (see ``deps.get_store``), so the app is safe in
uvicorn's thread pool without sharing connections. Reads go through a response cache keyed
by the store's data version (``api.cache``); writes run the pipeline in a worker process
when asked to (``api.worker``), so that ingesting does not starve readers.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from kabar import __version__
from kabar.api import follows, pages, routes
from kabar.api.cache import ResponseCache, Warmer
from kabar.api.priority import MAX_WAIT, WriteGate, WritesFirst
from kabar.api.security import (
    DEFAULT_MAX_BODY,
    SECURITY_HEADERS,
    BodySizeLimitMiddleware,
    CrossOriginWriteMiddleware,
    SecurityHeadersMiddleware,
    browser_wants_html,
)
from kabar.api.worker import Ingester, IngestUnavailable
from kabar.config import load_settings
from kabar.errors import GroupingChanged
from kabar.follows.deliver import BACKOFF, Dispatcher
from kabar.ingest import scrub
from kabar.store import open_store

if TYPE_CHECKING:
    from kabar.stories import GroupingParams
    from kabar.watch import WatchConfig

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(
    db: str,
    api_key: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    ingest_processes: int = 0,
    cache_bytes: int = 64_000_000,
    watch: WatchConfig | None = None,
    on_watch_event: Callable[[Any], None] | None = None,
    grouping: GroupingParams | None = None,
    alert_backoff: Sequence[float] | None = None,
    write_first: float | None = None,
) -> FastAPI:
    """The kabar web app on the store at ``db`` (a path or ``sqlite:///`` URL).

    api_key: when set (default: the ``KABAR_API_KEY`` environment variable), writes (the
        ingest endpoints and the upload form) need it; reads stay open.
    max_body: largest request body in bytes; bigger uploads get 413 before being read.
    ingest_processes: 1 runs ingests in a worker process (what ``kabar serve`` does: the
        pipeline then holds neither the event loop nor the server's GIL); 0 runs them in
        the request's thread (tests, embedding).
    cache_bytes: memory for cached read answers (0 turns the cache off). Entries are
        dropped as soon as the store's data version changes, so they are never stale.
    watch: follow these sources in a background thread while the app runs (``kabar serve
        --watch``); fetched articles go through the same ingester as the API's writes.
        on_watch_event: called with each of its events (:class:`kabar.watch.poller.Event`).
    grouping: the story-grouping parameters ingests use (default: the configured ones,
        ``[grouping]`` of kabar.toml and ``KABAR_GROUPING_*``, as for ``kabar ingest``).
    alert_backoff: seconds between webhook retries of an alert (default
        :data:`kabar.follows.deliver.BACKOFF`); a thread delivers alerts after each ingest.
    write_first: seconds a read waits at most while the worker adds a posted article
        (:mod:`kabar.api.priority`; only with ``ingest_processes=1``); 0: reads never wait;
        None: :data:`kabar.api.priority.MAX_WAIT` (0.2, ``kabar serve --write-first``).
    """
    # Open once now: creates/migrates the database and fails fast on a bad location.
    open_store(db).close()
    # The cache's own connection: it only reads the data version, never writes.
    version_store = open_store(db) if cache_bytes > 0 else None
    if grouping is None:
        grouping = load_settings().grouping
    gate = WriteGate(max_wait=MAX_WAIT if write_first is None else write_first)
    ingester = Ingester(db, processes=ingest_processes, params=grouping, gate=gate)
    dispatcher = Dispatcher(
        lambda: open_store(db),
        backoff=BACKOFF if alert_backoff is None else alert_backoff,
        on_error=lambda exc: log.warning("alert delivery failed: %s", exc),
    )
    ingester.after = dispatcher.wake
    watcher = None
    if watch is not None:
        from kabar.watch.poller import BackgroundWatch

        watcher = BackgroundWatch(watch, lambda: open_store(db), ingester.ingest, on_watch_event)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        ingester.start()
        dispatcher.start()
        if watcher is not None:
            watcher.start()
        yield
        if watcher is not None:
            watcher.stop()
        ingester.close()
        dispatcher.stop()
        if version_store is not None:
            version_store.close()

    app = FastAPI(
        title="kabar",
        version=__version__,
        description="Scraped news articles in, dated stories out.",
        # Swagger UI and ReDoc load from a CDN and run inline scripts, both of which the CSP
        # (and the offline rule) forbid: /docs is our own server-rendered page instead.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.api_key = api_key if api_key is not None else os.environ.get("KABAR_API_KEY")
    app.state.max_body = max_body
    app.state.ingester = ingester
    app.state.dispatcher = dispatcher
    app.state.watcher = watcher
    app.state.warmer = warmer = Warmer()  # filled when the cache is
    if version_store is not None:
        app.add_middleware(
            ResponseCache,
            version=version_store.data_version,
            max_bytes=cache_bytes,
            warmer=warmer,
        )
    app.add_middleware(WritesFirst, gate=gate)  # outside the cache: its hits wait too
    app.add_middleware(BodySizeLimitMiddleware, max_body=max_body)
    app.add_middleware(CrossOriginWriteMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.include_router(routes.router, prefix="/api/v1")
    app.include_router(routes.router, prefix="/api", include_in_schema=False)
    app.include_router(follows.api_router, prefix="/api/v1")
    app.include_router(follows.api_router, prefix="/api", include_in_schema=False)
    app.include_router(pages.router)
    app.include_router(follows.page_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    def wants_html(request: Request) -> bool:
        return browser_wants_html(request.url.path, request.headers.get("accept", ""))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not wants_html(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        return pages.error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # The default handler echoes the input, which may hold a lone surrogate that no
        # encoder accepts (the 422 itself was a 500): report where and what, scrubbed.
        problems = [
            {
                "loc": [scrub(str(part)) for part in error.get("loc", ())],
                "msg": scrub(str(error.get("msg", ""))),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors()
        ]
        if wants_html(request):
            message = "; ".join(
                f"{'.'.join(p['loc'][1:]) or 'request'}: {p['msg']}" for p in problems
            )
            return pages.error_page(request, 422, message or "invalid request")
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(IngestUnavailable)
    async def ingest_unavailable(request: Request, exc: IngestUnavailable) -> Response:
        if wants_html(request):
            return pages.error_page(request, 503, str(exc))
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "1"})

    @app.exception_handler(GroupingChanged)
    async def grouping_changed(request: Request, exc: GroupingChanged) -> Response:
        # The articles are stored; their stories wait for `kabar regroup` (as in the CLI).
        message = f"articles stored, stories not updated: {exc}"
        if wants_html(request):
            return pages.error_page(request, 409, message)
        return JSONResponse({"detail": message}, status_code=409)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Runs outside the middleware stack, hence the explicit security headers.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if wants_html(request):
            page = pages.error_page(request, 500, "internal server error")
            page.headers.update(SECURITY_HEADERS)
            return page
        return JSONResponse(
            {"detail": "internal server error"}, status_code=500, headers=SECURITY_HEADERS
        )

    return app
