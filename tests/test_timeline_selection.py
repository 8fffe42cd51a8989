"""How an entry's text is chosen and which lede sentences join an entry (issue #7, DATEWISE-style)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import SHARED_DATA

from kabar.errors import InputError
from kabar.model import Article, RawArticle, Story
from kabar.pipeline import process
from kabar.timeline import TimelineBuilder


@pytest.fixture(scope="module")
def haiti() -> list[Article]:
    path = SHARED_DATA / "t17-dev" / "haiti_bbc" / "articles.jsonl"
    if not path.exists():
        pytest.skip(f"public data not found at {path}")
    articles = []
    for line in path.read_text().splitlines()[:60]:
        record = json.loads(line)
        raw = RawArticle(
            text=record["text"].replace(" \n", "\n"), source=record["id"], published=record["time"]
        )
        try:
            articles.append(process(raw))
        except InputError:  # an empty record of the corpus
            continue
    return articles


def test_more_sentences_keep_the_representative_and_never_repeat(
    seed_corpus: tuple[list[Article], list[Story]],
) -> None:
    articles, _stories = seed_corpus
    one = TimelineBuilder(sentences_per_entry=1).build(articles)
    three = TimelineBuilder(sentences_per_entry=3).build(articles)
    assert [e.date for e in one] == [e.date for e in three]
    for short, long in zip(one, three, strict=True):
        assert long.summary.startswith(short.summary)  # the most central sentence leads
        texts = list(dict.fromkeys(s.sentence for s in long.sources))
        chosen = [s.sentence for s in long.sources[: min(3, len(texts))]]
        assert len(set(chosen)) == len(chosen) == min(3, len(texts))
        assert long.summary == " ".join(chosen)


def test_lede_sentences_join_only_entries_of_their_day_or_the_day_before(
    haiti: list[Article],
) -> None:
    by_id = {a.id: a for a in haiti}
    kwargs = {"granularities": ("day",), "sentences_per_entry": 3, "lede_threshold": 0.1}
    without = {
        e.date: {(s.article_id, s.sentence) for s in e.sources}
        for e in TimelineBuilder(lede_sentences=0, **kwargs).build(haiti)
    }
    joined = 0
    for entry in TimelineBuilder(lede_sentences=5, **kwargs).build(haiti):
        for source in entry.sources:
            if (source.article_id, source.sentence) in without.get(entry.date, set()):
                continue
            article = by_id[source.article_id]
            opening = [s.text for s in article.sentences[:5] if s.date is None]
            assert source.inferred and source.sentence in opening
            lag = (
                dt.date.fromisoformat(article.published or "") - dt.date.fromisoformat(entry.date)
            ).days
            assert lag in (0, 1), (entry.date, article.published, source.sentence)
            joined += 1
    assert joined > 10  # the earthquake's days gain the ledes of the next day's reports


def test_background_dates_are_kept_apart_from_the_timeline(
    seed_corpus: tuple[list[Article], list[Story]],
) -> None:
    """The seeds mention Vietnam–Russia ties since 1950 and a 2012 partnership: dated
    context from long before the story's first article, shown apart, not as its events."""
    _articles, stories = seed_corpus
    (story,) = stories
    assert story.first_date is not None and story.background
    first = dt.date.fromisoformat(story.first_date[:10])
    for entry in story.background:
        assert int(entry.date[:4]) < first.year  # ends over a year before the first article
    assert not {e.date for e in story.background} & {e.date for e in story.timeline}
    assert any(e.date.startswith("1950") for e in story.background)
    everything = TimelineBuilder(background_days=None).build(_articles)
    assert len(everything) == len(story.timeline) + len(story.background)
