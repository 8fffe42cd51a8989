"""Batch throughput and memory: the embedded path vs Spark local, as the corpus grows.

A synthetic corpus generator built from real article shapes: Timeline17 articles
(``../shared/data/t17-dev``, one pool per topic; the bundled seeds if that is absent).
Each synthetic article belongs to a story thread (one per 250 articles, so the number of
stories grows with the corpus): a real topic with its commonest names swapped for invented
ones and its own 10–120-day window within 2000–2024. An article takes a title and 4–12
sentences from the thread's own slice of its topic, a day in its window, an outlet; 10 % are
syndicated copies (the same text under another outlet, a few words changed).
Written as JSONL files of 500 articles each, so Spark has files to split.

Each (engine, size) runs in a fresh subprocess: wall time end to end (read, process, group,
write Parquet), articles/s, the seconds of each pass of the run (process: the per-article
part in workers or on Spark; group: the sequential clustering on the driver; records: the
story records and the final write), the number of stories and the largest, peak RSS of the
whole process tree, sampled every 0.2 s from /proc (for Spark: the driver, the JVM and the
Python workers; the JVM start-up is in the time too), and the 5-minute load average at
the end (other jobs on the machine slow a run down). With both engines, the last lines say whether they gave the same stories
(same article sets) at each size. The growth exponent is the slope of log(time) over log(size)
between the smallest and largest size.

Run from the repo root:
``.venv/bin/python bench/scale.py [--sizes 200 1000] [--engines local spark] [--keep DIR]``
(``--keep``: corpora are generated once into DIR, with their thread labels beside them as
``labels-SIZE.json``, which ``bench/peer.py --keep DIR`` reads too).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

T17 = ROOT.parent / "shared" / "data" / "t17-dev"
SEEDS = ROOT / "examples" / "seeds"
OUTLETS = ["kompas", "detik", "tempo", "antara", "cnn", "bbc", "reuters", "guardian"]
THREAD_SIZE = 250
"""Articles per story thread on average: threads grow with the corpus, as in a real archive."""
NAMES_SWAPPED = 80
"""A topic's commonest capitalised words and acronyms, given invented names in each thread."""
THREAD_SENTENCES = 30
"""The fewest sentences a thread draws from (neighbouring threads overlap below that)."""
NOT_NAMES = set(
    "The This That There These Our Its His Her New Posted Editing Report Reuters Guardian "
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec January February March April June July "
    "August September October November December Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday President Secretary Department House Live Radio Twitter US UK UN LRB RRB "
    "AP AFP And You When What They But Now NOT FOR End NEXT Quote God People".split()
)
SYLLABLES = "ka ri mo sen da lu wi ra no ta be ko har dan ves mil tor gu an el pra si".split()


@dataclass
class Topic:
    """A real topic's sentences, dates and most frequent names (to be swapped per thread)."""

    sentences: list[str]
    dates: list[str]
    names: list[str]


def topics() -> dict[str, Topic]:
    """Topic → its pool from the real articles (Timeline17 dev; the seeds if that is absent)."""
    found: dict[str, Topic] = {}
    if T17.is_dir():
        for folder in sorted(T17.iterdir()):
            topic = found.setdefault(folder.name.split("_")[0], Topic([], [], []))
            for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                topic.sentences.extend(s.strip() for s in record["text"].split("\n") if len(s) > 40)
                topic.dates.append(record["time"])
    else:
        sentences = [
            s.strip()
            for f in sorted(SEEDS.glob("*.txt"))
            for s in f.read_text(encoding="utf-8").split(".")
            if len(s) > 40
        ]
        found["seeds"] = Topic(sentences, ["2018-10-01", "2024-06-20"], [])
    for topic in found.values():
        counts = Counter(
            word
            for sentence in topic.sentences[:5000]
            for word in sentence.split()[1:]
            if re.fullmatch(r"[A-Z][a-z]{2,}|[A-Z]{2,5}", word) and word not in NOT_NAMES
        )
        topic.names = [word for word, _n in counts.most_common(NAMES_SWAPPED)]
    return found


@dataclass
class Thread:
    """One synthetic story: a real topic's sentences with its names swapped for invented
    ones and its days moved to a window of its own, so threads of one topic differ the way
    two floods or two trials in a ten-year archive do."""

    topic: str
    start: date
    days: int
    names: dict[str, str]
    sentences: list[str]


def invented_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def generate(size: int, folder: Path, seed: int = 0) -> dict[str, int]:
    """``size`` synthetic articles as JSONL files of 500 under ``folder``; returns each
    article id's thread number (the generator's notion of a story).

    One thread per ``THREAD_SIZE`` articles (at least one per topic), each a real topic's
    own slice of sentences with the topic's 80 commonest names and acronyms swapped and its own
    10–120-day window inside 2000–2024; an article is 4–12 of its thread's sentences;
    10 % of the articles are syndicated copies (the same text under another outlet, a few
    words changed)."""
    rng = random.Random(seed)
    pool = topics()
    names = sorted(pool)
    # Threads go to topics in proportion to their sentences, and each takes its own slice
    # of its topic's sentences: threads of one topic share words, not sentences.
    weights = [len(pool[n].sentences) for n in names]
    count = max(len(names), size // THREAD_SIZE)
    chosen = sorted(rng.choices(names, weights=weights, k=count))
    per_topic = Counter(chosen)
    threads = []
    for topic, how_many in sorted(per_topic.items()):
        sentences = pool[topic].sentences
        width = max(THREAD_SENTENCES, len(sentences) // how_many)
        for k in range(how_many):
            first = (k * len(sentences) // how_many) % len(sentences)
            threads.append(
                Thread(
                    topic=topic,
                    start=date(2000, 1, 1) + timedelta(days=rng.randrange(365 * 25)),
                    days=rng.randint(10, 120),
                    names={n: invented_name(rng) for n in pool[topic].names},
                    sentences=(sentences + sentences)[first : first + width],
                )
            )
    patterns = {
        t: re.compile(r"\b(" + "|".join(map(re.escape, p.names)) + r")\b") if p.names else None
        for t, p in pool.items()
    }
    labels: dict[str, int] = {}
    folder.mkdir(parents=True, exist_ok=True)
    batch: list[str] = []
    records: list[tuple[dict[str, str], int]] = []
    for n in range(size):
        if records and rng.random() < 0.1:
            original, number = rng.choice(records)
            record = dict(original)
            record["outlet"] = rng.choice(OUTLETS)
            record["text"] = record["text"].replace(" the ", " this ", 1) + " (syndicated)"
        else:
            number = rng.randrange(len(threads))
            thread = threads[number]
            own = thread.sentences
            body = rng.sample(own, min(len(own), rng.randint(4, 12)))
            pattern = patterns[thread.topic]
            if pattern is not None:
                swap = thread.names
                body = [pattern.sub(lambda m, swap=swap: swap[m.group(1)], s) for s in body]
            day = thread.start + timedelta(days=rng.randrange(thread.days))
            record = {
                "title": body[0][:90],
                "text": "\n\n".join(body[1:] or body),
                "published": day.isoformat(),
                "outlet": rng.choice(OUTLETS),
            }
            if len(records) < 20_000:
                records.append((record, number))
            else:  # copies come from a bounded reservoir: memory stays flat at 1M
                records[rng.randrange(len(records))] = (record, number)
        labels[f"a{n}"] = number
        batch.append(json.dumps({"id": f"a{n}", **record}))
        if len(batch) == 500 or n == size - 1:
            (folder / f"part-{n // 500:05d}.jsonl").write_text("\n".join(batch) + "\n")
            batch = []
    return labels


def one(engine: str, corpus: str, out: str, workers: int | None = None) -> None:
    """Child process: one timed run; prints a JSON line."""
    import os

    import pyarrow.parquet as pq

    from kabar.scale import run_batch

    start = time.perf_counter()
    report = run_batch([corpus], out, engine=engine, workers=workers)
    seconds = time.perf_counter() - start
    sizes = pq.read_table(Path(out) / "stories.parquet", columns=["size"]).column(0).to_pylist()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "articles": report.articles,
                "stories": report.stories,
                "largest": max(sizes, default=0),
                "failed": len(report.failures),
                "passes": {name: stage.seconds for name, stage in report.stats.stages.items()},
                "load": os.getloadavg()[1],
            }
        )
    )


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux).

    Hand-written to keep psutil out of the dependencies for one bench; ru_maxrss would
    give the largest single child, not the sum of the driver, the JVM and the workers."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [c for c, p in parents.items() if p == pid and c not in tree]
        tree.update(children)
        frontier.extend(children)
    total_kb = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def measured(command: list[str]) -> tuple[str, float]:
    """Run ``command``; its standard output and the peak RSS of its process tree (MB),
    sampled every 0.2 s."""
    with tempfile.TemporaryFile("w+") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, text=True)
        peak = 0.0
        while child.poll() is None:
            peak = max(peak, tree_rss_mb(child.pid))
            time.sleep(0.2)
        if child.returncode != 0:
            raise SystemExit(f"{command} failed with code {child.returncode}")
        out.seek(0)
        return out.read(), peak


def story_sets(output: Path) -> set[frozenset[str]]:
    """The article sets of a batch output's stories (reads only ``stories.parquet``)."""
    import pyarrow.parquet as pq

    data = pq.read_table(output / "stories.parquet", columns=["data"]).column(0).to_pylist()
    return {frozenset(json.loads(d)["article_ids"]) for d in data}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--engines", nargs="+", default=["local", "spark"])
    parser.add_argument("--workers", type=int, help="local engine's processes (default: CPUs)")
    parser.add_argument(
        "--keep", type=Path, help="folder to keep corpora (reused) and outputs in; default: temp"
    )
    parser.add_argument("--one", nargs=3, metavar=("ENGINE", "CORPUS", "OUT"), help="internal")
    args = parser.parse_args()
    if args.one:
        one(*args.one, workers=args.workers)
        return
    print(
        f"{'engine':<7} {'size':>9} {'seconds':>8} {'art/s':>7} {'process':>8} {'group':>7} "
        f"{'records':>8} {'stories':>8} {'largest':>8} {'failed':>7} {'peak RSS MB':>12} "
        f"{'load':>5}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        for engine in args.engines:
            times: dict[int, float] = {}
            for size in args.sizes:
                corpus = where / f"corpus-{size}"
                if not corpus.exists():
                    labels = generate(size, corpus)
                    (where / f"labels-{size}.json").write_text(json.dumps(labels))
                out = where / f"out-{engine}-{size}"
                command = [sys.executable, __file__, "--one", engine, str(corpus), str(out)]
                if args.workers:
                    command += ["--workers", str(args.workers)]
                stdout, peak = measured(command)
                row = json.loads(stdout.strip().splitlines()[-1])
                passes = row["passes"]
                times[size] = row["seconds"]
                print(
                    f"{engine:<7} {size:>9} {row['seconds']:>8.1f} "
                    f"{row['articles'] / row['seconds']:>7.1f} {passes['process']:>8.1f} "
                    f"{passes['group']:>7.1f} {passes['stories']:>8.1f} {row['stories']:>8} "
                    f"{row['largest']:>8} {row['failed']:>7} {peak:>12.0f} {row['load']:>5.1f}",
                    flush=True,
                )
            lo, hi = min(times), max(times)
            if hi > lo:
                exponent = math.log(times[hi] / times[lo]) / math.log(hi / lo)
                print(f"{engine:<7} growth exponent (time ~ size^k), {lo}→{hi}: k = {exponent:.2f}")
        if {"local", "spark"} <= set(args.engines):
            for size in args.sizes:
                sets = [story_sets(where / f"out-{e}-{size}") for e in ("local", "spark")]
                verdict = "same stories" if sets[0] == sets[1] else "DIFFERENT stories"
                print(f"size {size}: local vs spark: {verdict} ({len(sets[0])} stories)")


if __name__ == "__main__":
    main()
