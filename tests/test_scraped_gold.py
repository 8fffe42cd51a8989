"""The scraped-text gold (eval/gold/scraped/) is well-formed, reproducible from its labelling
script, and matches the corpus it names (when that corpus is on this machine)."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold" / "scraped"
CORPUS = Path(
    os.environ.get("KABAR_NEWSWEEK", ROOT.parent / "data" / "newsweek" / "newsweek.jsonl")
)
LABELS = {"C", "C+", "B", "H", "N", "D"}


def load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def entries() -> list[dict[str, object]]:
    return [json.loads(line) for line in (GOLD / "labels.jsonl").read_text().splitlines()]


def test_gold_is_well_formed_and_large_enough() -> None:
    gold = entries()
    ids = [e["id"] for e in gold]
    assert len(ids) == len(set(ids)) >= 300
    outlets = Counter(str(e["outlet"]) for e in gold)
    assert len(outlets) >= 5
    for outlet in outlets:
        splits = {e["split"] for e in gold if e["outlet"] == outlet}
        assert splits == {"dev", "test"}, outlet  # every outlet in both parts
    for e in gold:
        units = e["units"]
        assert [u[0] for u in units] == list(range(len(units))), e["id"]
        assert all(u[2] in LABELS for u in units), e["id"]
        assert any(u[2].startswith("C") for u in units), e["id"]  # every article has news
        for u in units:
            if len(u) > 3:
                assert u[2].startswith("C") and all(0 <= a < b for a, b in u[3]), e["id"]


@pytest.mark.skipif(not CORPUS.exists(), reason="the newsweek corpus is not on this machine")
def test_labels_rebuild_from_the_corpus_and_score() -> None:
    label = load("scraped_label", GOLD / "label.py")
    scorer = load("clean_scraped", ROOT / "eval" / "clean_scraped.py")
    by_id = {e["id"]: e for e in entries()}
    for record in label.sample(CORPUS):
        entry = by_id[record["id"]]
        us = label.units(str(record["text"]))
        assert [label.digest(u) for u in us] == [u[1] for u in entry["units"]]
        paragraphs, _neutral = scorer.gold_parts(entry, us)
        # the gold news read back as text keeps no glued "Baca Juga" cue
        assert not any("Baca Juga:" in p or "BACA JUGA -" in p for p in paragraphs), entry["id"]


def test_scorer_counts_a_cut_dateline_as_kept_and_a_related_title_as_boilerplate() -> None:
    scorer = load("clean_scraped", ROOT / "eval" / "clean_scraped.py")
    news = [
        "Liputan6.com, Jakarta - Banjir rob merendam tiga kelurahan di Bangkalan sejak Selasa.",
        "Warga khawatir akan dampak kesehatan bagi anak-anak yang bermain di genangan.",
    ]
    output = [
        "Banjir rob merendam tiga kelurahan di Bangkalan sejak Selasa.",
        "Warga khawatir akan dampak kesehatan bagi anak-anak yang bermain di genangan.",
        "Dukun Pengganda Uang Bunuh 11 Korban di Banjarnegara.",
    ]
    found, correct, kept, missed = scorer.score_body(output, news, [])
    assert (found, missed) == (2, 0)
    assert (correct, kept) == (2, 1)


def test_indonesian_page_gold_keeps_no_text() -> None:
    pages = sorted((ROOT / "eval" / "gold" / "clean" / "pages").glob("id_*.json"))
    assert len(pages) >= 5
    for path in pages:
        gold = json.loads(path.read_text())
        assert "body" not in gold and "title" not in gold, path.name  # no licence: hashes only
        assert gold["split"] in {"dev", "test"} and gold["source"]["commit"]
        for label, hashes in gold["body_sha"]:
            assert label in {"C", "H"} and all(len(h) == 12 for h in hashes), path.name
