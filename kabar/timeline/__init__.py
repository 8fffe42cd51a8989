"""Timeline: a story's dated sentences, grouped by date, one entry per happening-day.

Each entry keeps every sentence (and so every outlet) that dates something to it; its
summary is the most central of those sentences, the one that shares the most content
words with the others. Duplicated articles were removed before, so a syndicated copy
never inflates an entry. The story summary is the most central lede sentences, by date.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from kabar.model import Article, Granularity, Source, Story, TimelineEntry
from kabar.text import STOPWORDS, tokens

_SPECIFICITY: dict[str, int] = {"day": 0, "week": 1, "month": 2, "year": 3}


def _content(text: str) -> set[str]:
    return {t for t in tokens(text) if t not in STOPWORDS and len(t) > 2 and not t.isdigit()}


def build_timeline(articles: Sequence[Article]) -> list[TimelineEntry]:
    """Entries ordered by date, each with the sentences and outlets that report it."""
    groups: dict[tuple[str, str], list[tuple[Article, str]]] = defaultdict(list)
    for article in articles:
        if article.duplicate_of is not None:
            continue
        for sentence in article.sentences:
            if sentence.date and sentence.granularity:
                groups[(sentence.date, sentence.granularity)].append((article, sentence.text))
    entries: list[TimelineEntry] = []
    for (value, granularity), items in groups.items():
        bags = [_content(text) for _article, text in items]
        centrality = [sum(len(bag & other) for other in bags) - len(bag & bag) * 0 for bag in bags]
        best = max(range(len(items)), key=lambda i: (centrality[i], -i))
        mention_names: Counter[str] = Counter()
        for article, text in items:
            for mention in article.mentions:
                if mention.text in text:
                    mention_names[mention.canonical] += 1
        seen: set[tuple[str, str]] = set()
        sources: list[Source] = []
        for article, text in items:
            if (article.id, text) in seen:
                continue
            seen.add((article.id, text))
            sources.append(Source(article_id=article.id, outlet=article.outlet, sentence=text))
        entries.append(
            TimelineEntry(
                date=value,
                granularity=_granularity(granularity),
                summary=items[best][1],
                sources=sources,
                entities=[name for name, _count in mention_names.most_common(8)],
            )
        )
    return sorted(entries, key=lambda e: (e.date, _SPECIFICITY[e.granularity]))


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


def summarize(articles: Sequence[Article], sentences: int = 3) -> list[str]:
    """Up to ``sentences`` lede sentences, the most central first picked, shown in date order."""
    originals = [a for a in articles if a.duplicate_of is None and a.sentences]
    if not originals:
        return []
    bags = {a.id: _content(a.body) for a in originals}
    vocabulary: Counter[str] = Counter()
    for bag in bags.values():
        vocabulary.update(bag)
    ledes = sorted(
        originals,
        key=lambda a: (
            -sum(vocabulary[w] for w in _content(a.sentences[0].text))
            / (1 + len(a.sentences[0].text.split())) ** 0.5
        ),
    )
    chosen: list[Article] = []
    for article in ledes:
        lede = _content(article.sentences[0].text)
        if all(len(lede & _content(c.sentences[0].text)) < 0.6 * max(1, len(lede)) for c in chosen):
            chosen.append(article)
        if len(chosen) == sentences:
            break
    chosen.sort(key=lambda a: (a.published or "9999", a.id))
    return [a.sentences[0].text for a in chosen]


def make_story(story_id: str, articles: Sequence[Article]) -> Story:
    """A story record: title, summary, entities, outlets, date span and timeline."""
    originals = [a for a in articles if a.duplicate_of is None] or list(articles)
    entity_counts: Counter[str] = Counter()
    for article in originals:
        entity_counts.update({m.canonical for m in article.mentions})
    timeline = build_timeline(originals)
    dates = sorted(a.published for a in originals if a.published)
    vocabulary: Counter[str] = Counter()
    for article in originals:
        vocabulary.update(_content(article.title))
    title_article = max(
        originals, key=lambda a: (sum(vocabulary[w] for w in _content(a.title)), a.published or "")
    )
    return Story(
        id=story_id,
        title=title_article.title,
        article_ids=[a.id for a in sorted(articles, key=lambda a: (a.published or "9999", a.id))],
        summary=summarize(originals),
        entities=[name for name, _count in entity_counts.most_common(15)],
        outlets=sorted({a.outlet or "unknown" for a in originals}),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        timeline=timeline,
    )
