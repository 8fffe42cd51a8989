"""The integrity check of a SQLite store that the robustness benches run after every case
(``bench/fuzz.py``) and every kill (``bench/kill.py``): one definition of "consistent"."""

from __future__ import annotations

import json
import sqlite3


def store_problems(
    conn: sqlite3.Connection, complete: bool = True, quick: bool = False
) -> tuple[int, list[str]]:
    """The number of stored articles and every inconsistency found: SQLite's own check
    (``quick``: ``quick_check``, else the full ``integrity_check``), each article's data
    readable and its own, a search row per article, no story link to a missing article,
    and (``complete``, as after a run that finished) every article in a story."""
    problems: list[str] = []
    pragma = "quick_check" if quick else "integrity_check"
    if conn.execute(f"PRAGMA {pragma}").fetchone()[0] != "ok":
        problems.append(f"{pragma} failed")
    rows = conn.execute("SELECT id, data FROM articles").fetchall()
    for article_id, data in rows:
        try:
            if json.loads(data)["id"] != article_id:
                problems.append(f"{article_id}: data of another article")
        except (ValueError, KeyError, TypeError):
            problems.append(f"{article_id}: unreadable data")
    indexed = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    if indexed != len(rows):
        problems.append(f"{indexed} search rows for {len(rows)} articles")
    dangling = conn.execute(
        "SELECT count(*) FROM story_articles WHERE article_id NOT IN (SELECT id FROM articles)"
    ).fetchone()[0]
    if dangling:
        problems.append(f"{dangling} story links to missing articles")
    if complete:
        lonely = conn.execute(
            "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles)"
        ).fetchone()[0]
        if lonely:
            problems.append(f"{lonely} articles in no story")
    return len(rows), problems
