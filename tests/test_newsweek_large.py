"""The dev-large part of the newsweek gold (sampled members of the largest stories, by
story): well formed, and never a held-out article (PROTOCOL.md, "dev-large")."""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold" / "newsweek"
CORPUS = Path(
    os.environ.get("KABAR_NEWSWEEK", ROOT.parent / "data" / "newsweek" / "newsweek.jsonl")
)
COLUMNS = ["id", "url", "outlet", "date", "story_id", "kind", "rank", "size"]
HELD_OUT_DAYS = {"2025-06-10", "2025-06-16", "2025-06-17"}


def _rows(name: str) -> list[dict[str, str]]:
    with (GOLD / name).open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        assert name != "large.csv" or reader.fieldnames == COLUMNS
        return rows


def test_dev_large_holds_no_held_out_article() -> None:
    rows = _rows("large.csv")
    # dev2 (9 June) was labelled beside it, on another branch: a dev part may overlap
    held_out = {r["id"] for r in _rows("labels.csv") if not r["split"].startswith("dev")}
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) and len(ids) >= 150
    assert not held_out & set(ids), "a dev-large article is labelled in a held-out part"
    assert not [r for r in rows if r["date"] in HELD_OUT_DAYS]
    assert {r["kind"] for r in rows} <= {"news", "service", "roundup", "opinion"}
    for r in rows:  # singletons are named after their article, as in labels.csv
        assert not r["story_id"].startswith("s-") or r["story_id"] == "s-" + r["id"][3:]
    # at most 15 a story of the run, and several stories with many members
    per_rank = Counter(r["rank"] for r in rows)
    assert max(per_rank.values()) <= 15 and len(per_rank) >= 10


@pytest.mark.skipif(not CORPUS.exists(), reason="newsweek corpus not rebuilt")
def test_dev_large_rows_match_the_corpus() -> None:
    with CORPUS.open(encoding="utf-8") as f:
        records = {r["id"]: r for r in map(json.loads, f)}
    for r in _rows("large.csv"):
        record = records[r["id"]]
        assert record["url"] == r["url"]
        assert (record.get("published") or "")[:10] == r["date"]
