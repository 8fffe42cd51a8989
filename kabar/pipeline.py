"""The flow, stage after stage: ingest → clean → meta → entities → dedup → stories → timeline.

:func:`process` is the per-article part (pure, picklable, the unit a distributed executor
maps over); :func:`build_stories` is the corpus part that needs every article at once.
Neither touches the database: callers hand results to :mod:`kabar.store`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kabar.clean import clean
from kabar.dedup import NearDuplicateFinder
from kabar.entities import extract_mentions, resolve_entities
from kabar.errors import InputError
from kabar.meta import annotate
from kabar.model import Article, Event, RawArticle, Story
from kabar.stories import GroupingState, StoryGrouper, StoryIndex, paused_gc
from kabar.text import article_id
from kabar.timeline import make_story


def process(raw: RawArticle) -> Article:
    """A raw article cleaned, dated and tagged; InputError if no news text is left."""
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
    article = annotate(article, raw, cleaned)
    article.mentions = extract_mentions(article)
    return article


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


StoryMaker = Callable[[Sequence[tuple[str, list[Article]]]], list[Story]]
"""Builds story records for (story id, members) jobs, in order: in this process by default,
on Spark executors in :mod:`kabar.scale` (each story needs only its own articles)."""


def make_stories(jobs: Sequence[tuple[str, list[Article]]]) -> list[Story]:
    return [make_story(sid, members) for sid, members in jobs]


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
    resolved = sorted(resolve_entities(articles), key=lambda a: (a.published or "9999", a.id))
    touched: set[str] = set()
    splits = len(state.stories.split_from)
    with paused_gc():
        for article in resolved:
            state.add(article)
            touched.add(state.stories.story_of(article.id))
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
    articles: dict[str, Article],
    only: set[str] | None = None,
    story_maker: StoryMaker = make_stories,
) -> list[Story]:
    """Story records (timeline, summary, events) of the index's stories (or ``only`` those)."""
    jobs: list[tuple[str, list[Article]]] = []
    groups: list[list[tuple[str, list[str]]]] = []
    for sid, events in index.groups():
        if only is not None and sid not in only:
            continue
        members = [articles[aid] for _eid, ids in events for aid in ids if aid in articles]
        if members:
            jobs.append((sid, members))
            groups.append(events)
    stories = story_maker(jobs)
    for story, events in zip(stories, groups, strict=True):
        for eid, ids in events:
            dates = sorted(articles[a].published or "" for a in ids if a in articles)
            dates = [d for d in dates if d]
            story.events.append(
                Event(
                    id=eid,
                    article_ids=list(ids),
                    first_date=dates[0] if dates else None,
                    last_date=dates[-1] if dates else None,
                )
            )
        story.events.sort(key=lambda e: (e.first_date or "9999", e.id))
    return stories
