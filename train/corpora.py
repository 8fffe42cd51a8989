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
    """Sentences of a CoNLL-style file (token first, IOB tag last, blank line between),
    their tags mapped to PER/ORG/LOC."""
    return [(words, [map_tag(t) for t in tags]) for words, tags in read_conll_raw(path)]


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
    if split == "nerp":
        return drop_overlap(nerp_cased(), [*load("idner-test"), *load("nergrit-heldout")])
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


# Place-kind words NERGrit keeps inside a place's span ("Kota Bandung", "Provinsi Bali":
# 569 of 609 times in NERGrit train) where NER UI and MDEE mostly leave them out ("Kota" 29
# of 36 times in NER UI).
PLACE_KINDS = frozenset(
    """
    desa kecamatan kabupaten provinsi kota dusun kelurahan pulau gunung sungai danau selat
    teluk distrik karesidenan kampung pegunungan bukit
    """.split()
)


def kind_inside(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences with a capitalised place-kind word just before a place moved into its span
    (NERGrit's convention): ``Kota/O Bandung/B-LOC`` → ``Kota/B-LOC Bandung/I-LOC``."""
    out: list[Sentence] = []
    for words, tags in sentences:
        tags = list(tags)
        for i in range(1, len(words)):
            before = words[i - 1]
            if (
                tags[i] == "B-LOC"
                and tags[i - 1] == "O"
                and before[:1].isupper()
                and before.lower() in PLACE_KINDS
            ):
                tags[i - 1], tags[i] = "B-LOC", "I-LOC"
        out.append((words, tags))
    return out


NERP_DROP = ("IND", "EVT", "FNB")  # products, works, teams, events, food: no PER/ORG/LOC map
NERP_PARTICLES = frozenset("de van von der den bin binti al el la le da di dan".split())


def nerp_cased() -> list[Sentence]:
    """IndoNLU's NERP (PROSA news, lower case throughout), its case restored, PER and LOC.

    Why: 6,700 more labelled news sentences, but lower-cased, and the tagger's strongest cue is
    case. Each word takes the form cased text writes it in most often away from a sentence
    start (``train/clusters.py``'s cased text: "jakarta" → "Jakarta", "kpk" → "KPK", "kota"
    stays); a word of a name the text never shows is capitalised; the first word is. Its IND
    class mixes companies with products, films and national teams, so sentences with IND
    (or EVENT, FOOD) spans are left out rather than mapped: none of their organisations is
    labelled, and an unlabelled organisation would teach the tagger it is no entity.
    """
    from collections import Counter

    from train.clusters import sentences as cased_text

    forms: dict[str, Counter[str]] = {}
    for words in cased_text(cased_only=True):
        for word in words[1:]:
            forms.setdefault(word.lower(), Counter())[word] += 1
    best = {low: counts.most_common(1)[0][0] for low, counts in forms.items()}
    out: list[Sentence] = []
    for name in ("train", "valid"):
        path = EXTRA / "unlabelled" / f"nerp_ner-prosa-{name}.txt"
        if not path.exists():
            continue
        for words, raw in read_conll_raw(path):
            if any(t.partition("-")[2] in NERP_DROP for t in raw):
                continue
            tags = [map_tag(t) for t in raw]
            cased = []
            for i, (word, tag) in enumerate(zip(words, tags, strict=True)):
                form = best.get(word, word)
                if tag != "O" and form == word and word not in NERP_PARTICLES:
                    form = word[:1].upper() + word[1:]
                if i == 0:
                    form = form[:1].upper() + form[1:]
                cased.append(form)
            # Organisations are not labelled (no ORG class): keep only sentences where every
            # capitalised word after the first is inside a labelled name.
            if any(
                w[:1].isupper() and t == "O" for w, t in zip(cased[1:], tags[1:], strict=True)
            ) or any("<" in w for w in cased):
                continue
            out.append((cased, tags))
    return out


def read_conll_raw(path: Path) -> list[Sentence]:
    """Sentences of a CoNLL-style file with their tags as written."""
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
        tags.append(cols[-1] if len(cols) > 1 else "O")
    return sentences


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
