"""How far each NER corpus agrees with itself and with the others on the constructions the
tagger's NERGrit-style errors are made of: the ceiling evidence of issue 19.

    .venv/bin/python eval/ner_consistency.py

Reads training and dev splits only (never a test: not NERGrit valid, not idner test).
Two constructions, per corpus:
- names headed by an institution word (SMA, Universitas, Sekolah, Rumah Sakit ...): which
  type they get; the share of the minority type is annotation noise no tagger can learn.
- a place-kind word just before a place ("Kota Bandung", "Desa X"): inside the span or not.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.entities.model import bio_spans  # noqa: E402
from train.corpora import DATA, PLACE_KINDS, load  # noqa: E402

INSTITUTION_HEADS = frozenset(
    "sma smp smk sd sdn smpn sman universitas sekolah institut politeknik pondok museum "
    "rumah rs masjid stadion".split()
)
SPLITS = ("nergrit-train", "nergrit-dev", "idner-train", "idner-dev", "nerui", "mdee-gold")


def institution_types(split: str) -> tuple[Counter[str], int, int]:
    """Types of institution-headed spans per head word; (table, spans, minority spans)."""
    by_head: dict[str, Counter[str]] = {}
    for words, tags in load(split):
        for span in bio_spans(tags):
            head = words[span.start].lower()
            if head in INSTITUTION_HEADS:
                by_head.setdefault(head, Counter())[span.label] += 1
    total = sum(sum(c.values()) for c in by_head.values())
    minority = sum(sum(c.values()) - max(c.values()) for c in by_head.values())
    table: Counter[str] = Counter()
    for head in ("sma", "universitas", "sekolah"):
        for label, n in by_head.get(head, Counter()).items():
            table[f"{head}:{label}"] = n
    return table, total, minority


def kind_inside(split: str) -> tuple[int, int]:
    """Places with a place-kind word inside their span, and places just after one."""
    inside = outside = 0
    for words, tags in load(split):
        for span in bio_spans(tags):
            if span.label != "LOC":
                continue
            if words[span.start].lower() in PLACE_KINDS and span.end - span.start > 1:
                inside += 1
            elif span.start > 0 and words[span.start - 1].lower() in PLACE_KINDS:
                outside += 1
    return inside, outside


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"{DATA} not found: the shared NER data is needed (see ../shared/data/README.md)")
    print(
        f"{'split':<14} {'inst.spans':>10} {'minority':>8}  {'kind in':>7} {'kind out':>8}  types"
    )
    for split in SPLITS:
        if not load(split):
            print(f"{split:<14} (absent: see train/DATA.md)")
            continue
        table, total, minority = institution_types(split)
        inside, outside = kind_inside(split)
        share = minority / total if total else 0.0
        types = " ".join(f"{k}={v}" for k, v in sorted(table.items()))
        print(f"{split:<14} {total:>10} {share:>8.0%}  {inside:>7} {outside:>8}  {types}")


if __name__ == "__main__":
    main()
