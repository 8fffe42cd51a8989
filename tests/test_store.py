"""The store on both backends: atomic batches, round trips, search, entities, and the
indexed queries the API asks (story filters with keyset paging, entity pages), checked
against their plain-Python meaning.

The ``store`` fixture is parametrised over SQLite and PostgreSQL (a fresh database on the
server of ``KABAR_TEST_POSTGRES``; skipped without it), so every behavioural test runs on
both. Tests that read SQLite's own tables or PRAGMAs skip on PostgreSQL; their counterparts
are in ``tests/test_store_postgres.py``."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers_store import (
    BACKENDS,
    STORY_ID,
    postgres_database,
    seed_articles,
    seed_story,
)

from kabar.errors import KabarError
from kabar.model import Article, Story, to_dict
from kabar.store import (
    MIGRATIONS,
    SEARCH_POOL,
    AddResult,
    SQLiteStore,
    Store,
    StoryQuery,
    fts_query,
    open_store,
    sql,
)

TEMPO_ID = "829b5d904503e740"


@pytest.fixture
def articles() -> list[Article]:
    return seed_articles()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty store on each backend."""
    if request.param == "sqlite":
        with open_store(tmp_path / "kabar.db") as s:
            yield s
        return
    pytest.importorskip("psycopg", reason="psycopg not installed: pip install kabar[postgres]")
    with postgres_database() as url, open_store(url) as s:
        yield s


@pytest.fixture
def filled(store: Store, articles: list[Article]) -> Store:
    store.add_articles(articles)
    store.replace_stories([seed_story(articles)])
    return store


def _conn(store: Store) -> sqlite3.Connection:
    """SQLite's connection; a test that needs it skips on PostgreSQL."""
    if not isinstance(store, SQLiteStore):
        pytest.skip("reads SQLite's own tables (PostgreSQL: tests/test_store_postgres.py)")
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


def test_article_pages_follow_the_list_order_by_cursor(
    store: Store, articles: list[Article]
) -> None:
    """Keyset pages (``next`` cursors) walk the list order exactly: across same-day ties,
    from dated to undated articles, with each filter; any page size."""
    base = articles[0]
    many = [
        dataclasses.replace(
            base,
            id=f"{i:016x}",
            published=None if i % 7 == 0 else f"2020-01-{i % 5 + 1:02d}",
            outlet=("A", "B")[i % 2],
            language=("id", "en")[i % 3 == 0],
        )
        for i in range(1, 60)
    ]
    store.add_articles([*articles, *many])
    for outlet, language in ((None, None), ("A", None), (None, "en"), ("B", "id")):
        expected = [a.id for a in store.list_articles(limit=500, outlet=outlet, language=language)]
        assert len(expected) == store.count_articles(outlet=outlet, language=language) > 3
        for size in (1, 4, 7, 500):
            seen: list[str] = []
            after = None
            while True:
                page = store.article_page(size, outlet, language, after=after)
                assert len(page.items) <= size
                seen += [a.id for a in page.items]
                if page.next is None:
                    break
                after = page.next
            assert seen == expected, (outlet, language, size)
        first = store.article_page(3, outlet, language)
        assert first.next is not None
        skipped = store.article_page(2, outlet, language, offset=1, after=first.next)
        assert [a.id for a in skipped.items] == expected[4:6]
    for bad in ("", "notacursor", "WyJ4Il0", "WzEsMl0"):  # not base64 JSON; ["x"]; [1,2]
        with pytest.raises(ValueError):
            store.article_page(3, after=bad)


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


def test_a_transaction_commits_its_writes_together_or_not_at_all(
    store: Store, articles: list[Article]
) -> None:
    """The live writer's add: the article and its grouping in one transaction. A write
    failing inside rolls back alone (a savepoint: PostgreSQL's transaction stays usable);
    an error leaving the transaction rolls back every write in it."""
    good = Story(id="ok", title="ok", article_ids=[articles[0].id])
    dangling = Story(id="bad", title="bad", article_ids=["ffffffffffffffff"])
    with pytest.raises(RuntimeError), store.transaction():
        store.add_articles(articles[:1])
        store.save_stories([good])
        raise RuntimeError("the worker died")
    assert (store.count_articles(), store.count_stories()) == (0, 0)
    with store.transaction():
        store.add_articles(articles[:1])
        with pytest.raises(KabarError, match="bad"):
            store.save_stories([dangling])
        store.save_stories([good])
    assert (store.count_articles(), store.count_stories()) == (1, 1)
    assert store.stories_of_article(articles[0].id) == ["ok"]


def test_a_store_that_hands_off_checkpoints_leaves_the_log_to_checkpoint(
    tmp_path: Path,
) -> None:
    """SQLite: the live writer's commits never fold the write-ahead log into the database
    (the commit that filled it to 1,000 pages did, 100-200 ms on a busy disk, and the add
    waited); its records thread does, with :meth:`Store.checkpoint`."""
    frames: dict[str, int] = {}
    for name in ("default", "handed-off"):
        with open_store(tmp_path / f"{name}.db") as s:
            if name == "handed-off":
                s.hand_off_checkpoints()
            for n in range(1_500):
                s.save_grouping_state(bytes([n % 256]) * 3_000, n)
            _busy, log, _done = _conn(s).execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            frames[name] = log
            s.save_grouping_state(b"after", 0)
            s.checkpoint()
            _busy, log, done = _conn(s).execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            assert log == done  # all folded in
    assert frames["default"] <= 1_100 < 1_500 <= frames["handed-off"]


def test_a_brief_member_page_lists_what_the_full_one_does(
    store: Store, articles: list[Article]
) -> None:
    """A story page's members read brief (no text, no analysis) show the same in a list:
    same order, same cursor, same summary fields; an article stored before kinds were is
    read whole, its kind judged from its text."""
    from kabar.api.schemas import ArticleSummary
    from kabar.meta.kind import kind_of

    old = dataclasses.replace(articles[2], id="0123456789abcdef", kind=None)
    articles = [dataclasses.replace(a, kind=kind_of(a)) for a in articles]
    filled = store
    filled.add_articles([*articles, old])
    filled.replace_stories(
        [Story(id="s", title="s", article_ids=[*(a.id for a in articles), old.id])]
    )
    full = filled.story_article_page("s", 2)
    brief = filled.story_article_page("s", 2, brief=True)
    assert [a.id for a in brief.items] == [a.id for a in full.items] and brief.next == full.next
    seen: list[str] = []
    cursor = None
    while True:
        page = filled.story_article_page("s", 2, after=cursor, brief=True)
        whole = filled.story_article_page("s", 2, after=cursor)
        assert [ArticleSummary.of(a) for a in page.items] == [
            ArticleSummary.of(a) for a in whole.items
        ]
        seen += [a.id for a in page.items]
        if page.next is None:
            break
        cursor = page.next
    assert sorted(seen) == sorted([*(a.id for a in articles), old.id])
    assert all(not a.body or a.id == old.id for a in brief.items)


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


def test_grouping_rewrites_an_article_without_reindexing_its_unchanged_text(
    filled: Store, articles: list[Article]
) -> None:
    """Grouping writes each new article's data again (resolved names, ``duplicate_of``):
    its search row is rewritten only if the title or body changed (the rewrite deleted by
    an unindexed column, reading the whole index at every add)."""
    conn = _conn(filled)

    def fts_row() -> int:
        row = conn.execute("SELECT rowid FROM articles_fts WHERE article_id = ?", (TEMPO_ID,))
        return int(row.fetchone()[0])

    before = fts_row()
    tempo = next(a for a in articles if a.id == TEMPO_ID)
    other = next(a for a in articles if a.id != TEMPO_ID)
    filled.save_grouping([dataclasses.replace(tempo, duplicate_of=other.id)], [])
    assert fts_row() == before
    assert filled.search("Sochi")[0].article_id == TEMPO_ID
    # A changed body is indexed again: its new words are found, its old ones are not.
    with filled._write() as tx:  # type: ignore[attr-defined]
        tx.execute(
            "UPDATE articles SET data = json_set(data, '$.body', 'Zanzibar cloves') WHERE id = ?",
            (TEMPO_ID,),
        )
    assert fts_row() != before
    assert [h.article_id for h in filled.search("Zanzibar")] == [TEMPO_ID]
    assert TEMPO_ID not in {h.article_id for h in filled.search("Sochi")}


def test_search_ranks_and_limits(filled: Store) -> None:
    hits = filled.search("Putin Vietnam", limit=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert filled.search("sochi")[0].article_id == TEMPO_ID  # case-insensitive


def test_search_ranks_a_bounded_pool_of_the_newest_matches(
    store: Store, articles: list[Article]
) -> None:
    """A common word's every match is never ranked: both backends rank the SEARCH_POOL
    newest (stored oldest first here, so the last stored are the newest published)."""
    start = date(2020, 1, 1)
    many = [
        dataclasses.replace(
            articles[0],
            id=f"{i:016x}",
            title=f"Zomboid membuka kantor ke-{i}",
            published=(start + timedelta(days=i)).isoformat(),
        )
        for i in range(SEARCH_POOL + 30)
    ]
    store.add_articles(many)
    hits = store.search("zomboid", limit=1000)
    assert {h.article_id for h in hits} == {a.id for a in many[-SEARCH_POOL:]}
    assert [h.article_id for h in store.search("zomboid", limit=5)] == [
        h.article_id for h in hits[:5]
    ]


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


# -- corpus-level writes ---------------------------------------------------------------------


def test_grouping_state_and_increments(store: Store, articles: list[Article]) -> None:
    store.add_articles(articles)
    assert store.load_grouping_state() is None
    resolved = [dataclasses.replace(a, duplicate_of=None) for a in articles]
    resolved[1] = dataclasses.replace(resolved[1], duplicate_of=articles[0].id, mentions=[])
    story = seed_story(articles)
    store.save_grouping(resolved, [story], state=b"\x00state-1\xff")
    assert store.load_grouping_state() == (b"\x00state-1\xff", len(articles))
    got = store.get_article(articles[1].id)
    assert got is not None and got.duplicate_of == articles[0].id and got.mentions == []
    names = {e.name for e in store.list_entities()}
    assert "Vladimir Putin" in names
    assert store.list_entities()[0].articles == len(articles) - 1  # entities of [1] replaced

    # One increment: the story is replaced by id, another is merged away, state advances.
    other = Story(id="other", title="other", article_ids=[TEMPO_ID])
    store.save_increment([], [other], [], b"state-2", 6)
    grown = dataclasses.replace(story, title="grown")
    store.save_increment([resolved[0]], [grown], ["other"], b"state-3", 7)
    assert [s.title for s in store.list_stories()] == ["grown"]
    assert store.stories_of_article(TEMPO_ID) == [STORY_ID]
    assert store.load_grouping_state() == (b"state-3", 7)
    # replace_stories drops the state: it described the old stories.
    store.replace_stories([])
    assert store.load_grouping_state() is None


def test_failed_increment_changes_nothing(store: Store, articles: list[Article]) -> None:
    store.add_articles(articles)
    store.save_grouping(articles, [seed_story(articles)], state=b"s1")
    dangling = Story(id="bad", title="bad", article_ids=["ffffffffffffffff"])
    with pytest.raises(KabarError, match="bad"):
        store.save_increment([], [dangling], [STORY_ID], b"s2", 99)
    assert [s.id for s in store.list_stories()] == [STORY_ID]
    assert store.load_grouping_state() == (b"s1", len(articles))


# -- what the API asks: filters, keyset pages, entity pages -------------------------------


@pytest.fixture
def library(store: Store, articles: list[Article]) -> tuple[Store, list[Story], dict[str, str]]:
    """The seeds, two of them also stored as English copies, under eight stories that
    differ in size, dates (some partial, one undated), outlets, entities and words."""
    english = [
        dataclasses.replace(a, id=f"e{a.id[1:]}", language="en", outlet="Reuters")
        for a in articles[:2]
    ]
    everything = [*articles, *english]
    store.add_articles(everything)
    ids = [a.id for a in everything]
    stories = [
        Story(
            id=f"s{k}",
            title=title,
            article_ids=ids[lo:hi],
            summary=[f"Ringkasan {title} ke-{k}"],
            entities=entities,
            outlets=sorted({a.outlet or "unknown" for a in everything[lo:hi]}),
            first_date=first,
            last_date=last,
        )
        for k, (title, lo, hi, entities, first, last) in enumerate(
            [
                ("Putin di Hanoi", 0, 5, ["Vladimir Putin", "Vietnam"], "2018-09-06", "2024-06-20"),
                ("Pertemuan Sochi", 3, 4, ["Sochi"], "2018-09", "2018-09"),
                ("Kunjungan Vietnam", 1, 3, ["Vietnam"], "2024", "2024-06-19"),
                ("Hanoi visit", 5, 7, ["Vladimir Putin", "Hanoi"], "2024-06-19", "2024-06-20"),
                ("Tanpa tanggal", 2, 3, [], None, None),
                ("Putin lagi", 0, 2, ["vladimir putin"], "2019-01-01", "2019-01-01"),
                ("Sóchi résumé", 4, 7, ["Sochi"], "2017-05-01", "2018-12-31"),
                ("Satu", 6, 7, ["Hanoi"], "2024-06-20", None),
            ]
        )
    ]
    store.replace_stories(stories)
    languages = {a.id: a.language for a in everything}
    return store, stories, languages


QUERIES = [
    StoryQuery(),
    StoryQuery(sort="recent"),
    StoryQuery(date_from="2019-01-01"),
    StoryQuery(date_to="2018-09-06"),
    StoryQuery(date_from="2018-09-30", date_to="2018-10-01", sort="recent"),
    StoryQuery(date_from="2024"),
    StoryQuery(outlet="Reuters"),
    StoryQuery(entity="VLADIMIR PUTIN"),
    StoryQuery(entity="Sochi", sort="recent"),
    StoryQuery(language="en"),
    StoryQuery(language="id", date_from="2024-06-20"),
    StoryQuery(text="putin"),
    StoryQuery(text="SOCHI resume"),
    StoryQuery(text="hanoi", language="en", entity="hanoi"),
    StoryQuery(outlet="nobody"),
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: repr(q)[10:-1] or "all")
def test_find_stories_is_the_filter_in_pages(
    library: tuple[Store, list[Story], dict[str, str]], query: StoryQuery
) -> None:
    store, stories, languages = library
    kept = [s for s in stories if query.keep(s, {languages[i] for i in s.article_ids})]
    by_size = sorted(kept, key=lambda s: (-len(set(s.article_ids)), s.id))
    by_size.sort(key=lambda s: s.last_date or "", reverse=True)
    by_size.sort(key=lambda s: -len(set(s.article_ids)))  # stable: size, last_date, id
    from kabar.store.base import period_end

    expected = by_size
    if query.sort == "recent":
        expected = sorted(
            by_size, key=lambda s: period_end(s.last_date or s.first_date), reverse=True
        )
    assert store.count_found_stories(query) == len(kept)
    one_page = store.find_stories(query, limit=100)
    assert [h.id for h in one_page.items] == [s.id for s in expected]
    assert one_page.next is None
    # Keyset pages of two, then offsets, give the same sequence.
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = store.find_stories(query, limit=2, after=cursor)
        seen += [h.id for h in page.items]
        if page.next is None:
            break
        cursor = page.next
    assert seen == [s.id for s in expected]
    assert [h.id for h in store.find_stories(query, limit=3, offset=2).items] == seen[2:5]


def test_story_heads_carry_what_a_list_shows(
    library: tuple[Store, list[Story], dict[str, str]],
) -> None:
    store, stories, _ = library
    heads = {h.id: h for h in store.find_stories(StoryQuery(), limit=100).items}
    for story in stories:
        head = heads[story.id]
        assert (head.title, head.size) == (story.title, len(set(story.article_ids)))
        assert (head.outlets, head.entities) == (story.outlets, story.entities)
        assert (head.first_date, head.last_date) == (story.first_date, story.last_date)
    assert store.outlets() == sorted({o for s in stories for o in s.outlets})


def test_bad_cursors_are_refused(library: tuple[Store, list[Story], dict[str, str]]) -> None:
    store = library[0]
    size_cursor = store.find_stories(StoryQuery(), limit=1).next
    assert size_cursor is not None
    for bad in ("%%%", "bm90IGpzb24", "WzFd"):  # not base64, not JSON, a list of the wrong shape
        with pytest.raises(ValueError):
            store.find_stories(StoryQuery(), after=bad)
    with pytest.raises(ValueError, match="another story order"):
        store.find_stories(StoryQuery(sort="recent"), after=size_cursor)
    with pytest.raises(ValueError):
        store.entity_page(after=size_cursor)


def _entities_from_articles(articles: list[Article]) -> dict[tuple[str, str], tuple[int, int]]:
    """(mentions, articles) per entity, counted in Python from the articles themselves."""
    counts: dict[tuple[str, str], list[int]] = {}
    for article in articles:
        for key in {(m.canonical, m.label) for m in article.mentions}:
            counts.setdefault(key, [0, 0])[1] += 1
        for m in article.mentions:
            counts[(m.canonical, m.label)][0] += 1
    return {key: (m, a) for key, (m, a) in counts.items()}


def test_entity_counts_follow_every_write(store: Store, articles: list[Article]) -> None:
    store.add_articles(articles)
    store.add_articles(articles)  # re-adding changes nothing
    stored = {(e.name, e.label): (e.mentions, e.articles) for e in store.list_entities()}
    assert stored == _entities_from_articles(articles)
    # Resolution renames an entity in two articles and drops the mentions of a third.
    renamed = [
        dataclasses.replace(
            a, mentions=[dataclasses.replace(m, canonical=m.canonical.upper()) for m in a.mentions]
        )
        for a in articles[:2]
    ]
    emptied = dataclasses.replace(articles[2], mentions=[])
    now = [*renamed, emptied, *articles[3:]]
    store.save_grouping([*renamed, emptied], [seed_story(articles)])
    stored = {(e.name, e.label): (e.mentions, e.articles) for e in store.list_entities()}
    assert stored == _entities_from_articles(now)
    assert store.count_entities() == len(stored)
    aliases = {(e.name, e.label): e.aliases for e in store.list_entities()}
    for key in stored:
        expected = {m.text for a in now for m in a.mentions if (m.canonical, m.label) == key}
        assert aliases[key] == sorted(expected)


def test_entity_pages_and_lookup(filled: Store) -> None:
    everything = filled.list_entities(limit=1000)
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = filled.entity_page(limit=3, after=cursor)
        seen += [f"{e.name}/{e.label}" for e in page.items]
        if page.next is None:
            break
        cursor = page.next
    assert seen == [f"{e.name}/{e.label}" for e in everything]
    top = everything[0]
    assert filled.get_entity(top.name) == top
    assert filled.get_entity(top.name.swapcase()) == top  # case-insensitive fallback
    assert filled.get_entity("Nobody At All") is None
    naming = filled.articles_naming(top, limit=2)
    assert len(naming) == min(2, top.articles)
    assert all(any(m.canonical == top.name for m in a.mentions) for a in naming)


def test_article_counts_per_outlet_and_language(store: Store, articles: list[Article]) -> None:
    undated = dataclasses.replace(articles[0], id="0" * 16, outlet=None, language="en")
    store.add_articles([*articles, undated])
    store.add_articles(articles)
    assert store.count_articles() == len(articles) + 1
    for outlet in {a.outlet for a in articles}:
        expected = sum(a.outlet == outlet for a in articles)
        assert store.count_articles(outlet=outlet) == expected
        assert len(store.list_articles(outlet=outlet)) == expected
    assert store.count_articles(language="en") == 1
    assert store.count_articles(outlet="Tempo", language="en") == 0


def test_iter_stories_reads_every_story_in_order(
    library: tuple[Store, list[Story], dict[str, str]],
) -> None:
    store = library[0]
    assert [s.id for s in store.iter_stories()] == [s.id for s in store.list_stories(100)]


def test_migration_from_v2_fills_the_read_tables(tmp_path: Path, articles: list[Article]) -> None:
    """A store written by the previous schema (2 migrations) gains the tables the API reads,
    filled from its data, when the new code opens it."""
    path = tmp_path / "old.db"
    with open_store(path) as new:
        new.add_articles(articles)
        new.replace_stories([seed_story(articles)])
        expected_entities = new.list_entities(limit=1000)
        expected_heads = new.find_stories(StoryQuery()).items
    old = sqlite3.connect(path)  # undo migrations 3 and 4: their tables, then indexes
    tables = ("article_counts", "entities", "entity_aliases", "story_keys", "story_index")
    for table in (
        *tables,
        "story_heads",
        "watch_sources",
        "watch_pages",
        "alerts",
        "follows",
        "quotes",
        "story_parts",
    ):
        # (and migrations 5 to 8)
        old.execute(f"DROP TABLE {table}")
    for index in ("order", "outlet_order", "language_order", "oldest"):
        old.execute(f"DROP INDEX articles_{index}")
    old.executescript(
        "DROP INDEX article_entities_name;"
        " CREATE INDEX article_entities_name ON article_entities (name, label);"
        " CREATE INDEX article_entities_label ON article_entities (label);"
        " CREATE INDEX articles_published ON articles (published DESC, id);"
        " CREATE INDEX articles_outlet ON articles (outlet);"
        " CREATE INDEX articles_language ON articles (language);"
        " CREATE INDEX stories_order ON stories (size DESC, last_date DESC);"
    )
    # The story's record as that schema held it: everything in its row.
    old.execute("UPDATE stories SET data = ?", (json.dumps(to_dict(seed_story(articles))),))
    old.execute("PRAGMA user_version = 2")
    old.commit()
    old.close()
    with open_store(path) as store:
        assert store.count_articles() == len(articles)
        assert store.list_entities(limit=1000) == expected_entities
        assert store.find_stories(StoryQuery()).items == expected_heads
        assert [h.id for h in store.find_stories(StoryQuery(entity="vietnam")).items] == [STORY_ID]


def test_story_ids_with_prefix_is_a_key_range(
    library: tuple[Store, list[Story], dict[str, str]],
) -> None:
    store, stories, _ = library
    assert store.story_ids_with_prefix("s", limit=3) == sorted(s.id for s in stories)[:3]
    assert store.story_ids_with_prefix("s3") == ["s3"]
    assert store.story_ids_with_prefix("t") == []


def test_story_events_keep_their_rows_when_one_is_dated_among_them(
    store: Store, articles: list[Article]
) -> None:
    """An event dated among a stored story's earlier ones is written alone (the others keep
    their rows: an add to a big story rewrote every later event's row), one that left has
    its row deleted, and the story reads back with its events in date order, as grouped.
    Rows by place (an older kabar) are written again."""
    from kabar.model import Event

    store.add_articles(articles)
    ids = [a.id for a in articles]
    story = seed_story(articles)
    first = [
        Event("e-a", ids[:2], "2024-01-01", "2024-01-02"),
        Event("e-c", ids[2:4], "2024-01-05", "2024-01-05"),
        Event("e-d", ids[3:4], "2024-01-09", "2024-01-09"),
        Event("e-u", ids[-1:]),
    ]
    store.replace_stories([dataclasses.replace(story, events=first)])

    def rows() -> dict[str, tuple[int, str]]:
        found = store._query(  # type: ignore[attr-defined]
            "SELECT n, data FROM story_parts WHERE story_id = ? AND part = 'events'",
            (story.id,),
        )
        return {
            (data := store._unjson(r["data"]))["id"]: (int(r["n"]), json.dumps(data))  # type: ignore[attr-defined]
            for r in found
        }

    before = rows()
    later = [
        first[0],
        Event("e-b", ids[1:2], "2024-01-03", "2024-01-03"),  # among the earlier ones
        first[1],
        Event("e-u", ids[-2:]),  # changed
    ]  # e-d left
    stored = store.get_story(story.id, full=True)
    assert stored is not None and [e.id for e in stored.events] == ["e-a", "e-c", "e-d", "e-u"]
    store.save_stories([dataclasses.replace(stored, events=later)])
    after = rows()
    assert set(after) == {"e-a", "e-b", "e-c", "e-u"}
    assert after["e-a"] == before["e-a"] and after["e-c"] == before["e-c"]  # not moved
    assert after["e-u"][0] == before["e-u"][0] and after["e-u"] != before["e-u"]
    again = store.get_story(story.id, full=True)
    assert again is not None and again.events == later

    # rows by place, as an older kabar wrote them (a digest without the event id)
    with store._write() as tx:  # type: ignore[attr-defined]
        store._exec(  # type: ignore[attr-defined]
            tx, "UPDATE story_parts SET digest = 'old' WHERE part = 'events'", ()
        )
    store.save_stories([dataclasses.replace(again, events=later[:3])])
    assert set(rows()) == {"e-a", "e-b", "e-c"}
    final = store.get_story(story.id, full=True)
    assert final is not None and final.events == later[:3]


def _widened(story: Story, entries: int) -> Story:
    """The story with ``entries`` timeline entries (its first one on as many days)."""
    first = story.timeline[0]
    days = [date(2024, 1, 1) + timedelta(days=k) for k in range(entries)]
    return dataclasses.replace(
        story, timeline=[dataclasses.replace(first, date=d.isoformat()) for d in days]
    )


def test_a_large_record_is_decoded_once_per_digest_and_read_anew_when_it_changes(
    filled: Store,
) -> None:
    """Reads share the decoded entries of a large record while its row keeps its digest
    (an add to a big story leaves the record); a new record is read as it is now."""
    story = filled.get_story(STORY_ID)
    assert story is not None and story.timeline
    assert filled.save_story_parts(_widened(story, sql.SHOWN_MEMO_ITEMS))
    first = filled.get_story(STORY_ID, members=False)
    again = filled.get_story(STORY_ID, members=False)
    assert first is not None and again is not None
    assert len(first.timeline) == sql.SHOWN_MEMO_ITEMS
    assert again == first
    assert again.timeline[0] is first.timeline[0]  # decoded once
    assert again.timeline is not first.timeline  # each read its own lists
    full = filled.get_story(STORY_ID)
    assert full is not None and full.timeline[5] is first.timeline[5]
    changed = dataclasses.replace(full.timeline[0], summary="Putin tiba di Hanoi pada malam hari.")
    assert filled.save_story_parts(
        dataclasses.replace(full, timeline=[changed, *full.timeline[1:]])
    )
    after = filled.get_story(STORY_ID, members=False)
    assert after is not None
    assert after.timeline[0].summary == "Putin tiba di Hanoi pada malam hari."
    assert after.timeline[1:] == first.timeline[1:]
    assert after.facts == first.facts and after.background == first.background
    small = filled.get_story(STORY_ID, members=False)
    assert filled.save_story_parts(dataclasses.replace(full, timeline=full.timeline[:3]))
    fewer = [filled.get_story(STORY_ID, members=False) for _ in range(2)]
    assert fewer[0] is not None and fewer[1] is not None and small is not None
    assert len(fewer[0].timeline) == 3
    assert fewer[0].timeline[0] is not fewer[1].timeline[0]  # below the size: not kept
