"""The four hooks through which the store's SQL mixins (watch pages, follows, quotes) reach
the database: each backend (:mod:`kabar.store.sqlite`, :mod:`kabar.store.postgres`)
supplies them once, in :class:`kabar.store.sql.SQLStore`'s subclasses."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any


class SQLAccess(abc.ABC):
    """Read rows, open a write transaction, run one statement or many in it."""

    @abc.abstractmethod
    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[Any]: ...

    @abc.abstractmethod
    def _write(self) -> AbstractContextManager[Any]: ...

    @abc.abstractmethod
    def _exec(self, tx: Any, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abc.abstractmethod
    def _execmany(self, tx: Any, sql: str, rows: list[Sequence[Any]]) -> None: ...
