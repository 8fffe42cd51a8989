"""Listening sockets for ``kabar serve``, and a real HTTP server for tests and scripts.

``listen`` binds before uvicorn starts, so ``--port 0`` gets a port from the OS that no
other process can take before the server uses it, and the CLI can print the port it got.
``BackgroundServer`` runs the app in a thread on such a socket (browser tests, screenshot
scripts); ``started_url`` reads the address a ``kabar serve`` subprocess printed."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import socket
import subprocess
import threading
import time
from types import TracebackType
from typing import IO

import uvicorn
from fastapi import FastAPI

SERVING = re.compile(r"^serving on (http://\S+?)/?(?:\s|$)")
"""The line ``kabar serve`` prints once it listens: ``serving on http://HOST:PORT/ …``."""


def listen(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A socket listening on host:port (port 0: one the OS picks), set up as uvicorn's
    own: SO_REUSEADDR, IPv6 when the host has a colon, uvicorn's default backlog.
    Listening at once means connections made before the app is up wait, not fail."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """The http:// address of a bound socket, with the port it really got."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(app: FastAPI, sock: socket.socket, log_level: str = "warning") -> bool:
    """Run uvicorn on an already listening socket until it is stopped; False if the
    app never started (uvicorn.run then exits with its startup-failure code)."""
    host, port = sock.getsockname()[:2]
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level))
    with contextlib.suppress(KeyboardInterrupt):  # as uvicorn.run: Ctrl+C ends it quietly
        server.run(sockets=[sock])
    return server.started


def started_url(process: subprocess.Popen[str], timeout: float = 60.0) -> str:
    """The base URL (no trailing slash) a ``kabar serve`` subprocess printed, waiting at
    most ``timeout`` seconds. Needs ``stdout=PIPE, text=True``; its stdout is read to the
    end in a daemon thread, so the server never blocks on a full pipe. Raises
    RuntimeError with the server's stderr if it exits or stays silent."""
    assert process.stdout is not None, "start kabar serve with stdout=subprocess.PIPE"
    lines: queue.Queue[str | None] = queue.Queue()
    stdout = process.stdout

    def drain() -> None:
        for line in stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, name="kabar-serve-stdout", daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        if found := SERVING.match(line):
            return found.group(1)
        seen.append(line)
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)
    raise RuntimeError(
        f"kabar serve printed no 'serving on' line within {timeout:g} s "
        f"(exit code {process.returncode}); stdout: {''.join(seen)!r}; "
        f"stderr: {_written(process.stderr)!r}"
    )


def _written(stream: IO[str] | None) -> str:
    """What is in a pipe now, without waiting: a child the server started (the ingest
    worker) may still hold its end open, so reading to the end could block."""
    if stream is None:
        return "(not captured: start kabar serve with stderr=subprocess.PIPE)"
    fd = stream.fileno()
    os.set_blocking(fd, False)
    chunks: list[bytes] = []
    with contextlib.suppress(BlockingIOError):
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


class BackgroundServer:
    """``with BackgroundServer(app) as server: get(server.url + "/")``.

    host, port: where to listen (port 0: a free one, held from the start, so no other
    process can take it first).
    startup_timeout: seconds to wait for uvicorn to accept connections.
    """

    def __init__(
        self, app: FastAPI, host: str = "127.0.0.1", port: int = 0, startup_timeout: float = 15.0
    ) -> None:
        self._sock = listen(host, port)
        self.host = host
        self.port = int(self._sock.getsockname()[1])
        self.url = url_of(self._sock)
        self.startup_timeout = startup_timeout
        config = uvicorn.Config(
            app, host=self.host, port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, args=([self._sock],), name="kabar-http", daemon=True
        )

    def __enter__(self) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + self.startup_timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self._server.should_exit = True
                self._sock.close()
                raise RuntimeError(f"kabar test server did not start on {self.url}")
            time.sleep(0.02)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()
