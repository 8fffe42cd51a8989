"""Screenshots of the pages of a big real story, desktop (1366x768) and phone (390x844),
first screen and whole page, so the chart and the overview can be looked at:

    PYTHONPATH=. .venv/bin/python scripts/screenshot_timeline.py [OUTPUT_DIR]

The store is Timeline17's BP oil spill topic, BBC and Reuters (591 articles in one story),
the one bench/pages.py builds (kept in /work/data/bench; built here when missing). Output
defaults to /tmp/kabar-screenshots (Timeline17 text: not for the repository).
Needs /usr/bin/chromium (scripts/install-browser.sh installs it on Debian).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.pages import CACHE, STORES, build  # noqa: E402
from kabar.api import charts, create_app  # noqa: E402
from kabar.api.server import BackgroundServer  # noqa: E402
from kabar.store import open_store  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/kabar-screenshots")
    output.mkdir(parents=True, exist_ok=True)
    db = CACHE / "pages-bpoil-2.db"
    if not db.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        build(db, STORES["bpoil-2"])
    with open_store(str(db)) as store:
        story = max(store.iter_stories(), key=lambda s: len(set(s.article_ids)))
        volume = store.story_volume([story.id])[story.id]
        outlet = story.outlets[0]
    span = charts.coverage_window(volume, story.timeline)
    month = charts.period_options(*span, "month")[2][0] if span else ""  # type: ignore[misc]
    pages = {
        "story": f"/stories/{story.id}",
        "story-month": f"/stories/{story.id}?window={month}",
        "home-all": "/",
        "home-30d": "/?period=30d",
        "outlet": f"/outlets/{outlet}",
        "search": "/search?q=relief+well",
    }
    with BackgroundServer(create_app(str(db), api_key="")) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless"])
        for device, (width, height) in VIEWPORTS.items():
            page = browser.new_page(
                viewport={"width": width, "height": height}, is_mobile=device == "phone"
            )
            for name, url in pages.items():
                page.goto(server.url + url)
                page.screenshot(path=str(output / f"{name}-{device}.png"))
                page.screenshot(path=str(output / f"{name}-{device}-full.png"), full_page=True)
            page.close()
        browser.close()
    print(f"wrote {len(pages) * len(VIEWPORTS) * 2} screenshots to {output}")


if __name__ == "__main__":
    main()
