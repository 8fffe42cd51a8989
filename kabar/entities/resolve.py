"""Cross-article resolution: one canonical name and one type per entity of the corpus.

Steps, each cheap and explainable (a reader can see why two spellings were merged):
1. spellings equal up to case, hyphens, spaces and accents are one entity ("Kim Jong-un",
   "Kim Jong Un", "Nguyễn Phú Trọng"), named by their most frequent spelling;
2. an acronym is its expansion when some article writes "Expansion (ACR)", or when its
   letters are the initials of exactly one multi-word organisation of the corpus;
3. a one-word person ("Putin") joins the only full name of the corpus that starts or ends
   with it (within an article the extractor has already linked it to its first mention),
   unless it is reported in more articles than that full name: then it is a name of its own
   (a mononym, a brand) and the full name a rare mistake ("Soekarno" is not the airport
   "Soekarno Hatta" of one street list, "Tesla" not "Tesla Elon Musk");
   a longer person's name that ends with another person's full name is that person, with a
   company or a descriptor swept in front ("Tesla Elon Musk" is Elon Musk);
4. each entity takes the type most of its mentions have (the tagger sometimes hesitates
   between ORG and LOC for "Vietnam News" or "Gedung Putih").
Exonyms and other-language names ("Moskwa", "Rusia") were already mapped to one canonical
name by the gazetteer when the mentions were extracted.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

from kabar.entities.gazetteer import key
from kabar.model import Article, EntityLabel, Mention
from kabar.quotes import with_speakers

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.\-]{1,9}$")
_LINKING = frozenset(
    "of the and for dan untuk atas dari di ke de la le des du van von bin".split()
)  # words skipped when reading initials ("Bank for International Settlements" → BIS)


def fold(name: str) -> str:
    """Case-, hyphen-, space- and accent-insensitive key of a name."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return key(stripped.replace("đ", "d").replace("Đ", "D"))


def initials(name: str) -> str:
    """Initials of the capitalised words of a name: "Pengadilan Kriminal Internasional" → PKI."""
    return "".join(w[0] for w in re.split(r"[\s\-]+", name) if w and w.lower() not in _LINKING)


def resolve_entities(articles: Iterable[Article]) -> list[Article]:
    """Articles whose mentions share one canonical name (and type) per entity across the corpus."""
    articles = list(articles)
    resolver = EntityResolver()
    for article in articles:
        resolver.partial_fit(article.mentions)
    return [resolver.transform(article) for article in articles]


class EntityResolver:
    """:func:`resolve_entities` in two passes, scikit-learn style, for corpora that do not
    fit in memory: :meth:`partial_fit` reads the mentions of each article (in input order)
    and keeps only counts per (spelling key, label); :meth:`transform` then rewrites one
    article at a time. Same names as :func:`resolve_entities` on the same articles.

    Memory grows with the number of distinct names, not with the number of articles.
    """

    def __init__(self) -> None:
        self._spellings: dict[str, Counter[str]] = defaultdict(Counter)
        self._labels: dict[tuple[str, EntityLabel], int] = {}
        self._articles: Counter[tuple[str, EntityLabel]] = Counter()
        """Articles that write each (spelling key, label)."""
        self._expansions: dict[str, dict[str, None]] = defaultdict(dict)
        """Acronym text → the keys of the names written for it, first seen first."""
        self._fold: dict[str, str] = {}
        self._table: dict[tuple[str, EntityLabel], tuple[str, EntityLabel]] | None = None

    def _key(self, name: str) -> str:
        folded = self._fold.get(name)
        if folded is None:
            folded = self._fold[name] = fold(name)
        return folded

    def partial_fit(self, mentions: Iterable[Mention]) -> EntityResolver:
        """Count one article's mentions (call in the corpus's input order)."""
        self._table = None
        seen: set[tuple[str, EntityLabel]] = set()
        for mention in mentions:
            name_key = self._key(mention.canonical)
            self._spellings[name_key][mention.canonical] += 1
            pair = (name_key, mention.label)
            self._labels[pair] = self._labels.get(pair, 0) + 1
            if pair not in seen:
                seen.add(pair)
                self._articles[pair] += 1
            if _ACRONYM.match(mention.text) and mention.label != "PER":
                # (a person's last word in capitals is no acronym: "Truth Social ETF")
                self._expansions[mention.text].setdefault(name_key)
        return self

    def _fitted(self) -> dict[tuple[str, EntityLabel], tuple[str, EntityLabel]]:
        if self._table is not None:
            return self._table
        spelling = {k: _preferred(c) for k, c in self._spellings.items()}
        # A rare misspelling takes the name of the frequent spelling it is one typo from.
        for loser, winner in typo_winners(
            {k: sum(c.values()) for k, c in self._spellings.items()}
        ).items():
            spelling[loser] = spelling[winner]
        # The extractor wrote an acronym's expansion as its canonical name.
        acronyms: dict[str, str] = {}
        for text, keys in self._expansions.items():
            written = [spelling[k] for k in keys if spelling[k] != text]
            if written:
                acronyms[text] = written[0]
        orgs = {spelling[k] for k, label in self._labels if label == "ORG"}
        by_initials: dict[str, set[str]] = defaultdict(set)
        for name in orgs:
            if len(name.split()) >= 2:
                by_initials[initials(name)].add(name)
        for name in orgs:
            if _ACRONYM.match(name) and name not in acronyms:
                candidates = by_initials.get(name.replace(".", ""), set())
                if len(candidates) == 1:
                    acronyms[name] = next(iter(candidates))
        full_people: dict[str, set[str]] = defaultdict(set)
        person_articles: Counter[str] = Counter()  # folded full name → articles
        for (name_key, label), count in self._articles.items():
            if label == "PER":
                person_articles[fold(spelling[name_key])] += count
        for name_key, label in self._labels:
            parts = spelling[name_key].split()
            if label == "PER" and len(parts) >= 2:
                full_people[fold(parts[0])].add(spelling[name_key])
                full_people[fold(parts[-1])].add(spelling[name_key])
        tails = {fold(name): name for names in full_people.values() for name in names}

        def canonical(name_key: str, label: EntityLabel) -> str:
            name = spelling[name_key]
            if name in acronyms and label != "PER":
                return acronyms[name]
            if label == "PER" and " " not in name:
                candidates = full_people.get(fold(name), set())
                if len(candidates) == 1:
                    full = next(iter(candidates))
                    if self._articles[(name_key, label)] <= person_articles[fold(full)]:
                        return full
            if label == "PER":
                parts = name.split()
                for cut in range(1, len(parts) - 1):  # the longest tail first
                    tail = tails.get(fold(" ".join(parts[cut:])))
                    if (
                        tail is not None
                        and person_articles[fold(tail)] >= person_articles[fold(name)]
                    ):
                        return tail
            return name

        names = {pair: canonical(*pair) for pair in self._labels}
        labels: dict[str, Counter[EntityLabel]] = defaultdict(Counter)
        for pair, count in self._labels.items():  # first-seen order, as mentions came
            labels[names[pair]][pair[1]] += count
        label_of = {
            name: max(c.items(), key=lambda item: (item[1], item[0] == "PER"))[0]
            for name, c in labels.items()
        }
        self._table = {pair: (name, label_of[name]) for pair, name in names.items()}
        return self._table

    def transform(self, article: Article) -> Article:
        """The article with each mention's canonical name and type (after all partial_fit)."""
        table = self._fitted()
        resolved = []
        for m in article.mentions:
            name, label = table[(self._key(m.canonical), m.label)]
            resolved.append(dataclasses.replace(m, canonical=name, label=label))
        out = dataclasses.replace(article, mentions=resolved)
        if out.quotes:  # speakers are mentions: they take the resolved names too
            out.quotes = with_speakers(out)
        return out


TYPO_MIN_LENGTH = 8
TYPO_RATIO = 3


def typo_winners(counts: dict[str, int]) -> dict[str, str]:
    """Folded names that are a typo of a far more frequent one → that one.

    "ajun komisasris besar polisi" (1) → "ajun komisaris besar polisi" (40): two names of the
    same number of words, at least ``TYPO_MIN_LENGTH`` characters, that share a
    single-character deletion (one substitution, insertion or deletion apart), where the
    differing word has six letters or more (so "Andi Wijaya" and "Andri Wijaya" stay two
    people) and the frequent one is written ``TYPO_RATIO`` times as often. Linear in the
    number of names: candidate pairs come from an index of deletions (SymSpell's trick),
    never from comparing every pair.
    """
    by_variant: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        if len(name) >= TYPO_MIN_LENGTH:
            for i in range(len(name)):
                by_variant[name[:i] + name[i + 1 :]].append(name)
            by_variant[name].append(name)
    winners: dict[str, str] = {}
    for names in by_variant.values():
        if len(names) < 2 or len(names) > 20:
            continue
        for name in names:
            best = max(names, key=lambda other: (counts[other], other))
            if (
                best != name
                and counts[best] >= TYPO_RATIO * counts[name]
                and _one_long_word_apart(name, best)
            ):
                current = winners.get(name)
                if current is None or counts[best] > counts[current]:
                    winners[name] = best
    return winners


def _one_long_word_apart(a: str, b: str) -> bool:
    words_a, words_b = a.split(), b.split()
    if len(words_a) != len(words_b) or a[0] != b[0]:
        return False
    differing = [(x, y) for x, y in zip(words_a, words_b, strict=True) if x != y]
    return len(differing) == 1 and min(len(differing[0][0]), len(differing[0][1])) >= 6


def _preferred(spellings: Counter[str]) -> str:
    return max(spellings.items(), key=lambda item: (item[1], " " in item[0], "-" not in item[0]))[0]
