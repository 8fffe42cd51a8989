"""The web UI in a real headless Chromium (Debian's, driven by Playwright) against a real
uvicorn server on a store holding the seed corpus and one hostile article.

Skipped, with the reason, only where no browser is installed: `make test` installs it with
scripts/install-browser.sh (Debian chromium, needs root and apt).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers_store import HOSTILE_OUTLET, hostile_raw, ingest_seeds

from kabar.api import create_app
from kabar.api.server import BackgroundServer
from kabar.store import open_store

CHROMIUM = os.environ.get("KABAR_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SEED_DATES = ["2018-09-06", "2024-03-26", "2024-06-19", "2024-06-20"]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright not installed: pip install -e '.[dev]'"
)
if not Path(CHROMIUM).is_file():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: run `bash scripts/install-browser.sh` as root on Debian "
        "(apt-get install chromium chromium-driver) to run the browser tests",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    db = tmp_path_factory.mktemp("ui") / "kabar.db"
    ingest_seeds(db, [hostile_raw()])
    with BackgroundServer(create_app(str(db), api_key="")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Watch:
    """What a page did that it should not: dialogs, CSP violations, page errors."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.csp: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    watch = Watch()

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda m: watch.csp.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.watch = watch
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _open_seed_story(page: Any, server: BackgroundServer) -> str:
    page.goto(server.url + "/")
    card = page.locator("ol.cards li.card").first
    assert "5 articles" in card.inner_text()
    card.locator("h2 a").click()
    page.wait_for_selector("svg.story-chart >> visible=true")
    return str(page.url)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_story_page_timeline_in_the_browser(
    page: Any, server: BackgroundServer, tmp_path: Path
) -> None:
    url = _open_seed_story(page, server)
    assert "/stories/" in url
    labels = page.locator("svg.story-chart.wide text.tick-label")
    assert labels.count() >= 2
    # Rendered, visible, left to right in time order, the first one with its year.
    boxes = [labels.nth(k).bounding_box() for k in range(labels.count())]
    assert all(b is not None and b["width"] > 10 for b in boxes)
    xs = [b["x"] for b in boxes if b]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert (labels.first.text_content() or "")[-4:] in {"2018", "2019"}
    entries = page.locator("ol.timeline li.entry time").all_inner_texts()
    assert set(SEED_DATES) <= set(entries)
    assert page.locator("svg.coverage rect").count() >= 4
    assert page.get_by_role("link", name="HTML report").is_visible()
    # A numbered event is a keyboard-reachable link to its entry; the script moves focus there.
    dot = page.locator("svg.story-chart.wide a.marker").first
    dot.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.activeElement && document.activeElement.id.startsWith('entry-')"
    )
    focused = page.evaluate("document.activeElement.innerText")
    assert focused.split()[0] in page.locator("ol.main-events li").first.inner_text()
    shot = tmp_path / "story.png"
    page.screenshot(path=str(shot), full_page=True)
    width, height = _png_size(shot)
    assert width == 1100 and height > 1500
    assert page.watch.csp == [] and page.watch.errors == [] and page.watch.dialogs == []


def test_filters_and_sorting(page: Any, server: BackgroundServer) -> None:
    page.goto(server.url + "/")
    all_cards = page.locator("ol.cards li.card").count()
    assert all_cards >= 2
    page.get_by_text("Filter and sort").click()  # folded, so stories come first on a phone
    page.get_by_label("Outlet").fill("Tempo")
    page.get_by_label("Sort by").select_option("recent")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/?*outlet=Tempo*")
    assert page.locator("ol.cards li.card").count() == 1
    assert "5 articles" in page.locator("ol.cards").inner_text()
    assert page.get_by_label("Outlet").input_value() == "Tempo"
    page.get_by_role("link", name="Clear").click()
    assert page.locator("ol.cards li.card").count() == all_cards


def test_search_with_keyboard_and_article_view(page: Any, server: BackgroundServer) -> None:
    page.goto(server.url + "/")
    page.keyboard.press("/")  # the shortcut focuses the search box
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("Sochi")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.results")
    assert page.locator("ol.results mark").first.inner_text() == "Sochi"
    page.locator("ol.results h2 a").first.click()
    page.wait_for_selector("section.original")
    assert "Putin Mau Kerja Sama" in page.locator("h1").inner_text()
    struck = page.locator("section.original del")
    assert struck.count() >= 3
    decoration = struck.first.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert decoration == "line-through"
    assert page.locator("section.body del").count() == 0
    assert page.watch.csp == [] and page.watch.errors == []


def test_api_reference_page(page: Any, server: BackgroundServer) -> None:
    page.goto(server.url + "/")
    page.get_by_role("link", name="API").click()
    page.wait_for_selector("section.operation")
    assert page.locator("h1").inner_text().startswith("REST API")
    page.get_by_role("link", name="POST /api/v1/articles/batch").click()
    assert page.locator(":target h2").inner_text() == "POST /api/v1/articles/batch"
    assert page.watch.csp == [] and page.watch.errors == []


def test_phone_width_has_no_horizontal_scroll(browser: Any, server: BackgroundServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(server.url + "/")
        page.locator("ol.cards h2 a").first.click()
        page.wait_for_selector("svg.story-chart.narrow >> visible=true")
        for _ in range(2):
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1
            page.goto(server.url + "/articles")
        assert page.locator("svg.story-chart").count() == 0
    finally:
        context.close()


HOSTILE_PAGES = ["/", "/?period=30d", "/articles", "/search?q=Zomboid", "/search?q=klik"]


def test_hostile_article_is_inert(page: Any, server: BackgroundServer) -> None:
    with open_store(server_db(server)) as store:
        (evil,) = store.list_articles(outlet=HOSTILE_OUTLET)
        (story_id,) = store.stories_of_article(evil.id)
    urls = [*HOSTILE_PAGES, f"/articles/{evil.id}", f"/stories/{story_id}"]
    for url in urls:
        page.goto(server.url + url)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert page.locator("script:not([src])").count() == 0, url
        assert page.locator("img, [onerror], a[href^='javascript:' i]").count() == 0, url
    # The hostile markup is on screen as text.
    page.goto(f"{server.url}/articles/{evil.id}")
    assert "<script>window.__pwned=1;alert(1)</script>" in page.locator("h1").inner_text()
    assert page.get_by_text("javascript:alert(1)").count() >= 1
    page.get_by_text("klik").first.click()  # plain text: clicking does nothing
    page.get_by_role("link", name=HOSTILE_OUTLET).click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == HOSTILE_OUTLET
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.watch.dialogs == [] and page.watch.errors == []


def server_db(server: BackgroundServer) -> str:
    return str(server._server.config.app.state.db)


def test_upload_an_article_through_the_form(
    page: Any, server: BackgroundServer, tmp_path: Path
) -> None:
    """Last in the file: it adds an article to the shared store."""
    article = tmp_path / "banjir.txt"
    article.write_text(
        "Banjir Rendam Ratusan Rumah di Bandung\n\n"
        "BANDUNG - Banjir merendam ratusan rumah di Kecamatan Dayeuhkolot, Kabupaten Bandung, "
        "pada Rabu (10/7/2024) setelah hujan deras mengguyur sejak sore hari.\n\n"
        "Badan Penanggulangan Bencana Daerah Jawa Barat mengatakan sekitar 300 warga mengungsi "
        "ke masjid dan sekolah terdekat sambil menunggu air surut.\n",
        encoding="utf-8",
    )
    page.goto(server.url + "/")
    page.get_by_role("link", name="Upload").click()
    page.get_by_label("Article files").set_input_files(str(article))
    page.get_by_role("button", name="Ingest").click()
    report = page.locator("section.report")
    report.wait_for()
    assert "1 added" in report.inner_text()
    report.locator("ul.plain").get_by_role("link", name="Banjir Rendam Ratusan Rumah").click()
    page.wait_for_selector("section.body")
    assert "Dayeuhkolot" in page.locator("section.body").inner_text()
    page.goto(server.url + "/search?q=Dayeuhkolot")
    assert page.locator("ol.results mark").first.inner_text() == "Dayeuhkolot"
    assert page.watch.csp == [] and page.watch.errors == []
