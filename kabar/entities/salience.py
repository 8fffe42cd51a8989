"""Who a story is about: its entities ranked by salience, with aliases, roles and quotes.

A name in a title or a lead is what an article is about; a name deep in the body is often
background ("Perang Dunia II", a past visit). Each member article gives each of its
entities a weight: 0.5 if the title names it, 0.3 if the lead paragraph (or a photo
caption) does, and up to 0.2 for how often the body does (three mentions or more: all of
it). An entity's salience is that weight summed over the story's original articles, divided
by their number: 1.0 for a name in every title and lead, often mentioned. News agencies an
article cites (Reuters, TASS) are credits, not subjects, and are left out.
Quotes: mentions of a person who speaks ("kata Putin", "Peskov mengatakan", "said Biden").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kabar.entities.indonesia import WIRE_AGENCIES
from kabar.model import Article, EntityLabel, StoryEntity

TITLE_WEIGHT = 0.5
LEAD_WEIGHT = 0.3
BODY_WEIGHT = 0.2
BODY_FULL = 3  # mentions for the whole body weight
PER_LABEL = 12  # subjects kept per type (people, organisations, places)

_SAYS_BEFORE = re.compile(
    r"(?:\b(?:kata|ujar|ucap|tutur|jelas|tegas|imbuh|ungkap|sebut|said|says|told|added)\s*,?\s*"
    r"(?:[A-Z][\w.]*\s+){0,4})$"
)
_SAYS_AFTER = re.compile(
    r"^\s*,?\s*(?:[^,.]{0,40},\s*)?(?:mengatakan|menyatakan|menegaskan|menjelaskan|mengungkapkan|"
    r"menuturkan|berkata|menyebutkan|menambahkan|said|says|told|added)\b"
)


def is_wire_agency(name: str) -> bool:
    return name in WIRE_AGENCIES or name.upper() in _WIRE_UPPER


_WIRE_UPPER = frozenset(w.upper() for w in WIRE_AGENCIES)


def is_quote(article: Article, start: int, end: int) -> bool:
    """True when the name at ``body[start:end]`` is the speaker of a quote or a report
    of speech ("…," kata Putin; Peskov mengatakan …)."""
    body = article.body
    before = body[max(0, start - 60) : start]
    after = body[end : end + 60]
    return _SAYS_BEFORE.search(before) is not None or _SAYS_AFTER.search(after) is not None


@dataclass
class _Tally:
    label: Counter[EntityLabel] = field(default_factory=Counter)
    weight: float = 0.0
    articles: int = 0
    aliases: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    quotes: int = 0


@dataclass
class StoryEntities:
    """Counts a story's members one article at a time (as :class:`StoryTally` reads them)."""

    tallies: dict[str, _Tally] = field(default_factory=dict)
    originals: int = 0

    def add(self, article: Article) -> None:
        """Count one original member article."""
        self.originals += 1
        lead_end = article.body.find("\n\n")
        lead_end = len(article.body) if lead_end < 0 else lead_end
        title = article.title or ""
        seen: dict[str, list[bool | int]] = {}  # name → [in title, in lead, body mentions]
        for mention in article.mentions:
            name = mention.canonical
            if is_wire_agency(name) or is_wire_agency(mention.text):
                continue
            tally = self.tallies.get(name)
            if tally is None:
                tally = self.tallies[name] = _Tally()
            tally.label[mention.label] += 1
            tally.aliases[mention.text] += 1
            if mention.role:
                tally.roles[mention.role] += 1
            state = seen.setdefault(name, [False, False, 0])
            if mention.where == "caption" or mention.start < lead_end:
                state[1] = True
            if mention.where == "body":
                state[2] = int(state[2]) + 1
                if mention.label == "PER" and is_quote(article, mention.start, mention.end):
                    tally.quotes += 1
            if not state[0] and _in_title(mention.text, title):
                state[0] = True
        for name, (in_title, in_lead, count) in seen.items():
            tally = self.tallies[name]
            tally.articles += 1
            tally.weight += (
                TITLE_WEIGHT * bool(in_title)
                + LEAD_WEIGHT * bool(in_lead)
                + BODY_WEIGHT * min(1.0, int(count) / BODY_FULL)
            )

    def subjects(self, per_label: int = PER_LABEL) -> list[StoryEntity]:
        """The most salient entities, up to ``per_label`` of each type, most salient first."""
        ranked: list[StoryEntity] = []
        for name, tally in self.tallies.items():
            label = max(tally.label.items(), key=lambda item: (item[1], item[0] == "PER"))[0]
            ranked.append(
                StoryEntity(
                    name=name,
                    label=label,
                    salience=round(tally.weight / max(1, self.originals), 4),
                    articles=tally.articles,
                    aliases=[a for a in _commonest(tally.aliases) if a != name][:8],
                    roles=_commonest(tally.roles)[:3],
                    quotes=tally.quotes,
                )
            )
        ranked.sort(key=lambda e: (-e.salience, -e.articles, e.name))
        kept: Counter[str] = Counter()
        out = []
        for entity in ranked:
            if kept[entity.label] < per_label:
                kept[entity.label] += 1
                out.append(entity)
        return out


def _commonest(counts: Counter[str]) -> list[str]:
    """Most frequent first, ties alphabetical: the same list whatever order members came in."""
    return [text for text, _n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _in_title(text: str, title: str) -> bool:
    # the substring test first: compiling a pattern per mention was most of a story's cost
    return (
        bool(title)
        and text in title
        and re.search(rf"(?<!\w){re.escape(text)}(?!\w)", title) is not None
    )
