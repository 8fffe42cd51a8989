"""What the pages compute on top of the store: the outlet coverage bars (rendered
server-side as SVG; the time charts are in :mod:`kabar.api.charts`) and the original text
of an article with its removed lines.

Pure functions over :mod:`kabar.model` dataclasses, so they are tested without HTTP. The
charts are inline SVG drawn here rather than by a JavaScript library: no CDN, no inline
script (the CSP forbids it), and the page is complete before any script runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from kabar.model import Article

# -- outlet coverage -----------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    width: float
    y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]


def coverage_chart(articles: list[Article], width: int = 760) -> BarChart | None:
    """Articles per outlet, biggest first: who covers the story, and how much."""
    return outlet_chart(Counter(a.outlet or "unknown" for a in articles), width)


def outlet_chart(counts: Mapping[str, int], width: int = 760) -> BarChart | None:
    """:func:`coverage_chart` from counts (the store's per-outlet volume of a story)."""
    if not counts:
        return None
    label_width, row = 190, 28
    most = max(counts.values())
    room = width - label_width - 50
    bars = [
        Bar(label=name, count=n, width=max(2.0, room * n / most), y=8 + k * row)
        for k, (name, n) in enumerate(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    ]
    return BarChart(width=width, height=16 + row * len(bars), label_width=label_width, bars=bars)


# -- the original text with the removed lines marked -------------------------------------


@dataclass(frozen=True)
class RawLine:
    text: str
    removed: bool


def raw_lines(article: Article, max_lines: int = 2000) -> list[RawLine]:
    """The original text line by line, each line the cleaner dropped flagged as removed."""
    removed = {line.strip() for line in article.removed if line.strip()}
    lines = [line.strip() for line in article.raw_text.splitlines()]
    return [RawLine(line, line in removed) for line in lines if line][:max_lines]
