"""A long article that arrives as one line is split into sentences and processed whole,
up to the analysed length (``max_chars``), beyond which it is kept but not analysed.

(Its time against size is measured by ``bench/long.py``, never asserted here.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SHARED_DATA
from typer.testing import CliRunner

from kabar.clean import LONG_LINE, clean_text, split_long_line
from kabar.cli import app
from kabar.config import configured_max_chars
from kabar.model import Article, RawArticle
from kabar.pipeline import draft_article, process
from kabar.service import process as configured_process
from kabar.store import open_store
from kabar.text import split_sentences

T17 = SHARED_DATA / "t17-dev"


def _one_line(texts: list[str], size: int) -> str:
    flat = " ".join(" ".join(t.split()) for t in texts)
    return " ".join([flat] * (size // len(flat) + 1))[:size]


def test_seed_text_repeated_on_one_line_is_cut_into_its_sentences(
    seed_processed: dict[str, Article],
) -> None:
    """1 MB: the seeds' news text (their cleaned bodies) over and over on one line. Every
    sentence is a line for the cleaner, kept once, each later copy dropped as a repeat."""
    bodies = [a.body for a in seed_processed.values()]
    text = _one_line(bodies, 1_000_000)
    assert "\n" not in text
    article = process(RawArticle(text=text, source="one-line.txt"))
    distinct = {s for body in bodies for p in body.split("\n\n") for s in split_sentences(p)}
    assert len(article.paragraphs) >= len(distinct) // 2
    assert len(article.body) < 2 * sum(len(b) for b in bodies)  # each sentence once
    assert max(len(p) for p in article.paragraphs) < LONG_LINE
    assert len(article.sentences) >= len(article.paragraphs)
    assert article.mentions and article.language == "id"


@pytest.mark.skipif(not T17.exists(), reason="Timeline17 dev data not found")
def test_many_articles_on_one_line_keep_their_text_in_sentence_paragraphs() -> None:
    """300 KB of distinct real news (Timeline17 articles whose lines are joined with spaces,
    then the articles with each other): paragraphs of sentence size, the text kept."""
    text = _t17_one_line(300_000)
    article = process(RawArticle(text=text, source="t17-one-line.txt"))
    assert len(article.body) > 150_000
    assert max(len(p) for p in article.paragraphs) < LONG_LINE
    assert len(article.sentences) > 1000
    assert len(article.mentions) > 500


def test_a_line_without_sentence_ends_is_cut_at_spaces(seed_raws: list[RawArticle]) -> None:
    words = " ".join(seed_raws[1].text.replace(".", " ").split())
    line = " ".join([words] * (3 * LONG_LINE // len(words) + 1))
    pieces = split_long_line(line)
    assert len(pieces) >= 3 and all(len(p) <= LONG_LINE for p in pieces)
    assert " ".join(pieces) == line  # cut at spaces only: nothing lost or split mid-word
    assert all(len(line) < LONG_LINE for line in clean_text(line + "\n" + line).paragraphs)


def _t17_one_line(size: int) -> str:
    texts = []
    for path in sorted(T17.glob("*/articles.jsonl"))[:1]:
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            if "wrote" not in text and "comment" not in text.lower():  # no reader threads
                texts.append(text)
    return _one_line(texts, size)


@pytest.fixture
def max_chars(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A small analysed length, configured as a user would (``KABAR_MAX_CHARS``)."""
    monkeypatch.setenv("KABAR_MAX_CHARS", "30000")
    configured_max_chars.cache_clear()
    yield 30_000
    configured_max_chars.cache_clear()


@pytest.mark.skipif(not T17.exists(), reason="Timeline17 dev data not found")
def test_a_text_over_the_limit_is_analysed_to_it_kept_whole_and_flagged(max_chars: int) -> None:
    """A 300 KB one-line dump of real news over a 30,000-character limit: the body is its
    first paragraphs within the limit, every stage read only them, the raw text is whole,
    the id is the whole text's, and the warning says what was cut and how to raise it."""
    text = _t17_one_line(300_000)
    raw = RawArticle(text=text, source="dump.txt")
    article = configured_process(raw)  # the application's: the configured limit
    whole, _ = draft_article(raw, max_chars=0)
    assert not whole.warnings and len(whole.body) > 5 * max_chars
    assert len(article.body) <= max_chars
    assert whole.body.startswith(article.body + "\n\n")  # cut between paragraphs
    assert article.raw_text == text and article.id == whole.id
    (warning,) = article.warnings
    assert f"{len(whole.body):,} characters" in warning
    assert f"first {len(article.body):,}" in warning
    assert "max_chars" in warning and "KABAR_MAX_CHARS" in warning
    assert article.sentences and article.mentions and article.quotes
    assert max(s.paragraph for s in article.sentences) < len(article.paragraphs)
    assert article.sentences[-1].text in article.paragraphs[-1]
    assert max(m.end for m in article.mentions if m.where == "body") <= len(article.body)
    assert max(q.end for q in article.quotes) <= len(article.body)


@pytest.mark.skipif(not T17.exists(), reason="Timeline17 dev data not found")
def test_kabar_ingest_prints_the_limit_and_stores_the_whole_text(
    max_chars: int, tmp_path: Path
) -> None:
    text = _t17_one_line(100_000)
    path = tmp_path / "dump.txt"
    path.write_text(text, encoding="utf-8")
    db = str(tmp_path / "kabar.db")
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", db])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "KABAR_MAX_CHARS" in result.output
    assert "1 added" in result.output
    with open_store(db) as store:
        (stored,) = list(store.iter_articles())
    assert stored.raw_text == text and len(stored.body) <= max_chars
    assert stored.warnings and "max_chars" in stored.warnings[0]
