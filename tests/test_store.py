"""The SQLite store: schema and migrations, atomic batches, round trips, search, entities."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_store import STORY_ID, seed_articles, seed_story

from kabar.errors import KabarError
from kabar.model import Article, Story, to_dict
from kabar.store import MIGRATIONS, AddResult, SQLiteStore, Store, fts_query, open_store

TEMPO_ID = "829b5d904503e740"


@pytest.fixture
def articles() -> list[Article]:
    return seed_articles()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "kabar.db") as s:
        yield s


@pytest.fixture
def filled(store: Store, articles: list[Article]) -> Store:
    store.add_articles(articles)
    store.replace_stories([seed_story(articles)])
    return store


def _conn(store: Store) -> sqlite3.Connection:
    assert isinstance(store, SQLiteStore)
    return store.connection


def _tables(store: Store) -> set[str]:
    rows = _conn(store).execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    return {r[0] for r in rows}


# -- opening and migrations -----------------------------------------------------------


def test_migrations_create_schema_and_set_user_version(store: Store) -> None:
    assert {"articles", "articles_fts", "stories", "story_articles", "article_entities"} <= (
        _tables(store)
    )
    assert _conn(store).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_reopening_is_a_no_op(tmp_path: Path, articles: list[Article]) -> None:
    path = tmp_path / "kabar.db"
    with open_store(path) as s:
        s.add_articles(articles[:2])
        schema = _conn(s).execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    with open_store(f"sqlite:///{path}") as s:
        assert _conn(s).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert _conn(s).execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
        assert s.count_articles() == 2


def test_pragmas_wal_foreign_keys_busy_timeout(store: Store) -> None:
    conn = _conn(store)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_integrity_check_ok(filled: Store) -> None:
    assert _conn(filled).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _conn(filled).execute("PRAGMA foreign_key_check").fetchall() == []


def test_unknown_url_scheme_is_refused(tmp_path: Path) -> None:
    # postgresql:// URLs now open the PostgreSQL backend (tests/test_store_postgres.py).
    with pytest.raises(KabarError, match="unsupported database URL scheme"):
        open_store("mysql://localhost/kabar")


def test_not_a_database_is_a_kabar_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(KabarError, match="not a database"):
        open_store(bogus)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kabar.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(KabarError, match="newer"):
        open_store(path)


# -- articles ---------------------------------------------------------------------------


def test_add_then_readd_is_idempotent(store: Store, articles: list[Article]) -> None:
    first = store.add_articles(articles)
    assert isinstance(first, AddResult)
    assert first.added == [a.id for a in articles]
    assert first.existing == []
    second = store.add_articles(iter(articles))  # any iterable
    assert second.added == []
    assert second.existing == [a.id for a in articles]
    assert store.count_articles() == len(articles)


def test_bad_object_fails_the_whole_batch(store: Store, articles: list[Article]) -> None:
    with pytest.raises(TypeError):
        store.add_articles([articles[0], {"id": "not an article"}, articles[1]])  # type: ignore[list-item]
    bad_id = dataclasses.replace(articles[2], id="XYZ")
    with pytest.raises(ValueError, match="16 lowercase hex"):
        store.add_articles([articles[0], articles[1], bad_id])
    assert store.count_articles() == 0
    assert not store.has_article(articles[0].id)
    assert store.search("Putin") == []
    assert store.list_entities() == []


def test_article_round_trip(store: Store, articles: list[Article]) -> None:
    store.add_articles(articles)
    for article in articles:
        assert store.has_article(article.id)
        got = store.get_article(article.id)
        assert got is not None
        assert to_dict(got) == to_dict(article)
        assert got.mentions and got.mentions[0].__class__.__name__ == "Mention"
    assert store.get_article("0" * 16) is None
    assert not store.has_article("0" * 16)


def test_list_articles_order_filters_and_paging(store: Store, articles: list[Article]) -> None:
    undated = dataclasses.replace(articles[0], id="00000000000000aa", published=None)
    store.add_articles([*articles, undated])
    listed = store.list_articles()
    dates = [a.published for a in listed]
    assert dates[-1] is None
    assert dates[:-1] == sorted(dates[:-1], reverse=True)  # type: ignore[type-var]
    # Same date: tie broken by id.
    same_day = [a.id for a in listed if a.published == "2024-06-20"]
    assert same_day == sorted(same_day)
    assert [a.id for a in store.list_articles(limit=2, offset=1)] == [a.id for a in listed[1:3]]
    tempo = store.list_articles(outlet="Tempo")
    assert [a.id for a in tempo] == [TEMPO_ID]
    assert store.count_articles(outlet="Tempo") == 1
    assert store.list_articles(language="en") == []
    assert store.count_articles(language="id") == len(articles) + 1
    with pytest.raises(ValueError):
        store.list_articles(limit=-1)


def test_iter_articles_oldest_first_undated_last(store: Store, articles: list[Article]) -> None:
    undated = dataclasses.replace(articles[0], id="00000000000000aa", published=None)
    store.add_articles([undated, *articles])
    got = list(store.iter_articles())
    assert len(got) == len(articles) + 1
    assert got[0].id == TEMPO_ID  # 2018
    assert got[-1].id == undated.id
    dates = [a.published for a in got[:-1]]
    assert dates == sorted(dates)  # type: ignore[type-var]


def test_iter_articles_pages_through_many(store: Store, articles: list[Article]) -> None:
    base = articles[0]
    many = [
        dataclasses.replace(base, id=f"{i:016x}", published=f"2020-01-{i % 28 + 1:02d}")
        for i in range(1203)
    ]
    store.add_articles(many)
    ids = [a.id for a in store.iter_articles()]
    assert len(ids) == len(set(ids)) == 1203
    keys = [(a.published or "", a.id) for a in store.iter_articles()]
    assert keys == sorted(keys)


# -- stories ---------------------------------------------------------------------------


def test_story_round_trip_with_timeline(filled: Store, articles: list[Article]) -> None:
    story = seed_story(articles)
    got = filled.get_story(STORY_ID)
    assert got is not None
    assert to_dict(got) == to_dict(story)
    assert [e.date for e in got.timeline] == ["2018-09-06", "2024-06-20"]
    assert got.timeline[1].outlets == ["Koran Jakarta", "reporter.web.id"]
    assert filled.count_stories() == 1
    assert filled.stories_of_article(TEMPO_ID) == [STORY_ID]
    assert filled.get_story("missing") is None


def test_replace_stories_replaces_everything(filled: Store, articles: list[Article]) -> None:
    small = Story(id="s2", title="Sochi", article_ids=[TEMPO_ID], last_date="2018-09-06")
    big = Story(id="s3", title="Hanoi", article_ids=[a.id for a in articles[:3]])
    filled.replace_stories([small, big])
    assert filled.get_story(STORY_ID) is None
    assert [s.id for s in filled.list_stories()] == ["s3", "s2"]  # more articles first
    assert filled.stories_of_article(TEMPO_ID) == ["s2"]
    rows = _conn(filled).execute("SELECT story_id, count(*) FROM story_articles GROUP BY 1")
    assert dict(rows.fetchall()) == {"s2": 1, "s3": 3}
    filled.replace_stories([])
    assert filled.count_stories() == 0
    assert _conn(filled).execute("SELECT count(*) FROM story_articles").fetchone()[0] == 0


def test_replace_stories_is_atomic(filled: Store) -> None:
    good = Story(id="ok", title="ok", article_ids=[TEMPO_ID])
    dangling = Story(id="bad", title="bad", article_ids=["ffffffffffffffff"])
    with pytest.raises(KabarError, match="bad"):
        filled.replace_stories([good, dangling])
    assert [s.id for s in filled.list_stories()] == [STORY_ID]  # old set intact
    with pytest.raises(KabarError):
        filled.replace_stories([good, good])  # duplicate id
    assert filled.count_stories() == 1


def test_list_stories_order_and_paging(filled: Store, articles: list[Article]) -> None:
    stories = [
        Story(id="a", title="a", article_ids=[articles[0].id], last_date="2020-01-01"),
        Story(id="b", title="b", article_ids=[articles[1].id], last_date="2024-01-01"),
        Story(id="c", title="c", article_ids=[a.id for a in articles[:2]], last_date="2019-01-01"),
    ]
    filled.replace_stories(stories)
    assert [s.id for s in filled.list_stories()] == ["c", "b", "a"]
    assert [s.id for s in filled.list_stories(limit=1, offset=1)] == ["b"]


# -- search -----------------------------------------------------------------------------


def test_search_finds_sochi_in_tempo(filled: Store) -> None:
    hits = filled.search("Sochi")
    assert hits, "Sochi must be found"
    assert hits[0].article_id == TEMPO_ID
    assert hits[0].outlet == "Tempo"
    assert "[[Sochi]]" in hits[0].snippet
    assert all(isinstance(h.score, float) for h in hits)


def test_search_ranks_and_limits(filled: Store) -> None:
    hits = filled.search("Putin Vietnam", limit=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert filled.search("sochi")[0].article_id == TEMPO_ID  # case-insensitive


def test_search_ignores_diacritics(filled: Store) -> None:
    assert filled.search("Sóchi")[0].article_id == TEMPO_ID


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "AND OR (",
        "*",
        "'; DROP TABLE articles; --",
        "NEAR(",
        "title:Putin",
        "^",
        "-",
        'Putin"',
    ],
)
def test_hostile_queries_never_raise(filled: Store, query: str) -> None:
    hits = filled.search(query)
    assert isinstance(hits, list)
    assert filled.count_articles() == 5  # and nothing was dropped


def test_empty_query_returns_nothing(filled: Store) -> None:
    assert filled.search("") == []
    assert filled.search("   ") == []
    assert fts_query('a "b" (c*') == '"a" "b" "c"'


# -- entities -----------------------------------------------------------------------------


def test_list_entities_aggregates(filled: Store, articles: list[Article]) -> None:
    entities = filled.list_entities()
    putin = next(e for e in entities if e.name == "Vladimir Putin")
    expected_mentions = sum(
        1 for a in articles for m in a.mentions if m.canonical == "Vladimir Putin"
    )
    assert putin.label == "PER"
    assert putin.mentions == expected_mentions
    assert putin.articles == len(articles)
    assert putin.aliases == ["Putin", "Vladimir Putin"]
    sochi = next(e for e in entities if e.name == "Sochi")
    assert sochi.articles == 1
    keys = [(e.articles, e.mentions) for e in entities]
    assert keys == sorted(keys, reverse=True)
    assert filled.count_entities() == len(entities)


def test_list_entities_label_filter_and_limit(filled: Store) -> None:
    locs = filled.list_entities(label="LOC")
    assert {e.name for e in locs} == {"Vietnam", "Sochi"}
    assert filled.count_entities(label="LOC") == 2
    assert len(filled.list_entities(limit=1)) == 1
    assert filled.list_entities(label="ORG") == []


# -- concurrency ---------------------------------------------------------------------------


def test_two_connections_and_threads(tmp_path: Path, articles: list[Article]) -> None:
    path = tmp_path / "kabar.db"
    with open_store(path) as writer, open_store(path) as reader:
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
