"""The read cache (kabar.api.cache), the store's data version, and ingest in a worker
process (kabar.api.worker), on the real pipeline output of the seed corpus.

What matters most: a cached answer is never stale after a committed write, whoever wrote
(the API, another connection, another process), and hits are real hits.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers_store import SEEDS, ingest_seeds, seed_story_of
from starlette.types import Message, Receive, Scope, Send

from kabar.api import SECURITY_HEADERS, create_app
from kabar.api.cache import ResponseCache
from kabar.ingest import read_path
from kabar.model import RawArticle
from kabar.pipeline import process
from kabar.store import open_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cache") / "kabar.db"
    ingest_seeds(path)
    return str(path)


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db, api_key="")) as c:
        yield c


@pytest.fixture(scope="module")
def update_text() -> str:
    """A follow-up of a seed article (what bench/load.py posts): it joins the seed story."""
    raw = next(r for r in read_path(SEEDS) if isinstance(r, RawArticle))
    return (
        process(raw).body + "\n\nPembaruan: para pejabat menyatakan pembicaraan akan berlanjut "
        "pekan depan di Hanoi."
    )


def _story_id(db: str) -> str:
    with open_store(db) as store:
        return seed_story_of(store).id


# -- the store's data version ------------------------------------------------------------------


def test_data_version_moves_with_every_commit_and_only_then(db: str, update_text: str) -> None:
    with open_store(db) as watcher, open_store(db) as other:
        first = watcher.data_version()
        assert first is not None
        assert watcher.data_version() == first  # no write, same token
        other.add_articles([process(RawArticle(text=update_text, source="other"))])
        second = watcher.data_version()
        assert second != first  # another connection committed
        # its own commits move it too (PRAGMA data_version alone would not show them)
        mine = watcher.data_version()
        watcher.add_articles([process(RawArticle(text=update_text + " Lagi.", source="own"))])
        assert watcher.data_version() != mine


def test_data_version_sees_other_processes(db: str) -> None:
    with open_store(db) as watcher:
        before = watcher.data_version()
        code = (
            "import sys; from kabar.store import open_store; from kabar.service import regroup\n"
            "with open_store(sys.argv[1]) as s: regroup(s)"
        )
        subprocess.run(
            [sys.executable, "-c", code, db],
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=120,
        )
        assert watcher.data_version() != before


# -- hits, ETag, 304 ---------------------------------------------------------------------------


def test_repeated_reads_are_hits_with_the_same_body_and_headers(
    client: TestClient, db: str
) -> None:
    story_id = _story_id(db)
    for path in ("/api/v1/stories", f"/api/v1/stories/{story_id}", "/", f"/stories/{story_id}"):
        first = client.get(path)
        second = client.get(path)
        assert first.status_code == second.status_code == 200
        assert first.headers["x-kabar-cache"] == "miss", path
        assert second.headers["x-kabar-cache"] == "hit", path
        assert second.content == first.content
        assert second.headers["etag"] == first.headers["etag"]
        assert second.headers["cache-control"] == "no-cache"
        assert second.headers["content-type"] == first.headers["content-type"]
        assert int(second.headers["content-length"]) == len(second.content)
        for name, value in SECURITY_HEADERS.items():  # hits keep the CSP
            assert second.headers[name] == value


def test_if_none_match_gets_304_without_body(client: TestClient) -> None:
    first = client.get("/api/v1/stories")
    etag = first.headers["etag"]
    again = client.get("/api/v1/stories", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    other = client.get("/api/v1/stories", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == first.content


def test_errors_static_files_and_exports_are_not_cached(client: TestClient) -> None:
    for _ in range(2):
        missing = client.get("/api/v1/articles/0000000000000000")
        assert missing.status_code == 404 and "x-kabar-cache" not in missing.headers
    for path in ("/static/kabar.css", "/export?format=json"):
        r = client.get(path)
        assert r.status_code == 200 and "x-kabar-cache" not in r.headers


def test_query_strings_are_distinct_entries(client: TestClient) -> None:
    one = client.get("/api/v1/stories?limit=1")
    client.get("/api/v1/stories")
    assert client.get("/api/v1/stories?limit=1").json() == one.json()
    assert one.json()["limit"] == 1 and client.get("/api/v1/stories").json()["limit"] == 50


# -- never stale -------------------------------------------------------------------------------


def test_read_write_read_through_the_api_shows_the_new_data(
    client: TestClient, db: str, update_text: str
) -> None:
    story_id = _story_id(db)
    paths = ["/api/v1/health", "/api/v1/stories", f"/api/v1/stories/{story_id}", "/"]
    before = {p: client.get(p) for p in paths}
    assert all(client.get(p).headers["x-kabar-cache"] == "hit" for p in paths)  # cached now
    added = client.post("/api/v1/articles", json={"text": update_text, "outlet": "Load Test"})
    assert added.status_code == 201, added.text
    (new_id,) = added.json()["added"]

    after = {p: client.get(p) for p in paths}
    assert all(r.headers["x-kabar-cache"] == "miss" for r in after.values())
    health = after["/api/v1/health"].json()
    assert health["articles"] == before["/api/v1/health"].json()["articles"] + 1
    stories = client.get(f"/api/v1/articles/{new_id}").json()["stories"]
    assert stories, "the new article was grouped"
    # The story holding it now lists it, in the JSON and on the pages.
    holder = client.get(f"/api/v1/stories/{stories[0]}/articles?limit=500").json()
    assert new_id in {a["id"] for a in holder["items"]}
    assert after["/api/v1/stories"].content != before["/api/v1/stories"].content
    count = before["/api/v1/health"].json()["articles"]
    assert f"from {count} articles" in before["/"].text
    assert f"from {count + 1} articles" in after["/"].text
    assert after["/api/v1/health"].headers["etag"] != before["/api/v1/health"].headers["etag"]


def test_a_write_by_another_connection_is_seen(
    client: TestClient, db: str, update_text: str
) -> None:
    """A ``kabar ingest`` next to the server: the cache must notice it too."""
    before = client.get("/api/v1/health").json()["articles"]
    assert client.get("/api/v1/health").headers["x-kabar-cache"] == "hit"
    with open_store(db) as store:
        store.add_articles([process(RawArticle(text=update_text, source="cli"))])
    assert client.get("/api/v1/health").json()["articles"] == before + 1


def test_a_missing_article_appears_once_ingested(client: TestClient, update_text: str) -> None:
    article_id = process(RawArticle(text=update_text, source="x")).id
    assert client.get(f"/api/v1/articles/{article_id}").status_code == 404
    assert client.post("/api/v1/articles", json={"text": update_text}).status_code == 201
    assert client.get(f"/api/v1/articles/{article_id}").status_code == 200


def test_cache_can_be_turned_off(db: str) -> None:
    with TestClient(create_app(db, api_key="", cache_bytes=0)) as c:
        r = c.get("/api/v1/stories")
        assert r.status_code == 200 and "x-kabar-cache" not in r.headers


# -- the middleware on its own -----------------------------------------------------------------


class _Counting:
    """An ASGI app answering ``path`` with a body of ``size`` bytes, counting its calls."""

    def __init__(self, size: int = 10, delay: float = 0.0) -> None:
        self.calls = 0
        self.size = size
        self.delay = delay

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        await asyncio.sleep(self.delay)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x" * self.size})


async def _get(app: Any, path: str) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}
    await app(scope, receive, send)
    return sent


def test_concurrent_misses_compute_once_and_a_new_token_drops_everything() -> None:
    inner = _Counting(delay=0.05)
    token = ["1"]
    cache = ResponseCache(inner, version=lambda: token[0])

    async def scenario() -> None:
        answers = await asyncio.gather(*(_get(cache, "/a") for _ in range(8)))
        assert all(a[-1]["body"] == b"x" * 10 for a in answers)
        assert inner.calls == 1  # single flight: 8 readers, one computation
        await _get(cache, "/a")
        assert inner.calls == 1
        token[0] = "2"  # a commit
        await _get(cache, "/a")
        assert inner.calls == 2

    asyncio.run(scenario())
    assert (cache.hits, cache.misses) == (8, 2)


def test_waiters_for_an_answer_made_stale_by_a_write_compute_it_once_more() -> None:
    token = ["1"]

    class Writing(_Counting):
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if self.calls == 0:
                token[0] = "2"  # a commit while the first answer is computed
            await super().__call__(scope, receive, send)

    inner = Writing(delay=0.05)
    cache = ResponseCache(inner, version=lambda: token[0])

    async def scenario() -> None:
        answers = await asyncio.gather(*(_get(cache, "/a") for _ in range(6)))
        assert all(a[-1]["body"] == b"x" * 10 for a in answers)
        # The first answer is not kept (older than the commit); the five waiters share
        # one new computation instead of making five.
        assert inner.calls == 2
        await _get(cache, "/a")
        assert inner.calls == 2

    asyncio.run(scenario())


def test_a_read_after_a_write_does_not_wait_for_an_answer_older_than_the_write() -> None:
    """A post reads its own article back: a reader's render of the same page begun before
    the post's commit is not waited for (its answer is older than the commit); the read
    computes at once, and the readers after it share its answer."""
    token = ["1"]
    finished: list[str] = []

    class Slow(_Counting):
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            self.delay = 0.5 if self.calls == 0 else 0.01
            await super().__call__(scope, receive, send)

    inner = Slow()
    cache = ResponseCache(inner, version=lambda: token[0])

    async def read(name: str) -> None:
        await _get(cache, "/a")
        finished.append(name)

    async def scenario() -> None:
        old = asyncio.ensure_future(read("before the write"))
        await asyncio.sleep(0.05)  # the old render is under way
        token[0] = "2"  # a commit
        await asyncio.gather(read("after the write"), read("after, too"))
        assert finished == ["after the write", "after, too"]  # not held up by the old one
        await old

    asyncio.run(scenario())
    assert inner.calls == 2


def test_memory_bound_and_big_answers_pass_through() -> None:
    inner = _Counting(size=400)
    cache = ResponseCache(inner, version=lambda: "1", max_bytes=1000, max_entry_bytes=500)

    async def scenario() -> None:
        for path in ("/a", "/b", "/c"):  # 1200 bytes > 1000: /a is evicted
            await _get(cache, path)
        await _get(cache, "/c")
        assert inner.calls == 3
        await _get(cache, "/a")
        assert inner.calls == 4
        inner.size = 600  # over max_entry_bytes: served, never held
        body = await _get(cache, "/big")
        assert b"".join(m.get("body", b"") for m in body) == b"x" * 600
        await _get(cache, "/big")
        assert inner.calls == 6

    asyncio.run(scenario())
    assert cache._size <= 1000


def test_a_big_story_page_is_held_by_default() -> None:
    """A 7 MB answer (a story of 2,000 members) is rendered once per write, not per read."""
    inner = _Counting(size=7_000_000)
    cache = ResponseCache(inner, version=lambda: "1")

    async def scenario() -> None:
        for _ in range(3):
            await _get(cache, "/stories/big")
        assert inner.calls == 1

    asyncio.run(scenario())
    assert cache.hits == 2


def test_a_warm_keeps_the_answer_once_and_computes_nothing_without_a_token() -> None:
    scope = {"type": "http", "method": "POST", "path": "/api/v1/articles", "headers": []}
    inner = _Counting(size=5)
    cache = ResponseCache(inner, version=lambda: "1")
    assert asyncio.run(cache.warm(scope, "/a")) == b"x" * 5
    assert asyncio.run(cache.warm(scope, "/a")) == b"x" * 5  # kept: not computed again
    asyncio.run(_get(cache, "/a"))
    assert (inner.calls, cache.hits) == (1, 2)
    untokened = ResponseCache(_Counting(), version=lambda: None)
    assert asyncio.run(untokened.warm(scope, "/a")) is None
    assert untokened.app.calls == 0  # type: ignore[attr-defined]


def test_an_answer_naming_the_host_is_kept_per_host(client: TestClient) -> None:
    """A follow's Atom feed links to the server as the client addressed it: the cache
    keeps one answer per Host header, never another host's."""
    made = client.post("/api/v1/follows", json={"kind": "entity", "value": "Vladimir Putin"})
    assert made.status_code == 201, made.text
    path = f"/api/v1/follows/{made.json()['id']}/alerts.atom"
    first = client.get(path, headers={"host": "news.example"})
    other = client.get(path, headers={"host": "mirror.example"})
    again = client.get(path, headers={"host": "news.example"})
    assert b"news.example" in first.content and b"mirror.example" not in first.content
    assert b"mirror.example" in other.content and b"news.example" not in other.content
    assert other.headers["x-kabar-cache"] == "miss"
    assert again.headers["x-kabar-cache"] == "hit" and again.content == first.content


def test_no_token_means_no_caching() -> None:
    inner = _Counting()
    cache = ResponseCache(inner, version=lambda: None)
    asyncio.run(_get(cache, "/a"))
    asyncio.run(_get(cache, "/a"))
    assert inner.calls == 2


# -- ingest in a worker process ----------------------------------------------------------------


def test_ingest_in_a_worker_process_and_recovery_after_it_is_killed(
    db: str, update_text: str
) -> None:
    app = create_app(db, api_key="", ingest_processes=1)
    with TestClient(app) as c:
        before = c.get("/api/v1/health").json()["articles"]
        r = c.post("/api/v1/articles", json={"text": update_text, "outlet": "Worker"})
        assert r.status_code == 201, r.text
        assert c.get("/api/v1/health").json()["articles"] == before + 1
        ingester = app.state.ingester
        pool = ingester._pool
        assert pool is not None
        (pid,) = list(pool._processes)
        assert pid != os.getpid()
        # Not an article: the child's InputError comes back as a 422 with its message.
        bad = c.post("/api/v1/articles", json={"text": "Iklan. Klik di sini."})
        assert bad.status_code == 422 and "no news text" in bad.json()["detail"]

        os.kill(pid, signal.SIGKILL)
        lost = c.post("/api/v1/articles", json={"text": update_text + " Satu.", "outlet": "W"})
        assert lost.status_code == 503 and lost.headers["retry-after"] == "1"
        again = c.post("/api/v1/articles", json={"text": update_text + " Satu.", "outlet": "W"})
        assert again.status_code == 201, again.text  # a new worker took over
        assert c.get("/api/v1/health").json()["articles"] == before + 2
        # killed while idle, and the pool has seen it before the next post: the same
        (pid,) = list(ingester._pool._processes)
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not ingester._pool._broken and time.monotonic() < deadline:
            time.sleep(0.05)
        lost = c.post("/api/v1/articles", json={"text": update_text + " Dua.", "outlet": "W"})
        assert lost.status_code == 503, lost.text
        again = c.post("/api/v1/articles", json={"text": update_text + " Dua.", "outlet": "W"})
        assert again.status_code == 201, again.text
        assert c.get("/api/v1/health").json()["articles"] == before + 3
    with open_store(db) as store:
        assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("prefix", ["/api/v1", "/api"])
def test_a_posted_article_and_its_story_are_answered_from_the_cache_at_once(
    db: str, update_text: str, prefix: str
) -> None:
    """Their answers are computed before the held reads go (kabar.api.cache.Warmer), under
    the prefix the post came in on: the poster's first reads are hits, and they equal what
    an app without a cache answers."""
    app = create_app(db, api_key="", ingest_processes=1)
    with TestClient(app) as c:
        r = c.post(f"{prefix}/articles", json={"text": update_text, "outlet": "Worker"})
        assert r.status_code == 201, r.text
        (article_id,) = r.json()["added"]
        # (a commit in between, as the grouping state's save after 3 idle seconds, would
        # make these misses: they follow the post at once)
        article = c.get(f"{prefix}/articles/{article_id}")
        assert article.headers["x-kabar-cache"] == "hit"
        (story_id,) = article.json()["stories"]  # the seed story, which it follows up
        story = c.get(f"{prefix}/stories/{story_id}")
        assert story.headers["x-kabar-cache"] == "hit"
        assert article_id in c.get(f"{prefix}/stories/{story_id}/articles?limit=100").text
    with TestClient(create_app(db, api_key="", cache_bytes=0)) as fresh:
        assert fresh.get(f"/api/v1/articles/{article_id}").json() == article.json()
        assert fresh.get(f"/api/v1/stories/{story_id}").json() == story.json()


def test_a_failed_warm_leaves_the_post_done(
    db: str, update_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(db, api_key="", ingest_processes=1)

    async def broken(scope: object, path: str) -> bytes | None:
        raise RuntimeError("warm failed")

    with TestClient(app) as c:
        c.get("/api/v1/health")  # the middleware stack is built: the warmer has its cache
        assert app.state.warmer.cache is not None
        monkeypatch.setattr(app.state.warmer.cache, "warm", broken)
        r = c.post("/api/v1/articles", json={"text": update_text, "outlet": "Worker"})
        assert r.status_code == 201, r.text
        (article_id,) = r.json()["added"]
        article = c.get(f"/api/v1/articles/{article_id}")
        assert article.status_code == 200 and article.headers["x-kabar-cache"] == "miss"


@pytest.mark.skipif(
    not os.environ.get("KABAR_TEST_POSTGRES"),
    reason="no PostgreSQL server: set KABAR_TEST_POSTGRES=postgresql://... or run `make test`",
)
def test_postgres_data_version_moves_with_commits_of_other_connections(update_text: str) -> None:
    psycopg = pytest.importorskip("psycopg")
    import uuid
    from urllib.parse import urlsplit

    server = os.environ["KABAR_TEST_POSTGRES"]
    name = f"kabar_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = urlsplit(server)._replace(path=f"/{name}").geturl()
        with open_store(url) as watcher, open_store(url) as other:
            first = watcher.data_version()
            assert first is not None
            other.add_articles([process(RawArticle(text=update_text, source="pg"))])
            assert watcher.data_version() != first
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_the_ingest_worker_exits_when_the_server_is_killed(db: str) -> None:
    import time

    from kabar.api.server import started_url

    server = subprocess.Popen(
        [sys.executable, "-m", "kabar.cli", "serve", "--db", db, "--port", "0"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started_url(server)  # it listens; the worker starts with the app just after
        children: list[int] = []
        deadline = time.monotonic() + 60
        while not children and time.monotonic() < deadline:  # the worker starts at startup
            time.sleep(0.2)
            for task in Path(f"/proc/{server.pid}/task").iterdir():
                children += [int(c) for c in (task / "children").read_text().split()]
        assert children, "kabar serve started no ingest worker"
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        deadline = time.monotonic() + 15
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(c) for c in children), "the worker outlived the server"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)


def test_a_storys_answer_converts_its_entries_once_while_the_record_holds(db: str) -> None:
    """A large story's answer converts its timeline, background and facts once per record
    (the store hands out the same decoded entries while the record's digest holds); a
    record written anew is answered as it is now, through the API."""
    from kabar.api import schemas
    from kabar.store import sql

    story_id = _story_id(db)
    with open_store(db) as store:
        story = store.get_story(story_id)
        assert story is not None and story.timeline
        first_entry = story.timeline[0]
        wide = [
            dataclasses.replace(first_entry, date=f"2024-{1 + k // 28:02d}-{1 + k % 28:02d}")
            for k in range(sql.SHOWN_MEMO_ITEMS)
        ]
        assert store.save_story_parts(dataclasses.replace(story, timeline=wide))
        first = store.get_story(story_id, members=False)
        again = store.get_story(story_id, members=False)
        assert first is not None and again is not None
        out_first, out_again = schemas.StoryOut.full(first), schemas.StoryOut.full(again)
        assert out_again == out_first
        assert out_again.timeline[0] is out_first.timeline[0]  # converted once
        new = "Putin dan Presiden To Lam menandatangani 11 perjanjian kerja sama."
        story = store.get_story(story_id)
        assert story is not None
        changed = [dataclasses.replace(story.timeline[0], summary=new), *story.timeline[1:]]
        assert store.save_story_parts(dataclasses.replace(story, timeline=changed))
    app = create_app(db, cache_bytes=0)
    with TestClient(app) as c:
        answer = c.get(f"/api/v1/stories/{story_id}").json()
    assert answer["timeline"][0]["summary"] == new
    assert answer["timeline"][1:] == out_first.model_dump(mode="json")["timeline"][1:]
