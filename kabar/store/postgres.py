"""PostgreSQL dialect of the store: a team's shared server (``postgresql://`` URLs).

The SQL is shared with SQLite (:mod:`kabar.store.sql`, ``?`` rewritten to ``%s``); design
notes on the differences:

* The connection runs in autocommit mode and every write is one explicit transaction
  (``conn.transaction()``), so a batch is all-or-nothing; a lock serialises the calls of
  threads sharing one store, as in the SQLite backend.
* Articles and stories are stored as the JSON of :func:`kabar.model.to_dict` (``jsonb``),
  with a few columns copied out for filtering and ordering. Text columns that are sorted
  use ``COLLATE "C"`` so orders are bytewise, the same as SQLite's, whatever the server's
  default locale.
* Full-text search is PostgreSQL's own: a ``tsvector`` column with the ``'simple'``
  configuration (no stemming: the corpus is Indonesian and English) over title (weight A)
  and body (weight B). Diacritics are folded in Python before indexing and querying, because
  the ``unaccent`` extension is not immutable (no generated column) and may not be installed.
* Migrations are SQL scripts applied in order, one transaction each, tracked in a
  ``schema_version`` table under an advisory lock, so concurrent openers are safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import pq
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from kabar.errors import KabarError
from kabar.model import Article, to_dict
from kabar.store import sql
from kabar.store.base import fold, redact, words
from kabar.store.follows import FOLLOWS_MIGRATION
from kabar.store.quotes import QUOTES_MIGRATION
from kabar.store.sql import (
    ARTICLE_COLUMNS,
    EVENT_SLOTS_MIGRATION,
    STORY_ROWS_MIGRATION,
    SQLStore,
    article_row,
    corpus_tables,
    read_migrations,
    story_parts,
)
from kabar.store.watch import WATCH_MIGRATION

_MAX_QUERY_TOKENS = 32
# Any fixed number: the key of the advisory lock that serialises migrations.
_MIGRATION_LOCK = 0x6B61626172  # "kabar"
_HEADLINE_OPTIONS = 'StartSel="[[", StopSel="]]", MaxWords=24, MinWords=8, ShortWord=2'

# Bounded as SQLite's search is: the pool is the SEARCH_POOL newest matches in the article
# list's order (published, undated last: the articles_order index, which the planner walks
# filtering on the match for a common word, or the GIN index then a top-N sort for a rare
# one: either way no more than the pool is ranked); they are ranked, and headlines (costly)
# are built for the page only.
SEARCH_SQL = (
    "WITH q AS (SELECT plainto_tsquery('simple', %(match)s) AS q),"
    " pool AS (SELECT a.id FROM articles AS a, q WHERE a.search @@ q.q"
    " ORDER BY (a.published IS NULL), a.published DESC, a.id LIMIT %(pool)s),"
    " hits AS (SELECT a.id, a.title, a.outlet, a.published, a.data ->> 'body' AS body,"
    " ts_rank(a.search, q.q) AS score FROM pool JOIN articles AS a ON a.id = pool.id, q"
    " ORDER BY score DESC, a.id LIMIT %(limit)s)"
    " SELECT h.id, h.title, h.outlet, h.published, h.score,"
    f" ts_headline('simple', h.body, q.q, '{_HEADLINE_OPTIONS}') AS snippet"
    " FROM hits AS h, q ORDER BY h.score DESC, h.id"
)

MIGRATIONS: list[str] = [
    # 1: initial schema (the same tables as SQLite's migrations 1 and 2)
    """
    CREATE TABLE articles (
        id TEXT COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
        title TEXT NOT NULL,
        outlet TEXT COLLATE "C",
        published TEXT COLLATE "C",
        language TEXT NOT NULL,
        url TEXT,
        source TEXT NOT NULL,
        duplicate_of TEXT,
        added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        data JSONB NOT NULL,
        search TSVECTOR NOT NULL
    );
    CREATE INDEX articles_published ON articles (published DESC, id);
    CREATE INDEX articles_outlet ON articles (outlet);
    CREATE INDEX articles_language ON articles (language);
    CREATE INDEX articles_search ON articles USING GIN (search);

    """
    + corpus_tables(' COLLATE "C"', lambda name, default: f"{name} JSONB NOT NULL{default}")
    + """

    CREATE TABLE grouping_state (
        name TEXT PRIMARY KEY,
        articles INTEGER NOT NULL,
        data BYTEA NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    """,
    # 2 and 3: the tables the API reads, then the story heads apart (kabar.store.sql)
    *read_migrations(
        ' COLLATE "C"',
        "JSONB",
        "SELECT ae.name, ae.label, j.alias"
        " FROM article_entities AS ae, jsonb_array_elements_text(ae.aliases) AS j(alias)",
    ),
    # 4: what `kabar watch` remembers (feed/sitemap validators, fetched pages)
    WATCH_MIGRATION,
    # 5: follows and their alerts (kabar follow, kabar alerts)
    FOLLOWS_MIGRATION,
    # 6: who said what (kabar.store.quotes)
    QUOTES_MIGRATION,
    # 7: the parts a story's record leaves out (kabar.store.sql)
    story_parts(' COLLATE "C"', "JSONB"),
    # 8: story records as rows (kabar.store.sql)
    STORY_ROWS_MIGRATION,
    # 9: event rows keep their slot (kabar.store.sql)
    EVENT_SLOTS_MIGRATION,
]


def connection_url(location: str) -> str:
    """A libpq URL from ``postgresql://``, ``postgres://`` or ``postgresql+driver://``."""
    scheme, sep, rest = location.partition("://")
    if not sep or not scheme.lower().startswith(("postgresql", "postgres")):
        raise KabarError(f"not a PostgreSQL URL: {redact(location)!r}")
    return "postgresql://" + rest


def migrate(conn: psycopg.Connection[Any]) -> int:
    """Bring the schema to the latest version; returns it. Safe with concurrent openers."""
    latest = len(MIGRATIONS)
    while True:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            version = schema_version(conn)
            if version > latest:
                raise KabarError(
                    f"database schema version {version} is newer than this kabar supports "
                    f"({latest}); upgrade kabar"
                )
            if version == latest:
                return version
            conn.execute(MIGRATIONS[version])
            conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version + 1,))


def schema_version(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT coalesce(max(version), 0) AS v FROM schema_version").fetchone()
    assert row is not None
    return int(row["v"] if isinstance(row, dict) else row[0])


def index_text(text: str) -> str:
    """The words of a title or body, folded, one space apart, for ``to_tsvector``.

    Python splits the words (the same way as :func:`query_text`) because PostgreSQL's
    parser depends on the server locale: under ``C`` it glues non-ASCII punctuation
    (curly quotes, dashes, U+FFFD) to the next word, and "“Putin" would not match "Putin"."""
    return " ".join(words(text))


def query_text(text: str) -> str:
    """Arbitrary user text as words for ``plainto_tsquery``: letters and digits only, so
    no operator, quote or bracket reaches the parser (``plainto_tsquery`` ANDs the words)."""
    return " ".join(words(text)[:_MAX_QUERY_TOKENS])


class PostgresStore(SQLStore):
    """The store on a PostgreSQL database (one connection; full-text search with tsvector)."""

    integrity_error = psycopg.IntegrityError
    row_lock = " FOR SHARE"

    def __init__(self, url: str) -> None:
        self.url = connection_url(url)
        self._open(
            lambda: psycopg.connect(self.url, autocommit=True, row_factory=dict_row),
            migrate,
            psycopg.Error,
            f"PostgreSQL database {redact(url)!r}",
        )

    @property
    def connection(self) -> psycopg.Connection[dict[str, Any]]:
        """The raw connection, for tests and maintenance; not for SQL elsewhere."""
        conn: psycopg.Connection[dict[str, Any]] = self._conn
        return conn

    @contextmanager
    def _write(self) -> Iterator[psycopg.Connection[dict[str, Any]]]:
        # Inside :meth:`transaction`, psycopg makes the inner block a savepoint.
        with self._lock:
            outer = self._conn.info.transaction_status == pq.TransactionStatus.IDLE
            try:
                with self._conn.transaction():
                    yield self._conn
            except BaseException:
                if outer:
                    self._written.clear()  # what the writes inside noted was not committed
                raise

    def _savepoint(self, tx: psycopg.Connection[Any]) -> AbstractContextManager[Any]:
        # So the error message of a failed story insert is ours and the outer transaction
        # (rolled back by the caller's raise) is not left in a confusing state.
        return tx.transaction()

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            values = params if isinstance(params, dict) else tuple(params)
            return self._conn.execute(_marks(sql), _clean(values)).fetchall()

    def _exec(self, tx: psycopg.Connection[Any], sql: str, params: Sequence[Any] = ()) -> None:
        tx.execute(_marks(sql), _clean(tuple(params)))

    def _execmany(self, tx: psycopg.Connection[Any], sql: str, rows: list[Sequence[Any]]) -> None:
        if rows:  # psycopg refuses an empty executemany
            with tx.cursor() as cursor:
                cursor.executemany(_marks(sql), [_clean(tuple(row)) for row in rows])

    def _json_text(self, column: str, key: str) -> str:
        return f"({column} ->> '{key}')"

    def _json(self, value: Any) -> Jsonb:
        return Jsonb(_clean(value))

    def _unjson(self, value: Any) -> Any:
        return value  # psycopg decodes jsonb

    def data_version(self) -> str | None:
        """The server's WAL insert position: every commit, from any client, writes WAL
        before it becomes visible, so the position has moved past it by the time a reader
        can see the data. Conservative (other databases of the cluster move it too, which
        only costs cache misses). None on a standby, where the function is not allowed."""
        try:
            rows = self._query("SELECT pg_current_wal_insert_lsn()::text AS lsn")
        except psycopg.Error:
            return None
        return str(rows[0]["lsn"])

    def _insert_articles(self, tx: psycopg.Connection[Any], batch: list[Article]) -> list[bool]:
        with tx.cursor() as cursor:
            # One executemany (pipelined by psycopg: no round trip per article); RETURNING
            # tells which rows were new, ON CONFLICT skips the stored ones (idempotent).
            cursor.executemany(
                f"INSERT INTO articles ({ARTICLE_COLUMNS}, data, search)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s,"
                " setweight(to_tsvector('simple', %s), 'A')"
                " || setweight(to_tsvector('simple', %s), 'B'))"
                " ON CONFLICT (id) DO NOTHING RETURNING id",
                [
                    _clean(
                        (
                            *article_row(article),
                            self._json(to_dict(article)),
                            index_text(article.title),
                            index_text(article.body),
                        )
                    )
                    for article in batch
                ],
                returning=True,
            )
            new: list[bool] = []
            for _ in batch:
                new.append(cursor.fetchone() is not None)
                cursor.nextset()
            return new

    _match = staticmethod(query_text)

    def _undated_is(self, undated: bool) -> tuple[str, str]:
        flag = "true" if undated else "false"
        return (
            f"(published IS NULL) BETWEEN {flag} AND {flag}",
            "(published IS NULL), published DESC, id",
        )

    def _search_rows(self, match: str, limit: int) -> list[dict[str, Any]]:
        return self._query(SEARCH_SQL, {"match": match, "limit": limit, "pool": sql.SEARCH_POOL})


@lru_cache(maxsize=256)
def _marks(sql: str) -> str:
    """The shared SQL's ``?`` placeholders as psycopg's ``%s``."""
    return sql.replace("?", "%s")


def _clean(value: Any) -> Any:
    """Strings without NUL: PostgreSQL text and jsonb cannot hold U+0000 (SQLite can), and
    scraped text sometimes carries it. U+FFFD keeps one character for one, so the mention
    offsets into the body stay right; lists, tuples and dicts are cleaned recursively."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def _jsonb(value: Any) -> Jsonb:
    return Jsonb(_clean(value))


__all__ = [
    "MIGRATIONS",
    "PostgresStore",
    "connection_url",
    "fold",
    "index_text",
    "query_text",
    "redact",
]
