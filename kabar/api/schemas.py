"""Pydantic response models: the public JSON contract, mirroring :mod:`kabar.model`.

They are separate from the dataclasses so the API can omit internals (``raw_text``, the
local ``source`` path) and evolve its contract without touching the pipeline.
"""

from __future__ import annotations

import threading
from typing import Generic, Literal, TypeVar

from cachetools import LRUCache
from pydantic import BaseModel, Field, TypeAdapter, model_validator

from kabar.meta.kind import kind_of
from kabar.model import (
    Article,
    Entity,
    EntityLabel,
    Fact,
    Granularity,
    RawArticle,
    SearchHit,
    Source,
    Story,
    TimelineEntry,
    to_dict,
)
from kabar.service import IngestReport
from kabar.store import SHOWN_MEMO_ITEMS, StoryHead
from kabar.store.quotes import QuoteRecord

T = TypeVar("T")


class SentenceOut(BaseModel):
    text: str
    paragraph: int
    date: str | None = None
    granularity: Granularity | None = None
    date_text: str | None = None


class MentionOut(BaseModel):
    text: str
    label: EntityLabel
    start: int
    end: int
    canonical: str
    role: str | None = None
    where: Literal["body", "caption"] = "body"
    """A caption mention's ``start``/``end`` index ``removed[line]``, not the body."""
    line: int | None = None


class ArticleQuoteOut(BaseModel):
    """A quote in its article: ``body[start:end]`` is what was said."""

    start: int
    end: int
    text: str
    kind: Literal["direct", "reported"]
    cue: str = Field(description='the attributing words ("kata", "ujarnya", "said")')
    speaker: str | None = Field(None, description="canonical entity name; null when unnamed")
    speaker_label: EntityLabel | None = None
    speaker_text: str = Field("", description='as written next to the cue ("To Lam", "dia")')
    role: str | None = None


class QuoteOut(BaseModel):
    """A quote as lists show it: what was said, by whom, in which article, outlet and date."""

    article_id: str
    text: str
    kind: Literal["direct", "reported"]
    cue: str
    speaker: str | None = None
    speaker_label: EntityLabel | None = None
    role: str | None = None
    outlet: str | None = None
    published: str | None = None

    @classmethod
    def of(cls, record: QuoteRecord) -> QuoteOut:
        return cls.model_validate(record, from_attributes=True)


class QuoteList(BaseModel):
    """One page of quotes, newest first; ask the next with ``offset + limit``."""

    items: list[QuoteOut]
    limit: int
    offset: int


class ArticleSummary(BaseModel):
    id: str
    title: str
    outlet: str | None = None
    published: str | None = None
    language: str
    url: str | None = None
    author: str | None = None
    duplicate_of: str | None = None
    kind: str = Field(
        default="news",
        description="news, or service: a horoscope, forecast, schedule, guide or listicle",
    )

    @classmethod
    def of(cls, article: Article) -> ArticleSummary:
        return cls(
            id=article.id,
            title=article.title,
            outlet=article.outlet,
            published=article.published,
            language=article.language,
            url=article.url,
            author=article.author,
            duplicate_of=article.duplicate_of,
            kind=kind_of(article),
        )


class ArticleOut(ArticleSummary):
    body: str
    paragraphs: list[str]
    removed: list[str]
    wire_sources: list[str]
    dateline: str | None = None
    published_from: str | None = None
    sentences: list[SentenceOut]
    mentions: list[MentionOut]
    quotes: list[ArticleQuoteOut] = Field(default_factory=list, description="who said what")
    stories: list[str] = Field(default_factory=list, description="ids of its stories")
    warnings: list[str] = Field(
        default_factory=list, description="how it was read (a text cut to the analysed length)"
    )

    @classmethod
    def full(cls, article: Article, stories: list[str]) -> ArticleOut:
        return cls(
            **ArticleSummary.of(article).model_dump(),
            body=article.body,
            paragraphs=article.paragraphs,
            removed=article.removed,
            wire_sources=article.wire_sources,
            dateline=article.dateline,
            published_from=article.published_from,
            sentences=[
                SentenceOut.model_validate(s, from_attributes=True) for s in article.sentences
            ],
            mentions=[MentionOut.model_validate(m, from_attributes=True) for m in article.mentions],
            quotes=[
                ArticleQuoteOut(
                    text=" ".join(article.body[q.start : q.end].split()),
                    **{k: v for k, v in to_dict(q).items() if k in ArticleQuoteOut.model_fields},
                )
                for q in article.quotes
            ],
            stories=stories,
            warnings=article.warnings,
        )


class SourceOut(BaseModel):
    article_id: str
    outlet: str | None = None
    sentence: str
    inferred: bool = Field(
        False, description="joined the entry by content; the sentence itself has no date"
    )


_SOURCES: TypeAdapter[list[SourceOut]] = TypeAdapter(list[SourceOut])


def sources_out(sources: list[Source]) -> list[SourceOut]:
    """The sources as :class:`SourceOut`, validated in one call per list (the answer of a
    story of 2,000 members holds about 1,000 sources: one call each was a fifth of it)."""
    return _SOURCES.validate_python(sources, from_attributes=True)


MORE_SOURCES = (
    "sources left out of `sources` (the best one per outlet is shown first); page them all"
    " from the `sources` endpoint of the entry"
)
MORE_OUTLETS = "outlets that only the left-out sources name (`outlets` lists the shown ones)"


class FactOut(BaseModel):
    statement: str
    numbers: list[str] = Field(description="figures stated, with units")
    conflict: bool = Field(description="true when sources give different figures")
    outlets: list[str]
    sources: list[SourceOut]
    more_sources: int = Field(0, description=MORE_SOURCES)
    more_outlets: int = Field(0, description=MORE_OUTLETS)

    @classmethod
    def of(cls, fact: Fact) -> FactOut:
        return cls(
            statement=fact.statement,
            numbers=fact.numbers,
            conflict=fact.conflict,
            outlets=fact.outlets,
            sources=sources_out(fact.sources),
            more_sources=fact.more_sources,
            more_outlets=fact.more_outlets,
        )


class TimelineEntryOut(BaseModel):
    date: str
    granularity: Granularity
    summary: str
    sources: list[SourceOut]
    entities: list[str]
    outlets: list[str]
    more_sources: int = Field(0, description=MORE_SOURCES)
    more_outlets: int = Field(0, description=MORE_OUTLETS)

    @classmethod
    def of(cls, entry: TimelineEntry) -> TimelineEntryOut:
        return cls(
            date=entry.date,
            granularity=entry.granularity,
            summary=entry.summary,
            sources=sources_out(entry.sources),
            entities=entry.entities,
            outlets=entry.outlets,
            more_sources=entry.more_sources,
            more_outlets=entry.more_outlets,
        )


class StorySummary(BaseModel):
    id: str
    title: str
    size: int = Field(description="number of articles")
    outlets: list[str]
    entities: list[str]
    first_date: str | None = None
    last_date: str | None = None

    @classmethod
    def of(cls, story: Story | StoryHead) -> StorySummary:
        head = story if isinstance(story, StoryHead) else StoryHead.of(story)
        return cls.model_validate(head, from_attributes=True)


class StoryOut(StorySummary):
    """A story as read: its members are paged apart (``/stories/{id}/articles``), each
    timeline entry and fact lists its best sources (one per outlet first) and counts the
    others (``/stories/{id}/entries/{n}/sources`` pages them): a story of 2,000 articles
    answers in kilobytes, not megabytes."""

    summary: list[str]
    timeline: list[TimelineEntryOut]
    background: list[TimelineEntryOut] = Field(
        default_factory=list,
        description="dated context from long before the story's first article (a birth year,"
        " an old law, last year's summit), kept out of the timeline",
    )
    facts: list[FactOut] = Field(default_factory=list, description="figures several outlets report")
    more_facts: int = Field(
        0, description="facts left out of `facts` (the best supported are shown; exports hold all)"
    )

    @classmethod
    def full(cls, story: Story, head: StoryHead | None = None) -> StoryOut:
        """head: the story's, when ``story`` was read without its members (its size)."""
        timeline, background, facts = _parts_out(story)
        return cls(
            **StorySummary.of(head or story).model_dump(),
            summary=story.summary,
            more_facts=story.more_facts,
            timeline=timeline,
            background=background,
            facts=facts,
        )


_PartsOut = tuple[list[TimelineEntryOut], list[TimelineEntryOut], list[FactOut]]
PARTS_MEMO_ITEMS = SHOWN_MEMO_ITEMS
"""Stories with at least this many entries and facts keep their converted parts: the
size from which the store shares their entries (below it, every read makes new ones)."""
PARTS_MEMO_STORIES = 16
_PARTS_OUT: LRUCache[str, tuple[tuple[int, ...], tuple[object, ...], _PartsOut]] = LRUCache(
    maxsize=PARTS_MEMO_STORIES
)
_PARTS_LOCK = threading.Lock()


def _parts_out(story: Story) -> _PartsOut:
    """The story's timeline, background and facts as answer models, converted once while
    the store hands out the same entries (it decodes a large record once per digest,
    ``kabar.store.sql``): an add to a story of 2,000 members leaves them as they are,
    and converting its 1,000 sources again was half of its answer's time after each add.

    Keyed by the entries' identities, which the memo keeps alive (so no other object can
    take one of their ids while they are remembered); the entries are read-only."""
    items: tuple[object, ...] = (*story.timeline, *story.background, *story.facts)
    if len(items) < PARTS_MEMO_ITEMS:
        return _convert(story)
    key = (len(story.timeline), len(story.background), *map(id, items))
    with _PARTS_LOCK:
        known = _PARTS_OUT.get(story.id)
    if known is not None and known[0] == key:
        return known[2]
    parts = _convert(story)
    with _PARTS_LOCK:
        _PARTS_OUT[story.id] = (key, items, parts)
    return parts


def _convert(story: Story) -> _PartsOut:
    return (
        [TimelineEntryOut.of(e) for e in story.timeline],
        [TimelineEntryOut.of(e) for e in story.background],
        [FactOut.of(f) for f in story.facts],
    )


class SearchHitOut(BaseModel):
    article_id: str
    title: str
    outlet: str | None = None
    published: str | None = None
    snippet: str = Field(description="plain text; matches between [[ and ]] (escape, then mark)")
    score: float = Field(description="relevance, higher is better")

    @classmethod
    def of(cls, hit: SearchHit) -> SearchHitOut:
        return cls.model_validate(hit, from_attributes=True)


class EntityOut(BaseModel):
    name: str
    label: EntityLabel
    aliases: list[str]
    mentions: int
    articles: int

    @classmethod
    def of(cls, entity: Entity) -> EntityOut:
        return cls.model_validate(entity, from_attributes=True)


class EntityDetail(EntityOut):
    stories: list[StorySummary] = Field(description="one page of them, biggest first")
    stories_total: int
    stories_next: str | None = Field(
        default=None, description="cursor of the next page of stories (?cursor=); null on the last"
    )
    quotes: list[QuoteOut] = Field(
        default_factory=list,
        description="what it said, newest first (the first page of /entities/{name}/quotes)",
    )


class Page(BaseModel, Generic[T]):
    """One page of a listing, with the total so clients can paginate."""

    items: list[T]
    total: int
    limit: int
    offset: int
    next: str | None = Field(
        default=None,
        description="cursor of the next page (?cursor=) where keyset paging is offered",
    )


class SourcePageOut(BaseModel):
    """One page of an entry's (or a fact's) sources, in rank order."""

    items: list[SourceOut]
    total: int
    limit: int
    next: str | None = Field(default=None, description="cursor of the next page (?cursor=)")


class SearchResults(BaseModel):
    query: str
    limit: int
    items: list[SearchHitOut]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    articles: int
    stories: int


class ErrorOut(BaseModel):
    detail: str


MAX_TEXT_CHARS = 5_000_000
MAX_BATCH = 100


class ArticleIn(BaseModel):
    """One article to ingest: its text (or HTML page) and whatever metadata came with it."""

    model_config = {"extra": "forbid"}

    text: str | None = Field(None, max_length=MAX_TEXT_CHARS, description="plain text")
    html: str | None = Field(None, max_length=MAX_TEXT_CHARS, description="an HTML page")
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=4000)
    published: str | None = Field(None, max_length=100, description="ISO date or any common form")
    outlet: str | None = Field(None, max_length=300)
    author: str | None = Field(None, max_length=300)
    id: str | None = Field(
        None, max_length=200, description="not accepted: kabar returns the article's own id"
    )

    @model_validator(mode="after")
    def _has_text(self) -> ArticleIn:
        if not (self.text and self.text.strip()) and not (self.html and self.html.strip()):
            raise ValueError("an article needs a non-empty 'text' or 'html'")
        if self.id is not None:
            # Silently dropping it would lose the client's key; kabar's ids are content
            # hashes (the same text is the same article), returned in 'added'/'existing'.
            raise ValueError(
                "'id' is not accepted: kabar names an article by a hash of its text and "
                "returns that id; keep your own key beside it"
            )
        return self

    def raw(self, source: str) -> RawArticle:
        return RawArticle(
            text=self.text or "",
            html=self.html,
            source=source,
            title=self.title,
            url=self.url,
            published=self.published,
            outlet=self.outlet,
            author=self.author,
            external_id=self.id,
        )


class BatchIn(BaseModel):
    model_config = {"extra": "forbid"}

    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_BATCH)


class IngestErrorOut(BaseModel):
    source: str
    problem: str
    fix: str | None = None


class IngestResult(BaseModel):
    added: list[str] = Field(description="ids of the new articles")
    existing: list[str] = Field(description="ids already stored (re-ingest does nothing)")
    errors: list[IngestErrorOut] = Field(description="inputs that were skipped, and why")
    stories: int = Field(description="number of stories after regrouping")
    warnings: list[IngestErrorOut] = Field(
        [], description="inputs stored, with something to check (a text too long to analyse)"
    )

    @classmethod
    def of(cls, report: IngestReport) -> IngestResult:
        return cls.model_validate(report.as_dict())
