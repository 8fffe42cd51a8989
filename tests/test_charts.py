"""The time charts' geometry (kabar.api.charts), without a browser: the story chart stays
within its width and its labels apart from 5 to 5,000 articles, on a phone's width and a
desktop's; events are grouped and folded; the overview's activity and sparklines; and the
pages that show them (story list by period, outlet, entity, search).

Real dates: the publication days of Timeline17 dev articles (English news of 2009-2011;
read with kabar's JSONL reader, no processing), the bigger sets made of several topics.
The browser's own layout of the labels is checked in tests/test_ui_timeline.py.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers_store import hostile_raw, ingest_seeds

from kabar.api import charts, create_app
from kabar.ingest import read_path
from kabar.model import RawArticle, Source, TimelineEntry
from kabar.store import DayCount, open_store

T17 = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "t17-dev"


def _t17_volume(folders: list[str]) -> list[DayCount]:
    counts: Counter[tuple[str, str]] = Counter()
    for folder in folders:
        outlet = folder.split("_")[1]
        for raw in read_path(T17 / folder / "articles.jsonl"):
            if isinstance(raw, RawArticle) and raw.published:
                counts[(raw.published[:10], outlet)] += 1
    return [DayCount(day, outlet, n) for (day, outlet), n in sorted(counts.items())]


@pytest.fixture(scope="module")
def volumes() -> dict[str, list[DayCount]]:
    if not T17.is_dir():
        pytest.skip(f"needs Timeline17 dev data at {T17}")
    every = sorted(p.name for p in T17.iterdir() if (p / "articles.jsonl").is_file())
    mj = _t17_volume(["MJ_bbc"])
    first_five: list[DayCount] = []
    for row in mj:  # the first five articles of a topic
        if sum(r.articles for r in first_five) + row.articles <= 5:
            first_five.append(row)
    big = _t17_volume(every)
    # 5,000 articles: every topic twice more, under other outlets (syndicated copies).
    copies = [DayCount(r.day, f"copy-{k}", r.articles) for k in (1, 2) for r in big]
    return {
        "5": first_five,
        "MJ": mj,
        "bpoil-2": _t17_volume(["bpoil_bbc", "bpoil_reuters"]),
        "all": big,
        "5000": big + copies,
    }


def _entries(volume: list[DayCount], n: int = 60) -> list[TimelineEntry]:
    """Timeline entries on the busiest days, reported by more outlets the busier the day."""
    per_day: dict[str, set[str]] = {}
    for row in volume:
        if row.day:
            per_day.setdefault(row.day, set()).add(row.outlet or "")
    days = sorted(per_day, key=lambda d: (-len(per_day[d]), d))[:n]
    return [
        TimelineEntry(
            date=day,
            granularity="day",
            summary=f"event of {day}",
            sources=[Source(f"{k:016x}", o, f"{o} on {day}") for k, o in enumerate(per_day[day])],
        )
        for day in days
    ]


def _labels_apart(chart: charts.StoryChart) -> None:
    boxes = []
    for tick in chart.ticks:
        if tick.label:
            half = charts.text_width(tick.label, chart.font) / 2
            boxes.append((tick.x_label - half, tick.x_label + half))
    assert len(boxes) >= 2
    assert all(chart.x0 - 0.01 <= a and b <= chart.x1 + 0.01 for a, b in boxes)
    assert all(b1 < a2 for (_, b1), (a2, _) in itertools.pairwise(boxes))


@pytest.mark.parametrize("name", ["5", "MJ", "bpoil-2", "all", "5000"])
@pytest.mark.parametrize("width", [360, 900])
def test_story_chart_scales(volumes: dict[str, list[DayCount]], name: str, width: int) -> None:
    volume = volumes[name]
    entries = _entries(volume)
    chart = charts.story_chart(volume, entries, width, markers=8 if width > 500 else 5)
    assert chart is not None
    # Every dated article is in a bar, the bars are wide enough, apart, inside the chart.
    dated = sum(r.articles for r in volume if r.day)
    assert sum(b.articles for b in chart.bars) == dated
    assert len(chart.bars) <= (width - 16) / 6 + 1
    assert all(b.width >= 1 for b in chart.bars)
    xs = [(b.x, b.x + b.width) for b in chart.bars]
    assert all(right <= nxt + 0.11 for (_, right), (nxt, _) in itertools.pairwise(xs))
    assert chart.x0 - 0.1 <= xs[0][0] and xs[-1][1] <= chart.x1 + 0.1
    assert max(b.articles for b in chart.bars) == chart.most
    _labels_apart(chart)
    # Numbered events: in time order, apart, the one most outlets report among them.
    ms = chart.markers
    assert [m.number for m in ms] == list(range(1, len(ms) + 1))
    assert all(b.x - a.x >= 2 * chart.radius for a, b in itertools.pairwise(ms))
    best = min(entries, key=charts.rank_key)
    assert any(m.entry is best for m in ms)
    assert 1 <= len(ms) <= (8 if width > 500 else 5)


def test_the_period_coarsens_with_the_span(volumes: dict[str, list[DayCount]]) -> None:
    periods = {
        name: charts.story_chart(v, [], 900).period  # type: ignore[union-attr]
        for name, v in volumes.items()
    }
    order = list(charts.PERIODS)
    assert periods["5"] in ("day", "week", "month")
    assert order.index(periods["all"]) >= order.index(periods["bpoil-2"])
    # Zoomed into one month of the busiest story: days.
    first = date(2010, 6, 1)
    zoomed = charts.story_chart(
        volumes["bpoil-2"], [], 900, window=(first, first + timedelta(days=29))
    )
    assert zoomed is not None and zoomed.period == "day" and len(zoomed.bars) <= 30
    assert all(b.zoom is None for b in zoomed.bars)


def test_entries_before_the_coverage_stay_off_the_axis() -> None:
    volume = [DayCount("2024-06-19", "a", 2), DayCount("2024-06-20", "b", 1)]
    entries = [
        TimelineEntry("1950", "year", "relations since 1950"),
        TimelineEntry("2024-06-10", "day", "ten days before"),
        TimelineEntry("2024-06-20", "day", "the visit"),
        TimelineEntry("2059", "year", "a plan for 2059"),
    ]
    first, last = charts.coverage_window(volume, entries)  # type: ignore[misc]
    assert (first, last) == (date(2024, 6, 10), date(2024, 6, 20))
    groups = charts.event_groups(entries, first, last, "week")
    assert [g.key for g in groups] == ["before", "2024-06-10", "2024-06-17", "after"]
    assert [s.entry.date for s in groups[0].folded] == ["1950"]
    assert [s.entry.date for s in groups[-1].folded] == ["2059"]
    zoomed = charts.event_groups(entries, first, last, "week", whole=False)
    assert [g.key for g in zoomed] == ["2024-06-10", "2024-06-17"]


def test_event_groups_fold_all_but_the_top(volumes: dict[str, list[DayCount]]) -> None:
    volume = volumes["bpoil-2"]
    entries = _entries(volume, n=200)
    chart = charts.story_chart(volume, entries, 900)
    assert chart is not None
    pinned = [m.index for m in chart.markers]
    groups = charts.event_groups(entries, chart.first, chart.last, "month", pinned)
    seen = [s.index for g in groups for s in g.shown + g.folded]
    assert len(seen) == len(set(seen))
    assert len(seen) + sum(g.hidden for g in groups) == len(entries)
    assert set(pinned) <= {s.index for g in groups for s in g.shown}
    for g in groups:
        extra = len({s.index for s in g.shown} & set(pinned))
        assert len(g.shown) <= charts.SHOWN_PER_GROUP + extra
        top = min((s.entry for s in g.shown), key=charts.rank_key, default=None)
        for s in g.folded:  # nothing folded outranks what is shown
            assert top is not None and charts.rank_key(top) <= charts.rank_key(s.entry)
        assert [s.entry.date for s in g.shown] == sorted(s.entry.date for s in g.shown)


def test_an_entry_shows_other_outlets_first() -> None:
    entry = TimelineEntry(
        "2024-06-20",
        "day",
        "A said it",
        sources=[
            Source("a" * 16, "A", "A said it"),
            Source("b" * 16, "A", "A again"),
            Source("c" * 16, "B", "B said it"),
            Source("d" * 16, "C", "C said it", inferred=True),
            Source("e" * 16, "D", "D said it"),
            *[Source(f"{k:016x}", "E", f"E {k}") for k in range(20)],
        ],
    )
    shown = charts.shown_entry(7, entry)
    assert [s.outlet for s in shown.top] == ["B", "D"]
    assert len(shown.rest) == charts.FOLDED_SOURCES
    assert shown.more == len(entry.sources) - 2 - charts.FOLDED_SOURCES
    assert shown.outlets == 5


def test_parse_window() -> None:
    assert charts.parse_window("2010-05-01..2010-05-31") == (date(2010, 5, 1), date(2010, 5, 31))
    for bad in ("", "2010-05-31..2010-05-01", "2010-02-30..2010-03-01", "x..y", "2010-05-01"):
        assert charts.parse_window(bad) is None
    assert charts.next_start(date(9999, 6, 1), "year") == date.max


def test_activity_and_sparklines() -> None:
    window = charts.overview_window("2025-06-20", "7d")
    assert window is not None and window.first == date(2025, 6, 14)
    assert charts.overview_window("2025-06-20", "all") is None
    assert charts.overview_window(None, "7d") is None
    growing = [DayCount("2025-06-10", "a", 1), DayCount("2025-06-19", "a", 3)]
    fading = [DayCount("2025-06-09", "a", 4), DayCount("2025-06-15", "a", 1)]
    new = [DayCount("2025-06-18", "a", 2)]
    assert charts.story_activity(growing, "2025-06-01", window).activity == "growing"
    assert charts.story_activity(fading, "2025-06-01", window).activity == "fading"
    got = charts.story_activity(new, "2025-06-18", window)
    assert (got.activity, got.recent, got.before) == ("new", 2, 0)
    spark = charts.story_activity(growing, "2025-06-01", window).spark
    assert spark is not None and spark.total == 4 and spark.period == "day"
    assert spark.first == "2025-05-24" and spark.last == "2025-06-20"
    assert len(spark.points.split()) == 28
    ys = [float(p.split(",")[1]) for p in spark.points.split()]
    assert min(ys) == ys[-2]  # the highest point is 2025-06-19's
    assert charts.sparkline([]) is None


# -- the pages ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("charts") / "kabar.db"
    ingest_seeds(db, [hostile_raw()])
    yield TestClient(create_app(str(db), api_key=""))


def test_story_list_by_period(client: TestClient) -> None:
    html = client.get("/").text
    assert html.count('<svg class="sparkline"') == html.count('<li class="card">') > 0
    assert 'aria-current="page">all<' in html
    week = client.get("/", params={"period": "7d"}).text
    assert 'aria-current="page">7 days<' in week
    assert '<section class="activity' in week and "activity-badge" in week
    today = client.get("/", params={"period": "today"}).text
    assert "against the 1 day before" in today
    assert client.get("/", params={"period": "week"}).status_code == 422
    # The period stays on the filter form and the period links keep the filters.
    filtered = client.get("/", params={"period": "30d", "outlet": "Tempo"}).text
    assert '<input type="hidden" name="period" value="30d">' in filtered
    assert 'href="/?outlet=Tempo&amp;period=7d"' in filtered


def test_outlet_entity_and_search_pages(client: TestClient) -> None:
    outlet = client.get("/outlets/Tempo").text
    assert '<svg class="story-chart wide"' in outlet and "Coverage over time" in outlet
    assert '<a class="bar"' not in outlet  # no story to zoom into
    entity = client.get("/entities/Vladimir Putin").text
    assert '<svg class="story-chart wide"' in entity
    with open_store(str(client.app.state.db)) as store:  # type: ignore[attr-defined]
        story = store.list_stories(limit=1)[0]
    search = client.get("/search", params={"q": "Sochi"}).text
    assert f'In the story <a href="/stories/{story.id}">' in search


def test_hostile_titles_are_escaped_in_the_new_views(client: TestClient) -> None:
    for url in ("/?period=30d", "/?period=all", "/search?q=klik"):
        html = client.get(url).text
        assert "<script>window.__pwned" not in html


def test_background_shows_the_most_reported_dates_first() -> None:
    entries = [
        TimelineEntry(
            str(1900 + k),
            "year",
            f"in {1900 + k}",
            sources=[Source(f"{j:016x}", f"outlet-{j}", "s") for j in range(1 + k % 7)],
        )
        for k in range(50)
    ]
    group = charts.background_group(entries)
    shown = [s.entry for s in group.shown]
    assert len(shown) == 5 and [e.date for e in shown] == sorted(e.date for e in shown)
    assert {charts.independent_outlets(e) for e in shown} == {7}
    assert len(group.folded) == charts.FOLDED_BACKGROUND and group.hidden == 5
    assert all(charts.independent_outlets(s.entry) <= 7 for s in group.folded)
