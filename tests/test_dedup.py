"""Near-duplicate index on real text: estimates, copies found, distinct reports kept apart."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from kabar.dedup import DuplicateIndex, NearDuplicateFinder
from kabar.model import Article


def _exact_jaccard(index: DuplicateIndex, a: str, b: str) -> float:
    x, y = set(index.shingle_hashes(a).tolist()), set(index.shingle_hashes(b).tolist())
    return len(x & y) / len(x | y)


def test_signature_estimates_jaccard(seed_processed: dict[str, Article]) -> None:
    index = DuplicateIndex(num_perm=256, bands=32)
    body = seed_processed["003"].body
    words = body.split()
    errors = []
    for cut in (0.9, 0.7, 0.5):
        other = " ".join(words[: int(len(words) * cut)])
        exact = _exact_jaccard(index, body, other)
        (sa, _), (sb, _) = index.signature(body), index.signature(other)
        errors.append(abs(float((sa == sb).mean()) - exact))
    assert max(errors) < 0.1


def test_shingles_do_not_depend_on_position_or_spacing() -> None:
    index = DuplicateIndex(shingle=3)
    a = set(index.shingle_hashes("Putin tiba di Hanoi pada Rabu malam").tolist())
    b = set(index.shingle_hashes("Kemudian,  PUTIN tiba di Hanoi pada rabu malam!").tolist())
    assert len(a) == 5 and a <= b


def test_edited_copies_are_found_and_other_reports_are_not(
    seed_processed: dict[str, Article],
) -> None:
    index = DuplicateIndex()
    for key in ("000", "001", "002", "003"):
        assert index.add(key, seed_processed[key].body) is None  # same story, distinct reports
    paragraphs = seed_processed["003"].paragraphs
    reordered = "\n\n".join(
        [paragraphs[1], paragraphs[0], *paragraphs[2:-1], "Sebuah kalimat tambahan dari redaksi."]
    )
    trimmed = "\n\n".join(paragraphs[: max(2, int(len(paragraphs) * 0.7))])
    assert index.query(reordered) == "003"
    assert index.query(trimmed) == "003"
    assert index.query(seed_processed["004"].body) is None  # the same visit, another outlet


def test_state_round_trips_through_plain_data(seed_processed: dict[str, Article]) -> None:
    index = DuplicateIndex()
    for key, article in seed_processed.items():
        index.add(key, article.body)
    state = pickle.loads(pickle.dumps(index.get_state()))
    again = DuplicateIndex.from_state(state)
    assert len(again) == len(index) == 5
    body = seed_processed["002"].body
    assert again.query(body + " Tambahan.") == index.query(body + " Tambahan.") == "002"
    assert np.array_equal(again.signature(body)[0], index.signature(body)[0])


def test_first_report_is_canonical_and_copies_are_not_indexed(
    seed_processed: dict[str, Article],
) -> None:
    body = seed_processed["001"].body
    first = Article(
        id="a" * 16, title="A", body=body, source="a", raw_text="", published="2024-06-20"
    )
    copy = Article(
        id="b" * 16,
        title="B",
        body=body + "\n\nUpdate.",
        source="b",
        raw_text="",
        published="2024-06-21",
    )
    marked = {a.id: a for a in NearDuplicateFinder().mark([copy, first])}
    assert marked[first.id].duplicate_of is None and marked[copy.id].duplicate_of == first.id


def test_parameters_are_checked() -> None:
    with pytest.raises(ValueError):
        DuplicateIndex(num_perm=64, bands=10)
