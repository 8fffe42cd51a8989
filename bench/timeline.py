"""Timeline building speed against story size: the five bpoil folders of Timeline17 dev
as one story (about 1,460 articles), timed at a quarter, half and all of it.

Prints articles per CPU-second of ``TimelineBuilder.build`` at each size and the growth
exponent between the smallest and the largest (1 = linear). Articles go through the real
per-article stages first (cached with eval/tls.py's cache).

Run: ``.venv/bin/python bench/timeline.py``
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

import tls  # noqa: E402

from kabar.timeline import TimelineBuilder  # noqa: E402


def main() -> int:
    folders = sorted(p for p in tls.DATA.glob("bpoil_*") if p.is_dir())
    if not folders:
        print(f"Timeline17 dev data not found at {tls.DATA}")
        return 1
    cache = Path(tls.tempfile.gettempdir()) / "kabar-tls-cache" / tls._source_digest()
    articles = [a for folder in folders for a in tls.processed(folder, cache)[0]]
    articles.sort(key=lambda a: (a.published or "", a.id))
    print(f"{'articles':>8} {'CPU s':>7} {'articles/s':>11}")
    timings = []
    for share in (4, 2, 1):
        story = articles[: len(articles) // share]
        started = time.process_time()
        TimelineBuilder(max_entries=30).build(story)
        seconds = time.process_time() - started
        timings.append((len(story), seconds))
        print(f"{len(story):8d} {seconds:7.1f} {len(story) / seconds:11.0f}")
    (n0, t0), (n1, t1) = timings[0], timings[-1]
    print(f"growth exponent (time ~ size^k): k = {math.log(t1 / t0) / math.log(n1 / n0):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
