"""Load test on loopback: many readers and one writer against a real ``kabar serve``.

Starts ``kabar serve`` (uvicorn, one process) on 127.0.0.1 with a store holding the seed
corpus, then for a bounded time runs reader tasks that cycle through the story list, a
story, an article, search and the HTML pages, while one writer posts new articles through
the REST API. Prints requests/s, latency percentiles and errors per kind; checks that each
acknowledged write is visible to the very next read (the health count, a cached answer,
must have moved: ``stale`` reads) and, at the end, that every article the writer was told
was stored is in the store (no lost writes).

The client is aiohttp by default: on two shared cores the load generator competes with the
server for CPU, and httpx costs about 1.8 ms of CPU per request against aiohttp's 0.1 ms
(``--client httpx`` to compare). The CPU each side spent per request is printed, so a
figure limited by the client rather than the server shows as such.

Run: ``.venv/bin/python bench/load.py [--seconds 20] [--readers 16]``. Traffic goes only
to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.api.server import started_url  # noqa: E402
from kabar.ingest import read_path  # noqa: E402
from kabar.model import RawArticle  # noqa: E402
from kabar.pipeline import process  # noqa: E402
from kabar.service import ingest  # noqa: E402
from kabar.store import open_store  # noqa: E402

Log = list[tuple[str, float, int]]


class Client(Protocol):
    async def get(self, path: str, decode: bool = False) -> tuple[int, Any]: ...
    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]: ...
    async def close(self) -> None: ...


class AiohttpClient:
    """One keep-alive session; JSON bodies decoded only when asked for (the writer)."""

    def __init__(self, base: str) -> None:
        self.session = aiohttp.ClientSession(
            base,
            connector=aiohttp.TCPConnector(limit=0),
            timeout=aiohttp.ClientTimeout(total=60),
        )

    async def get(self, path: str, decode: bool = False) -> tuple[int, Any]:
        async with self.session.get(path) as response:
            body = await response.read()
            if decode and response.status == 200:
                return response.status, await response.json()
            return response.status, body

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        async with self.session.post(path, json=body) as response:
            return response.status, await response.json()

    async def close(self) -> None:
        await self.session.close()


class HttpxClient:
    def __init__(self, base: str) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=60)

    async def get(self, path: str, decode: bool = False) -> tuple[int, Any]:
        response = await self.client.get(path)
        if decode and response.status_code == 200:
            return response.status_code, response.json()
        return response.status_code, response.content

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        response = await self.client.post(path, json=body)
        return response.status_code, response.json()

    async def close(self) -> None:
        await self.client.aclose()


ERRORS = (aiohttp.ClientError, httpx.HTTPError, asyncio.TimeoutError)


async def reader(client: Client, paths: list[str], stop: float, log: Log) -> None:
    rng = random.Random()
    while time.perf_counter() < stop:
        path = rng.choice(paths)
        started = time.perf_counter()
        try:
            status = (await client.get(path))[0]
        except ERRORS:
            status = 0
        log.append(("read", time.perf_counter() - started, status))


async def writer(
    client: Client, texts: list[str], stop: float, log: Log, stored: list[str], stale: list[int]
) -> None:
    number = 0
    _status, health = await client.get("/api/v1/health", decode=True)
    known = int(health["articles"])
    while time.perf_counter() < stop:
        number += 1
        body = (
            texts[number % len(texts)]
            + f"\n\nPembaruan nomor {number}: para pejabat menyatakan pembicaraan akan berlanjut pekan depan."
        )
        started = time.perf_counter()
        try:
            status, answer = await client.post(
                "/api/v1/articles", {"text": body, "outlet": "Load Test"}
            )
            if status < 300:
                stored.extend(answer.get("added", []))
                known += len(answer.get("added", []))
        except ERRORS:
            status = 0
        log.append(("write", time.perf_counter() - started, status))
        if status < 300:
            # Read-your-write through the cache: the count must include what was acknowledged.
            _status, health = await client.get("/api/v1/health", decode=True)
            if int(health["articles"]) < known:
                stale.append(number)
        await asyncio.sleep(0.2)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process (Linux /proc), None where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run(seconds: float, readers: int, serve_args: list[str], kind: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "load.db")
        with open_store(db) as store:
            ingest(store, read_path(ROOT / "examples" / "seeds"))
            story = store.list_stories(limit=1)[0]
            article = store.list_articles(limit=1)[0]
        texts = [
            process(r).body
            for r in read_path(ROOT / "examples" / "seeds")
            if isinstance(r, RawArticle)
        ]
        server = subprocess.Popen(
            [sys.executable, "-m", "kabar.cli", "serve", "--db", db, "--port", "0", *serve_args],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        base = started_url(server)
        client: Client = AiohttpClient(base) if kind == "aiohttp" else HttpxClient(base)
        try:
            for _ in range(100):
                try:
                    if (await client.get("/api/v1/health"))[0] == 200:
                        break
                except ERRORS:
                    await asyncio.sleep(0.2)
            paths = [
                "/api/v1/stories", f"/api/v1/stories/{story.id}", f"/api/v1/articles/{article.id}",
                "/api/v1/search?q=Putin", "/api/v1/entities", "/", f"/stories/{story.id}",
            ]  # fmt: skip
            log: Log = []
            stored: list[str] = []
            stale: list[int] = []
            cpu0, server0 = client_cpu(), cpu_seconds(server.pid)
            stop = time.perf_counter() + seconds
            started = time.perf_counter()
            await asyncio.gather(
                *(reader(client, paths, stop, log) for _ in range(readers)),
                writer(client, texts, stop, log, stored, stale),
            )
            elapsed = time.perf_counter() - started
            cpu1, server1 = client_cpu(), cpu_seconds(server.pid)
            lost = [i for i in stored if (await client.get(f"/api/v1/articles/{i}"))[0] != 200]
        finally:
            await client.close()
            server.terminate()
            server.wait(timeout=10)
    print(f"{'kind':6} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    failures = 0
    for name in ("read", "write"):
        rows = [(d, s) for k, d, s in log if k == name]
        errors = sum(1 for _d, s in rows if s == 0 or s >= 500)
        failures += errors
        durations = [d for d, _s in rows]
        print(
            f"{name:6} {len(rows):9d} {len(rows) / elapsed:8.1f} {percentile(durations, 0.5) * 1000:8.1f} "
            f"{percentile(durations, 0.99) * 1000:8.1f} {errors:7d}"
        )
    print(
        f"writes acknowledged: {len(stored)}, lost: {len(lost)}, stale reads after a write: "
        f"{len(stale)}; {readers} readers, {elapsed:.1f} s, client {kind}"
    )
    if durations := [d for k, d, _s in log if k == "read"]:
        print(f"read mean {statistics.mean(durations) * 1000:.1f} ms")
    requests = max(len(log), 1)
    server_cpu = (
        f"{(server1 - server0) / requests * 1000:.2f}"
        if server0 is not None and server1 is not None
        else "n/a"
    )
    print(
        f"CPU per request: client {(cpu1 - cpu0) / requests * 1000:.2f} ms, server process "
        f"{server_cpu} ms (the ingest worker process not included)"
    )
    return 1 if failures or lost or stale else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--client", choices=["aiohttp", "httpx"], default="aiohttp")
    parser.add_argument(
        "--serve-args",
        default="",
        help="extra `kabar serve` flags, e.g. '--no-ingest-process --cache-mb 0' (the old setup)",
    )
    args = parser.parse_args()
    print(f"load average before: {_loadavg()}  (cores: {os.cpu_count()})")
    code = asyncio.run(run(args.seconds, args.readers, args.serve_args.split(), args.client))
    print(f"load average after:  {_loadavg()}")
    return code


def _loadavg() -> str:
    """The machine's 1/5/15-minute load: other work on the cores skews every figure above."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    raise SystemExit(main())
