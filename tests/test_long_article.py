"""A long article that arrives as one line is split into sentences and processed whole.

(Its time against size is measured by ``bench/long.py``, never asserted here.)
"""

from __future__ import annotations

import json

import pytest
from conftest import SHARED_DATA

from kabar.clean import LONG_LINE, clean_text, split_long_line
from kabar.model import Article, RawArticle
from kabar.pipeline import process
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
    texts = []
    for path in sorted(T17.glob("*/articles.jsonl"))[:1]:
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            if "wrote" not in text and "comment" not in text.lower():  # no reader threads
                texts.append(text)
    text = _one_line(texts, 300_000)
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
