"""The labelled Indonesian NER corpora kabar trains and evaluates on, and their splits.

One place decides which sentence is training, dev or test, so ``train/ner.py`` and
``eval/ner.py`` can never disagree. Tags are mapped to PER / ORG / LOC (anything else to O).

Held-out tests (never trained or tuned on):
- ``idner-test``: idner-news-2k test (news, the corpus's own split).
- ``nergrit-heldout``: NERGrit *valid* (209 sentences, 662 entities), the whole file. The
  official NERGrit test is reserved and never read; NERGrit valid is the same kind of text
  drawn by the same annotators, so it stands in for it. The shipped model used to train on
  it; since this split it never does.
Dev (for choosing regularisation and corpus weights): idner dev, and ``nergrit-dev``, the
last contiguous block of 10 % of NERGrit train (NERGrit has no document ids; a block at the
end keeps neighbouring sentences of one source together).

Extra corpora (see ``train/DATA.md`` for provenance and licences) are read from
``EXTRA`` (default ``../ner-extra``, made by ``train/get_data.sh``); any of their sentences
that also occurs in a test split or in idner is dropped (NER UGM is idner's source).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "ner"
EXTRA = Path(os.environ.get("KABAR_NER_EXTRA", str(ROOT.parent / "ner-extra")))
Sentence = tuple[list[str], list[str]]

TAG_MAP = {
    "PER": "PER", "PERSON": "PER", "Person": "PER", "PPL": "PER",
    "ORG": "ORG", "ORGANISATION": "ORG", "ORGANIZATION": "ORG", "Organisation": "ORG",
    "LOC": "LOC", "LOCATION": "LOC", "PLACE": "LOC", "Place": "LOC", "PLC": "LOC",
}  # fmt: skip
NERGRIT_DEV_SHARE = 0.1


def read_conll(path: Path) -> list[Sentence]:
    """Sentences of a CoNLL-style file (token first, IOB tag last, blank line between)."""
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        cols = line.split()
        if not cols:
            if words:
                sentences.append((words, tags))
            words, tags = [], []
            continue
        words.append(cols[0])
        tags.append(map_tag(cols[-1]) if len(cols) > 1 else "O")
    return sentences


def map_tag(tag: str) -> str:
    """An IOB tag of any corpus as B-/I- PER, ORG or LOC, or O."""
    prefix, _, kind = tag.partition("-")
    mapped = TAG_MAP.get(kind)
    return f"{prefix}-{mapped}" if mapped and prefix in ("B", "I") else "O"


def read_io(path: Path) -> list[Sentence]:
    """The MDEE gold standard: IO tags (Person/Place/Organisation), paragraphs, no
    sentence breaks. Split after each full stop; a run of one IO type is one entity."""
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    previous = "O"
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        cols = line.split("\t")
        word = cols[0].strip()
        if word:
            kind = TAG_MAP.get(cols[-1].strip(), "") if len(cols) > 1 else ""
            tag = "O" if not kind else ("I-" if previous == kind else "B-") + kind
            words.append(word)
            tags.append(tag)
            previous = kind or "O"
        if (not word or word == ".") and words:
            sentences.append((words, tags))
            words, tags, previous = [], [], "O"
    return sentences


def nergrit_train_and_dev() -> tuple[list[Sentence], list[Sentence]]:
    sentences = read_conll(DATA / "nergrit" / "train_preprocess.txt")
    cut = round(len(sentences) * (1 - NERGRIT_DEV_SHARE))
    return sentences[:cut], sentences[cut:]


def load(split: str) -> list[Sentence]:
    """Sentences of a named split (see the module docstring)."""
    if split == "nergrit-heldout":
        return read_conll(DATA / "nergrit" / "valid_preprocess.txt")
    if split in ("nergrit-train", "nergrit-dev"):
        train, dev = nergrit_train_and_dev()
        return train if split == "nergrit-train" else dev
    if split.startswith("idner-"):
        return read_conll(DATA / "idner-news-2k" / f"{split.removeprefix('idner-')}.txt")
    if split in EXTRA_FILES:
        path = EXTRA / EXTRA_FILES[split]
        if not path.exists():
            return []
        sentences = read_io(path) if split == "mdee-gold" else read_conll(path)
        # The tests, and idner's other splits: NER UGM holds idner's source sentences with
        # older labels (a duplicate with other labels only teaches disagreement).
        idner = [*load("idner-train"), *load("idner-dev"), *load("idner-test")]
        return drop_overlap(sentences, [*idner, *load("nergrit-heldout")])
    raise ValueError(f"unknown split {split!r}")


EXTRA_FILES = {"nerui": "nerui.txt", "nerugm": "nerugm.txt", "mdee-gold": "mdee-gold.txt"}
TESTS = ("nergrit-heldout", "idner-test")


def _norm(words: Iterable[str]) -> str:
    return re.sub(r"\W+", "", "".join(words).lower())


def drop_overlap(sentences: list[Sentence], held_out: list[Sentence]) -> list[Sentence]:
    """Sentences that share no 8-token window with a held-out sentence (nor equal one)."""
    seen: set[str] = set()
    for words, _tags in held_out:
        seen.add(_norm(words))
        for i in range(max(1, len(words) - 7)):
            seen.add(_norm(words[i : i + 8]))
    kept = []
    for words, tags in sentences:
        windows = {_norm(words[i : i + 8]) for i in range(max(1, len(words) - 7))}
        if _norm(words) not in seen and not windows & seen:
            kept.append((words, tags))
    return kept
