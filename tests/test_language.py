"""kabar.meta.language: py3langid's answer, its byte walk vectorised."""

from __future__ import annotations

from pathlib import Path

import py3langid
from py3langid import langid

from kabar.meta import language

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"


def _texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8")[:2000] for path in sorted(SEEDS.glob("*.txt"))]
    assert texts, "the seed articles are the real inputs"
    # their starts (the walk's first states) and odd inputs: empty, one byte, non-Latin, caps
    texts += [text[:n] for text in texts for n in (0, 1, 5, 6, 7, 40)]
    return [*texts, "日本語のテキストです", "KEMENTERIAN KEUANGAN MENYATAKAN", "é"]


def test_the_same_features_in_the_same_order_as_py3langid() -> None:
    identifier = langid._get_identifier()
    tables = language._tables(identifier)
    assert tables is not None and tables[3] >= 4  # byte n-grams up to at least 4 bytes
    for text in _texts():
        data = identifier._encode(text)
        ours = language._visit_counts(tables, data)
        theirs = langid.visit_counts(
            identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, data
        )
        assert (ours is None) == (theirs is None)
        if ours is not None and theirs is not None:
            assert list(ours.items()) == list(theirs.items())


def test_the_same_language_as_py3langid() -> None:
    for text in _texts():
        assert language.classify(text) == py3langid.classify(text)[0]
