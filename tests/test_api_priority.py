"""Writes first (kabar.api.priority): reads wait for a posted article's add, a bounded while."""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from kabar.api import create_app
from kabar.api.priority import WriteGate, WritesFirst
from kabar.api.worker import Ingester
from kabar.ingest import read_path
from kabar.model import RawArticle
from kabar.service import IngestReport

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _app(gate: WriteGate, served: list[str]) -> WritesFirst:
    async def answer(request: Request) -> PlainTextResponse:
        served.append(f"{request.method} {request.url.path}")
        return PlainTextResponse("ok")

    paths = ("/api/v1/stories/x", "/api/v1/health", "/api/v1/articles", "/static/app.css")
    routes = [Route(p, answer, methods=["GET", "HEAD", "POST"]) for p in paths]
    return WritesFirst(Starlette(routes=routes), gate=gate)


async def _request(app: WritesFirst, method: str, path: str) -> int:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return (await client.request(method, path)).status_code


def test_reads_wait_for_the_add_in_flight_then_go_in_order() -> None:
    async def scenario() -> list[str]:
        gate = WriteGate(max_wait=5.0)
        served: list[str] = []
        app = _app(gate, served)
        async with gate.write():
            read = asyncio.create_task(_request(app, "GET", "/api/v1/stories/x"))
            head = asyncio.create_task(_request(app, "HEAD", "/api/v1/stories/x"))
            # not held: health checks, static files and writes themselves
            assert await _request(app, "GET", "/api/v1/health") == 200
            assert await _request(app, "GET", "/static/app.css") == 200
            assert await _request(app, "POST", "/api/v1/articles") == 200
            await asyncio.sleep(0.05)
            assert not read.done() and not head.done()
            served.append("add committed")
        assert await read == 200 and await head == 200
        assert gate.waited == 2 and not gate.writing
        return served

    served = asyncio.run(scenario())
    assert served[:4] == [
        "GET /api/v1/health",
        "GET /static/app.css",
        "POST /api/v1/articles",
        "add committed",
    ]
    assert sorted(served[4:]) == ["GET /api/v1/stories/x", "HEAD /api/v1/stories/x"]


def test_a_read_never_waits_longer_than_max_wait() -> None:
    async def scenario() -> tuple[float, bool]:
        gate = WriteGate(max_wait=0.05)
        app = _app(gate, [])
        async with gate.write():
            start = asyncio.get_running_loop().time()
            assert await _request(app, "GET", "/api/v1/stories/x") == 200
            waited = asyncio.get_running_loop().time() - start
            return waited, gate.writing

    waited, still_writing = asyncio.run(scenario())
    assert still_writing  # answered while the add still ran
    assert 0.04 <= waited < 2.0


def test_no_wait_without_a_write_or_with_the_gate_off() -> None:
    async def scenario() -> int:
        idle = WriteGate()
        await asyncio.wait_for(idle.wait(), 1.0)
        off = WriteGate(max_wait=0)
        async with off.write(), off.write():  # nested writes count
            assert off.writing
            await asyncio.wait_for(off.wait(), 1.0)
        assert not off.writing
        return idle.waited + off.waited

    assert asyncio.run(scenario()) == 0


def _seed_raws() -> list[RawArticle]:
    raws = [r for r in read_path(SEEDS) if isinstance(r, RawArticle)]
    assert len(raws) >= 2
    return raws


class _Pool:
    """The worker process's executor, standing in: hands out futures the test settles."""

    def __init__(self, count: int) -> None:
        self.futures: list[concurrent.futures.Future[object]] = [
            concurrent.futures.Future() for _ in range(count)
        ]
        self.sent = 0

    def submit(self, *_args: object) -> concurrent.futures.Future[object]:
        self.sent += 1
        return self.futures[self.sent - 1]


def _answer(raws: list[RawArticle]) -> tuple[list[str], list[str], list[str], int, list[str]]:
    return [r.source for r in raws], [], [], 1, []


def _ingester(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: int
) -> tuple[WriteGate, Ingester, _Pool]:
    """An ingester with a gate, whose worker is a pool answering ``answers`` ingests when
    the test says so."""
    gate = WriteGate(max_wait=1.0)
    ingester = Ingester(str(tmp_path / "kabar.db"), processes=1, gate=gate)
    pool = _Pool(answers)
    monkeypatch.setattr(ingester, "_executor", lambda: pool)
    return gate, ingester, pool


@pytest.mark.parametrize(("count", "held"), [(1, True), (2, False)])
def test_the_ingester_holds_the_gate_for_a_single_article_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, held: bool
) -> None:
    """While the worker adds one article the gate is held; not for a batch (an upload of
    many takes seconds)."""
    gate, ingester, pool = _ingester(tmp_path, monkeypatch, 1)
    raws = _seed_raws()[:count]

    async def scenario() -> tuple[bool, bool]:
        task = asyncio.create_task(ingester.ingest_async(raws))
        while not pool.sent:
            await asyncio.sleep(0.001)
        await asyncio.sleep(0.01)
        during = gate.writing
        pool.futures[0].set_result(_answer(raws))
        report = await task
        assert report is not None and len(report.added) == count
        return during, gate.writing

    during, after = asyncio.run(scenario())
    assert during is held
    assert after is False


@pytest.mark.parametrize(("count", "called"), [(1, True), (2, False)])
def test_the_step_after_a_single_add_runs_while_the_reads_are_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, called: bool
) -> None:
    """``then`` (the app's warm of the poster's answers) sees the gate held and the report;
    a batch has none."""
    gate, ingester, pool = _ingester(tmp_path, monkeypatch, 1)
    raws = _seed_raws()[:count]
    seen: list[tuple[bool, list[str]]] = []

    async def then(report: IngestReport) -> None:
        seen.append((gate.writing, list(report.added)))

    async def scenario() -> None:
        task = asyncio.create_task(ingester.ingest_async(raws, then=then))
        while not pool.sent:
            await asyncio.sleep(0.001)
        pool.futures[0].set_result(_answer(raws))
        await task

    asyncio.run(scenario())
    assert seen == ([(True, [r.source for r in raws])] if called else [])
    assert gate.writing is False


def test_a_failing_step_after_the_add_leaves_the_post_reported_and_the_reads_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate, ingester, pool = _ingester(tmp_path, monkeypatch, 1)
    raws = _seed_raws()[:1]

    async def then(report: IngestReport) -> None:
        raise RuntimeError("warm failed")

    async def scenario() -> IngestReport | None:
        task = asyncio.create_task(ingester.ingest_async(raws, then=then))
        while not pool.sent:
            await asyncio.sleep(0.001)
        pool.futures[0].set_result(_answer(raws))
        return await task

    report = asyncio.run(scenario())
    assert report is not None and report.added == [raws[0].source]
    assert gate.writing is False


def test_a_post_queued_behind_a_batch_holds_the_reads_only_once_its_turn_comes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate, ingester, pool = _ingester(tmp_path, monkeypatch, 2)
    raws = _seed_raws()

    async def scenario() -> list[bool]:
        batch = asyncio.create_task(ingester.ingest_async(raws[:3]))
        post = asyncio.create_task(ingester.ingest_async(raws[3:4]))
        while pool.sent < 2:
            await asyncio.sleep(0.001)
        await asyncio.sleep(0.01)
        seen = [gate.writing]  # the batch runs, the post waits its turn: reads go on
        pool.futures[0].set_result(_answer(raws[:3]))
        await batch
        await asyncio.sleep(0.01)
        seen.append(gate.writing)  # the post's turn: reads wait for it
        pool.futures[1].set_result(_answer(raws[3:4]))
        await post
        seen.append(gate.writing)
        return seen

    assert asyncio.run(scenario()) == [False, True, False]


@pytest.mark.parametrize(("write_first", "waits"), [(5.0, True), (0.0, False)])
def test_the_app_holds_its_reads_cache_hits_included_while_its_gate_is_held(
    tmp_path: Path, write_first: float, waits: bool
) -> None:
    """Through create_app: the middleware is installed outside the response cache, so a
    repeated read (a cache hit) waits as well; ``write_first=0`` never holds a read."""
    app = create_app(str(tmp_path / "kabar.db"), write_first=write_first)
    gate = app.state.ingester.gate

    async def scenario() -> tuple[bool, bool, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            first = await client.get("/api/v1/stories")
            assert first.status_code == 200
            async with gate.write():
                read = asyncio.create_task(client.get("/api/v1/stories"))
                await asyncio.sleep(0.05)
                pending = not read.done()
            answer = await read
            return pending, answer.headers.get("x-kabar-cache") == "hit", answer.status_code

    pending, hit, status = asyncio.run(scenario())
    assert status == 200 and hit
    assert pending is waits


def test_one_gate_serves_event_loops_in_turn() -> None:
    """An app's gate outlives a loop (each test client runs its own): a read that waits in
    a second loop is not refused as bound to the first."""
    gate = WriteGate(max_wait=1.0)

    async def held_read() -> bool:
        async with gate.write():
            read = asyncio.create_task(gate.wait())
            await asyncio.sleep(0.01)
            pending = not read.done()
        await read
        return pending

    assert asyncio.run(held_read())
    assert asyncio.run(held_read())
    assert gate.waited == 2
