"""SIGKILL during ingest leaves a consistent store, and a re-run completes without duplicates.

A short version of ``bench/kill.py`` (which runs 20 rounds and prints a table)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import kill


def test_killed_ingests_leave_the_store_consistent() -> None:
    assert kill.run(rounds=3, articles=300, verbose=False)
