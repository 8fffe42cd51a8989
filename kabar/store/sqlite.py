"""SQLite backend: the only module of kabar that contains SQL.

Design notes:

* The connection runs in autocommit mode (``isolation_level=None``) and every write is an
  explicit ``BEGIN IMMEDIATE`` ... ``COMMIT``, so a batch is all-or-nothing and the write
  lock is taken up front (no deadlock-prone lock upgrade between two writers).
* Articles are stored as the JSON of :func:`kabar.model.to_dict`; a few columns are copied
  out of it for filtering and ordering. The FTS5 index is filled by triggers that read the
  body from that JSON, so it cannot drift from the table.
* Migrations are plain SQL scripts applied in order, tracked by ``PRAGMA user_version``.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kabar.errors import KabarError
from kabar.model import Article, Entity, SearchHit, Story, from_dict, to_dict
from kabar.store.base import (
    AddResult,
    Store,
    article_filters,
    check_article,
    entities_from_rows,
    entity_counts,
    nonneg,
)

BUSY_TIMEOUT_MS = 5000
_ITER_PAGE = 500
_MAX_QUERY_TOKENS = 32
# Letters and digits of any script: everything else (quotes, operators, brackets, stars)
# is dropped, so the FTS5 query we build is always syntactically valid.
_QUERY_TOKEN = re.compile(r"[^\W_]+")

MIGRATIONS: list[str] = [
    # 1: initial schema
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY CHECK (length(id) = 16 AND id NOT GLOB '*[^0-9a-f]*'),
        title TEXT NOT NULL,
        outlet TEXT,
        published TEXT,
        language TEXT NOT NULL,
        url TEXT,
        source TEXT NOT NULL,
        duplicate_of TEXT,
        added_at TEXT NOT NULL,
        data TEXT NOT NULL CHECK (json_valid(data))
    );
    CREATE INDEX articles_published ON articles (published DESC, id);
    CREATE INDEX articles_outlet ON articles (outlet);
    CREATE INDEX articles_language ON articles (language);

    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        article_id UNINDEXED,
        title,
        body,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (article_id, title, body)
        VALUES (new.id, new.title, json_extract(new.data, '$.body'));
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        DELETE FROM articles_fts WHERE article_id = old.id;
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, data ON articles BEGIN
        DELETE FROM articles_fts WHERE article_id = old.id;
        INSERT INTO articles_fts (article_id, title, body)
        VALUES (new.id, new.title, json_extract(new.data, '$.body'));
    END;

    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        first_date TEXT,
        last_date TEXT,
        size INTEGER NOT NULL,
        data TEXT NOT NULL CHECK (json_valid(data))
    );
    CREATE INDEX stories_order ON stories (size DESC, last_date DESC);

    CREATE TABLE story_articles (
        story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles (id),
        PRIMARY KEY (story_id, article_id)
    );
    CREATE INDEX story_articles_article ON story_articles (article_id);

    CREATE TABLE article_entities (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        label TEXT NOT NULL,
        count INTEGER NOT NULL,
        aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),
        PRIMARY KEY (article_id, name, label)
    );
    CREATE INDEX article_entities_name ON article_entities (name, label);
    CREATE INDEX article_entities_label ON article_entities (label);
    """,
    # 2: the incremental grouping state (kabar.stories.GroupingState), one blob per name
    """
    CREATE TABLE grouping_state (
        name TEXT PRIMARY KEY,
        articles INTEGER NOT NULL,
        data BLOB NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
]


def connect(path: str) -> sqlite3.Connection:
    """A connection configured the way every kabar process must use the database."""
    conn = sqlite3.connect(
        path,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,  # guarded by SQLiteStore's lock
    )
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # durable enough in WAL mode
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema to the latest version; returns it. Safe with concurrent openers."""
    latest = len(MIGRATIONS)
    version = _user_version(conn)
    if version > latest:
        raise KabarError(
            f"database schema version {version} is newer than this kabar supports "
            f"({latest}); upgrade kabar"
        )
    while version < latest:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            version = _user_version(conn)
            if version < latest:
                for statement in _split_script(MIGRATIONS[version]):
                    conn.execute(statement)
                version += 1
                conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _split_script(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit our transaction)."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError(f"incomplete SQL statement in migration: {current.strip()[:80]}")
    return statements


def fts_query(text: str) -> str:
    """Turn arbitrary user text into a safe FTS5 query: quoted tokens, all required."""
    tokens = _QUERY_TOKEN.findall(text)[:_MAX_QUERY_TOKENS]
    return " ".join(f'"{token}"' for token in tokens)


class SQLiteStore(Store):
    """The store on a SQLite file (WAL mode, FTS5 search)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._commits = 0  # writes committed on this connection (data_version ignores them)
        try:
            self._conn = connect(path)
        except sqlite3.Error as exc:
            raise KabarError(f"cannot open database {path!r}: {exc}") from exc
        try:
            migrate(self._conn)
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise KabarError(f"{path!r} is not a usable kabar database: {exc}") from exc
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection, for tests and maintenance (PRAGMA checks); not for SQL elsewhere."""
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            self._commits += 1

    def data_version(self) -> str:
        """``PRAGMA data_version`` (bumped by commits of every OTHER connection, in any
        process; a few microseconds, no table read) plus this connection's own commits."""
        with self._lock:
            other = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            return f"{other}.{self._commits}"

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            rows: list[sqlite3.Row] = self._conn.execute(sql, tuple(params)).fetchall()
            return rows

    # -- articles --------------------------------------------------------------------
    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        result = AddResult()
        added_at = datetime.now(UTC).isoformat(timespec="seconds")
        with self._write() as conn:
            for article in articles:
                check_article(article)
                data = to_dict(article)
                cursor = conn.execute(
                    "INSERT INTO articles (id, title, outlet, published, language, url, source,"
                    " duplicate_of, added_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (id) DO NOTHING",
                    (
                        article.id,
                        article.title,
                        article.outlet,
                        article.published,
                        article.language,
                        article.url,
                        article.source,
                        article.duplicate_of,
                        added_at,
                        json.dumps(data, ensure_ascii=False),
                    ),
                )
                if cursor.rowcount == 0:
                    result.existing.append(article.id)
                    continue
                result.added.append(article.id)
                conn.executemany(
                    "INSERT INTO article_entities (article_id, name, label, count, aliases)"
                    " VALUES (?, ?, ?, ?, ?)",
                    _entity_rows(article),
                )
        return result

    def has_article(self, article_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def get_article(self, article_id: str) -> Article | None:
        rows = self._query("SELECT data FROM articles WHERE id = ?", (article_id,))
        return _article(rows[0]["data"]) if rows else None

    def count_articles(self, outlet: str | None = None, language: str | None = None) -> int:
        where, params = article_filters(outlet, language, "?")
        return int(self._query(f"SELECT count(*) AS n FROM articles{where}", params)[0]["n"])

    def list_articles(
        self,
        limit: int = 50,
        offset: int = 0,
        outlet: str | None = None,
        language: str | None = None,
    ) -> list[Article]:
        where, params = article_filters(outlet, language, "?")
        rows = self._query(
            f"SELECT data FROM articles{where}"
            " ORDER BY published IS NULL, published DESC, id LIMIT ? OFFSET ?",
            [*params, nonneg(limit), nonneg(offset)],
        )
        return [_article(row["data"]) for row in rows]

    def iter_articles(self) -> Iterator[Article]:
        # Keyset pages rather than one long cursor: the caller may write between items.
        # '~' sorts after any ISO date, which puts undated articles last.
        key: tuple[str, str] | None = None
        while True:
            if key is None:
                rows = self._query(
                    "SELECT id, ifnull(published, '~') AS k, data FROM articles"
                    " ORDER BY ifnull(published, '~'), id LIMIT ?",
                    (_ITER_PAGE,),
                )
            else:
                rows = self._query(
                    "SELECT id, ifnull(published, '~') AS k, data FROM articles"
                    " WHERE (ifnull(published, '~'), id) > (?, ?)"
                    " ORDER BY ifnull(published, '~'), id LIMIT ?",
                    (*key, _ITER_PAGE),
                )
            for row in rows:
                yield _article(row["data"])
            if len(rows) < _ITER_PAGE:
                return
            key = (rows[-1]["k"], rows[-1]["id"])

    # -- stories ---------------------------------------------------------------------
    def replace_stories(self, stories: list[Story]) -> None:
        with self._write() as conn:
            _replace_stories(conn, stories)

    def save_grouping(
        self,
        articles: list[Article],
        stories: list[Story],
        state: bytes | None = None,
        state_articles: int | None = None,
    ) -> None:
        with self._write() as conn:
            for article in articles:
                _update_article(conn, article)
            _replace_stories(conn, stories)
            if state is not None:
                covered = len(articles) if state_articles is None else state_articles
                _save_state(conn, state, covered)

    def save_increment(
        self,
        articles: list[Article],
        stories: list[Story],
        removed_story_ids: list[str],
        state: bytes,
        state_articles: int,
    ) -> None:
        with self._write() as conn:
            for article in articles:
                _update_article(conn, article)
            gone = [*removed_story_ids, *(s.id for s in stories)]
            conn.executemany("DELETE FROM stories WHERE id = ?", [(sid,) for sid in gone])
            _insert_stories(conn, stories)
            _save_state(conn, state, state_articles)

    def load_grouping_state(self) -> tuple[bytes, int] | None:
        rows = self._query(
            "SELECT data, articles FROM grouping_state WHERE name = ?", (_STATE_NAME,)
        )
        return (bytes(rows[0]["data"]), int(rows[0]["articles"])) if rows else None

    def list_stories(self, limit: int = 50, offset: int = 0) -> list[Story]:
        rows = self._query(
            "SELECT data FROM stories"
            " ORDER BY size DESC, last_date IS NULL, last_date DESC, id LIMIT ? OFFSET ?",
            (nonneg(limit), nonneg(offset)),
        )
        return [from_dict(Story, json.loads(row["data"])) for row in rows]

    def count_stories(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM stories")[0]["n"])

    def get_story(self, story_id: str) -> Story | None:
        rows = self._query("SELECT data FROM stories WHERE id = ?", (story_id,))
        return from_dict(Story, json.loads(rows[0]["data"])) if rows else None

    def stories_of_article(self, article_id: str) -> list[str]:
        rows = self._query(
            "SELECT story_id FROM story_articles WHERE article_id = ? ORDER BY story_id",
            (article_id,),
        )
        return [row["story_id"] for row in rows]

    # -- search and entities -----------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        match = fts_query(query)
        if not match:
            return []
        # bm25 is lower-is-better; weights: article_id (unindexed) 0, title 2, body 1.
        rows = self._query(
            "SELECT a.id, a.title, a.outlet, a.published,"
            " snippet(articles_fts, 2, '[[', ']]', '…', 12) AS snippet,"
            " bm25(articles_fts, 0.0, 2.0, 1.0) AS rank"
            " FROM articles_fts JOIN articles AS a ON a.id = articles_fts.article_id"
            " WHERE articles_fts MATCH ? ORDER BY rank, a.id LIMIT ?",
            (match, nonneg(limit)),
        )
        return [
            SearchHit(
                article_id=row["id"],
                title=row["title"],
                outlet=row["outlet"],
                published=row["published"],
                snippet=row["snippet"],
                score=-float(row["rank"]),  # higher is better for callers
            )
            for row in rows
        ]

    def list_entities(
        self, limit: int = 100, label: str | None = None, offset: int = 0
    ) -> list[Entity]:
        where, params = (" WHERE label = ?", [label]) if label else ("", [])
        rows = self._query(
            "SELECT name, label, sum(count) AS mentions, count(DISTINCT article_id) AS articles"
            f" FROM article_entities{where} GROUP BY name, label"
            " ORDER BY articles DESC, mentions DESC, name, label LIMIT ? OFFSET ?",
            [*params, nonneg(limit), nonneg(offset)],
        )
        alias_rows: list[sqlite3.Row] = []
        if rows:
            names = sorted({row["name"] for row in rows})
            marks = ", ".join("?" for _ in names)
            alias_rows = self._query(
                "SELECT DISTINCT ae.name, ae.label, j.value AS alias"
                " FROM article_entities AS ae, json_each(ae.aliases) AS j"
                f" WHERE ae.name IN ({marks})",
                names,
            )
        return entities_from_rows(rows, alias_rows)

    def count_entities(self, label: str | None = None) -> int:
        where, params = (" WHERE label = ?", [label]) if label else ("", [])
        rows = self._query(
            f"SELECT count(*) AS n FROM (SELECT 1 FROM article_entities{where}"
            " GROUP BY name, label)",
            params,
        )
        return int(rows[0]["n"])


_STATE_NAME = "stories"


def _save_state(conn: sqlite3.Connection, state: bytes, articles: int) -> None:
    conn.execute(
        "INSERT INTO grouping_state (name, articles, data, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET articles = excluded.articles, data = excluded.data,"
        " updated_at = excluded.updated_at",
        (_STATE_NAME, articles, state, datetime.now(UTC).isoformat(timespec="seconds")),
    )


def _update_article(conn: sqlite3.Connection, article: Article) -> None:
    """A stored article's corpus-level results: its ``duplicate_of`` link, its data (with
    resolved entity names) and its entity rows."""
    check_article(article)
    conn.execute(
        "UPDATE articles SET duplicate_of = ?, data = ? WHERE id = ?",
        (article.duplicate_of, json.dumps(to_dict(article), ensure_ascii=False), article.id),
    )
    conn.execute("DELETE FROM article_entities WHERE article_id = ?", (article.id,))
    conn.executemany(
        "INSERT INTO article_entities (article_id, name, label, count, aliases)"
        " VALUES (?, ?, ?, ?, ?)",
        _entity_rows(article),
    )


def _replace_stories(conn: sqlite3.Connection, stories: list[Story]) -> None:
    conn.execute("DELETE FROM stories")  # story_articles go by ON DELETE CASCADE
    conn.execute("DELETE FROM grouping_state")  # the state described the old stories
    _insert_stories(conn, stories)


def _insert_stories(conn: sqlite3.Connection, stories: list[Story]) -> None:
    for story in stories:
        if not isinstance(story, Story):
            raise TypeError(f"expected Story, got {type(story).__name__}")
        article_ids = list(dict.fromkeys(story.article_ids))
        try:
            conn.execute(
                "INSERT INTO stories (id, title, first_date, last_date, size, data)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    story.id,
                    story.title,
                    story.first_date,
                    story.last_date,
                    len(article_ids),
                    json.dumps(to_dict(story), ensure_ascii=False),
                ),
            )
            conn.executemany(
                "INSERT INTO story_articles (story_id, article_id) VALUES (?, ?)",
                [(story.id, article_id) for article_id in article_ids],
            )
        except sqlite3.IntegrityError as exc:
            raise KabarError(
                f"story {story.id!r} cannot be stored (duplicate story id or an"
                f" article id that is not in the store): {exc}"
            ) from exc


def _article(data: str) -> Article:
    return from_dict(Article, json.loads(data))


def sqlite_path(location: str) -> str:
    """The file path of a plain path or ``sqlite:///path`` location (SQLAlchemy style)."""
    if location.startswith("sqlite:///"):
        path = location[len("sqlite:///") :]
        if not path:
            raise KabarError("empty SQLite path in database URL")
        return path
    if location.startswith("sqlite://"):
        raise KabarError(f"use sqlite:///relative.db or sqlite:////absolute.db, not {location!r}")
    return str(Path(location)) if location != ":memory:" else location


def _entity_rows(article: Article) -> list[tuple[str, str, str, int, str]]:
    """Rows of ``article_entities`` for an article (spellings as a JSON array)."""
    return [
        (article.id, name, label, n, json.dumps(spellings, ensure_ascii=False))
        for name, label, n, spellings in entity_counts(article)
    ]
