"""What ``kabar watch`` remembers between polls: feed/sitemap validators and fetched pages.

Two small tables, the same SQL for SQLite and PostgreSQL (one migration each dialect
appends, :data:`WATCH_MIGRATION`):

* ``watch_sources``: one row per feed or sitemap URL polled, with the ``ETag`` and
  ``Last-Modified`` of its last 200 answer (sent back as ``If-None-Match`` /
  ``If-Modified-Since``), and for a sitemap listed by a sitemap index, that index
  (``parent``) and the ``<lastmod>`` the index gives it, so an unchanged child is not
  asked again.
* ``watch_pages``: one row per article URL (or ``file://`` path) ever discovered: pending,
  done or failed, with the attempts made and the last problem, so each article is fetched
  once, a transient failure (500, timeout) is retried a few times, and discovered pages
  not yet fetched survive a restart.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from kabar.store.access import SQLAccess

PageState = Literal["pending", "done", "failed"]

WATCH_MIGRATION = """
CREATE TABLE watch_sources (
    url TEXT PRIMARY KEY,
    parent TEXT,
    etag TEXT,
    last_modified TEXT,
    lastmod TEXT,
    fetched_lastmod TEXT,
    checked_at TEXT
);
CREATE INDEX watch_sources_parent ON watch_sources (parent);

CREATE TABLE watch_pages (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    title TEXT,
    published TEXT,
    outlet TEXT,
    validator TEXT,
    problem TEXT,
    seen_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX watch_pages_state ON watch_pages (state, seen_at);
"""
"""The migration both dialects append (types and syntax common to both)."""

_IN_CHUNK = 500


@dataclass
class WatchedSource:
    """A feed or sitemap as last polled.

    etag, last_modified: the validators of its last 200 answer.
    parent: the sitemap index listing it (None for a configured source).
    lastmod: the ``<lastmod>`` its index gives it now; fetched_lastmod: the one it had
        when last fetched (a child whose lastmod has not moved is not asked again).
    checked_at: when it was last asked (None: never).
    """

    url: str
    parent: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    lastmod: str | None = None
    fetched_lastmod: str | None = None
    checked_at: str | None = None


@dataclass
class WatchedPage:
    """An article URL (or ``file://`` path) discovered by a source.

    state: ``pending`` (to fetch), ``done`` (fetched and ingested: never fetched again) or
        ``failed`` (given up: refused by robots.txt, not HTML, or too many attempts).
    title, published, outlet: what the feed or sitemap said of it (hints for the reader).
    validator: for files, size and modification time (a rewritten file is read again).
    """

    url: str
    source: str
    state: PageState = "pending"
    attempts: int = 0
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    validator: str | None = None
    problem: str | None = None
    seen_at: str = ""
    updated_at: str = ""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class WatchRecords(abc.ABC):
    """The watcher's memory in the store (see the module docstring)."""

    @abc.abstractmethod
    def get_watch_source(self, url: str) -> WatchedSource | None: ...

    @abc.abstractmethod
    def save_watch_source(self, source: WatchedSource) -> None:
        """Insert or replace the row of ``source.url``."""

    @abc.abstractmethod
    def watch_children(self, parent: str) -> list[WatchedSource]:
        """The sitemaps a sitemap index listed at its last 200 answer, by URL."""

    @abc.abstractmethod
    def set_watch_children(self, parent: str, children: list[tuple[str, str | None]]) -> None:
        """The sitemaps (url, lastmod) an index lists now: new ones added, the lastmod of
        known ones updated (their validators kept), those no longer listed dropped."""

    @abc.abstractmethod
    def get_watch_pages(self, urls: Iterable[str]) -> dict[str, WatchedPage]:
        """The known pages among ``urls``, by URL."""

    @abc.abstractmethod
    def save_watch_pages(self, pages: Iterable[WatchedPage]) -> None:
        """Insert or replace these pages' rows, in one transaction."""

    @abc.abstractmethod
    def pending_watch_pages(self, limit: int) -> list[WatchedPage]:
        """Up to ``limit`` pending pages, oldest discovered first."""


class SQLWatchRecords(WatchRecords, SQLAccess):
    """:class:`WatchRecords` in the shared SQL of :class:`kabar.store.sql.SQLStore`."""

    _SOURCE_COLUMNS = "url, parent, etag, last_modified, lastmod, fetched_lastmod, checked_at"
    _PAGE_COLUMNS = (
        "url, source, state, attempts, title, published, outlet, validator, problem,"
        " seen_at, updated_at"
    )

    def get_watch_source(self, url: str) -> WatchedSource | None:
        rows = self._query(
            f"SELECT {self._SOURCE_COLUMNS} FROM watch_sources WHERE url = ?", (url,)
        )
        return _source(rows[0]) if rows else None

    def save_watch_source(self, source: WatchedSource) -> None:
        with self._write() as tx:
            self._upsert_sources(tx, [source])

    def _upsert_sources(self, tx: Any, sources: list[WatchedSource]) -> None:
        self._execmany(
            tx,
            f"INSERT INTO watch_sources ({self._SOURCE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (url) DO UPDATE SET parent = excluded.parent, etag = excluded.etag,"
            " last_modified = excluded.last_modified, lastmod = excluded.lastmod,"
            " fetched_lastmod = excluded.fetched_lastmod, checked_at = excluded.checked_at",
            [
                (
                    s.url,
                    s.parent,
                    s.etag,
                    s.last_modified,
                    s.lastmod,
                    s.fetched_lastmod,
                    s.checked_at,
                )
                for s in sources
            ],
        )

    def watch_children(self, parent: str) -> list[WatchedSource]:
        rows = self._query(
            f"SELECT {self._SOURCE_COLUMNS} FROM watch_sources WHERE parent = ? ORDER BY url",
            (parent,),
        )
        return [_source(row) for row in rows]

    def set_watch_children(self, parent: str, children: list[tuple[str, str | None]]) -> None:
        known = {s.url: s for s in self.watch_children(parent)}
        listed = dict(children)
        rows = []
        for url, lastmod in listed.items():
            child = known.get(url) or self.get_watch_source(url) or WatchedSource(url)
            child.parent, child.lastmod = parent, lastmod
            rows.append(child)
        with self._write() as tx:
            self._upsert_sources(tx, rows)
            self._execmany(
                tx,
                "DELETE FROM watch_sources WHERE url = ? AND parent = ?",
                [(url, parent) for url in known if url not in listed],
            )

    def get_watch_pages(self, urls: Iterable[str]) -> dict[str, WatchedPage]:
        wanted = list(dict.fromkeys(urls))
        found: dict[str, WatchedPage] = {}
        for chunk in _chunks(wanted, _IN_CHUNK):
            marks = ", ".join("?" for _ in chunk)
            for row in self._query(
                f"SELECT {self._PAGE_COLUMNS} FROM watch_pages WHERE url IN ({marks})", chunk
            ):
                page = _page(row)
                found[page.url] = page
        return found

    def save_watch_pages(self, pages: Iterable[WatchedPage]) -> None:
        stamp = now()
        rows: list[Sequence[Any]] = [
            (
                p.url,
                p.source,
                p.state,
                p.attempts,
                p.title,
                p.published,
                p.outlet,
                p.validator,
                p.problem,
                p.seen_at or stamp,
                stamp,
            )
            for p in pages
        ]
        if not rows:
            return
        with self._write() as tx:
            self._execmany(
                tx,
                f"INSERT INTO watch_pages ({self._PAGE_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (url) DO UPDATE SET source = excluded.source,"
                " state = excluded.state, attempts = excluded.attempts,"
                " title = excluded.title, published = excluded.published,"
                " outlet = excluded.outlet, validator = excluded.validator,"
                " problem = excluded.problem, updated_at = excluded.updated_at",
                rows,
            )

    def pending_watch_pages(self, limit: int) -> list[WatchedPage]:
        rows = self._query(
            f"SELECT {self._PAGE_COLUMNS} FROM watch_pages WHERE state = 'pending'"
            " ORDER BY seen_at, url LIMIT ?",
            (max(0, int(limit)),),
        )
        return [_page(row) for row in rows]


def _source(row: Any) -> WatchedSource:
    return WatchedSource(
        url=row["url"],
        parent=row["parent"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        lastmod=row["lastmod"],
        fetched_lastmod=row["fetched_lastmod"],
        checked_at=row["checked_at"],
    )


def _page(row: Any) -> WatchedPage:
    return WatchedPage(
        url=row["url"],
        source=row["source"],
        state=row["state"],
        attempts=int(row["attempts"]),
        title=row["title"],
        published=row["published"],
        outlet=row["outlet"],
        validator=row["validator"],
        problem=row["problem"],
        seen_at=row["seen_at"],
        updated_at=row["updated_at"],
    )


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
