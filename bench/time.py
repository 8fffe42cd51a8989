"""Sentences per second of the temporal tagger on one core (target: >= 5,000/s).

Run from the repo root: ``.venv/bin/python bench/time.py``. Input: real sentences — the
Indonesian NER corpora and Timeline17 English articles of ``../shared/data`` when present,
else the seed sentences — each tagged with ``find_times`` against an anchor, the way
``kabar.meta.date_sentences`` calls it. One process, so one core.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.meta.time import find_times  # noqa: E402
from kabar.text import split_sentences  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
LIMIT = 20_000


def indonesian() -> list[str]:
    out: list[str] = []
    for path in sorted((DATA / "ner").glob("*/*.txt")):
        tokens: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                tokens.append(line.split()[0])
            elif tokens:
                out.append(" ".join(tokens))
                tokens = []
        if len(out) >= LIMIT:
            break
    return out[:LIMIT]


def english() -> list[str]:
    out: list[str] = []
    for path in sorted((DATA / "t17-dev").glob("*/articles.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            out.extend(s.strip() for s in json.loads(line)["text"].split(" \n") if s.strip())
            if len(out) >= LIMIT:
                return out[:LIMIT]
    return out


def seeds() -> list[str]:
    out: list[str] = []
    for path in sorted((ROOT / "examples" / "seeds").glob("0*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            out.extend(split_sentences(line))
    return out


def measure(sentences: list[str], repeat: int = 3) -> tuple[float, int]:
    anchor = date(2014, 8, 25)
    best = float("inf")
    found = 0
    for _ in range(repeat):
        start = time.perf_counter()
        found = sum(len(find_times(s, anchor)) for s in sentences)
        best = min(best, time.perf_counter() - start)
    return len(sentences) / best, found


def main() -> None:
    sets = {"seeds (id)": seeds() * 20}
    if DATA.exists():
        sets["idner+nergrit (id)"] = indonesian()
        sets["t17-dev (en)"] = english()
    else:
        print(f"note: {DATA} absent, seeds only")
    print(f"{'corpus':<22}{'sentences':>10}{'chars/sent':>12}{'expr found':>12}{'sent/s':>10}")
    for name, sentences in sets.items():
        rate, found = measure(sentences)
        chars = sum(map(len, sentences)) / len(sentences)
        print(f"{name:<22}{len(sentences):>10}{chars:>12.0f}{found:>12}{rate:>10,.0f}")


if __name__ == "__main__":
    main()
