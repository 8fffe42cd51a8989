"""Follows in a real headless Chromium at phone width (390 px) against a real uvicorn
server: follow an entity from its page, ingest new articles through the API, and see the
alert on the follow's page (escaped) and at a real local webhook receiver (signed).

Skipped where no browser is installed (see tests/test_ui.py)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from helpers_store import SCRIPT, SEEDS
from test_follows import FAST, Receiver

from kabar import service
from kabar.api import create_app
from kabar.api.server import BackgroundServer
from kabar.ingest import read_path
from kabar.model import RawArticle
from kabar.store import open_store

CHROMIUM = os.environ.get("KABAR_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright not installed: pip install -e '.[dev]'"
)
if not Path(CHROMIUM).is_file():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: run `bash scripts/install-browser.sh` as root",
        allow_module_level=True,
    )


def _hostile_putin() -> RawArticle:
    """A new article naming Putin whose title carries a script."""
    return RawArticle(
        text=(
            "MOSKOW - Presiden Rusia Vladimir Putin menerima delegasi Zomboid di Kremlin pada "
            f"Selasa (2/7/2024) untuk membahas {SCRIPT} kerja sama energi.\n\n"
            "Putin mengatakan kerja sama itu akan diumumkan pekan depan."
        ),
        source="hostile-putin.txt",
        title=f"Putin {SCRIPT} Terima Delegasi Zomboid",
        outlet="Zomboid News",
        published="2024-07-02",
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def _overflow(page: Any) -> float:
    return float(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def test_follow_from_entity_page_then_alert_in_page_and_webhook(
    tmp_path: Path, receiver: Receiver
) -> None:
    seeds = sorted(
        (r for r in read_path(SEEDS) if isinstance(r, RawArticle)), key=lambda r: r.source
    )
    later = seeds.pop(3)  # the 2018 Tempo article: a new event when it comes
    db = str(tmp_path / "kabar.db")
    with open_store(db) as store:
        service.ingest(store, seeds)
    app = create_app(db, api_key="", cache_bytes=0, alert_backoff=FAST)
    app.state.dispatcher.start()  # BackgroundServer runs no lifespan (`kabar serve` does)
    with (
        BackgroundServer(app) as server,
        sync_api.sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append(d.message), d.dismiss()))
        try:
            page.goto(f"{server.url}/entities/{quote('Vladimir Putin')}")
            page.get_by_role("link", name="Follow (alerts on new events)").click()
            assert page.get_by_label("What").input_value() == "entity"
            assert page.get_by_label("Name or query").input_value() == "Vladimir Putin"
            page.get_by_label("Webhook (optional)").fill(receiver.url)
            page.get_by_role("button", name="Follow").click()
            report = page.locator("section.report")
            report.wait_for()
            assert "Following entity Vladimir Putin" in report.inner_text()
            secret = report.locator("code").last.inner_text()  # the id, then the secret
            assert len(secret) == 64
            assert _overflow(page) <= 1
            (row,) = page.locator("table.follows tbody tr").all()
            row.get_by_role("link", name="entity Vladimir Putin").click()
            page.wait_for_selector("h1")
            follow_url = page.url
            assert "No alert yet" in page.locator("main").inner_text()

            articles = [
                {"title": r.title, "text": r.text, "outlet": r.outlet, "published": r.published}
                for r in (later, _hostile_putin())
            ]
            answer = httpx.post(
                f"{server.url}/api/v1/articles/batch", json={"articles": articles}, timeout=120
            )
            assert answer.status_code == 200, answer.text
            follow_id = follow_url.rsplit("/", 1)[1]
            alerts = httpx.get(f"{server.url}/api/v1/follows/{follow_id}/alerts").json()
            assert len(alerts) == 2, alerts  # two new events, both naming Putin
            deadline = time.monotonic() + 20
            while len(receiver.requests) < len(alerts) and time.monotonic() < deadline:
                time.sleep(0.1)
            bodies = receiver.accepted(secret)
            assert sorted(str(b["event_id"]) for b in bodies) == sorted(
                a["event_id"] for a in alerts
            )

            page.goto(follow_url)
            items = page.locator("ol.alerts li")
            assert items.count() == 2
            text = page.locator("ol.alerts").inner_text()
            assert SCRIPT in text  # shown as text
            assert "webhook delivered" in text
            assert page.locator("script:not([src])").count() == 0
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert _overflow(page) <= 1
            page.screenshot(path=str(tmp_path / "follow.png"), full_page=True)
            assert errors == []
        finally:
            context.close()
            browser.close()
            app.state.dispatcher.stop()
