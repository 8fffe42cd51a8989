"""What the pages compute on top of the store: the geometry of the SVG charts (timeline
axis, outlet coverage bars) rendered server-side.

Pure functions over :mod:`kabar.model` dataclasses, so they are tested without HTTP. The
charts are inline SVG drawn here rather than by a JavaScript library: no CDN, no inline
script (the CSP forbids it), and the page is complete before any script runs.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from kabar.model import Article, TimelineEntry


def to_day(value: str) -> date | None:
    """The first day of a ``YYYY[-MM[-DD]]`` period, None if it is not such a value."""
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


# -- timeline axis -------------------------------------------------------------------------


@dataclass(frozen=True)
class AxisPoint:
    x: float
    r: float
    date: str
    granularity: str
    summary: str
    sources: int
    anchor: str


@dataclass(frozen=True)
class AxisBreak:
    x: float
    years: int


@dataclass(frozen=True)
class TimelineAxis:
    width: int
    height: int
    y: float
    x0: float
    x1: float
    points: list[AxisPoint]
    breaks: list[AxisBreak]


def timeline_axis(entries: list[TimelineEntry], width: int = 760) -> TimelineAxis | None:
    """Where each dated entry sits on a horizontal time axis.

    Stories span decades ("relations since 1950") yet their news is days apart, so a linear
    axis would crush the recent events into one dot. Spacing is instead 2 + log10(1 + days)
    between consecutive dates: order and relative closeness stay readable, and gaps of more
    than two years are drawn as an axis break so the compression is visible, not hidden.
    """
    dated = [(to_day(e.date), i, e) for i, e in enumerate(entries)]
    points_in = [(d, i, e) for d, i, e in dated if d is not None]
    if not points_in:
        return None
    points_in.sort(key=lambda t: (t[0], t[1]))
    x0, x1, y = 80.0, width - 24.0, 44.0
    steps = [0.0]
    for (prev, _, _), (cur, _, _) in pairwise(points_in):
        days = (cur - prev).days
        steps.append(0.0 if days == 0 else 2.0 + math.log10(1 + days))
    total = sum(steps)
    scale = (x1 - x0) / total if total else 0.0
    points: list[AxisPoint] = []
    breaks: list[AxisBreak] = []
    x = x0 if total else (x0 + x1) / 2
    for k, ((day, index, entry), step) in enumerate(zip(points_in, steps, strict=True)):
        if k and (day - points_in[k - 1][0]).days > 730:
            breaks.append(
                AxisBreak(
                    x=x + step * scale / 2, years=round((day - points_in[k - 1][0]).days / 365.25)
                )
            )
        x += step * scale
        points.append(
            AxisPoint(
                x=round(x, 1),
                r=4.0 + 1.5 * min(len(entry.sources), 4),
                date=entry.date,
                granularity=entry.granularity,
                summary=entry.summary,
                sources=len(entry.sources),
                anchor=f"entry-{index}",
            )
        )
    return TimelineAxis(width=width, height=125, y=y, x0=x0, x1=x1, points=points, breaks=breaks)


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
    counts = Counter(a.outlet or "unknown" for a in articles)
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
