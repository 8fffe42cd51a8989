"""What finding quotes costs per article: :func:`kabar.quotes.extract_quotes` on the
newsweek corpus (real Indonesian news of ten outlets), against the whole of
:func:`kabar.pipeline.process`.

Each article is processed once (clean, meta, entities, quotes); then the quote stage alone
is run again on the processed article and timed (``--repeat`` times, best kept), so the
figure is the stage's own cost, mentions already found. Prints ms/article (mean, p50, p99,
max) for the quote stage and for the whole process(), and the quotes found per article.

Run: ``.venv/bin/python bench/quotes.py [--limit 1000] [--repeat 3]`` (the corpus is
rebuilt by ``scripts/newsweek.py``; absent, the script says so and stops).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.errors import InputError  # noqa: E402
from kabar.ingest import ReadOptions, _from_record  # noqa: E402
from kabar.model import RawArticle  # noqa: E402
from kabar.pipeline import process  # noqa: E402
from kabar.quotes import extract_quotes  # noqa: E402

NEWSWEEK = Path("/work/data/newsweek/newsweek.jsonl")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=1000, help="articles (every n-th line)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=NEWSWEEK)
    args = parser.parse_args()
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus} is absent: rebuild it with scripts/newsweek.py")
    lines = [x for x in args.corpus.read_text(encoding="utf-8").split("\n") if x.strip()]
    step = max(1, len(lines) // args.limit)
    process_ms: list[float] = []
    quote_ms: list[float] = []
    found: list[int] = []
    for line in lines[::step][: args.limit]:
        raw = _from_record(json.loads(line), "newsweek", ReadOptions())
        if not isinstance(raw, RawArticle):
            continue
        started = time.perf_counter()
        try:
            article = process(raw)
        except InputError:
            continue
        process_ms.append(1000 * (time.perf_counter() - started))
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            quotes = extract_quotes(article)
            best = min(best, time.perf_counter() - started)
        quote_ms.append(1000 * best)
        found.append(len(quotes))
    print(
        f"newsweek: {len(quote_ms)} articles, {sum(found)} quotes ({statistics.mean(found):.1f}/article)"
    )
    print(f"{'ms/article':22} {'mean':>7} {'p50':>7} {'p99':>7} {'max':>7}")
    for name, values in (("extract_quotes", quote_ms), ("process (all stages)", process_ms)):
        print(
            f"{name:22} {statistics.mean(values):7.2f} {percentile(values, 0.5):7.2f}"
            f" {percentile(values, 0.99):7.2f} {max(values):7.2f}"
        )
    share = 100 * sum(quote_ms) / sum(process_ms)
    print(f"quotes are {share:.1f}% of process()")


if __name__ == "__main__":
    main()
