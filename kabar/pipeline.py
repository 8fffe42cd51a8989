"""The flow, stage after stage: ingest → clean → meta → entities → quotes → dedup → stories → timeline.

:func:`process` is the per-article part (pure, picklable, the unit an executor of
:mod:`kabar.scale` maps over); the corpus part, which reads the articles together (entity
resolution, near copies, grouping, story records), is :class:`kabar.corpus.Corpus`.
Neither touches the database: callers hand results to :mod:`kabar.store`.
"""

from __future__ import annotations

from kabar.config import Settings
from kabar.errors import InputError
from kabar.model import Article, CleanText, RawArticle
from kabar.text import article_id

# The stages are imported at the first article, not with this module: the web server
# imports it for its ingest worker, which is another process (and the stages' word lists
# and regular expressions take a few hundred milliseconds to load).


MAX_CHARS = Settings.max_chars
"""The news text analysed per article, in characters (``max_chars`` in ``kabar.toml``,
``KABAR_MAX_CHARS``; 0: no limit).

A news article is tens of KB: the longest cleaned body of the newsweek corpus (6,894
articles) is 38,532 characters; of Timeline17 dev (2,304) 232,680, a BBC page of readers'
letters, the next 112,652. A longer text is several articles or a page dump run together,
and reading it costs about 5 CPU seconds per MB. So the body is cut at the last paragraph
that ends within the limit, and the stages after the cleaner (dates, entities, quotes, hence
the timeline and the story) read only that: a 4 MB one-line page is seconds, not minutes.
The article keeps its whole input in ``raw_text`` (stored with it: nothing is lost), its id
is the hash of the whole cleaned text (another dump sharing the first part is another
article), and it carries a warning saying what was cut and how to raise the limit, which
ingest prints (CLI, ``kabar watch``) or returns (API, in ``warnings``).

Why not reject it, as an input over ``max_bytes`` is: that limit guards memory, whereas
an over-long text still holds news at its start, and a page from a feed polled once would
be lost; users expect the article, with a clear note, rather than a failure to redo.
"""


def process(raw: RawArticle, max_chars: int = MAX_CHARS) -> Article:
    """A raw article cleaned, dated and tagged; InputError if no news text is left.

    max_chars: the news text analysed (:data:`MAX_CHARS`); the application passes the
    configured one (:func:`kabar.config.configured_max_chars`), a stage reads no settings."""
    from kabar.entities import extract_mentions
    from kabar.meta import annotate
    from kabar.quotes import extract_quotes

    article, cleaned = draft_article(raw, max_chars)
    article = annotate(article, raw, cleaned)
    article.mentions = extract_mentions(article)
    article.quotes = extract_quotes(article)
    return article


def draft_article(raw: RawArticle, max_chars: int = MAX_CHARS) -> tuple[Article, CleanText]:
    """The first step of :func:`process`: the cleaned article (before meta and entities),
    its body cut to ``max_chars`` (see :data:`MAX_CHARS`), and what the cleaner found;
    InputError if no news text is left."""
    from kabar.clean import clean

    cleaned = clean(raw)
    body = "\n\n".join(cleaned.paragraphs)
    if len(body.split()) < 5:
        raise InputError(
            raw.source, "no news text found after removing boilerplate", "is this an article?"
        )
    limit = max_chars
    analysed = cut_body(body, limit)
    warnings = []
    if len(analysed) < len(body):
        warnings.append(
            f"the news text is {len(body):,} characters, longer than any news article: only"
            f" its first {len(analysed):,} were analysed (dates, entities, quotes, timeline);"
            " the whole text is kept as the article's raw text (if it is one article, raise"
            f" the limit of {limit:,}: max_chars in kabar.toml or KABAR_MAX_CHARS; if it is"
            " several articles run together, send them one by one)"
        )
    article = Article(
        id=article_id(body),
        title=cleaned.title or "(untitled)",
        body=analysed,
        source=raw.source,
        raw_text=raw.text or raw.html or "",
        removed=[*cleaned.header, *cleaned.removed],
        url=raw.url or cleaned.html_meta.get("url"),
        warnings=warnings,
    )
    return article, cleaned


def cut_body(body: str, max_chars: int) -> str:
    """``body`` if it is at most ``max_chars`` long, else its paragraphs that end within
    the limit (the first one cut at its last space within it, if it alone is longer);
    ``max_chars`` 0 means no limit."""
    if max_chars <= 0 or len(body) <= max_chars:
        return body
    end = body.rfind("\n\n", 0, max_chars + 1)
    if end <= 0:
        end = body.rfind(" ", 0, max_chars + 1)
    return body[: end if end > 0 else max_chars].rstrip()
