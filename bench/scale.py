"""Batch throughput and memory: the embedded path vs Spark local, as the corpus grows.

A synthetic corpus generator built from real article shapes: Timeline17 articles
(``../shared/data/t17-dev``, one pool per topic; the bundled seeds if that is absent).
Each synthetic article takes a title and 4–12 consecutive-or-not sentences from one topic's
pool (so a topic is a multi-day story), a date inside that topic's real date range, an
outlet; 10 % are syndicated copies (the same text under another outlet, a few words changed).
Written as JSONL files of 500 articles each, so Spark has files to split.

Each (engine, size) runs in a fresh subprocess: wall time end to end (read, process, group,
write Parquet), articles/s, and peak RSS of the whole process tree, sampled every 0.2 s
from /proc (for Spark: the driver, the JVM and the Python workers; the JVM start-up is in
the time too). With both engines, the last lines say whether they gave the same stories
(same article sets) at each size. The growth exponent is the slope of log(time) over log(size)
between the smallest and largest size.

Run from the repo root: ``.venv/bin/python bench/scale.py [--sizes 200 1000] [--engines local spark]``
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

T17 = ROOT.parent / "shared" / "data" / "t17-dev"
SEEDS = ROOT / "examples" / "seeds"
OUTLETS = ["kompas", "detik", "tempo", "antara", "cnn", "bbc", "reuters", "guardian"]


def pools() -> dict[str, tuple[list[str], list[str]]]:
    """Topic → (sentences, dates) from the real articles."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    if T17.is_dir():
        for folder in sorted(T17.iterdir()):
            topic = folder.name.split("_")[0]
            sentences, dates = found.setdefault(topic, ([], []))
            for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                sentences.extend(s.strip() for s in record["text"].split("\n") if len(s) > 40)
                dates.append(record["time"])
    else:
        sentences = [
            s.strip()
            for f in sorted(SEEDS.glob("*.txt"))
            for s in f.read_text(encoding="utf-8").split(".")
            if len(s) > 40
        ]
        found["seeds"] = (sentences, ["2018-10-01", "2024-06-20"])
    return found


def generate(size: int, folder: Path, seed: int = 0) -> None:
    """``size`` synthetic articles as JSONL files of 500 under ``folder``."""
    rng = random.Random(seed)
    topics = pools()
    names = sorted(topics)
    records: list[dict[str, str]] = []
    while len(records) < size:
        if records and rng.random() < 0.1:
            copy = dict(rng.choice(records))
            copy["outlet"] = rng.choice(OUTLETS)
            copy["text"] = copy["text"].replace(" the ", " this ", 1) + " (syndicated)"
            records.append(copy)
            continue
        sentences, dates = topics[rng.choice(names)]
        start = rng.randrange(len(sentences))
        body = sentences[start : start + rng.randint(4, 12)]
        records.append(
            {
                "title": body[0][:90],
                "text": "\n\n".join(body[1:] or body),
                "published": rng.choice(dates),
                "outlet": rng.choice(OUTLETS),
            }
        )
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(0, size, 500):
        chunk = records[n : n + 500]
        lines = [json.dumps({"id": f"a{n + i}", **r}) for i, r in enumerate(chunk)]
        (folder / f"part-{n // 500:05d}.jsonl").write_text("\n".join(lines) + "\n")


def one(engine: str, corpus: str, out: str) -> None:
    """Child process: one timed run; prints a JSON line."""
    from kabar.scale import run_batch

    start = time.perf_counter()
    report = run_batch([corpus], out, engine=engine)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "articles": report.articles,
                "stories": report.stories,
                "failed": len(report.failures),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--engines", nargs="+", default=["local", "spark"])
    parser.add_argument("--one", nargs=3, metavar=("ENGINE", "CORPUS", "OUT"), help="internal")
    args = parser.parse_args()
    if args.one:
        one(*args.one)
        return
    print(
        f"{'engine':<7} {'size':>8} {'seconds':>9} {'articles/s':>11} {'stories':>8} "
        f"{'failed':>7} {'peak RSS MB':>12}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for engine in args.engines:
            times: dict[int, float] = {}
            for size in args.sizes:
                corpus = Path(tmp) / f"corpus-{size}"
                if not corpus.exists():
                    generate(size, corpus)
                out = Path(tmp) / f"out-{engine}-{size}"
                stdout, peak = measured(
                    [sys.executable, __file__, "--one", engine, str(corpus), str(out)]
                )
                row = json.loads(stdout.strip().splitlines()[-1])
                row["rss_mb"] = peak
                times[size] = row["seconds"]
                print(
                    f"{engine:<7} {size:>8} {row['seconds']:>9.1f} "
                    f"{row['articles'] / row['seconds']:>11.1f} {row['stories']:>8} "
                    f"{row['failed']:>7} {row['rss_mb']:>12.0f}",
                    flush=True,
                )
            lo, hi = min(times), max(times)
            if hi > lo:
                exponent = math.log(times[hi] / times[lo]) / math.log(hi / lo)
                print(f"{engine:<7} growth exponent (time ~ size^k), {lo}→{hi}: k = {exponent:.2f}")
        if {"local", "spark"} <= set(args.engines):
            from kabar.scale import read_output

            for size in args.sizes:
                sets = [
                    {
                        frozenset(st.article_ids)
                        for st in read_output(Path(tmp) / f"out-{e}-{size}")[1]
                    }
                    for e in ("local", "spark")
                ]
                verdict = "same stories" if sets[0] == sets[1] else "DIFFERENT stories"
                print(f"size {size}: local vs spark: {verdict} ({len(sets[0])} stories)")


if __name__ == "__main__":
    main()
