"""Crash safety: kill an ingest at every commit boundary and at random times; nothing is lost.

Two kinds of rounds, each on a fresh database, each followed by a plain re-run of the same
``kabar ingest``:

* boundary rounds: the ingest dies (``os._exit``, as SIGKILL: no cleanup) right after its
  N-th committed write transaction, for every N (one commit per article batch, then the
  grouping), ``--repeat`` times each;
* random rounds: SIGKILL after a random delay, ``--random`` times.

After each kill the database must open, pass ``PRAGMA integrity_check``, hold only whole
articles (JSON parses, FTS row exists) and no story link to a missing article. After each
re-run, every stored article must belong to a story and the articles and stories must be
identical to those of a clean, uninterrupted ingest.

Run: ``.venv/bin/python bench/kill.py [--articles 40] [--batch 10] [--repeat 10] [--random 50]``
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from store_check import store_problems

ROOT = Path(__file__).resolve().parent.parent
CHILD = [sys.executable, str(Path(__file__).resolve()), "--child"]


def make_corpus(folder: Path, count: int, seed: int = 7) -> None:
    """``count`` distinct articles: seed texts with their paragraphs re-ordered and a numbered line."""
    sys.path.insert(0, str(ROOT))
    from kabar.ingest import read_path
    from kabar.model import RawArticle
    from kabar.pipeline import process

    rng = random.Random(seed)
    seeds = [
        process(r) for r in read_path(ROOT / "examples" / "seeds") if isinstance(r, RawArticle)
    ]
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        article = rng.choice(seeds)
        head, body = article.title, list(article.paragraphs)
        rng.shuffle(body)
        extra = f"Laporan tambahan nomor {number} menyebutkan bahwa pembicaraan berlangsung selama {number % 9 + 1} jam."
        (folder / f"a{number:05d}.txt").write_text(
            "\n".join([head, *body, extra]), encoding="utf-8"
        )


def check(db: Path, complete: bool = False) -> tuple[int, list[str]]:
    """Number of stored articles, and every inconsistency found (``complete``: also every
    article in a story, as after a run that finished)."""
    with sqlite3.connect(db) as conn:
        return store_problems(conn, complete)


def contents(db: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Every article and story record, to compare a repaired store with a clean one."""
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT id, data FROM articles ORDER BY id").fetchall()
        stories = conn.execute("SELECT id, data FROM stories ORDER BY id").fetchall()
    return articles, stories


def ingest(corpus: Path, db: Path, batch: int, kill_after: int = 0) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [*CHILD, str(batch), str(kill_after), "ingest", str(corpus), "--db", str(db), "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def child(batch: int, kill_after: int, args: list[str]) -> None:
    """Runs ``kabar`` with articles committed ``batch`` at a time, dying (``os._exit``)
    right after the ``kill_after``-th commit (0: never)."""
    sys.path.insert(0, str(ROOT))
    from contextlib import contextmanager

    from kabar import cli, service
    from kabar.store import SQLiteStore

    original_write = SQLiteStore._write
    commits = 0

    @contextmanager
    def write(self: SQLiteStore):  # type: ignore[no-untyped-def]
        nonlocal commits
        with original_write(self) as conn:
            yield conn
        commits += 1
        if commits == kill_after:
            os._exit(137)

    SQLiteStore._write = write  # type: ignore[method-assign]
    cli.ingest = lambda store, inputs, **kw: service.ingest(store, inputs, batch, **kw)  # type: ignore[assignment]
    sys.argv = ["kabar", *args]
    cli.main()


def run(
    articles: int, batch: int, repeat: int, randoms: int, verbose: bool = True, seed: int = 11
) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        make_corpus(corpus, articles)
        clean_db = Path(tmp) / "clean.db"
        started = time.perf_counter()
        assert ingest(corpus, clean_db, batch).wait() == 0
        clean_seconds = time.perf_counter() - started
        stored, problems = check(clean_db, complete=True)
        expected = contents(clean_db)
        if problems or stored != articles:
            print(f"clean run: stored {stored}/{articles} {problems}")
            return False
        commits = -(-articles // batch) + 1
        print(f"clean run: {articles} articles, {commits} commits, {clean_seconds:.1f} s")
        rng = random.Random(seed)
        rounds = [("boundary", n) for n in range(1, commits + 1) for _ in range(repeat)]
        rounds += [("random", 0) for _ in range(randoms)]
        failures = 0
        for number, (kind, boundary) in enumerate(rounds, start=1):
            db = Path(tmp) / f"round{number}.db"
            process = ingest(corpus, db, batch, boundary)
            if kind == "random":
                time.sleep(rng.uniform(0.3, clean_seconds))
                if process.poll() is None:
                    process.send_signal(signal.SIGKILL)
            code = process.wait()
            _stored_before, after_kill = check(db) if db.exists() else (0, [])
            rerun = ingest(corpus, db, batch).wait()
            stored, after_rerun = check(db, complete=True)
            same = contents(db) == expected
            ok = not after_kill and not after_rerun and rerun == 0 and same
            failures += not ok
            if verbose:
                what = f"after commit {boundary}" if kind == "boundary" else "at random"
                print(
                    f"round {number:3d} killed {what:16} exit {code:4d}  "
                    f"re-run: stored {stored}/{articles}, identical {same}, "
                    f"{after_kill + after_rerun or 'OK'}"
                )
            for leftover in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                leftover.unlink(missing_ok=True)
        print(
            f"kill test: {len(rounds) - failures}/{len(rounds)} rounds OK "
            f"({commits} boundaries x {repeat}, {randoms} random)"
        )
        return failures == 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--batch", type=int, default=10, help="articles per commit")
    parser.add_argument("--repeat", type=int, default=10, help="rounds per commit boundary")
    parser.add_argument("--random", type=int, default=50, help="rounds killed at random")
    parser.add_argument("--seed", type=int, default=11, help="of the random kill times")
    args = parser.parse_args()
    passed = run(args.articles, args.batch, args.repeat, args.random, seed=args.seed)
    print(f"kill test: {'PASSED' if passed else 'FAILED'}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
