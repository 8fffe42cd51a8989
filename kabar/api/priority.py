"""Writes first: while the worker adds a posted article, new reads wait a bounded while.

A live server's point is that a posted article shows on its story's page at once. With
readers fetching pages as fast as the server answers (bench/live.py: four of them on
two cores), the worker that adds the article got a third of the CPU, and a short add of
15 ms of CPU took 45 ms. A read arriving during an add now waits until the add is
committed (at most ``max_wait``), then is answered from the data the add wrote: the
reader is served a few milliseconds later and fresher, and the add takes its own time.
The hold also covers what the app does right after the commit for the poster: the
answers it reads next are computed then (:class:`kabar.api.cache.Warmer`, 2-4 ms).

Only a single article (``POST /api/v1/articles``, or a batch of one) holds reads back,
from when the worker starts it: a batch, an upload or a watched feed takes seconds, and
readers wait neither for those nor for a post queued behind them. A read never waits
longer than ``max_wait``, whatever the worker does; a steady stream of posts makes every
read wait up to that long.

Hand-written: ASGI servers and Starlette have no notion of a write in flight, and a
readers-writer lock from a library would block the event loop or hold reads for the
whole write, not a bounded part of it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.types import ASGIApp, Receive, Scope, Send

MAX_WAIT = 0.2
"""Seconds a read waits at most for an add in flight (an add of a real article into a
story of 2,000 members: 20-60 ms of the worker's time, and the poster's answers warmed
after it: 2-4 ms)."""


class WriteGate:
    """Counts the posted articles being added; readers wait on it (event loop only)."""

    def __init__(self, max_wait: float = MAX_WAIT) -> None:
        self.max_wait = max_wait
        self._writing = 0
        self._idle: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.waited = 0
        """Reads that waited for an add (a figure for the benches and tests)."""

    @property
    def writing(self) -> bool:
        return self._writing > 0

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[None]:
        """Hold reads back while the body runs (nested and concurrent writes count)."""
        self._writing += 1
        self._event().clear()
        try:
            yield
        finally:
            self._writing -= 1
            if not self._writing:
                self._event().set()

    async def wait(self) -> None:
        """Return when no add is in flight, or after ``max_wait`` seconds."""
        if not self._writing or self.max_wait <= 0:
            return
        self.waited += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event().wait(), self.max_wait)

    def _event(self) -> asyncio.Event:
        """The event of the running loop (an app may be served by several loops in turn,
        as the tests' clients do; an asyncio.Event belongs to the first loop it waits in).
        Two loops at once would replace each other's event, and a waiting read would then
        be released by ``max_wait`` only: uvicorn serves an app from one loop."""
        loop = asyncio.get_running_loop()
        if self._idle is None or self._loop is not loop:
            self._idle, self._loop = asyncio.Event(), loop
            if not self._writing:
                self._idle.set()
        return self._idle


class WritesFirst:
    """ASGI middleware: ``GET``/``HEAD`` requests wait for the gate before anything else
    (the response cache included: its hits cost the readers' CPU too).

    exclude: path prefixes never held (health checks answer at once; static files)."""

    def __init__(
        self,
        app: ASGIApp,
        gate: WriteGate,
        exclude: tuple[str, ...] = ("/static", "/api/v1/health", "/api/health"),
    ) -> None:
        self.app = app
        self.gate = gate
        self.exclude = exclude

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and not scope["path"].startswith(self.exclude)
        ):
            await self.gate.wait()
        await self.app(scope, receive, send)
