"""Crash safety: SIGKILL an ingest midway, again and again; the store must stay consistent.

Each round starts ``kabar ingest`` on a folder of distinct articles (built from the seeds),
kills it with SIGKILL after a random delay, then checks that the database opens,
``PRAGMA integrity_check`` is ok, every stored article is whole (its JSON parses, its FTS
row exists) and no story points at a missing article; a final clean run must complete with
every article stored exactly once.

Run: ``.venv/bin/python bench/kill.py [--rounds 20] [--articles 600]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KABAR = [sys.executable, "-m", "kabar.cli"]


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


def check(db: Path) -> tuple[int, list[str]]:
    """Number of stored articles, and every inconsistency found."""
    problems: list[str] = []
    with sqlite3.connect(db) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            problems.append("integrity_check failed")
        rows = conn.execute("SELECT id, data FROM articles").fetchall()
        for article_id, data in rows:
            try:
                if json.loads(data)["id"] != article_id:
                    problems.append(f"{article_id}: data of another article")
            except (ValueError, KeyError):
                problems.append(f"{article_id}: unreadable data")
        tables = {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        fts = next((t for t in tables if t.endswith("_fts") or t == "articles_fts"), None)
        if fts is not None:
            indexed = conn.execute(f"SELECT count(*) FROM {fts}").fetchone()[0]
            if indexed != len(rows):
                problems.append(f"{indexed} search rows for {len(rows)} articles")
        dangling = conn.execute(
            "SELECT count(*) FROM story_articles WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        if dangling:
            problems.append(f"{dangling} story links to missing articles")
    return len(rows), problems


def run(rounds: int, articles: int, verbose: bool = True) -> bool:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        corpus, db = Path(tmp) / "corpus", Path(tmp) / "kabar.db"
        make_corpus(corpus, articles)
        rng = random.Random(11)
        ok = True
        for number in range(1, rounds + 1):
            process = subprocess.Popen(
                [*KABAR, "ingest", str(corpus), "--db", str(db), "--json"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(rng.uniform(1.5, 7.0))
            killed = process.poll() is None
            if killed:
                process.send_signal(signal.SIGKILL)
            process.wait()
            stored, problems = check(db) if db.exists() else (0, [])
            ok &= not problems
            if verbose:
                state = "killed" if killed else "finished"
                print(
                    f"round {number:2d}: {state:8} stored {stored:5d}  {problems if problems else 'OK'}"
                )
        final = subprocess.run(
            [*KABAR, "ingest", str(corpus), "--db", str(db), "--json"],
            env=env,
            capture_output=True,
            text=True,
        )
        stored, problems = check(db)
        complete = final.returncode == 0 and stored == articles and not problems
        if verbose:
            print(
                f"final run: exit {final.returncode}, stored {stored}/{articles}, {problems if problems else 'OK'}"
            )
        return ok and complete


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--articles", type=int, default=600)
    args = parser.parse_args()
    passed = run(args.rounds, args.articles)
    print(f"kill test: {'PASSED' if passed else 'FAILED'} ({args.rounds} rounds)")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
