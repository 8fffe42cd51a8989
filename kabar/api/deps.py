"""Request-scoped dependencies shared by the JSON routes and the pages."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from kabar.api.security import api_key_matches
from kabar.store import Store, StoryQuery, open_store
from kabar.store.base import StorySort

_per_thread = threading.local()


def get_store(request: Request) -> Iterator[Store]:
    """The calling worker thread's Store: opened once per thread, not once per request.

    FastAPI runs sync handlers on a pool of threads; one SQLite connection per thread
    never crosses threads, and opening (connect, PRAGMAs, migration check) costs more
    than most reads. Each read starts its own transaction, so it sees committed writes.
    """
    yield thread_store(request.app.state.db)


def thread_store(db: str) -> Store:
    """The calling thread's Store of ``db`` (see :func:`get_store`)."""
    stores: dict[str, Store] = _per_thread.__dict__.setdefault("stores", {})
    store = stores.get(db)
    if store is None:
        store = stores[db] = open_store(db)
    return store


StoreDep = Annotated[Store, Depends(get_store)]


def story_query(
    date_from: str | None = None,
    date_to: str | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    language: str | None = None,
    text: str | None = None,
    sort: StorySort = "size",
) -> StoryQuery:
    """The store's query for the story filters of a request ('' means no filter)."""
    return StoryQuery(
        date_from=date_from or None,
        date_to=date_to or None,
        outlet=outlet or None,
        entity=entity or None,
        language=language or None,
        text=text or None,
        sort=sort,
    )


async def write_key(
    request: Request,
    x_api_key: Annotated[str | None, Header(description="needed when KABAR_API_KEY is set")] = None,
) -> None:
    """Writes need the API key when the server has one (``KABAR_API_KEY``). Async: a
    comparison, run on the event loop rather than in a thread of the pool."""
    if not api_key_matches(request.app.state.api_key, x_api_key):
        raise HTTPException(401, "missing or wrong API key (send it in the X-API-Key header)")


WriteKey = Depends(write_key)
