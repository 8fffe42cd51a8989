"""PostgreSQL backend: the store for a team's shared server (``postgresql://`` URLs).

Same interface and semantics as :mod:`kabar.store.sqlite`; design notes on the differences:

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

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

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
    redact,
)

_ITER_PAGE = 500
_MAX_QUERY_TOKENS = 32
_QUERY_TOKEN = re.compile(r"[^\W_]+")
# Any fixed number: the key of the advisory lock that serialises migrations.
_MIGRATION_LOCK = 0x6B61626172  # "kabar"
_STATE_NAME = "stories"
_HEADLINE_OPTIONS = 'StartSel="[[", StopSel="]]", MaxWords=24, MinWords=8, ShortWord=2'

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

    CREATE TABLE stories (
        id TEXT COLLATE "C" PRIMARY KEY,
        title TEXT NOT NULL,
        first_date TEXT COLLATE "C",
        last_date TEXT COLLATE "C",
        size INTEGER NOT NULL,
        data JSONB NOT NULL
    );
    CREATE INDEX stories_order ON stories (size DESC, last_date DESC);

    CREATE TABLE story_articles (
        story_id TEXT COLLATE "C" NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id),
        PRIMARY KEY (story_id, article_id)
    );
    CREATE INDEX story_articles_article ON story_articles (article_id);

    CREATE TABLE article_entities (
        article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        name TEXT COLLATE "C" NOT NULL,
        label TEXT COLLATE "C" NOT NULL,
        count INTEGER NOT NULL,
        aliases JSONB NOT NULL DEFAULT '[]',
        PRIMARY KEY (article_id, name, label)
    );
    CREATE INDEX article_entities_name ON article_entities (name, label);
    CREATE INDEX article_entities_label ON article_entities (label);

    CREATE TABLE grouping_state (
        name TEXT PRIMARY KEY,
        articles INTEGER NOT NULL,
        data BYTEA NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    """,
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


def fold(text: str) -> str:
    """Lower-case text without diacritics ("Sóchi" -> "sochi"), for indexing and querying."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def index_text(text: str) -> str:
    """The words of a title or body, folded, one space apart, for ``to_tsvector``.

    Python splits the words (the same way as :func:`query_text`) because PostgreSQL's
    parser depends on the server locale: under ``C`` it glues non-ASCII punctuation
    (curly quotes, dashes, U+FFFD) to the next word, and "“Putin" would not match "Putin"."""
    return " ".join(_QUERY_TOKEN.findall(fold(text)))


def query_text(text: str) -> str:
    """Arbitrary user text as words for ``plainto_tsquery``: letters and digits only, so
    no operator, quote or bracket reaches the parser (``plainto_tsquery`` ANDs the words)."""
    return " ".join(_QUERY_TOKEN.findall(fold(text))[:_MAX_QUERY_TOKENS])


class PostgresStore(Store):
    """The store on a PostgreSQL database (one connection; full-text search with tsvector)."""

    def __init__(self, url: str) -> None:
        self.url = connection_url(url)
        self._lock = threading.RLock()
        try:
            self._conn: psycopg.Connection[dict[str, Any]] = psycopg.connect(
                self.url, autocommit=True, row_factory=dict_row
            )
        except psycopg.Error as exc:
            raise KabarError(f"cannot open PostgreSQL database {redact(url)!r}: {exc}") from exc
        try:
            migrate(self._conn)
        except psycopg.Error as exc:
            self._conn.close()
            raise KabarError(f"{redact(url)!r} is not a usable kabar database: {exc}") from exc
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @property
    def connection(self) -> psycopg.Connection[dict[str, Any]]:
        """The raw connection, for tests and maintenance; not for SQL elsewhere."""
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[psycopg.Connection[dict[str, Any]]]:
        with self._lock, self._conn.transaction():
            yield self._conn

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return self._conn.execute(sql, _clean(tuple(params))).fetchall()

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

    # -- articles --------------------------------------------------------------------
    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        batch = list(articles)
        for article in batch:
            check_article(article)
        result = AddResult()
        if not batch:
            return result
        with self._write() as conn, conn.cursor() as cursor:
            # One executemany (pipelined by psycopg: no round trip per article); RETURNING
            # tells which rows were new, ON CONFLICT skips the stored ones (idempotent).
            cursor.executemany(
                "INSERT INTO articles (id, title, outlet, published, language, url, source,"
                " duplicate_of, data, search) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s,"
                " setweight(to_tsvector('simple', %s), 'A')"
                " || setweight(to_tsvector('simple', %s), 'B'))"
                " ON CONFLICT (id) DO NOTHING RETURNING id",
                [
                    _clean(
                        (
                            article.id,
                            article.title,
                            article.outlet,
                            article.published,
                            article.language,
                            article.url,
                            article.source,
                            article.duplicate_of,
                            _jsonb(to_dict(article)),
                            index_text(article.title),
                            index_text(article.body),
                        )
                    )
                    for article in batch
                ],
                returning=True,
            )
            added: list[Article] = []
            for article in batch:
                if cursor.fetchone() is not None:
                    added.append(article)
                    result.added.append(article.id)
                else:
                    result.existing.append(article.id)
                cursor.nextset()
            rows = [row for article in added for row in _entity_rows(article)]
            if rows:
                cursor.executemany(
                    "INSERT INTO article_entities (article_id, name, label, count, aliases)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    rows,
                )
        return result

    def has_article(self, article_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM articles WHERE id = %s", (article_id,)))

    def get_article(self, article_id: str) -> Article | None:
        rows = self._query("SELECT data FROM articles WHERE id = %s", (article_id,))
        return from_dict(Article, rows[0]["data"]) if rows else None

    def count_articles(self, outlet: str | None = None, language: str | None = None) -> int:
        where, params = article_filters(outlet, language, "%s")
        return int(self._query(f"SELECT count(*) AS n FROM articles{where}", params)[0]["n"])

    def list_articles(
        self,
        limit: int = 50,
        offset: int = 0,
        outlet: str | None = None,
        language: str | None = None,
    ) -> list[Article]:
        where, params = article_filters(outlet, language, "%s")
        rows = self._query(
            f"SELECT data FROM articles{where}"
            " ORDER BY published IS NULL, published DESC, id LIMIT %s OFFSET %s",
            [*params, nonneg(limit), nonneg(offset)],
        )
        return [from_dict(Article, row["data"]) for row in rows]

    def iter_articles(self) -> Iterator[Article]:
        # Keyset pages, as in SQLite; '~' sorts after any ISO date under COLLATE "C".
        key: tuple[str, str] | None = None
        while True:
            if key is None:
                rows = self._query(
                    "SELECT id, coalesce(published, '~') AS k, data FROM articles"
                    " ORDER BY coalesce(published, '~'), id LIMIT %s",
                    (_ITER_PAGE,),
                )
            else:
                rows = self._query(
                    "SELECT id, coalesce(published, '~') AS k, data FROM articles"
                    " WHERE (coalesce(published, '~'), id) > (%s, %s)"
                    " ORDER BY coalesce(published, '~'), id LIMIT %s",
                    (*key, _ITER_PAGE),
                )
            for row in rows:
                yield from_dict(Article, row["data"])
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
            if gone:
                conn.execute("DELETE FROM stories WHERE id = ANY(%s)", (gone,))
            _insert_stories(conn, stories)
            _save_state(conn, state, state_articles)

    def load_grouping_state(self) -> tuple[bytes, int] | None:
        rows = self._query(
            "SELECT data, articles FROM grouping_state WHERE name = %s", (_STATE_NAME,)
        )
        return (bytes(rows[0]["data"]), int(rows[0]["articles"])) if rows else None

    def list_stories(self, limit: int = 50, offset: int = 0) -> list[Story]:
        rows = self._query(
            "SELECT data FROM stories"
            " ORDER BY size DESC, last_date IS NULL, last_date DESC, id LIMIT %s OFFSET %s",
            (nonneg(limit), nonneg(offset)),
        )
        return [from_dict(Story, row["data"]) for row in rows]

    def count_stories(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM stories")[0]["n"])

    def get_story(self, story_id: str) -> Story | None:
        rows = self._query("SELECT data FROM stories WHERE id = %s", (story_id,))
        return from_dict(Story, rows[0]["data"]) if rows else None

    def stories_of_article(self, article_id: str) -> list[str]:
        rows = self._query(
            "SELECT story_id FROM story_articles WHERE article_id = %s ORDER BY story_id",
            (article_id,),
        )
        return [row["story_id"] for row in rows]

    # -- search and entities -----------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        words = query_text(query)
        if not words:
            return []
        # Rank first over the index, then build headlines (costly) for the page only.
        rows = self._query(
            "WITH q AS (SELECT plainto_tsquery('simple', %s) AS q),"
            " hits AS (SELECT a.id, a.title, a.outlet, a.published, a.data ->> 'body' AS body,"
            " ts_rank(a.search, q.q) AS rank FROM articles AS a, q WHERE a.search @@ q.q"
            " ORDER BY rank DESC, a.id LIMIT %s)"
            " SELECT h.id, h.title, h.outlet, h.published, h.rank,"
            " ts_headline('simple', h.body, q.q, %s) AS snippet"
            " FROM hits AS h, q ORDER BY h.rank DESC, h.id",
            (words, nonneg(limit), _HEADLINE_OPTIONS),
        )
        return [
            SearchHit(
                article_id=row["id"],
                title=row["title"],
                outlet=row["outlet"],
                published=row["published"],
                snippet=row["snippet"],
                score=float(row["rank"]),
            )
            for row in rows
        ]

    def list_entities(
        self, limit: int = 100, label: str | None = None, offset: int = 0
    ) -> list[Entity]:
        where, params = (" WHERE label = %s", [label]) if label else ("", [])
        rows = self._query(
            "SELECT name, label, sum(count) AS mentions, count(DISTINCT article_id) AS articles"
            f" FROM article_entities{where} GROUP BY name, label"
            " ORDER BY articles DESC, mentions DESC, name, label LIMIT %s OFFSET %s",
            [*params, nonneg(limit), nonneg(offset)],
        )
        alias_rows: list[dict[str, Any]] = []
        if rows:
            alias_rows = self._query(
                "SELECT DISTINCT ae.name, ae.label, j.alias"
                " FROM article_entities AS ae,"
                " jsonb_array_elements_text(ae.aliases) AS j(alias)"
                " WHERE ae.name = ANY(%s)",
                (sorted({row["name"] for row in rows}),),
            )
        return entities_from_rows(rows, alias_rows)

    def count_entities(self, label: str | None = None) -> int:
        where, params = (" WHERE label = %s", [label]) if label else ("", [])
        rows = self._query(
            f"SELECT count(*) AS n FROM (SELECT 1 FROM article_entities{where}"
            " GROUP BY name, label) AS g",
            params,
        )
        return int(rows[0]["n"])


Conn = psycopg.Connection[dict[str, Any]]


def _update_article(conn: Conn, article: Article) -> None:
    """Store an article's resolved entities and ``duplicate_of`` (it is stored already)."""
    check_article(article)
    conn.execute(
        "UPDATE articles SET duplicate_of = %s, data = %s WHERE id = %s",
        _clean((article.duplicate_of, _jsonb(to_dict(article)), article.id)),
    )
    conn.execute("DELETE FROM article_entities WHERE article_id = %s", (article.id,))
    _insert_entities(conn, article)


def _insert_entities(conn: Conn, article: Article) -> None:
    rows = _entity_rows(article)
    if rows:
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO article_entities (article_id, name, label, count, aliases)"
                " VALUES (%s, %s, %s, %s, %s)",
                rows,
            )


def _save_state(conn: Conn, state: bytes, articles: int) -> None:
    conn.execute(
        "INSERT INTO grouping_state (name, articles, data, updated_at)"
        " VALUES (%s, %s, %s, now())"
        " ON CONFLICT (name) DO UPDATE SET articles = excluded.articles, data = excluded.data,"
        " updated_at = excluded.updated_at",
        (_STATE_NAME, articles, state),
    )


def _replace_stories(conn: Conn, stories: list[Story]) -> None:
    conn.execute("DELETE FROM stories")  # story_articles go by ON DELETE CASCADE
    conn.execute("DELETE FROM grouping_state")  # the state described the old stories
    _insert_stories(conn, stories)


def _insert_stories(conn: Conn, stories: list[Story]) -> None:
    for story in stories:
        if not isinstance(story, Story):
            raise TypeError(f"expected Story, got {type(story).__name__}")
        article_ids = list(dict.fromkeys(story.article_ids))
        try:
            # A savepoint, so the error message below is ours and the outer transaction
            # (rolled back by the caller's raise) is not left in a confusing state.
            with conn.transaction(), conn.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO stories (id, title, first_date, last_date, size, data)"
                    " VALUES (%s, %s, %s, %s, %s, %s)",
                    _clean(
                        (
                            story.id,
                            story.title,
                            story.first_date,
                            story.last_date,
                            len(article_ids),
                            _jsonb(to_dict(story)),
                        )
                    ),
                )
                if article_ids:
                    cursor.executemany(
                        "INSERT INTO story_articles (story_id, article_id) VALUES (%s, %s)",
                        [_clean((story.id, article_id)) for article_id in article_ids],
                    )
        except psycopg.IntegrityError as exc:
            raise KabarError(
                f"story {story.id!r} cannot be stored (duplicate story id or an"
                f" article id that is not in the store): {exc}"
            ) from exc


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


def _entity_rows(article: Article) -> list[tuple[Any, ...]]:
    """Rows of ``article_entities`` for an article (spellings as a JSON array)."""
    return [
        _clean((article.id, name, label, n, _jsonb(spellings)))
        for name, label, n, spellings in entity_counts(article)
    ]


__all__ = [
    "MIGRATIONS",
    "PostgresStore",
    "connection_url",
    "fold",
    "index_text",
    "query_text",
    "redact",
]
