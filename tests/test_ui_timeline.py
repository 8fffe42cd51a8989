"""The story page of a big real story in a real headless Chromium (Debian's, driven by
Playwright): Timeline17's BP oil spill articles of the BBC and Reuters (591 articles, one
story) ingested through the real pipeline.

What is checked is what a reader sees: the chart's labels, read back as the browser laid
them out (bounding boxes), never overlap, at desktop and phone widths, on the whole story
and on a zoomed period; the first screen holds the summary, the chart and the main events;
zooming, the period selector and the numbered events work, with no CSP violation.

Skipped, with the reason, where no browser or no Timeline17 dev data is installed.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kabar import service
from kabar.api import create_app
from kabar.api.server import BackgroundServer
from kabar.ingest import read_path
from kabar.model import RawArticle
from kabar.store import open_store

CHROMIUM = os.environ.get("KABAR_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
T17 = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "t17-dev"
FOLDERS = ("bpoil_bbc", "bpoil_reuters")
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright not installed: pip install -e '.[dev]'"
)
if not Path(CHROMIUM).is_file():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: run `bash scripts/install-browser.sh` as root",
        allow_module_level=True,
    )
if not all((T17 / f / "articles.jsonl").is_file() for f in FOLDERS):
    pytest.skip(f"needs Timeline17 dev data at {T17}", allow_module_level=True)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BackgroundServer, str]]:
    """(server, id of the biggest story) over the two folders, the folder's outlet."""
    db = tmp_path_factory.mktemp("ui-big") / "kabar.db"
    raws = [
        dataclasses.replace(r, outlet=folder.split("_")[1])
        for folder in FOLDERS
        for r in read_path(T17 / folder / "articles.jsonl")
        if isinstance(r, RawArticle)
    ]
    with open_store(str(db)) as store:
        service.ingest(store, raws)
        story = max(store.iter_stories(), key=lambda s: len(set(s.article_ids)))
    assert len(set(story.article_ids)) >= 500
    with BackgroundServer(create_app(str(db), api_key="")) as running:
        yield running, story.id


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _open(browser: Any, viewport: dict[str, int], url: str) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(15_000)
    page.goto(url)
    page.wait_for_selector("svg.story-chart >> visible=true")
    return context, page, problems


LABEL_BOXES = """() => {
  const svg = [...document.querySelectorAll('svg.story-chart')]
    .find(s => getComputedStyle(s).display !== 'none');
  const frame = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, x: r.left, y: r.top, right: r.right, bottom: r.bottom,
            size: parseFloat(getComputedStyle(t).fontSize) * frame.width / svg.viewBox.baseVal.width};
  });
  return {variant: svg.classList.contains('wide') ? 'wide' : 'narrow',
          frame: {x: frame.left, y: frame.top, right: frame.right, bottom: frame.bottom},
          texts: texts};
}"""


def _overlaps(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = []
    for k, a in enumerate(boxes):
        for b in boxes[k + 1 :]:
            if (
                a["x"] < b["right"]
                and b["x"] < a["right"]
                and a["y"] < b["bottom"]
                and (b["y"] < a["bottom"])
            ):
                found.append((a["text"], b["text"]))
    return found


def _check_labels(page: Any, variant: str) -> list[dict[str, Any]]:
    seen = page.evaluate(LABEL_BOXES)
    assert seen["variant"] == variant
    texts = seen["texts"]
    assert len(texts) >= 3, texts  # the scale and at least two dates
    assert _overlaps(texts) == []
    frame = seen["frame"]
    for t in texts:  # inside the chart, and readable (not shrunk to 5 px on a phone)
        assert frame["x"] - 0.5 <= t["x"] and t["right"] <= frame["right"] + 0.5, t
        assert t["size"] >= 10, t
    return list(texts)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_chart_labels_never_overlap(
    browser: Any, big: tuple[BackgroundServer, str], viewport: dict[str, int]
) -> None:
    server, story_id = big
    variant = "wide" if viewport["width"] > 700 else "narrow"
    context, page, problems = _open(browser, viewport, f"{server.url}/stories/{story_id}")
    try:
        texts = _check_labels(page, variant)
        numbers = [t["text"] for t in texts if t["text"].isdigit() and len(t["text"]) < 3]
        assert len(numbers) >= (5 if variant == "wide" else 3)
        # Zoomed into the busiest period, then into one of its weeks: labels still fit.
        bars = page.locator(f"svg.story-chart.{variant} a.bar")
        counts = [
            int(a.split(":")[1].split()[0])
            for a in bars.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
        ]
        bars.nth(counts.index(max(counts))).click()
        page.wait_for_url("**window=*")
        zoomed = _check_labels(page, variant)
        assert zoomed != texts
        if page.locator(f"svg.story-chart.{variant} a.bar").count():
            page.locator(f"svg.story-chart.{variant} a.bar").first.click()
            page.wait_for_function("document.location.search.includes('window=')")
            _check_labels(page, variant)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1
        assert problems == []
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_first_screen_shows_summary_chart_and_main_events(
    browser: Any, big: tuple[BackgroundServer, str], viewport: dict[str, int], tmp_path: Path
) -> None:
    server, story_id = big
    context, page, problems = _open(browser, viewport, f"{server.url}/stories/{story_id}")
    try:
        height = viewport["height"]
        summary = page.locator("section.summary").bounding_box()
        chart = page.locator("svg.story-chart:visible").bounding_box()
        main = page.locator("ol.main-events li").first.bounding_box()
        assert summary is not None and chart is not None and main is not None
        assert summary["y"] < chart["y"] < main["y"]
        assert chart["y"] + chart["height"] <= height  # the whole chart
        assert main["y"] + 20 <= height  # the first main event's line
        first_event = page.locator("ol.main-events li").first.inner_text()
        assert "outlet" in first_event and any(ch.isdigit() for ch in first_event)
        page.screenshot(path=str(tmp_path / "first-screen.png"))
        assert problems == []
    finally:
        context.close()


def test_period_selector_marker_and_folded_events(
    browser: Any, big: tuple[BackgroundServer, str]
) -> None:
    server, story_id = big
    context, page, problems = _open(browser, DESKTOP, f"{server.url}/stories/{story_id}")
    try:
        # A numbered event moves focus to its entry in the list below.
        marker = page.locator("svg.story-chart.wide a.marker").first
        href = marker.get_attribute("href")
        marker.click()
        page.wait_for_function(
            f"document.activeElement && document.activeElement.id === '{href[1:]}'"
        )
        # Each period shows a few events, the rest folded.
        groups = page.locator("section.period-group")
        assert groups.count() >= 6
        folded = page.locator("details.more-events").first
        assert folded.count() == 1 and not folded.evaluate("d => d.open")
        shown = page.locator("section.period-group:not(#p-before) > ol.timeline > li.entry")
        assert 0 < shown.count() <= 3 * groups.count() + 8
        # The period selector (the script submits it on change) zooms, and back.
        options = page.locator("#period option")
        value = options.nth(2).get_attribute("value")
        page.select_option("#period", value)
        page.wait_for_url(f"**window={value}*")
        assert page.locator("#timeline-h time").count() == 2
        page.get_by_role("link", name="Whole story").click()
        page.wait_for_function("!document.location.search.includes('window=')")
        assert problems == []
    finally:
        context.close()
