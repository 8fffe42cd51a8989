"""Request-scoped dependencies shared by the JSON routes and the pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from kabar.store import Store, open_store


def get_store(request: Request) -> Iterator[Store]:
    """A Store for one request: SQLite connections are never shared between requests."""
    store = open_store(request.app.state.db)
    try:
        yield store
    finally:
        store.close()


StoreDep = Annotated[Store, Depends(get_store)]
