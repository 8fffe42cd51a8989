"""``kabar watch`` end to end: a local site (tests/watch_site.py) serving RSS, Atom, a
sitemap index with a Google News sitemap, robots.txt and article pages made of the real
seed articles; the watcher polls it into a real store through the real ingest path."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner
from watch_site import (
    SEEDS,
    Site,
    article_page,
    atom,
    news_sitemap,
    rss,
    seed_texts,
    sitemap_index,
    title_of,
    urlset,
)

from kabar import service
from kabar.cli import app
from kabar.errors import KabarError
from kabar.store import Store, open_store
from kabar.store.watch import WatchedPage, WatchedSource
from kabar.watch import Source, WatchConfig, load_config
from kabar.watch.poller import Event, Watcher
from kabar.watch.sources import NotAFeed, parse_config, parse_feed, parse_sitemap

DELAY = 0.1
ROBOTS = "User-agent: *\nDisallow: /private/\n"


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return seed_texts()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "kabar.db") as s:
        yield s


def _config(site: Site, **options: object) -> WatchConfig:
    sources = [
        Source("feed", site.url("/rss.xml")),
        Source("feed", site.url("/atom.xml")),
        Source("sitemap", site.url("/sitemap_index.xml")),
    ]
    # The seeds date from 2018-2024: no age limit here (test_age_limit has one).
    values: dict[str, object] = {"delay": DELAY, "timeout": 2.0, "retries": 2, "max_age_days": 0}
    values.update(options)
    return WatchConfig(sources=sources, **values)  # type: ignore[arg-type]


def _watcher(config: WatchConfig, store: Store, events: list[Event] | None = None) -> Watcher:
    return Watcher(
        config,
        store,
        lambda inputs: service.ingest(store, inputs),
        tell=None if events is None else events.append,
    )


def _build_site(site: Site, texts: list[str]) -> dict[str, str]:
    """Seeds 0-1 in the RSS feed (with a page robots.txt forbids), seed 2 in the Atom feed,
    seed 3 in the news sitemap; seed 0 also in an archive sitemap (one fetch for both)."""
    pages = {f"/berita/{n}.html": text for n, text in enumerate(texts)}
    for path, text in pages.items():
        site.add(path, article_page(text))
    site.add("/private/rahasia.html", article_page(texts[4]))
    site.add("/robots.txt", ROBOTS, content_type="text/plain")
    site.add("/rss.xml", _rss(site, texts, [0, 1]), content_type="application/rss+xml")
    site.add(
        "/atom.xml",
        atom([(site.url("/berita/2.html"), title_of(texts[2]), "2023-10-18T08:00:00Z")]),
        content_type="application/atom+xml",
        etag=False,  # Last-Modified only: If-Modified-Since
    )
    site.add(
        "/sitemap_index.xml",
        sitemap_index(
            [(site.url("/sitemap-news.xml"), None), (site.url("/sitemap-2024.xml"), "2024-06-30")]
        ),
        content_type="application/xml",
    )
    site.add(
        "/sitemap-news.xml",
        news_sitemap(
            [(site.url("/berita/3.html"), title_of(texts[3]), "2018-09-07T09:00:00+07:00")]
        ),
        content_type="application/xml",
    )
    site.add(
        "/sitemap-2024.xml", urlset([site.url("/berita/0.html")]), content_type="application/xml"
    )
    return pages


# When each seed was published (read off the articles), as an RSS feed gives it.
RSS_DATES = [
    "Tue, 26 Mar 2024 09:15:00 +0700",
    "Thu, 20 Jun 2024 01:30:00 +0700",  # 19 June in UTC: the feed's own offset must be kept
    "Wed, 18 Oct 2023 14:00:00 +0700",
    "Fri, 07 Sep 2018 08:00:00 +0700",
    "Thu, 20 Jun 2024 16:45:00 +0700",
]


def _rss(site: Site, texts: list[str], numbers: list[int]) -> str:
    items = [
        (site.url(f"/berita/{n}.html?utm_source=rss#komentar"), title_of(texts[n]), RSS_DATES[n])
        for n in numbers
    ]
    items.append((site.url("/private/rahasia.html"), "Rahasia", "Thu, 20 Jun 2024 11:00:00 +0700"))
    return rss(items)


FEEDS = ["/rss.xml", "/atom.xml", "/sitemap_index.xml", "/sitemap-news.xml", "/sitemap-2024.xml"]


def test_feeds_and_sitemaps_end_to_end(store: Store, texts: list[str]) -> None:
    with Site() as site:
        pages = _build_site(site, texts)
        events: list[Event] = []
        watcher = _watcher(_config(site), store, events)

        # First poll: every article of the feeds and sitemaps is fetched once and ingested.
        first = watcher.poll()
        wanted = [f"/berita/{n}.html" for n in range(4)]
        assert [len(site.hits(p)) for p in wanted] == [1, 1, 1, 1]
        assert first.added == 4 and first.fetched == 4 and first.new == 5
        assert first.stories is not None and first.stories >= 1
        urls = {a.url for a in store.iter_articles()}
        assert urls == {site.url(p) for p in wanted}
        titles = {a.title for a in store.iter_articles()}
        assert titles == {title_of(texts[n]) for n in range(4)}
        dated = {a.url: a.published for a in store.iter_articles()}
        assert dated[site.url("/berita/1.html")] == "2024-06-20"  # from the feed, in Jakarta
        assert dated[site.url("/berita/3.html")] == "2018-09-07"  # from the news sitemap
        # robots.txt: the private page is never requested, and the reason is reported.
        assert site.hits("/private/rahasia.html") == []
        assert any(
            e.kind == "skipped" and "robots.txt" in e.message and "rahasia" in e.where
            for e in events
        )
        assert first.skipped == 1 and first.failed == 0 and not first.errors
        assert len(site.hits("/robots.txt")) == 1
        # The per-host delay: no two requests to the site closer than DELAY.
        times = [h.at for h in site.log]
        assert min(b - a for a, b in itertools.pairwise(times)) >= DELAY * 0.9

        # Second poll, nothing changed: conditional requests answered 304, no page fetched.
        before = len(site.log)
        events.clear()
        second = watcher.poll()
        asked = site.log[before:]
        assert {h.path for h in asked} == {"/rss.xml", "/atom.xml", "/sitemap_index.xml",
                                           "/sitemap-news.xml"}  # fmt: skip
        assert all(h.status == 304 for h in asked)
        rss_hit = next(h for h in asked if h.path == "/rss.xml")
        assert rss_hit.headers["if-none-match"].startswith('"')
        atom_hit = next(h for h in asked if h.path == "/atom.xml")
        assert "if-modified-since" in atom_hit.headers
        assert second.not_modified == 4 and second.fetched == 0 and second.added == 0
        assert sum(e.kind == "not-modified" for e in events) == 4

        # A new item in the RSS feed is picked up on the next poll, and only it is fetched.
        site.add("/rss.xml", _rss(site, texts, [4, 0, 1]), content_type="application/rss+xml")
        third = watcher.poll()
        assert third.new == 1 and third.fetched == 1 and third.added == 1
        assert [len(site.hits(p)) for p in pages] == [1, 1, 1, 1, 1]
        assert site.url("/berita/4.html") in {a.url for a in store.iter_articles()}
        assert store.count_articles() == 5

        # A sitemap whose <lastmod> moved in the index is asked again; its known pages not.
        site.add(
            "/sitemap_index.xml",
            sitemap_index(
                [
                    (site.url("/sitemap-news.xml"), None),
                    (site.url("/sitemap-2024.xml"), "2024-07-01"),
                ]
            ),
            content_type="application/xml",
        )
        site.add(
            "/sitemap-2024.xml",
            urlset([site.url("/berita/0.html"), site.url("/berita/2.html")]),
            content_type="application/xml",
        )
        before = len(site.log)
        fourth = watcher.poll()
        assert [h.status for h in site.log[before:] if h.path == "/sitemap-2024.xml"] == [200]
        assert fourth.new == 0 and fourth.fetched == 0

        # A restart (new watcher, same store) fetches nothing again.
        before = len(site.log)
        restarted = _watcher(_config(site), store).poll()
        assert restarted.fetched == 0 and restarted.added == 0
        assert not any(h.path.startswith("/berita/") for h in site.log[before:])
        watcher.close()


def test_failing_pages_are_reported_and_do_not_stop_the_others(
    store: Store, texts: list[str]
) -> None:
    with Site() as site:
        site.add("/robots.txt", ROBOTS, content_type="text/plain")
        site.add("/ok.html", article_page(texts[1]))
        site.add("/error.html", "<h1>Internal error</h1>", status=500)
        site.add("/slow.html", article_page(texts[2]), delay=1.5)
        site.add("/binary.html", bytes(range(256)) * 40)
        site.add("/foto.jpg", b"\xff\xd8\xff\xe0" + bytes(2000), content_type="image/jpeg")
        site.add("/gone.html", "gone", status=404)
        site.add("/private/x.html", article_page(texts[3]))
        site.add("/pindah.html", "", status=301, headers={"Location": "/private/x.html"})
        site.add("/lama.html", "", status=302, headers={"Location": site.url("/baru.html")})
        site.add("/baru.html", article_page(texts[4]))
        paths = ["/error.html", "/slow.html", "/binary.html", "/foto.jpg", "/gone.html",
                 "/pindah.html", "/lama.html", "/ok.html"]  # fmt: skip
        site.add(
            "/rss.xml",
            rss([(site.url(p), p, "Thu, 20 Jun 2024 10:00:00 +0700") for p in paths]),
            content_type="application/rss+xml",
        )
        config = WatchConfig(
            sources=[Source("feed", site.url("/rss.xml"))],
            delay=0.0,
            timeout=0.5,
            retries=2,
            max_age_days=0,
        )
        events: list[Event] = []
        watcher = _watcher(config, store, events)
        first = watcher.poll()
        assert first.added == 2
        # A redirect is followed (the article keeps its final URL), but not into a path
        # that robots.txt disallows.
        assert {a.url for a in store.iter_articles()} == {
            site.url("/ok.html"),
            site.url("/baru.html"),
        }
        assert site.hits("/private/x.html") == []
        problems = {
            e.where.removeprefix(site.base): e for e in events if e.kind in ("error", "skipped")
        }
        assert set(problems) == set(paths) - {"/ok.html", "/lama.html"}
        assert problems["/pindah.html"].kind == "skipped"
        assert "robots.txt disallows" in problems["/pindah.html"].message
        assert "500" in problems["/error.html"].message
        assert "tried again next poll (1/2)" in problems["/error.html"].fix
        assert "timed out" in problems["/slow.html"].message
        assert "binary" in problems["/binary.html"].message
        assert "image/jpeg" in problems["/foto.jpg"].message
        assert "404" in problems["/gone.html"].message and problems["/gone.html"].fix
        assert all(e.fix for e in problems.values())

        # Transient failures (500, timeout) are retried, up to `retries`; the others not.
        site.add("/slow.html", article_page(texts[2]))  # the slow page recovers
        second = watcher.poll()
        assert second.added == 1
        assert site.url("/slow.html") in {a.url for a in store.iter_articles()}
        assert len(site.hits("/error.html")) == 2
        assert len(site.hits("/binary.html")) == len(site.hits("/foto.jpg")) == 1
        assert len(site.hits("/gone.html")) == 1
        third = watcher.poll()
        assert len(site.hits("/error.html")) == 2  # given up after 2 attempts
        assert third.fetched == 0
        failed = store.get_watch_pages([site.url("/error.html")])[site.url("/error.html")]
        assert failed.state == "failed" and failed.attempts == 2 and "500" in (failed.problem or "")
        watcher.close()


def test_unreachable_feed_and_robots_errors_are_reported(store: Store, texts: list[str]) -> None:
    with Site() as site:
        site.add("/robots.txt", "User-agent: kabar\nDisallow: /\n", content_type="text/plain")
        site.add("/rss.xml", rss([]), content_type="application/rss+xml")
        config = WatchConfig(
            sources=[
                Source("feed", site.url("/rss.xml")),
                Source("feed", "http://127.0.0.1:9/feed.xml"),  # nothing listens on port 9
                Source("sitemap", site.url("/not-a-sitemap.xml")),
            ],
            delay=0.0,
            timeout=1.0,
        )
        events: list[Event] = []
        report = _watcher(config, store, events).poll()
        errors = {e.where: e for e in report.errors}
        assert errors[site.url("/rss.xml")].message == "disallowed by robots.txt"
        assert site.hits("/rss.xml") == []  # our user agent is disallowed everywhere
        assert "robots.txt unreachable" in errors["http://127.0.0.1:9/feed.xml"].message
        assert site.url("/not-a-sitemap.xml") in errors


def test_robots_txt_failing_blocks_the_host_for_the_poll(store: Store, texts: list[str]) -> None:
    """RFC 9309: a robots.txt answering 5xx means "assume everything is disallowed"; it is
    asked once per poll, and again at the next one."""
    with Site() as site:
        site.add("/robots.txt", "down", status=503)
        site.add("/rss.xml", rss([]), content_type="application/rss+xml")
        site.add("/atom.xml", atom([]), content_type="application/atom+xml")
        config = WatchConfig(
            sources=[Source("feed", site.url("/rss.xml")), Source("feed", site.url("/atom.xml"))],
            delay=0.0,
        )
        watcher = _watcher(config, store)
        report = watcher.poll()
        assert [e.message for e in report.errors] == ["robots.txt answered 503"] * 2
        assert len(site.hits("/robots.txt")) == 1 and site.hits("/rss.xml") == []
        site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        assert watcher.poll().errors == []
        assert len(site.hits("/robots.txt")) == 2 and len(site.hits("/rss.xml")) == 1
        watcher.close()


def test_folder_source_ingests_new_files_once(store: Store, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds[:2]:
        shutil.copy(seed, drop / seed.name)
    (drop / ".partial.txt").write_text("hidden files are skipped", encoding="utf-8")
    config = WatchConfig(sources=[Source("folder", str(drop), outlet=None)], settle=0.0)
    events: list[Event] = []
    watcher = _watcher(config, store, events)
    first = watcher.poll()
    assert first.new == 2 and first.added == 2
    assert store.count_articles() == 2
    second = watcher.poll()
    assert second.new == 0 and second.added == 0
    shutil.copy(seeds[2], drop / seeds[2].name)
    (drop / "broken.json").write_text("{not json", encoding="utf-8")
    third = watcher.poll()
    assert third.new == 2 and third.added == 1
    assert any(e.kind == "error" and "broken.json" in e.where for e in third.events)
    assert store.count_articles() == 3
    # A file still being written (modified within `settle` seconds) waits.
    late = WatchConfig(sources=config.sources, settle=60.0)
    shutil.copy(seeds[3], drop / seeds[3].name)
    assert _watcher(late, store).poll().new == 0
    assert _watcher(config, store).poll().added == 1


def test_missing_folder_is_reported(store: Store, tmp_path: Path) -> None:
    config = WatchConfig(sources=[Source("folder", str(tmp_path / "nope"))])
    report = _watcher(config, store).poll()
    assert [e.message for e in report.errors] == ["no such folder"]
    assert report.errors[0].fix


# -- the pure parts ---------------------------------------------------------------------
def test_parse_feed_reads_rss_and_atom(texts: list[str]) -> None:
    base = "http://situs.test"
    items = parse_feed(
        rss([("/berita/1.html", title_of(texts[1]), "Thu, 20 Jun 2024 10:00:00 +0700")]).encode(),
        base + "/rss.xml",
    )
    assert [(i.url, i.title, i.published) for i in items] == [
        (base + "/berita/1.html", title_of(texts[1]), "2024-06-20T10:00:00+07:00")
    ]
    items = parse_feed(atom([(base + "/a", "A", "2024-06-20T10:00:00Z")]).encode(), base + "/f")
    assert [(i.url, i.published) for i in items] == [(base + "/a", "2024-06-20T10:00:00Z")]
    with pytest.raises(NotAFeed):
        parse_feed(article_page(texts[0]).encode(), base + "/rss.xml")


def test_parse_sitemap_reads_index_news_and_text() -> None:
    base = "http://situs.test"
    index = parse_sitemap(
        sitemap_index([(base + "/a.xml", "2024-06-01"), (base + "/b.xml", None)]).encode(), base
    )
    assert index.sitemaps == [(base + "/a.xml", "2024-06-01"), (base + "/b.xml", None)]
    assert index.items == []
    news = parse_sitemap(
        news_sitemap([(base + "/x", "Judul", "2024-06-20")], "Kompas").encode(), base
    )
    assert [(i.url, i.title, i.published, i.outlet) for i in news.items] == [
        (base + "/x", "Judul", "2024-06-20", "Kompas")
    ]
    plain = parse_sitemap(urlset([base + "/y"]).encode(), base)
    assert [(i.url, i.published) for i in plain.items] == [(base + "/y", None)]
    packed = parse_sitemap(gzip.compress(b"\xef\xbb\xbf" + urlset([base + "/z"]).encode()), base)
    assert [i.url for i in packed.items] == [base + "/z"]
    text = parse_sitemap(f"{base}/p\n{base}/q\n".encode(), base)
    assert [i.url for i in text.items] == [base + "/p", base + "/q"]
    for bad in (b"<html><body>hi</body></html>", b"<rss></rss>", b"just words"):
        with pytest.raises(NotAFeed):
            parse_sitemap(bad, base)


def test_sitemap_parser_does_not_expand_entities() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>http://s.test/&x;</loc></url></urlset>"
    )
    urls = [i.url for i in parse_sitemap(bomb, "http://s.test/").items]
    assert not any("root:" in u for u in urls)


def test_config_toml_and_yaml(tmp_path: Path) -> None:
    toml = tmp_path / "watch.toml"
    toml.write_text(
        'delay = 1.5\ninterval = 60\n[[source]]\nfeed = "https://a.test/rss"\noutlet = "A"\n'
        '[[source]]\nfolder = "drop"\n',
        encoding="utf-8",
    )
    config = load_config(toml)
    assert config.delay == 1.5 and config.interval == 60
    assert config.sources[0] == Source("feed", "https://a.test/rss", "A")
    assert config.sources[1] == Source("folder", str((tmp_path / "drop").resolve()))
    yaml = tmp_path / "watch.yaml"
    yaml.write_text(
        "retries: 5\nsource:\n  - sitemap: https://a.test/sitemap.xml\n", encoding="utf-8"
    )
    assert load_config(yaml).sources == [Source("sitemap", "https://a.test/sitemap.xml")]
    for bad, says in (
        ({}, "no source"),
        ({"source": [{"feed": "ftp://x"}]}, "http(s) URL"),
        ({"source": [{"feed": "https://x", "sitemap": "https://y"}]}, "exactly one"),
        ({"source": [{"feed": "https://x"}], "delay": -1}, "≥ 0"),
        ({"source": [{"feed": "https://x"}], "dealy": 1}, "unknown setting"),
    ):
        with pytest.raises(KabarError, match=says.replace("(", r"\(").replace(")", r"\)")):
            parse_config(bad)


def _stores(tmp_path: Path) -> Iterator[Store]:
    yield open_store(tmp_path / "records.db")
    url = os.environ.get("KABAR_TEST_POSTGRES")
    if url:
        pytest.importorskip("psycopg")
        yield open_store(url)


def test_store_keeps_watch_records(tmp_path: Path) -> None:
    for s in _stores(tmp_path):
        with s:
            url = "https://a.test/rss-" + str(time.time_ns())
            s.save_watch_source(WatchedSource(url, etag='"e1"', last_modified="Thu, 20 Jun 2024"))
            got = s.get_watch_source(url)
            assert got is not None and got.etag == '"e1"'
            s.set_watch_children(url, [(url + "/a.xml", "2024-06-01"), (url + "/b.xml", None)])
            s.save_watch_source(WatchedSource(url + "/a.xml", parent=url, etag='"a"'))
            s.set_watch_children(url, [(url + "/a.xml", "2024-06-02")])
            children = s.watch_children(url)
            assert [(c.url, c.lastmod, c.etag) for c in children] == [
                (url + "/a.xml", "2024-06-02", '"a"')
            ]
            pages = [WatchedPage(f"{url}/p{n}", url, title=f"t{n}") for n in range(3)]
            s.save_watch_pages(pages)
            assert set(s.get_watch_pages([p.url for p in pages] + ["x"])) == {p.url for p in pages}
            s.save_watch_pages([WatchedPage(pages[0].url, url, state="done")])
            pending = [p.url for p in s.pending_watch_pages(10) if p.url.startswith(url)]
            assert pending == [pages[1].url, pages[2].url]


# -- the front ends --------------------------------------------------------------------
def test_cli_watch_once(tmp_path: Path, texts: list[str]) -> None:
    with Site() as site:
        _build_site(site, texts)
        config = tmp_path / "watch.toml"
        config.write_text(
            f'delay = 0\nmax_age_days = 0\n[[source]]\nfeed = "{site.url("/rss.xml")}"\n',
            encoding="utf-8",
        )
        db = str(tmp_path / "cli.db")
        runner = CliRunner()
        first = runner.invoke(app, ["watch", str(config), "--once", "--db", db])
        # The private page is refused by robots.txt: reported, skipped, not an error.
        assert first.exit_code == 0, first.output
        assert "2 articles added" in first.output
        assert "skipped" in first.output and "disallowed by robots.txt" in first.output
        second = runner.invoke(app, ["watch", str(config), "--once", "--db", db, "--json"])
        report = json.loads(second.output.strip().splitlines()[-1])
        assert report["not_modified"] == 1 and report["fetched"] == 0 and report["added"] == 0
        site.add("/rss.xml", "<h1>Internal error</h1>", status=500)
        third = runner.invoke(app, ["watch", str(config), "--once", "--db", db])
        assert third.exit_code == 1 and "HTTP 500" in third.output
        bad = tmp_path / "bad.toml"
        bad.write_text("[[source]]\nfeed = 'nope'\n", encoding="utf-8")
        result = runner.invoke(app, ["watch", str(bad), "--once", "--db", db])
        assert result.exit_code == 1 and "http(s) URL" in result.output


def test_server_watches_in_the_background(tmp_path: Path, texts: list[str]) -> None:
    from fastapi.testclient import TestClient

    from kabar.api import create_app

    with Site() as site:
        _build_site(site, texts)
        config = WatchConfig(
            sources=[Source("feed", site.url("/rss.xml"))],
            delay=0.0,
            interval=0.2,
            max_age_days=0,
        )
        db = str(tmp_path / "served.db")
        events: list[Event] = []
        app_ = create_app(db, watch=config, on_watch_event=events.append, cache_bytes=0)
        with TestClient(app_) as client:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if client.get("/api/v1/stories").json().get("items"):
                    break
                time.sleep(0.2)
            stories = client.get("/api/v1/stories").json()["items"]
            assert stories, events
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not any(e.kind == "not-modified" for e in events):
                time.sleep(0.1)
        assert any(e.kind == "not-modified" for e in events)  # polled again, conditionally
        assert [len(site.hits(f"/berita/{n}.html")) for n in (0, 1)] == [1, 1]
        with open_store(db) as s:
            assert s.count_articles() == 2


def test_robots_crawl_delay_wins_over_a_shorter_delay(store: Store, texts: list[str]) -> None:
    with Site() as site:
        site.add("/robots.txt", "User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
        for n in (0, 1):
            site.add(f"/berita/{n}.html", article_page(texts[n]))
        site.add("/rss.xml", _rss(site, texts, [0, 1]), content_type="application/rss+xml")
        config = WatchConfig(
            sources=[Source("feed", site.url("/rss.xml"))], delay=0.0, max_age_days=0
        )
        _watcher(config, store).poll()
        times = [h.at for h in site.log if h.path != "/robots.txt"]
        assert len(times) == 4  # the feed, two pages, the private one (allowed here: a 404)
        assert min(b - a for a, b in itertools.pairwise(times)) >= 0.95


def test_example_config_reads() -> None:
    config = load_config(SEEDS.parent / "watch.toml")
    assert [s.kind for s in config.sources] == ["feed", "sitemap", "folder"]
    assert config.interval == 300 and config.retries == 3


def test_age_limit_skips_old_items_and_archive_sitemaps(store: Store, texts: list[str]) -> None:
    """Following a news sitemap index must not crawl the site's archive: items dated, and
    listed sitemaps modified, before max_age_days are left alone."""
    today = datetime.now(UTC)
    fresh = format_datetime(today - timedelta(hours=5))
    with Site() as site:
        for n in (0, 1, 2):
            site.add(f"/berita/{n}.html", article_page(texts[n]))
        site.add(
            "/rss.xml",
            rss(
                [
                    (site.url("/berita/0.html"), title_of(texts[0]), fresh),
                    (site.url("/berita/1.html"), title_of(texts[1]), RSS_DATES[1]),
                ]
            ),
            content_type="application/rss+xml",
        )
        site.add(
            "/sitemap_index.xml",
            sitemap_index(
                [
                    (site.url("/sitemap-baru.xml"), today.date().isoformat()),
                    (site.url("/sitemap-2018-09.xml"), "2018-09-30"),
                ]
            ),
            content_type="application/xml",
        )
        site.add(
            "/sitemap-baru.xml",
            urlset([site.url("/berita/2.html")]),
            content_type="application/xml",
        )
        site.add(
            "/sitemap-2018-09.xml",
            urlset([site.url("/berita/1.html")]),
            content_type="application/xml",
        )
        config = WatchConfig(
            sources=[
                Source("feed", site.url("/rss.xml")),
                Source("sitemap", site.url("/sitemap_index.xml")),
            ],
            delay=0.0,
            max_age_days=3,
        )
        events: list[Event] = []
        report = _watcher(config, store, events).poll()
        assert report.added == 2
        assert {a.url for a in store.iter_articles()} == {
            site.url("/berita/0.html"),
            site.url("/berita/2.html"),
        }
        assert site.hits("/berita/1.html") == [] and site.hits("/sitemap-2018-09.xml") == []
        assert any("1 older than 3 days skipped" in e.message for e in events)


def test_robots_txt_redirect_is_followed(store: Store, texts: list[str]) -> None:
    with Site() as site:
        site.add("/robots.txt", "", status=301, headers={"Location": "/aturan/robots.txt"})
        site.add("/aturan/robots.txt", ROBOTS, content_type="text/plain")
        site.add("/berita/0.html", article_page(texts[0]))
        site.add("/rss.xml", _rss(site, texts, [0]), content_type="application/rss+xml")
        config = WatchConfig(
            sources=[Source("feed", site.url("/rss.xml"))], delay=0.0, max_age_days=0
        )
        report = _watcher(config, store).poll()
        assert report.added == 1 and report.skipped == 1
        assert site.hits("/private/rahasia.html") == []
