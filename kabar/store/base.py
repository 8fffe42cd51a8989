"""The backend-neutral face of the store: what the pipeline, CLI and API may rely on.

The SQLite backend implements it today; a PostgreSQL backend will implement the same
abstract class, so nothing outside :mod:`kabar.store` needs to know which one is in use.
"""

from __future__ import annotations

import abc
import base64
import binascii
import json
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urlsplit

from kabar.model import Article, Entity, SearchHit, Source, Story
from kabar.store.follows import FollowRecords
from kabar.store.quotes import QuoteRecord
from kabar.store.watch import WatchRecords


@dataclass
class AddResult:
    """What :meth:`Store.add_articles` did, so re-ingesting a corpus can report 0 new."""

    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


class Store(WatchRecords, FollowRecords, abc.ABC):
    """Persistent articles, stories and entities (and what ``kabar watch`` remembers:
    :class:`kabar.store.watch.WatchRecords`; follows and alerts:
    :class:`kabar.store.follows.FollowRecords`). Use as a context manager or call close().

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
    def article_page(
        self,
        limit: int = 50,
        outlet: str | None = None,
        language: str | None = None,
        offset: int = 0,
        after: str | None = None,
    ) -> ArticlePage:
        """One page of :meth:`list_articles`; ``after`` is the previous page's ``next``
        (keyset paging: a deep page costs what the first does, where an offset reads every
        article before it). ValueError for a cursor that is not one of ours."""

    @abc.abstractmethod
    def iter_articles(self) -> Iterator[Article]:
        """Every article, oldest first (undated last), then by id: the regrouping order."""

    def hand_off_checkpoints(self) -> None:
        """This connection's commits no longer fold the write-ahead log into the database
        (SQLite: a commit that fills it to 4 MB copied it there first, 100-200 ms, and the
        live writer's add that did waited for it); another connection calls
        :meth:`checkpoint` instead. Nothing on other backends."""

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database now, waiting for no reader or writer
        (SQLite, passive: what readers still see stays for the next one). Nothing on
        other backends."""

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """One transaction around several writes of this store (same thread): they commit
        together at the end or not at all; each write inside is a savepoint. The live
        writer stores an article and its grouping in one commit, so that readers see the
        story change once per add (each commit renders every cached page again)."""

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
        state: bytes | None,
        state_articles: int,
        story_states: Mapping[str, bytes] | None = None,
    ) -> None:
        """One incremental grouping step in one transaction: the new articles' entities and
        ``duplicate_of`` links, the stories that changed (replaced by id), the stories merged
        away (deleted, with their states), the grouping state that now covers
        ``state_articles`` articles (None: saved later, :meth:`save_grouping_state`), and
        the given story states (by story id)."""

    @abc.abstractmethod
    def save_grouping_state(
        self, state: bytes, state_articles: int, stamp: bytes | None = None
    ) -> None:
        """Save the grouping state alone (it covers ``state_articles`` articles) with the
        given stamp (:meth:`grouping_state_stamp`; None: a new random one)."""

    @abc.abstractmethod
    def save_stories(
        self, stories: list[Story], story_states: Mapping[str, bytes] | None = None
    ) -> None:
        """Replace stories by id, and save the given story states, in one transaction."""

    @abc.abstractmethod
    def save_story_parts(self, story: Story) -> bool:
        """Write a stored story's timeline, background and facts (a rebuild of them), not
        its head nor its members, in one transaction; False if the story is not stored
        (merged away meanwhile). A following :meth:`save_stories` of a record holding
        these very lists writes its head only (the live writer's records thread writes
        the large rows here, outside the lock its adds take)."""

    @abc.abstractmethod
    def load_story_states(self, story_ids: Sequence[str]) -> dict[str, bytes]:
        """The saved states of these stories (:class:`kabar.timeline.StoryState`), by id."""

    @abc.abstractmethod
    def load_grouping_state(self) -> tuple[bytes, int] | None:
        """The saved grouping state and the number of articles it covers, or None."""

    def grouping_state_ahead(self) -> bool:
        """Whether stories were saved after the saved grouping state (an incremental step
        saved with ``state=None``, the state to follow): replaying the articles it does not
        cover would group them a second time, differently. Default: never (a store that
        takes no ``state=None`` step)."""
        return False

    def grouping_state_stamp(self) -> bytes | None:
        """A few bytes that change whenever the grouping state is saved (None: no state):
        a long-running writer checks its state in memory is still the saved one without
        reading the state (13 MB at 10k articles). Default: a checksum of the state."""
        saved = self.load_grouping_state()
        return None if saved is None else zlib.crc32(saved[0]).to_bytes(4, "big")

    @abc.abstractmethod
    def list_stories(self, limit: int = 50, offset: int = 0) -> list[Story]:
        """Biggest stories first, then most recent."""

    @abc.abstractmethod
    def iter_stories(self, full: bool = False) -> Iterator[Story]:
        """Every story in the :meth:`list_stories` order, read a page at a time."""

    @abc.abstractmethod
    def count_stories(self) -> int: ...

    @abc.abstractmethod
    def get_story(self, story_id: str, full: bool = False, members: bool = True) -> Story | None:
        """The story as a reader is shown it (:meth:`Story.capped`: a few sources per
        entry and fact, the best-supported facts), or with ``full`` every source and fact
        (exports, the CLI: reads every part of a large story). Without ``members``, its
        ``article_ids`` and ``events`` are left empty (a story page shows neither: its
        size is its head's, :meth:`story_heads`), and are not read. The entries and facts
        of a large story may be shared between reads (decoded once while its record
        holds): treat them as read-only (``dataclasses.replace``, as the stages do)."""

    @abc.abstractmethod
    def story_sources(
        self, story_id: str, part: str, number: int, limit: int = 50, after: str | None = None
    ) -> SourcePage | None:
        """One page of the sources of the ``number``-th entry of a story's ``part``
        (``timeline``, ``background``, or ``facts``), in their rank order; None if there is
        no such entry. ValueError for an unknown part or a cursor that is not one of ours."""

    @abc.abstractmethod
    def story_article_page(
        self, story_id: str, limit: int = 50, after: str | None = None, brief: bool = False
    ) -> ArticlePage:
        """One page of a story's members in publication order (oldest first, undated
        last); ``after`` is the previous page's ``next``. ValueError for a bad cursor.

        brief: the articles as a list shows them (id, title, outlet, published, language,
        url, source, author, duplicate_of, kind), their text and its analysis left out
        (empty): a story page lists 50 members, and decoding them whole was a third of
        its 110-ms render for a story of 2,000."""

    @abc.abstractmethod
    def story_ids_with_prefix(self, prefix: str, limit: int = 2) -> list[str]:
        """Up to ``limit`` story ids that start with ``prefix``, sorted (a key range)."""

    @abc.abstractmethod
    def stories_of_article(self, article_id: str) -> list[str]:
        """Ids of the stories an article belongs to, sorted."""

    @abc.abstractmethod
    def find_stories(
        self, query: StoryQuery, limit: int = 50, offset: int = 0, after: str | None = None
    ) -> StoryPage:
        """One page of the stories matching ``query`` (see :meth:`StoryQuery.keep`), in its
        order; ``after`` is the ``next`` cursor of the previous page (keyset paging)."""

    @abc.abstractmethod
    def count_found_stories(self, query: StoryQuery) -> int: ...

    @abc.abstractmethod
    def outlets(self) -> list[str]:
        """The outlets of the stored articles, sorted (read from the per-outlet counts)."""

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
    def entity_page(
        self,
        limit: int = 100,
        label: str | None = None,
        offset: int = 0,
        after: str | None = None,
        aliases: bool = True,
    ) -> EntityPage:
        """One page of :meth:`list_entities`; ``after`` is the previous page's ``next``;
        ``aliases=False`` leaves the spellings out (one query less per entity)."""

    @abc.abstractmethod
    def count_entities(self, label: str | None = None) -> int: ...

    @abc.abstractmethod
    def get_entity(self, name: str) -> Entity | None:
        """The entity with this canonical name: exact first, then case-insensitive (the
        one in most articles when several labels or spellings share it)."""

    @abc.abstractmethod
    def articles_naming(self, entity: Entity, limit: int = 50) -> list[Article]:
        """Up to ``limit`` articles that mention the entity (a fixed sample when there are
        more: the first by id, an index range), newest first."""

    # -- coverage over time ------------------------------------------------------------
    @abc.abstractmethod
    def story_volume(self, story_ids: Sequence[str]) -> dict[str, list[DayCount]]:
        """The members of each story per day and outlet (``day`` None for the undated),
        for the timeline chart, the outlet bars and the sparklines."""

    @abc.abstractmethod
    def outlet_volume(self, outlet: str) -> list[DayCount]:
        """The outlet's dated articles per day (``outlet`` set on every row)."""

    @abc.abstractmethod
    def entity_volume(self, entity: Entity) -> list[DayCount]:
        """Dated articles naming the entity per day and outlet."""

    @abc.abstractmethod
    def story_heads(self, story_ids: Sequence[str]) -> list[StoryHead]:
        """The heads of these stories (unknown ids left out), in the order given."""

    @abc.abstractmethod
    def stories_of_articles(self, article_ids: Sequence[str]) -> dict[str, list[str]]:
        """The stories of each article (one query for a page of search results)."""

    @abc.abstractmethod
    def newest_published(self) -> str | None:
        """The latest publication day in the store: corpora are often historical, so
        "today" and "last 7 days" are read relative to it, not to the clock."""

    @abc.abstractmethod
    def active_stories(self, since: str, limit: int = 50) -> list[tuple[str, int]]:
        """(story id, members published on or after ``since``), most such members first:
        the stories with the most coverage in a recent period."""

    # -- quotes (kabar.store.quotes) ---------------------------------------------------
    @abc.abstractmethod
    def quotes_of_story(self, story_id: str, limit: int = 50, offset: int = 0) -> list[QuoteRecord]:
        """A story's attributed quotes, newest first (near copies left out)."""

    @abc.abstractmethod
    def quotes_by(self, speaker: str, limit: int = 50, offset: int = 0) -> list[QuoteRecord]:
        """What an entity (canonical name) said, newest first (near copies left out)."""

    @abc.abstractmethod
    def quotes_of_article(self, article_id: str) -> list[QuoteRecord]:
        """An article's quotes in body order, attributed or not."""

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


def nonneg(value: int) -> int:
    """Refuse a negative LIMIT/OFFSET (SQLite would read it as 'no limit' and dump the table)."""
    if value < 0:
        raise ValueError(f"limit and offset must be >= 0, got {value}")
    return int(value)


# -- what the API asks: story lists, filtered, in pages ---------------------------------
StorySort = Literal["size", "recent"]
_WORD = re.compile(r"[^\W_]+")
_MAX_WORDS = 8


def fold(text: str) -> str:
    """Lower-case text without diacritics ("Sóchi" -> "sochi"), for indexing and querying."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The folded words (letters and digits of any script) of a text, in order."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class StoryQuery:
    """A story list query; the store answers it with indexed SQL, :meth:`keep` says what
    that SQL computes (the tests check one against the other).

    date_from, date_to: ISO dates; a story is kept when its span overlaps the range.
    outlet: keep stories with an article from this outlet (exact name).
    entity: keep stories naming this entity (canonical name, case-insensitive).
    language: keep stories with an article in this language.
    text: keep stories whose title or summary has every word of it (diacritics ignored).
    sort: ``size`` (most articles first, then latest ``last_date``) or ``recent`` (latest
        date first, then by size).
    """

    date_from: str | None = None
    date_to: str | None = None
    outlet: str | None = None
    entity: str | None = None
    language: str | None = None
    text: str | None = None
    sort: StorySort = "size"

    def filter_keys(self) -> list[tuple[str, str]]:
        """The ``story_keys`` rows a kept story must have."""
        keys: list[tuple[str, str]] = []
        if self.outlet:
            keys.append(("outlet", self.outlet))
        if self.entity:
            keys.append(("entity", self.entity.casefold()))
        if self.language:
            keys.append(("language", self.language))
        keys += [("word", w) for w in dict.fromkeys(words(self.text or ""))][:_MAX_WORDS]
        return keys

    def keep(self, story: Story, languages: Iterable[str] = ()) -> bool:
        """Whether ``story`` (whose articles are in ``languages``) matches."""
        if self.date_from and period_end(story.last_date or story.first_date) < self.date_from:
            return False
        if self.date_to and period_start(story.first_date or story.last_date) > self.date_to:
            return False
        own = set(story_keys(story)) | {("language", lang) for lang in languages}
        return all(key in own for key in self.filter_keys())


def period_start(value: str | None) -> str:
    """``2024`` → ``2024-01-01``, ``2024-06`` → ``2024-06-01``; undated sorts first."""
    if not value:
        return ""
    return value + "-01-01"[len(value) - 4 :] if len(value) < 10 else value


def period_end(value: str | None) -> str:
    """``2024`` → ``2024-12-31``, ``2024-06`` → ``2024-06-31`` (string order is enough)."""
    if not value:
        return ""
    return value + "-12-31"[len(value) - 4 :] if len(value) < 10 else value


def story_keys(story: Story) -> list[tuple[str, str]]:
    """The (kind, value) filter keys of a story known from the story alone (its article
    languages come from the articles table)."""
    keys = {("outlet", o) for o in story.outlets}
    keys |= {("entity", e.casefold()) for e in story.entities}
    keys |= {("word", w) for w in words(" ".join([story.title, *story.summary]))}
    return sorted(keys)


_INVERT = str.maketrans("0123456789", "9876543210")


def _descending(text: str) -> str:
    """A string whose ascending order is the descending order of ``text`` (digits and
    dashes; empty, i.e. undated, sorts last): digits inverted, then a terminator that
    sorts after them so that a prefix ("2024") comes after its extensions ("2024-06")."""
    return text.translate(_INVERT) + "~"


def story_order(story: Story, size: int) -> tuple[str, str, str, str]:
    """(size key, recent key, span start, span end): one ascending text column per list
    order, so a page is an index range and a cursor is the last key of the page.

    size: most articles, then latest ``last_date`` (undated last), then id.
    recent: latest end of the span (undated last), then the size order."""
    size_key = f"{10**12 - size:013d} {_descending(story.last_date or '')} {story.id}"
    end = period_end(story.last_date or story.first_date)
    return (
        size_key,
        f"{_descending(end)} {size_key}",
        period_start(story.first_date or story.last_date),
        end,
    )


@dataclass
class StoryHead:
    """What a story list shows: a story without its article ids, timeline and facts (for
    the biggest stories, megabytes of JSON that a list has no use for)."""

    id: str
    title: str
    size: int
    outlets: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    first_date: str | None = None
    last_date: str | None = None

    @classmethod
    def of(cls, story: Story, size: int | None = None) -> StoryHead:
        return cls(
            id=story.id,
            title=story.title,
            size=len(set(story.article_ids)) if size is None else size,
            outlets=story.outlets,
            entities=story.entities,
            first_date=story.first_date,
            last_date=story.last_date,
        )


@dataclass(frozen=True)
class DayCount:
    """How many articles one outlet published on one day (about a story, an entity...)."""

    day: str | None
    outlet: str | None
    articles: int


@dataclass
class StoryPage:
    items: list[StoryHead]
    next: str | None = None
    """Cursor of the next page, None on the last."""


@dataclass
class ArticlePage:
    items: list[Article]
    next: str | None = None
    """Cursor of the next page, None on the last."""


@dataclass
class SourcePage:
    items: list[Source]
    total: int
    next: str | None = None
    """Cursor of the next page, None on the last."""


@dataclass
class EntityPage:
    items: list[Entity]
    next: str | None = None


def encode_cursor(values: list[Any]) -> str:
    """An opaque, URL-safe cursor for keyset paging."""
    raw = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    """The values of a cursor; ValueError when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ValueError("not a valid cursor") from exc
    if not isinstance(values, list):
        raise ValueError("not a valid cursor")
    return values
