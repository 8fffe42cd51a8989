"""Persistence: the only package that talks to the database.

Callers use :func:`open_store` and the backend-neutral :class:`Store` interface; the SQL
lives in :mod:`kabar.store.sqlite` (a PostgreSQL backend will sit next to it).
"""

from __future__ import annotations

import os

from kabar.errors import KabarError
from kabar.store.base import AddResult, Store
from kabar.store.sqlite import MIGRATIONS, SQLiteStore, fts_query, sqlite_path

__all__ = ["MIGRATIONS", "AddResult", "SQLiteStore", "Store", "fts_query", "open_store"]


def open_store(location: str | os.PathLike[str]) -> Store:
    """Open (creating and migrating if needed) the store at a path or database URL."""
    text = os.fspath(location)
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        raise KabarError("PostgreSQL backend not available yet; use a SQLite path")
    if scheme and scheme != "sqlite":
        raise KabarError(f"unsupported database URL scheme {scheme!r}; use a SQLite path")
    return SQLiteStore(sqlite_path(text))
