"""Dedup: exact copies share an id (the body hash); near copies are found with MinHash LSH.

A syndicated wire story re-published with a new headline or a trimmed paragraph is still
one report: it is linked to its canonical article (the earliest, then the smallest id)
through ``duplicate_of`` and counted once everywhere downstream.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from datasketch import MinHash, MinHashLSH

from kabar.model import Article
from kabar.text import tokens


class NearDuplicateFinder:
    """MinHash signatures over word shingles, bucketed by LSH (datasketch).

    Parameters
    ----------
    threshold: estimated Jaccard similarity of shingle sets above which two bodies are copies.
    num_perm: permutations per signature; more is more precise and slower (128 ≈ ±0.05).
    shingle: words per shingle; 5 tolerates edits while keeping unrelated texts apart.
    """

    def __init__(self, threshold: float = 0.7, num_perm: int = 128, shingle: int = 5) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle

    def signature(self, text: str) -> MinHash:
        words = tokens(text)
        grams = {
            " ".join(words[i : i + self.shingle])
            for i in range(max(1, len(words) - self.shingle + 1))
        }
        signature = MinHash(num_perm=self.num_perm)
        signature.update_batch([g.encode("utf-8") for g in grams])
        return signature

    def mark(self, articles: Iterable[Article]) -> list[Article]:
        """The articles, each near copy's ``duplicate_of`` set to its canonical article."""
        ordered = sorted(articles, key=lambda a: (a.published or "9999", a.id))
        index = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        out: list[Article] = []
        for article in ordered:
            signature = self.signature(article.body)
            matches = sorted(index.query(signature))
            if matches:
                out.append(dataclasses.replace(article, duplicate_of=matches[0]))
                continue
            index.insert(article.id, signature)
            out.append(dataclasses.replace(article, duplicate_of=None))
        return out
