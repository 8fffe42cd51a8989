"""Follows and alerts, end to end on real articles: a follow on an entity gets exactly one
alert per new matching event across incremental ingests, in its Atom feed and at a real
local webhook receiver (signed, retried after a 500, never sent twice, not even after a
restart); the pure matching of :mod:`kabar.follows`; the API, CLI and pages around them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import SEEDS, SHARED_DATA
from fastapi.testclient import TestClient
from helpers_store import BACKENDS, postgres_database
from typer.testing import CliRunner

from kabar import service
from kabar.api.app import create_app
from kabar.api.live import LiveRecords
from kabar.cli import app as cli_app
from kabar.follows import (
    SIGNATURE_HEADER,
    Matcher,
    article_info,
    atom_feed,
    match_articles,
    new_event_alerts,
    verify,
)
from kabar.follows.deliver import deliver, deliver_due
from kabar.ingest import read_path
from kabar.model import Alert, Article, Follow, RawArticle, Story
from kabar.store import Store, open_store

T17 = SHARED_DATA / "t17-dev"
ATOM = "{http://www.w3.org/2005/Atom}"
FAST = (0.05, 0.05, 0.05)  # retry delays of the tests (seconds)


class Receiver:
    """A real HTTP server on 127.0.0.1 that records every POST; the first ``fail``
    requests get a 500 (so retries are exercised)."""

    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.requests: list[tuple[dict[str, str], bytes, int]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    status = 500 if receiver.fail > 0 else 204
                    receiver.fail -= 1
                    receiver.requests.append((dict(self.headers.items()), body, status))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def accepted(self, secret: str) -> list[dict[str, object]]:
        """The bodies answered 204, each checked against its signature."""
        out = []
        with self.lock:
            requests = list(self.requests)
        for headers, body, status in requests:
            assert verify(secret, body, headers[SIGNATURE_HEADER]), "bad signature"
            if status == 204:
                out.append(json.loads(body))
        return out

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(fail=1)
    yield r
    r.close()


def _t17(folder: str, n: int) -> list[RawArticle]:
    if not (T17 / folder).is_dir():
        pytest.skip("needs ../shared/data/t17-dev")
    raws = [r for r in read_path(T17 / folder / "articles.jsonl") if isinstance(r, RawArticle)]
    raws.sort(key=lambda r: (r.published or "", r.source))
    return raws[:n]


def _batches() -> list[list[RawArticle]]:
    """Real articles in publication order, in four batches: two topics interleaved."""
    mj = _t17("MJ_bbc", 60)
    flu = _t17("H1N1_bbc", 24)
    seeds = [r for r in read_path(SEEDS) if isinstance(r, RawArticle)]
    return [mj[:20] + flu[:8], mj[20:33] + flu[8:16], mj[33:46] + seeds, mj[46:] + flu[16:]]


def _events(store: Store) -> dict[str, tuple[str, list[str]]]:
    """Every stored event: id → (story id, article ids)."""
    return {
        e.id: (s.id, e.article_ids) for s in store.iter_stories() for e in s.events if e.article_ids
    }


def _names(store: Store, article_id: str) -> set[str]:
    article = store.get_article(article_id)
    assert article is not None
    return {m.canonical.casefold() for m in article.mentions}


def test_entity_follow_one_alert_per_new_event_across_incremental_ingests(
    tmp_path: Path, receiver: Receiver
) -> None:
    batches = _batches()
    store = open_store(str(tmp_path / "kabar.db"))
    service.ingest(store, batches[0])  # before the follow: none of this is news
    follow, known = service.add_follow(store, "entity", "conrad murray", receiver.url)
    assert known and follow.value == "Conrad Murray"  # resolved to the canonical name
    name = follow.value.casefold()

    recorded: dict[str, int] = {}  # event id -> the batch that recorded it
    for k, batch in enumerate(batches[1:], start=1):
        before = _events(store)
        report = service.ingest(store, batch)
        assert report.added and not report.errors
        after = _events(store)
        added = set(report.added)
        # What this batch should alert: events it created (none of their articles stored
        # before) with an article naming the entity; read back from the store.
        expected = {
            eid
            for eid, (_sid, ids) in after.items()
            if eid not in before
            and set(ids) <= added
            and any(name in _names(store, a) for a in ids)
        }
        got = {a.event_id for a in store.list_alerts(follow.id, 1000) if a.event_id not in recorded}
        assert got == expected, f"batch {k}"
        recorded.update(dict.fromkeys(got, k))
        done = deliver(store, budget=5, backoff=FAST)
        assert done.failed == 0 and done.retrying == 0
        # re-ingesting the same articles records nothing and sends nothing
        again = service.ingest(store, batch)
        assert not again.added
        assert store.count_alerts(follow.id) == len(recorded)
    assert len(recorded) >= 3, "the corpus should give several new events naming him"
    assert len(set(recorded.values())) >= 2, "alerts from more than one incremental ingest"

    # The webhook: one accepted POST per alert (the first POST got a 500 and was retried),
    # each signed with the follow's secret, never one event twice.
    bodies = receiver.accepted(follow.secret)
    assert len(receiver.requests) == len(recorded) + 1
    delivered = bodies
    assert sorted(b["event_id"] for b in delivered) == sorted(recorded)  # type: ignore[type-var]
    assert all(
        b["follow"] == {"id": follow.id, "kind": "entity", "value": "Conrad Murray"}
        for b in delivered
    )
    assert store.count_alerts(follow.id, delivery="delivered") == len(recorded)

    # A restart (a new connection, a new dispatcher pass) sends nothing again.
    store.close()
    store = open_store(str(tmp_path / "kabar.db"))
    assert deliver_due(store, backoff=FAST).delivered == 0
    assert len(receiver.requests) == len(recorded) + 1

    # The feed: one entry per alert, linking the event's story.
    alerts = store.list_alerts(follow.id, 100)
    feed = ET.fromstring(atom_feed(follow, alerts, "http://kabar.test/", "2026-01-01T00:00:00Z"))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(recorded)
    links = {e.find(f"{ATOM}link").get("href") for e in entries}  # type: ignore[union-attr]
    assert links == {f"http://kabar.test/stories/{a.story_id}" for a in alerts}
    store.close()


def test_api_follow_feed_and_webhook_after_ingest_commits(tmp_path: Path) -> None:
    """Through the server: follow by the API, ingest by the API in batches, the server's
    dispatcher delivers after each ingest; the feed serves the same alerts."""
    receiver = Receiver(fail=0)
    try:
        db = str(tmp_path / "kabar.db")
        seeds = [r for r in read_path(SEEDS) if isinstance(r, RawArticle)]
        payload = [
            {"title": r.title, "text": r.text, "outlet": r.outlet, "published": r.published}
            for r in seeds
        ]
        app = create_app(db, cache_bytes=0, alert_backoff=FAST)
        with TestClient(app) as client:
            made = client.post(
                "/api/v1/follows",
                json={"kind": "entity", "value": "Vladimir Putin", "webhook": receiver.url},
            )
            assert made.status_code == 201, made.text
            follow = made.json()
            assert follow["secret"] and not follow["known"]
            for part in (payload[:2], payload[2:4], payload[4:], payload):
                answer = client.post("/api/v1/articles/batch", json={"articles": part})
                assert answer.status_code == 200, answer.text
            alerts = client.get(f"/api/v1/follows/{follow['id']}/alerts").json()
            assert alerts, "the seeds are about Putin"
            assert len({a["event_id"] for a in alerts}) == len(alerts)
            dispatcher = app.state.dispatcher
            for _ in range(100):
                if len(receiver.requests) >= len(alerts):
                    break
                dispatcher.wake()
                threading.Event().wait(0.05)
            bodies = receiver.accepted(follow["secret"])
            assert sorted(b["event_id"] for b in bodies) == sorted(a["event_id"] for a in alerts)  # type: ignore[type-var]
            feed = client.get(f"/api/v1/follows/{follow['id']}/alerts.atom")
            assert feed.headers["content-type"].startswith("application/atom+xml")
            entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")
            assert len(entries) == len(alerts)
            import feedparser  # what a feed reader sees: a valid Atom feed, every alert

            parsed = feedparser.parse(feed.content)
            assert not parsed.bozo and parsed.version == "atom10"
            assert {e.link.rsplit("/", 1)[1] for e in parsed.entries} == {
                a["story_id"] for a in alerts
            }
            listed = client.get("/api/v1/follows").json()
            assert [f["id"] for f in listed] == [follow["id"]]
            assert all(f["secret"] is None for f in listed)
    finally:
        receiver.close()


# -- the pure stage -----------------------------------------------------------------------


def _article(aid: str, title: str, body: str, outlet: str | None, names: list[str]) -> Article:
    from kabar.model import Mention

    mentions = [Mention(n, "PER", 0, len(n), n) for n in names]
    return Article(
        id=aid, title=title, body=body, source="t", raw_text=body, outlet=outlet, mentions=mentions
    )


def test_matcher_entity_outlet_query() -> None:
    follows = [
        Follow("f1", "entity", "Prabowo Subianto"),
        Follow("f2", "outlet", "tempo"),
        Follow("f3", "query", "Banjir JAKARTA"),
        Follow("f4", "query", "!!!"),  # no word: matches nothing
    ]
    matcher = Matcher(follows)
    a = _article("a" * 16, "Banjir di Jakárta", "Air naik.", "Tempo", ["Prabowo Subianto"])
    b = _article("b" * 16, "Banjir di Bekasi", "Jakarta aman.", "Kompas", ["Joko Widodo"])
    c = _article("c" * 16, "Pemilu", "Tidak ada.", None, [])
    assert matcher.match(a) == {"f1", "f2", "f3"}
    assert matcher.match(b) == {"f3"}
    assert matcher.match(c) == set()
    assert match_articles(Matcher([]), [a, b]) == {}


def test_new_event_alerts_only_for_events_wholly_new() -> None:
    from kabar.model import Event

    a = _article("a" * 16, "A", "x", "Tempo", ["X"])
    b = _article("b" * 16, "B", "x", "Kompas", ["X"])
    c = _article("c" * 16, "C", "x", "Kompas", ["X"])
    story = Story(
        id="s1",
        title="t",
        article_ids=[a.id, b.id, c.id],
        events=[Event("e1", [a.id, b.id]), Event("e2", [c.id], "2024-01-02")],
    )
    matches = match_articles(Matcher([Follow("f", "entity", "x")]), [a, b, c])
    info = {x.id: article_info(x) for x in (a, b, c)}
    # a was stored before: e1 is an old event that grew, e2 is new
    alerts = new_event_alerts([story], {b.id, c.id}, matches, info)
    assert [(x.event_id, x.article_ids, x.new_story) for x in alerts] == [("e2", [c.id], False)]
    everything = new_event_alerts([story], None, matches, info)
    assert {x.event_id for x in everything} == {"e1", "e2"} and all(x.new_story for x in everything)


def test_feed_and_signature_are_safe_with_hostile_text() -> None:
    follow = Follow("f1", "query", "<b>x</b> & y", secret="s3cret")
    alert = Alert(
        "f1", "e1", "s1", "<script>alert(1)</script>\x00 ]]>", ["a" * 16], outlets=["<i>"]
    )
    body = atom_feed(follow, [alert], "http://kabar.test/", "2026-01-01T00:00:00Z")
    assert b"<script>" not in body and b"&lt;script&gt;" in body
    parsed = ET.fromstring(body)  # well-formed despite the NUL and the CDATA end
    assert parsed.find(f"{ATOM}entry/{ATOM}title").text.startswith("<script>")  # type: ignore[union-attr]
    assert verify(
        "s3cret", b"{}", "sha256=" + __import__("hmac").new(b"s3cret", b"{}", "sha256").hexdigest()
    )
    assert not verify("other", b"{}", "sha256=00")


# -- API checks, pages and CLI ------------------------------------------------------------


def test_api_checks_and_page_escapes(tmp_path: Path) -> None:
    db = str(tmp_path / "kabar.db")
    app = create_app(db, api_key="k3y", cache_bytes=0)
    with TestClient(app) as client:
        body = {"kind": "query", "value": "banjir"}
        assert client.post("/api/v1/follows", json=body).status_code == 401
        headers = {"X-API-Key": "k3y"}
        bad = {"kind": "entity", "value": "X", "webhook": "file:///etc/passwd"}
        assert client.post("/api/v1/follows", json=bad, headers=headers).status_code == 422
        assert (
            client.post(
                "/api/v1/follows", json={"kind": "x", "value": "y"}, headers=headers
            ).status_code
            == 422
        )
        hostile = {"kind": "query", "value": "<script>alert(1)</script> banjir"}
        made = client.post("/api/v1/follows", json=hostile, headers=headers)
        assert made.status_code == 201 and made.json()["secret"] is None
        fid = made.json()["id"]
        for path in ("/follows", f"/follows/{fid}"):
            page = client.get(path)
            assert page.status_code == 200
            assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)" in page.text
        # the form needs the key too; with it, the follow is made
        form = {"kind": "outlet", "value": "Tempo", "api_key": "wrong"}
        assert client.post("/follows", data=form).status_code == 401
        form["api_key"] = "k3y"
        assert client.post("/follows", data=form).status_code == 201
        assert len(client.get("/api/v1/follows").json()) == 2
        # a webhook's path (often its credential) is never listed to readers
        hook = {"kind": "entity", "value": "Joko Widodo"}
        hook["webhook"] = "https://hooks.example.com/services/T000/S3CR3T"
        made = client.post("/api/v1/follows", json=hook, headers=headers).json()
        assert made["webhook"] == hook["webhook"] and made["secret"]
        for text in (client.get("/api/v1/follows").text, client.get("/follows").text):
            assert "hooks.example.com" in text and "S3CR3T" not in text
            assert made["secret"] not in text
        # the entity page's link fills the form in, escaped
        filled = client.get("/follows", params={"kind": "outlet", "value": '"><script>x()'})
        assert filled.status_code == 200 and "<script>x()" not in filled.text
        assert '<option value="outlet" selected>' in filled.text
        assert client.delete(f"/api/v1/follows/{fid}", headers=headers).status_code == 204
        assert client.get(f"/api/v1/follows/{fid}/alerts.atom").status_code == 404


def test_cli_follow_ingest_alerts(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "kabar.db")
    made = runner.invoke(cli_app, ["follow", "add", "--outlet", "tempo", "--db", db, "--json"])
    assert made.exit_code == 0, made.output
    fid = json.loads(made.output)["id"]
    assert runner.invoke(cli_app, ["follow", "add", "--db", db]).exit_code == 1
    assert runner.invoke(cli_app, ["ingest", str(SEEDS), "--db", db]).exit_code == 0
    alerts = json.loads(runner.invoke(cli_app, ["alerts", fid, "--db", db, "--json"]).output)
    assert alerts and all("Tempo" in a["outlets"] for a in alerts)
    again = runner.invoke(cli_app, ["ingest", str(SEEDS), "--db", db])
    assert again.exit_code == 0
    assert len(json.loads(runner.invoke(cli_app, ["alerts", "--db", db, "--json"]).output)) == len(
        alerts
    )
    listed = json.loads(runner.invoke(cli_app, ["follow", "list", "--db", db, "--json"]).output)
    assert listed[0]["alerts"] == len(alerts) and listed[0]["value"] == "tempo"  # as typed
    assert runner.invoke(cli_app, ["follow", "remove", fid, "--db", db]).exit_code == 0
    assert runner.invoke(cli_app, ["alerts", fid, "--db", db]).exit_code == 1


# -- every ingest path, both backends -------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh store location on each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "kabar.db")
        return
    pytest.importorskip("psycopg", reason="psycopg not installed: pip install kabar[postgres]")
    with postgres_database() as url:
        yield url


def test_store_records_once_claims_once_and_keeps_delivery_state(location: str) -> None:
    with open_store(location) as store, open_store(location) as other:
        hooked = store.add_follow("entity", "Vladimir Putin", "http://127.0.0.1:9/hook")
        quiet = store.add_follow("outlet", "Tempo")
        alerts = [
            Alert(hooked.id, "e1", "s1", "Satu", ["a" * 16], "2024-06-20", ["Tempo"]),
            Alert(quiet.id, "e1", "s1", "Satu", ["a" * 16], "2024-06-20", ["Tempo"]),
            Alert("gone", "e2", "s1", "Dua", ["b" * 16]),  # a follow deleted meanwhile
        ]
        fresh = store.record_alerts(alerts)
        assert [(a.follow_id, a.delivery) for a in fresh] == [
            (hooked.id, "pending"),
            (quiet.id, "none"),
        ]
        assert other.record_alerts(alerts) == []  # once per follow and event, any connection
        claimed = store.claim_alerts()
        assert [(f.id, a.event_id) for f, a in claimed] == [(hooked.id, "e1")]
        assert claimed[0][0].secret == hooked.secret
        assert other.claim_alerts() == []  # leased to the first dispatcher
        store.finish_delivery(hooked.id, "e1", False, "HTTP 503", retry_in=0.0)
        assert other.count_alerts(delivery="pending") == 1 and other.next_delivery() is not None
        (again,) = other.claim_alerts()
        assert again[1].attempts == 1 and again[1].last_error == "HTTP 503"
        other.finish_delivery(hooked.id, "e1", True)
        assert store.claim_alerts() == [] and store.next_delivery() is None
        assert store.count_alerts(hooked.id, "delivered") == 1
        assert store.remove_follow(hooked.id) and not store.remove_follow(hooked.id)
        assert store.count_alerts() == 1 and [f.id for f in store.list_follows()] == [quiet.id]


def test_incremental_ingest_alerts_on_each_backend(location: str) -> None:
    """The seeds in three ingests: the second and third add new events naming Putin."""
    seeds = sorted(
        (r for r in read_path(SEEDS) if isinstance(r, RawArticle)), key=lambda r: r.source
    )
    with open_store(location) as store:
        follow, known = service.add_follow(store, "entity", "Vladimir Putin")
        assert not known and follow.value == "Vladimir Putin"  # nothing stored yet
        seen: set[str] = set()
        for part in (seeds[:2], seeds[2:4], seeds[4:], seeds):
            before = _events(store)
            added = set(service.ingest(store, part).added)
            expected = {
                eid
                for eid, (_sid, ids) in _events(store).items()
                if eid not in before
                and set(ids) <= added
                and any("vladimir putin" in _names(store, a) for a in ids)
            }
            alerts = {a.event_id for a in store.list_alerts(follow.id, 100)}
            assert alerts - seen == expected
            seen = alerts
        assert len(seen) == store.count_alerts(follow.id) >= 2
        # a spelling resolves to the canonical name, as a canonical name in any case does
        for spelling in ("putin", "VLADIMIR PUTIN"):
            again, known = service.add_follow(store, "entity", spelling)
            assert known and again.value == "Vladimir Putin"


def test_live_writer_records_alerts(tmp_path: Path) -> None:
    """The API worker's path (:class:`LiveRecords`, large stories deferred)."""
    db = str(tmp_path / "kabar.db")
    seeds = sorted(
        (r for r in read_path(SEEDS) if isinstance(r, RawArticle)), key=lambda r: r.source
    )
    live = LiveRecords(lambda: open_store(db), defer_above=1)
    with open_store(db) as store:
        follow, _ = service.add_follow(store, "query", "Putin Vietnam")
        counts = []
        for part in (seeds[:2], seeds[2:], seeds):
            service.ingest(store, part, live=live)
            assert live.wait(60)
            counts.append(store.count_alerts(follow.id))
        assert counts[0] >= 1 and counts[1] > counts[0] and counts[2] == counts[1]


def test_batch_load_records_alerts_once(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from kabar.scale import load_output, run_batch

    out = tmp_path / "out"
    run_batch([SEEDS], out, engine="inline")
    with open_store(tmp_path / "kabar.db") as store:
        follow, _ = service.add_follow(store, "entity", "Vladimir Putin")
        load_output(store, out)
        alerts = store.list_alerts(follow.id, 100)
        events = {e.id for s in store.iter_stories() for e in s.events}
        assert alerts and {a.event_id for a in alerts} <= events
        load_output(store, out)  # loading again: nothing new
        assert store.count_alerts(follow.id) == len(alerts)


def test_webhook_retries_with_backoff_then_gives_up(tmp_path: Path) -> None:
    """A receiver that keeps failing (500) gets the first try and every retry, then
    the alert is given up and never sent again."""
    down = Receiver(fail=100)
    try:
        with open_store(tmp_path / "kabar.db") as store:
            follow = store.add_follow("entity", "Vladimir Putin", down.url)
            store.record_alerts([Alert(follow.id, "e1", "s1", "Satu", ["a" * 16])])
            done = deliver(store, budget=5, backoff=FAST)
            assert (done.delivered, done.failed, done.retrying) == (0, 1, 0)
            (alert,) = store.list_alerts(follow.id)
            assert alert.delivery == "failed" and alert.attempts == len(FAST) + 1
            assert alert.last_error == "HTTP 500"
            assert len(down.requests) == len(FAST) + 1
            assert deliver(store, budget=1, backoff=FAST).failed == 0  # given up: not sent
            assert len(down.requests) == len(FAST) + 1
    finally:
        down.close()


def test_regroup_alerts_articles_an_ingest_could_not_group(tmp_path: Path) -> None:
    """Grouping parameters changed: an ingest stores the articles but groups nothing
    (GroupingChanged); `kabar regroup` then alerts their new events, and only theirs."""
    from kabar.errors import GroupingChanged
    from kabar.stories import GroupingParams

    seeds = sorted(
        (r for r in read_path(SEEDS) if isinstance(r, RawArticle)), key=lambda r: r.source
    )
    changed = GroupingParams(story_threshold=0.07)
    with open_store(tmp_path / "kabar.db") as store:
        service.ingest(store, seeds[:3])
        follow, _ = service.add_follow(store, "entity", "Vladimir Putin")
        before = _events(store)
        with pytest.raises(GroupingChanged):
            service.ingest(store, seeds[3:], params=changed)
        waiting = {a.id for a in store.iter_articles()} - {
            aid for _sid, ids in before.values() for aid in ids
        }
        assert len(waiting) == 2 and store.count_alerts() == 0
        service.regroup(store, changed, ungrouped=True)
        expected = {
            eid
            for eid, (_sid, ids) in _events(store).items()
            if set(ids) <= waiting and any("vladimir putin" in _names(store, a) for a in ids)
        }
        assert expected
        assert {a.event_id for a in store.list_alerts(follow.id)} == expected
        service.regroup(store, changed, ungrouped=True)  # all grouped now: nothing new
        assert store.count_alerts(follow.id) == len(expected)


def test_a_crash_between_alerts_and_stories_loses_and_repeats_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alerts are recorded just before the stories are saved: if the process dies in
    between, the next ingest groups the stored articles again, finds the same events, and
    records no alert twice and none missing."""
    seeds = sorted(
        (r for r in read_path(SEEDS) if isinstance(r, RawArticle)), key=lambda r: r.source
    )
    with open_store(tmp_path / "kabar.db") as store:
        service.ingest(store, seeds[:2])
        follow, _ = service.add_follow(store, "entity", "Vladimir Putin")
        before = _events(store)

        def crash(*args: object, **kwargs: object) -> None:
            raise RuntimeError("killed")

        with monkeypatch.context() as patch:
            patch.setattr(store, "save_increment", crash)
            with pytest.raises(RuntimeError):
                service.ingest(store, seeds[2:4])
        recorded = {a.event_id for a in store.list_alerts(follow.id)}
        assert recorded  # recorded before the crash
        service.ingest(store, seeds[4:])  # groups the two left behind, and the fifth
        later = {a.id for a in store.iter_articles()} - {
            aid for _sid, ids in before.values() for aid in ids
        }
        expected = {
            eid
            for eid, (_sid, ids) in _events(store).items()
            if set(ids) <= later and any("vladimir putin" in _names(store, a) for a in ids)
        }
        assert recorded <= expected
        assert {a.event_id for a in store.list_alerts(follow.id)} == expected
        assert store.count_alerts(follow.id) == len(expected)
