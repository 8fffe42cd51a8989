"""The flow, stage after stage: ingest → clean → meta → entities → dedup → stories → timeline.

:func:`process` is the per-article part (pure, picklable, the unit a distributed executor
maps over); :func:`build_stories` is the corpus part that needs every article at once.
Neither touches the database: callers hand results to :mod:`kabar.store`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from kabar.clean import clean
from kabar.dedup import NearDuplicateFinder
from kabar.entities import extract_mentions, resolve_entities
from kabar.errors import InputError
from kabar.meta import annotate
from kabar.model import Article, CleanText, Event, RawArticle, Story, order_key
from kabar.stories import GroupingState, StoryGrouper, StoryIndex, paused_gc
from kabar.text import article_id
from kabar.timeline import MAX_STORY_READING, StoryTally, make_story


def process(raw: RawArticle) -> Article:
    """A raw article cleaned, dated and tagged; InputError if no news text is left."""
    article, cleaned = draft_article(raw)
    article = annotate(article, raw, cleaned)
    article.mentions = extract_mentions(article)
    return article


def draft_article(raw: RawArticle) -> tuple[Article, CleanText]:
    """The first step of :func:`process`: the cleaned article (before meta and entities),
    and what the cleaner found; InputError if no news text is left."""
    cleaned = clean(raw)
    body = "\n\n".join(cleaned.paragraphs)
    if len(body.split()) < 5:
        raise InputError(
            raw.source, "no news text found after removing boilerplate", "is this an article?"
        )
    article = Article(
        id=article_id(body),
        title=cleaned.title or "(untitled)",
        body=body,
        source=raw.source,
        raw_text=raw.text or raw.html or "",
        removed=[*cleaned.header, *cleaned.removed],
        url=raw.url or cleaned.html_meta.get("url"),
    )
    return article, cleaned


def build_stories(
    articles: Sequence[Article], grouper: StoryGrouper | None = None
) -> tuple[list[Article], list[Story]]:
    """The corpus part: resolve entities, mark near duplicates, group stories, date them.

    Returns the articles as updated (canonical entity names, ``duplicate_of``) and the stories.
    """
    resolved = resolve_entities(articles)
    marked = NearDuplicateFinder().mark(resolved)
    index = (grouper or StoryGrouper()).index(marked)
    stories = stories_from_index(index, {a.id: a for a in marked})
    stories.sort(key=lambda s: (-len(s.article_ids), s.last_date or ""))
    return marked, stories


StoryJob = tuple[str, list[Article], StoryTally]
"""A story to build: its id, the members its record reads, and the tally of all members."""

StoryMaker = Callable[[Sequence[StoryJob]], list[Story]]
"""Builds story records for jobs, in order: in this process by default, in worker processes
or on Spark executors in :mod:`kabar.scale` (each story needs only its own articles)."""


def make_stories(jobs: Sequence[StoryJob]) -> list[Story]:
    return [make_story(*job) for job in jobs]


def group_in_order(state: GroupingState, articles: Iterable[Article]) -> Iterator[Article]:
    """Feed articles (already in publication order) to a grouping state, yielding each as
    marked: the one sequential step of the corpus part, shared by :func:`build_grouping`
    and the streaming batch runner (:mod:`kabar.scale`)."""
    with paused_gc():
        for article in articles:
            yield state.add(article)


def build_grouping(
    articles: Sequence[Article],
    state: GroupingState | None = None,
    lookup: Callable[[list[str]], list[Article]] | None = None,
    story_maker: StoryMaker = make_stories,
) -> tuple[list[Article], list[Story], GroupingState]:
    """The corpus part, incrementally: feed the articles (in publication order) to a
    grouping state (a new one, or the one saved with the store) and return the articles
    as updated, the records of the stories they touched, and the state to save.

    ``lookup`` fetches the earlier members of touched stories (from the store) to rebuild
    their timelines. Entities are resolved across the given articles only: the rest of the
    corpus is not re-read, so the cost of a batch does not grow with the store.
    """
    state = state if state is not None else GroupingState()
    resolved = sorted(resolve_entities(articles), key=lambda a: a.order_key)
    splits = len(state.stories.split_from)
    touched = {state.stories.story_of(a.id) for a in group_in_order(state, resolved)}
    # A split in this batch changes the record of the story it left, too.
    touched.update(list(state.stories.split_from.values())[splits:])
    touched = {state.stories.merged.get(sid, sid) for sid in touched}
    known = {a.id: a for a in resolved}
    missing = [
        aid
        for sid, events in state.stories.groups()
        if sid in touched
        for _eid, ids in events
        for aid in ids
        if aid not in known
    ]
    if missing:
        if lookup is None:
            raise ValueError(f"{len(missing)} earlier story members: pass a lookup")
        known.update({a.id: a for a in lookup(missing)})
    return resolved, stories_from_index(state.stories, known, touched, story_maker), state


def stories_from_index(
    index: StoryIndex,
    articles: Mapping[str, Article],
    only: set[str] | None = None,
    story_maker: StoryMaker = make_stories,
) -> list[Story]:
    """Story records (timeline, summary, events) of the index's stories (or ``only`` those)."""
    return list(iter_stories_from_index(index, articles, only, story_maker))


def iter_stories_from_index(
    index: StoryIndex,
    articles: Mapping[str, Article],
    only: set[str] | None = None,
    story_maker: StoryMaker = make_stories,
    chunk_articles: int = 20_000,
    max_reading: int = MAX_STORY_READING,
) -> Iterator[Story]:
    """:func:`stories_from_index`, a chunk of stories at a time: ``articles`` may read from
    disk, and at most about ``chunk_articles`` members (at least one story) are held at once.

    A story of more than ``max_reading`` members is counted one article at a time
    (:class:`StoryTally`) and only the originals its timeline reads are held, so the largest
    story of an archive costs no more memory than a story of ``max_reading`` articles.
    """
    jobs: list[StoryJob] = []
    groups: list[list[tuple[str, list[str]]]] = []
    held = 0
    for sid, events in index.groups():
        if only is not None and sid not in only:
            continue
        ids = [aid for _eid, ids in events for aid in ids if aid in articles]
        if not ids:
            continue
        if len(ids) <= max_reading:
            members = [articles[aid] for aid in ids]
            tally = StoryTally.of(members)
        else:  # counted one article at a time; only the ones its timeline reads are kept
            tally = StoryTally.of(articles[aid] for aid in ids)
            wanted = tally.reading(max_reading) or {aid for _key, aid in tally.originals}
            members = [articles[aid] for aid in ids if aid in wanted]
        jobs.append((sid, members, tally))
        groups.append(events)
        held += len(members)
        if held >= chunk_articles:
            yield from _story_records(jobs, groups, story_maker)
            jobs, groups, held = [], [], 0
    if jobs:
        yield from _story_records(jobs, groups, story_maker)


def _story_records(
    jobs: list[StoryJob],
    groups: list[list[tuple[str, list[str]]]],
    story_maker: StoryMaker,
) -> list[Story]:
    stories = story_maker(jobs)
    for story, (_sid, _members, tally), events in zip(stories, jobs, groups, strict=True):
        published = tally.published
        for eid, ids in events:
            dates = sorted(filter(None, (published.get(a) for a in ids)))
            story.events.append(
                Event(
                    id=eid,
                    article_ids=list(ids),
                    first_date=dates[0] if dates else None,
                    last_date=dates[-1] if dates else None,
                )
            )
        story.events.sort(key=lambda e: order_key(e.first_date, e.id))
    return stories
