"""CLI start-up: wall and CPU time of read commands, each a new process, on a 10k store.

    .venv/bin/python bench/cli.py [--articles 10000] [--db PATH] [--repeat 5]

Issue #16 asks ``kabar stories`` to answer in well under a second on a 10k-article store:
a read command must not load what it does not run (the entity tagger and its lexicons, the
gazetteers, numpy and the grouping code, the timeline builder). Each command runs as
``python -m kabar.cli ...`` in a new process, as a user would type it, and the table gives
the wall time (median and worst of ``--repeat`` runs) and the CPU time of the process (user
+ system, from ``wait4``): on this shared 2-core machine the wall time grows with the other
jobs' load, the CPU time much less. The ``python -c pass`` row is the floor (interpreter
start-up) and ``import numpy`` shows the size of what a read command should not pay for.

The store is filled directly by ``bench/api_store.py``'s ``fill`` (real texts and entity
names, Zipf story sizes, no NLP pipeline: 10k articles in about half a minute) and kept
under the temp folder (``--db``) for the next run. ``python -X importtime -m kabar.cli
stories --db PATH`` lists what a command imports.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from api_store import fill  # noqa: E402

from kabar.store import open_store  # noqa: E402

TARGET_S = 1.0


def run(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one new process running ``argv`` (output discarded)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode() if process.stderr else ""
    if process.returncode:
        sys.exit(f"{' '.join(argv[2:])}: exit {process.returncode}\n{error[-800:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--db", help="SQLite file (kept; reused when it holds --articles)")
    parser.add_argument("--repeat", type=int, default=5, help="processes per command")
    args = parser.parse_args()
    db = args.db or str(Path(tempfile.gettempdir()) / f"kabar-api-bench-{args.articles}.db")
    with open_store(db) as store:
        have = store.count_articles()
        if have and have != args.articles:
            sys.exit(f"{db} holds {have:,} articles, not {args.articles:,}: remove it or --db")
    if not have:
        print(f"filling {db} with {args.articles:,} articles (bench/api_store.py fill)...")
        fill(db, args.articles)
    with open_store(db) as store:
        n_articles, n_stories = store.count_articles(), store.count_stories()
        story = store.list_stories(limit=1)[0]
        word = next(w for w in story.title.split() if w.isalpha() and len(w) > 4)
    kabar = [sys.executable, "-m", "kabar.cli"]
    commands = [
        ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
        ("python -c 'import numpy'", [sys.executable, "-c", "import numpy"]),
        ("kabar --help", [*kabar, "--help"]),
        ("kabar stories", [*kabar, "stories", "--db", db]),
        ("kabar stories --json", [*kabar, "stories", "--json", "--db", db]),
        ("kabar story ID", [*kabar, "story", story.id[:8], "--db", db]),
        (f"kabar search {word}", [*kabar, "search", word, "--db", db]),
        (
            "kabar export --story ID -f md",
            [*kabar, "export", "-f", "md", "--story", story.id, "--db", db],
        ),
    ]
    print(
        f"store {db}: {n_articles:,} articles, {n_stories:,} stories; each command a new"
        f" process, {args.repeat} runs; load average now {os.getloadavg()[0]:.1f}\n"
    )
    print(f"{'command':32} {'wall p50':>9} {'wall max':>9} {'CPU p50':>9}  ≤ {TARGET_S:.0f} s")
    for name, argv in commands:
        runs = [run(argv) for _ in range(args.repeat)]
        walls = [w for w, _c in runs]
        cpus = [c for _w, c in runs]
        ok = "yes" if statistics.median(walls) <= TARGET_S else "NO"
        print(
            f"{name:32} {statistics.median(walls):9.3f} {max(walls):9.3f}"
            f" {statistics.median(cpus):9.3f}  {ok}",
            flush=True,
        )


if __name__ == "__main__":
    main()
