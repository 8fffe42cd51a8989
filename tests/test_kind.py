"""Service pieces (horoscopes, forecasts, schedules, guides, listicles): told apart by a
title rule, and kept by the grouping from gathering into stories by genre."""

from __future__ import annotations

import copy
import csv
import dataclasses
import json
import os
from pathlib import Path

import pytest

from kabar.meta.kind import article_kind, kind_of
from kabar.model import Article, RawArticle, from_dict, to_dict
from kabar.pipeline import process
from kabar.stories import GroupingParams, GroupingState

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "eval" / "gold" / "newsweek" / "labels.csv"
CORPUS = Path(
    os.environ.get("KABAR_NEWSWEEK", ROOT.parent / "data" / "newsweek" / "newsweek.jsonl")
)
needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="newsweek corpus not rebuilt")


def _records() -> dict[str, dict[str, str]]:
    with CORPUS.open(encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, f)}


@needs_corpus
def test_the_rule_finds_the_dev_service_pieces_and_no_dev_news() -> None:
    """On the hand-labelled dev part (never test): labelled news is not called service,
    and most labelled service pieces are found (the rest are one-off explainers: "TTD
    Bukan Singkatan dari Tanda Tangan, Ini Arti Sebenarnya")."""
    records = _records()
    with LABELS.open(newline="", encoding="utf-8") as f:
        dev = [r for r in csv.DictReader(f) if r["split"] == "dev" and r["id"] in records]
    called = {
        r["id"]: article_kind(records[r["id"]]["title"], records[r["id"]]["text"]) for r in dev
    }
    news = [r for r in dev if r["kind"] == "news"]
    service = [r for r in dev if r["kind"] == "service"]
    assert len(news) > 300 and len(service) > 10
    assert sum(called[r["id"]] == "service" for r in news) <= len(news) // 100
    assert sum(called[r["id"]] == "service" for r in service) >= 0.6 * len(service)


@needs_corpus
def test_a_week_of_horoscopes_is_no_story() -> None:
    """Every horoscope of the corpus, in publication order: by vocabulary they gather into
    one story; kept apart, none holds more than a few (same-day copies of one outlet)."""
    records = [
        r
        for r in _records().values()
        if r["title"].lower().startswith(("zodiak", "ramalan zodiak"))
    ]
    articles = sorted(
        (
            process(RawArticle(text=r["text"], title=r["title"], source=r["id"], url=r["url"]))
            for r in records
        ),
        key=lambda a: a.order_key,
    )
    assert len(articles) >= 20 and all(a.kind == "service" for a in articles)

    def largest(params: GroupingParams) -> int:
        state = GroupingState(params)
        stories = [state.stories.story_of(state.add(copy.copy(a)).id) for a in articles]
        return max(stories.count(s) for s in stories)

    assert largest(GroupingParams(service_apart=False)) >= len(articles) // 2
    assert largest(GroupingParams()) <= 3


def test_a_service_piece_joins_a_news_thread_but_not_a_service_story(
    seed_processed: dict[str, Article],
) -> None:
    """The seeds (one news thread): marked a service piece, the last of them still joins
    the thread it shares a happening with; when every seed is a service piece, none
    gathers with another."""
    ordered = sorted(seed_processed.values(), key=lambda a: a.order_key)
    last = dataclasses.replace(ordered[-1], kind="service")
    state = GroupingState()
    ids = [state.add(copy.deepcopy(a)).id for a in [*ordered[:-1], last]]
    assert len({state.stories.story_of(i) for i in ids}) == 1
    state = GroupingState()
    services = [dataclasses.replace(copy.deepcopy(a), kind="service") for a in ordered]
    ids = [state.add(a).id for a in services]
    assert len({state.stories.story_of(i) for i in ids}) == len(ids)


def test_titles_of_each_genre() -> None:
    service = [
        "Ramalan Zodiak Cancer Leo Virgo Besok 10 Juni 2025: Cinta, Kesehatan, Karier",
        "Prakiraan Cuaca BMKG di Provinsi Bali Hari Ini",
        "7 Model Gamis Kaftan Kekinian untuk Wanita Usia 40-an",
        "Jadwal dan Link Live Streaming MotoGP Italia 2025",
        "Cara Cek Penerima BSU 2025 di BPJS Ketenagakerjaan",
    ]
    news = [
        "Iran Kembali Tembakkan Rudal ke Israel, Penduduk Haifa Diminta Berlindung",
        "5 Rumah Sakit di Iran Rusak Dihantam Serangan Israel dalam Sepekan",
        "Timnas Indonesia Dibantai Jepang 0-5 di Kualifikasi Piala Dunia 2026",
        "Putin Arrives in Hanoi for a State Visit",
    ]
    assert [article_kind(t) for t in service] == ["service"] * len(service)
    assert [article_kind(t) for t in news] == ["news"] * len(news)


def test_the_api_tells_a_service_piece_apart(seed_processed: dict[str, Article]) -> None:
    from kabar.api.schemas import ArticleSummary

    article = next(iter(seed_processed.values()))
    assert ArticleSummary.of(article).kind == "news"
    assert ArticleSummary.of(dataclasses.replace(article, kind="service")).kind == "service"


def test_an_article_stored_before_kinds_is_judged_when_grouped(
    seed_processed: dict[str, Article],
) -> None:
    """Articles stored by a kabar that did not judge kinds read back with no kind; the
    grouping judges them then, so a regroup of an older store keeps horoscopes apart as a
    fresh ingest does."""
    title = "Ramalan Zodiak Cancer Leo Virgo Besok 10 Juni 2025: Cinta, Kesehatan, Karier"
    older = []
    for article in sorted(seed_processed.values(), key=lambda a: a.order_key):
        data = to_dict(dataclasses.replace(copy.deepcopy(article), title=title))
        del data["kind"]
        older.append(from_dict(Article, data))
    assert all(a.kind is None and kind_of(a) == "service" for a in older)
    state = GroupingState()
    ids = [state.add(a).id for a in older]
    assert len({state.stories.story_of(i) for i in ids}) == len(ids)
    for article in seed_processed.values():
        data = to_dict(article)
        del data["kind"]
        assert kind_of(from_dict(Article, data)) == "news"
