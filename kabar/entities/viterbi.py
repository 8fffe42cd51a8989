"""The CRF's tagging in numpy: the model file read directly, Viterbi over a batch of sentences.

python-crfsuite tags one sentence at a time from lists of feature strings: every string is
converted to C++ and looked up in the model's attribute database, about sixty per token, and
its model loads through a text dump of a few seconds. Here the weights are read once from
the model file (CRFsuite's ``lCRF``/``FOMC`` format: a feature array and two CQDB string
tables), each distinct token's share of the state scores (its own features, and what it adds
to its neighbours') is summed once and kept, and Viterbi runs over all the sentences of an
article at once. The scores are those of CRFsuite (same weights, same max-plus recursion,
first best label on ties), so the tags are too; ``tests/test_speed.py`` checks it against
python-crfsuite on real text.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kabar.entities.features import Featurizer, gazetteer_tags, run_features

_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_GAZ_TAGS = ("O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER")
_LEX = ("L", "N", "l", "p")


@dataclass(frozen=True)
class CrfWeights:
    """A CRFsuite model's labels, attribute ids, state weights (attribute × label, plus a
    zero row for attributes the model lacks) and transition weights (label × label)."""

    labels: tuple[str, ...]
    attributes: dict[str, int]
    state: np.ndarray
    transitions: np.ndarray


def read_model(path: Path | str) -> CrfWeights:
    """The weights of a CRFsuite 1st-order model file (what ``pycrfsuite.Trainer`` writes)."""
    data = Path(path).read_bytes()
    magic, _size, kind, _version, _nf, n_labels, n_attrs, off_features, off_labels, off_attrs = (
        struct.unpack_from("<4sI4sIIIIIII", data, 0)
    )
    if magic != b"lCRF" or kind != b"FOMC":
        raise ValueError(f"{path}: not a CRFsuite first-order model")
    _chunk, _chunk_size, count = struct.unpack_from("<4sII", data, off_features)
    features = np.frombuffer(data, dtype=_FEATURE, count=count, offset=off_features + 12)
    labels = _cqdb_strings(data, off_labels)
    attributes = _cqdb_strings(data, off_attrs)
    if len(labels) != n_labels or len(attributes) != n_attrs:
        raise ValueError(f"{path}: label or attribute table does not match the header")
    state = np.zeros((n_attrs + 1, n_labels))
    transitions = np.zeros((n_labels, n_labels))
    is_state = features["type"] == 0
    s = features[is_state]
    state[s["src"].astype(np.intp), s["dst"].astype(np.intp)] = s["weight"]
    t = features[features["type"] == 1]
    transitions[t["src"].astype(np.intp), t["dst"].astype(np.intp)] = t["weight"]
    return CrfWeights(
        tuple(labels), {name: i for i, name in enumerate(attributes)}, state, transitions
    )


def _cqdb_strings(data: bytes, offset: int) -> list[str]:
    """The strings of a CQDB chunk in id order (its backward array: id → record offset)."""
    chunk, _size, _flag, _order, count, backward = struct.unpack_from("<4sIIIII", data, offset)
    if chunk != b"CQDB":
        raise ValueError("not a CQDB chunk")
    records = np.frombuffer(data, dtype="<u4", count=count, offset=offset + backward).tolist()
    out = []
    for record in records:
        start = offset + record
        size = int.from_bytes(data[start + 4 : start + 8], "little")
        out.append(data[start + 8 : start + 7 + size].decode("utf-8"))
    return out


class Viterbi:
    """BIO tags for batches of tokenised sentences, from a model's weights.

    Per distinct token, five score vectors are kept (its own features; what it adds to the
    next word, to the one after, to the previous word, to the one before): the
    :class:`~kabar.entities.features.Featurizer`'s strings, each summed once. A sentence's
    state scores are then a few array additions, plus the features of word pairs (bigrams,
    the gazetteer tag with the previous word), looked up by string.

    cache_size: distinct tokens kept (emptied when full, as the featurizer's cache).
    """

    def __init__(self, weights: CrfWeights, featurizer: Featurizer, cache_size: int = 100_000):
        self.weights = weights
        self.featurizer = featurizer
        self.cache_size = cache_size
        self._attr = weights.attributes
        self._none = len(weights.attributes)  # the zero row
        self._labels = list(weights.labels)
        width = len(weights.labels)
        self._lock = threading.Lock()
        self._rows: dict[str, tuple[int, str, str, str]] = {}
        self._vectors = np.zeros((1024, 5, width))

        def vector(*names: str) -> np.ndarray:
            return self._sum([n for n in names if n in self._attr])

        self._gaz = {tag: i for i, tag in enumerate(_GAZ_TAGS)}
        self._gaz_vectors = np.stack(
            [
                np.stack([vector("g=" + t), vector("-1g=" + t), vector("+1g=" + t)])
                for t in _GAZ_TAGS
            ]
        )
        self._lex = {c: i for i, c in enumerate(_LEX)}
        self._lex_vectors = np.stack(
            [
                np.stack([vector("lx-1=" + a + b), vector("lx+1=" + a + b)])
                for a in _LEX
                for b in _LEX
            ]
        )
        self._bos, self._eos = vector("BOS"), vector("EOS")
        # Bigram → the ids of its "-1w|w=" and "w|+1w=" attributes (one lookup per pair).
        self._pairs: dict[str, tuple[int | None, int | None]] = {}
        for name, aid in self._attr.items():
            if name.startswith("-1w|w="):
                _a, b = self._pairs.get(name[6:], (None, None))
                self._pairs[name[6:]] = (aid, b)
            elif name.startswith("w|+1w="):
                a, _b = self._pairs.get(name[6:], (None, None))
                self._pairs[name[6:]] = (a, aid)

    def _sum(self, names: Sequence[str]) -> np.ndarray:
        state = self.weights.state
        out = np.zeros(state.shape[1])
        for name in names:  # in feature order, as CRFsuite adds them
            out += state[self._attr[name]]
        return out

    def cache_clear(self) -> None:
        """Forget the tokens seen (benchmarks time cold caches)."""
        with self._lock:
            self._rows.clear()

    def _add_rows(self, words: Sequence[str]) -> None:
        """Score vectors of the tokens not seen yet, summed in one pass."""
        rows = self._rows
        new = [w for w in dict.fromkeys(words) if w not in rows]
        if not new:
            return
        first = len(rows)
        need = first + len(new)
        if need > len(self._vectors):
            grown = np.zeros((max(need, 2 * len(self._vectors)), *self._vectors.shape[1:]))
            grown[:first] = self._vectors[:first]
            self._vectors = grown
        attr = self._attr
        ids: list[int] = []
        slots: list[int] = []
        for k, word in enumerate(new):
            part = self.featurizer._parts(word)
            slot = (first + k) * 5
            for j, names in enumerate(
                (
                    (*part.head, *((part.lx,) if part.lx is not None else ())),
                    (*part.as_prev, *part.as_prev_flags),
                    part.as_prev2,
                    (*part.as_next, *part.as_next_flags),
                    part.as_next2,
                )
            ):
                for name in names:
                    ids.append(attr[name])
                    slots.append(slot + j)
            rows[word] = (first + k, part.low, part.lex, part.clu)
        flat = self._vectors.reshape(-1, self._vectors.shape[2])  # a view
        flat[first * 5 : need * 5] = 0.0
        np.add.at(flat, np.asarray(slots, dtype=np.intp), self.weights.state[ids])

    def state_scores(self, sentences: Sequence[Sequence[str]]) -> np.ndarray:
        """State scores of every token of the sentences, one after another (tokens × labels)."""
        rows_of = self._rows
        words = [w for sentence in sentences for w in sentence]
        n = len(words)
        if len(rows_of) + n > self.cache_size:
            rows_of.clear()  # bounded memory; never emptied within a batch (rows would move)
        found = [rows_of.get(w) for w in words]
        if None in found:
            self._add_rows(words)
            found = [rows_of[w] for w in words]
        rows, lows, lexes, clus = zip(*found, strict=True) if found else ((), (), (), ())
        vectors = self._vectors[np.asarray(rows, dtype=np.intp)]
        lengths = np.fromiter((len(s) for s in sentences), dtype=np.intp, count=len(sentences))
        ends = np.cumsum(lengths)
        starts = ends - lengths
        nonempty = lengths > 0
        prev = np.ones(n, dtype=bool)  # the token has a previous one in its sentence
        prev[starts[nonempty]] = False
        prev2 = prev.copy()  # ... and one before that
        prev2[1:] &= prev[:-1]
        before = prev[1:, None]
        before2 = prev2[2:, None]
        scores = vectors[:, 0].copy()
        scores[1:] += vectors[:-1, 1] * before
        scores[2:] += vectors[:-2, 2] * before2
        scores[:-1] += vectors[1:, 3] * before
        scores[:-2] += vectors[2:, 4] * before2
        gaz_of = self._gaz
        gaz = [gaz_of[t] for sentence in sentences for t in gazetteer_tags(sentence)]
        g = np.asarray(gaz, dtype=np.intp)
        gv = self._gaz_vectors
        scores += gv[g, 0]
        scores[1:] += gv[g[:-1], 1] * before
        scores[:-1] += gv[g[1:], 2] * before
        lex_of = self._lex
        lx = np.asarray([lex_of[c] for c in lexes], dtype=np.intp)
        pair = lx[:-1] * 4 + lx[1:]
        lv = self._lex_vectors
        scores[1:] += lv[pair, 0] * before
        scores[:-1] += lv[pair, 1] * before
        # Features of word pairs, by string: most pairs are not in the model.
        pairs, attr = self._pairs, self._attr
        extra_rows: list[int] = []
        extra_ids: list[int] = []
        for i, has_prev in enumerate(prev.tolist()):
            if not has_prev:
                continue
            hit = pairs.get(lows[i - 1] + "|" + lows[i])
            if hit is not None:
                if hit[0] is not None:  # "-1w|w=", on the second word
                    extra_rows.append(i)
                    extra_ids.append(hit[0])
                if hit[1] is not None:  # "w|+1w=", on the first
                    extra_rows.append(i - 1)
                    extra_ids.append(hit[1])
            a = attr.get("-1c|c=" + clus[i - 1] + "|" + clus[i])
            if a is not None:
                extra_rows.append(i)
                extra_ids.append(a)
            tag = gaz[i]
            if tag:
                a = attr.get("g|-1w=" + _GAZ_TAGS[tag][2:] + "|" + lows[i - 1])
                if a is not None:
                    extra_rows.append(i)
                    extra_ids.append(a)
        # Features of each word's run of capitalised words, by string.
        offset = 0
        for sentence in sentences:
            for j, names in enumerate(run_features(sentence)):
                for name in names:
                    a = attr.get(name)
                    if a is not None:
                        extra_rows.append(offset + j)
                        extra_ids.append(a)
            offset += len(sentence)
        if extra_rows:
            np.add.at(scores, np.asarray(extra_rows), self.weights.state[extra_ids])
        scores[starts[nonempty]] += self._bos
        scores[ends[nonempty] - 1] += self._eos
        return scores

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags of each sentence (CRFsuite's Viterbi, batched over the sentences)."""
        if not sentences:
            return []
        with self._lock:  # the token cache's rows are assigned in place
            scores = self.state_scores(sentences)
        lengths = np.fromiter((len(s) for s in sentences), dtype=np.intp, count=len(sentences))
        order = np.argsort(-lengths, kind="stable")
        sorted_lengths = lengths[order]
        batch, longest = len(sentences), int(sorted_lengths[0]) if len(sentences) else 0
        width = len(self._labels)
        if longest == 0:
            return [[] for _ in sentences]
        padded = np.zeros((batch, longest, width))
        starts = np.cumsum(lengths) - lengths
        for k, b in enumerate(order.tolist()):
            size = int(lengths[b])
            padded[k, :size] = scores[starts[b] : starts[b] + size]
        # active[t]: how many sentences (longest first) have a token t.
        active = [int(np.count_nonzero(sorted_lengths > t)) for t in range(longest + 1)]
        trans = self.weights.transitions
        alpha = padded[:, 0].copy()
        back = np.zeros((batch, longest, width), dtype=np.intp)
        for t in range(1, longest):
            k = active[t]
            step = alpha[:k, :, None] + trans
            best = step.argmax(axis=1)
            back[:k, t] = best
            alpha[:k] = step.max(axis=1) + padded[:k, t]
        last = alpha.argmax(axis=1)
        labels = np.zeros((batch, longest), dtype=np.intp)
        for t in range(longest - 1, -1, -1):
            k, k_next = active[t], active[t + 1]
            labels[k_next:k, t] = last[k_next:k]
            if k_next:
                ar = np.arange(k_next)
                labels[:k_next, t] = back[ar, t + 1, labels[:k_next, t + 1]]
        names = self._labels
        out: list[list[str]] = [[] for _ in sentences]
        for k, b in enumerate(order.tolist()):
            out[b] = [names[i] for i in labels[k, : lengths[b]].tolist()]
        return out
