"""Photo captions among the lines the cleaner set apart, with their credits blanked out.

A caption says who is pictured ("Presiden Russia, Vladimir Putin (kiri) saat bertemu dengan
PM Vietnam, Pham Minh Chinh, di Hanoi"), and sometimes names someone the body never does, so
the entity stage tags captions too (the cleaner rightly keeps them out of the body and so out
of the timeline). A line is a caption when it carries a caption's own marks: a position in
parentheses ("(kiri)", "(kedua kanan)", "(left)"), or a photo credit ("Foto:", "ANTARA
FOTO/...", "(REUTERS/...)", "(Twitter.com/...)"). Related-article teasers and menus, the
other lines the cleaner removes, have neither. Hand-written (no package detects captions):
the marks are the conventions of Indonesian and English news sites.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kabar.text import WEB_ENDING

# Where the pictured person stands: "(kiri)", "(dua dari kanan)", "(tengah, berbaju putih)".
_POSITION = re.compile(
    r"\((?:[^()]{0,30}?\b)?(?:kiri|kanan|tengah|left|right|cent(?:er|re))\b[^()]{0,40}\)"
    r"|\((?:ki|ka|L|R|C)\)",
    re.IGNORECASE,
)
# Photo credits: the credit itself is not a description, so it is blanked out before tagging.
_CREDIT = re.compile(
    r"\((?:[^()]*?\b)?(?:foto|photo|antara|reuters|afp|ap|getty|epa|anadolu|dok)\b[^()]*\)"
    rf"|\([\w.-]+\.{WEB_ENDING}/[^()]*\)"
    r"|(?:ANTARA\s+FOTO|AFP\s+PHOTO|REUTERS|ANTARA|AFP|AP|EPA)/[^()\n]*$"
    r"|(?<![\w])(?:Foto|FOTO|Photo|PHOTO)\s*:[^\n]*$",
    re.IGNORECASE,
)
MIN_WORDS = 4  # a caption describes; what is left of a bare credit line is not one
_WORDS = re.compile(r"\w+")


def captions(lines: Sequence[str]) -> list[tuple[int, str]]:
    """``(index, text)`` of the caption lines, credits replaced by spaces.

    Offsets into the returned text are offsets into the original line (the credit is blanked,
    not cut), so a mention found there can point back at ``lines[index]``.
    """
    out: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        # (a position is in brackets; a credit is in brackets, or after a "/" or a ":")
        has_position = "(" in line and _POSITION.search(line) is not None
        credits = list(_CREDIT.finditer(line)) if _may_credit(line) else []
        if not has_position and not credits:
            continue
        text = line
        for match in credits:
            text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
        if len(_WORDS.findall(text)) >= MIN_WORDS:
            out.append((index, text))
    return out


def _may_credit(line: str) -> bool:
    """Whether a line holds a character that every :data:`_CREDIT` match holds (most of the
    removed lines have none: the case-blind pattern is slow where it has to be tried)."""
    return "(" in line or "/" in line or ":" in line
