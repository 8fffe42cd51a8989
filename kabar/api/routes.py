"""JSON endpoints. Thin on purpose: call the Store, convert dataclasses to schemas."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from kabar import __version__
from kabar.api.deps import StoreDep
from kabar.api.schemas import (
    ArticleOut,
    ArticleSummary,
    EntityLabel,
    EntityOut,
    ErrorOut,
    Health,
    Page,
    SearchHitOut,
    SearchResults,
    StoryOut,
    StorySummary,
)

router = APIRouter(tags=["api"])

MAX_LIMIT = 500
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0)]
Id = Annotated[str, Path(max_length=200)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut}}


@router.get("/health")
def health(store: StoreDep) -> Health:
    return Health(
        status="ok",
        version=__version__,
        articles=store.count_articles(),
        stories=store.count_stories(),
    )


@router.get("/articles")
def list_articles(
    store: StoreDep,
    limit: Limit = 50,
    offset: Offset = 0,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(max_length=20)] = None,
) -> Page[ArticleSummary]:
    articles = store.list_articles(limit=limit, offset=offset, outlet=outlet, language=language)
    return Page[ArticleSummary](
        items=[ArticleSummary.of(a) for a in articles],
        total=store.count_articles(outlet=outlet, language=language),
        limit=limit,
        offset=offset,
    )


@router.get("/articles/{article_id}", responses=NOT_FOUND)
def get_article(store: StoreDep, article_id: Id) -> ArticleOut:
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(404, "article not found")
    return ArticleOut.full(article, store.stories_of_article(article_id))


@router.get("/stories")
def list_stories(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> Page[StorySummary]:
    return Page[StorySummary](
        items=[StorySummary.of(s) for s in store.list_stories(limit=limit, offset=offset)],
        total=store.count_stories(),
        limit=limit,
        offset=offset,
    )


@router.get("/stories/{story_id}", responses=NOT_FOUND)
def get_story(store: StoreDep, story_id: Id) -> StoryOut:
    story = store.get_story(story_id)
    if story is None:
        raise HTTPException(404, "story not found")
    return StoryOut.full(story)


@router.get("/search")
def search(
    store: StoreDep,
    q: Annotated[str, Query(max_length=500)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchResults:
    return SearchResults(
        query=q, limit=limit, items=[SearchHitOut.of(h) for h in store.search(q, limit=limit)]
    )


@router.get("/entities")
def list_entities(
    store: StoreDep,
    limit: Limit = 100,
    offset: Offset = 0,
    label: EntityLabel | None = None,
) -> Page[EntityOut]:
    entities = store.list_entities(limit=limit, label=label, offset=offset)
    return Page[EntityOut](
        items=[EntityOut.of(e) for e in entities],
        total=store.count_entities(label=label),
        limit=limit,
        offset=offset,
    )
