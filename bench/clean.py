"""Cleaning speed and memory: text articles, HTML pages through kabar, trafilatura alone.

Inputs are the gold set's real texts (5 seeds, 6 Timeline17 articles) and its 22 HTML pages
(eval/gold/clean/), cycled. One process, one core. Throughput is timed without tracing;
peak memory is the tracemalloc peak of a second, shorter pass (Python allocations made
while cleaning, not the interpreter's baseline), plus the process's max RSS at the end.

Run from the repo root: ``.venv/bin/python bench/clean.py [--seconds 3]``
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.clean import clean  # noqa: E402
from kabar.model import RawArticle  # noqa: E402
from kabar.pipeline import process  # noqa: E402

GOLD = ROOT / "eval" / "gold" / "clean"


def texts() -> list[RawArticle]:
    out = []
    for label in sorted((GOLD / "labels").glob("*.tsv")):
        source = label.read_text().split("\n", 1)[0].removeprefix("# source: ")
        out.append(RawArticle(text=(ROOT / source).read_text(), source=source))
    return out


def pages() -> list[str]:
    return [p.read_text() for p in sorted((GOLD / "html").glob("*.html"))]


def rate(work: Callable[[int], object], n_items: int, seconds: float) -> tuple[float, int]:
    """Items per second over at least ``seconds`` of work (after one warm-up pass)."""
    for i in range(n_items):
        work(i)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        work(done % n_items)
        done += 1
    return done / (time.perf_counter() - start), done


def peak_kib(work: Callable[[int], object], n_items: int) -> float:
    gc.collect()
    tracemalloc.start()
    for i in range(n_items):
        work(i)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="time per row")
    args = parser.parse_args()

    import trafilatura

    raws = texts()
    html = pages()
    html_raws = [RawArticle(text="", html=h, source=f"page{i}.html") for i, h in enumerate(html)]
    text_bytes = sum(len(r.text.encode()) for r in raws) / len(raws)
    html_bytes = sum(len(h.encode()) for h in html) / len(html)
    rows: list[tuple[str, Callable[[int], object], int, float]] = [
        ("text: kabar clean", lambda i: clean(raws[i]), len(raws), text_bytes),
        ("text: kabar clean+meta", lambda i: process(raws[i]), len(raws), text_bytes),
        ("html: kabar clean", lambda i: clean(html_raws[i]), len(html), html_bytes),
        ("html: kabar clean+meta", lambda i: process(html_raws[i]), len(html), html_bytes),
        (
            "html: trafilatura alone",
            lambda i: trafilatura.bare_extraction(html[i], with_metadata=True),
            len(html),
            html_bytes,
        ),
        (
            "html: trafilatura, kabar's",
            lambda i: trafilatura.bare_extraction(
                html[i],
                with_metadata=True,
                date_extraction_params={"extensive_search": False, "original_date": True},
            ),
            len(html),
            html_bytes,
        ),
    ]
    print(f"{'what':<26} {'articles/s':>11} {'n':>7} {'avg KiB in':>11} {'peak KiB':>9}")
    results = {}
    for name, work, n_items, size in rows:
        per_second, done = rate(work, n_items, args.seconds)
        peak = peak_kib(work, n_items)
        results[name] = per_second
        print(f"{name:<26} {per_second:11.1f} {done:7d} {size / 1024:11.1f} {peak:9.0f}")
    kabar = results["html: kabar clean"]
    for other in ("html: trafilatura alone", "html: trafilatura, kabar's"):
        print(f"\nkabar HTML clean time / {other[6:]} time: {results[other] / kabar:.2f}x", end="")
    print("  (target ≤ 1.5x)")
    print('("trafilatura alone" = bare_extraction with metadata, default settings; "kabar\'s" =')
    print(" the same call with kabar's markup-only date search)")
    print(
        f"max RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
