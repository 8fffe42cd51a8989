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

import re
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kabar.entities.features import (
    LOC_WORDS,
    ORG_WORDS,
    TITLE_WORDS,
    Featurizer,
    _gazetteer_label,
    _lexical_class,
    _starts_longer,
    city_words,
    clusters,
    gazetteer_match,
)
from kabar.entities.features import shape as _cached_shape

_shape = _cached_shape.__wrapped__  # the per-token row is this function's cache

_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_GAZ_TAGS = ("O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER")
_LEX = ("L", "N", "l", "p")
# What each token's row keeps besides its score vectors (columns of ``Viterbi._info``): its
# word's id in the pair tables, its cluster's, its lexical class, whether it starts with a
# capital, whether it may go on a run (a digit or "-"), whether it starts alphanumeric,
# the attributes its word gives a run as the word before it, its head and its tail, its
# gazetteer tag as a one-word name, whether a longer gazetteer name may start with it, and
# whether it is "-".
_WORD, _CLU, _LX, _UP, _CONT, _ALNUM, _RP, _RH, _RT, _GAZ, _LONG, _HYPHEN = range(12)
_INFO = 12


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
        self._rows: dict[str, int] = {}
        self._vectors = np.zeros((1024, 5, width))
        self._info = np.zeros((1024, _INFO), dtype=np.intp)  # per row: see _add_rows

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
        self._pair_tables()
        none = self._none
        self._word_tables()
        self._run_pos = {p: self._attr.get("r=" + p, none) for p in "BIES"}
        self._run_length = [none, *(self._attr.get(f"rl={k}", none) for k in range(1, 6))]
        self._run_start = self._attr.get("rp=^", none)

    def _pair_tables(self) -> None:
        """The model's features of word pairs as integer tables, so that an article's pairs
        are looked up at once: every word that occurs in one ("-1w|w=", "w|+1w=", "g|-1w=")
        gets an id, and a pair is ``left * size + right`` in a sorted key array; clusters
        get ids too, their bigrams ("-1c|c=") a square table. A name is read at every "|"
        it holds (a token may be "|"): each reading is a pair whose joined string is the
        name, as the features were built."""
        none = self._none
        words: dict[str, int] = {}
        clus: dict[str, int] = {}
        found: dict[str, list[tuple[int, int, int]]] = {"-1w|w=": [], "w|+1w=": [], "c": []}
        gaz: list[tuple[int, int, int]] = []
        # "LOC" → the ids of "B-LOC" and "I-LOC" (the feature names the type only; "O" has none)
        types: dict[str, list[int]] = {}
        for i, tag in enumerate(_GAZ_TAGS[1:], start=1):
            types.setdefault(tag[2:], []).append(i)
        for name, aid in self._attr.items():
            head, rest = name[:6], name[6:]
            if head in ("-1w|w=", "w|+1w=", "-1c|c="):
                vocab = clus if head == "-1c|c=" else words
                for cut in [m.start() for m in re.finditer(r"\|", rest)]:
                    a = vocab.setdefault(rest[:cut], len(vocab))
                    b = vocab.setdefault(rest[cut + 1 :], len(vocab))
                    found["c" if head == "-1c|c=" else head].append((a, b, aid))
            elif head == "g|-1w=":
                kind, bar, before = rest.partition("|")  # a type holds no "|"
                for i in types.get(kind, []) if bar else []:
                    gaz.append((i, words.setdefault(before, len(words)), aid))
        self._words, self._clus = words, clus
        size = len(words) + 1  # the last id: a word in no pair
        self._pair_size = size

        def table(entries: list[tuple[int, int, int]]) -> tuple[np.ndarray, np.ndarray]:
            keys = np.array([a * size + b for a, b, _i in entries], dtype=np.int64)
            ids = np.array([i for _a, _b, i in entries], dtype=np.intp)
            order = np.argsort(keys, kind="stable")
            end = np.iinfo(np.int64).max  # a sentinel: every search lands on a key
            return np.append(keys[order], end), np.append(ids[order], none)

        self._after = table(found["-1w|w="])  # on the second word of the pair
        self._before = table(found["w|+1w="])  # on the first
        self._clu_pairs = np.full((len(clus) + 1, len(clus) + 1), none, dtype=np.intp)
        for a, b, aid in found["c"]:
            self._clu_pairs[a, b] = aid
        self._gaz_pairs = np.full((len(_GAZ_TAGS), size), none, dtype=np.intp)
        for gi, wid, aid in gaz:
            self._gaz_pairs[gi, wid] = aid

    def _word_tables(self) -> None:
        """The model's attributes by what they depend on (see :meth:`_word_ids`): the whole
        word ("w=", "-1w=" … "rt=", and its id in the pair tables), its cluster ("-1c=" …,
        and its id in the cluster bigrams), its short shape ("-1sh=" …), and the constant
        ones. Built once from the attribute names: a table of the model, not a cache."""
        attr, none = self._attr, self._none
        low_heads = ("w=", "-1w=", "-2w=", "+1w=", "+2w=", "rp=", "rh=", "rt=")
        by_low: dict[str, list[int]] = {}
        blank = [none] * len(low_heads) + [self._pair_size - 1]
        for name, aid in attr.items():
            head, eq, rest = name.partition("=")
            if eq and head + eq in low_heads:
                by_low.setdefault(rest, list(blank))[low_heads.index(head + eq)] = aid
        for word, wid in self._words.items():
            by_low.setdefault(word, list(blank))[-1] = wid
        self._by_low = {low: tuple(ids) for low, ids in by_low.items()}
        self._no_low = tuple(blank)
        clus = {*self._clus, *(n[4:] for n in attr if n[:4] in ("-1c=", "-2c=", "+1c=", "+2c="))}
        self._by_clu = {
            clu: (
                *(attr.get(h + clu, none) for h in ("-1c=", "-2c=", "+1c=", "+2c=")),
                self._clus.get(clu, len(self._clus)),
            )
            for clu in clus
        }
        self._no_clu = (none, none, none, none, len(self._clus))
        heads = ("-1sh=", "-2sh=", "+1sh=", "+2sh=")
        shapes = {n[5:] for n in attr if n[:5] in heads}
        self._by_shape = {sh: tuple(attr.get(h + sh, none) for h in heads) for sh in shapes}
        self._no_shape = (none, none, none, none)
        self._const = {
            name: attr.get(name, none)
            for name in (
                "bias", "cap", "allcap", "digit", "title", "orgw", "locw", "punct", "gcity",
                "c=-", "-1title", "-1org", "-1loc", "-2title", "+1org", "+1loc",
            )
        }  # fmt: skip
        self._lex_own = [attr.get("lx=" + lex, none) for lex in _LEX]

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
        """Score vectors of the tokens not seen yet, summed in one pass, and what their
        neighbours look up (:data:`_INFO`)."""
        rows = self._rows
        new = [w for w in dict.fromkeys(words) if w not in rows]
        if not new:
            return
        first = len(rows)
        need = first + len(new)
        if need > len(self._vectors):
            size = max(need, 2 * len(self._vectors))
            grown = np.zeros((size, *self._vectors.shape[1:]))
            grown[:first] = self._vectors[:first]
            self._vectors = grown
            info = np.zeros((size, _INFO), dtype=np.intp)
            info[:first] = self._info[:first]
            self._info = info
        ids: list[int] = []
        slots: list[int] = []
        infos: list[tuple[int, ...]] = []
        word_ids = self._word_ids
        for k, word in enumerate(new):
            slot = (first + k) * 5
            *parts, facts = word_ids(word)
            for j, part in enumerate(parts):
                ids += part
                slots += [slot + j] * len(part)
            infos.append(facts)
            rows[word] = first + k
        # One value per (slot, label), each added in feature order (ufunc.at adds in the
        # order given, the 1-d form fast), as CRFsuite sums them.
        width = self._vectors.shape[2]
        flat = self._vectors.reshape(-1)  # a view
        flat[first * 5 * width : need * 5 * width] = 0.0
        cells = (np.asarray(slots, dtype=np.intp)[:, None] * width + np.arange(width)).ravel()
        np.add.at(flat, cells, self.weights.state[ids].ravel())
        self._info[first:need] = infos

    def _word_ids(
        self, word: str
    ) -> tuple[list[int], list[int], list[int], list[int], list[int], tuple[int, ...]]:
        """A token's attribute ids: its own, as the next word's previous one, as the one
        before that, as the previous word's next one and the one after that (the
        :class:`~kabar.entities.features.Featurizer`'s strings, in its order, those the
        model lacks left out), and its :data:`_INFO` row.

        The features of ``features._word_features`` and ``features._context_word``, read
        as ids from tables of the model's attributes: one lookup for everything that
        depends on the whole word, one for its cluster and its shape."""
        get, none, c = self._attr.get, self._none, self._const
        low = word.lower()
        full = _shape(word)
        initial = word[:1]
        cap = initial.isupper()
        title, org, loc = low in TITLE_WORDS, low in ORG_WORDS, low in LOC_WORDS
        levels = clusters().get(low)
        clu = levels[1] if levels else "-"
        lex = self._lex[_lexical_class(word, low)]
        by_low = self._by_low.get(low, self._no_low)  # w= -1w= -2w= +1w= +2w= rp= rh= rt=
        prev1, prev2, next1, next2, clu_id = self._by_clu.get(clu, self._no_clu)
        sh1, sh2, sh_next1, sh_next2 = self._by_shape.get(full[:2], self._no_shape)
        own = [
            c["bias"],
            by_low[0],
            get("sh=" + full, none),
            get("p2=" + low[:2], none),
            get("p3=" + low[:3], none),
            get("s2=" + low[-2:], none),
            get("s3=" + low[-3:], none),
            get("s4=" + low[-4:], none),
        ]
        if cap:
            own.append(c["cap"])
            if word.isupper() and len(word) > 1:
                own.append(c["allcap"])
        if any(ch.isdigit() for ch in word):
            own.append(c["digit"])
        kinds = (title, org, loc)  # the word's kinds, in the features' order
        own += [c[name] for name, on in zip(("title", "orgw", "locw"), kinds, strict=True) if on]
        if len(word) == 1 and not word.isalnum():
            own.append(c["punct"])
        if cap and low in city_words():
            own.append(c["gcity"])
        if levels:
            own += [get(f"c{level}={cid}", none) for level, cid in enumerate(levels)]
        else:
            own.append(c["c=-"])
        own.append(self._lex_own[lex])
        as_prev = [by_low[1], sh1, prev1]
        as_prev += [
            c[name] for name, on in zip(("-1title", "-1org", "-1loc"), kinds, strict=True) if on
        ]
        as_prev2 = [by_low[2], sh2, c["-2title"], prev2] if title else [by_low[2], sh2, prev2]
        as_next = [by_low[3], sh_next1, next1]
        as_next += [c[name] for name, on in zip(("+1org", "+1loc"), kinds[1:], strict=True) if on]
        as_next2 = [by_low[4], sh_next2, next2]
        facts = (
            by_low[8],
            clu_id,
            lex,
            cap,
            initial.isdigit() or word == "-",
            initial.isalnum(),
            by_low[5],
            by_low[6],
            by_low[7],
            self._one_word_tag(word) if cap else 0,
            cap and _starts_longer(word),
            word == "-",
        )
        return (
            [i for i in own if i != none],
            [i for i in as_prev if i != none],
            [i for i in as_prev2 if i != none],
            [i for i in as_next if i != none],
            [i for i in as_next2 if i != none],
            facts,
        )

    def state_scores(self, sentences: Sequence[Sequence[str]]) -> np.ndarray:
        """State scores of every token of the sentences, one after another (tokens × labels).

        Each feature kind is one array operation over all the tokens, added in CRFsuite's
        order of the features for every token (so the sums are the same to the last bit);
        absent features are the model's zero row."""
        rows_of = self._rows
        words = [w for sentence in sentences for w in sentence]
        n = len(words)
        if n == 0:
            return np.zeros((0, len(self._labels)))
        if len(rows_of) + n > self.cache_size:
            rows_of.clear()  # bounded memory; never emptied within a batch (rows would move)
        found = list(map(rows_of.get, words))
        if None in found:
            self._add_rows([w for w, row in zip(words, found, strict=True) if row is None])
            found = list(map(rows_of.__getitem__, words))
        rows = np.array(found, dtype=np.intp)
        info = self._info[rows]
        vectors = self._vectors[rows]
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
        sentence_end = np.repeat(ends, lengths)
        g = self._gazetteer(words, info, prev, sentence_end)
        gv = self._gaz_vectors
        scores += gv[g, 0]
        scores[1:] += gv[g[:-1], 1] * before
        scores[:-1] += gv[g[1:], 2] * before
        lx = info[:, _LX]
        pair = lx[:-1] * 4 + lx[1:]
        lv = self._lex_vectors
        scores[1:] += lv[pair, 0] * before
        scores[:-1] += lv[pair, 1] * before
        # Features of word pairs: per token, the second word's "-1w|w=", "-1c|c=" and
        # "g|-1w=", then the first word's "w|+1w=" (CRFsuite's order).
        state, none = self.weights.state, self._none
        has = prev[1:]
        word = info[:, _WORD]
        keys = word[:-1] * self._pair_size + word[1:]
        clu = info[:, _CLU]
        for table_ids, target in (
            (self._lookup(self._after, keys), scores[1:]),
            (self._clu_pairs[clu[:-1], clu[1:]], scores[1:]),
            (self._gaz_pairs[g[1:], word[:-1]], scores[1:]),
            (self._lookup(self._before, keys), scores[:-1]),
        ):
            target += state[np.where(has, table_ids, none)]
        # Features of each word's run of capitalised words.
        self._add_runs(scores, rows, info, prev, sentence_end)
        scores[starts[nonempty]] += self._bos
        scores[ends[nonempty] - 1] += self._eos
        return scores

    def _one_word_tag(self, word: str) -> int:
        """The gazetteer tag id of a capitalised word matched alone ("B-LOC" of "Jakarta")."""
        label = _gazetteer_label(word, True)
        return 0 if label is None else self._gaz["B-" + label]

    def _gazetteer(
        self, words: list[str], info: np.ndarray, prev: np.ndarray, sentence_end: np.ndarray
    ) -> np.ndarray:
        """Each token's gazetteer tag id (:func:`~kabar.entities.features.gazetteer_tags`).

        Every capitalised word's tag as a one-word name is in its row; the longest-match walk
        of :func:`~kabar.entities.features.gazetteer_spans` runs only from the capitalised
        words that may start a longer name (a multi-word name's first word, or a "-" after
        it): from any other one, it tries that one word alone, and a longer match that covers
        it (whose I- tags replace its own) starts at one of those."""
        g = info[:, _GAZ].copy()
        hyphen_after = np.zeros(len(g), dtype=np.intp)
        hyphen_after[:-1] = info[1:, _HYPHEN] & prev[1:]  # in the same sentence
        may_start = info[:, _LONG] | (info[:, _UP] & hyphen_after)
        stop = sentence_end.tolist()
        gaz = self._gaz
        done = 0  # the words before are tagged
        for i in np.flatnonzero(may_start).tolist():
            if i < done:
                continue  # inside the match before
            hit = gazetteer_match(words, i, stop[i])
            if hit is None:
                continue
            done, label = hit
            g[i] = gaz["B-" + label]
            g[i + 1 : done] = gaz["I-" + label]
        return g

    @staticmethod
    def _lookup(table: tuple[np.ndarray, np.ndarray], keys: np.ndarray) -> np.ndarray:
        """The attribute ids of pair keys in a sorted table (the zero row where absent)."""
        known, ids = table
        at = np.searchsorted(known, keys)
        return np.where(known[at] == keys, ids[at], ids[-1])

    def _add_runs(
        self,
        scores: np.ndarray,
        rows: np.ndarray,
        info: np.ndarray,
        prev: np.ndarray,
        sentence_end: np.ndarray,
    ) -> None:
        """:func:`~kabar.entities.features.run_features` of every token, added to its
        scores: the runs are found as that function finds them, from each token's flags."""
        upper = np.flatnonzero(info[:, _UP]).tolist()
        if not upper:
            return
        inside = (info[:, _UP] | info[:, _CONT]).tolist()
        alnum = info[:, _ALNUM].tolist()
        stop = sentence_end.tolist()
        starts: list[int] = []
        ends: list[int] = []
        end = 0
        for i in upper:
            if i < end:
                continue  # inside the run before
            end, last = i + 1, stop[i]
            while end < last and inside[end]:
                end += 1
            while end - 1 > i and not alnum[end - 1]:
                end -= 1  # a run does not end with a hyphen
            starts.append(i)
            ends.append(end)
        first, after = np.array(starts, dtype=np.intp), np.array(ends, dtype=np.intp)
        length = after - first
        runs = np.repeat(np.arange(len(first)), length)
        tokens = np.arange(int(length.sum())) - np.repeat(np.cumsum(length) - length, length)
        tokens += first[runs]
        pos = self._run_pos
        kind = np.full(len(tokens), pos["I"], dtype=np.intp)
        kind[tokens == first[runs]] = pos["B"]
        kind[tokens == after[runs] - 1] = pos["E"]
        kind[(length == 1)[runs]] = pos["S"]
        size = np.asarray(self._run_length, dtype=np.intp)[np.minimum(length, 5)][runs]
        opener = np.where(prev[first], info[first - 1, _RP], self._run_start)[runs]
        single = (length == 1)[runs]
        head = np.where(single, self._none, info[first, _RH][runs])
        tail = np.where(single, self._none, info[after - 1, _RT][runs])
        state = self.weights.state
        part = scores[tokens]
        for ids in (kind, size, opener, head, tail):
            part += state[ids]
        scores[tokens] = part

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags of each sentence (CRFsuite's Viterbi, batched over the sentences)."""
        if not sentences:
            return []
        with self._lock:  # the token cache's rows are assigned in place
            scores = self.state_scores(sentences)
        lengths = np.fromiter((len(s) for s in sentences), dtype=np.intp, count=len(sentences))
        order = np.argsort(-lengths, kind="stable")
        sorted_lengths = lengths[order]
        batch, longest = len(sentences), int(sorted_lengths[0])
        if longest == 0:
            return [[] for _ in sentences]
        # The sentences longest first, padded to the longest (the padding is never read:
        # only the first active[t] sentences have a token t).
        starts = (np.cumsum(lengths) - lengths)[order]
        steps = np.arange(longest)
        padded = scores[np.minimum(starts[:, None] + steps, len(scores) - 1)]
        # Time, label, sentence: each step's max and argmax run over the outer axis (the
        # previous label), the cheap direction for numpy on 7 × 7 × sentences.
        padded = np.ascontiguousarray(padded.transpose(1, 2, 0))
        active = (batch - np.cumsum(np.bincount(sorted_lengths, minlength=longest + 1))).tolist()
        active.append(0)
        trans = self.weights.transitions[:, :, None]
        alpha = padded[0].copy()
        back: list[np.ndarray] = [alpha]  # back[t]: each label's best previous one (not at 0)
        for t in range(1, longest):
            k = active[t]
            step = alpha[:, None, :k] + trans
            back.append(step.argmax(axis=0))
            alpha[:, :k] = step.max(axis=0) + padded[t, :, :k]
        last = alpha.argmax(axis=0)
        labels = np.zeros((batch, longest), dtype=np.intp)
        rows = np.arange(batch)
        for t in range(longest - 1, -1, -1):
            k, k_next = active[t], active[t + 1]
            labels[k_next:k, t] = last[k_next:k]
            if k_next:
                labels[:k_next, t] = back[t + 1][labels[:k_next, t + 1], rows[:k_next]]
        names = np.asarray(self._labels, dtype=object)[labels].tolist()
        out: list[list[str]] = [[] for _ in sentences]
        for k, b in enumerate(order.tolist()):
            out[b] = names[k][: sorted_lengths[k]]
        return out
