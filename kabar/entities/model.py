"""The shipped sequence tagger: a linear-chain CRF (python-crfsuite) over :mod:`.features`.

A CRF is the smallest model that reaches the accuracy we need on Indonesian news (see
``eval/ner.py``) while tagging tens of thousands of tokens a second on one core, with a
model file of a few MB; ``train/ner.py`` rebuilds ``models/ner-id.crfsuite`` from the public
corpora. The entity-level scorer (seqeval's default, CoNLL conventions) lives here too, so
training, evaluation and tests count entities the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kabar.entities.features import Featurizer

MODEL_PATH = Path(__file__).resolve().parent / "models" / "ner-id.crfsuite"


@dataclass(frozen=True)
class Span:
    """Entity chunk over token positions ``[start, end)``."""

    label: str
    start: int
    end: int


def bio_spans(tags: Sequence[str]) -> list[Span]:
    """Chunks of an IOB/BIO tag sequence, CoNLL/seqeval conventions.

    An ``I-X`` after ``O`` or after another type starts a new chunk (conlleval's and
    seqeval's default, non-strict mode), so the score matches the published figures.
    """
    spans: list[Span] = []
    label: str | None = None
    start = 0
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if label is not None and (prefix in ("O", "B") or kind != label):
            spans.append(Span(label, start, i))
            label = None
        if prefix in ("B", "I") and label is None:
            label, start = kind, i
    return spans


@dataclass
class Scores:
    """Entity-level counts and their precision, recall, F1."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Iterable[Sequence[str]], predicted: Iterable[Sequence[str]]) -> dict[str, Scores]:
    """Exact-match entity scores per type and ``"micro"`` over all types."""
    result: dict[str, Scores] = {"micro": Scores()}
    for g_tags, p_tags in zip(gold, predicted, strict=True):
        g = set(bio_spans(g_tags))
        p = set(bio_spans(p_tags))
        for span in g:
            result.setdefault(span.label, Scores()).gold += 1
            result["micro"].gold += 1
        for span in p:
            result.setdefault(span.label, Scores()).predicted += 1
            result["micro"].predicted += 1
        for span in g & p:
            result[span.label].tp += 1
            result["micro"].tp += 1
    return result


class CrfTagger:
    """Tags tokenised sentences with PER/ORG/LOC BIO tags.

    model_path: a python-crfsuite model trained on
        :func:`~kabar.entities.features.sentence_features` (the default is the model
        shipped in the package).
    """

    def __init__(self, model_path: Path | str = MODEL_PATH) -> None:
        from kabar.entities.viterbi import Viterbi, read_model  # numpy: only when tagging

        self.model_path = Path(model_path)
        weights = read_model(self.model_path)
        # The featurizer leaves out the attributes the model lacks (CRFsuite would skip
        # them anyway, so the tags do not change).
        self.featurizer = Featurizer(known=weights.attributes)
        self.viterbi = Viterbi(weights, self.featurizer)
        self._crfsuite: Any = None

    def tag(self, words: Sequence[str]) -> list[str]:
        """BIO tags, one per word."""
        return self.tag_batch([words])[0] if words else []

    def tag_batch(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags of each sentence: the same as :meth:`tag` one by one, in one pass."""
        return self.viterbi.tag(sentences)

    def tag_marginals(self, words: Sequence[str]) -> tuple[list[str], list[float]]:
        """Tags and the model's marginal probability of each chosen tag (its confidence)."""
        tagger = self.crfsuite()
        tags = list(tagger.tag(self.featurizer(words))) if words else []
        return tags, [tagger.marginal(t, i) for i, t in enumerate(tags)]

    def crfsuite(self) -> Any:
        """The model in python-crfsuite (marginals; the reference the tests compare with)."""
        if self._crfsuite is None:
            import pycrfsuite

            self._crfsuite = pycrfsuite.Tagger()
            self._crfsuite.open(str(self.model_path))
        return self._crfsuite


@lru_cache(maxsize=1)
def default_tagger() -> CrfTagger:
    """The shipped model, loaded once per process."""
    return CrfTagger()
