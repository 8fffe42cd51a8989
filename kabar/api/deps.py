"""Request-scoped dependencies shared by the JSON routes and the pages."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from kabar.api.security import api_key_matches
from kabar.api.views import StoryFilter, StorySort
from kabar.model import Entity, Story
from kabar.store import Store, open_store

_per_thread = threading.local()


def get_store(request: Request) -> Iterator[Store]:
    """The calling worker thread's Store: opened once per thread, not once per request.

    FastAPI runs sync handlers on a pool of threads; one SQLite connection per thread
    never crosses threads, and opening (connect, PRAGMAs, migration check) costs more
    than most reads. Each read starts its own transaction, so it sees committed writes.
    """
    db = request.app.state.db
    stores: dict[str, Store] = _per_thread.__dict__.setdefault("stores", {})
    store = stores.get(db)
    if store is None:
        store = stores[db] = open_store(db)
    yield store


StoreDep = Annotated[Store, Depends(get_store)]


def _language_ids(store: Store, language: str | None) -> frozenset[str] | None:
    if not language:
        return None
    total = store.count_articles(language=language)
    # The store filters articles by language, not stories: collect the ids once.
    return frozenset(a.id for a in store.list_articles(limit=max(total, 1), language=language))


def filtered_stories(
    store: Store,
    date_from: str | None = None,
    date_to: str | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    language: str | None = None,
    sort: StorySort = "size",
) -> list[Story]:
    """Every story matching the filters, in the requested order (the caller paginates).

    Filtering happens here because the Store interface lists stories by size only; the
    number of stories is far below the number of articles, so a full scan stays cheap.
    """
    flt = StoryFilter(
        date_from=date_from or None,
        date_to=date_to or None,
        outlet=outlet or None,
        entity=entity or None,
        language_ids=_language_ids(store, language or None),
        sort=sort,
    )
    return flt.apply(store.list_stories(limit=max(store.count_stories(), 1)))


def write_key(
    request: Request,
    x_api_key: Annotated[str | None, Header(description="needed when KABAR_API_KEY is set")] = None,
) -> None:
    """Writes need the API key when the server has one (``KABAR_API_KEY``)."""
    if not api_key_matches(request.app.state.api_key, x_api_key):
        raise HTTPException(401, "missing or wrong API key (send it in the X-API-Key header)")


WriteKey = Depends(write_key)


def find_entity(store: Store, name: str) -> Entity | None:
    """The entity with this canonical name (exact first, then case-insensitive)."""
    entities = store.list_entities(limit=max(store.count_entities(), 1))
    for entity in entities:
        if entity.name == name:
            return entity
    folded = name.casefold()
    return next((e for e in entities if e.name.casefold() == folded), None)
