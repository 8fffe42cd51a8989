"""SIGKILL during ingest leaves a consistent store, and a re-run completes without duplicates.

A short version of ``bench/kill.py`` (which kills after every commit x10 and at random x50):
here once after each commit and once at random, each followed by a re-run that must leave
every article in a story and equal a clean ingest."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import kill


def test_killed_ingests_leave_the_store_consistent() -> None:
    assert kill.run(articles=4, batch=2, repeat=1, randoms=1, verbose=False)
