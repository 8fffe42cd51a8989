"""Read commands load only what they run: no tagger, gazetteers, numpy or grouping code.

(Their start-up time is measured by ``bench/cli.py``, never asserted here.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from kabar.model import Article, Story
from kabar.store import open_store

HEAVY = (
    "numpy",
    "pycrfsuite",
    "kabar.pipeline",
    "kabar.corpus",
    "kabar.clean",
    "kabar.meta",
    "kabar.entities",
    "kabar.dedup",
    "kabar.stories",
    "kabar.timeline",
)
RUN = """
import json, sys
sys.argv = ["kabar", *sys.argv[1:]]
from kabar.cli import app
try:
    app()
except SystemExit as exc:
    code = exc.code
heavy = [m for m in json.loads(HEAVY) if m in sys.modules]
print("\\nLOADED " + json.dumps({"code": code, "heavy": heavy}))
"""


def _kabar(*args: str) -> tuple[str, int, list[str]]:
    """Output, exit code and heavy modules loaded of ``kabar ARGS`` in a new process."""
    script = RUN.replace("json.loads(HEAVY)", repr(list(HEAVY)))
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "300"},
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    output, _, tail = done.stdout.rpartition("\nLOADED ")
    assert tail, done.stderr
    loaded = json.loads(tail)
    return output, loaded["code"], loaded["heavy"]


@pytest.fixture(scope="module")
def store(
    seed_corpus: tuple[list[Article], list[Story]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Story]:
    """The seeds' store as ingest leaves it (articles, the story, the grouping state)."""
    from kabar.corpus import Corpus

    articles, stories = seed_corpus
    path = str(tmp_path_factory.mktemp("start") / "kabar.db")
    with open_store(path) as opened:
        opened.add_articles(articles)
        opened.save_grouping(articles, stories, Corpus().state.to_bytes())
    return path, stories[0]


def test_read_commands_do_not_load_the_pipeline(store: tuple[str, Story]) -> None:
    db, story = store
    word = next(w for w in story.title.split() if w.isalpha() and len(w) > 4)
    for args, shown in (
        (["stories", "--db", db], story.id),
        (["stories", "--json", "--db", db], story.id),
        (["story", story.id[:8], "--db", db], story.timeline[0].date),
        (["search", word, "--db", db], word),
        (["export", "-f", "md", "--db", db], story.id),
        (["--help"], "stories"),
    ):
        output, code, heavy = _kabar(*args)
        assert code in (0, None), output
        assert shown in output, (args, output)
        assert heavy == [], f"kabar {' '.join(args)} loaded {heavy}"


def test_ingest_still_loads_the_pipeline(tmp_path: Path) -> None:
    """The lazy imports are lazy, not missing: a command that processes loads the stages."""
    seed = next((ROOT / "examples" / "seeds").glob("000_*.txt"))
    output, code, heavy = _kabar("ingest", str(seed), "--db", str(tmp_path / "k.db"))
    assert code in (0, None), output
    assert "1 added" in output
    assert {"kabar.pipeline", "kabar.entities", "kabar.stories"} <= set(heavy)
