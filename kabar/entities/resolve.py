"""Cross-article resolution: one canonical name and one type per entity of the corpus.

Steps, each cheap and explainable (a reader can see why two spellings were merged):
1. spellings equal up to case, hyphens, spaces and accents are one entity ("Kim Jong-un",
   "Kim Jong Un", "Nguyễn Phú Trọng"), named by their most frequent spelling;
2. an acronym is its expansion when some article writes "Expansion (ACR)", or when its
   letters are the initials of exactly one multi-word organisation of the corpus;
3. a one-word person ("Putin") joins the only full name of the corpus that starts or ends
   with it (within an article the extractor has already linked it to its first mention);
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
from collections.abc import Callable, Iterable

from kabar.entities.gazetteer import key
from kabar.model import Article, EntityLabel, Mention

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
    mentions = [m for a in articles for m in a.mentions]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in mentions:
        counts[fold(mention.canonical)][mention.canonical] += 1
    spelling = {k: _preferred(c) for k, c in counts.items()}

    def name_of(mention: Mention) -> str:
        return spelling[fold(mention.canonical)]

    acronyms = _acronym_table(mentions, name_of)
    full_people: dict[str, set[str]] = defaultdict(set)
    for mention in mentions:
        parts = name_of(mention).split()
        if mention.label == "PER" and len(parts) >= 2:
            full_people[fold(parts[0])].add(name_of(mention))
            full_people[fold(parts[-1])].add(name_of(mention))

    def canonical(mention: Mention) -> str:
        name = name_of(mention)
        if name in acronyms and mention.label != "PER":
            return acronyms[name]
        if mention.label == "PER" and " " not in name:
            candidates = full_people.get(fold(name), set())
            if len(candidates) == 1:
                return next(iter(candidates))
        return name

    labels: dict[str, Counter[EntityLabel]] = defaultdict(Counter)
    for mention in mentions:
        labels[canonical(mention)][mention.label] += 1
    label_of = {
        name: max(c.items(), key=lambda item: (item[1], item[0] == "PER"))[0]
        for name, c in labels.items()
    }
    out = []
    for article in articles:
        resolved = []
        for m in article.mentions:
            name = canonical(m)
            resolved.append(dataclasses.replace(m, canonical=name, label=label_of[name]))
        out.append(dataclasses.replace(article, mentions=resolved))
    return out


def _acronym_table(mentions: list[Mention], name_of: Callable[[Mention], str]) -> dict[str, str]:
    """Acronym → expansion, from "Expansion (ACR)" links and from unique initials."""
    table: dict[str, str] = {}
    for mention in mentions:
        # The extractor wrote an acronym's expansion as its canonical name.
        if _ACRONYM.match(mention.text) and name_of(mention) != mention.text:
            table.setdefault(mention.text, name_of(mention))
    names = {name_of(m) for m in mentions if m.label == "ORG"}
    by_initials: dict[str, set[str]] = defaultdict(set)
    for name in names:
        if len(name.split()) >= 2:
            by_initials[initials(name)].add(name)
    for name in names:
        if _ACRONYM.match(name) and name not in table:
            candidates = by_initials.get(name.replace(".", ""), set())
            if len(candidates) == 1:
                table[name] = next(iter(candidates))
    return table


def _preferred(spellings: Counter[str]) -> str:
    return max(spellings.items(), key=lambda item: (item[1], " " in item[0], "-" not in item[0]))[0]
