"""Cleaning speed and memory: text articles, HTML pages through kabar, trafilatura alone.

Inputs are the gold set's real texts (5 seeds, 10 Timeline17 articles) and its 22 HTML pages
(eval/gold/clean/). One process, one core. Throughput is the best of interleaved timed
passes over all items, without tracing;
peak memory is the tracemalloc peak of a second, shorter pass (Python allocations made
while cleaning, not the interpreter's baseline), plus the process's max RSS at the end.

Rows: ``clean`` is this stage alone; ``clean+meta`` adds metadata and sentence dating
(``kabar.meta``, which calls the temporal tagger of ``kabar.meta.time``); ``process()`` is
the whole per-article pipeline (entities included).

Run from the repo root: ``.venv/bin/python bench/clean.py [--rounds 5]``
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
from kabar.meta import annotate  # noqa: E402
from kabar.model import Article, RawArticle  # noqa: E402
from kabar.pipeline import process  # noqa: E402
from kabar.text import article_id  # noqa: E402

GOLD = ROOT / "eval" / "gold" / "clean"


def texts() -> list[RawArticle]:
    out = []
    for label in sorted((GOLD / "labels").glob("*.tsv")):
        source = label.read_text().split("\n", 1)[0].removeprefix("# source: ")
        out.append(RawArticle(text=(ROOT / source).read_text(), source=source))
    return out


def pages() -> list[str]:
    return [p.read_text() for p in sorted((GOLD / "html").glob("*.html"))]


def clean_and_meta(raw: RawArticle) -> Article:
    """The two stages of this issue, without entities (what ``process`` adds on top)."""
    cleaned = clean(raw)
    body = "\n\n".join(cleaned.paragraphs)
    article = Article(
        id=article_id(body),
        title=cleaned.title or "",
        body=body,
        source=raw.source,
        raw_text=raw.text,
    )
    return annotate(article, raw, cleaned)


def best_rate(work: Callable[[int], object], n_items: int, passes: int) -> float:
    """Items per second of the fastest of ``passes`` passes over all items.

    The fastest pass, not the mean: the machine is shared, and other load only ever slows a
    pass down. Rows are measured in interleaved rounds (see ``main``) for the same reason.
    """
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for i in range(n_items):
            work(i)
        best = min(best, time.perf_counter() - start)
    return n_items / best


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
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per row")
    args = parser.parse_args()

    import trafilatura

    raws = texts()
    html = pages()
    html_raws = [RawArticle(text="", html=h, source=f"page{i}.html") for i, h in enumerate(html)]
    text_bytes = sum(len(r.text.encode()) for r in raws) / len(raws)
    html_bytes = sum(len(h.encode()) for h in html) / len(html)
    rows: list[tuple[str, Callable[[int], object], int, float]] = [
        ("text: kabar clean", lambda i: clean(raws[i]), len(raws), text_bytes),
        ("text: kabar clean+meta", lambda i: clean_and_meta(raws[i]), len(raws), text_bytes),
        ("text: kabar process()", lambda i: process(raws[i]), len(raws), text_bytes),
        ("html: kabar clean", lambda i: clean(html_raws[i]), len(html), html_bytes),
        ("html: kabar clean+meta", lambda i: clean_and_meta(html_raws[i]), len(html), html_bytes),
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
    for _name, work, n_items, _size in rows:  # warm-up: imports, caches, stop lists
        for i in range(n_items):
            work(i)
    results = {name: 0.0 for name, *_ in rows}
    for _round in range(args.rounds):
        for name, work, n_items, _size in rows:
            results[name] = max(results[name], best_rate(work, n_items, passes=3))
    print(f"{'what':<26} {'articles/s':>11} {'ms/article':>11} {'avg KiB in':>11} {'peak KiB':>9}")
    for name, work, n_items, size in rows:
        peak = peak_kib(work, n_items)
        per_second = results[name]
        print(
            f"{name:<26} {per_second:11.1f} {1000 / per_second:11.2f} {size / 1024:11.1f} {peak:9.0f}"
        )
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
