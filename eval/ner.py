"""Entity-level precision/recall/F1 of the shipped NER model: held-out tests first, dev apart.

    .venv/bin/python eval/ner.py              # tests (the figures we report), then dev
    .venv/bin/python eval/ner.py --split dev  # dev only: no test split is read (tune with it)
    .venv/bin/python eval/ner.py --model m.crfsuite

Strict scoring, seqeval's default (CoNLL) conventions: an entity counts when its type and
exact token span match. Splits are defined once in ``train/corpora.py``:
- NERGrit held-out test: NERGrit valid, never trained or tuned on (the official NERGrit test
  is reserved and never read). Wikipedia-style text annotated by other people than idner's.
- idner-news-2k test: Indonesian news (khairunnisaor/idner-news-2k, MIT).
- dev (printed apart, under a rule): idner dev and the NERGrit dev block. The regularisation
  and corpus weights were chosen on them, and the shipped model was then trained on them
  too (see ``train/ner.py``), so they are not held-out figures.
Tokens/s is the tagger alone (features included) on the NERGrit test sentences; the speed
figure of record is ``bench/ner.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.entities.model import MODEL_PATH, CrfTagger, score  # noqa: E402
from train.corpora import DATA, Sentence, load  # noqa: E402

SPLITS = [
    ("nergrit-heldout", "NERGrit held-out test (NERGrit valid)"),
    ("idner-test", "idner-news-2k test"),
]
DEV_SPLITS = [("idner-dev", "idner-news-2k dev"), ("nergrit-dev", "NERGrit dev block")]


def report(tagger: CrfTagger, sentences: list[Sentence], title: str) -> float:
    """Print one split's table; returns its tokens per second."""
    started = time.perf_counter()
    predicted = tagger.tag_batch([words for words, _tags in sentences])
    seconds = time.perf_counter() - started
    result = score([tags for _w, tags in sentences], predicted)
    tokens = sum(len(w) for w, _t in sentences)
    print(f"{title}: {len(sentences)} sentences, {tokens} tokens, {tokens / seconds:,.0f} tokens/s")
    print(f"  {'type':<6} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>5} {'pred':>5}")
    for label in ["PER", "ORG", "LOC", "micro"]:
        s = result.get(label)
        if s is not None:
            print(
                f"  {label:<6} {s.precision:>9.4f} {s.recall:>7.4f} {s.f1:>6.4f}"
                f" {s.gold:>5} {s.predicted:>5}"
            )
    return tokens / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description="NER entity-level scores, tests then dev")
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    which = parser.add_mutually_exclusive_group()  # "--split dev --no-dev" is an error
    which.add_argument(
        "--split",
        choices=("all", "test", "dev"),
        default="all",
        help="all: the held-out tests, then dev (default); test: the tests alone; dev: dev"
        " alone, no test split loaded or tagged (for tuning without reading test)",
    )
    which.add_argument(
        "--no-dev",
        dest="split",
        action="store_const",
        const="test",
        default="all",
        help="the same as --split test",
    )
    args = parser.parse_args()
    tests = args.split in ("all", "test")
    dev = args.split in ("all", "dev")
    if not DATA.is_dir():
        sys.exit(f"{DATA} not found: the shared NER data is needed (see ../shared/data/README.md)")
    tagger = CrfTagger(args.model)
    for words, _tags in load("idner-dev")[:50]:
        tagger.tag(words)  # load the gazetteer and lexicons before anything is timed
    print(f"model {args.model.name}")
    if tests:
        print("== held-out tests ==")
        for split, title in SPLITS:
            report(tagger, load(split), title)
    if dev:
        print("== dev (tuned on, then trained on: not held out) ==")
        for split, title in DEV_SPLITS:
            report(tagger, load(split), title)


if __name__ == "__main__":
    main()
