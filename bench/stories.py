"""Speed and memory of online grouping as the store grows (synthetic articles, real text).

Synthetic articles are made from real sentences (Timeline17 dev, ../shared/data/t17-dev/,
and the seed corpus): each belongs to one of many synthetic stories whose base article it
re-mixes (sentences shuffled, some from other articles of the topic), with its own entities
(from a pool of made-up names) and dates spread over two years, about 12 sentences long.
They are built as :class:`~kabar.model.Article` directly: cleaning and tagging are other
stages. The grouping state is filled to each size; then ``--measure`` more articles are
added one at a time and timed, in a batch run as the corpus stage (kabar.corpus.Corpus.place) runs one
(cyclic GC paused): that is what adding an article to a store of that size costs (dedup +
event + story placement), with the state in memory. Also printed: near-duplicate docs/s, the saved state's
size and its save/load times, and peak memory (max RSS of the process).

    .venv/bin/python bench/stories.py [--sizes 10000 100000] [--measure 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import string
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.dedup import DuplicateIndex  # noqa: E402
from kabar.model import Article, Mention  # noqa: E402
from kabar.stories import GroupingState, paused_gc  # noqa: E402

T17 = ROOT.parent / "shared" / "data" / "t17-dev"


def sentence_pool() -> list[list[str]]:
    """Real articles as lists of sentences (t17-dev and the seeds)."""
    articles = []
    for path in sorted(T17.glob("*/articles.jsonl")):
        for line in path.read_text().splitlines():
            sentences = [s for s in json.loads(line)["text"].split(" \n") if len(s) > 30]
            if len(sentences) >= 6:
                articles.append(sentences)
    for path in sorted((ROOT / "examples" / "seeds").glob("*.txt")):
        sentences = [s for s in path.read_text().split("\n") if len(s) > 60]
        if sentences:
            articles.append(sentences)
    if not articles:
        sys.exit(f"no text found (t17-dev expected at {T17})")
    return articles


class Generator:
    """Articles of synthetic stories; a story lives a few weeks, then new ones start."""

    def __init__(self, pool: list[list[str]], seed: int = 0) -> None:
        self.pool = pool
        self.rng = random.Random(seed)
        self.names = [
            "".join(self.rng.choice(string.ascii_uppercase) for _ in range(1))
            + "".join(self.rng.choice(string.ascii_lowercase) for _ in range(6))
            for _ in range(20_000)
        ]
        self.start = date(2023, 1, 1)
        self.stories: list[tuple[list[str], list[str], int]] = []
        self.count = 0

    def article(self, n_total: int) -> Article:
        rng = self.rng
        # time advances with the stream: n_total articles spread over two years
        day = int(730 * self.count / max(1, n_total))
        if not self.stories or rng.random() < 0.08:
            base = rng.choice(self.pool)
            entities = rng.sample(self.names, 4)
            self.stories.append((base, entities, day))
            self.stories = self.stories[-300:]  # active stories
        base, entities, _first = rng.choice(self.stories)
        other = rng.choice(self.pool)
        sentences = rng.sample(base, min(len(base), rng.randint(6, 10)))
        sentences += rng.sample(other, min(len(other), rng.randint(1, 3)))
        rng.shuffle(sentences)
        mentions = []
        body_parts = []
        offset = 0
        for i, sentence in enumerate(sentences):
            name = entities[i % len(entities)] if rng.random() < 0.7 else rng.choice(self.names)
            text = f"{name} {sentence}"
            mentions.append(Mention(name, "PER", offset, offset + len(name), name))
            body_parts.append(text)
            offset += len(text) + 2
        body = "\n\n".join(body_parts)
        self.count += 1
        published = (self.start + timedelta(days=day)).isoformat()
        return Article(
            id=f"{rng.getrandbits(64):016x}",
            title=sentences[0][:90],
            body=body,
            source="synthetic",
            raw_text="",
            published=published,
            mentions=mentions,
        )


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--measure", type=int, default=2000)
    args = parser.parse_args()
    pool = sentence_pool()
    final = max(args.sizes) + args.measure * len(args.sizes)
    gen = Generator(pool)
    state = GroupingState()
    rows = []
    filled_at = time.perf_counter()
    for size in sorted(args.sizes):
        with paused_gc():
            while len(state) < size:
                state.add(gen.article(final))
        fill = time.perf_counter() - filled_at
        batch = [gen.article(final) for _ in range(args.measure)]
        times = []
        start = time.perf_counter()
        with paused_gc():  # as kabar.corpus.Corpus.place runs a batch
            for article in batch:
                t0 = time.perf_counter()
                state.add(article)
                times.append(time.perf_counter() - t0)
        total = time.perf_counter() - start
        t0 = time.perf_counter()
        blob = state.to_bytes()
        save = time.perf_counter() - t0
        t0 = time.perf_counter()
        GroupingState.from_bytes(blob)
        load = time.perf_counter() - t0
        ms = np.array(times) * 1000
        live = len(state.stories.groups())
        rows.append(
            f"| {size:,} | {args.measure / total:,.0f} | {np.percentile(ms, 50):.2f}"
            f" | {np.percentile(ms, 99):.2f} | {ms.max():.1f} | {live:,} | {len(state.stories.events):,}"
            f" | {len(blob) / 1e6:.0f} MB | {save:.1f} s / {load:.1f} s | {rss_mb():,.0f} MB |"
        )
        print(f"(filled to {size:,} in {fill:.0f} s)", file=sys.stderr)
        filled_at = time.perf_counter()

    # Near-duplicate detection alone: index + query of fresh texts.
    texts = [gen.article(final).body for _ in range(20_000)]
    index = DuplicateIndex()
    start = time.perf_counter()
    for n, text in enumerate(texts):
        index.add(str(n), text)
    dedup_rate = len(texts) / (time.perf_counter() - start)
    words = np.mean([len(t.split()) for t in texts])

    print(
        "| store size | articles/s added | p50 ms/add | p99 ms/add | max ms | stories | events"
        " | state | save / load | peak RSS |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(
        f"\nnear-duplicate detection (DuplicateIndex.add, {words:.0f}-word articles):"
        f" {dedup_rate:,.0f} docs/s"
    )


if __name__ == "__main__":
    main()
