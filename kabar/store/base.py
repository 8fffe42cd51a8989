"""The backend-neutral face of the store: what the pipeline, CLI and API may rely on.

The SQLite backend implements it today; a PostgreSQL backend will implement the same
abstract class, so nothing outside :mod:`kabar.store` needs to know which one is in use.
"""

from __future__ import annotations

import abc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from kabar.model import Article, Entity, SearchHit, Story


@dataclass
class AddResult:
    """What :meth:`Store.add_articles` did, so re-ingesting a corpus can report 0 new."""

    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


class Store(abc.ABC):
    """Persistent articles, stories and entities. Use as a context manager or call close().

    A Store instance holds one connection: share it between threads only one call at a
    time (the SQLite backend serialises calls with a lock), or open one per thread/request.
    """

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection; further calls fail."""

    # -- articles --------------------------------------------------------------------
    @abc.abstractmethod
    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        """Store a batch atomically; ids already stored are skipped (idempotent re-ingest)."""

    @abc.abstractmethod
    def has_article(self, article_id: str) -> bool: ...

    @abc.abstractmethod
    def get_article(self, article_id: str) -> Article | None: ...

    @abc.abstractmethod
    def count_articles(self, outlet: str | None = None, language: str | None = None) -> int:
        """Number of articles, with the same filters as :meth:`list_articles`."""

    @abc.abstractmethod
    def list_articles(
        self,
        limit: int = 50,
        offset: int = 0,
        outlet: str | None = None,
        language: str | None = None,
    ) -> list[Article]:
        """Newest first (undated last), then by id, so pages are stable."""

    @abc.abstractmethod
    def iter_articles(self) -> Iterator[Article]:
        """Every article, oldest first (undated last), then by id: the regrouping order."""

    # -- stories ---------------------------------------------------------------------
    @abc.abstractmethod
    def replace_stories(self, stories: list[Story]) -> None:
        """Swap the whole set of stories atomically: readers see the old or the new set."""

    @abc.abstractmethod
    def save_grouping(
        self,
        articles: list[Article],
        stories: list[Story],
        state: bytes | None = None,
        state_articles: int | None = None,
    ) -> None:
        """Store corpus-level results in one transaction: the articles' resolved entities
        and ``duplicate_of`` links (articles must be stored already), and all stories;
        with ``state``, also the incremental grouping state, which covers
        ``state_articles`` articles (default: these ``articles``)."""

    @abc.abstractmethod
    def save_increment(
        self,
        articles: list[Article],
        stories: list[Story],
        removed_story_ids: list[str],
        state: bytes,
        state_articles: int,
    ) -> None:
        """One incremental grouping step in one transaction: the new articles' entities and
        ``duplicate_of`` links, the stories that changed (replaced by id), the stories merged
        away (deleted), and the grouping state that now covers ``state_articles`` articles."""

    @abc.abstractmethod
    def load_grouping_state(self) -> tuple[bytes, int] | None:
        """The saved grouping state and the number of articles it covers, or None."""

    @abc.abstractmethod
    def list_stories(self, limit: int = 50, offset: int = 0) -> list[Story]:
        """Biggest stories first, then most recent."""

    @abc.abstractmethod
    def count_stories(self) -> int: ...

    @abc.abstractmethod
    def get_story(self, story_id: str) -> Story | None: ...

    @abc.abstractmethod
    def stories_of_article(self, article_id: str) -> list[str]:
        """Ids of the stories an article belongs to, sorted."""

    # -- search and entities -----------------------------------------------------------
    @abc.abstractmethod
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search; any user text is accepted (never a syntax error), best first."""

    @abc.abstractmethod
    def list_entities(
        self, limit: int = 100, label: str | None = None, offset: int = 0
    ) -> list[Entity]:
        """Entities by number of articles, then mentions, with their spellings as aliases."""

    @abc.abstractmethod
    def count_entities(self, label: str | None = None) -> int: ...

    # -- change detection --------------------------------------------------------------
    def data_version(self) -> str | None:
        """A cheap token that changes whenever a write has been committed since the last
        call, by this store or any other connection or process; None when the backend
        cannot tell cheaply. Tokens are only comparable between calls on the SAME store
        object. Response caches key on it, so a token must never stay the same across a
        committed write (changing without a write only costs a cache miss)."""
        return None


def redact(url: str) -> str:
    """The URL without its password, for error messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


# -- backend-neutral helpers: what every backend checks and computes the same way --------
_ARTICLE_ID = re.compile(r"[0-9a-f]{16}")


def check_article(article: object) -> None:
    """Reject what would corrupt the store; raising aborts the whole batch."""
    if not isinstance(article, Article):
        raise TypeError(f"expected Article, got {type(article).__name__}")
    if not isinstance(article.id, str) or not _ARTICLE_ID.fullmatch(article.id):
        raise ValueError(f"article id must be 16 lowercase hex digits, got {article.id!r}")


def entity_counts(article: Article) -> list[tuple[str, str, int, list[str]]]:
    """(canonical name, label, mentions, sorted spellings) of each entity of an article."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    spellings: dict[tuple[str, str], set[str]] = defaultdict(set)
    for mention in article.mentions:
        key = (mention.canonical, mention.label)
        counts[key] += 1
        spellings[key].add(mention.text)
    return [
        (name, label, n, sorted(spellings[(name, label)])) for (name, label), n in counts.items()
    ]


def entities_from_rows(rows: Iterable[Any], alias_rows: Iterable[Any]) -> list[Entity]:
    """Entities from aggregated rows (name, label, mentions, articles) and alias rows
    (name, label, alias); any row type indexable by column name (sqlite3.Row, dict)."""
    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in alias_rows:
        aliases[(row["name"], row["label"])].add(row["alias"])
    return [
        Entity(
            name=row["name"],
            label=row["label"],
            mentions=int(row["mentions"]),
            articles=int(row["articles"]),
            aliases=sorted(aliases.get((row["name"], row["label"]), set())),
        )
        for row in rows
    ]


def nonneg(value: int) -> int:
    """Refuse a negative LIMIT/OFFSET (SQLite would read it as 'no limit' and dump the table)."""
    if value < 0:
        raise ValueError(f"limit and offset must be >= 0, got {value}")
    return int(value)


def article_filters(outlet: str | None, language: str | None, mark: str) -> tuple[str, list[Any]]:
    """A WHERE clause (with the backend's placeholder ``mark``) and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if outlet is not None:
        clauses.append(f"outlet = {mark}")
        params.append(outlet)
    if language is not None:
        clauses.append(f"language = {mark}")
        params.append(language)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
