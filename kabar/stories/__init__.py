"""Stories: articles grouped into threads by shared content and shared entities.

A single pass in publication order (the order articles arrive in): each article joins the
story whose centroid it resembles most, if the resemblance clears a threshold, or starts a
new one. Resemblance mixes TF-IDF cosine over content words with the cosine of canonical
entity counts, because the same story told years apart shares its actors more than its words.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer

from kabar.model import Article
from kabar.text import STOPWORDS


@dataclass
class _Cluster:
    members: list[Article] = field(default_factory=list)
    terms: Counter[int] = field(default_factory=Counter)
    weights: dict[int, float] = field(default_factory=dict)
    entities: Counter[str] = field(default_factory=Counter)


class StoryGrouper:
    """Groups articles into stories (scikit-learn style: parameters here, work in ``group``).

    Parameters
    ----------
    threshold: minimum combined similarity for an article to join a story.
    entity_weight: share of the entity similarity in the combination (the rest is TF-IDF).
    """

    def __init__(self, threshold: float = 0.3, entity_weight: float = 0.5) -> None:
        self.threshold = threshold
        self.entity_weight = entity_weight

    def group(self, articles: Sequence[Article]) -> list[list[Article]]:
        """Stories as lists of articles, the story with the earliest article first."""
        originals = [a for a in articles if a.duplicate_of is None]
        if not originals:
            return []
        ordered = sorted(originals, key=lambda a: (a.published or "9999", a.id))
        vectorizer = TfidfVectorizer(
            lowercase=True,
            stop_words=sorted(STOPWORDS),
            sublinear_tf=True,
            min_df=1,
            token_pattern=r"(?u)\b[^\W\d_]{3,}\b",
        )
        matrix = vectorizer.fit_transform([f"{a.title}\n{a.body}" for a in ordered])
        clusters: list[_Cluster] = []
        for row, article in enumerate(ordered):
            vector = matrix.getrow(row)
            doc = dict(zip(vector.indices.tolist(), vector.data.tolist(), strict=True))
            entities = Counter(m.canonical for m in article.mentions)
            best, best_score = None, 0.0
            for cluster in clusters:
                score = (1 - self.entity_weight) * _cosine(
                    doc, cluster.weights
                ) + self.entity_weight * _cosine(entities, cluster.entities)
                if score > best_score:
                    best, best_score = cluster, score
            if best is None or best_score < self.threshold:
                best = _Cluster()
                clusters.append(best)
            best.members.append(article)
            for term, weight in doc.items():
                best.weights[term] = best.weights.get(term, 0.0) + weight
            best.entities.update(entities)
        groups = [c.members for c in clusters]
        by_canonical = {a.id: a for a in articles}
        for duplicate in (a for a in articles if a.duplicate_of is not None):
            for members in groups:
                if (
                    any(m.id == duplicate.duplicate_of for m in members)
                    and duplicate.id in by_canonical
                ):
                    members.append(duplicate)
        return groups


def _cosine(a: Mapping[Any, float], b: Mapping[Any, float]) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(float(v) * float(large.get(k, 0.0)) for k, v in small.items())
    norm = math.sqrt(sum(float(v) ** 2 for v in a.values())) * math.sqrt(
        sum(float(v) ** 2 for v in b.values())
    )
    return dot / norm if norm else 0.0


def story_id(members: Sequence[Article]) -> str:
    """A story is named after its earliest article, so its id survives re-grouping runs."""
    first = min(members, key=lambda a: (a.published or "9999", a.id))
    return hashlib.blake2b(first.id.encode(), digest_size=8).hexdigest()
