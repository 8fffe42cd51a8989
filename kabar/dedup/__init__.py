"""Dedup: exact copies share an id (the body hash); near copies are found with MinHash LSH.

A syndicated wire story re-published with a new headline, a trimmed paragraph, reordered
paragraphs or an added sentence is still one report: it is linked to its canonical article
(the first one seen in publication order) through ``duplicate_of`` and counted once
everywhere downstream (story size, timeline sources, outlet counts).

Exact copies need no index: :func:`kabar.text.article_id` is a hash of the case- and
space-normalised body, so two copies get the same id and the store keeps one. Near copies go
through :class:`DuplicateIndex`, an incremental MinHash/LSH index whose state is plain data,
so it can be saved with the store and fed one article at a time as articles arrive.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from kabar.model import Article

# Bytes kept as word characters by the shingler: ASCII letters and digits, and every byte of
# a multi-byte UTF-8 character (letters of other scripts); everything else becomes a space.
_WORD_BYTES = bytes(b if (48 <= b <= 57 or 97 <= b <= 122 or b >= 128) else 32 for b in range(256))
_SPACE = 32
_BASE = np.uint64(0x100000001B3)  # FNV prime: the polynomial base of the rolling hash
_BASE_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_MIX = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio multiplier: spreads hash bits
_LOW32 = np.uint64(0xFFFFFFFF)
_EMPTY = np.uint32(0xFFFFFFFF)


class _Powers:
    """BASE**j and BASE**-j modulo 2**64 for j < n, grown on demand (shared, read-only)."""

    def __init__(self) -> None:
        self.up = np.ones(1, dtype=np.uint64)
        self.down = np.ones(1, dtype=np.uint64)

    def get(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if n > self.up.size:
            size = max(n, 2 * self.up.size, 1 << 14)
            up = np.full(size, _BASE, dtype=np.uint64)
            up[0] = 1
            down = np.full(size, _BASE_INV, dtype=np.uint64)
            down[0] = 1
            self.up, self.down = np.cumprod(up), np.cumprod(down)  # wraps modulo 2**64
        return self.up[:n], self.down[:n]


_POWERS = _Powers()


class DuplicateIndex:
    """Incremental near-duplicate index: MinHash signatures over word shingles, LSH bands.

    Candidates come from LSH (``bands`` bands of ``num_perm // bands`` rows: with 16 bands
    of 4, a pair with shingle Jaccard 0.5 collides in some band with probability ≈ 0.64,
    one at 0.7 with ≈ 0.998); each candidate is then verified on the signatures: a copy is
    a pair whose estimated Jaccard similarity reaches ``threshold``, or whose shorter text
    is contained in the longer one at ``containment`` or more (a trimmed re-publication
    keeps most of its original's shingles but is shorter, so its Jaccard alone is low).

    Parameters
    ----------
    threshold: estimated Jaccard similarity of shingle sets from which two bodies are copies.
    containment: estimated share of the shorter body's shingles found in the longer one from
        which the shorter is a trimmed or extended copy; needs ``min_shingles`` shingles.
    num_perm: signature length (MinHash bins); 64 estimates a Jaccard of 0.8 to about ±0.05.
    bands: LSH bands (``num_perm`` must be a multiple); more bands find lower similarities
        and cost more memory (one table entry per band per article).
    shingle: words per shingle; 4 tolerates small edits while keeping unrelated texts apart.
    min_shingles: bodies with fewer shingles are only matched by Jaccard, never containment
        (a two-line brief is "contained" in many articles).
    seed: salt of the shingle hash; part of the saved state, signatures depend on it.

    Why hand-written rather than :class:`datasketch.MinHash` / ``MinHashLSH`` (measured on
    t17-dev): ``MinHash.update_batch`` calls a Python hash function per shingle and then
    permutes an (n shingles × num_perm) matrix, about 1,200 docs/s on news-length texts,
    below the 5,000 docs/s target. Here the shingles are hashed with a vectorised
    polynomial rolling hash over the normalised bytes, and the signature is a one-permutation
    MinHash (Li, Owen & Zhang 2012; densified as in Shrivastava & Li 2014): one hash per
    shingle, its top bits pick a bin, the bin keeps its minimum — 15,000 docs/s. And
    ``MinHashLSH`` keeps a ``set`` and a bytes key per bucket, several hundred bytes per
    article and band; here a bucket is a plain ``dict`` entry from a 64-bit band hash to an
    article number (or a list of them), so a million articles fit in memory.
    """

    def __init__(
        self,
        threshold: float = 0.6,
        containment: float = 0.75,
        num_perm: int = 64,
        bands: int = 16,
        shingle: int = 4,
        min_shingles: int = 30,
        seed: int = 1,
    ) -> None:
        if num_perm % bands:
            raise ValueError(f"num_perm ({num_perm}) must be a multiple of bands ({bands})")
        if num_perm & (num_perm - 1) or not 2 <= num_perm <= 1024:
            raise ValueError(f"num_perm must be a power of two in [2, 1024], got {num_perm}")
        self.threshold = threshold
        self.containment = containment
        self.num_perm = num_perm
        self.bands = bands
        self.shingle = shingle
        self.min_shingles = min_shingles
        self.seed = seed
        self._salt = np.uint64((seed * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF)
        self._bin_shift = np.uint64(64 - (num_perm.bit_length() - 1))
        self._ids: list[str] = []
        self._sizes = np.zeros(0, dtype=np.int64)
        self._signatures = np.zeros((0, num_perm), dtype=np.uint32)
        self._buckets: dict[int, Any] = {}
        self._row_of: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    # -- signatures ------------------------------------------------------------------
    def shingle_hashes(self, text: str) -> np.ndarray:
        """64-bit hashes of the text's word shingles (lower-cased, punctuation ignored)."""
        raw = np.frombuffer(
            (" " + text.lower() + " ").encode("utf-8").translate(_WORD_BYTES), dtype=np.uint8
        )
        space = raw == _SPACE
        keep = np.ones(raw.size, dtype=bool)
        keep[1:] = ~(space[1:] & space[:-1])  # runs of spaces count as one
        chars = raw[keep].astype(np.uint64)
        bounds = np.flatnonzero(chars == _SPACE)  # word i spans bounds[i] .. bounds[i + 1]
        words = bounds.size - 1
        if words <= 0:
            return np.zeros(0, dtype=np.uint64)
        k = min(self.shingle, words)
        up, down = _POWERS.get(chars.size)
        # prefix[i] = Σ_{j<i} c_j BASE^-j, so Σ_{s<=j<e} c_j BASE^(e-j) = (prefix[e] -
        # prefix[s]) · BASE^e: the same k words hash the same wherever they stand.
        prefix = np.zeros(chars.size + 1, dtype=np.uint64)
        np.cumsum(chars * down, out=prefix[1:])
        start, end = bounds[:-k], bounds[k:]
        hashed = (prefix[end] - prefix[start]) * up[end] + self._salt
        hashed ^= hashed >> np.uint64(31)
        hashed *= _MIX
        hashed ^= hashed >> np.uint64(29)
        return hashed

    def signature(self, text: str) -> tuple[np.ndarray, int]:
        """The signature (``num_perm`` uint32 bin minima) and the number of shingles."""
        hashed = self.shingle_hashes(text)
        out = np.full(self.num_perm, _EMPTY, dtype=np.uint32)
        if hashed.size == 0:
            return out, 0
        bins = (hashed >> self._bin_shift).astype(np.intp)
        np.minimum.at(out, bins, (hashed & _LOW32).astype(np.uint32))
        empty = out == _EMPTY
        if empty.any():
            # Densification by rotation: an empty bin borrows the next filled bin's value,
            # salted with the distance, so two texts agree on it exactly when they agree on
            # the bin it borrows from (keeps the estimate unbiased for short texts).
            filled = np.flatnonzero(~empty)
            holes = np.flatnonzero(empty)
            pos = np.searchsorted(filled, holes) % filled.size
            source = filled[pos]
            distance = (source - holes) % self.num_perm
            out[holes] = (
                out[source].astype(np.uint64) + distance.astype(np.uint64) * _MIX
            ) & _LOW32
        return out, int(hashed.size)

    def band_keys(self, signature: np.ndarray) -> list[int]:
        """The LSH bucket keys of a signature, one per band (64-bit, band-salted)."""
        rows = self.num_perm // self.bands
        bands = signature.astype(np.uint64).reshape(self.bands, rows)
        keys: np.ndarray = np.arange(self.bands, dtype=np.uint64)  # one table, band-salted
        for j in range(rows):
            keys = keys * _MIX + bands[:, j]
        return [int(k) for k in keys]

    # -- index -----------------------------------------------------------------------
    def query(self, text: str) -> str | None:
        """The canonical article the text copies, or None (the index is not changed)."""
        signature, size = self.signature(text)
        return self._match(signature, size, self.band_keys(signature))

    def add(self, article_id: str, text: str) -> str | None:
        """Index an article; returns the canonical article it copies (then it is not indexed,
        so every copy points at the first report, never at another copy), or None."""
        if article_id in self._row_of:
            return None  # already indexed: an exact copy is the same article
        signature, size = self.signature(text)
        keys = self.band_keys(signature)
        match = self._match(signature, size, keys)
        if match is not None:
            return match
        row = len(self._ids)
        self._ids.append(article_id)
        self._row_of[article_id] = row
        if row >= self._signatures.shape[0]:
            grown = np.zeros((max(1024, 2 * row), self.num_perm), dtype=np.uint32)
            grown[:row] = self._signatures[:row]
            self._signatures = grown
            sizes = np.zeros(grown.shape[0], dtype=np.int64)
            sizes[:row] = self._sizes[:row]
            self._sizes = sizes
        self._signatures[row] = signature
        self._sizes[row] = size
        for key in keys:
            present = self._buckets.get(key)
            if present is None:
                self._buckets[key] = row
            elif isinstance(present, list):
                present.append(row)
            else:
                self._buckets[key] = [present, row]
        return None

    def _match(self, signature: np.ndarray, size: int, keys: list[int]) -> str | None:
        candidates: set[int] = set()
        for key in keys:
            present = self._buckets.get(key)
            if present is None:
                continue
            if isinstance(present, list):
                candidates.update(present)
            else:
                candidates.add(present)
        if not candidates or size == 0:
            return None
        rows = np.fromiter(sorted(candidates), np.int64, len(candidates))
        scores = self.verify(signature, size, self._signatures[rows], self._sizes[rows])
        if not (scores >= 0).any():
            return None
        best = int(np.argmax(scores))  # the closest copy, earliest on ties
        return self._ids[int(rows[best])]

    def verify(
        self, signature: np.ndarray, size: int, others: np.ndarray, other_sizes: np.ndarray
    ) -> np.ndarray:
        """For each row of ``others`` (signatures, with their shingle counts): the estimated
        Jaccard similarity if it is a copy of ``signature`` by the index's rules, else -1.

        The one test of "copy": the incremental index and the batch band join
        (:mod:`kabar.scale`) both call it, so they find the same copies."""
        if size == 0 or len(others) == 0:
            return np.full(len(others), -1.0)
        jaccard = (others == signature).mean(axis=1)
        sizes = other_sizes.astype(np.float64)
        # |A ∩ B| = J (|A| + |B|) / (1 + J); containment = |A ∩ B| / min(|A|, |B|).
        smaller = np.minimum(sizes, size)
        contained = jaccard * (sizes + size) / (1 + jaccard) / np.maximum(smaller, 1)
        ok = (jaccard >= self.threshold) | (
            (contained >= self.containment) & (smaller >= self.min_shingles)
        )
        return np.where(ok, jaccard, -1.0)

    # -- state -----------------------------------------------------------------------
    def get_state(self) -> dict[str, Any]:
        """Plain data (no numpy objects) that :meth:`from_state` turns back into an index."""
        n = len(self._ids)
        return {
            "params": {
                "threshold": self.threshold,
                "containment": self.containment,
                "num_perm": self.num_perm,
                "bands": self.bands,
                "shingle": self.shingle,
                "min_shingles": self.min_shingles,
                "seed": self.seed,
            },
            "ids": self._ids,
            "sizes": self._sizes[:n].tobytes(),
            "signatures": self._signatures[:n].tobytes(),
            "buckets": self._buckets,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> DuplicateIndex:
        index = cls(**state["params"])
        index._ids = list(state["ids"])
        index._sizes = np.frombuffer(state["sizes"], dtype=np.int64).copy()
        index._row_of = {aid: row for row, aid in enumerate(index._ids)}
        sigs = np.frombuffer(state["signatures"], dtype=np.uint32).reshape(-1, index.num_perm)
        index._signatures = sigs.copy()
        index._buckets = dict(state["buckets"])
        return index


class NearDuplicateFinder:
    """Batch front of :class:`DuplicateIndex`: marks the near copies of a set of articles.

    Parameters are those of :class:`DuplicateIndex` (keyword arguments passed through).
    """

    def __init__(self, **params: Any) -> None:
        self.params = params

    def mark(self, articles: Iterable[Article]) -> list[Article]:
        """The articles in publication order, each near copy's ``duplicate_of`` set to its
        canonical article (the earliest, then the smallest id)."""
        ordered = sorted(articles, key=lambda a: a.order_key)
        index = DuplicateIndex(**self.params)
        return [
            dataclasses.replace(article, duplicate_of=index.add(article.id, article.body))
            for article in ordered
        ]


def canonical_copies(
    order: Sequence[str], matches: Mapping[str, Sequence[tuple[str, float]]]
) -> dict[str, str]:
    """Copy → canonical article, from verified candidate pairs, by the incremental rule.

    ``order`` is every article id in publication order; ``matches[x]`` the earlier articles
    that :meth:`DuplicateIndex.verify` accepts as copies of ``x``, with their Jaccard
    estimate. As in :meth:`DuplicateIndex.add`, a copy points at the closest earlier
    *canonical* article (the earliest on ties) and is itself never a canonical: walking the
    ids in order over the (small) verified graph gives what adding them one by one gives,
    without one process holding every signature.
    """
    position = {aid: n for n, aid in enumerate(order)}
    canonical: dict[str, str] = {}
    for aid in order:
        candidates = [(j, position[y], y) for y, j in matches.get(aid, ()) if y not in canonical]
        if candidates:
            canonical[aid] = max(candidates, key=lambda c: (c[0], -c[1]))[2]
    return canonical
