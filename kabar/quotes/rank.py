"""A learned second opinion on the cue rules' speaker: a logistic regression over candidates.

The cue rules of :mod:`kabar.quotes` name one speaker per quote. They were written on the
dev articles and carry over less well to articles they were not written on (a role noun, a
``-nya`` cue or a pronoun pointing at the wrong person). This module scores every person,
organisation and place named near a quote (and the previous speaker) by features of where
and how it is written, the rule's pick among them, and picks another candidate only when
the model prefers it by a margin over the rule's. The weights are learnt on the dev gold by
``train/quotes_ranker.py`` (scikit-learn, cross-validated by document) and stored here as
JSON: scoring is a dot product, with no model library at run time.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from kabar.model import Mention

MODEL = Path(__file__).with_name("ranker.json")

FEATURES = (
    "rule",
    "rule_named",
    "rule_back",
    "rule_role",
    "rule_described",
    "per",
    "org",
    "loc",
    "titular",
    "before",
    "after",
    "inside",
    "distance",
    "same_paragraph",
    "previous_paragraph",
    "last_speaker",
    "count",
    "subject",
    "quoted",
    "possessive",
    "first_person",
    "role_match",
    "named_by_rule_text",
    "nearest_person_before",
    "nearest_person_after",
    "direct_after",
    "reported_before",
    "back_last_speaker",
    "back_nearest_person_before",
    "role_rule_person",
)
"""The features of a candidate (names of :class:`Candidate.features` keys; see
``kabar.quotes._Finder.candidates``)."""


@dataclass
class Candidate:
    """A possible speaker of one quote: a mention (the one nearest the quote), or the
    rule's own name when the rule named someone the tagger did not mark."""

    mention: Mention | None
    name: str | None
    features: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Ranker:
    weights: tuple[float, ...]
    bias: float
    margin: float
    """How much more probable than the rule's pick another candidate must be."""

    def probability(self, candidate: Candidate) -> float:
        z = self.bias + sum(
            w * candidate.features.get(name, 0.0)
            for w, name in zip(self.weights, FEATURES, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def choose(self, candidates: list[Candidate]) -> Candidate | None:
        """The candidate to use instead of the rule's (``candidates[0]``), or None."""
        if len(candidates) < 2:
            return None
        scores = [self.probability(c) for c in candidates]
        best = max(range(len(candidates)), key=scores.__getitem__)
        if best != 0 and scores[best] - scores[0] > self.margin:
            return candidates[best]
        return None


@functools.cache
def default_ranker() -> Ranker | None:
    """The shipped model (None when absent, or trained on other features: the rules alone)."""
    if not MODEL.exists():
        return None
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        return None
    return Ranker(tuple(data["weights"]), data["bias"], data["margin"])
