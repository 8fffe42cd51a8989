"""The flow, stage after stage: ingest → clean → meta → entities → dedup → stories → timeline.

:func:`process` is the per-article part (pure, picklable, the unit a distributed executor
maps over); :func:`build_stories` is the corpus part that needs every article at once.
Neither touches the database: callers hand results to :mod:`kabar.store`.
"""

from __future__ import annotations

from collections.abc import Sequence

from kabar.clean import clean
from kabar.dedup import NearDuplicateFinder
from kabar.entities import extract_mentions, resolve_entities
from kabar.errors import InputError
from kabar.meta import annotate
from kabar.model import Article, RawArticle, Story
from kabar.stories import StoryGrouper, story_id
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
    groups = (grouper or StoryGrouper()).group(marked)
    stories = [make_story(story_id(members), members) for members in groups]
    stories.sort(key=lambda s: (-len(s.article_ids), s.last_date or ""))
    return marked, stories
