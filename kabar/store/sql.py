"""The SQL the two backends share, written once with ``?`` placeholders.

:class:`SQLStore` holds every query of the store that SQLite and PostgreSQL answer with the
same text; a backend (:mod:`kabar.store.sqlite`, :mod:`kabar.store.postgres`) is a small
dialect: its connection and migrations, its full-text search (FTS5 or ``tsvector``), how a
JSON value goes in and out, how a batch of articles is inserted, and its placeholder (the
PostgreSQL backend rewrites ``?`` to ``%s``; no query here contains a literal ``?``).

What the API reads is kept in tables made for the question, filled in the same transaction
as the data they describe, so no request reads a table whole:

* ``story_index``: one narrow row per story (its order keys and date span), and
  ``story_heads``: the JSON of the few fields a list shows, so listing stories never
  decodes article ids or timelines;
* ``story_keys``: (kind, value, story) rows for the equality filters (outlet, entity,
  article language, title/summary word), read through their primary key;
* ``entities`` and ``entity_aliases``: per-entity counts kept up to date by each write,
  instead of a GROUP BY over every mention row;
* ``article_counts``: article counts per (outlet, language), so a total is a sum over a few
  rows rather than a count over the articles;
* ``quotes``: who said what, one row per quote with its outlet and date
  (:mod:`kabar.store.quotes`).
"""

from __future__ import annotations

import abc
import dataclasses
import hashlib
import itertools
import json
import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from cachetools import LRUCache

from kabar.errors import KabarError
from kabar.model import (
    UNDATED,
    Article,
    Entity,
    Event,
    Fact,
    SearchHit,
    Source,
    Story,
    TimelineEntry,
    from_dict,
    order_key,
    to_dict,
)
from kabar.store.base import (
    AddResult,
    ArticlePage,
    DayCount,
    EntityPage,
    SourcePage,
    Store,
    StoryHead,
    StoryPage,
    StoryQuery,
    check_article,
    decode_cursor,
    encode_cursor,
    entity_counts,
    nonneg,
    story_keys,
    story_order,
)
from kabar.store.follows import SQLFollowRecords
from kabar.store.quotes import SQLQuoteRecords
from kabar.store.watch import SQLWatchRecords

ITER_PAGE = 500
# How many matches a search ranks at most (the most recent ones; see each dialect): ranking
# every match of a common word would read them all.
SEARCH_POOL = 200
STATE_NAME = "stories"
STORY_STATE_PREFIX = "story:"
STAMP_NAME = "stories:stamp"
AHEAD_NAME = "stories:ahead"
"""The row of grouping_state that says the stored stories are ahead of the saved state: an
incremental step was saved without it (the live writer saves the state later). Whoever
finds it without the state in memory regroups rather than replays (:func:`grouping_state_ahead`)."""
"""The row of grouping_state whose data changes with every save of the state
(:meth:`SQLStore.grouping_state_stamp`)."""
"""Rows of grouping_state named ``story:<id>`` hold one story's state
(:class:`kabar.timeline.StoryState`), deleted with the stories on a regroup."""
# The article list order: newest first, undated last, then by id (the articles_order* indexes).
_ARTICLE_ORDER = "(published IS NULL), published DESC, id"
_ORDER_COLUMN = {"size": "size_key", "recent": "recent_key"}
SHOWN_SOURCES = 5
"""Sources per timeline entry and fact in a story's record (:meth:`Story.capped`); the
full lists are rows of ``story_parts``."""
SHOWN_FACTS = 50
"""Facts in a story's record (the best supported); the others are rows of ``story_parts``."""
_PARTS = ("timeline", "background")
RECORD_PART = "record"
"""The ``story_parts`` row (n = 0) of a story's shown timeline, background and facts (as
:meth:`Story.capped` leaves them), written only when they change: an add that moves a
large story's tallies leaves it (its sentences are rebuilt after, once)."""
MEMBERS_PART = "members"
"""The ``story_parts`` row (n = 0) of a story's member ids in its order (``story_articles``
holds them as rows, unordered), written when its members change: 40 KB for 2,000 members,
read by a full read only (a page counts them in its head)."""
EVENTS_PART = "events"
"""The ``story_parts`` rows of a story's events, n a slot the event keeps (read back in
date order), each written only when that event changed."""
_IN_ROWS = "in_rows"
"""Set in a story's head (``stories.data``) whose parts and events are rows (see
:meth:`SQLStore._insert_stories`); an older store's heads hold everything."""


class SQLStore(SQLQuoteRecords, SQLWatchRecords, SQLFollowRecords, Store):
    """Every query both backends share (the watcher's in :mod:`kabar.store.watch`);
    subclasses supply the dialect hooks below."""

    _lock: threading.RLock
    _conn: Any
    _read_shown: _ShownMemo
    _written: dict[str, _Written]
    """What this process last wrote of each story it updated in this database (see
    :class:`_Written`; shared by its connections: the records thread writes a story's
    rebuilt record with its own, the next add with the ingest's)."""
    integrity_error: type[Exception] = Exception
    row_lock: str = ""
    """What a dialect appends to a read inside a write that the write depends on, so no
    other client's commit removes the row before this one commits (SQLite: nothing, its
    write transaction already excludes every other writer)."""

    def _open(
        self,
        connect: Callable[[], Any],
        migrate: Callable[[Any], int],
        errors: type[Exception],
        name: str,
    ) -> None:
        """Connect, migrate and index; a KabarError naming the database (``name``, without
        password) when it cannot be opened or is not a kabar database."""
        self._lock = threading.RLock()
        self._written = _WRITTEN.setdefault(name, {})
        self._read_shown = _READ_SHOWN.setdefault(name, _ShownMemo())
        try:
            self._conn = connect()
        except errors as exc:
            raise KabarError(f"cannot open {name}: {exc}") from exc
        try:
            migrate(self._conn)
            self._index_unindexed_stories()
        except errors as exc:
            self._conn.close()
            raise KabarError(f"{name} is not a usable kabar database: {exc}") from exc
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- dialect hooks -----------------------------------------------------------------
    @abc.abstractmethod
    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        """Rows (indexable by column name) of one read; ``params`` a sequence for ``?``
        marks, or a dict for the dialect's named parameters."""

    @abc.abstractmethod
    def _json_text(self, column: str, key: str) -> str:
        """SQL for the text of a top-level ``key`` of a JSON column (NULL if absent)."""

    @abc.abstractmethod
    def _write(self) -> AbstractContextManager[Any]:
        """One write transaction; yields the handle :meth:`_exec` takes."""

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._write():
            yield

    @abc.abstractmethod
    def _exec(self, tx: Any, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abc.abstractmethod
    def _execmany(self, tx: Any, sql: str, rows: list[Sequence[Any]]) -> None: ...

    @abc.abstractmethod
    def _json(self, value: Any) -> Any:
        """A value for a JSON column."""

    @abc.abstractmethod
    def _unjson(self, value: Any) -> Any:
        """The Python value of a JSON column as read."""

    @abc.abstractmethod
    def _insert_articles(self, tx: Any, batch: list[Article]) -> list[bool]:
        """Insert the rows of ``articles`` (and their search index) skipping stored ids;
        which of the batch were new."""

    @abc.abstractmethod
    def _search_rows(self, match: str, limit: int) -> list[Any]:
        """Full-text search for :meth:`_match`'s query: rows of id, title, outlet,
        published, snippet and score (higher is better), best first."""

    _match: Callable[[str], str]
    """Arbitrary user text as the dialect's full-text query ('' when it has no word)."""

    def _savepoint(self, tx: Any) -> AbstractContextManager[Any]:
        """Where a failing statement must not poison the transaction (PostgreSQL)."""
        return nullcontext()

    # -- articles --------------------------------------------------------------------
    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        batch = list(articles)
        for article in batch:
            check_article(article)
        result = AddResult()
        if not batch:
            return result
        with self._write() as tx:
            new = self._insert_articles(tx, batch)
            added = [a for a, is_new in zip(batch, new, strict=True) if is_new]
            result.added = [a.id for a in added]
            result.existing = [a.id for a, is_new in zip(batch, new, strict=True) if not is_new]
            counts: dict[tuple[int, str, str], int] = defaultdict(int)
            for article in added:
                counts[(article.outlet is not None, article.outlet or "", article.language)] += 1
            self._execmany(
                tx,
                "INSERT INTO article_counts (has_outlet, outlet, language, n) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (has_outlet, outlet, language)"
                " DO UPDATE SET n = article_counts.n + excluded.n",
                [(int(has), outlet, lang, n) for (has, outlet, lang), n in counts.items()],
            )
            self._set_entities(tx, added, replace=False)
            self._set_quotes(tx, added, replace=False)
        return result

    def has_article(self, article_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def get_article(self, article_id: str) -> Article | None:
        rows = self._query("SELECT data FROM articles WHERE id = ?", (article_id,))
        return from_dict(Article, self._unjson(rows[0]["data"])) if rows else None

    def count_articles(self, outlet: str | None = None, language: str | None = None) -> int:
        where, params = _where(
            [("has_outlet = 1 AND outlet = ?", outlet), ("language = ?", language)]
        )
        rows = self._query(f"SELECT coalesce(sum(n), 0) AS n FROM article_counts{where}", params)
        return int(rows[0]["n"])

    def list_articles(
        self,
        limit: int = 50,
        offset: int = 0,
        outlet: str | None = None,
        language: str | None = None,
    ) -> list[Article]:
        where, params = _where([("outlet = ?", outlet), ("language = ?", language)])
        # The ORDER BY is the expression of the articles_order* indexes, read in order.
        rows = self._query(
            f"SELECT data FROM articles{where} ORDER BY {_ARTICLE_ORDER} LIMIT ? OFFSET ?",
            [*params, nonneg(limit), nonneg(offset)],
        )
        return [from_dict(Article, self._unjson(row["data"])) for row in rows]

    def article_page(
        self,
        limit: int = 50,
        outlet: str | None = None,
        language: str | None = None,
        offset: int = 0,
        after: str | None = None,
    ) -> ArticlePage:
        limit, offset = nonneg(limit), nonneg(offset)
        filters = [("outlet = ?", outlet), ("language = ?", language)]
        where, params = _where(filters)
        if after is None:
            keys = self._query(
                f"SELECT id, published FROM articles{where} ORDER BY {_ARTICLE_ORDER}"
                " LIMIT ? OFFSET ?",
                [*params, limit + 1, offset],
            )
        else:
            # The rows after (published, id) in the list order, as index range reads that
            # each stop at the page's end: older days (and the cursor's day after its id),
            # then the undated; only the undated after it when the cursor is undated. Each
            # part fixes the indexes' first column (:meth:`_undated_is`), so each is a
            # range read in the index's order.
            published, article_id = _article_cursor(decode_cursor(after))
            parts: list[tuple[bool, str, tuple[Any, ...]]] = [
                (True, "published IS NULL AND id > ?", (article_id,))
            ]
            if published is not None:
                parts = [
                    (
                        False,
                        "published <= ? AND (published < ? OR id > ?)",
                        (published, published, article_id),
                    ),
                    (True, "published IS NULL", ()),
                ]
            selects: list[str] = []
            values: list[Any] = []
            for number, (undated, clause, bound) in enumerate(parts):
                fixed, order = self._undated_is(undated)
                part = (
                    f"{where} AND {fixed} AND {clause}" if where else f" WHERE {fixed} AND {clause}"
                )
                selects.append(
                    f"SELECT * FROM (SELECT id, published FROM articles{part}"
                    f" ORDER BY {order} LIMIT ?) AS part{number}"
                )
                values += [*params, *bound, offset + limit + 1]
            keys = self._query(
                f"SELECT id, published FROM ({' UNION ALL '.join(selects)}) AS after_cursor"
                f" ORDER BY {_ARTICLE_ORDER} LIMIT ? OFFSET ?",
                [*values, limit + 1, offset],
            )
        page = keys[:limit]
        data = self._column_of("articles", "id", "data", [row["id"] for row in page])
        more = len(keys) > limit and limit > 0
        last = keys[limit - 1] if more else None
        return ArticlePage(
            items=[from_dict(Article, self._unjson(data[row["id"]])) for row in page],
            next=encode_cursor([last["published"], last["id"]]) if last else None,
        )

    def _column_of(self, table: str, key: str, column: str, ids: list[str]) -> dict[str, Any]:
        """``column`` of the rows of a page by their ``key`` (one query, after the page's
        keys were read from an index)."""
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self._query(f"SELECT {key}, {column} FROM {table} WHERE {key} IN ({marks})", ids)
        return {row[key]: row[column] for row in rows}

    def _undated_is(self, undated: bool) -> tuple[str, str]:
        """The condition that fixes the first column of the articles_order* indexes
        (``published IS NULL``), and the ORDER BY that reads the rest of them in order.
        SQLite seeks past an equality on it and orders by the columns after it; PostgreSQL
        rewrites that equality to ``published IS NOT NULL`` (which no longer names the
        indexed expression), so it gets a range on the expression (its dialect)."""
        return f"(published IS NULL) = {int(undated)}", "published DESC, id"

    def iter_articles(self) -> Iterator[Article]:
        # Keyset pages rather than one long cursor: the caller may write between items.
        # '~' sorts after any ISO date (bytewise), which puts undated articles last.
        key: tuple[str, str] = ("", "")
        while True:
            rows = self._query(
                "SELECT id, coalesce(published, '~') AS k, data FROM articles"
                " WHERE (coalesce(published, '~'), id) > (?, ?)"
                " ORDER BY coalesce(published, '~'), id LIMIT ?",
                (*key, ITER_PAGE),
            )
            for row in rows:
                yield from_dict(Article, self._unjson(row["data"]))
            if len(rows) < ITER_PAGE:
                return
            key = (rows[-1]["k"], rows[-1]["id"])

    def articles_naming(self, entity: Entity, limit: int = 50) -> list[Article]:
        rows = self._query(
            "SELECT a.data FROM articles AS a WHERE a.id IN (SELECT article_id"
            " FROM article_entities WHERE name = ? AND label = ? ORDER BY article_id LIMIT ?)"
            " ORDER BY a.published IS NULL, a.published DESC, a.id",
            (entity.name, entity.label, nonneg(limit)),
        )
        return [from_dict(Article, self._unjson(row["data"])) for row in rows]

    # -- corpus-level writes -------------------------------------------------------------
    def replace_stories(self, stories: list[Story]) -> None:
        with self._write() as tx:
            self._replace_stories(tx, stories)

    def save_grouping(
        self,
        articles: list[Article],
        stories: list[Story],
        state: bytes | None = None,
        state_articles: int | None = None,
    ) -> None:
        with self._write() as tx:
            self._update_articles(tx, articles)
            self._replace_stories(tx, stories)
            if state is not None:
                covered = len(articles) if state_articles is None else state_articles
                self._save_state(tx, state, covered)

    def save_increment(
        self,
        articles: list[Article],
        stories: list[Story],
        removed_story_ids: list[str],
        state: bytes | None,
        state_articles: int,
        story_states: Mapping[str, bytes] | None = None,
    ) -> None:
        written: dict[str, _Written] = {}
        with self._write() as tx:
            self._update_articles(tx, articles)
            self._execmany(
                tx, "DELETE FROM stories WHERE id = ?", [(sid,) for sid in removed_story_ids]
            )
            self._insert_stories(tx, stories, written, in_place=True)
            if state is not None:
                self._save_state(tx, state, state_articles)
            else:
                self._exec(
                    tx,
                    "INSERT INTO grouping_state (name, articles, data, updated_at)"
                    " VALUES (?, 0, ?, CURRENT_TIMESTAMP) ON CONFLICT (name) DO NOTHING",
                    (AHEAD_NAME, b""),
                )
            self._execmany(
                tx,
                "DELETE FROM grouping_state WHERE name = ?",
                [(STORY_STATE_PREFIX + sid,) for sid in removed_story_ids],
            )
            self._execmany(
                tx,
                "DELETE FROM story_parts WHERE story_id = ?",
                [(sid,) for sid in removed_story_ids],
            )
            self._save_story_states(tx, story_states or {})
        for sid in removed_story_ids:
            self._written.pop(sid, None)
        self._written.update(written)

    def save_stories(
        self, stories: list[Story], story_states: Mapping[str, bytes] | None = None
    ) -> None:
        written: dict[str, _Written] = {}
        with self._write() as tx:
            self._insert_stories(tx, stories, written, in_place=True)
            self._save_story_states(tx, story_states or {})
        self._written.update(written)

    def save_story_parts(self, story: Story) -> bool:
        before = self._written.get(story.id)
        with self._write() as tx:
            # story_parts has no foreign key: without the lock, a regroup committing
            # between this read and the write would leave orphan rows.
            if not self._query(f"SELECT 1 FROM stories WHERE id = ?{self.row_lock}", (story.id,)):
                return False
            self._save_shown(tx, story)
        # Only if no add wrote the story meanwhile (its lists, in its own commit, may then be
        # the ones stored): a missing entry makes the next write look at the rows again.
        if self._written.get(story.id) is before:
            self._written[story.id] = _Written(story.timeline, story.background, story.facts)
        else:
            self._written.pop(story.id, None)
        return True

    def save_grouping_state(
        self, state: bytes, state_articles: int, stamp: bytes | None = None
    ) -> None:
        with self._write() as tx:
            self._save_state(tx, state, state_articles, stamp)

    def load_story_states(self, story_ids: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for start in range(0, len(story_ids), 500):
            names = [STORY_STATE_PREFIX + sid for sid in story_ids[start : start + 500]]
            marks = ", ".join("?" for _ in names)
            for row in self._query(
                f"SELECT name, data FROM grouping_state WHERE name IN ({marks})", names
            ):
                found[row["name"][len(STORY_STATE_PREFIX) :]] = bytes(row["data"])
        return found

    def _save_story_states(self, tx: Any, states: Mapping[str, bytes]) -> None:
        self._execmany(
            tx,
            "INSERT INTO grouping_state (name, articles, data, updated_at)"
            " VALUES (?, 0, ?, CURRENT_TIMESTAMP)"
            " ON CONFLICT (name) DO UPDATE SET data = excluded.data,"
            " updated_at = excluded.updated_at",
            [(STORY_STATE_PREFIX + sid, data) for sid, data in states.items()],
        )

    def load_grouping_state(self) -> tuple[bytes, int] | None:
        rows = self._query(
            "SELECT data, articles FROM grouping_state WHERE name = ?", (STATE_NAME,)
        )
        return (bytes(rows[0]["data"]), int(rows[0]["articles"])) if rows else None

    def grouping_state_ahead(self) -> bool:
        return bool(self._query("SELECT 1 FROM grouping_state WHERE name = ?", (AHEAD_NAME,)))

    def grouping_state_stamp(self) -> bytes | None:
        rows = self._query("SELECT data FROM grouping_state WHERE name = ?", (STAMP_NAME,))
        # A state saved before the stamps: its checksum (until the next save stamps it).
        return bytes(rows[0]["data"]) if rows else super().grouping_state_stamp()

    def _save_state(self, tx: Any, state: bytes, articles: int, stamp: bytes | None = None) -> None:
        """The state and a new stamp (random: a regroup deletes every row, and any writer
        saving a state writes a stamp no one else holds; a writer may pick it beforehand)."""
        self._execmany(
            tx,
            "INSERT INTO grouping_state (name, articles, data, updated_at)"
            " VALUES (?, ?, ?, CURRENT_TIMESTAMP)"
            " ON CONFLICT (name) DO UPDATE SET articles = excluded.articles,"
            " data = excluded.data, updated_at = excluded.updated_at",
            [(STATE_NAME, articles, state), (STAMP_NAME, 0, stamp or os.urandom(16))],
        )
        self._exec(tx, "DELETE FROM grouping_state WHERE name = ?", (AHEAD_NAME,))

    def _update_articles(self, tx: Any, articles: list[Article]) -> None:
        """Stored articles' corpus-level results: ``duplicate_of``, data (with resolved
        entity names) and entity rows, with the entity counts moved accordingly."""
        for article in articles:
            check_article(article)
        self._execmany(
            tx,
            "UPDATE articles SET duplicate_of = ?, data = ? WHERE id = ?",
            [(a.duplicate_of, self._json(to_dict(a)), a.id) for a in articles],
        )
        self._set_entities(tx, articles, replace=True)
        self._set_quotes(tx, articles, replace=True)

    def _set_entities(self, tx: Any, articles: list[Article], replace: bool) -> None:
        """Write the articles' entity rows (replacing their old ones) and move the counts
        of ``entities`` and ``entity_aliases`` by the difference."""
        per_entity: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        per_alias: dict[tuple[str, str, str], int] = defaultdict(int)
        if replace and articles:
            for chunk in _chunks([a.id for a in articles], 500):
                marks = ", ".join("?" for _ in chunk)
                old = self._query(
                    "SELECT name, label, count, aliases FROM article_entities"
                    f" WHERE article_id IN ({marks})",
                    chunk,
                )
                for row in old:
                    _count(per_entity, per_alias, row["name"], row["label"], -int(row["count"]))
                    for alias in self._unjson(row["aliases"]):
                        per_alias[(row["name"], row["label"], alias)] -= 1
            self._execmany(
                tx, "DELETE FROM article_entities WHERE article_id = ?", [(a.id,) for a in articles]
            )
        rows: list[Sequence[Any]] = []
        for article in articles:
            for name, label, n, spellings in entity_counts(article):
                rows.append((article.id, name, label, n, self._json(spellings)))
                _count(per_entity, per_alias, name, label, n)
                for alias in spellings:
                    per_alias[(name, label, alias)] += 1
        self._execmany(
            tx,
            "INSERT INTO article_entities (article_id, name, label, count, aliases)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        moved = {key: d for key, d in per_entity.items() if d != [0, 0]}
        self._execmany(
            tx,
            "INSERT INTO entities (name, label, folded, mentions, articles) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (name, label) DO UPDATE SET"
            " folded = excluded.folded, mentions = entities.mentions + excluded.mentions,"
            " articles = entities.articles + excluded.articles",
            [(name, label, name.casefold(), m, a) for (name, label), (m, a) in moved.items()],
        )
        self._execmany(
            tx,
            "INSERT INTO entity_aliases (name, label, alias, articles) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (name, label, alias)"
            " DO UPDATE SET articles = entity_aliases.articles + excluded.articles",
            [(*key, d) for key, d in per_alias.items() if d],
        )
        # Only the keys that went down can have reached zero.
        self._execmany(
            tx,
            "DELETE FROM entities WHERE name = ? AND label = ? AND articles <= 0",
            [key for key, (_, a) in moved.items() if a < 0],
        )
        self._execmany(
            tx,
            "DELETE FROM entity_aliases WHERE name = ? AND label = ? AND alias = ?"
            " AND articles <= 0",
            [key for key, d in per_alias.items() if d < 0],
        )

    # -- stories ---------------------------------------------------------------------
    def _replace_stories(self, tx: Any, stories: list[Story]) -> None:
        # story_articles, story_index and story_keys go by ON DELETE CASCADE.
        self._written.clear()
        self._exec(tx, "DELETE FROM stories")
        self._exec(tx, "DELETE FROM story_parts")
        self._exec(tx, "DELETE FROM grouping_state")  # it described the old stories
        self._insert_stories(tx, stories)

    def _insert_stories(
        self,
        tx: Any,
        stories: list[Story],
        written: dict[str, _Written] | None = None,
        in_place: bool = False,
    ) -> None:
        """Insert the stories' rows. written: where to note what was written of each story
        (the caller keeps it once the transaction commits, see :class:`_Written`); None:
        nothing noted (a regroup: every story new).

        A story is written as rows that change apart (see :data:`RECORD_PART`): its head
        (``stories.data``: title, summary, tallies), its shown timeline, background and
        facts (one ``story_parts`` row, written only when they changed), its events (a row
        each, written only when that event changed) and its members (``story_articles``;
        their ids are in the head only when not in publication order). An add that moves
        only the tallies of a story of 2,000 members writes a few kilobytes, not its 900 KB.

        in_place: a stored story's row is updated where it is and only its members that
        changed are written (an add to a story of 2,000 members writes one member row,
        not 2,000 rows and their index keys); its narrow index rows are written again."""
        stored: set[str] = set()
        if in_place:
            for chunk in _chunks([story.id for story in stories], 500):
                marks = ", ".join("?" for _ in chunk)
                rows = self._query(f"SELECT id FROM stories WHERE id IN ({marks})", chunk)
                stored.update(row["id"] for row in rows)
        # The languages of new stories' members (their filter keys), in a few queries.
        fresh = self._languages_of(
            [aid for story in stories if story.id not in stored for aid in story.article_ids]
        )
        for story in stories:
            if not isinstance(story, Story):
                raise TypeError(f"expected Story, got {type(story).__name__}")
            article_ids = list(dict.fromkeys(story.article_ids))
            last = self._written.get(story.id)
            same = last is not None and last.holds(story)
            data = to_dict(
                dataclasses.replace(
                    story, article_ids=[], timeline=[], background=[], facts=[], events=[]
                )
            )
            for name in (*_SHOWN_PARTS, "events", "more_facts", "article_ids"):
                del data[name]
            data[_IN_ROWS] = True
            before: set[str] = set()
            if story.id in stored:  # its member rows (their keys alone: an index read)
                before = {
                    row["article_id"]
                    for row in self._query(
                        "SELECT article_id FROM story_articles WHERE story_id = ?", (story.id,)
                    )
                }
            try:
                with self._savepoint(tx):
                    if story.id in stored:
                        members = self._update_story(tx, story, article_ids, data, before)
                    else:
                        members = article_ids
                        self._exec(
                            tx,
                            "INSERT INTO stories (id, title, first_date, last_date, size, data)"
                            " VALUES (?, ?, ?, ?, ?, ?)",
                            (
                                story.id,
                                story.title,
                                story.first_date,
                                story.last_date,
                                len(article_ids),
                                self._json(data),
                            ),
                        )
                    self._execmany(
                        tx,
                        "INSERT INTO story_articles (story_id, article_id) VALUES (?, ?)",
                        [(story.id, article_id) for article_id in members],
                    )
            except self.integrity_error as exc:
                raise KabarError(
                    f"story {story.id!r} cannot be stored (duplicate story id or an"
                    f" article id that is not in the store): {exc}"
                ) from exc
            joined = [aid for aid in article_ids if aid not in before]
            if story.id not in stored:
                languages: list[str] | None = sorted({fresh[a] for a in article_ids if a in fresh})
            elif before - set(article_ids):
                languages = None  # members left: read them all again
            else:  # the stored ones and those of the members that joined
                languages = sorted(set(self._languages_of(joined).values()))
            self._index_story(
                tx,
                story,
                len(article_ids),
                languages,
                story.id in stored,
                keep=story.id in stored and languages is not None,
            )
            self._save_members(tx, story, stored=story.id in stored)
            if not same:  # the parts' rows were written with these very lists
                self._save_shown(tx, story)
            self._save_events(tx, story, story.id in stored)
            if written is not None:
                written[story.id] = _Written(story.timeline, story.background, story.facts)

    def _save_members(self, tx: Any, story: Story, stored: bool) -> None:
        """Write the story's :data:`MEMBERS_PART` row, unless it holds these ids already."""
        digest = hashlib.blake2b("\x1f".join(story.article_ids).encode(), digest_size=16)
        self._put_part(
            tx, story.id, MEMBERS_PART, digest.hexdigest(), story.article_ids, look=stored
        )

    _UPSERT_PART = (
        "INSERT INTO story_parts (story_id, part, n, digest, data) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (story_id, part, n) DO UPDATE SET digest = excluded.digest,"
        " data = excluded.data"
    )

    def _put_part(
        self, tx: Any, story_id: str, part: str, digest: str, data: Any, look: bool = True
    ) -> None:
        """Write a one-row part (n = 0) of a story, unless its row has this digest already
        (look: the story may have the row; a new story's rows are not looked for)."""
        if look:
            rows = self._query(
                "SELECT digest FROM story_parts WHERE story_id = ? AND part = ? AND n = 0",
                (story_id, part),
            )
            if rows and rows[0]["digest"] == digest:
                return
        self._exec(tx, self._UPSERT_PART, (story_id, part, 0, digest, self._json(data)))

    def _save_shown(self, tx: Any, story: Story) -> None:
        """The rows of the story's timeline, background and facts: as shown
        (:data:`RECORD_PART`) and every source (:meth:`_save_parts`)."""
        capped = story.capped(SHOWN_SOURCES, SHOWN_FACTS)
        shown: dict[str, Any] = {name: _plain_part(getattr(capped, name)) for name in _SHOWN_PARTS}
        shown["more_facts"] = capped.more_facts
        self._save_record(tx, story.id, shown)
        self._save_parts(tx, story)

    def _save_record(self, tx: Any, story_id: str, shown: dict[str, Any]) -> None:
        """Write the story's :data:`RECORD_PART` row, unless it holds this already."""
        text = json.dumps(shown, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        self._put_part(tx, story_id, RECORD_PART, digest, shown)

    def _save_events(self, tx: Any, story: Story, stored: bool) -> None:
        """Write the story's events that changed, one ``story_parts`` row each, and delete
        the rows of the events gone. stored: the story has rows already (their digests are
        read: a few bytes a row, written or not).

        A row's n is the event's slot, kept while the event lives (a read puts the events
        in order, :func:`_event_order`): by place, an event dated among the earlier ones
        moved every later row, and an add to a story of 2,000 members rewrote about 300 of
        its 1,000 rows. The digest column starts with the event id (which slot is whose)."""
        before: dict[str, tuple[int, str]] = {}
        if stored:
            rows = self._query(
                "SELECT n, digest FROM story_parts WHERE story_id = ? AND part = ?",
                (story.id, EVENTS_PART),
            )
            for row in rows:
                event_id, sep, _rest = row["digest"].partition(_EVENT_ID_END)
                if not sep:  # rows by place (an older kabar): all written again
                    self._exec(
                        tx,
                        "DELETE FROM story_parts WHERE story_id = ? AND part = ?",
                        (story.id, EVENTS_PART),
                    )
                    before = {}
                    break
                before[event_id] = (int(row["n"]), row["digest"])
        taken = {n for n, _digest in before.values()}
        free = (n for n in itertools.count() if n not in taken)
        rows_out: list[Sequence[Any]] = []
        for event in story.events:
            digest = event.id + _EVENT_ID_END + _event_digest(event)
            kept = before.pop(event.id, None)
            if kept is not None and kept[1] == digest:
                continue
            n = kept[0] if kept is not None else next(free)
            rows_out.append((story.id, EVENTS_PART, n, digest, self._json(to_dict(event))))
        # the slots of the events gone (merged, left) are not taken by new ones above
        self._execmany(
            tx,
            "DELETE FROM story_parts WHERE story_id = ? AND part = ? AND n = ?",
            [(story.id, EVENTS_PART, n) for n, _digest in before.values()],
        )
        self._execmany(tx, self._UPSERT_PART, rows_out)

    def _languages_of(self, article_ids: list[str]) -> dict[str, str]:
        """The languages of these stored articles (a story's language filter keys); an id
        not stored is left out (its story is refused on insert)."""
        found: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(article_ids)), 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._query(
                f"SELECT id, language FROM articles WHERE id IN ({marks})", chunk
            ):
                found[row["id"]] = row["language"]
        return found

    def _update_story(
        self,
        tx: Any,
        story: Story,
        article_ids: list[str],
        data: dict[str, Any],
        before: set[str],
    ) -> list[str]:
        """Update a stored story's row in place, delete its members that left and its
        index rows (written again by :meth:`_index_story`); returns the members to insert.
        before: its stored members."""
        self._exec(
            tx,
            "UPDATE stories SET title = ?, first_date = ?, last_date = ?, size = ?, data = ?"
            " WHERE id = ?",
            (
                story.title,
                story.first_date,
                story.last_date,
                len(article_ids),
                self._json(data),
                story.id,
            ),
        )
        wanted = set(article_ids)
        self._execmany(
            tx,
            "DELETE FROM story_articles WHERE story_id = ? AND article_id = ?",
            [(story.id, article_id) for article_id in sorted(before - wanted)],
        )
        for table in ("story_index", "story_heads"):  # its keys: see _index_story
            self._exec(tx, f"DELETE FROM {table} WHERE story_id = ?", (story.id,))
        return [article_id for article_id in article_ids if article_id not in before]

    def _save_parts(self, tx: Any, story: Story) -> None:
        """The rows of ``story_parts`` for what :meth:`Story.capped` leaves out of the
        record: the full sources of each capped timeline or background entry, each fact
        capped or beyond the shown ones. Only the rows that changed are written (a digest
        per row): an add rewrites the few entries it touched, not every source of the
        story. A part that ``story`` holds capped already (a record read back, written
        again with new tallies) keeps its row."""
        wanted: dict[tuple[str, int], tuple[str, TimelineEntry | Fact]] = {}
        kept: set[tuple[str, int]] = set()
        for part in _PARTS:
            for number, entry in enumerate(getattr(story, part)):
                if entry.more_sources:
                    kept.add((part, number))
                elif len(entry.sources) > SHOWN_SOURCES:
                    wanted[(part, number)] = (_digest(entry.sources), entry)
        for number, fact in enumerate(story.facts):
            if fact.more_sources:
                kept.add(("facts", number))
            elif number >= SHOWN_FACTS or len(fact.sources) > SHOWN_SOURCES:
                wanted[("facts", number)] = (
                    _digest(fact.sources, [fact.statement, *fact.numbers, str(fact.conflict)]),
                    fact,
                )
        # A record read back lists SHOWN_FACTS facts and counts the rest (rows kept).
        kept.update(("facts", len(story.facts) + n) for n in range(story.more_facts))
        stored = {
            (row["part"], int(row["n"])): row["digest"]
            for row in self._query(
                "SELECT part, n, digest FROM story_parts WHERE story_id = ?"
                " AND part IN ('timeline', 'background', 'facts')",
                (story.id,),
            )
        }
        gone = [key for key in stored if key not in wanted and key not in kept]
        self._execmany(
            tx,
            "DELETE FROM story_parts WHERE story_id = ? AND part = ? AND n = ?",
            [(story.id, part, number) for part, number in gone],
        )
        self._execmany(
            tx,
            "INSERT INTO story_parts (story_id, part, n, digest, data) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (story_id, part, n) DO UPDATE SET digest = excluded.digest,"
            " data = excluded.data",
            [
                (story.id, part, number, digest, self._json(_part_data(item)))
                for (part, number), (digest, item) in wanted.items()
                if stored.get((part, number)) != digest
            ],
        )

    def _full(self, story: Story) -> Story:
        """The story with the parts its record leaves out read back (see :meth:`_save_parts`)."""
        if (
            not story.more_facts
            and not any(e.more_sources for part in _PARTS for e in getattr(story, part))
            and not any(f.more_sources for f in story.facts)
        ):
            return story
        rows = {
            (row["part"], int(row["n"])): self._unjson(row["data"])
            for row in self._query(
                "SELECT part, n, data FROM story_parts WHERE story_id = ?"
                " AND part IN ('timeline', 'background', 'facts')",
                (story.id,),
            )
        }

        def entries(part: str) -> list[TimelineEntry]:
            out = []
            for number, entry in enumerate(getattr(story, part)):
                data = rows.get((part, number))
                if entry.more_sources and data is not None:
                    entry = dataclasses.replace(
                        entry,
                        sources=[from_dict(Source, s) for s in data],
                        more_sources=0,
                        more_outlets=0,
                    )
                out.append(entry)
            return out

        facts = [
            from_dict(Fact, rows[("facts", n)]) if f.more_sources and ("facts", n) in rows else f
            for n, f in enumerate(story.facts)
        ]
        for n in range(len(story.facts), len(story.facts) + story.more_facts):
            if ("facts", n) in rows:
                facts.append(from_dict(Fact, rows[("facts", n)]))
        return dataclasses.replace(
            story,
            timeline=entries("timeline"),
            background=entries("background"),
            facts=facts,
            more_facts=0,
        )

    def _index_story(
        self,
        tx: Any,
        story: Story,
        size: int,
        languages: list[str] | None = None,
        stored: bool = False,
        keep: bool = False,
    ) -> None:
        """The story's rows of ``story_index`` and ``story_keys`` (see the module notes).
        languages: its members' (None: read from its member rows); with ``keep``, those
        of its members that joined, its stored language keys kept. stored: its keys are
        stored already; only those that changed are deleted or inserted."""
        head = StoryHead.of(story, size)
        size_key, recent_key, start, end = story_order(story, size)
        self._exec(
            tx,
            "INSERT INTO story_index (story_id, size_key, recent_key, start_key, end_key)"
            " VALUES (?, ?, ?, ?, ?)",
            (story.id, size_key, recent_key, start, end),
        )
        self._exec(
            tx,
            "INSERT INTO story_heads (story_id, head) VALUES (?, ?)",
            (story.id, self._json(to_dict(head))),
        )
        keys = set(story_keys(story)) | {("language", language) for language in languages or ()}
        old: set[tuple[str, str]] = set()
        if stored:
            old = {
                (row["kind"], row["value"])
                for row in self._query(
                    "SELECT kind, value FROM story_keys WHERE story_id = ?", (story.id,)
                )
            }
            if keep:
                keys |= {key for key in old if key[0] == "language"}
        self._execmany(
            tx,
            "DELETE FROM story_keys WHERE story_id = ? AND kind = ? AND value = ?",
            [(story.id, kind, value) for kind, value in sorted(old - keys)],
        )
        self._execmany(
            tx,
            "INSERT INTO story_keys (story_id, kind, value) VALUES (?, ?, ?)",
            [(story.id, kind, value) for kind, value in sorted(keys - old)],
        )
        if languages is None:
            self._exec(
                tx,
                "INSERT INTO story_keys (story_id, kind, value)"
                " SELECT DISTINCT sa.story_id, 'language', a.language"
                " FROM story_articles AS sa JOIN articles AS a ON a.id = sa.article_id"
                " WHERE sa.story_id = ?",
                (story.id,),
            )

    def _index_unindexed_stories(self) -> None:
        """Fill ``story_index``/``story_keys`` for stories stored before they existed (a
        store migrated from an older schema): the migration cannot compute order keys in
        SQL. On every later open, two index-only counts."""
        counts = self._query(
            "SELECT (SELECT count(*) FROM stories) AS stored,"
            " (SELECT count(*) FROM story_index) AS indexed"
        )[0]
        if counts["stored"] == counts["indexed"]:  # both counts read an index only
            return
        missing = self._query(
            "SELECT s.data FROM stories AS s"
            " WHERE NOT EXISTS (SELECT 1 FROM story_index AS i WHERE i.story_id = s.id)"
        )
        stories = self._stories([self._unjson(row["data"]) for row in missing])
        with self._write() as tx:
            for story in stories:
                self._index_story(tx, story, len(set(story.article_ids)))

    def list_stories(self, limit: int = 50, offset: int = 0) -> list[Story]:
        rows = self._query(
            "SELECT s.data FROM story_index AS i JOIN stories AS s ON s.id = i.story_id"
            " ORDER BY i.size_key LIMIT ? OFFSET ?",
            (nonneg(limit), nonneg(offset)),
        )
        return self._stories([self._unjson(row["data"]) for row in rows])

    def iter_stories(self, full: bool = False) -> Iterator[Story]:
        key = ""
        while True:
            rows = self._query(
                "SELECT i.size_key, s.data FROM story_index AS i"
                " JOIN stories AS s ON s.id = i.story_id"
                " WHERE i.size_key > ? ORDER BY i.size_key LIMIT ?",
                (key, ITER_PAGE),
            )
            for story in self._stories([self._unjson(row["data"]) for row in rows]):
                yield self._full(story) if full else story
            if len(rows) < ITER_PAGE:
                return
            key = rows[-1]["size_key"]

    def count_stories(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM story_index")[0]["n"])

    def get_story(self, story_id: str, full: bool = False, members: bool = True) -> Story | None:
        rows = self._query("SELECT data FROM stories WHERE id = ?", (story_id,))
        if not rows:
            return None
        story = self._stories([self._unjson(rows[0]["data"])], members)[0]
        return self._full(story) if full else _shown(story)

    def _stories(self, heads: list[dict[str, Any]], members: bool = True) -> list[Story]:
        """The stories of these ``stories.data`` heads, their rows read back (see
        :meth:`_insert_stories`): the shown parts, and with ``members`` the member ids and
        the events (a head of an older store holds them all)."""
        split = [head["id"] for head in heads if head.pop(_IN_ROWS, False)]
        parts: dict[str, _Shown] = {}
        ids: dict[str, list[str]] = {}
        events: dict[str, list[tuple[int, Any]]] = defaultdict(list)
        wanted = (RECORD_PART, MEMBERS_PART, EVENTS_PART) if members else (RECORD_PART,)
        stale: list[str] = []  # records not kept decoded under their digest: read whole
        for chunk in _chunks(split, 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._query(
                "SELECT story_id, part, n, digest, CASE WHEN part = ? THEN NULL ELSE data END"
                f" AS data FROM story_parts WHERE story_id IN ({marks})"
                f" AND part IN ({', '.join('?' for _ in wanted)})",
                [RECORD_PART, *chunk, *wanted],
            ):
                if row["part"] == RECORD_PART:
                    known = self._read_shown.get(row["story_id"], row["digest"])
                    if known is None:
                        stale.append(row["story_id"])
                    else:
                        parts[row["story_id"]] = known
                elif row["part"] == MEMBERS_PART:
                    ids[row["story_id"]] = self._unjson(row["data"])
                else:
                    events[row["story_id"]].append((int(row["n"]), self._unjson(row["data"])))
        for chunk in _chunks(stale, 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._query(
                f"SELECT story_id, digest, data FROM story_parts WHERE story_id IN ({marks})"
                " AND part = ? AND n = 0",
                [*chunk, RECORD_PART],
            ):
                parts[row["story_id"]] = self._shown_part(row)
        out = []
        for head in heads:
            sid = head["id"]
            if members and sid in events:
                head["events"] = sorted((data for _n, data in events[sid]), key=_event_order)
            if members and sid in ids:
                head["article_ids"] = ids[sid]
            head.setdefault("article_ids", [])
            story = from_dict(Story, head)
            shown = parts.get(sid)
            if shown is not None:  # fresh lists of the shared (read-only) entries
                story.timeline = list(shown.timeline)
                story.background = list(shown.background)
                story.facts = list(shown.facts)
                story.more_facts = shown.more_facts
            out.append(story)
        return out

    def _shown_part(self, row: Any) -> _Shown:
        """A :data:`RECORD_PART` row (its digest and data) as objects; a large one is kept
        decoded under its digest."""
        record = self._unjson(row["data"])
        shown = _Shown(
            digest=row["digest"],
            timeline=tuple(from_dict(TimelineEntry, e) for e in record.get("timeline", [])),
            background=tuple(from_dict(TimelineEntry, e) for e in record.get("background", [])),
            facts=tuple(from_dict(Fact, f) for f in record.get("facts", [])),
            more_facts=int(record.get("more_facts", 0)),
        )
        if len(shown.timeline) + len(shown.background) + len(shown.facts) >= SHOWN_MEMO_ITEMS:
            self._read_shown.put(row["story_id"], shown)
        return shown

    def story_sources(
        self, story_id: str, part: str, number: int, limit: int = 50, after: str | None = None
    ) -> SourcePage | None:
        if part not in (*_PARTS, "facts"):
            raise ValueError(f"no part {part!r}: timeline, background or facts")
        rows = self._query(
            "SELECT data FROM story_parts WHERE story_id = ? AND part = ? AND n = ?",
            (story_id, part, nonneg(number)),
        )
        if rows:
            data = self._unjson(rows[0]["data"])
            sources = [from_dict(Source, s) for s in (data["sources"] if part == "facts" else data)]
        else:
            story = self.get_story(story_id)
            items: list[Any] = [] if story is None else getattr(story, part)
            if number >= len(items):
                return None
            sources = items[number].sources
        start = 0
        if after is not None:
            values = decode_cursor(after)
            if len(values) != 1 or not isinstance(values[0], int) or values[0] < 0:
                raise ValueError("not a cursor of this list")
            start = values[0]
        end = start + nonneg(limit)
        return SourcePage(
            items=sources[start:end],
            total=len(sources),
            next=encode_cursor([end]) if end < len(sources) else None,
        )

    def story_article_page(
        self, story_id: str, limit: int = 50, after: str | None = None, brief: bool = False
    ) -> ArticlePage:
        # The story's order (kabar.model.order_key): oldest first, undated last, by id.
        key: tuple[str, str] = ("", "")
        if after is not None:
            values = decode_cursor(after)
            if len(values) != 2 or not all(isinstance(v, str) for v in values):
                raise ValueError("not a cursor of this list")
            key = (values[0], values[1])
        limit = nonneg(limit)
        # brief: the listed fields, and the whole data only of an article stored before
        # kinds were (its kind is judged from its text, kabar.meta.kind.kind_of)
        kind = self._json_text("a.data", "kind")
        columns = (
            f"{_BRIEF_COLUMNS}, {self._json_text('a.data', 'author')} AS author,"
            f" {kind} AS kind, CASE WHEN {kind} IS NULL THEN a.data END AS data"
            if brief
            else "a.data"
        )
        # The page's ids first, then their columns: ordering the columns of every member
        # read the JSON fields of all 2,000 members of a big story to keep 50 (9 ms of a
        # story page's 45; 4 ms so).
        rows = self._query(
            f"SELECT a.id, p.k, {columns} FROM (SELECT a.id AS id, coalesce(a.published, ?) AS k"
            " FROM story_articles AS sa JOIN articles AS a ON a.id = sa.article_id"
            " WHERE sa.story_id = ? AND (coalesce(a.published, ?), a.id) > (?, ?)"
            " ORDER BY coalesce(a.published, ?), a.id LIMIT ?) AS p"
            " JOIN articles AS a ON a.id = p.id ORDER BY p.k, p.id",
            (UNDATED, story_id, UNDATED, *key, UNDATED, limit + 1),
        )
        page = rows[:limit]
        last = page[-1] if len(rows) > limit and page else None
        return ArticlePage(
            items=[
                _brief_article(row)
                if brief and row["data"] is None
                else from_dict(Article, self._unjson(row["data"]))
                for row in page
            ],
            next=encode_cursor([last["k"], last["id"]]) if last else None,
        )

    def story_ids_with_prefix(self, prefix: str, limit: int = 2) -> list[str]:
        if not prefix:
            raise ValueError("empty story id prefix")
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = self._query(
            "SELECT id FROM stories WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
            (prefix, end, nonneg(limit)),
        )
        return [row["id"] for row in rows]

    def stories_of_article(self, article_id: str) -> list[str]:
        rows = self._query(
            "SELECT story_id FROM story_articles WHERE article_id = ? ORDER BY story_id",
            (article_id,),
        )
        return [row["story_id"] for row in rows]

    def find_stories(
        self, query: StoryQuery, limit: int = 50, offset: int = 0, after: str | None = None
    ) -> StoryPage:
        order = _ORDER_COLUMN[query.sort]
        where, params = self._story_where(query)
        if after is not None:
            where += f" AND i.{order} > ?"
            params.append(_story_cursor(decode_cursor(after), query.sort))
        rows = self._query(
            f"SELECT i.story_id, i.{order} AS k FROM story_index AS i WHERE {where}"
            f" ORDER BY i.{order} LIMIT ? OFFSET ?",
            [*params, nonneg(limit) + 1, nonneg(offset)],
        )
        page = rows[:limit]
        heads = self._column_of("story_heads", "story_id", "head", [r["story_id"] for r in page])
        items = [from_dict(StoryHead, self._unjson(heads[row["story_id"]])) for row in page]
        more = len(rows) > limit and limit > 0
        return StoryPage(
            items=items, next=encode_cursor([query.sort, rows[limit - 1]["k"]]) if more else None
        )

    def count_found_stories(self, query: StoryQuery) -> int:
        where, params = self._story_where(query)
        rows = self._query(f"SELECT count(*) AS n FROM story_index AS i WHERE {where}", params)
        return int(rows[0]["n"])

    def _story_where(self, query: StoryQuery) -> tuple[str, list[Any]]:
        clauses = ["1 = 1"]
        params: list[Any] = []
        if query.date_from:
            clauses.append("i.end_key >= ?")
            params.append(query.date_from)
        if query.date_to:
            clauses.append("i.start_key <= ?")
            params.append(query.date_to)
        for kind, value in query.filter_keys():
            clauses.append(
                "i.story_id IN (SELECT story_id FROM story_keys WHERE kind = ? AND value = ?)"
            )
            params.extend((kind, value))
        return " AND ".join(clauses), params

    def outlets(self) -> list[str]:
        rows = self._query(
            "SELECT DISTINCT outlet FROM article_counts WHERE has_outlet = 1 ORDER BY outlet"
        )
        return [row["outlet"] for row in rows]

    # -- coverage over time ------------------------------------------------------------
    def story_volume(self, story_ids: Sequence[str]) -> dict[str, list[DayCount]]:
        volume: dict[str, list[DayCount]] = {}
        for chunk in _chunks(list(dict.fromkeys(story_ids)), 500):
            marks = ", ".join("?" for _ in chunk)
            rows = self._query(
                "SELECT s.story_id, a.published, a.outlet, count(*) AS n"
                " FROM story_articles AS s JOIN articles AS a ON a.id = s.article_id"
                f" WHERE s.story_id IN ({marks})"
                " GROUP BY s.story_id, a.published, a.outlet"
                " ORDER BY s.story_id, coalesce(a.published, ''), coalesce(a.outlet, '')",
                chunk,
            )
            for row in rows:
                volume.setdefault(row["story_id"], []).append(
                    DayCount(row["published"], row["outlet"], int(row["n"]))
                )
        return volume

    def outlet_volume(self, outlet: str) -> list[DayCount]:
        rows = self._query(
            "SELECT published, count(*) AS n FROM articles"
            " WHERE outlet = ? AND published IS NOT NULL GROUP BY published ORDER BY published",
            (outlet,),
        )
        return [DayCount(row["published"], outlet, int(row["n"])) for row in rows]

    def entity_volume(self, entity: Entity) -> list[DayCount]:
        rows = self._query(
            "SELECT a.published, a.outlet, count(*) AS n"
            " FROM article_entities AS e JOIN articles AS a ON a.id = e.article_id"
            " WHERE e.name = ? AND e.label = ? AND a.published IS NOT NULL"
            " GROUP BY a.published, a.outlet ORDER BY a.published, a.outlet",
            (entity.name, entity.label),
        )
        return [DayCount(row["published"], row["outlet"], int(row["n"])) for row in rows]

    def story_heads(self, story_ids: Sequence[str]) -> list[StoryHead]:
        ids = list(dict.fromkeys(story_ids))
        heads: dict[str, Any] = {}
        for chunk in _chunks(ids, 500):
            heads.update(self._column_of("story_heads", "story_id", "head", chunk))
        return [from_dict(StoryHead, self._unjson(heads[i])) for i in ids if i in heads]

    def stories_of_articles(self, article_ids: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for chunk in _chunks(list(dict.fromkeys(article_ids)), 500):
            marks = ", ".join("?" for _ in chunk)
            rows = self._query(
                "SELECT article_id, story_id FROM story_articles"
                f" WHERE article_id IN ({marks}) ORDER BY article_id, story_id",
                chunk,
            )
            for row in rows:
                found.setdefault(row["article_id"], []).append(row["story_id"])
        return found

    def newest_published(self) -> str | None:
        rows = self._query(
            "SELECT published FROM articles WHERE published IS NOT NULL"
            " ORDER BY published DESC LIMIT 1"
        )
        return str(rows[0]["published"]) if rows else None

    def active_stories(self, since: str, limit: int = 50) -> list[tuple[str, int]]:
        rows = self._query(
            "SELECT s.story_id, count(*) AS n"
            " FROM articles AS a JOIN story_articles AS s ON s.article_id = a.id"
            " WHERE a.published >= ? GROUP BY s.story_id ORDER BY n DESC, s.story_id LIMIT ?",
            (since, nonneg(limit)),
        )
        return [(row["story_id"], int(row["n"])) for row in rows]

    # -- search and entities -----------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        match = self._match(query)
        if not match:
            return []
        return [
            SearchHit(
                article_id=row["id"],
                title=row["title"],
                outlet=row["outlet"],
                published=row["published"],
                snippet=row["snippet"],
                score=float(row["score"]),
            )
            for row in self._search_rows(match, nonneg(limit))
        ]

    def list_entities(
        self, limit: int = 100, label: str | None = None, offset: int = 0
    ) -> list[Entity]:
        return self.entity_page(limit=limit, label=label, offset=offset).items

    def entity_page(
        self,
        limit: int = 100,
        label: str | None = None,
        offset: int = 0,
        after: str | None = None,
        aliases: bool = True,
    ) -> EntityPage:
        where, params = _where([("label = ?", label)])
        if after is not None:
            # Mixed directions (counts down, names up): no row-value comparison; the
            # planner walks the order index from its start, reading index entries only.
            articles, mentions, name, lab = _entity_cursor(decode_cursor(after))
            where += (" AND " if where else " WHERE ") + (
                "(articles < ? OR (articles = ? AND (mentions < ? OR (mentions = ?"
                " AND (name > ? OR (name = ? AND label > ?))))))"
            )
            params += [articles, articles, mentions, mentions, name, name, lab]
        rows = self._query(
            f"SELECT name, label, mentions, articles FROM entities{where}"
            " ORDER BY articles DESC, mentions DESC, name, label LIMIT ? OFFSET ?",
            [*params, nonneg(limit) + 1, nonneg(offset)],
        )
        items = self._with_aliases(rows[:limit], aliases)
        more = len(rows) > limit and limit > 0
        last = items[-1] if more else None
        return EntityPage(
            items=items,
            next=encode_cursor([last.articles, last.mentions, last.name, last.label])
            if last
            else None,
        )

    def count_entities(self, label: str | None = None) -> int:
        where, params = _where([("label = ?", label)])
        return int(self._query(f"SELECT count(*) AS n FROM entities{where}", params)[0]["n"])

    def get_entity(self, name: str) -> Entity | None:
        rows = self._query(
            "SELECT name, label, mentions, articles FROM entities WHERE name = ?"
            " ORDER BY articles DESC, mentions DESC, label LIMIT 1",
            (name,),
        ) or self._query(
            "SELECT name, label, mentions, articles FROM entities WHERE folded = ?"
            " ORDER BY articles DESC, mentions DESC, name, label LIMIT 1",
            (name.casefold(),),
        )
        entities = self._with_aliases(rows)
        return entities[0] if entities else None

    def _with_aliases(self, rows: list[Any], read: bool = True) -> list[Entity]:
        aliases: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in rows if read else []:
            for alias in self._query(
                "SELECT alias FROM entity_aliases WHERE name = ? AND label = ? ORDER BY alias",
                (row["name"], row["label"]),
            ):
                aliases[(row["name"], row["label"])].append(alias["alias"])
        return [
            Entity(
                name=row["name"],
                label=row["label"],
                mentions=int(row["mentions"]),
                articles=int(row["articles"]),
                aliases=aliases[(row["name"], row["label"])],
            )
            for row in rows
        ]


ARTICLE_COLUMNS = "id, title, outlet, published, language, url, source, duplicate_of"
_BRIEF_COLUMNS = ", ".join(f"a.{c}" for c in ARTICLE_COLUMNS.split(", ")[1:])


def _brief_article(row: Any) -> Article:
    """An article as a list shows it (:meth:`Store.story_article_page`, ``brief``)."""
    return Article(
        id=row["id"],
        title=row["title"],
        body="",
        source=row["source"],
        raw_text="",
        url=row["url"],
        outlet=row["outlet"],
        author=row["author"],
        published=row["published"],
        language=row["language"],
        duplicate_of=row["duplicate_of"],
        kind=row["kind"],
    )


def article_row(article: Article) -> tuple[str | None, ...]:
    """The values of :data:`ARTICLE_COLUMNS` (copied out of the JSON for filters and order)."""
    return (
        article.id,
        article.title,
        article.outlet,
        article.published,
        article.language,
        article.url,
        article.source,
        article.duplicate_of,
    )


def _count(
    per_entity: dict[tuple[str, str], list[int]],
    per_alias: dict[tuple[str, str, str], int],
    name: str,
    label: str,
    mentions: int,
) -> None:
    """Add one article's row (``mentions`` < 0: remove it) to the entity deltas."""
    delta = per_entity[(name, label)]
    delta[0] += mentions
    delta[1] += 1 if mentions > 0 else -1


_SHOWN_PARTS = ("timeline", "background", "facts")
_WRITTEN: dict[str, dict[str, _Written]] = {}
"""By database (as named when opened): :attr:`SQLStore._written`."""


def _shown(story: Story) -> Story:
    """The story as read: a record stored before the caps (every source in it) capped now."""
    if len(story.facts) <= SHOWN_FACTS and all(
        len(e.sources) <= SHOWN_SOURCES for e in (*story.timeline, *story.background)
    ):
        return story  # capped when written (capping it again would lose its more_facts)
    return story.capped(SHOWN_SOURCES, SHOWN_FACTS)


def _plain_part(items: list[TimelineEntry] | list[Fact]) -> list[dict[str, Any]]:
    return [to_dict(item) for item in items]


SHOWN_MEMO_ITEMS = 50
"""Records of at least this many timeline entries and facts are kept decoded (the story
page of 2,000 members decoded its 370 KB record, 1,000 sources, after every add to it,
which leaves the record as it is: its sentences are rebuilt after, once). The API's answer
memo engages from the same size (:mod:`kabar.api.schemas`)."""
SHOWN_MEMO_STORIES = 16
"""Records kept per database: a few MB each as objects at 2,000 members."""


@dataclasses.dataclass(frozen=True)
class _Shown:
    """A story's shown timeline, background and facts (its :data:`RECORD_PART` row) as
    objects, shared by every read of the same digest: treat them as read-only."""

    digest: str
    timeline: tuple[TimelineEntry, ...]
    background: tuple[TimelineEntry, ...]
    facts: tuple[Fact, ...]
    more_facts: int


class _ShownMemo:
    """The records of at least :data:`SHOWN_MEMO_ITEMS` items this process read last from
    one database, decoded, by story: their rows' digests say whether they still hold (a
    hit reads the digest alone, not the record's text)."""

    def __init__(self, size: int = SHOWN_MEMO_STORIES) -> None:
        self._lock = threading.Lock()  # the server's threads share it
        self._items: LRUCache[str, _Shown] = LRUCache(maxsize=size)

    def get(self, story_id: str, digest: str) -> _Shown | None:
        with self._lock:
            shown = self._items.get(story_id)
        return shown if shown is not None and shown.digest == digest else None

    def put(self, story_id: str, shown: _Shown) -> None:
        with self._lock:
            self._items[story_id] = shown


_READ_SHOWN: dict[str, _ShownMemo] = {}
"""By database (as named when opened): :attr:`SQLStore._read_shown`."""


@dataclasses.dataclass
class _Written:
    """The timeline, background and facts lists a story was last written with by this
    process. An add to a large story writes its record with new tallies and the same
    lists (the sentences are rebuilt after, by the records thread): their rows are then
    not written nor looked at, instead of capping, hashing and encoding 20,000 sources
    again. Held only after the transaction committed; dropped on a regroup."""

    timeline: list[TimelineEntry]
    background: list[TimelineEntry]
    facts: list[Fact]

    def holds(self, story: Story) -> bool:
        return (
            story.timeline is self.timeline
            and story.background is self.background
            and story.facts is self.facts
        )


def _part_data(item: TimelineEntry | Fact) -> Any:
    """A ``story_parts`` row: an entry's sources, or a whole fact."""
    if isinstance(item, Fact):
        return to_dict(item)
    return [to_dict(source) for source in item.sources]


def _digest(sources: list[Source], extra: Sequence[str] = ()) -> str:
    """What identifies a list of sources (and a fact's other fields), to skip rewriting an
    unchanged row."""
    text = "\x1f".join(
        [*extra]
        + [f"{s.article_id}\x1e{s.outlet}\x1e{s.sentence}\x1e{s.inferred:d}" for s in sources]
    )
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


_EVENT_ID_END = "\x1f"
"""Ends the event id at the start of an event row's digest (see :meth:`SQLStore._save_events`)."""


def _event_order(data: dict[str, Any]) -> tuple[str, str]:
    """An event row's place in its story: by first date (undated last), then id, the
    order the grouping gives a story's events (:meth:`kabar.corpus.Corpus._dated`)."""
    return order_key(data.get("first_date"), data["id"])


def _event_digest(event: Event) -> str:
    """What identifies an event's row (to skip rewriting an unchanged one)."""
    text = "\x1f".join(
        [event.id, event.first_date or "", event.last_date or "", *event.article_ids]
    )
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _where(filters: list[tuple[str, Any]]) -> tuple[str, list[Any]]:
    """A WHERE clause of the filters whose value is not None, and its parameters."""
    kept = [(clause, value) for clause, value in filters if value is not None]
    if not kept:
        return "", []
    return " WHERE " + " AND ".join(c for c, _ in kept), [v for _, v in kept]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _article_cursor(values: list[Any]) -> tuple[str | None, str]:
    if (
        len(values) != 2
        or not (values[0] is None or isinstance(values[0], str))
        or not isinstance(values[1], str)
    ):
        raise ValueError("damaged article cursor")
    return values[0], values[1]


def _story_cursor(values: list[Any], sort: str) -> str:
    if len(values) != 2 or values[0] != sort or not isinstance(values[1], str):
        raise ValueError("this cursor belongs to another story order or is damaged")
    return values[1]


def _entity_cursor(values: list[Any]) -> tuple[int, int, str, str]:
    if len(values) != 4 or not all(isinstance(v, int) for v in values[:2]):
        raise ValueError("damaged entity cursor")
    return int(values[0]), int(values[1]), str(values[2]), str(values[3])


def corpus_tables(collate: str, json_column: Callable[[str, str], str]) -> str:
    """The stories, story_articles and article_entities tables of the first migration.

    collate: the collation clause of sorted text columns; json_column(name, default
    clause): the declaration of a JSON column."""
    text = f"TEXT{collate}"
    return f"""
    CREATE TABLE stories (
        id {text} PRIMARY KEY,
        title TEXT NOT NULL,
        first_date {text},
        last_date {text},
        size INTEGER NOT NULL,
        {json_column("data", "")}
    );
    CREATE INDEX stories_order ON stories (size DESC, last_date DESC);

    CREATE TABLE story_articles (
        story_id {text} NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        article_id {text} NOT NULL REFERENCES articles (id),
        PRIMARY KEY (story_id, article_id)
    );
    CREATE INDEX story_articles_article ON story_articles (article_id);

    CREATE TABLE article_entities (
        article_id {text} NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        name {text} NOT NULL,
        label {text} NOT NULL,
        count INTEGER NOT NULL,
        {json_column("aliases", " DEFAULT '[]'")},
        PRIMARY KEY (article_id, name, label)
    );
    CREATE INDEX article_entities_name ON article_entities (name, label);
    CREATE INDEX article_entities_label ON article_entities (label);
    """


def read_migrations(collate: str, json_type: str, alias_rows: str) -> list[str]:
    """The migrations after the first ones, the same for both dialects: see
    :func:`read_tables` (and its ``alias_rows``) and :func:`narrow_story_index`."""
    return [read_tables(collate, json_type, alias_rows), narrow_story_index(collate, json_type)]


def story_parts(collate: str, json_type: str) -> str:
    """The migration that adds ``story_parts``: what a story's record leaves out (the full
    sources of an entry, the facts past the shown ones; :meth:`SQLStore._save_parts`), one
    row each, written only when it changes. Stories stored before it keep their full
    record until rewritten. No foreign key: a story's record is replaced on each update
    (delete and insert), its parts are not; they go with the story's removal."""
    return f"""
    CREATE TABLE story_parts (
        story_id TEXT{collate} NOT NULL,
        part TEXT{collate} NOT NULL,
        n INTEGER NOT NULL,
        digest TEXT NOT NULL,
        data {json_type} NOT NULL,
        PRIMARY KEY (story_id, part, n)
    );
    """


STORY_ROWS_MIGRATION = "SELECT 1;"
"""The migration of the story records written as rows (:meth:`SQLStore._insert_stories`:
events and shown parts in ``story_parts``, member ids from ``story_articles``): no table
changes (records of older stores are read as they are and rewritten as rows by their next
update); the version makes an older kabar refuse the store instead of showing its stories
without their timelines."""

EVENT_SLOTS_MIGRATION = "SELECT 1;"
"""Event rows keep their slot (:meth:`SQLStore._save_events`: ``n`` is a slot held while the
event lives, read back in date order), where an older kabar reads ``n`` as the place in date
order and would show an event dated among the earlier ones last: no table changes; the
version makes an older kabar refuse the store. Rows written by place are rewritten once."""


def narrow_story_index(collate: str, json_type: str) -> str:
    """The migration that moves each story's ``head`` out of ``story_index`` into
    ``story_heads``: filters probe and scan story_index rows, which must stay a few dozen
    bytes (with the heads inline, a cold filter read a page per story), and a page query
    reads the heads of its own rows only. The order indexes also carry the span, so a
    date filter reads them alone."""
    return f"""
    CREATE TABLE story_heads (
        story_id TEXT{collate} PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
        head {json_type} NOT NULL
    );
    INSERT INTO story_heads (story_id, head) SELECT story_id, head FROM story_index;
    ALTER TABLE story_index DROP COLUMN head;
    DROP INDEX story_index_size;
    DROP INDEX story_index_recent;
    CREATE INDEX story_index_size ON story_index (size_key, story_id, start_key, end_key);
    CREATE INDEX story_index_recent ON story_index (recent_key, story_id, start_key, end_key);
    """


def read_tables(collate: str, json_type: str, alias_rows: str) -> str:
    """The migration that adds the tables the API reads (see the module notes) and fills
    them from the stored data; stories are indexed on the next open (their order keys are
    computed in Python, :meth:`SQLStore._index_unindexed_stories`).

    collate: the collation clause of sorted text columns; json_type: the JSON column type;
    alias_rows: a query of the (name, label, alias) rows of ``article_entities``, one per
    spelling of its ``aliases`` array.
    """
    text = f"TEXT{collate}"
    return f"""
    CREATE TABLE article_counts (
        has_outlet INTEGER NOT NULL,
        outlet {text} NOT NULL,
        language {text} NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (has_outlet, outlet, language)
    );
    INSERT INTO article_counts (has_outlet, outlet, language, n)
        SELECT CASE WHEN outlet IS NULL THEN 0 ELSE 1 END, coalesce(outlet, ''), language,
               count(*)
        FROM articles GROUP BY 1, 2, 3;
    DROP INDEX articles_outlet;
    DROP INDEX articles_language;
    DROP INDEX articles_published;
    CREATE INDEX articles_oldest ON articles ((coalesce(published, '~')), id);
    CREATE INDEX articles_order ON articles ((published IS NULL), published DESC, id);
    CREATE INDEX articles_outlet_order
        ON articles (outlet, (published IS NULL), published DESC, id);
    CREATE INDEX articles_language_order
        ON articles (language, (published IS NULL), published DESC, id);

    CREATE TABLE entities (
        name {text} NOT NULL,
        label {text} NOT NULL,
        folded TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        PRIMARY KEY (name, label)
    );
    CREATE INDEX entities_order ON entities (articles DESC, mentions DESC, name, label);
    CREATE INDEX entities_label_order
        ON entities (label, articles DESC, mentions DESC, name);
    CREATE INDEX entities_folded ON entities (folded);
    INSERT INTO entities (name, label, folded, mentions, articles)
        SELECT name, label, lower(name), sum(count), count(*)
        FROM article_entities GROUP BY name, label;
    CREATE TABLE entity_aliases (
        name {text} NOT NULL,
        label {text} NOT NULL,
        alias {text} NOT NULL,
        articles INTEGER NOT NULL,
        PRIMARY KEY (name, label, alias)
    );
    INSERT INTO entity_aliases (name, label, alias, articles)
        SELECT name, label, alias, count(*) FROM ({alias_rows}) AS expanded
        GROUP BY name, label, alias;
    DROP INDEX article_entities_label;
    DROP INDEX article_entities_name;
    CREATE INDEX article_entities_name ON article_entities (name, label, article_id);
    DROP INDEX stories_order;

    CREATE TABLE story_index (
        story_id {text} PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
        size_key {text} NOT NULL,
        recent_key {text} NOT NULL,
        start_key {text} NOT NULL,
        end_key {text} NOT NULL,
        head {json_type} NOT NULL
    );
    CREATE INDEX story_index_size ON story_index (size_key);
    CREATE INDEX story_index_recent ON story_index (recent_key);
    CREATE TABLE story_keys (
        story_id {text} NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        kind {text} NOT NULL,
        value {text} NOT NULL,
        PRIMARY KEY (kind, value, story_id)
    );
    CREATE INDEX story_keys_story ON story_keys (story_id);
    """
