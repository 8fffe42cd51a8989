"""Long one-line articles: seconds per stage against size (issue #16: linear in length).

    .venv/bin/python bench/long.py [--sizes 100000,1000000,4000000] [--corpus newsweek]
                                   [--max-chars N]

A scraped page sometimes arrives as one line: a whole article, or many run together. Each
test article here is real news text made into one line: the texts of a corpus (newsweek,
Indonesian, ``../data/newsweek/newsweek.jsonl``; or ``t17`` for Timeline17 dev, English;
``seeds``, the bundled seeds repeated) with their line breaks replaced by spaces, joined
until the size is reached. The row gives what the cleaner kept (body characters,
paragraphs, dated sentences, mentions, quotes) and the CPU seconds of each stage of
``process()`` (``clean``, ``meta.annotate``, ``extract_mentions``, ``extract_quotes``) and of the corpus stage on the
article alone (``Corpus().group``: resolution, near copies, grouping, the story record),
then the total wall time. Linear means the seconds per MB stay flat down the column.

The stages after the cleaner read at most ``max_chars`` of news text (500,000 by default,
:data:`kabar.pipeline.MAX_CHARS`): past it, only the cleaner grows with the size.
``--max-chars 0`` times every stage on the whole text (their linearity).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from process import seeds, t17  # noqa: E402

from kabar.config import configured_max_chars  # noqa: E402
from kabar.corpus import Corpus  # noqa: E402
from kabar.entities import extract_mentions  # noqa: E402
from kabar.meta import annotate  # noqa: E402
from kabar.model import RawArticle  # noqa: E402
from kabar.pipeline import draft_article  # noqa: E402
from kabar.quotes import extract_quotes  # noqa: E402

NEWSWEEK = Path(
    os.environ.get("KABAR_NEWSWEEK", ROOT.parent / "data" / "newsweek" / "newsweek.jsonl")
)


def texts(corpus: str) -> list[str]:
    if corpus == "newsweek":
        with NEWSWEEK.open(encoding="utf-8") as lines:
            return [json.loads(line)["text"] for line in lines]
    if corpus == "t17":
        return [r.text for r in t17()]
    return [r.text for r in seeds()]


def one_line(sources: list[str], size: int) -> str:
    """Real texts, line breaks made spaces, joined (repeated if need be) to ``size`` chars."""
    parts: list[str] = []
    total = 0
    while total < size:
        for text in sources:
            flat = " ".join(text.split())
            parts.append(flat)
            total += len(flat) + 1
            if total >= size:
                break
    return " ".join(parts)[:size]


def run(text: str, max_chars: int) -> dict[str, float]:
    """CPU seconds of each stage, wall seconds in all, and what came out."""
    raw = RawArticle(text=text, source="long-line")
    row: dict[str, float] = {}
    started = time.perf_counter()
    tick = time.process_time
    t0 = tick()
    article, cleaned = draft_article(raw, max_chars)
    t1 = tick()
    article = annotate(article, raw, cleaned)
    t2 = tick()
    article.mentions = extract_mentions(article)
    t3 = tick()
    article.quotes = extract_quotes(article)
    t4 = tick()
    _articles, stories = Corpus().group([article])
    t5 = tick()
    row.update(clean=t1 - t0, meta=t2 - t1, entities=t3 - t2, quotes=t4 - t3, corpus=t5 - t4)
    row["wall"] = time.perf_counter() - started
    row["body"] = len(article.body)
    row["paragraphs"] = len(article.paragraphs)
    row["sentences"] = len(article.sentences)
    row["mentions"] = len(article.mentions)
    row["quoted"] = len(article.quotes)
    row["entries"] = sum(len(s.timeline) for s in stories)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000,4000000", help="characters")
    parser.add_argument("--corpus", choices=("newsweek", "t17", "seeds"), default="newsweek")
    parser.add_argument(
        "--max-chars",
        type=int,
        default=None,
        help="news text analysed per article (default: the configured max_chars; 0: all)",
    )
    args = parser.parse_args()
    corpus = args.corpus if args.corpus != "newsweek" or NEWSWEEK.exists() else "seeds"
    sources = texts(corpus)
    limit = configured_max_chars() if args.max_chars is None else args.max_chars
    run(one_line(sources, 20_000), limit)  # warm-up: models, gazetteers, word lists
    print(f"one-line articles from {corpus}; CPU seconds per stage, wall seconds in all")
    print(f"body: the news text analysed (max_chars {limit:,}; 0: no limit)\n")
    print(
        f"{'size':>9} {'body':>9} {'paras':>6} {'sents':>6} {'ments':>6} {'qts':>5}"
        f" {'clean':>6} {'meta':>6} {'entities':>8} {'quotes':>6} {'corpus':>6} {'CPU':>6}"
        f" {'wall':>6} {'CPU s/MB':>8}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        row = run(one_line(sources, size), limit)
        cpu = sum(row[stage] for stage in ("clean", "meta", "entities", "quotes", "corpus"))
        print(
            f"{size:9,} {row['body']:9,.0f} {row['paragraphs']:6.0f} {row['sentences']:6.0f}"
            f" {row['mentions']:6.0f} {row['quoted']:5.0f} {row['clean']:6.2f} {row['meta']:6.2f}"
            f" {row['entities']:8.2f} {row['quotes']:6.2f} {row['corpus']:6.2f} {cpu:6.1f}"
            f" {row['wall']:6.1f} {cpu / (size / 1e6):8.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
