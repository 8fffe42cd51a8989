"""Persistence: the only package that talks to the database.

Callers use :func:`open_store` and the backend-neutral :class:`Store` interface; the SQL
lives in :mod:`kabar.store.sqlite` and :mod:`kabar.store.postgres` (imported only when a
``postgresql://`` URL is opened, so the ``psycopg`` driver stays an optional extra).
"""

from __future__ import annotations

import os

from kabar.errors import KabarError
from kabar.store.base import (
    AddResult,
    ArticlePage,
    DayCount,
    EntityPage,
    Store,
    StoryHead,
    StoryPage,
    StoryQuery,
)
from kabar.store.sql import SEARCH_POOL, SHOWN_MEMO_ITEMS
from kabar.store.sqlite import MIGRATIONS, SQLiteStore, fts_query, sqlite_path

__all__ = [
    "MIGRATIONS",
    "SEARCH_POOL",
    "SHOWN_MEMO_ITEMS",
    "AddResult",
    "ArticlePage",
    "DayCount",
    "EntityPage",
    "SQLiteStore",
    "Store",
    "StoryHead",
    "StoryPage",
    "StoryQuery",
    "fts_query",
    "open_store",
]


def open_store(location: str | os.PathLike[str]) -> Store:
    """Open (creating and migrating if needed) the store at a path or database URL."""
    text = os.fspath(location)
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        try:
            from kabar.store.postgres import PostgresStore
        except ImportError as exc:
            raise KabarError(
                "the PostgreSQL backend needs the psycopg driver: pip install 'kabar[postgres]'"
            ) from exc
        return PostgresStore(text)
    if scheme and scheme != "sqlite":
        raise KabarError(
            f"unsupported database URL scheme {scheme!r}; use a SQLite path or postgresql://"
        )
    return SQLiteStore(sqlite_path(text))
