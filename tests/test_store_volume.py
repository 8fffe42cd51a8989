"""The store's coverage-over-time queries (the story chart, the overview, outlet and entity
pages, search results' stories) on both backends, checked against their plain-Python
meaning over the seed articles and two stories made of them."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_store import BACKENDS, postgres_database, seed_articles, seed_story

from kabar.model import Article
from kabar.store import DayCount, Store, open_store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        with open_store(tmp_path / "kabar.db") as s:
            yield s
        return
    pytest.importorskip("psycopg", reason="psycopg not installed: pip install kabar[postgres]")
    with postgres_database() as url, open_store(url) as s:
        yield s


@pytest.fixture
def articles() -> list[Article]:
    found = seed_articles()
    # One undated article, to be counted apart (day None) and never on a time axis.
    found[0] = dataclasses.replace(found[0], published=None)
    return found


@pytest.fixture
def filled(store: Store, articles: list[Article]) -> Store:
    store.add_articles(articles)
    whole = seed_story(articles)
    recent = dataclasses.replace(
        whole,
        id="0123456789abcdef",
        title="2024 only",
        article_ids=[a.id for a in articles if (a.published or "") >= "2024"],
        first_date="2024-03-26",
    )
    store.replace_stories([whole, recent])
    return store


def _expected(articles: list[Article]) -> list[DayCount]:
    counts = Counter((a.published, a.outlet) for a in articles)
    return sorted(
        (DayCount(day, outlet, n) for (day, outlet), n in counts.items()),
        key=lambda c: (c.day or "", c.outlet or ""),
    )


def test_story_volume_counts_members_per_day_and_outlet(
    filled: Store, articles: list[Article]
) -> None:
    stories = {s.id: s for s in filled.iter_stories()}
    volume = filled.story_volume([*stories, "ffffffffffffffff"])
    assert set(volume) == set(stories)  # an unknown story is absent
    for sid, story in stories.items():
        members = [a for a in articles if a.id in set(story.article_ids)]
        assert volume[sid] == _expected(members)
    assert any(c.day is None for c in volume["5f3a9c1e2b7d4a60"])
    assert filled.story_volume([]) == {}


def test_outlet_and_entity_volume(filled: Store, articles: list[Article]) -> None:
    tempo = [a for a in articles if a.outlet == "Tempo" and a.published]
    assert filled.outlet_volume("Tempo") == _expected(tempo)
    assert filled.outlet_volume("nobody") == []
    entity = filled.get_entity("Vladimir Putin")
    assert entity is not None
    naming = [
        a for a in articles if a.published and any(m.canonical == entity.name for m in a.mentions)
    ]
    assert naming and filled.entity_volume(entity) == _expected(naming)


def test_newest_and_active_stories(filled: Store, articles: list[Article]) -> None:
    assert filled.newest_published() == max(a.published for a in articles if a.published)
    since = "2024-01-01"
    expected = Counter()
    for story in filled.iter_stories():
        for a in articles:
            if a.id in set(story.article_ids) and (a.published or "") >= since:
                expected[story.id] += 1
    active = filled.active_stories(since)
    assert dict(active) == dict(expected)
    assert [n for _, n in active] == sorted((n for _, n in active), reverse=True)
    assert filled.active_stories("2030-01-01") == []
    assert len(filled.active_stories(since, limit=1)) == 1


def test_story_heads_and_stories_of_articles(filled: Store, articles: list[Article]) -> None:
    ids = ["0123456789abcdef", "nope", "5f3a9c1e2b7d4a60"]
    heads = filled.story_heads(ids)
    assert [h.id for h in heads] == ["0123456789abcdef", "5f3a9c1e2b7d4a60"]
    assert heads[0].title == "2024 only"
    found = filled.stories_of_articles([a.id for a in articles])
    for a in articles:
        assert found.get(a.id, []) == filled.stories_of_article(a.id)


def test_empty_store(store: Store) -> None:
    assert store.newest_published() is None
    assert store.active_stories("2000-01-01") == []
    assert store.story_heads(["x"]) == [] and store.stories_of_articles(["x"]) == {}
