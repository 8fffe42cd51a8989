"""The steps of one add into the big story of ``bench/live.py``, in this process.

The worker's path (``service.ingest`` with the server's :class:`LiveRecords`) on a copy of
``bench/live.py``'s cached store, timed per step for each held-out article that joins the
big story: process(), storing the article, placing it in the grouping, the story's
tallies, the write, and the grouping step in all; medians at the end. What the server
adds on top (the worker round trip, HTTP, readers) is ``bench/live.py``'s figure minus
these.

Run: ``.venv/bin/python bench/live_steps.py`` (after ``bench/live.py`` built its store).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import live  # noqa: E402
from kabar import corpus, service, stories  # noqa: E402
from kabar.api import routes  # noqa: E402
from kabar.api.live import LiveRecords  # noqa: E402
from kabar.store import open_store  # noqa: E402

spent: dict[str, float] = collections.defaultdict(float)
STEPS = (
    "process()",
    "store the article",
    "place it",
    "the story's tallies",
    "write the stories",
    "grouping step in all",
)


def timed(owner: Any, name: str, label: str) -> None:
    """Wrap ``owner.name`` so that its time adds up under ``label``."""
    call: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start

    setattr(owner, name, wrapper)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--story", type=int, default=3_500)
    parser.add_argument("--posts", type=int, default=60)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--cache", type=Path, default=live.CACHE)
    parser.add_argument(
        "--profile",
        type=float,
        default=0.0,
        metavar="MS",
        help="cProfile the adds of the articles whose process() is under MS ms; top functions",
    )
    args = parser.parse_args()
    stored, raws, _held = live.corpus(args.cache, 10_000, args.posts + 1, args.story, args.seed)
    template = live.build_store(args.cache, stored, live.store_tag(stored))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kabar.db"
        shutil.copy(template, db)
        store = open_store(db)
        topic = live.big_ids(stored)
        votes = collections.Counter(
            sid for aid in topic[::10] for sid in store.stories_of_article(aid)
        )
        big = votes.most_common(1)[0][0]
        records = LiveRecords(lambda: open_store(db), save_every=300)
        pending = list(raws)
        while pending:  # the first add to the big story builds its state: not timed
            report = service.ingest(store, [pending.pop(0)], live=records)
            if big in store.stories_of_article(report.added[0]):
                break
        timed(service, "process_isolated", "process()")
        timed(service, "add_isolated", "store the article")
        timed(stories.GroupingState, "add", "place it")
        timed(corpus, "tallied", "the story's tallies")
        timed(type(store), "save_increment", "write the stories")
        timed(service, "_update_stories", "grouping step in all")
        rows: list[tuple[int, float, dict[str, float]]] = []
        profile = cProfile.Profile()
        for raw in pending:
            records.wait(600)  # the rebuild of the last add's record (in this thread)
            short = args.profile > 0 and live.process_time(raw, 1) * 1000 < args.profile
            spent.clear()
            if short:
                profile.enable()
            start = time.perf_counter()
            report = service.ingest(store, [raw], live=records)
            total = time.perf_counter() - start
            if short:
                profile.disable()
            if big in store.stories_of_article(report.added[0]):
                # the post's read-back: the article's answer, then the story's (bench/live.py)
                start = time.perf_counter()
                routes.get_article(store, report.added[0]).model_dump_json()
                routes.get_story(store, big).model_dump_json()
                spent["read back"] = time.perf_counter() - start
                rows.append((len(raw.text), total, dict(spent)))
        records.wait(600)
        store.close()
    if args.profile > 0:
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    labels = [*STEPS, "read back", "add in all"]
    print("| characters | " + " | ".join(labels) + " |")
    print("|---:|" + "---:|" * len(labels))
    for chars, total, steps in rows:
        cells = [f"{steps.get(k, 0) * 1000:.1f}" for k in labels[:-1]] + [f"{total * 1000:.1f}"]
        print(f"| {chars} | " + " | ".join(cells) + " |")
    medians = [statistics.median(r[2].get(k, 0) for r in rows) * 1000 for k in labels[:-1]]
    medians.append(statistics.median(r[1] for r in rows) * 1000)
    print("| median | " + " | ".join(f"{m:.1f}" for m in medians) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
