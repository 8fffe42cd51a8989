"""The newsweek gold (eval/gold/newsweek/labels.csv) is well-formed and consistent, and it
matches the corpus that scripts/newsweek.py rebuilds (when that corpus is on this machine)."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
from collections import defaultdict
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


def read_labels() -> list[dict[str, str]]:
    with LABELS.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def rebuild_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("newsweek", ROOT / "scripts" / "newsweek.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rows_are_well_formed() -> None:
    rows = read_labels()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "an article is labelled twice"
    for r in rows:
        assert re.fullmatch(r"nw-[0-9a-f]{12}", r["id"]), r
        assert r["url"].startswith("https://"), r
        assert r["kind"] in KINDS, r
        assert r["split"] in {"dev", "test"}, r
        assert r["story_id"] and r["event_id"].startswith(r["story_id"] + "/"), r
        date.fromisoformat(r["date"])


def test_ids_are_those_the_rebuild_gives() -> None:
    """The id is derived from the URL, so the labels survive a rebuild of the corpus."""
    newsweek = rebuild_script()
    for r in read_labels():
        assert newsweek.article_id(r["url"]) == r["id"], r
        assert newsweek.outlet_of(r["url"]) == r["outlet"], r


def test_every_event_in_one_story_and_every_story_in_one_split() -> None:
    story_of_event: dict[str, set[str]] = defaultdict(set)
    split_of_story: dict[str, set[str]] = defaultdict(set)
    for r in read_labels():
        story_of_event[r["event_id"]].add(r["story_id"])
        split_of_story[r["story_id"]].add(r["split"])
    assert all(len(s) == 1 for s in story_of_event.values())
    assert all(len(s) == 1 for s in split_of_story.values()), "a story crosses dev and test"


def test_size_outlets_and_balance() -> None:
    rows = read_labels()
    news = [r for r in rows if r["kind"] == "news"]
    assert len(rows) >= 800
    assert len({r["outlet"] for r in news}) >= 4
    test_share = sum(r["split"] == "test" for r in news) / len(news)
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
