"""The geometry of the time charts the pages draw as inline SVG: a story's timeline (article
volume per period with its main events), the list of events below it, and the small
sparklines of the story list, outlet and entity pages.

Why server-side and computed here: the page is complete before any script runs, the CSP
forbids inline script and style, and the labels are laid out once, for the chart's own
width, so they never overlap. A story of 5 articles and one of 5,000 get the same
geometry: articles are counted per day, week, month or year, whichever keeps the bars at
least a few pixels wide, and only the labels that fit are drawn (text widths are
over-estimated for DejaVu Sans, the widest common UI font, so a real font only leaves more
room). Pure functions over :mod:`kabar.model` and store rows, tested without HTTP.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from kabar.model import Source, TimelineEntry
from kabar.store.base import DayCount

Period = Literal["day", "week", "month", "year"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "year")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WINDOW = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
LEAD_DAYS = 31
"""Timeline entries up to a month before the first article stay on the axis (news reports
yesterday's events); earlier ones are listed apart, never stretch the axis."""
TRAIL_DAYS = 7


@functools.lru_cache(maxsize=65_536)
def to_day(value: str | None) -> date | None:
    """The first day of a ``YYYY[-MM[-DD]]`` period, None if it is not such a value
    (memoised: the page of a story of 2,000 members parses about 4,000 dates, the same
    few hundred each time it is rendered again after an add; a ``date`` is immutable)."""
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def period_start(day: date, period: Period) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    if period == "month":
        return day.replace(day=1)
    if period == "year":
        return day.replace(month=1, day=1)
    return day


def next_start(start: date, period: Period, steps: int = 1) -> date:
    """The first day of the period ``steps`` after ``start``'s (date.max past year 9999)."""
    try:
        return _next_start(start, period, steps)
    except (OverflowError, ValueError):
        return date.max


def _next_start(start: date, period: Period, steps: int) -> date:
    if period == "day":
        return start + timedelta(days=steps)
    if period == "week":
        return start + timedelta(days=7 * steps)
    if period == "month":
        months = start.year * 12 + start.month - 1 + steps
        return date(months // 12, months % 12 + 1, 1)
    return date(start.year + steps, 1, 1)


def period_label(start: date, period: Period, year: bool = True) -> str:
    """``3 May 2010``, ``week of 3 May 2010``, ``May 2010``, ``2010``."""
    tail = f" {start.year}" if year else ""
    if period == "day":
        return f"{start.day} {MONTHS[start.month - 1]}{tail}"
    if period == "week":
        return f"week of {start.day} {MONTHS[start.month - 1]}{tail}"
    if period == "month":
        return f"{MONTHS[start.month - 1]}{tail}"
    return str(start.year)


def text_width(text: str, size: float) -> float:
    """An upper bound of the rendered width of ``text`` at ``size`` px (DejaVu Sans
    advances, the widest of the usual UI fonts, plus 8%)."""
    em = 0.0
    for ch in text:
        if ch.isdigit():
            em += 0.64
        elif ch == " ":
            em += 0.32
        elif ch in "mwMW":
            em += 1.0
        elif ch.isupper():
            em += 0.78
        elif ch in "ijlt.,:;'|!()":
            em += 0.4
        else:
            em += 0.64
    return em * size * 1.08


def independent_outlets(entry: TimelineEntry) -> int:
    """How many outlets report the entry: its rank before its number of sentences (a
    capped entry counts the outlets of its left-out sources too)."""
    kept = {s.outlet or f"unknown:{s.article_id}" for s in entry.sources}
    return len(kept) + entry.more_outlets


def rank_key(entry: TimelineEntry) -> tuple[int, int, float]:
    return (
        -independent_outlets(entry),
        -(len(entry.sources) + entry.more_sources),
        -entry.importance,
    )


def parse_window(value: str) -> tuple[date, date] | None:
    """``YYYY-MM-DD..YYYY-MM-DD`` (the period a reader zoomed into), None if malformed."""
    match = WINDOW.match(value or "")
    if not match:
        return None
    first, last = to_day(match.group(1)), to_day(match.group(2))
    if first is None or last is None or last < first:
        return None
    return first, last


def window_value(first: date, last: date) -> str:
    return f"{first.isoformat()}..{last.isoformat()}"


# -- the story's timeline chart -------------------------------------------------------------


@dataclass(frozen=True)
class VolumeBar:
    x: float
    y: float
    width: float
    height: float
    label: str
    articles: int
    outlets: int
    zoom: str | None
    """The ``window`` value that zooms into this bar's period (None for a day)."""


@dataclass(frozen=True)
class Tick:
    x: float
    label: str | None
    """None: a tick line without a label (no room for it)."""
    x_label: float = 0.0


@dataclass(frozen=True)
class Marker:
    x: float
    number: int
    index: int
    """The entry's position in ``story.timeline`` (its anchor is ``entry-<index>``)."""
    entry: TimelineEntry
    outlets: int


@dataclass(frozen=True)
class StoryChart:
    width: int
    height: int
    period: Period
    bars: list[VolumeBar]
    ticks: list[Tick]
    markers: list[Marker]
    first: date
    last: date
    most: int
    scale_label: str
    x0: float
    x1: float
    top: float = 52.0
    baseline: float = 150.0
    marker_y: float = 34.0
    radius: float = 10.0
    label_y: float = 167.0
    font: float = 12.0
    variant: str = "wide"


def coverage_window(
    volume: Sequence[DayCount], entries: Sequence[TimelineEntry]
) -> tuple[date, date] | None:
    """The days the axis spans: the dated articles, widened to the timeline entries dated
    a little before the first article or just after the last one."""
    days = [d for d in (to_day(c.day) for c in volume) if d is not None]
    if not days:
        return None
    first, last = min(days), max(days)
    for entry in entries:
        day = to_day(entry.date)
        if day is None or entry.granularity not in ("day", "week"):
            continue
        if first - timedelta(days=LEAD_DAYS) <= day < first:
            first = day
        elif last < day <= last + timedelta(days=TRAIL_DAYS):
            last = day
    return first, last


def choose_period(first: date, last: date, slots: int) -> Period:
    """The finest period whose bars fit in ``slots``."""
    for period in PERIODS:
        start, n = period_start(first, period), 0
        while start <= last and n <= slots:
            start, n = next_start(start, period), n + 1
        if n <= slots:
            return period
    return "year"


_TICK_LEVELS: tuple[tuple[Period, int], ...] = (
    ("day", 1),
    ("day", 2),
    ("week", 1),
    ("week", 2),
    ("month", 1),
    ("month", 2),
    ("month", 3),
    ("month", 6),
    ("year", 1),
    ("year", 2),
    ("year", 5),
    ("year", 10),
    ("year", 25),
    ("year", 50),
    ("year", 100),
)


def _tick_days(first: date, end: date, unit: Period, step: int) -> list[date]:
    days: list[date] = []
    day = period_start(first, unit)
    if day < first:
        day = next_start(day, unit)
    while day < end:
        if unit == "day":
            keep = day.toordinal() % step == 0
        elif unit == "week":
            keep = (day.toordinal() // 7) % step == 0
        elif unit == "month":
            keep = (day.month - 1) % step == 0
        else:
            keep = day.year % step == 0
        if keep:
            days.append(day)
        day = next_start(day, unit)
    return days


def _tick_text(day: date, unit: Period, first_label: bool) -> str:
    if unit == "year" or (day.month == 1 and day.day == 1):
        return str(day.year)
    if unit == "month" or day.day == 1:
        return f"{MONTHS[day.month - 1]} {day.year}" if first_label else MONTHS[day.month - 1]
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if first_label else text


def axis_ticks(
    first: date, end: date, x_of: _Scale, x0: float, x1: float, font: float, gap: float = 10.0
) -> list[Tick]:
    """Ticks at the finest calendar step whose labels all fit side by side; a label that
    would still touch its neighbour (or leave the chart) is dropped, its tick kept."""
    chosen: list[Tick] = []
    for unit, step in _TICK_LEVELS:
        days = _tick_days(first, end, unit, step)
        if len(days) > (x1 - x0) / 12:
            continue
        ticks, right, fits = [], x0 - gap - 1, True
        for k, day in enumerate(days):
            x = x_of(day)
            text = _tick_text(day, unit, k == 0)
            half = text_width(text, font) / 2
            cx = min(max(x, x0 + half), x1 - half)
            if cx - half < right + gap:
                fits = False
                ticks.append(Tick(x=x, label=None))
                continue
            right = cx + half
            ticks.append(Tick(x=x, label=text, x_label=cx))
        if fits and ticks:
            return ticks
        if ticks and not chosen:
            chosen = ticks
    return chosen


class _Scale:
    """Days to x: linear in time over the chart's periods."""

    def __init__(self, first: date, end: date, x0: float, x1: float) -> None:
        self.first, self.x0 = first, x0
        self.per_day = (x1 - x0) / max(1, (end - first).days)

    def __call__(self, day: date, offset: float = 0.0) -> float:
        return round(self.x0 + ((day - self.first).days + offset) * self.per_day, 1)


def story_chart(
    volume: Sequence[DayCount],
    timeline: Sequence[TimelineEntry],
    width: int = 900,
    window: tuple[date, date] | None = None,
    markers: int = 8,
    variant: str = "wide",
    numbers: dict[int, int] | None = None,
) -> StoryChart | None:
    """Articles per period over the story's coverage (or the zoomed ``window``), with the
    top ``markers`` timeline entries by independent outlets as numbered dots.

    ``numbers`` (entry index -> number) restricts the dots to another chart's, numbered
    as there: the phone's narrow chart shows fewer of the same main events."""
    span = window or coverage_window(volume, timeline)
    if span is None:
        return None
    first, last = span
    x0, x1 = 8.0, width - 8.0
    period = choose_period(first, last, int((x1 - x0) / 6))
    start = period_start(first, period)
    end = next_start(period_start(last, period), period)
    x_of = _Scale(start, end, x0, x1)
    counts: Counter[date] = Counter()
    outlets: dict[date, set[str]] = {}
    for row in volume:
        day = to_day(row.day)
        if day is None or not first <= day <= last:
            continue
        bucket = period_start(day, period)
        counts[bucket] += row.articles
        outlets.setdefault(bucket, set()).add(row.outlet or "unknown")
    most = max(counts.values(), default=0)
    chart_top, baseline = 52.0, 150.0
    bars: list[VolumeBar] = []
    for bucket, n in sorted(counts.items()):
        left, right = x_of(bucket), x_of(next_start(bucket, period))
        gap = min(2.0, (right - left) * 0.2)
        height = max(1.5, (baseline - chart_top) * n / most)
        last_day = next_start(bucket, period) - timedelta(days=1)
        bars.append(
            VolumeBar(
                x=round(left + gap / 2, 1),
                y=round(baseline - height, 1),
                width=round(max(1.0, right - left - gap), 1),
                height=round(height, 1),
                label=period_label(bucket, period),
                articles=n,
                outlets=len(outlets[bucket]),
                zoom=None if period == "day" else window_value(bucket, last_day),
            )
        )
    radius = 10.0
    placed: list[tuple[float, int, TimelineEntry]] = []
    candidates = sorted(
        (
            (rank_key(e), i, e, day)
            for i, e in enumerate(timeline)
            if e.granularity in ("day", "week")
            and (day := to_day(e.date)) is not None
            and first <= day <= last
            and (numbers is None or i in numbers)
        ),
        key=lambda t: (t[0], t[1]),
    )
    for _key, index, entry, day in candidates:
        if len(placed) >= markers:
            break
        mid = 0.5 if entry.granularity == "day" else 3.5
        x = min(max(x_of(day, mid), x0 + radius), x1 - radius)
        if all(abs(x - other) >= 2 * radius + 4 for other, _, _ in placed):
            placed.append((x, index, entry))
    placed.sort(key=lambda t: (t[0], t[1]))
    chosen = [
        Marker(
            x=x,
            number=numbers[i] if numbers else k + 1,
            index=i,
            entry=e,
            outlets=independent_outlets(e),
        )
        for k, (x, i, e) in enumerate(placed)
    ]
    scale_label = f"{most} article{'s' if most != 1 else ''} a {period} at most"
    return StoryChart(
        width=width,
        height=176,
        period=period,
        bars=bars,
        ticks=axis_ticks(start, end, x_of, x0, x1, 12.0),
        markers=chosen,
        first=first,
        last=last,
        most=most,
        scale_label=scale_label,
        x0=x0,
        x1=x1,
        top=chart_top,
        baseline=baseline,
        radius=radius,
        variant=variant,
    )


# -- the events listed under the chart -----------------------------------------------------


@dataclass(frozen=True)
class ShownEntry:
    index: int
    entry: TimelineEntry
    outlets: int
    top: list[Source]
    """Up to two sentences from other outlets than the summary's, shown."""
    rest: list[Source]
    """The other sentences (at most :data:`FOLDED_SOURCES`), folded."""
    more: int
    """Sentences left out of the page (see the story's articles)."""


@dataclass
class EventGroup:
    key: str
    title: str
    shown: list[ShownEntry] = field(default_factory=list)
    folded: list[ShownEntry] = field(default_factory=list)
    hidden: int = 0
    """Entries of the period not on the page: zoom into it (``zoom``) to see them."""
    zoom: str | None = None


SHOWN_PER_GROUP = 3
FOLDED_PER_GROUP = 15
TOP_SOURCES = 2
FOLDED_SOURCES = 6
FOLDED_BACKGROUND = 40


def shown_entry(index: int, entry: TimelineEntry) -> ShownEntry:
    """The entry with its top sentences (one per other outlet) and the rest folded."""
    top: list[Source] = []
    seen_outlets = {entry.sources[0].outlet} if entry.sources else set()
    seen_text = {entry.summary.strip()}
    rest: list[Source] = []
    for source in entry.sources:
        text = source.sentence.strip()
        if text in seen_text:
            rest.append(source)
            continue
        if len(top) < TOP_SOURCES and source.outlet not in seen_outlets and not source.inferred:
            top.append(source)
            seen_outlets.add(source.outlet)
            seen_text.add(text)
        else:
            rest.append(source)
    return ShownEntry(
        index=index,
        entry=entry,
        outlets=independent_outlets(entry),
        top=top,
        rest=rest[:FOLDED_SOURCES],
        more=max(0, len(rest) - FOLDED_SOURCES),
    )


def group_period(chart_period: Period, first: date, last: date) -> Period:
    """Events are grouped one calendar step coarser than the bars (a day's bars, a week's
    groups), by day when the window is a week or less."""
    if (last - first).days < 7:
        return "day"
    coarser: dict[Period, Period] = {
        "day": "week",
        "week": "month",
        "month": "year",
        "year": "year",
    }
    return coarser[chart_period]


def event_groups(
    timeline: Sequence[TimelineEntry],
    first: date,
    last: date,
    period: Period,
    pinned: Iterable[int] = (),
    whole: bool = True,
) -> list[EventGroup]:
    """The timeline by period, oldest first: in each, the entries most outlets report
    (and the chart's ``pinned`` ones) shown, the others folded or, past a limit, left to
    the period's zoomed page. Entries before or after the window form their own groups
    when ``whole`` (the whole story is shown), and are left out of a zoomed page."""
    pinned_set = set(pinned)
    inside: dict[date, list[tuple[int, TimelineEntry]]] = {}
    before: list[tuple[int, TimelineEntry]] = []
    after: list[tuple[int, TimelineEntry]] = []
    for index, entry in enumerate(timeline):
        day = to_day(entry.date)
        if day is None:
            continue
        if day < first:
            before.append((index, entry))
        elif day > last:
            after.append((index, entry))
        else:
            inside.setdefault(period_start(day, period), []).append((index, entry))
    groups: list[EventGroup] = []
    if whole and before:
        groups.append(_folded_group("before", f"Before {period_label(first, 'day')}", before))
    for start, members in sorted(inside.items()):
        end = next_start(start, period) - timedelta(days=1)
        ranked = sorted(members, key=lambda m: (rank_key(m[1]), m[0]))
        top = {i for i, _ in ranked[:SHOWN_PER_GROUP]} | (pinned_set & {i for i, _ in members})
        rest = [m for m in ranked if m[0] not in top]
        folded = sorted(rest[:FOLDED_PER_GROUP], key=lambda m: (_order(m[1]), m[0]))
        shown = sorted((m for m in members if m[0] in top), key=lambda m: (_order(m[1]), m[0]))
        groups.append(
            EventGroup(
                key=start.isoformat(),
                title=period_label(start, period),
                shown=[shown_entry(i, e) for i, e in shown],
                folded=[shown_entry(i, e) for i, e in folded],
                hidden=max(0, len(rest) - FOLDED_PER_GROUP),
                zoom=window_value(max(start, first), min(end, last))
                if (start, end) != (first, last)
                else None,
            )
        )
    if whole and after:
        groups.append(_folded_group("after", f"After {period_label(last, 'day')}", after))
    return groups


def background_group(entries: Sequence[TimelineEntry], shown: int = 5) -> EventGroup:
    """The background: the dates most outlets give shown (oldest first), the rest folded."""
    ranked = sorted(enumerate(entries), key=lambda m: (rank_key(m[1]), m[0]))
    top = sorted(ranked[:shown], key=lambda m: (_order(m[1]), m[0]))
    rest = sorted(ranked[shown : shown + FOLDED_BACKGROUND], key=lambda m: (_order(m[1]), m[0]))
    return EventGroup(
        key="background",
        title="Background",
        shown=[shown_entry(i, e) for i, e in top],
        folded=[shown_entry(i, e) for i, e in rest],
        hidden=max(0, len(entries) - shown - FOLDED_BACKGROUND),
    )


def _order(entry: TimelineEntry) -> tuple[str, int]:
    """Chronological, a day before the week, month or year that contains it."""
    return (entry.date, len(entry.date))


def _folded_group(key: str, title: str, members: list[tuple[int, TimelineEntry]]) -> EventGroup:
    members = sorted(members, key=lambda m: (_order(m[1]), m[0]))
    return EventGroup(
        key=key,
        title=title,
        folded=[shown_entry(i, e) for i, e in members[:FOLDED_PER_GROUP]],
        hidden=max(0, len(members) - FOLDED_PER_GROUP),
    )


def period_options(first: date, last: date, period: Period) -> list[tuple[str, str]]:
    """(window value, label) of each ``period`` of the coverage, for the period selector."""
    options: list[tuple[str, str]] = []
    start = period_start(first, period)
    while start <= last and len(options) < 400:
        end = next_start(start, period) - timedelta(days=1)
        options.append(
            (window_value(max(start, first), min(end, last)), period_label(start, period))
        )
        start = next_start(start, period)
    return options


# -- sparklines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    points: str
    """The polyline's ``points`` attribute."""
    area: str
    """The closed polygon under it."""
    total: int
    first: str
    last: str
    period: Period
    most: int


def sparkline(
    volume: Iterable[DayCount],
    first: date | None = None,
    last: date | None = None,
    width: int = 120,
    height: int = 28,
    slots: int = 40,
) -> Sparkline | None:
    """Articles per period between ``first`` and ``last`` (default: the rows' own span)
    as a small line, zero where nothing was published."""
    counts: Counter[date] = Counter()
    for row in volume:
        day = to_day(row.day)
        if day is not None and (first is None or day >= first) and (last is None or day <= last):
            counts[day] += row.articles
    if not counts:
        return None
    lo, hi = first or min(counts), last or max(counts)
    period = choose_period(lo, hi, slots)
    buckets: Counter[date] = Counter()
    for day, n in counts.items():
        buckets[period_start(day, period)] += n
    starts, start = [], period_start(lo, period)
    while start <= hi:
        starts.append(start)
        start = next_start(start, period)
    most = max(buckets.values())
    step = (width - 2) / max(1, len(starts) - 1)
    xy = [
        (round(1 + k * step, 1), round(height - 1 - (height - 3) * buckets[s] / most, 1))
        for k, s in enumerate(starts)
    ]
    if len(xy) == 1:
        xy = [(1.0, xy[0][1]), (width - 1.0, xy[0][1])]
    points = " ".join(f"{x},{y}" for x, y in xy)
    area = f"{xy[0][0]},{height - 1} {points} {xy[-1][0]},{height - 1}"
    return Sparkline(
        width=width,
        height=height,
        points=points,
        area=area,
        total=sum(counts.values()),
        first=lo.isoformat(),
        last=hi.isoformat(),
        period=period,
        most=most,
    )


# -- the overview: which stories are new, growing or fading ----------------------------------

Activity = Literal["new", "growing", "steady", "fading"]
ACTIVITIES: tuple[Activity, ...] = ("new", "growing", "steady", "fading")
OVERVIEW_PERIODS: dict[str, tuple[str, int | None]] = {
    "today": ("today", 1),
    "7d": ("7 days", 7),
    "30d": ("30 days", 30),
    "all": ("all", None),
}
"""Period choices of the story list: label and length in days (None: the whole store).
"Today" is the day of the newest article in the store, not the clock's (corpora are often
historical)."""


@dataclass(frozen=True)
class OverviewWindow:
    first: date
    last: date
    days: int

    @property
    def previous(self) -> tuple[date, date]:
        return self.first - timedelta(days=self.days), self.first - timedelta(days=1)

    @property
    def spark_first(self) -> date:
        """Sparklines show four periods (two weeks at least), so a trend is visible."""
        return self.last - timedelta(days=max(4 * self.days, 14) - 1)


def overview_window(newest: str | None, period: str) -> OverviewWindow | None:
    """The ``period`` ending on the newest article's day; None for "all" or no dates."""
    days = OVERVIEW_PERIODS.get(period, ("", None))[1]
    last = to_day(newest)
    if days is None or last is None:
        return None
    return OverviewWindow(first=last - timedelta(days=days - 1), last=last, days=days)


@dataclass(frozen=True)
class StoryActivity:
    activity: Activity | None
    recent: int
    """Articles of the story in the window."""
    before: int
    """Articles in the window of the same length just before."""
    spark: Sparkline | None


def story_activity(
    volume: Sequence[DayCount], first_date: str | None, window: OverviewWindow | None
) -> StoryActivity:
    """New (its first article is in the window), growing or fading (more or fewer articles
    than in the window before), or steady; with its sparkline (over the recent weeks, the
    same span for every story of the list, or its own span when the whole store is shown)."""
    if window is None:
        return StoryActivity(None, 0, 0, sparkline(volume))
    recent = before = 0
    prev_first, prev_last = window.previous
    for row in volume:
        day = to_day(row.day)
        if day is None:
            continue
        if window.first <= day <= window.last:
            recent += row.articles
        elif prev_first <= day <= prev_last:
            before += row.articles
    start = to_day(first_date)
    activity: Activity
    if start is not None and start >= window.first:
        activity = "new"
    elif recent > before:
        activity = "growing"
    elif recent < before:
        activity = "fading"
    else:
        activity = "steady"
    spark = sparkline(volume, window.spark_first, window.last)
    return StoryActivity(activity, recent, before, spark)
