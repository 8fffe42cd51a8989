"""Word alternations for regular expressions, written as a trie; case-blind search made fast.

Python's ``re`` tries the branches of ``(?:mengatakan|menyatakan|…)`` one by one at every
position; with shared prefixes factored out (``me(?:n(?:gatakan|yatakan)…)``) a position
that starts no word fails at its first character. The language matched is the same; which
word matches first at a position may differ only where one word is a prefix of another, so
use it where what follows the alternation (``\\b``) lets at most one word match there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_Node = dict[str, "_Node"]


def trie_alternation(words: Iterable[str]) -> str:
    """A pattern matching exactly ``words`` (as literals), their common prefixes factored."""
    tree: _Node = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _pattern(tree)


def _pattern(node: _Node) -> str:
    branches = [re.escape(char) + _pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    # the word may end here: the rest is optional
    return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"


_CASE_ODD = re.compile("[ıſİ]")
_TWINS = str.maketrans({"ı": "i", "ſ": "s", "İ": "I", "\u212a": "K"})
_HAS_TWIN = re.compile("[ıſİ\u212a]")


def ascii_twins(text: str) -> str:
    """``text`` with the non-ASCII letters that ``re.IGNORECASE`` matches to ASCII ones ("ſ"
    to "s", "ı" to "i", "İ", the Kelvin sign) replaced one for one: a case-blind match then
    holds the ASCII word a table is keyed by ("yearſ" matched "years" and looked up nothing),
    at the same offsets. ``text`` itself when it has none."""
    return text.translate(_TWINS) if _HAS_TWIN.search(text) else text


def lowers_plainly(text: str) -> bool:
    """Whether a case-insensitive pattern written in lower case (ASCII letters, classes such
    as ``\\s``, ``\\b``) matches ``text`` where the same pattern, case-sensitive, matches
    ``text.lower()``: true unless ``text`` holds "ı" or "ſ" (which match "i" and "s"
    case-insensitively but stay as they are in lower case) or "İ" (which lowers to two
    characters); every other letter lowers to the one ``re.IGNORECASE`` compares.

    Why bother: ``re`` skips ahead to the characters that can start a match only in a
    case-sensitive pattern, so the lower-case search is four to eight times faster."""
    return text.isascii() or _CASE_ODD.search(text) is None


def may_contain(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` may hold one of ``words`` (lower case) case-insensitively: false only
    when it cannot, so a case-insensitive pattern that needs one of them can be skipped."""
    if not lowers_plainly(text):
        return True
    lower = text.lower()
    return any(word in lower for word in words)


def lowered_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    r"""``pattern`` read case-sensitively over the lowercased text: the same matches where
    :func:`~kabar.alternation.lowers_plainly`, and two to three times faster (``re``
    compares each character case-blind otherwise). Only for a case-blind pattern written in
    lower case (escapes such as ``\b``, ``\S`` and group names aside); None otherwise."""
    if not pattern.flags & re.IGNORECASE or "(?-i" in pattern.pattern:
        return None
    if pattern.flags & re.ASCII or "(?a" in pattern.pattern:
        return None  # case-blind ASCII "k" is no Kelvin sign, its lower() is
    if any(escape[1] in _CODED for escape in _ESCAPE.findall(pattern.pattern)):
        return None  # "\x41", "\101" are an "A"
    written = _GROUP_NAME.sub("", _ESCAPE.sub("", pattern.pattern))
    if any(char.isupper() for char in written):
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


_ESCAPE = re.compile(r"\\.", re.DOTALL)
_CODED = frozenset("xuUN0123456789")
"""Escapes that write a character by its code (or refer to a group)."""
_GROUP_NAME = re.compile(r"\(\?P[<=]\w+[>)]")


def search_lowered(
    pattern: re.Pattern[str], twin: re.Pattern[str] | None, text: str
) -> re.Match[str] | None:
    """``pattern.search(text)``, found by ``twin`` (its :func:`lowered_twin`; None: none)
    over the lowercased text where :func:`lowers_plainly`, then read by ``pattern`` at the
    twin's start: the same match, its groups as written."""
    if twin is None or not lowers_plainly(text):
        return pattern.search(text)
    found = twin.search(text.lower())
    return None if found is None else pattern.match(text, found.start())
