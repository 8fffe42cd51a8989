"""The flow, stage after stage: ingest → clean → meta → entities → quotes → dedup → stories → timeline.

:func:`process` is the per-article part (pure, picklable, the unit an executor of
:mod:`kabar.scale` maps over); the corpus part, which reads the articles together (entity
resolution, near copies, grouping, story records), is :class:`kabar.corpus.Corpus`.
Neither touches the database: callers hand results to :mod:`kabar.store`.
"""

from __future__ import annotations

from kabar.errors import InputError
from kabar.model import Article, CleanText, RawArticle
from kabar.text import article_id

# The stages are imported at the first article, not with this module: the web server
# imports it for its ingest worker, which is another process (and the stages' word lists
# and regular expressions take a few hundred milliseconds to load).


def process(raw: RawArticle) -> Article:
    """A raw article cleaned, dated and tagged; InputError if no news text is left."""
    from kabar.entities import extract_mentions
    from kabar.meta import annotate
    from kabar.quotes import extract_quotes

    article, cleaned = draft_article(raw)
    article = annotate(article, raw, cleaned)
    article.mentions = extract_mentions(article)
    article.quotes = extract_quotes(article)
    return article


def draft_article(raw: RawArticle) -> tuple[Article, CleanText]:
    """The first step of :func:`process`: the cleaned article (before meta and entities),
    and what the cleaner found; InputError if no news text is left."""
    from kabar.clean import clean

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
