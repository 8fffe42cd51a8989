"""The PostgreSQL store's own tests: schema versions, URLs, its search text, the CLI and API.

The backend-neutral behaviour is tested once, in ``tests/test_store.py``, whose ``store``
fixture is parametrised over SQLite and PostgreSQL; here are the counterparts of its
SQLite-specific tests (PRAGMAs, ``sqlite_master``) and what only PostgreSQL has. The server comes from ``KABAR_TEST_POSTGRES`` (a ``postgresql://`` URL
of a role that may CREATE DATABASE), which ``make test`` sets by starting a throwaway server
with ``scripts/postgres.sh``; without it these tests skip.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import test_store as shared
from conftest import SEEDS
from helpers_store import NO_POSTGRES, POSTGRES_SERVER, STORY_ID, postgres_database
from typer.testing import CliRunner

from kabar.errors import KabarError
from kabar.model import Article, Story
from kabar.store import Store, open_store

psycopg = pytest.importorskip(
    "psycopg", reason="psycopg not installed: pip install kabar[postgres]"
)

from kabar.store.postgres import MIGRATIONS, PostgresStore, index_text, query_text, redact  # noqa: E402

# The fixtures of tests/test_store.py, for this module's PostgreSQL-only tests (the
# backend-neutral tests run on both backends there, through its parametrised ``store``).
TEMPO_ID = shared.TEMPO_ID
articles = shared.articles
filled = shared.filled

pytestmark = pytest.mark.skipif(not POSTGRES_SERVER, reason=NO_POSTGRES)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty database on the test server, dropped afterwards."""
    with postgres_database() as url:
        yield url


@pytest.fixture
def store(pg_url: str) -> Iterator[Store]:
    with open_store(pg_url) as s:
        assert isinstance(s, PostgresStore)
        yield s


def _sql(store: Store, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    assert isinstance(store, PostgresStore)
    cursor = store.connection.execute(sql, params)
    return cursor.fetchall() if cursor.description is not None else []


def _tables(store: Store) -> set[str]:
    rows = _sql(store, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return {r["tablename"] for r in rows}


# -- opening and migrations -----------------------------------------------------------


def test_open_store_dispatches_postgresql_urls(pg_url: str) -> None:
    for url in (pg_url, pg_url.replace("postgresql://", "postgresql+psycopg://", 1)):
        with open_store(url) as s:
            assert isinstance(s, PostgresStore)
            assert s.count_articles() == 0


def test_migrations_create_schema_and_record_version(store: Store) -> None:
    assert {
        "articles",
        "stories",
        "story_articles",
        "article_entities",
        "grouping_state",
        "schema_version",
    } <= _tables(store)
    versions = [r["version"] for r in _sql(store, "SELECT version FROM schema_version ORDER BY 1")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_reopening_is_a_no_op(pg_url: str, articles: list[Article]) -> None:
    schema_sql = (
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = current_schema() ORDER BY 1, 2"
    )
    with open_store(pg_url) as s:
        s.add_articles(articles[:2])
        schema = _sql(s, schema_sql)
    with open_store(pg_url) as s, open_store(pg_url) as t:  # two openers, no double migration
        assert _sql(s, "SELECT count(*) AS n FROM schema_version")[0]["n"] == len(MIGRATIONS)
        assert _sql(s, schema_sql) == schema
        assert s.count_articles() == t.count_articles() == 2


def test_newer_schema_is_refused(pg_url: str) -> None:
    with open_store(pg_url) as s:
        _sql(s, "INSERT INTO schema_version (version) VALUES (%s)", (len(MIGRATIONS) + 1,))
    with pytest.raises(KabarError, match="newer"):
        open_store(pg_url)


def test_unreachable_server_is_a_kabar_error_without_password() -> None:
    url = "postgresql://kabar:s3cret@127.0.0.1:1/kabar?connect_timeout=2"
    with pytest.raises(KabarError, match="cannot open PostgreSQL") as info:
        open_store(url)
    assert "s3cret" not in str(info.value)
    assert redact(url) == "postgresql://kabar:***@127.0.0.1:1/kabar?connect_timeout=2"


def test_query_text_keeps_only_words() -> None:
    assert query_text('a "b" (c* Sóchi') == "a b c sochi"
    assert query_text("'; DROP TABLE articles; --") == "drop table articles"
    assert query_text("!!! & | <->") == ""
    assert index_text("“Putin” — Sóchi\x00x, COVID-19") == "putin sochi x covid 19"


# -- stories ----------------------------------------------------------------------------


def test_replace_stories_replaces_everything(filled: Store, articles: list[Article]) -> None:
    small = Story(id="s2", title="Sochi", article_ids=[TEMPO_ID], last_date="2018-09-06")
    big = Story(id="s3", title="Hanoi", article_ids=[a.id for a in articles[:3]])
    filled.replace_stories([small, big])
    assert filled.get_story(STORY_ID) is None
    assert [s.id for s in filled.list_stories()] == ["s3", "s2"]  # more articles first
    assert filled.stories_of_article(TEMPO_ID) == ["s2"]
    rows = _sql(filled, "SELECT story_id, count(*) AS n FROM story_articles GROUP BY 1")
    assert {r["story_id"]: r["n"] for r in rows} == {"s2": 1, "s3": 3}
    filled.replace_stories([])
    assert filled.count_stories() == 0
    assert _sql(filled, "SELECT count(*) AS n FROM story_articles")[0]["n"] == 0


# -- concurrency ---------------------------------------------------------------------------


def test_two_connections_and_threads(pg_url: str, articles: list[Article]) -> None:
    with open_store(pg_url) as writer, open_store(pg_url) as reader:
        writer.add_articles(articles[:2])
        assert reader.count_articles() == 2
        errors: list[BaseException] = []

        def work(i: int) -> None:
            try:
                writer.add_articles([articles[2 + i % 3]])
                reader.list_articles()
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert reader.count_articles() == len(articles)


# -- end to end: the real pipeline through the CLI ---------------------------------------------


def test_cli_ingest_seeds_into_postgres_is_idempotent(pg_url: str, tmp_path: Path) -> None:
    from kabar.cli import app

    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(SEEDS), "--db", pg_url, "--json"])
    assert first.exit_code == 0, first.output
    assert len(json.loads(first.output)["added"]) == 5
    stories = json.loads(runner.invoke(app, ["stories", "--db", pg_url, "--json"]).output)
    assert len(stories) == 1 and stories[0]["articles"] == 5

    second = runner.invoke(app, ["ingest", str(SEEDS), "--db", pg_url, "--json"])
    assert second.exit_code == 0, second.output
    report = json.loads(second.output)
    assert report["added"] == [] and len(report["existing"]) == 5 and report["stories"] == 1
    again = json.loads(runner.invoke(app, ["stories", "--db", pg_url, "--json"]).output)
    assert again == stories
    hits = json.loads(runner.invoke(app, ["search", "Sochi", "--db", pg_url, "--json"]).output)
    assert hits and "[[Sochi]]" in hits[0]["snippet"]
    with open_store(pg_url) as s:
        assert s.count_articles() == 5
        pg_ids = [a.id for a in s.iter_articles()]
    # The same command on SQLite gives the same stories and articles: the backends agree.
    lite = str(tmp_path / "kabar.db")
    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", lite]).exit_code == 0
    assert json.loads(runner.invoke(app, ["stories", "--db", lite, "--json"]).output) == stories
    with open_store(lite) as s:
        assert [a.id for a in s.iter_articles()] == pg_ids


def test_concurrent_first_opens_migrate_once(pg_url: str) -> None:
    errors: list[BaseException] = []

    def open_and_count() -> None:
        try:
            with open_store(pg_url) as s:
                s.count_articles()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_count) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(pg_url) as s:
        versions = [r["version"] for r in _sql(s, "SELECT version FROM schema_version")]
    assert sorted(versions) == list(range(1, len(MIGRATIONS) + 1))


def test_api_serves_the_seed_story_from_postgres(pg_url: str) -> None:
    from fastapi.testclient import TestClient
    from helpers_store import ingest_seeds

    from kabar.api import create_app

    ingest_seeds(pg_url)
    client = TestClient(create_app(pg_url, api_key=""))
    health = client.get("/api/v1/health")
    assert health.status_code == 200 and health.json()["articles"] == 5
    stories = client.get("/api/v1/stories").json()
    assert stories["total"] == 1 and stories["items"][0]["size"] == 5
    assert client.get("/api/v1/articles", params={"outlet": "Tempo"}).json()["total"] == 1


def test_nul_characters_are_stored_not_fatal(store: Store, articles: list[Article]) -> None:
    # PostgreSQL text cannot hold U+0000, which scraped text (and the pipeline) may carry;
    # the backend stores U+FFFD instead, one character for one, so offsets stay valid.
    base = articles[0]
    nul = dataclasses.replace(
        base,
        id="00000000000000ab",
        title="Judul\x00berita",
        body=base.body.replace(" ", "\x00", 1),
        outlet="Out\x00let",
    )
    assert store.add_articles([nul]).added == [nul.id]
    got = store.get_article(nul.id)
    assert got is not None
    assert got.title == "Judul\ufffdberita" and got.outlet == "Out\ufffdlet"
    assert len(got.body) == len(nul.body) and "\x00" not in got.body
    assert [(m.start, m.end) for m in got.mentions] == [(m.start, m.end) for m in nul.mentions]
    assert store.count_articles(outlet="Out\x00let") == 1  # user filters are cleaned alike
    assert store.search("Judul\x00berita")[0].article_id == nul.id
    quoted = dataclasses.replace(base, id="00000000000000ac", title="“Zomboid” — kata")
    store.add_articles([quoted])  # curly quotes do not glue to the word, whatever the locale
    assert [h.article_id for h in store.search("zomboid")] == [quoted.id]
