"""py3langid's classification with its byte walk done by numpy: the same language.

py3langid walks its tokeniser, an Aho-Corasick automaton over byte n-grams, one byte at a
time in a Python loop (about two thirds of :func:`kabar.meta.detect_language`'s time).
In such an automaton the state after a byte is the longest suffix of the text read so far
that is a prefix of some n-gram, at most ``depth`` bytes long (its deepest state, 6 in
the bundled model), whatever came before. So the state at every position is the walk
from the start state over the ``depth`` bytes ending there: ``depth`` vectorised steps
over all positions at once instead of one step per byte. The features come out in the
same order, and are counted and scored by py3langid's own code.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

import numpy as np


def classify(text: str) -> str:
    """The language code ``py3langid.classify`` gives ``text``."""
    import py3langid
    from py3langid import langid

    identifier: Any = langid._get_identifier()
    tables = _tables(identifier)
    if tables is None:
        return str(py3langid.classify(text)[0])
    data = identifier._encode(text)
    visits = _visit_counts(tables, data)
    if visits:
        scores = identifier._sparse_score(visits, identifier.nb_ptc)
    else:
        scores = np.full(len(identifier.nb_classes), langid.RAW_FLOOR, dtype=np.float32)
    for i, j in identifier._alias_pairs:  # py3langid's _decide without norm_probs
        scores[i] = max(scores[i], scores[j])
        scores[j] = langid.RAW_FLOOR
    return str(identifier.nb_classes[int(scores.argmax())])


_Tables = tuple[np.ndarray, np.ndarray, np.ndarray, int]


@lru_cache(maxsize=1)
def _tables(identifier: Any) -> _Tables | None:
    """The automaton as arrays (next state, row offsets, output feature) and its depth;
    None when the identifier is not the one this module reproduces (py3langid 0.4's, raw
    scores, no confidence floor): then ``py3langid.classify`` answers."""
    try:
        if identifier._norm_probs or identifier.min_confidence is not None:
            return None
        moves = np.asarray(identifier.tk_nextmove)
        rows = np.asarray(identifier._rowbase, dtype=np.int64)
        output = np.asarray(identifier.tk_output, dtype=np.int64)
    except (AttributeError, TypeError, ValueError):
        return None
    needed = ("_encode", "_sparse_score", "_alias_pairs", "nb_ptc", "nb_classes")
    if (
        moves.ndim != 1
        or len(rows) != len(output)
        or not all(hasattr(identifier, name) for name in needed)
    ):
        return None
    # the depth of the deepest state: breadth first from the start state
    seen = np.zeros(len(rows), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0]), 0
    while True:
        reached = np.zeros(len(rows), dtype=bool)
        reached[moves[(rows[frontier][:, None] + np.arange(256)).ravel()]] = True
        reached &= ~seen
        if not reached.any():
            break
        seen |= reached
        frontier, depth = np.flatnonzero(reached), depth + 1
    return moves, rows, output, depth


def _visit_counts(tables: _Tables, data: bytes) -> Counter[int] | None:
    """py3langid's ``visit_counts`` over ``data``: each position's state from the walk over
    the ``depth`` bytes ending there (fewer at the start of the text)."""
    moves, rows, output, depth = tables
    letters = np.frombuffer(data, dtype=np.uint8).astype(np.int64)
    size = len(letters)
    if not size:
        return None
    states = np.zeros(size, dtype=np.int64)
    for step in range(depth):
        # Positions from ``skip`` on read a byte this step (the earlier ones have fewer
        # before them): slices, where boolean masks copied the arrays at each step.
        skip = min(depth - 1 - step, size)
        states[skip:] = moves[rows[states[skip:]] + letters[: size - skip]]
    features = output[states]
    found = features[features >= 0].tolist()
    return Counter(found) if found else None
