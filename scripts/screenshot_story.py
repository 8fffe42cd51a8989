"""Screenshot the seed story's page in headless Chromium: docs/screenshots/story.png.

Run once from the repo root after a UI change, look at the picture, commit it:
    .venv/bin/python scripts/screenshot_story.py [OUTPUT.png]
Needs /usr/bin/chromium (scripts/install-browser.sh installs it on Debian).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from kabar import service
from kabar.api import create_app
from kabar.api.server import BackgroundServer
from kabar.ingest import read_paths
from kabar.store import open_store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
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


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots" / "story.png"
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "kabar.db")
        with open_store(db) as store:
            service.ingest(store, read_paths([ROOT / "examples" / "seeds"]))
            story = store.list_stories(limit=1)[0]
        with BackgroundServer(create_app(db)) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(f"{server.url}/stories/{story.id}")
            page.wait_for_selector("svg.story-chart >> visible=true")
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output), full_page=True)
            browser.close()
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
