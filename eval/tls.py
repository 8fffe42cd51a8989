"""Timeline summarisation on Timeline17 (development topics): date F1 and alignment ROUGE.

For every topic/source folder of ``../shared/data/t17-dev`` this runs kabar's own flow
(``process`` → entity resolution → near-duplicate marking → ``TimelineBuilder``, day-level
entries only, as many dates as the gold timeline and its mean number of sentences per
date) and scores it as the literature does (Ghalandari & Ifrim, ACL 2020): date F1, and
ROUGE-1/2 F1 of the "align, date-content costs, many-to-one" metric from the ``tilse``
package (Martschat & Markert 2017). Published T17 figures are printed beside ours.

Run: ``.venv/bin/pip install -e '.[eval]' && .venv/bin/python eval/tls.py [--folders A,B]``
Data: Timeline17 (Tran et al., 2013), per-source layout of Haruhi07/news-tls-best.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.dedup import NearDuplicateFinder  # noqa: E402
from kabar.entities import resolve_entities  # noqa: E402
from kabar.errors import InputError  # noqa: E402
from kabar.model import Article, RawArticle, TimelineEntry  # noqa: E402
from kabar.pipeline import process  # noqa: E402
from kabar.timeline import TimelineBuilder  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "t17-dev"
PUBLISHED = {"DATEWISE": (0.54, 0.12, 0.035), "CLUST": (0.41, 0.08, None)}


def load(folder: Path) -> list[RawArticle]:
    raws = []
    for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = record["text"].replace(" \n", "\n")
        raws.append(
            RawArticle(text=text, source=f"{folder.name}:{record['id']}", published=record["time"])
        )
    return raws


def gold(folder: Path) -> list[dict[dt.date, list[str]]]:
    timelines = []
    for line in (folder / "timelines.jsonl").read_text(encoding="utf-8").splitlines():
        timelines.append(
            {
                dt.date.fromisoformat(day[:10]): [s.strip() for s in sentences]
                for day, sentences in json.loads(line)
            }
        )
    return timelines


def build(
    articles: list[Article], dates: int, sentences: int, span: tuple[str, str]
) -> list[TimelineEntry]:
    builder = TimelineBuilder(
        max_entries=dates, sentences_per_entry=sentences, granularities=("day",), window=span
    )
    return builder.build(articles)


def score(
    predicted: dict[dt.date, list[str]], references: list[dict[dt.date, list[str]]]
) -> tuple[float, float, float]:
    from tilse.data.timelines import GroundTruth
    from tilse.data.timelines import Timeline as TilseTimeline
    from tilse.evaluation import rouge

    evaluator = rouge.TimelineRougeEvaluator(
        measures=["rouge_1", "rouge_2"], rouge_computation="reimpl"
    )
    truth = GroundTruth([TilseTimeline(r) for r in references])
    result = evaluator.evaluate_align_date_content_costs_many_to_one(
        TilseTimeline(predicted), truth
    )
    gold_dates = set().union(*[set(r) for r in references])
    shared = len(set(predicted) & gold_dates)
    precision = shared / len(predicted) if predicted else 0.0
    recall = shared / len(gold_dates) if gold_dates else 0.0
    date_f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return date_f1, result["rouge_1"]["f_score"], result["rouge_2"]["f_score"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", help="comma-separated folder names (default: all)")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"Timeline17 dev data not found at {DATA}")
        return 1
    try:
        import tilse  # noqa: F401
    except ImportError:
        print("the metric needs tilse: .venv/bin/pip install -e '.[eval]'")
        return 1
    folders = sorted(p for p in DATA.iterdir() if p.is_dir())
    if args.folders:
        folders = [f for f in folders if f.name in args.folders.split(",")]
    rows = []
    total_articles = 0
    total_seconds = 0.0
    for folder in folders:
        references = gold(folder)
        dates = round(sum(len(r) for r in references) / len(references))
        sentences = max(
            1,
            round(
                sum(sum(len(s) for s in r.values()) for r in references)
                / sum(len(r) for r in references)
            ),
        )
        started = time.perf_counter()
        articles = []
        for raw in load(folder):
            try:
                articles.append(process(raw))
            except InputError:
                continue
        processed = time.perf_counter()
        articles = NearDuplicateFinder().mark(resolve_entities(articles))
        published = sorted(a.published for a in articles if a.published)
        entries = build(articles, dates, sentences, (published[0], published[-1]))
        finished = time.perf_counter()
        total_articles += len(articles)
        total_seconds += finished - processed
        predicted = {dt.date.fromisoformat(e.date): _sentences(e, sentences) for e in entries}
        date_f1, r1, r2 = score(predicted, references)
        rows.append(
            (
                folder.name,
                len(articles),
                dates,
                sentences,
                date_f1,
                r1,
                r2,
                processed - started,
                finished - processed,
            )
        )
    print(
        f"{'folder':24} {'articles':>8} {'T':>4} {'N':>3} {'date-F1':>8} {'AR-1 F':>7} {'AR-2 F':>7} {'proc s':>7} {'tl s':>6}"
    )
    for name, count, dates, sentences, date_f1, r1, r2, proc, tl in rows:
        print(
            f"{name:24} {count:8d} {dates:4d} {sentences:3d} {date_f1:8.3f} {r1:7.3f} {r2:7.3f} {proc:7.1f} {tl:6.2f}"
        )
    mean = [sum(r[i] for r in rows) / len(rows) for i in (4, 5, 6)]
    print(f"{'mean (kabar)':24} {'':8} {'':4} {'':3} {mean[0]:8.3f} {mean[1]:7.3f} {mean[2]:7.3f}")
    for name, (d, a1, a2) in PUBLISHED.items():
        a2_text = f"{a2:7.3f}" if a2 is not None else f"{'-':>7}"
        print(f"{name + ' (published, T17)':24} {'':8} {'':4} {'':3} {d:8.3f} {a1:7.3f} {a2_text}")
    print(
        f"timeline building: {total_articles / max(total_seconds, 1e-9):,.0f} articles/s (after per-article processing)"
    )
    return 0


def _sentences(entry: TimelineEntry, limit: int) -> list[str]:
    return list(dict.fromkeys(s.sentence for s in entry.sources))[:limit]


if __name__ == "__main__":
    raise SystemExit(main())
