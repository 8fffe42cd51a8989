"""The newsweek gold (eval/gold/newsweek/labels.csv) is well-formed and consistent, and it
matches the corpus that scripts/newsweek.py rebuilds (when that corpus is on this machine).
Its by-day parts, test2 (10 June), dev2 (9 June), test3 (16-17 June) and dev3 (11-15 June),
are exactly what eval/gold/newsweek/select_test2.py and select_test3.py select, and
eval/stories.py reports them beside test and dev."""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import json
import os
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "eval" / "gold" / "newsweek" / "labels.csv"
CORPUS = Path(
    os.environ.get("KABAR_NEWSWEEK", ROOT.parent / "data" / "newsweek" / "newsweek.jsonl")
)
COLUMNS = ["id", "url", "outlet", "date", "story_id", "event_id", "kind", "split"]
KINDS = {"news", "roundup", "opinion", "service"}
PARTS = {"dev", "test", "test2", "dev2", "test3", "dev3"}
BY_DAY = {"test2": "2025-06-10", "dev2": "2025-06-09"}  # as select_test2.DAYS
DEV3_DAYS = ("2025-06-11", "2025-06-12", "2025-06-13", "2025-06-14", "2025-06-15")
LATER = {*BY_DAY, "test3", "dev3"}
"""The parts labelled by day (every news-section article of the day), not split by story:
they may continue a story of another part."""


def read_labels() -> list[dict[str, str]]:
    with LABELS.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def load_script(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def rebuild_script() -> ModuleType:
    return load_script("newsweek", ROOT / "scripts" / "newsweek.py")


def select_script() -> ModuleType:
    return load_script("select_test2", ROOT / "eval" / "gold" / "newsweek" / "select_test2.py")


def test_rows_are_well_formed() -> None:
    rows = read_labels()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "an article is labelled twice"
    for r in rows:
        assert re.fullmatch(r"nw-[0-9a-f]{12}", r["id"]), r
        assert r["url"].startswith("https://"), r
        assert r["kind"] in KINDS, r
        assert r["split"] in PARTS, r
        assert r["story_id"] and r["event_id"].startswith(r["story_id"] + "/"), r
        date.fromisoformat(r["date"])


def test_ids_are_those_the_rebuild_gives() -> None:
    """The id is derived from the URL, so the labels survive a rebuild of the corpus."""
    newsweek = rebuild_script()
    for r in read_labels():
        assert newsweek.article_id(r["url"]) == r["id"], r
        assert newsweek.outlet_of(r["url"]) == r["outlet"], r


def test_every_event_in_one_story_and_every_story_in_one_split() -> None:
    """dev and test were split by story; test2, dev2, test3 and dev3 (other days, labelled later)
    may continue a story of another part under its id, but never share an event with it."""
    story_of_event: dict[str, set[str]] = defaultdict(set)
    split_of_story: dict[str, set[str]] = defaultdict(set)
    split_of_event: dict[str, set[str]] = defaultdict(set)
    for r in read_labels():
        story_of_event[r["event_id"]].add(r["story_id"])
        split_of_event[r["event_id"]].add(r["split"])
        if r["split"] not in LATER:
            split_of_story[r["story_id"]].add(r["split"])
    assert all(len(s) == 1 for s in story_of_event.values())
    assert all(len(s) == 1 for s in split_of_story.values()), "a story crosses dev and test"
    assert all(len(s) == 1 for s in split_of_event.values()), "an event crosses parts"


def test_size_outlets_and_balance() -> None:
    rows = read_labels()
    news = [r for r in rows if r["kind"] == "news"]
    assert len(rows) >= 800
    assert len({r["outlet"] for r in news}) >= 4
    first = [r for r in news if r["split"] not in LATER]  # 18-20 June, split by story
    test_share = sum(r["split"] == "test" for r in first) / len(first)
    assert 0.4 <= test_share <= 0.6
    # dense enough to mean something: threads with several articles from several outlets
    outlets: dict[str, set[str]] = defaultdict(set)
    for r in news:
        outlets[r["story_id"]].add(r["outlet"])
    assert sum(len(o) >= 3 for o in outlets.values()) >= 20


def test_labels_match_the_corpus() -> None:
    if not CORPUS.exists():
        pytest.skip(f"newsweek corpus not found at {CORPUS}: rebuild it with scripts/newsweek.py")
    corpus = {}
    with CORPUS.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            corpus[record["id"]] = record
    assert len(corpus) >= 3000
    assert len({r["outlet"] for r in corpus.values()}) >= 4
    days = sorted({r["published"][:10] for r in corpus.values()})
    assert (date.fromisoformat(days[-1]) - date.fromisoformat(days[0])).days >= 7
    for r in read_labels():
        record = corpus.get(r["id"])
        assert record is not None, f"labelled article {r['id']} is not in the corpus"
        assert record["url"] == r["url"] and record["outlet"] == r["outlet"], r
        assert record["published"][:10] == r["date"], r
        assert record["text"].strip(), r


def test_test2_is_one_day_of_news_sections_from_four_outlets() -> None:
    """test2 is every news-section article of 10 June 2025: a part of its own size, labelled
    with singletons and threads alike."""
    select = select_script()
    test2 = [r for r in read_labels() if r["split"] == "test2"]
    assert len(test2) >= 250
    assert {r["date"] for r in test2} == {select.DAY}
    assert all(select.in_news_section(r["url"]) for r in test2)
    news = [r for r in test2 if r["kind"] == "news"]
    assert len({r["outlet"] for r in news}) >= 4
    sizes = Counter(r["story_id"] for r in news)
    assert sum(n >= 2 for n in sizes.values()) >= 30  # threads to group
    assert sum(n == 1 for n in sizes.values()) >= 50  # and singletons to keep apart
    outlets: dict[str, set[str]] = defaultdict(set)
    for r in news:
        outlets[r["story_id"]].add(r["outlet"])
    assert sum(len(o) >= 2 for o in outlets.values()) >= 20


def test_test2_is_what_the_rule_selects() -> None:
    """The fixed rule of select_test2.py gives exactly the test2 articles: none left out,
    none chosen by hand."""
    if not CORPUS.exists():
        pytest.skip(f"newsweek corpus not found at {CORPUS}: rebuild it with scripts/newsweek.py")
    selected = {r["id"] for r in select_script().select(CORPUS)}
    assert selected == {r["id"] for r in read_labels() if r["split"] == "test2"}


def test_dev2_is_what_the_rule_selects_for_9_june() -> None:
    """dev2 is the same rule on 9 June (``--day 2025-06-09 --part dev2``): every
    news-section article of that day, none left out, none chosen by hand, threads and
    singletons alike."""
    select = select_script()
    dev2 = [r for r in read_labels() if r["split"] == "dev2"]
    assert {r["date"] for r in dev2} == {BY_DAY["dev2"]}
    assert all(select.in_news_section(r["url"]) for r in dev2)
    sizes = Counter(r["story_id"] for r in dev2 if r["kind"] == "news")
    assert sum(n >= 2 for n in sizes.values()) >= 5 and sum(n == 1 for n in sizes.values()) >= 10
    if not CORPUS.exists():
        pytest.skip(f"newsweek corpus not found at {CORPUS}: rebuild it with scripts/newsweek.py")
    selected = {r["id"] for r in select.select(CORPUS, day=BY_DAY["dev2"])}
    assert selected == {r["id"] for r in dev2}


def test_test3_is_what_the_rule_selects() -> None:
    """test3 is every news-section article of 16 and 17 June 2025 (select_test3.py's fixed
    rule): none left out, none chosen by hand, each in a news section on one of those days."""
    select = load_script("select_test3", ROOT / "eval" / "gold" / "newsweek" / "select_test3.py")
    test3 = [r for r in read_labels() if r["split"] == "test3"]
    assert {r["date"] for r in test3} == set(select.DAYS)
    assert all(select.in_news_section(r["url"]) for r in test3)
    if not CORPUS.exists():
        pytest.skip(f"newsweek corpus not found at {CORPUS}: rebuild it with scripts/newsweek.py")
    assert {r["id"] for r in select.select(corpus=CORPUS)} == {r["id"] for r in test3}


def test_dev3_is_what_the_rule_selects_for_11_to_15_june() -> None:
    """dev3 is select_test3.py's rule on 11-15 June (``--day 2025-06-11 ... --day
    2025-06-15``): every news-section article of those days, none left out, none chosen by
    hand, threads and singletons alike, and a development part (scored by default)."""
    select = load_script("select_test3", ROOT / "eval" / "gold" / "newsweek" / "select_test3.py")
    dev3 = [r for r in read_labels() if r["split"] == "dev3"]
    assert {r["date"] for r in dev3} == set(DEV3_DAYS)
    assert all(select.in_news_section(r["url"]) for r in dev3)
    sizes = Counter(r["story_id"] for r in dev3 if r["kind"] == "news")
    assert sum(n >= 2 for n in sizes.values()) >= 5 and sum(n == 1 for n in sizes.values()) >= 30
    stories = load_script("eval_stories", ROOT / "eval" / "stories.py")
    assert "dev3" in stories.DEV_PARTS
    if not CORPUS.exists():
        pytest.skip(f"newsweek corpus not found at {CORPUS}: rebuild it with scripts/newsweek.py")
    selected = {r["id"] for r in select.select(DEV3_DAYS, corpus=CORPUS)}
    assert selected == {r["id"] for r in dev3}


def test_stories_eval_reports_every_part() -> None:
    """eval/stories.py prints a story and an event row for each part (by default dev, dev2 and
    dev3 only), and the
    ten-largest purity per part. Fed the gold itself as the grouping (no kabar grouping is
    run), every row and every purity is perfect, and a story that test2 continues from
    18-20 June is marked with both its parts."""
    stories = load_script("eval_stories", ROOT / "eval" / "stories.py")
    labels = stories.read_labels()
    assert {x.split for x in labels} == set(stories.NEWSWEEK_PARTS) == PARTS
    same = {x.id: x.id for x in labels}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):  # by default: the dev parts, no held-out figure
        stories.newsweek_scores(
            labels, same, {x.id: x.story for x in labels}, {x.id: x.event for x in labels}
        )
    assert [r.split(" | ")[0] for r in out.getvalue().splitlines()] == [
        "| newsweek dev stories",
        "| newsweek dev events",
        "| newsweek dev2 stories",
        "| newsweek dev2 events",
        "| newsweek dev3 stories",
        "| newsweek dev3 events",
    ]
    stories.PARTS = stories.NEWSWEEK_PARTS  # --part all
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        stories.newsweek_scores(
            labels, same, {x.id: x.story for x in labels}, {x.id: x.event for x in labels}
        )
    rows = out.getvalue().splitlines()
    for part in stories.NEWSWEEK_PARTS:
        for level in ("stories", "events"):
            (row,) = [r for r in rows if r.startswith(f"| newsweek {part} {level} |")]
            assert row.count("| 1.000 ") == 6, row
    news = [x for x in labels if x.kind == "news"]
    gold = {x.id: x.story for x in news}
    splits = {x.id: x.split for x in news}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        stories.largest(gold, gold, {}, count=10, splits=splits)
    table = out.getvalue()
    assert (
        "| test3 purity | test2 purity | test purity | dev purity | dev2 purity | dev3 purity |"
        in table
    )
    ranked = [r for r in table.splitlines() if re.match(r"\| \d+ \|", r)]
    assert len(ranked) == 10
    for row in ranked:
        cells = [c.strip() for c in row.split("|")[4 : 5 + len(PARTS)]]
        assert all(c in {"1.00", "-"} for c in cells), row
    parts_of: dict[str, set[str]] = defaultdict(set)
    for x in news:
        parts_of[x.story].add(x.split)
    sizes = Counter(x.story for x in news)
    top = sorted(sizes, key=lambda s: (-sizes[s], s))[:10]
    shared = [s for s in top if len(parts_of[s]) > 1]
    assert shared  # e.g. tannur-bribery: dev (verdicts) and test2 (pleas)
    for s in shared:
        mark = "+".join(p for p in stories.NEWSWEEK_PARTS if p in parts_of[s])
        assert f"{s} ({mark}) {sizes[s]}" in table
