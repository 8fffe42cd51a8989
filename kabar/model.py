"""The plain data that flows through kabar, defined in one place.

Every stage takes and returns these dataclasses, so a stage can run in a test, in the
embedded pipeline or on a distributed executor without knowing which. They serialise to
JSON-friendly dicts with :func:`to_dict` / :func:`from_dict`; that is the only format the
store and the API exchange.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

EntityLabel = Literal["PER", "ORG", "LOC"]
Granularity = Literal["day", "week", "month", "year"]


UNDATED = "9999"
"""Sorts after every ISO date: undated articles come last in publication order."""


def order_key(published: str | None, item_id: str) -> tuple[str, str]:
    """Publication order, the one order every stage reads a corpus in: by date (undated
    last), then by id, so that ties break the same way in every process.

    A function of the two fields too, for records not decoded into an :class:`Article`
    (the batch runner's spool lines)."""
    return (published or UNDATED, item_id)


@dataclass
class RawArticle:
    """An article as a reader found it: text (or HTML) plus whatever metadata came along."""

    text: str
    source: str
    """Where it came from, for error messages and provenance (``path`` or ``path:line``)."""
    title: str | None = None
    url: str | None = None
    html: str | None = None
    published: str | None = None
    """Publication date as the metadata gave it, unparsed (ISO date or any common form)."""
    outlet: str | None = None
    author: str | None = None
    external_id: str | None = None


@dataclass
class CleanText:
    """What the cleaner keeps apart: the title, the news paragraphs, and everything else."""

    title: str | None
    paragraphs: list[str]
    removed: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    """Lines above the body (bylines, stamps, captions): not news, but metadata lives there."""
    dateline: str | None = None
    """The dateline prefix cut from the first paragraph ("TEMPO.CO, Moskow –")."""
    signoff: str | None = None
    """A trailing credit cut from the last paragraph ("SB/AFP/I-1", "(red.J)")."""
    html_meta: dict[str, str] = field(default_factory=dict)
    """Title, date, author, site name and URL that an HTML page declared."""


@dataclass
class TimeExpression:
    """A date found in text, normalised to an ISO value at a granularity (TIMEX3-like)."""

    text: str
    start: int
    end: int
    value: str
    """The TIMEX3 value: ``2024-06-20``, ``2024-06-20T10:47+07:00`` (a clock time, with its
    zone when the text names one), ``2024-W12`` (an ISO week), ``2024-06``, ``2023-Q2`` /
    ``2023-H1`` (a quarter / half year), ``2024``; ranges, durations and sets as under ``kind``.
    Stages that need a calendar date read :func:`kabar.meta.time.calendar_value`."""
    granularity: Granularity
    relative: bool = False
    """True when the value depends on an anchor ("Oktober lalu", "Kamis (20/6)")."""
    kind: Literal["date", "range", "duration", "set", "reference"] = "date"
    """A ``range`` ("antara tahun 1995 dan 2023", value ``1995/2023``), a ``duration``
    ("24 tahun", ``P24Y``), a ``set`` ("setiap tahun", ``R/P1Y``) or a ``reference`` to another
    event ("sehari setelah pelantikan", ``REF+P1D``) is background, never an event's date;
    only ``date`` values date a sentence."""
    mod: str | None = None
    """TIMEX3 modifier: ``START`` ("awal bulan ini"), ``MID``, ``END`` ("akhir tahun")."""
    weekday_mismatch: bool = False
    """The text names a weekday that the date does not fall on ("Senin, 20 Juni 2024")."""
    in_quote: bool = False
    """A relative expression inside quotation marks: it counts from the speech, not the report."""
    event: str | None = None
    """For a ``reference``: the words naming the event it counts from ("pelantikan"); None when
    the event is the one told just before ("sehari sebelumnya")."""
    background: bool = False
    """A date the sentence gives as background, not as what it reports: a birth date
    ("pemain kelahiran 5 Januari 2001", "lahir tahun 1998")."""


@dataclass
class Mention:
    """One occurrence of a named entity in an article's body or in a photo caption."""

    text: str
    label: EntityLabel
    start: int
    end: int
    canonical: str
    """The resolved name shared by every spelling of the same entity ("Russia")."""
    role: str | None = None
    """A title or function given with the name ("Presiden Rusia")."""
    where: Literal["body", "caption"] = "body"
    """Where the name is written: the body, or a photo caption the cleaner set apart (captions
    say who is pictured; their names count for the article, not for the timeline)."""
    line: int | None = None
    """For a caption mention, the index in :attr:`Article.removed` of its line, which
    ``start``/``end`` then index (a body mention's offsets index :attr:`Article.body`)."""


@dataclass
class Quote:
    """Something said, and who said it: a direct quote or reported speech in the body."""

    start: int
    end: int
    """What was said: ``Article.body[start:end]`` (the words inside the quotation marks,
    or the clause of reported speech)."""
    kind: Literal["direct", "reported"]
    cue: str
    """The words that attribute it ("kata", "ujarnya", "mengatakan", "menurut", "said"); empty
    for a quote paragraph continuing the one before."""
    speaker: str | None = None
    """The speaker's canonical entity name; None when the text names no one ("seorang warga")."""
    speaker_label: EntityLabel | None = None
    speaker_text: str = ""
    """The speaker as written next to the cue ("To Lam", "dia", "Kapolres")."""
    speaker_start: int | None = None
    speaker_end: int | None = None
    """The body offsets of the mention the speaker was resolved to (maybe an earlier one,
    for a pronoun)."""
    role: str | None = None
    """The speaker's title or function as written with the name ("Presiden Vietnam")."""


@dataclass
class Sentence:
    """A body sentence with the date of what it reports, if it reports a dated happening."""

    text: str
    paragraph: int
    date: str | None = None
    granularity: Granularity | None = None
    date_text: str | None = None
    """The expression the date was read from, for explanation in the UI."""
    confidence: float | None = None
    """How sure the date is: 1.0 written out in full, lower when resolved against an
    anchor, lower still for :attr:`context_date`."""
    context_date: str | None = None
    """For a sentence without a time cue: the date inherited from the sentence before it
    (kept apart from :attr:`date` so an undated sentence never becomes a timeline entry)."""
    context_granularity: Granularity | None = None


@dataclass
class Article:
    """A cleaned article with its metadata: what every later stage reads."""

    id: str
    """16 hex digits: a 64-bit hash of the normalised body text."""
    title: str
    body: str
    """Clean body: paragraphs separated by a blank line, no boilerplate."""
    source: str
    raw_text: str
    removed: list[str] = field(default_factory=list)
    """Lines dropped as boilerplate, kept so a reader can audit the cleaning."""
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    editor: str | None = None
    wire_sources: list[str] = field(default_factory=list)
    """News agencies the article credits ("Reuters", "AFP", "Antara")."""
    dateline: str | None = None
    published: str | None = None
    """ISO date (``YYYY-MM-DD``) when known."""
    published_from: str | None = None
    """How :attr:`published` was established: ``metadata``, ``text`` or ``inferred``."""
    published_time: str | None = None
    """ISO date-time with its zone offset when the page or a stamp gives the time
    ("2024-06-20T14:30:00+07:00" for "14:30 WIB"); the day stays in :attr:`published`."""
    language: str = "und"
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    duplicate_of: str | None = None
    quotes: list[Quote] = field(default_factory=list)
    """Who said what in the body (:mod:`kabar.quotes`); empty in older stores."""
    kind: Literal["news", "service"] | None = None
    """``service``: a horoscope, forecast, calendar, schedule, guide or listicle, which
    reports no happening (:mod:`kabar.meta.kind`). None in articles stored by a kabar that
    did not judge it: readers ask :func:`kabar.meta.kind.kind_of`, which judges it then, so
    a regroup of an older store keeps service pieces apart as a fresh ingest does."""
    warnings: list[str] = field(default_factory=list)
    """What the reader should know about how it was read ("only its first 500,000
    characters were analysed ..."), each with its fix; empty in older stores."""

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]

    @property
    def order_key(self) -> tuple[str, str]:
        """Its place in publication order (see :func:`order_key`)."""
        return order_key(self.published, self.id)


@dataclass
class Entity:
    """A canonical entity of the corpus with its spellings and how often it is mentioned."""

    name: str
    label: EntityLabel
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    articles: int = 0


@dataclass
class Source:
    """Who reports a timeline entry: an article and the outlet that published it."""

    article_id: str
    outlet: str | None
    sentence: str
    inferred: bool = False
    """True when the sentence carries no date itself and joined the entry by its content."""


@dataclass
class TimelineEntry:
    """One dated happening of a story, with the outlets that report it."""

    date: str
    granularity: Granularity
    summary: str
    """A representative sentence, in the language of the article it comes from."""
    sources: list[Source] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    importance: float = 0.0
    """Ranking score: independent sources first, then centrality in the story."""
    more_sources: int = 0
    """Sources left out of ``sources`` (a story as read back: see :meth:`Story.capped`)."""
    more_outlets: int = 0
    """Outlets of the left-out sources that no kept source names."""

    @property
    def outlets(self) -> list[str]:
        return sorted({s.outlet or "unknown" for s in self.sources})

    def capped(self, keep: int) -> TimelineEntry:
        """The entry with at most ``keep`` sources (see :func:`cap_sources`)."""
        if len(self.sources) <= keep:
            return self
        kept, more_sources, more_outlets = _cap(self.sources, keep)
        return dataclasses.replace(
            self,
            sources=kept,
            more_sources=self.more_sources + more_sources,
            more_outlets=self.more_outlets + more_outlets,
        )


@dataclass
class Fact:
    """A statement several articles make (a figure, a claim), with who says it.

    ``conflict`` flags numbers that disagree between sources for the same fact.
    """

    statement: str
    sources: list[Source] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    conflict: bool = False
    more_sources: int = 0
    """Sources left out of ``sources`` (a story as read back: see :meth:`Story.capped`)."""
    more_outlets: int = 0

    @property
    def outlets(self) -> list[str]:
        return sorted({s.outlet or "unknown" for s in self.sources})

    def capped(self, keep: int) -> Fact:
        """The fact with at most ``keep`` sources (see :func:`cap_sources`)."""
        if len(self.sources) <= keep:
            return self
        kept, more_sources, more_outlets = _cap(self.sources, keep)
        return dataclasses.replace(
            self,
            sources=kept,
            more_sources=self.more_sources + more_sources,
            more_outlets=self.more_outlets + more_outlets,
        )


def _cap(sources: list[Source], keep: int) -> tuple[list[Source], int, int]:
    """:func:`cap_sources`, and how many sources and outlets it leaves out."""
    kept = cap_sources(sources, keep)
    outlets = {s.outlet or "unknown" for s in kept}
    left_out = {s.outlet or "unknown" for s in sources} - outlets
    return kept, len(sources) - len(kept), len(left_out)


def cap_sources(sources: list[Source], keep: int) -> list[Source]:
    """The ``keep`` best sources, one per outlet first: the first (most central) source of
    each outlet in their order, then the next best of any outlet, shown in their order.

    What a reader of a story needs of an entry reported by 2,000 articles is who reports it
    (independent outlets), not every sentence; the rest are paged on demand."""
    if len(sources) <= keep:
        return list(sources)
    chosen: list[int] = []
    seen: set[str] = set()
    for number, source in enumerate(sources):
        outlet = source.outlet or source.article_id
        if outlet not in seen:
            seen.add(outlet)
            chosen.append(number)
            if len(chosen) == keep:
                break
    if len(chosen) < keep:
        taken = set(chosen)
        chosen += [n for n in range(len(sources)) if n not in taken][: keep - len(chosen)]
    return [sources[n] for n in sorted(chosen)]


@dataclass
class Event:
    """One happening inside a story: the articles that report it within a few days."""

    id: str
    article_ids: list[str]
    first_date: str | None = None
    last_date: str | None = None


@dataclass
class StoryEntity:
    """Who or what a story is about, by salience (see :mod:`kabar.entities.salience`)."""

    name: str
    label: EntityLabel
    salience: float
    """Weighted share of the original members naming it: in the title 0.5, in the lead
    (or a photo caption) 0.3, in the body up to 0.2; 1.0 is every title and lead."""
    articles: int
    """Original members that mention it."""
    aliases: list[str] = field(default_factory=list)
    """Other spellings the members use ("Jokowi", "KPK"), commonest first."""
    roles: list[str] = field(default_factory=list)
    """Titles written with the name ("Presiden Rusia"), commonest first."""
    quotes: int = 0
    """Mentions as the speaker of a quote or reported speech ("kata Putin")."""


@dataclass
class Story:
    """A thread of articles about one subject, with its dated timeline and summary."""

    id: str
    title: str
    article_ids: list[str]
    summary: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    first_date: str | None = None
    last_date: str | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    """The story's events (online clustering), oldest first; empty in older stores."""
    background: list[TimelineEntry] = field(default_factory=list)
    """Dated context from long before the story's first article (a birth year, an old law,
    last year's summit), kept out of ``timeline``; empty in older stores."""
    subjects: list[StoryEntity] = field(default_factory=list)
    """Who the story is about, most salient first (up to 12 people, organisations and
    places each; news agencies left out); ``entities`` names the first 15. Empty in older
    stores."""
    more_facts: int = 0
    """Facts left out of ``facts`` (a story as read back: see :meth:`capped`)."""

    def capped(self, sources: int = 5, facts: int = 50) -> Story:
        """The story as a reader is shown it: at most ``sources`` sources per timeline entry
        and fact (the best one per outlet first, :func:`cap_sources`) and the ``facts``
        best-supported facts; ``more_*`` count what is left out. The store keeps the full
        lists apart and reads them back on demand (exports, paged endpoints): an entry
        of a large story lists thousands of sources, which made every read and write of
        the story's record megabytes. Capping a capped story changes nothing."""
        kept = [fact.capped(sources) for fact in self.facts[:facts]]
        return dataclasses.replace(
            self,
            timeline=[entry.capped(sources) for entry in self.timeline],
            background=[entry.capped(sources) for entry in self.background],
            facts=kept,
            more_facts=self.more_facts + len(self.facts) - len(kept),
        )


@dataclass
class SearchHit:
    """An article matching a full-text query, with a highlighted snippet.

    The snippet marks matches with ``[[`` and ``]]`` (never HTML): whoever displays it
    escapes the text first, then turns the markers into highlights.
    """

    article_id: str
    title: str
    outlet: str | None
    published: str | None
    snippet: str
    score: float


FollowKind = Literal["entity", "outlet", "query"]


@dataclass
class Follow:
    """A watchlist item: an entity, an outlet or a search query someone wants to be told
    about when a new event matches it (``kabar follow``; not ``kabar watch``, which follows
    sources to ingest)."""

    id: str
    kind: FollowKind
    value: str
    """The resolved canonical entity name, the outlet name, or the query text."""
    created_at: str = ""
    webhook: str | None = None
    """Where each alert is POSTed as JSON (None: feed only)."""
    secret: str = ""
    """Key of the HMAC-SHA256 signature of each webhook body (``X-Kabar-Signature``)."""


@dataclass
class Alert:
    """A new event that matches a follow: recorded once per (follow, event), ever."""

    follow_id: str
    event_id: str
    story_id: str
    title: str
    """The headline of the event's first matching article."""
    article_ids: list[str] = field(default_factory=list)
    """The event's articles that match the follow (the first one's title is ``title``)."""
    published: str | None = None
    outlets: list[str] = field(default_factory=list)
    new_story: bool = False
    """The event started a new story (not only a new event of a known one)."""
    created_at: str = ""
    delivery: Literal["none", "pending", "delivered", "failed"] = "none"
    """Webhook delivery state (``none``: the follow has no webhook)."""
    attempts: int = 0
    last_error: str | None = None


T = TypeVar("T")


def to_dict(obj: Any) -> dict[str, Any]:
    """A JSON-ready dict of any model dataclass (nested ones included).

    Exactly what :func:`dataclasses.asdict` gives, without its per-call ``fields()`` scan
    and deep copy of every string: at a million articles (each with its sentences and
    mentions) that generic walk cost as much as a pipeline stage.
    """
    cls: type = type(obj)
    return {name: _plain(getattr(obj, name)) for name in _field_names(cls)}


_ATOMS = frozenset({str, int, float, bool, type(None)})
"""Immutable types that :func:`copy.deepcopy` (and so ``asdict``) returns as they are."""


def _plain(value: Any) -> Any:
    """``dataclasses.asdict``'s conversion of one value, with fast paths for our fields."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is list:
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_dict(value)
    # What asdict does with other containers (none of the model's fields today).
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return kind(*[_plain(v) for v in value])
    if isinstance(value, (list, tuple)):
        return kind(_plain(v) for v in value)
    if isinstance(value, dict):
        return kind((_plain(k), _plain(v)) for k, v in value.items())
    return copy.deepcopy(value)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a model dataclass, nested lists of dataclasses included, from :func:`to_dict`."""
    kwargs: dict[str, Any] = {}
    for name, inner in _field_plan(cls):  # type: ignore[arg-type]
        if name not in data:
            continue
        value = data[name]
        if inner is not None and value is not None:
            value = [from_dict(inner, v) for v in value]
        kwargs[name] = value
    return cls(**kwargs)


@functools.cache
def _field_plan(cls: type) -> tuple[tuple[str, type | None], ...]:
    """Each field's name and the dataclass its list holds, if any: resolving type hints costs
    more than building the object, so a batch of a million articles resolves them once."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _list_item_dataclass(hints[f.name])) for f in dataclasses.fields(cls))


def _list_item_dataclass(hint: Any) -> type | None:
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        if dataclasses.is_dataclass(item) and isinstance(item, type):
            return item
    if isinstance(hint, types.UnionType):
        for arg in typing.get_args(hint):
            found = _list_item_dataclass(arg)
            if found is not None:
                return found
    return None
