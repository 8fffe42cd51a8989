"""SQLite dialect of the store (the shared SQL is in :mod:`kabar.store.sql`).

Design notes:

* The connection runs in autocommit mode (``isolation_level=None``) and every write is an
  explicit ``BEGIN IMMEDIATE`` ... ``COMMIT``, so a batch is all-or-nothing and the write
  lock is taken up front (no deadlock-prone lock upgrade between two writers).
* Articles are stored as the JSON of :func:`kabar.model.to_dict`; a few columns are copied
  out of it for filtering and ordering. The FTS5 index is filled by triggers that read the
  body from that JSON, so it cannot drift from the table.
* Migrations are plain SQL scripts applied in order, tracked by ``PRAGMA user_version``.
* Full-text search is FTS5 (bm25 ranking, ``snippet``); the rest of the SQL is shared.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kabar.errors import KabarError
from kabar.model import Article, to_dict
from kabar.store.follows import FOLLOWS_MIGRATION
from kabar.store.quotes import QUOTES_MIGRATION
from kabar.store.sql import (
    ARTICLE_COLUMNS,
    EVENT_SLOTS_MIGRATION,
    SEARCH_POOL,
    STORY_ROWS_MIGRATION,
    SQLStore,
    article_row,
    corpus_tables,
    read_migrations,
    story_parts,
)
from kabar.store.watch import WATCH_MIGRATION

BUSY_TIMEOUT_MS = 5000
_MAX_QUERY_TOKENS = 32
# Letters and digits of any script: everything else (quotes, operators, brackets, stars)
# is dropped, so the FTS5 query we build is always syntactically valid.
_QUERY_TOKEN = re.compile(r"[^\W_]+")

# Ranking every match of a common word costs O(matches) (bm25 reads each match's column
# sizes, one random read each on a cold cache; snippet re-reads the text): the search ranks
# the most recently stored SEARCH_POOL matches only (a rowid range, read from the end of
# the doclists), then builds snippets for the page only. Three statements: as one query
# with CTEs, SQLite re-ran the ranking for every row of the page.
_POOL_FLOOR_SQL = (
    "SELECT min(r) AS floor FROM (SELECT rowid AS r FROM articles_fts"
    f" WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT {SEARCH_POOL})"
)
# bm25 is lower-is-better; weights: article_id (unindexed) 0, title 2, body 1.
_RANK_SQL = (
    "SELECT rowid AS r, -bm25(articles_fts, 0.0, 2.0, 1.0) AS score FROM articles_fts"
    " WHERE articles_fts MATCH ? AND rowid >= ? ORDER BY score DESC, article_id LIMIT ?"
)
_SNIPPET_SQL = (
    "SELECT articles_fts.rowid AS r, a.id, a.title, a.outlet, a.published,"
    " snippet(articles_fts, 2, '[[', ']]', '…', 12) AS snippet"
    " FROM articles_fts JOIN articles AS a ON a.id = articles_fts.article_id"
    " WHERE articles_fts MATCH ? AND articles_fts.rowid IN ({marks})"
)


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

    """
    + corpus_tables(
        "",
        lambda name, default: f"{name} TEXT NOT NULL{default} CHECK (json_valid({name}))",
    ),
    # 2: the incremental grouping state (kabar.stories.GroupingState), one blob per name
    """
    CREATE TABLE grouping_state (
        name TEXT PRIMARY KEY,
        articles INTEGER NOT NULL,
        data BLOB NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 3 and 4: the tables the API reads, then the story heads apart (kabar.store.sql)
    *read_migrations(
        "",
        "TEXT",
        "SELECT ae.name, ae.label, j.value AS alias"
        " FROM article_entities AS ae, json_each(ae.aliases) AS j",
    ),
    # 5: what `kabar watch` remembers (feed/sitemap validators, fetched pages)
    WATCH_MIGRATION,
    # 6: follows and their alerts (kabar follow, kabar alerts)
    FOLLOWS_MIGRATION,
    # 7: who said what (kabar.store.quotes)
    QUOTES_MIGRATION,
    # 8: the parts a story's record leaves out (kabar.store.sql)
    story_parts("", "TEXT"),
    # 9: the search row is rewritten only when the title or body changed. Grouping rewrites
    # an article's data (resolved names, duplicate_of) and the old trigger's DELETE by the
    # UNINDEXED article_id read every row of the index: 45 ms an add at 10k articles.
    """
    DROP TRIGGER articles_fts_update;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, data ON articles
    WHEN old.title IS NOT new.title
        OR json_extract(old.data, '$.body') IS NOT json_extract(new.data, '$.body')
    BEGIN
        DELETE FROM articles_fts WHERE article_id = old.id;
        INSERT INTO articles_fts (article_id, title, body)
        VALUES (new.id, new.title, json_extract(new.data, '$.body'));
    END;
    """,
    # 10: story records as rows (kabar.store.sql)
    STORY_ROWS_MIGRATION,
    # 11: event rows keep their slot (kabar.store.sql)
    EVENT_SLOTS_MIGRATION,
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


class SQLiteStore(SQLStore):
    """The store on a SQLite file (WAL mode, FTS5 search)."""

    integrity_error = sqlite3.IntegrityError

    def __init__(self, path: str) -> None:
        self.path = path
        self._commits = 0  # writes committed on this connection (data_version ignores them)
        self._open(lambda: connect(path), migrate, sqlite3.Error, f"database {path!r}")

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection, for tests and maintenance (PRAGMA checks); not for SQL elsewhere."""
        conn: sqlite3.Connection = self._conn
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._conn.in_transaction:  # inside :meth:`transaction`: a savepoint
                self._conn.execute("SAVEPOINT kabar_write")
                try:
                    yield self._conn
                except BaseException:
                    self._conn.execute("ROLLBACK TO kabar_write")
                    self._conn.execute("RELEASE kabar_write")
                    raise
                self._conn.execute("RELEASE kabar_write")
                return
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                self._written.clear()  # what the writes inside noted was not committed
                raise
            self._conn.execute("COMMIT")
            self._commits += 1

    def hand_off_checkpoints(self) -> None:
        with self._lock:
            self._conn.execute("PRAGMA wal_autocheckpoint = 0")

    def checkpoint(self) -> None:
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def data_version(self) -> str:
        """``PRAGMA data_version`` (bumped by commits of every OTHER connection, in any
        process; a few microseconds, no table read) plus this connection's own commits."""
        with self._lock:
            other = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            return f"{other}.{self._commits}"

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        values = params if isinstance(params, dict) else tuple(params)
        with self._lock:
            rows: list[sqlite3.Row] = self._conn.execute(sql, values).fetchall()
            return rows

    def _exec(self, tx: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> None:
        tx.execute(sql, tuple(params))

    def _execmany(self, tx: sqlite3.Connection, sql: str, rows: list[Sequence[Any]]) -> None:
        tx.executemany(sql, rows)

    def _json_text(self, column: str, key: str) -> str:
        return f"json_extract({column}, '$.{key}')"

    def _json(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def _unjson(self, value: Any) -> Any:
        return json.loads(value)

    def _insert_articles(self, tx: sqlite3.Connection, batch: list[Article]) -> list[bool]:
        # The FTS5 rows are written by the triggers of migration 1.
        added_at = datetime.now(UTC).isoformat(timespec="seconds")
        new: list[bool] = []
        for article in batch:
            cursor = tx.execute(
                f"INSERT INTO articles ({ARTICLE_COLUMNS}, added_at, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (*article_row(article), added_at, self._json(to_dict(article))),
            )
            new.append(cursor.rowcount > 0)
        return new

    _match = staticmethod(fts_query)

    def _search_rows(self, match: str, limit: int) -> list[dict[str, Any]]:
        with self._lock:  # one connection: the three statements run back to back
            floor = self._query(_POOL_FLOOR_SQL, (match,))[0]["floor"]
            if floor is None:
                return []
            ranked = self._query(_RANK_SQL, (match, floor, limit))
            if not ranked:
                return []
            marks = ", ".join("?" for _ in ranked)
            texts = {
                row["r"]: row
                for row in self._query(
                    _SNIPPET_SQL.format(marks=marks), [match, *(row["r"] for row in ranked)]
                )
            }
        return [{**dict(texts[row["r"]]), "score": row["score"]} for row in ranked]


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
