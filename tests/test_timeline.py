"""The seed story's timeline and facts: dated, attributed, corroborated — and the rules behind."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from conftest import SHARED_DATA

from kabar.model import Article, RawArticle, Source, Story
from kabar.pipeline import process
from kabar.timeline import TimelineBuilder, find_facts, independent_sources, numbers_in


def _entry(story: Story, date: str):
    matches = [e for e in story.timeline if e.date == date]
    assert matches, f"no timeline entry dated {date}: {[e.date for e in story.timeline]}"
    return matches[0]


def test_seed_timeline_has_every_happening_dated_and_attributed(
    seed_corpus: tuple[list[Article], list[Story]],
) -> None:
    _articles, (story,) = seed_corpus
    assert "2017" in _entry(story, "2017").summary
    assert "Sochi" in _entry(story, "2018-09-06").summary and _entry(
        story, "2018-09-06"
    ).outlets == ["Tempo"]
    icc = _entry(story, "2023-03")  # Kontan's "pada bulan Maret", anchored by the story
    assert icc.granularity == "month" and any(
        "Pengadilan Kriminal Internasional" in s.sentence for s in icc.sources
    )
    invitation = _entry(story, "2023-10")
    assert {"IDN Times", "Kontan"} <= set(invitation.outlets)
    assert "konser" in _entry(story, "2024-03-18").summary  # "pekan lalu": the week of the attack
    assert "telepon" in " ".join(s.sentence for s in _entry(story, "2024-03-26").sources)
    pyongyang = _entry(story, "2024-06-19")
    assert any("pakta pertahanan" in s.sentence for s in pyongyang.sources)
    hanoi = _entry(story, "2024-06-20")
    assert len({s.article_id for s in hanoi.sources if not s.inferred}) == 2


def test_entries_are_in_date_order_and_summary_has_no_duplicates(
    seed_corpus: tuple[list[Article], list[Story]],
) -> None:
    _articles, (story,) = seed_corpus
    assert [e.date for e in story.timeline] == sorted(e.date for e in story.timeline)
    assert 3 <= len(story.summary) <= 5 and len(set(story.summary)) == len(story.summary)
    assert not story.title.endswith("…")  # a real headline, not a clipped lede


def test_no_boilerplate_in_the_timeline(seed_corpus: tuple[list[Article], list[Story]]) -> None:
    _articles, (story,) = seed_corpus
    text = " ".join(s.sentence for e in story.timeline for s in e.sources)
    for cue in ("Baca", "jam lalu", "Trenggono", "Advertising", "Berita"):
        assert cue not in text


def test_arms_fact_is_corroborated_by_three_outlets(
    seed_corpus: tuple[list[Article], list[Story]],
) -> None:
    _articles, (story,) = seed_corpus
    arms = [f for f in story.facts if "80%" in f.numbers]
    assert len(arms) == 1
    assert set(arms[0].outlets) == {"IDN Times", "Kontan", "Koran Jakarta"}
    assert all("senjata" in s.sentence for s in arms[0].sources)
    assert not arms[0].conflict


def test_disagreeing_figures_are_flagged(seed_processed: dict[str, Article]) -> None:
    arms_kontan = seed_processed["002"]
    changed = RawArticle(
        text="Rusia dan Vietnam\nHANOI - Diperkirakan 60% persenjataan Vietnam terbuat dari senjata dan peralatan "
        "yang dipasok oleh Moskow, kata para analis pertahanan kepada wartawan pada pekan ini.",
        source="other.txt",
        outlet="Other Daily",
    )
    facts = find_facts([arms_kontan, process(changed)])
    assert any(f.conflict and {"60%", "80%"} <= set(f.numbers) for f in facts)


def test_numbers_leave_out_years_and_dates() -> None:
    assert numbers_in("antara tahun 1995 dan 2023 lebih dari 80 persen impor") == [(80.0, "%")]
    assert numbers_in("menewaskan lebih dari 100 orang pada Kamis (20/6)") == [(100.0, "orang")]


def test_outlets_crediting_one_wire_count_once(seed_processed: dict[str, Article]) -> None:
    articles = {a.id: a for a in seed_processed.values()}
    idn, kontan, koran = seed_processed["000"], seed_processed["002"], seed_processed["001"]
    both_reuters = [Source(idn.id, idn.outlet, "x"), Source(kontan.id, kontan.outlet, "y")]
    assert independent_sources(both_reuters, articles) == 1
    assert independent_sources([*both_reuters, Source(koran.id, koran.outlet, "z")], articles) == 2


def test_max_entries_keeps_the_most_corroborated(
    seed_corpus: tuple[list[Article], list[Story]],
) -> None:
    articles, _stories = seed_corpus
    entries = TimelineBuilder(max_entries=2, granularities=("day",)).build(articles)
    assert len(entries) == 2 and "2024-06-20" in [e.date for e in entries]
    assert all(e.granularity == "day" for e in entries)


def test_english_news_gets_the_same_treatment() -> None:
    path = SHARED_DATA / "t17-dev" / "MJ_bbc" / "articles.jsonl"
    if not path.exists():
        pytest.skip(f"public data not found at {path}")
    records = [json.loads(line) for line in path.read_text().splitlines()[:40]]
    articles = [
        process(
            RawArticle(text=r["text"].replace(" \n", "\n"), source=r["id"], published=r["time"])
        )
        for r in records
    ]
    entries = TimelineBuilder(max_entries=5, granularities=("day",)).build(articles)
    assert len(entries) == 5
    assert "2009-06-25" in [e.date for e in entries]  # the day Michael Jackson died


def test_a_very_large_story_reads_an_even_sample_but_counts_every_article(
    seed_corpus: tuple[list[Article], list[Story]],
) -> None:
    """Past ``max_articles`` originals the timeline is read from a spread of them (first
    and last included); members, outlets and dates still cover the whole story."""
    from kabar.timeline import StoryTally, make_story

    articles, (story,) = seed_corpus
    whole = make_story(story.id, articles)
    assert whole.timeline == story.timeline  # the default reads all five
    ordered = sorted(articles, key=lambda a: a.order_key)
    tally = StoryTally.of(reversed(articles))
    assert tally.reading(5) is None
    assert tally.reading(2) == {ordered[0].id, ordered[-1].id}
    sample = [a for a in articles if a.id in tally.reading(2)]
    small = make_story(story.id, articles, max_articles=2)
    # Counted beforehand, a story needs only the articles it reads: the record is the same.
    assert make_story(story.id, sample, tally, max_articles=2) == small
    assert small.article_ids == whole.article_ids
    assert small.outlets == whole.outlets
    assert (small.first_date, small.last_date) == (whole.first_date, whole.last_date)
    cited = {s.article_id for entry in small.timeline for s in entry.sources}
    assert cited and cited <= {a.id for a in sample}


def test_a_story_past_the_reading_limit_holds_only_what_it_reads(
    seed_corpus: tuple[list[Article], list[Story]],
) -> None:
    """The batch runner counts a very large story one article at a time and sends a worker
    only the originals its timeline reads; the record is the same as from every member."""
    from kabar.corpus import Corpus, StoryJob
    from kabar.timeline import make_story

    articles, _stories = seed_corpus
    sent: list[int] = []

    def reading_two(jobs: Sequence[StoryJob]) -> list[Story]:
        sent.extend(len(members) for _sid, members, _tally in jobs)
        return [make_story(*job, max_articles=2) for job in jobs]

    _placed, whole = Corpus(story_maker=reading_two).group(articles)
    _placed, streamed = Corpus(story_maker=reading_two, max_reading=2).group(articles)
    assert sent == [len(articles), 2]
    assert streamed == whole
    assert len(whole[0].article_ids) == len(articles) and len(whole[0].timeline) > 0
