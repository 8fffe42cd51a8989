"""The speed paths of the non-NER stages give what the plain code gives: prefilters are
necessary conditions of their patterns, lowered twins match where the case-blind patterns
do. Random texts built from the words the patterns look for, in random case, with the
letters that case-fold oddly ("ı", "ſ", "İ", the Kelvin sign), beside the seed articles."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

import kabar.clean as clean_module
from kabar import meta, quotes
from kabar.alternation import ascii_twins, lowers_plainly, search_lowered, trie_alternation
from kabar.clean import DEFAULT, LineClassifier, stopwords
from kabar.ingest import read_path
from kabar.meta import time as meta_time
from kabar.meta.time import find_times
from kabar.model import RawArticle

ROOT = Path(__file__).resolve().parent.parent

_WIRE_WORDS = [
    *meta.WIRES, "AP", "Ap", "aP", "ap", "dilansir", "Melansir", "dikutip dari", "mengutip",
    "sumber:", "Source :", "according to", "reported by", "kantor berita", "seperti dilaporkan",
    "diberitakan", "lapor", "tulis", "told", "kepada", "the", "reported", "reports", "said",
    "melaporkan", "memberitakan", "mengabarkan", "news", "Jakarta", "(", ")", ",", ".", "'",
    "’", "-", "/", "ı", "ſ", "İ", "\u212a", "kyodo", "\u212ayodo", "ſputnik", "é", "2024",
]  # fmt: skip


def _random_text(rng: random.Random, words: list[str], size: int = 12) -> str:
    """Words from ``words`` in random case, joined by random spaces (or none)."""
    out = []
    for _ in range(rng.randint(1, size)):
        word = rng.choice(words)
        case = rng.random()
        word = word.upper() if case < 0.2 else word.title() if case < 0.4 else word
        out.append(word + rng.choice(["", " ", " ", " ", "  ", "\n"]))
    return "".join(out)


def _seed_texts() -> list[str]:
    return [r.text for r in read_path(ROOT / "examples" / "seeds") if isinstance(r, RawArticle)]


@pytest.fixture(scope="module")
def wire_texts() -> list[str]:
    rng = random.Random(38)
    return [_random_text(rng, _WIRE_WORDS) for _ in range(20_000)] + _seed_texts()


def test_wire_lowered_twins_find_the_case_blind_patterns_names(wire_texts: list[str]) -> None:
    plain = 0
    for text in wire_texts:
        if not lowers_plainly(text):
            continue
        plain += 1
        for pattern, lowered in (
            (meta._WIRE_CUED, meta._WIRE_CUED_LOWER),
            (meta._WIRE_VERB, meta._WIRE_VERB_LOWER),
        ):
            expected = [m.group("name") for m in pattern.finditer(text)]
            assert list(meta._names(pattern, lowered, text, text.lower())) == expected, text
        expected = [m.group("name") for m in meta._WIRE_CUED.finditer(text)]
        assert list(meta._cued_names(text, text.lower())) == expected, text
    assert plain > 10_000


def test_wire_names_are_the_three_patterns_matches(wire_texts: list[str]) -> None:
    found = 0
    for text in wire_texts:
        expected = [
            m.group("name")
            for pattern in (meta._WIRE_CUED, meta._WIRE_VERB, meta._WIRE_PAREN)
            for m in pattern.finditer(text)
        ]
        assert list(meta._wire_names(text)) == expected, text
        found += bool(expected)
    assert found > 1_000


def test_line_features_shares_read_lazily_are_the_words_shares() -> None:
    """The stop-word and capital shares, worked out when read, are the shares of the line's
    words, for every line of the seeds."""
    stops = stopwords()
    lines = [line for text in _seed_texts() for line in text.splitlines()]
    counts = Counter(lines)
    for classifier in (DEFAULT, LineClassifier(min_words=3)):
        for line in lines:
            words = line.split()
            f = classifier.features(line, "", counts)
            n = len(words) or 1
            assert f.words == len(words)
            assert f.capitalised == sum(w[:1].isupper() for w in words) / n
            assert (
                f.stop_density == sum(w.lower().strip("\"“”'’,.:;()") in stops for w in words) / n
            )


def _time_words() -> list[str]:
    """The words of the case-blind date rules (from their own patterns), numbers, and
    the letters that fold oddly."""
    words = {w for p in meta_time._TWINS for w in re.findall(r"[a-z]{2,}", p.pattern)}
    numbers = ["1", "2", "12", "25", "2019", "1990-an", "3,5", "20.000", "1998/99", "the"]
    return [*sorted(words), *numbers, "ı", "ſ", "İ", "\u212a", "-", ",", ".", "(", ")", '"']


def test_time_rules_lowered_twins_give_the_case_blind_matches() -> None:
    rng = random.Random(16)
    words = _time_words()
    texts = [_random_text(rng, words, 10) for _ in range(20_000)] + [
        line for text in _seed_texts() for line in text.splitlines()
    ]
    matched = 0
    for text in texts:
        folded = ascii_twins(text)
        lower = folded.lower()
        for pattern in meta_time._TWINS:
            expected = [(m.span(), m.groups()) for m in pattern.finditer(folded)]
            got = [(m.span(), m.groups()) for m in meta_time._rule_matches(pattern, folded, lower)]
            assert got == expected, (pattern.pattern[:40], text)
            matched += bool(expected)
        for pregate, twin in meta_time._LOWERED.items():
            assert (twin.search(lower) is None) == (pregate.search(folded) is None), text
    assert matched > 5_000


def test_find_times_with_twins_is_find_times_without(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(61)
    words = _time_words()
    texts = [_random_text(rng, words, 10) for _ in range(3_000)] + [
        line for text in _seed_texts() for line in text.splitlines()
    ]
    anchor = date(2024, 3, 26)
    fast = [find_times(text, anchor, 2020) for text in texts]
    monkeypatch.setattr(meta_time, "_TWINS", {})
    monkeypatch.setattr(meta_time, "_LOWERED", {})
    assert [find_times(text, anchor, 2020) for text in texts] == fast
    assert sum(map(bool, fast)) > 500


def test_every_pregate_matches_where_its_rule_does() -> None:
    """A pregate skips its rule where it finds nothing: it must be a necessary condition."""
    rng = random.Random(1945)
    words = [
        *{w for rule in meta_time.RULES for w in re.findall(r"[A-Za-z]{2,}", rule.pattern.pattern)},
        *"0 1 3 9 12 14 20 31 2019 2024 - – / . , ( ) s.d s/d sd".split(),
        *"12-14 3– 5 dan 6 to 9 hingga 10 s.d.11 Mei June".split() * 20,
    ]
    texts = [_random_text(rng, words, 8) for _ in range(30_000)] + [
        line for text in _seed_texts() for line in text.splitlines()
    ]
    checked = Counter[str]()
    for text in texts:
        folded = ascii_twins(text)
        for rule in meta_time.RULES:
            if rule.pregate is not None and rule.pattern.search(folded):
                assert rule.pregate.search(folded), (rule.name, text)
                checked[rule.name] += 1
    assert checked["day-range"] > 100, checked


def test_nickname_cues_are_in_every_nickname_match() -> None:
    """The quote stage skips its nickname scan in a body without one of the cue words."""
    rng = random.Random(649)
    parts = [
        ["Gus Ipul", "Mensos", "Pria", "Ketua (KPK)", "pria", "Dia ,"],
        [" yang ", " yang  ", ", yang ", " Yang ", " yg "],
        ["", "akrab ", "karib ", "biasa ", "kerap ", "sering ", "lebih ", "Akrab "],
        ["disapa", "dipanggil", "dikenal dengan nama", "dikenal dengan", "dikenal", "DISAPA"],
        ["", " ", "  "],
        ["Gus Ipul", "Pieter", "gus", "Bang Ali", "(Ali)"],
    ]
    texts = ["".join(rng.choice(part) for part in parts) for _ in range(5_000)]
    cues = "disapa dipanggil dikenal dengan nama ditanya dikenali DISAPA Dipanggil".split()
    texts += [_random_text(rng, ["Gus", "Ipul", "yang", ",", *cues], 8) for _ in range(5_000)]
    found = 0
    for text in texts + _seed_texts():
        if quotes._NICKNAME.search(text):
            assert any(word in text for word in quotes._NICKNAME_CUES), text
            found += 1
    assert found > 500


def test_comment_marker_prefilter_holds_wherever_a_marker_is() -> None:
    """The cleaner searches a line for a comment marker only where one may be: the markers'
    shapes (cues.py) with random parts, after random words."""
    rng = random.Random(2096)
    shapes = [
        "At {c} on {d} {m} {y} , {n} wrote :", "At {c} {d}rd {m} {y} , {n} wrote :",
        "Added : Tuesday , {d} {m} , {y} , {c} GMT", "Posted by : {n} | {m} {d} , {y} {c}",
        "Posted by {n} | Report as abusive", "Re : Posted by {n}-{m} {d}st , {y} -- {c}",
        "{m} {d} , {y} at {c} | Reply", "{n} at {c} :", "{d}th {m} {y} - {c} {n}",
        "x | Report abuse", "{n} {m} {d}",
    ]  # fmt: skip
    fields = {
        "c": ["2:10 pm", "18:40", "9:25 AM", "4:59", "11:07 am", "1.05"],
        "d": ["1", "02", "23", "19"], "m": ["Jun", "Mar", "January", "Sept.", "May", "Mei"],
        "y": ["2009", "2010", "2011"], "n": ["ghost", "eye95", "Jason", "high_al", "jenny"],
    }  # fmt: skip
    noise = ["", "kata dia: ", "The | ", "12 ", "Ini ", "a ", "Sumber: ", "\u00e9 "]
    texts = [
        rng.choice(noise)
        + rng.choice(shapes).format(**{k: rng.choice(v) for k, v in fields.items()})
        for _ in range(20_000)
    ]
    texts += [line for text in _seed_texts() for line in text.splitlines()]
    found = 0
    for text in texts:
        if clean_module.COMMENT_MARKER.search(text):
            assert clean_module._may_mark_comment(text), text
            found += 1
    assert found > 5_000


def test_cue_at_end_found_by_its_twin_is_the_case_blind_search() -> None:
    rng = random.Random(1740)
    words = sorted(set(re.findall(r"[a-z]{2,}", quotes._CUE_AT_END.pattern)))
    words += [",", ",", ".", "that", "Budi", "Presiden", '"', "“", "ı", "ſ", "İ", "\u212a", "-nya"]
    texts = [_random_text(rng, words, 10) for _ in range(30_000)] + [
        line for text in _seed_texts() for line in text.splitlines()
    ]
    found = 0
    for text in texts:
        expected = quotes._CUE_AT_END.search(text)
        got = search_lowered(quotes._CUE_AT_END, quotes._CUE_AT_END_LOWER, text)
        assert (got and (got.span(), got.groups())) == (
            expected and (expected.span(), expected.groups())
        ), text
        found += expected is not None
    assert found > 300


def test_cue_verbs_behind_their_first_letters_match_as_the_plain_tries() -> None:
    """:data:`kabar.quotes._VERB`, one branch per first letter, finds what the two tries
    behind ``\\b`` and ``(?<=[a-z])`` find."""
    words = [*quotes._SUBJECT_ID.split("|"), *quotes._EN.split("|")]
    glued = [w for w in quotes._SUBJECT_ID.split("|") if len(w) >= 7]
    plain = re.compile(rf"\b{trie_alternation(words)}\b|(?<=[a-z]){trie_alternation(glued)}\b")
    rng = random.Random(2287)
    vocabulary = [*words, "Putin", "Budi", "x", "_", "-", "’", ",", ".", '"', "1", "é", "\n"]
    texts = [
        _random_text(rng, vocabulary, 8).replace(" ", rng.choice(["", " "])) for _ in range(30_000)
    ] + [line for text in _seed_texts() for line in text.splitlines()]
    found = 0
    for text in texts:
        expected = [(m.span(), m.group()) for m in plain.finditer(text)]
        assert [(m.span(), m.group()) for m in quotes._VERB.finditer(text)] == expected, text
        found += bool(expected)
    assert found > 10_000


def test_no_lowered_twin_for_an_ascii_case_blind_pattern() -> None:
    """Under ``re.ASCII`` a case-blind "k" does not match the Kelvin sign, which lower()
    turns into "k": a twin over the lowercased text would find a match the pattern refuses
    at that place, and miss the pattern's real match after it."""
    from kabar.alternation import lowered_twin, search_lowered

    ascii_blind = re.compile("ok", re.IGNORECASE | re.ASCII)
    assert lowered_twin(ascii_blind) is None
    found = search_lowered(ascii_blind, lowered_twin(ascii_blind), "o\u212a ok")
    assert found is not None and found.start() == 3
    assert lowered_twin(re.compile("(?ai)ok")) is None
    assert lowered_twin(re.compile("ok", re.IGNORECASE)) is not None
