"""JSON endpoints. Thin on purpose: call the Store, convert dataclasses to schemas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, HTTPException, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from kabar import __version__
from kabar.api.deps import StoreDep, WriteKey, story_query, thread_store
from kabar.api.schemas import (
    ArticleIn,
    ArticleOut,
    ArticleSummary,
    BatchIn,
    EntityDetail,
    EntityLabel,
    EntityOut,
    ErrorOut,
    Health,
    IngestResult,
    Page,
    QuoteList,
    QuoteOut,
    SearchHitOut,
    SearchResults,
    SourceOut,
    SourcePageOut,
    StoryOut,
    StorySummary,
)
from kabar.service import IngestReport, find_story
from kabar.store.base import StorySort

router = APIRouter(tags=["api"])
T = TypeVar("T")

MAX_LIMIT = 500
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
# Bounded: SQLite integers are 64-bit, an unbounded offset was a 500 (found by eval/api_fuzz.py).
MAX_OFFSET = 1_000_000_000
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Id = Annotated[str, Path(max_length=200)]
ENTITY_QUOTES = 20  # quotes in an entity's detail (/entities/{name}/quotes pages further)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "API key required (KABAR_API_KEY is set)"},
    413: {"model": ErrorOut, "description": "request body too large"},
    409: {
        "model": ErrorOut,
        "description": "articles stored, stories not updated: the grouping parameters"
        " changed (run `kabar regroup`)",
    },
}
IsoDate = Annotated[
    str | None,
    Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY[-MM[-DD]]"),
]
Name = Annotated[str | None, Query(max_length=300)]
Cursor = Annotated[
    str | None,
    Query(max_length=2000, description="the `next` of the previous page (keyset paging)"),
]


def _page_of(call: Callable[[], T]) -> T:
    """Run a store call that takes a cursor; a cursor that is not one of ours is a 422."""
    try:
        return call()
    except ValueError as exc:
        raise HTTPException(422, f"bad cursor: {exc}") from exc


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
    cursor: Cursor = None,
) -> Page[ArticleSummary]:
    """Articles, newest first (undated last), by outlet or language. Page with ``cursor``
    (the previous ``next``: a deep page costs what the first does) or ``offset``."""
    page = _page_of(lambda: store.article_page(limit, outlet, language, offset, after=cursor))
    return Page[ArticleSummary](
        items=[ArticleSummary.of(a) for a in page.items],
        total=store.count_articles(outlet=outlet, language=language),
        limit=limit,
        offset=offset,
        next=page.next,
    )


@router.get("/articles/{article_id}", responses=NOT_FOUND)
def get_article(store: StoreDep, article_id: Id) -> ArticleOut:
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(404, "article not found")
    return ArticleOut.full(article, store.stories_of_article(article_id))


@router.get("/stories")
def list_stories(
    store: StoreDep,
    limit: Limit = 50,
    offset: Offset = 0,
    date_from: IsoDate = None,
    date_to: IsoDate = None,
    outlet: Name = None,
    entity: Name = None,
    language: Annotated[str | None, Query(max_length=20)] = None,
    text: Annotated[str | None, Query(max_length=300)] = None,
    sort: StorySort = "size",
    cursor: Cursor = None,
) -> Page[StorySummary]:
    """Stories, biggest first (or most recent first with ``sort=recent``), filtered by the
    overlap of their dates with a range, an outlet, an entity, an article language, or
    words of their title and summary. Page with ``cursor`` (the previous ``next``) or
    ``offset``."""
    query = story_query(date_from, date_to, outlet, entity, language, text, sort)
    page = _page_of(lambda: store.find_stories(query, limit, offset, after=cursor))
    return Page[StorySummary](
        items=[StorySummary.of(s) for s in page.items],
        total=store.count_found_stories(query),
        limit=limit,
        offset=offset,
        next=page.next,
    )


@router.get("/stories/{story_id}", responses=NOT_FOUND)
def get_story(store: StoreDep, story_id: Id) -> StoryOut:
    """A story by id, or by an unambiguous prefix of at least 4 characters (as the CLI)."""
    # Without its members and events (not shown: a story of 2,000 members reads kilobytes
    # less and decodes 1,000 events less); its size is its head's.
    story = find_story(store, story_id, members=False)
    heads = store.story_heads([story.id]) if story is not None else []
    if story is None or not heads:
        raise HTTPException(404, "story not found")
    return StoryOut.full(story, heads[0])


@router.get("/stories/{story_id}/quotes", responses=NOT_FOUND)
def story_quotes(store: StoreDep, story_id: Id, limit: Limit = 50, offset: Offset = 0) -> QuoteList:
    """Who said what in a story: its attributed quotes with outlet and date, newest first."""
    story = find_story(store, story_id)
    if story is None:
        raise HTTPException(404, "story not found")
    items = store.quotes_of_story(story.id, limit=limit, offset=offset)
    return QuoteList(items=[QuoteOut.of(q) for q in items], limit=limit, offset=offset)


@router.get("/stories/{story_id}/articles", responses=NOT_FOUND)
def story_articles(
    store: StoreDep, story_id: Id, limit: Limit = 50, cursor: Cursor = None
) -> Page[ArticleSummary]:
    """A story's members in publication order (oldest first, undated last), a page at a
    time: follow ``next`` (``?cursor=``)."""
    heads = store.story_heads([story_id])
    if not heads:
        raise HTTPException(404, "story not found")
    page = _page_of(lambda: store.story_article_page(story_id, limit, after=cursor, brief=True))
    return Page[ArticleSummary](
        items=[ArticleSummary.of(a) for a in page.items],
        total=heads[0].size,
        limit=limit,
        offset=0,
        next=page.next,
    )


Part = Literal["timeline", "background"]


@router.get("/stories/{story_id}/entries/{number}/sources", responses=NOT_FOUND)
def entry_sources(
    store: StoreDep,
    story_id: Id,
    number: Annotated[int, Path(ge=0, le=MAX_OFFSET)],
    part: Part = "timeline",
    limit: Limit = 50,
    cursor: Cursor = None,
) -> SourcePageOut:
    """Every source of the ``number``-th entry (from 0) of a story's timeline (or of its
    ``part=background``), in rank order, a page at a time."""
    return _sources(store, story_id, part, number, limit, cursor)


@router.get("/stories/{story_id}/facts/{number}/sources", responses=NOT_FOUND)
def fact_sources(
    store: StoreDep,
    story_id: Id,
    number: Annotated[int, Path(ge=0, le=MAX_OFFSET)],
    limit: Limit = 50,
    cursor: Cursor = None,
) -> SourcePageOut:
    """Every sentence that states the ``number``-th fact (from 0) of a story, a page at a time."""
    return _sources(store, story_id, "facts", number, limit, cursor)


def _sources(
    store: StoreDep, story_id: str, part: str, number: int, limit: int, cursor: str | None
) -> SourcePageOut:
    page = _page_of(lambda: store.story_sources(story_id, part, number, limit, after=cursor))
    if page is None:
        raise HTTPException(404, "no such story or entry")
    return SourcePageOut(
        items=[SourceOut.model_validate(s, from_attributes=True) for s in page.items],
        total=page.total,
        limit=limit,
        next=page.next,
    )


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
    cursor: Cursor = None,
) -> Page[EntityOut]:
    page = _page_of(lambda: store.entity_page(limit, label, offset, after=cursor))
    return Page[EntityOut](
        items=[EntityOut.of(e) for e in page.items],
        total=store.count_entities(label=label),
        limit=limit,
        offset=offset,
        next=page.next,
    )


@router.get("/entities/{name}", responses=NOT_FOUND)
def get_entity(
    store: StoreDep,
    name: Annotated[str, Path(max_length=300)],
    limit: Limit = 50,
    cursor: Cursor = None,
) -> EntityDetail:
    """An entity with its spellings and the stories that name it (one page of them)."""
    entity = store.get_entity(name)
    if entity is None:
        raise HTTPException(404, "entity not found")
    query = story_query(entity=entity.name)
    page = _page_of(lambda: store.find_stories(query, limit, after=cursor))
    return EntityDetail(
        **EntityOut.of(entity).model_dump(),
        stories=[StorySummary.of(s) for s in page.items],
        stories_total=store.count_found_stories(query),
        stories_next=page.next,
        quotes=[QuoteOut.of(q) for q in store.quotes_by(entity.name, limit=ENTITY_QUOTES)],
    )


@router.get("/entities/{name}/quotes", responses=NOT_FOUND)
def entity_quotes(
    store: StoreDep,
    name: Annotated[str, Path(max_length=300)],
    limit: Limit = 50,
    offset: Offset = 0,
) -> QuoteList:
    """What an entity said: quotes attributed to it, with outlet and date, newest first."""
    entity = store.get_entity(name)
    if entity is None:
        raise HTTPException(404, "entity not found")
    items = store.quotes_by(entity.name, limit=limit, offset=offset)
    return QuoteList(items=[QuoteOut.of(q) for q in items], limit=limit, offset=offset)


async def _ingest(request: Request, items: list[ArticleIn], origin: str) -> IngestResult:
    """Through the worker process, awaited on the event loop (no thread of the pool, where
    the readers' pages run); without one, in a thread with its store."""
    raws = [
        item.raw(f"{origin}[{k}]" if len(items) > 1 else origin) for k, item in enumerate(items)
    ]
    ingester = request.app.state.ingester
    warmer = request.app.state.warmer

    async def warm(report: IngestReport) -> None:
        # the prefix the post came in on (/api/v1, /api): its reads come the same way
        prefix = request.scope["path"].rpartition("/articles")[0]
        await warmer.posted(request.scope, report.added, prefix)

    report = await ingester.ingest_async(raws, then=warm)
    if report is None:
        db = request.app.state.db
        report = await run_in_threadpool(lambda: ingester.ingest(thread_store(db), raws))
    return IngestResult.of(report)


@router.post(
    "/articles",
    status_code=201,
    responses={**WRITE_ERRORS, 422: {"model": ErrorOut, "description": "not an article"}},
    dependencies=[WriteKey],
)
async def ingest_article(request: Request, article: ArticleIn) -> IngestResult:
    """Ingest one article: clean, date, tag, store, then regroup the stories."""
    result = await _ingest(request, [article], "api")
    if result.errors:
        error = result.errors[0]
        raise HTTPException(422, f"{error.problem}" + (f" ({error.fix})" if error.fix else ""))
    return result


@router.post("/articles/batch", responses=WRITE_ERRORS, dependencies=[WriteKey])
async def ingest_batch(request: Request, batch: BatchIn) -> IngestResult:
    """Ingest up to 100 articles at once; the ones that fail are listed in ``errors``."""
    return await _ingest(request, batch.articles, "batch")
