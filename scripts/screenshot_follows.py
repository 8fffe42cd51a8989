"""Screenshot the follows pages in headless Chromium, desktop (1366 px) and phone (390 px):
docs/screenshots/follows-{desktop,phone}.png (the list with its form) and
follow-{desktop,phone}.png (one follow's alerts).

The seeds without the 2018 Tempo article are ingested, Vladimir Putin is followed, then the
Tempo article comes: its new event is the alert shown. Run from the repo root:
    .venv/bin/python scripts/screenshot_follows.py [OUTPUT_DIR]
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
from kabar.ingest import read_path
from kabar.model import RawArticle
from kabar.store import open_store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    output.mkdir(parents=True, exist_ok=True)
    seeds = sorted(
        (r for r in read_path(ROOT / "examples" / "seeds") if isinstance(r, RawArticle)),
        key=lambda r: r.source,
    )
    later = seeds.pop(3)
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "kabar.db")
        with open_store(db) as store:
            service.ingest(store, seeds)
            follow, _ = service.add_follow(store, "entity", "Vladimir Putin")
            service.add_follow(store, "query", "banjir Jakarta")
            service.ingest(store, [later])
        with BackgroundServer(create_app(db)) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                for path, shot in (("/follows", "follows"), (f"/follows/{follow.id}", "follow")):
                    page.goto(server.url + path)
                    page.screenshot(path=str(output / f"{shot}-{name}.png"), full_page=True)
                page.close()
            browser.close()
    print(f"wrote {output}/follows-*.png, follow-*.png")


if __name__ == "__main__":
    main()
