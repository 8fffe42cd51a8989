"""Load test on loopback: many readers and one writer against a real ``kabar serve``.

Starts ``kabar serve`` (uvicorn, one process) on 127.0.0.1 with a store holding the seed
corpus, then for a bounded time runs reader tasks that cycle through the story list, a
story, an article, search and the HTML pages, while one writer posts new articles through
the REST API. Prints requests/s, latency percentiles and errors per kind; at the end checks
that every article the writer was told was stored is in the store (no lost writes).

Run: ``.venv/bin/python bench/load.py [--seconds 20] [--readers 16]``. Traffic goes only
to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.ingest import read_path  # noqa: E402
from kabar.model import RawArticle  # noqa: E402
from kabar.pipeline import process  # noqa: E402
from kabar.service import ingest  # noqa: E402
from kabar.store import open_store  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def reader(
    client: httpx.AsyncClient, paths: list[str], stop: float, log: list[tuple[str, float, int]]
) -> None:
    rng = random.Random()
    while time.perf_counter() < stop:
        path = rng.choice(paths)
        started = time.perf_counter()
        try:
            status = (await client.get(path)).status_code
        except httpx.HTTPError:
            status = 0
        log.append(("read", time.perf_counter() - started, status))


async def writer(
    client: httpx.AsyncClient,
    texts: list[str],
    stop: float,
    log: list[tuple[str, float, int]],
    stored: list[str],
) -> None:
    number = 0
    while time.perf_counter() < stop:
        number += 1
        body = (
            texts[number % len(texts)]
            + f"\n\nPembaruan nomor {number}: para pejabat menyatakan pembicaraan akan berlanjut pekan depan."
        )
        started = time.perf_counter()
        try:
            response = await client.post(
                "/api/v1/articles", json={"text": body, "outlet": "Load Test"}, timeout=60
            )
            status = response.status_code
            if status < 300:
                stored.extend(response.json().get("added", []))
        except httpx.HTTPError:
            status = 0
        log.append(("write", time.perf_counter() - started, status))
        await asyncio.sleep(0.2)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(seconds: float, readers: int) -> int:
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
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "kabar.cli", "serve", "--db", db, "--port", str(port)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                for _ in range(100):
                    try:
                        if (await client.get("/api/v1/health")).status_code == 200:
                            break
                    except httpx.HTTPError:
                        await asyncio.sleep(0.2)
                paths = [
                    "/api/v1/stories", f"/api/v1/stories/{story.id}", f"/api/v1/articles/{article.id}",
                    "/api/v1/search?q=Putin", "/api/v1/entities", "/", f"/stories/{story.id}",
                ]  # fmt: skip
                log: list[tuple[str, float, int]] = []
                stored: list[str] = []
                stop = time.perf_counter() + seconds
                started = time.perf_counter()
                await asyncio.gather(
                    *(reader(client, paths, stop, log) for _ in range(readers)),
                    writer(client, texts, stop, log, stored),
                )
                elapsed = time.perf_counter() - started
                lost = [
                    i
                    for i in stored
                    if (await client.get(f"/api/v1/articles/{i}")).status_code != 200
                ]
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{'kind':6} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    failures = 0
    for kind in ("read", "write"):
        rows = [(d, s) for k, d, s in log if k == kind]
        errors = sum(1 for _d, s in rows if s == 0 or s >= 500)
        failures += errors
        durations = [d for d, _s in rows]
        print(
            f"{kind:6} {len(rows):9d} {len(rows) / elapsed:8.1f} {percentile(durations, 0.5) * 1000:8.1f} "
            f"{percentile(durations, 0.99) * 1000:8.1f} {errors:7d}"
        )
    print(
        f"writes acknowledged: {len(stored)}, lost: {len(lost)}; {readers} readers, {elapsed:.1f} s"
    )
    if durations := [d for k, d, _s in log if k == "read"]:
        print(f"read mean {statistics.mean(durations) * 1000:.1f} ms")
    return 1 if failures or lost else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--readers", type=int, default=16)
    args = parser.parse_args()
    return asyncio.run(run(args.seconds, args.readers))


if __name__ == "__main__":
    raise SystemExit(main())
