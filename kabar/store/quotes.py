"""Who said what, stored per article: one ``quotes`` row per quote of :mod:`kabar.quotes`.

The same SQL for SQLite and PostgreSQL (one migration each dialect appends,
:data:`QUOTES_MIGRATION`). A row carries what a list of quotes shows (the words, the
speaker's canonical name and role, the article's outlet and date), so a story's or an
entity's quotes are read from this table and ``story_articles`` alone, never from the
articles' JSON. Rows are written with their article and rewritten when the corpus stage
updates it (resolved speaker names, near copies marked): a near copy's quotes are kept but
left out of the lists, where they would repeat the original's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kabar.model import Article, Quote
from kabar.store.access import SQLAccess

QUOTES_MIGRATION = """
CREATE TABLE quotes (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    speaker TEXT,
    speaker_label TEXT,
    role TEXT,
    kind TEXT NOT NULL,
    cue TEXT NOT NULL,
    text TEXT NOT NULL,
    outlet TEXT,
    published TEXT,
    copy INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, n)
);
CREATE INDEX quotes_speaker ON quotes (speaker, copy, published, article_id, n);
"""
"""The migration both dialects append (types and syntax common to both)."""

MAX_QUOTE_CHARS = 1000
"""Longer quotes are cut (with an ellipsis) in the table; the article keeps them whole."""
_COLUMNS = (
    "q.article_id, q.n, q.speaker, q.speaker_label, q.role, q.kind, q.cue, q.text, q.outlet,"
    " q.published"
)
_NEWEST = "(q.published IS NULL), q.published DESC, q.article_id, q.n"


@dataclass
class QuoteRecord:
    """A stored quote as lists show it: what was said, by whom, where and when."""

    article_id: str
    n: int
    """Its place among the article's quotes."""
    text: str
    kind: str
    cue: str
    speaker: str | None
    speaker_label: str | None = None
    role: str | None = None
    outlet: str | None = None
    published: str | None = None


def quote_text(article: Article, quote: Quote) -> str:
    """The words of a quote, on one line, cut to :data:`MAX_QUOTE_CHARS`."""
    text = " ".join(article.body[quote.start : quote.end].split())
    return text if len(text) <= MAX_QUOTE_CHARS else text[: MAX_QUOTE_CHARS - 1] + "…"


def quote_rows(article: Article) -> list[Sequence[Any]]:
    return [
        (
            article.id,
            n,
            q.speaker,
            q.speaker_label,
            q.role,
            q.kind,
            q.cue,
            quote_text(article, q),
            article.outlet,
            article.published,
            int(article.duplicate_of is not None),
        )
        for n, q in enumerate(article.quotes)
    ]


class SQLQuoteRecords(SQLAccess):
    """The quotes table in the shared SQL of :class:`kabar.store.sql.SQLStore`."""

    def _set_quotes(self, tx: Any, articles: list[Article], replace: bool) -> None:
        """Write the articles' quote rows (replacing their old ones)."""
        if replace:
            self._execmany(
                tx, "DELETE FROM quotes WHERE article_id = ?", [(a.id,) for a in articles]
            )
        rows = [row for article in articles for row in quote_rows(article)]
        self._execmany(
            tx,
            "INSERT INTO quotes (article_id, n, speaker, speaker_label, role, kind, cue, text,"
            " outlet, published, copy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def quotes_of_story(self, story_id: str, limit: int = 50, offset: int = 0) -> list[QuoteRecord]:
        """A story's attributed quotes, newest first (near copies left out)."""
        rows = self._query(
            f"SELECT {_COLUMNS} FROM story_articles AS sa JOIN quotes AS q"
            " ON q.article_id = sa.article_id"
            " WHERE sa.story_id = ? AND q.speaker IS NOT NULL AND q.copy = 0"
            f" ORDER BY {_NEWEST} LIMIT ? OFFSET ?",
            (story_id, max(0, limit), max(0, offset)),
        )
        return [_record(row) for row in rows]

    def quotes_by(self, speaker: str, limit: int = 50, offset: int = 0) -> list[QuoteRecord]:
        """What an entity said (by canonical name), newest first (near copies left out)."""
        rows = self._query(
            f"SELECT {_COLUMNS} FROM quotes AS q WHERE q.speaker = ? AND q.copy = 0"
            f" ORDER BY {_NEWEST} LIMIT ? OFFSET ?",
            (speaker, max(0, limit), max(0, offset)),
        )
        return [_record(row) for row in rows]

    def quotes_of_article(self, article_id: str) -> list[QuoteRecord]:
        """An article's quotes in body order, attributed or not."""
        rows = self._query(
            f"SELECT {_COLUMNS} FROM quotes AS q WHERE q.article_id = ? ORDER BY q.n",
            (article_id,),
        )
        return [_record(row) for row in rows]


def _record(row: Any) -> QuoteRecord:
    return QuoteRecord(
        article_id=row["article_id"],
        n=int(row["n"]),
        text=row["text"],
        kind=row["kind"],
        cue=row["cue"],
        speaker=row["speaker"],
        speaker_label=row["speaker_label"],
        role=row["role"],
        outlet=row["outlet"],
        published=row["published"],
    )
