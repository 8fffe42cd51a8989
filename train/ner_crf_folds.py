"""Cross-fitted CRF marginals for stacking (issue 19): each training sentence's marginals
come from a CRF that never saw it, so a second model learns how far to trust them.

    nice -n 19 .venv/bin/python train/ner_crf_folds.py   # -> $KABAR_NER_FOLDS (an .npz)

Two folds: contiguous halves of each corpus of ``train/ner.py``'s tuning set (a half keeps
NERGrit's neighbouring sentences of one article together), each CRF trained on the other
half with the same weights and settings (c1 0.05, c2 0.3, 200 iterations). Dev marginals
come from a CRF trained on the whole tuning set, as run-time marginals would come from
the shipped one.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.entities.features import sentence_features  # noqa: E402
from train.corpora import Sentence, load  # noqa: E402
from train.ner import EXTRA, IDNER_WEIGHT, NERGRIT_WEIGHT, train  # noqa: E402

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
FOLDS = Path(os.environ.get("KABAR_NER_FOLDS", "/tmp/kabar-ner-folds.npz"))


def key(words: list[str]) -> str:
    return "\x1f".join(words)


def marginals(model: Path, sentences: list[Sentence]) -> dict[str, np.ndarray]:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    labels = set(tagger.labels())
    out = {}
    for words, _tags in sentences:
        tagger.set(sentence_features(words))
        m = np.zeros((len(words), len(TAGS)), np.float32)
        for j, tag in enumerate(TAGS):
            if tag in labels:
                m[:, j] = [tagger.marginal(tag, t) for t in range(len(words))]
        out[key(words)] = m
    return out


def main() -> None:
    corpora = {
        "idner-train": IDNER_WEIGHT,
        "nergrit-train": NERGRIT_WEIGHT,
        **{name: 1 for name in EXTRA},
    }
    halves: list[list[Sentence]] = [[], []]
    weighted: list[list[Sentence]] = [[], []]
    for name, weight in corpora.items():
        sentences = load(name)
        cut = len(sentences) // 2
        for h, part in enumerate((sentences[:cut], sentences[cut:])):
            halves[h] += part
            weighted[h] += part * weight
    table: dict[str, np.ndarray] = {}
    tmp = FOLDS.with_suffix(".crfsuite")
    for h in (0, 1):
        started = time.perf_counter()
        train(weighted[1 - h], tmp, 0.05, 0.3, 200)
        table |= marginals(tmp, halves[h])
        print(
            f"fold {h}: {len(halves[h])} sentences ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    started = time.perf_counter()
    full = FOLDS.with_suffix(".tuning.crfsuite")
    train(weighted[0] + weighted[1], full, 0.05, 0.3, 200)
    table |= marginals(full, load("idner-dev") + load("nergrit-dev"))
    print(f"tuning CRF and dev marginals ({time.perf_counter() - started:.0f} s)")
    keys = list(table)
    np.savez_compressed(
        FOLDS,
        keys=np.array(keys),
        lengths=np.array([len(table[k]) for k in keys]),
        values=np.concatenate([table[k] for k in keys]),
    )


if __name__ == "__main__":
    main()
