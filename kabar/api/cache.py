"""A response cache for the read endpoints, keyed by the store's data version.

Every read page and JSON answer is a pure function of (path, query string, stored data):
no template reads the request headers, no answer depends on the time of day. So a
``GET`` answer can be reused verbatim until the next committed write, which the store's
:meth:`~kabar.store.Store.data_version` token reveals for a few microseconds (SQLite:
``PRAGMA data_version``). A hit skips routing, validation, the thread pool, the queries
and the template: about a millisecond of Python instead of 10-30 ms.

Never stale: the token is read BEFORE the answer is computed and entries are only looked
up under the current token, so an answer computed from older data than a committed write
can never be served after that write. Every cacheable answer carries a content-hash
``ETag`` and ``Cache-Control: no-cache`` (browsers revalidate each time), and a matching
``If-None-Match`` gets ``304 Not Modified`` without a body.

Hand-written rather than a library because the invalidation rule (a database token read
per request) is the whole point and the generic ASGI caches key on time-to-live instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

HIT = b"hit"
MISS = b"miss"
_DROPPED = {b"content-length", b"etag", b"cache-control", b"x-kabar-cache", b"set-cookie"}


@dataclass(frozen=True)
class _Entry:
    status: int
    headers: list[tuple[bytes, bytes]]  # without the ones we set ourselves (_DROPPED)
    body: bytes
    etag: bytes


class ResponseCache:
    """ASGI middleware: serve repeated ``GET`` answers from memory until the data changes.

    app: the wrapped ASGI app.
    version: returns the current data token (``Store.data_version``), or None to bypass
        the cache (unknown backend or an error reading the token). Called on the event loop
        for every cacheable request, so it must be cheap and never block for long.
    max_bytes: memory bound for the bodies held (least recently used go first); entries of
        an older token are dropped as soon as the token changes.
    max_entry_bytes: larger answers are passed through uncached; default a quarter of
        ``max_bytes``. A fixed 2 MB let the page of a story of 2,000 members (7 MB, about
        0.3 s to render) be rendered again for every reader between two writes, which
        took seconds with a few readers (bench/live.py).
    exclude: path prefixes never cached (static files have their own ETag; downloads).
    warmer: the app's :class:`Warmer`, given this cache to fill.
    """

    def __init__(
        self,
        app: ASGIApp,
        version: Callable[[], str | None],
        max_bytes: int = 64_000_000,
        max_entry_bytes: int | None = None,
        exclude: tuple[str, ...] = ("/static", "/export"),
        warmer: Warmer | None = None,
    ) -> None:
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_bytes // 4 if max_entry_bytes is None else max_entry_bytes
        self.exclude = exclude
        self._token: str | None = None
        # Keyed by the Host header too: an answer may name the server as the client
        # addressed it (the follows' Atom feeds hold absolute links, request.base_url).
        self._entries: OrderedDict[tuple[bytes, str, bytes], _Entry] = OrderedDict()
        self._size = 0
        # Single flight: while one request computes an answer, the same request arriving
        # meanwhile under the same token waits for it instead of computing it again (after
        # each write, every reader misses at once). One computing under an older token is
        # not waited for: its answer predates a write the request may have to see (a post
        # reading its own article waited for a reader's render of the page before it).
        self._pending: dict[tuple[str, bytes, str, bytes], asyncio.Event] = {}
        self.hits = 0
        self.misses = 0
        if warmer is not None:
            warmer.cache = self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"].startswith(self.exclude)
        ):
            await self.app(scope, receive, send)
            return
        token = self._current_token()
        if token is None:
            await self.app(scope, receive, send)
            return
        key = (_host(scope), scope["path"], scope.get("query_string", b""))
        entry = self._entries.get(key)
        while entry is None and (token, *key) in self._pending:
            # A write landing while we waited leaves no entry: then the first waiter to
            # run computes and the others wait for it again (they computed at once: three
            # 0.4 s renders of a big story page side by side, bench/live.py).
            await self._pending[(token, *key)].wait()
            token = self._current_token()
            if token is None:
                await self.app(scope, receive, send)
                return
            entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            self.hits += 1
            await self._send(scope, send, entry, HIT)
            return
        self.misses += 1
        flight = (token, *key)
        done = self._pending.setdefault(flight, asyncio.Event())
        try:
            await self._compute(scope, receive, send, key, token)
        finally:
            if self._pending.get(flight) is done:
                del self._pending[flight]
            done.set()

    async def warm(self, scope: Scope, path: str) -> bytes | None:
        """``GET path`` computed and kept now, unless kept already (:class:`Warmer`); its
        body when 200, else None. Nothing is computed when there is no token (nothing
        could be kept).

        scope: the request on whose behalf (its app, server and client are reused)."""
        if self._current_token() is None:
            return None
        request: Scope = {key: scope[key] for key in _SCOPE_KEYS if key in scope}
        host = [(b"host", _host(scope))] if _host(scope) else []  # answered as read back
        request.update(
            method="GET", path=path, raw_path=path.encode(), query_string=b"", headers=host
        )
        status = 0
        chunks: list[bytes] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self(request, receive, send)
        return b"".join(chunks) if status == 200 else None

    def _current_token(self) -> str | None:
        """The data token; switching to a new one drops every entry of the old one."""
        try:
            token = self.version()
        except Exception:  # an unreadable token only disables caching for this request
            log.warning("data version unavailable; serving uncached", exc_info=True)
            return None
        if token != self._token:
            self._token = token
            self._entries.clear()
            self._size = 0
        return token

    async def _compute(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[bytes, str, bytes], token: str
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passthrough = False  # too big to hold: stream it on as it comes

        async def capture(message: Message) -> None:
            nonlocal start, size, passthrough
            if passthrough:
                await send(message)
            elif message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > self.max_entry_bytes and start is not None:
                    passthrough = True
                    await send(start)
                    await send({**message, "body": b"".join(chunks)})
                    chunks.clear()
            else:
                await send(message)

        await self.app(scope, receive, capture)
        if passthrough or start is None:
            return
        body = b"".join(chunks)
        headers = list(start.get("headers", []))
        status = int(start["status"])
        if status != 200 or any(k.lower() == b"set-cookie" for k, _v in headers):
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        entry = _Entry(
            status=status,
            headers=[(k, v) for k, v in headers if k.lower() not in _DROPPED],
            body=body,
            etag=b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"',
        )
        if token == self._token:  # not a token the cache has already moved past
            self._store(key, entry)
        await self._send(scope, send, entry, MISS)

    def _store(self, key: tuple[bytes, str, bytes], entry: _Entry) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._size -= len(old.body)
        self._entries[key] = entry
        self._size += len(entry.body)
        while self._size > self.max_bytes and self._entries:
            _key, evicted = self._entries.popitem(last=False)
            self._size -= len(evicted.body)

    @staticmethod
    async def _send(scope: Scope, send: Send, entry: _Entry, state: bytes) -> None:
        ours = [(b"etag", entry.etag), (b"cache-control", b"no-cache"), (b"x-kabar-cache", state)]
        if _matches(scope, entry.etag):
            await send({"type": "http.response.start", "status": 304, "headers": ours})
            await send({"type": "http.response.body", "body": b""})
            return
        headers = [*entry.headers, (b"content-length", str(len(entry.body)).encode()), *ours]
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        await send({"type": "http.response.body", "body": entry.body})


_SCOPE_KEYS = ("type", "asgi", "http_version", "scheme", "server", "client", "root_path", "app")


class Warmer:
    """Computes the answers a poster reads next before the reads its add held are let go.

    A post's article shows once the client reads it back: its answer, then its story's.
    Computed after the add, they ran beside the pages of the readers the add had held
    (bench/live.py: four readers of a story of 2,000 members, whose page takes 33-40 ms),
    and the two reads of 2-4 ms of work took 10-30 ms. Computed before the held reads are
    released (:meth:`Ingester.ingest_async`'s ``then``), they add those milliseconds to
    the post's answer, and the poster's reads, and the readers of that story's answer,
    are cache hits. Only with the worker process (``kabar serve``): an in-thread ingest
    holds no reads, and nothing is warmed.

    The stories are found in the article's answer (what the poster reads): the worker's
    report names the articles, not the stories they joined.

    cache: set by the :class:`ResponseCache` it is given to (None: no cache, nothing done).
    """

    def __init__(self) -> None:
        self.cache: ResponseCache | None = None

    async def posted(self, scope: Scope, article_ids: list[str], prefix: str = "/api/v1") -> None:
        """Keep the answers of the posted articles and of the stories they joined; never
        raises (the post is committed: a failed warm only leaves them to be computed
        when read).

        scope: the post's request (its app, server and client are reused).
        prefix: where the API was reached (``/api/v1``, ``/api``, behind a root path):
            the answers are kept under the paths the poster reads."""
        if self.cache is None:
            return
        try:
            for article_id in article_ids:
                answer = await self.cache.warm(scope, f"{prefix}/articles/{article_id}")
                if answer is None:
                    continue
                for story_id in json.loads(answer).get("stories", []):
                    await self.cache.warm(scope, f"{prefix}/stories/{story_id}")
        except Exception:  # a warm is an optimisation: the post succeeded
            log.warning("warming the posted article's answers failed", exc_info=True)


def _host(scope: Scope) -> bytes:
    """The request's Host header (b"" without one)."""
    for name, value in scope.get("headers", []):
        if name == b"host":
            return bytes(value)
    return b""


def _matches(scope: Scope, etag: bytes) -> bool:
    """True when the request's If-None-Match names this ETag (or is ``*``)."""
    for name, value in scope.get("headers", []):
        if name == b"if-none-match":
            tags = {t.strip().removeprefix(b"W/") for t in value.split(b",")}
            return b"*" in tags or etag in tags
    return False
