"""The quote gold's CSVs hold together: every document once, in one part, its quotes in the same
part. Parts are labelled on different branches (dev batches, the fresh test parts) and merged:
an article labelled twice, or in two parts, would leak test into dev. (test2 and test3, read once
at stops 29 and 30, became dev at stop 30, test4, read once after stop 30, after it; a fresh
part is named testN, as test5.)"""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parent.parent / "eval" / "gold" / "quotes"
PARTS = re.compile(r"dev|test\d*")
"""dev, the first test part, and the fresh ones (test5, …)."""


def _rows(name: str) -> list[dict[str, str]]:
    with (GOLD / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_each_document_is_labelled_once_in_one_part() -> None:
    docs = _rows("docs.csv")
    counts = Counter((d["source"], d["doc"]) for d in docs)
    assert [key for key, n in counts.items() if n > 1] == []
    assert [s for s in {d["split"] for d in docs} if not PARTS.fullmatch(s)] == []


def test_quotes_belong_to_a_labelled_document_of_the_same_part() -> None:
    part = {(d["source"], d["doc"]): d["split"] for d in _rows("docs.csv")}
    quotes = _rows("quotes.csv")
    assert quotes
    for row in quotes:
        assert part.get((row["source"], row["doc"])) == row["split"], row
        assert row["kind"] in {"direct", "reported"}, row
        assert 0 <= int(row["start"]) < int(row["end"]), row


@pytest.mark.parametrize("split", sorted({d["split"] for d in _rows("docs.csv")}))
def test_each_part_has_quotes_in_several_documents(split: str) -> None:
    quotes = [q for q in _rows("quotes.csv") if q["split"] == split]
    assert len({q["doc"] for q in quotes}) >= 10, split
