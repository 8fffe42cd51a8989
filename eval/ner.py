"""Entity-level precision/recall/F1 of the shipped NER model on idner-news-2k.

    .venv/bin/python eval/ner.py            # test split (the figure we report)
    .venv/bin/python eval/ner.py --split dev

Scoring follows seqeval's default (CoNLL) conventions: an entity counts when its type and
exact token span match. Data: idner-news-2k (khairunnisaor/idner-news-2k, MIT), read from
``../shared/data/ner/``. The model never saw the test split; its c1 was chosen on dev, then
the shipped model was trained on train + dev (see ``train/ner.py``, which prints the held-out
dev figures), so ``--split dev`` scores data the shipped model was trained on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.entities.model import MODEL_PATH, CrfTagger, score  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ner" / "idner-news-2k"


def read(path: Path) -> list[tuple[list[str], list[str]]]:
    sentences, words, tags = [], [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        cols = line.split()
        if cols:
            words.append(cols[0])
            tags.append(cols[-1])
        elif words:
            sentences.append((words, tags))
            words, tags = [], []
    return sentences


def main() -> None:
    parser = argparse.ArgumentParser(description="NER entity-level scores on idner-news-2k")
    parser.add_argument("--split", default="test", choices=["dev", "test"])
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    path = DATA / f"{args.split}.txt"
    if not path.exists():
        sys.exit(f"{path} not found: the shared NER data is needed (see ../shared/data/README.md)")
    sentences = read(path)
    tagger = CrfTagger(args.model)
    predicted = [tagger.tag(words) for words, _tags in sentences]
    result = score([tags for _w, tags in sentences], predicted)
    tokens = sum(len(w) for w, _t in sentences)
    print(
        f"idner-news-2k {args.split}: {len(sentences)} sentences, {tokens} tokens, model {args.model.name}"
    )
    print(f"{'type':<6} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>5} {'pred':>5}")
    for label in ["PER", "ORG", "LOC", "micro"]:
        s = result.get(label)
        if s is None:
            continue
        print(
            f"{label:<6} {s.precision:>9.4f} {s.recall:>7.4f} {s.f1:>6.4f} {s.gold:>5} {s.predicted:>5}"
        )


if __name__ == "__main__":
    main()
