"""Entities: people, organisations and places, found in each article and resolved across all.

This first pass is rules over a gazetteer: places and institutions by longest match in
:mod:`kabar.entities.gazetteer`; people by the titles news writes before a name
("Presiden Rusia Vladimir Putin", "PM Vietnam, Pham Minh Chinh", "pemimpin Korea Utara Kim
Jong Un"), then by their later short forms in the same article ("Putin", "Trong", "Kim");
organisations by head words ("Partai ...", "Kementerian ...", "... Agency") and by
acronyms in parentheses. :func:`resolve_entities` then gives every spelling across the
corpus one canonical name ("Kim Jong-un" = "Kim Jong Un").
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from kabar.entities.gazetteer import city_names, key, lookup, weak_names
from kabar.model import Article, Entity, EntityLabel, Mention
from kabar.text import STOPWORDS

_WORD = r"[A-Z][\w'’]*(?:-[\w'’]+)*"
_RUN = re.compile(rf"{_WORD}(?:\s+{_WORD})*")

TITLES = [
    "Presiden", "Wakil Presiden", "Perdana Menteri", "Deputi Perdana Menteri", "Wakil Perdana Menteri",
    "PM", "Menteri Luar Negeri", "Menlu", "Menteri Pertahanan", "Menhan", "Menteri", "Sekjen",
    "Sekretaris Jenderal", "Sekretaris", "Ketua", "Wakil Ketua", "Direktur", "Juru Bicara", "Jubir",
    "Duta Besar", "Dubes", "Gubernur", "Wali Kota", "Walikota", "Bupati", "Panglima", "Kepala",
    "Raja", "Ratu", "Pangeran", "Kanselir", "Pemimpin", "pemimpin", "diplomat senior", "diplomat",
    "Jenderal", "Kapten", "Kolonel", "Dr", "Prof",
    "President", "Vice President", "Prime Minister", "Deputy Prime Minister", "Foreign Minister",
    "Minister", "Secretary-General", "Secretary General", "Secretary", "Chancellor", "King",
    "Queen", "Prince", "Governor", "Mayor", "Senator", "Sen.", "Rep.", "Chairman", "Chief",
    "General", "Gen.", "Judge", "leader", "Mr", "Mrs", "Ms", "Mr.", "Mrs.", "Ms.",
]  # fmt: skip
_TITLE = re.compile(
    r"\b(?P<title>" + "|".join(sorted(map(re.escape, TITLES), key=len, reverse=True)) + r")\b\.?"
    rf"(?P<rest>(?:\s*,?\s+{_WORD})+)"
)
ORG_HEADS = {
    "partai", "pengadilan", "kementerian", "kedutaan", "badan", "dewan", "komisi", "bank",
    "universitas", "mahkamah", "majelis", "organisasi", "forum", "kantor", "lembaga", "komite",
    "perusahaan", "pt", "kepolisian", "angkatan", "tentara",
}  # fmt: skip
ORG_TAILS = {
    "agency", "party", "court", "council", "ministry", "bank", "university", "company",
    "corporation", "corp", "group", "association", "union", "forum", "news", "times", "post",
    "express", "inc", "committee", "commission", "institute", "foundation", "army", "police",
}  # fmt: skip
_ACRONYM = re.compile(
    r"(?P<long>(?:[A-Z][\w'’-]*\s+){1,6}?[A-Z][\w'’-]*)\s+\((?P<short>[A-Z][A-Z0-9&.]{1,9})\)"
)


def extract_mentions(article: Article) -> list[Mention]:
    """Entity mentions of the article body, canonical within the article."""
    mentions: list[Mention] = []
    offset = 0
    people: dict[str, str] = {}  # a full name or its short form → the full name
    paragraphs = article.paragraphs
    for paragraph in paragraphs:
        _find_people(paragraph, people)
    for paragraph in paragraphs:
        mentions.extend(_mentions_in(paragraph, offset, people))
        offset += len(paragraph) + 2
    return mentions


def _find_people(text: str, people: dict[str, str]) -> None:
    """Names that follow a title; registers each with its first and last token as short forms."""
    for match in _TITLE.finditer(text):
        name, _role = _split_title_rest(match.group("rest"))
        if not name:
            continue
        parts = name.split()
        if len(parts) < 2 or parts[-1].lower() in STOPWORDS:
            continue
        people.setdefault(name, name)
        for short in (parts[0], parts[-1]):
            if short.lower() not in STOPWORDS and (
                lookup(short) is None or key(short) in weak_names()
            ):
                people.setdefault(short, name)


def _split_title_rest(rest: str) -> tuple[str | None, str | None]:
    """ "Rusia Vladimir Putin" → ("Vladimir Putin", "Rusia"); "Vietnam, To Lam" → ("To Lam", ...)."""
    chunks = [c.strip() for c in rest.split(",") if c.strip()]
    if not chunks:
        return None, None
    first = chunks[0].split()
    # The "of" part: a place or institution right after the title ("Rusia", "Korea Utara",
    # "Partai Komunis Vietnam"); the name follows it.
    cut = _gazetteer_prefix(first)
    if first and first[0].lower() in ORG_HEADS:
        ends = [e for e in range(2, len(first) + 1) if lookup(first[e - 1]) is not None]
        if not ends:
            return None, None
        cut = ends[0]
    name_tokens = first[cut:]
    if not name_tokens and len(chunks) > 1:
        name_tokens = chunks[1].split()
    name_tokens = name_tokens[:4]
    role = " ".join(first[:cut]) or None
    return (" ".join(name_tokens) if name_tokens else None), role


def _gazetteer_prefix(tokens: list[str]) -> int:
    for end in range(min(len(tokens), 4), 0, -1):
        span = " ".join(tokens[:end])
        if lookup(span) is not None and key(span) not in city_names():
            return end
    return 0


def _mentions_in(text: str, offset: int, people: dict[str, str]) -> list[Mention]:
    found: list[Mention] = []
    acronyms = {m.group("short"): m.group("long") for m in _ACRONYM.finditer(text)}
    for run in _RUN.finditer(text):
        tokens = list(re.finditer(r"\S+", run.group(0)))
        index = 0
        while index < len(tokens):
            matched = _longest_match(run.group(0), tokens, index, people, acronyms)
            if matched is None:
                index += 1
                continue
            end_index, canonical, label = matched
            start = run.start() + tokens[index].start()
            end = run.start() + tokens[end_index - 1].end()
            surface = text[start:end]
            found.append(
                Mention(
                    text=surface,
                    label=label,
                    start=offset + start,
                    end=offset + end,
                    canonical=canonical,
                )
            )
            index = end_index
    return found


def _longest_match(
    run: str,
    tokens: list[re.Match[str]],
    index: int,
    people: dict[str, str],
    acronyms: dict[str, str],
) -> tuple[int, str, EntityLabel] | None:
    for end in range(min(len(tokens), index + 6), index, -1):
        span = run[tokens[index].start() : tokens[end - 1].end()]
        if span in people:
            return end, people[span], "PER"
        hit = lookup(span)
        if hit is not None:
            return end, hit[0], hit[1]
        words = span.split()
        if (
            len(words) >= 2
            and (words[0].lower() in ORG_HEADS or words[-1].lower() in ORG_TAILS)
            and words[0].lower() not in STOPWORDS
            and not any(w in people for w in words[1:])
        ):
            # An organisation name runs up to (and includes) a trailing country name.
            return end, span, "ORG"
    single = run[tokens[index].start() : tokens[index].end()]
    if single in acronyms:
        expansion = lookup(acronyms[single])
        return index + 1, expansion[0] if expansion else acronyms[single], "ORG"
    return None


def resolve_entities(articles: Iterable[Article]) -> list[Article]:
    """Articles whose mentions share one canonical name per entity across the corpus.

    Spellings that differ only in case, hyphens or spaces are one entity, named by the
    most frequent spelling; a one-word person ("Putin") joins the only known full name
    that starts or ends with it.
    """
    articles = list(articles)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for mention in article.mentions:
            counts[key(mention.canonical)][mention.canonical] += 1
    spelling = {k: _preferred(c) for k, c in counts.items()}
    full_people: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        for mention in article.mentions:
            name = spelling[key(mention.canonical)]
            parts = name.split()
            if mention.label == "PER" and len(parts) >= 2:
                full_people[parts[0].lower()].add(name)
                full_people[parts[-1].lower()].add(name)

    def canonical(mention: Mention) -> str:
        name = spelling[key(mention.canonical)]
        if mention.label == "PER" and " " not in name:
            candidates = full_people.get(name.lower(), set())
            if len(candidates) == 1:
                return next(iter(candidates))
        return name

    return [
        dataclasses.replace(
            article,
            mentions=[dataclasses.replace(m, canonical=canonical(m)) for m in article.mentions],
        )
        for article in articles
    ]


def _preferred(spellings: Counter[str]) -> str:
    return max(spellings.items(), key=lambda item: (item[1], " " in item[0], "-" not in item[0]))[0]


def entity_table(articles: Iterable[Article]) -> list[Entity]:
    """Canonical entities with their spellings and counts, most widely reported first."""
    by_name: dict[tuple[str, str], Entity] = {}
    for article in articles:
        seen: set[tuple[str, str]] = set()
        for mention in article.mentions:
            ident = (mention.canonical, mention.label)
            entity = by_name.setdefault(ident, Entity(name=mention.canonical, label=mention.label))
            entity.mentions += 1
            if mention.text not in entity.aliases:
                entity.aliases.append(mention.text)
            if ident not in seen:
                entity.articles += 1
                seen.add(ident)
    return sorted(by_name.values(), key=lambda e: (-e.articles, -e.mentions, e.name))
