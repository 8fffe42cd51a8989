"""Shared fixtures: the seed corpus run through the real pipeline, once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kabar.corpus import Corpus
from kabar.ingest import read_path
from kabar.model import Article, RawArticle, Story
from kabar.pipeline import process

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def seed_raws() -> list[RawArticle]:
    raws = [r for r in read_path(SEEDS) if isinstance(r, RawArticle)]
    assert len(raws) == 5
    return raws


@pytest.fixture(scope="session")
def seed_processed(seed_raws: list[RawArticle]) -> dict[str, Article]:
    """Seed file number ("000".."004") → its processed article."""
    return {Path(r.source).name[:3]: process(r) for r in seed_raws}


@pytest.fixture(scope="session")
def seed_corpus(seed_processed: dict[str, Article]) -> tuple[list[Article], list[Story]]:
    """The seeds through the corpus stage that ingest runs: placed articles, stories."""
    return Corpus().group(list(seed_processed.values()))


@pytest.fixture
def db(template_db: str, tmp_path: Path) -> str:
    """A private copy of the module's ``template_db`` store, for tests that write (each
    module that uses it defines ``template_db``: the stored corpus it needs)."""
    path = tmp_path / "kabar.db"
    shutil.copy(template_db, path)
    return str(path)
