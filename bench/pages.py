"""Page timings of the story page (timeline chart, events by period), the overview and the
outlet, entity and search pages, on stores holding one big real story.

Stores: the seeds (5-article story) and Timeline17's BP oil spill topic, two outlets
(591 articles, one story) and all five (1,451 articles in the biggest story), ingested
through the real pipeline once and kept in /work/data/bench (about 40 s and 100 s).

Printed per page: server time without the response cache (median of 5, in-process),
the HTML size, and Chromium's load time over HTTP (navigation start to the load event,
median of 3, cache off so every load renders), desktop viewport.

    PYTHONPATH=. .venv/bin/python bench/pages.py
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from kabar import service  # noqa: E402
from kabar.api import charts, create_app  # noqa: E402
from kabar.api.server import BackgroundServer  # noqa: E402
from kabar.ingest import read_path, read_paths  # noqa: E402
from kabar.model import RawArticle  # noqa: E402
from kabar.store import open_store  # noqa: E402

T17 = ROOT.parent / "shared" / "data" / "t17-dev"
CACHE = Path("/work/data/bench")
CHROMIUM = "/usr/bin/chromium"
STORES = {
    "bpoil-2": ("bpoil_bbc", "bpoil_reuters"),
    "bpoil-5": (
        "bpoil_bbc",
        "bpoil_reuters",
        "bpoil_foxnews",
        "bpoil_guardian",
        "bpoil_washingtonpost",
    ),
}


def build(path: Path, folders: tuple[str, ...]) -> None:
    raws = [
        dataclasses.replace(r, outlet=folder.split("_")[1])
        for folder in folders
        for r in read_path(T17 / folder / "articles.jsonl")
        if isinstance(r, RawArticle)
    ]
    start = time.perf_counter()
    with open_store(str(path)) as store:
        service.ingest(store, raws)
    print(f"(built {path.name}: {len(raws)} articles in {time.perf_counter() - start:.0f} s)")


def urls(db: str) -> list[tuple[str, str]]:
    with open_store(db) as store:
        story = max(store.iter_stories(), key=lambda s: len(set(s.article_ids)))
        volume = store.story_volume([story.id])[story.id]
        outlet = story.outlets[0]
        entity = story.entities[0] if story.entities else ""
    busiest = max(
        charts.period_options(*charts.coverage_window(volume, story.timeline), "month"),  # type: ignore[misc]
        key=lambda o: sum(r.articles for r in volume if r.day and o[0][:10] <= r.day <= o[0][12:]),
    )[0]
    size = len(set(story.article_ids))
    return [
        (f"story ({size} articles)", f"/stories/{story.id}"),
        ("story, busiest month", f"/stories/{story.id}?window={busiest}"),
        ("home, all", "/"),
        ("home, 7 days", "/?period=7d"),
        ("outlet", f"/outlets/{outlet}"),
        ("entity", f"/entities/{entity}"),
        ("search", "/search?q=oil"),
    ]


def measure(name: str, db: str, rows: list[list[Any]]) -> None:
    pages = urls(db)
    client = TestClient(create_app(db, api_key="", cache_bytes=0))
    client.get("/")  # imports and first connection
    server_ms: dict[str, tuple[float, int]] = {}
    for label, url in pages:
        times, size = [], 0
        for _ in range(5):
            start = time.perf_counter()
            answer = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert answer.status_code == 200, (url, answer.status_code)
            size = len(answer.content)
        server_ms[label] = (statistics.median(times), size)
    browser_ms: dict[str, float] = {}
    if Path(CHROMIUM).is_file():
        from playwright.sync_api import sync_playwright

        app = create_app(db, api_key="", cache_bytes=0)
        with BackgroundServer(app) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless"])
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            for label, url in pages:
                loads = []
                for _ in range(3):
                    page.goto(server.url + url)
                    loads.append(
                        page.evaluate(
                            "() => { const n = performance.getEntriesByType('navigation')[0];"
                            " return n.loadEventEnd - n.startTime; }"
                        )
                    )
                browser_ms[label] = statistics.median(loads)
            browser.close()
    for label, _url in pages:
        ms, size = server_ms[label]
        rows.append(
            [name, label, f"{ms:.0f}", f"{size / 1024:.0f}", f"{browser_ms.get(label, 0):.0f}"]
        )


def main() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    rows: list[list[Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        seeds = str(Path(folder) / "seeds.db")
        with open_store(seeds) as store:
            service.ingest(store, read_paths([ROOT / "examples" / "seeds"]))
        measure("seeds", seeds, rows)
    for name, folders in STORES.items():
        path = CACHE / f"pages-{name}.db"
        if not path.exists():
            build(path, folders)
        measure(name, str(path), rows)
    header = ["store", "page", "server ms", "HTML KB", "browser load ms"]
    widths = [max(len(str(r[k])) for r in [header, *rows]) for k in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
