"""Timeline summarisation on Timeline17 (development topics): date F1 and alignment ROUGE.

For every topic/source folder of ``../shared/data/t17-dev`` this runs kabar's own flow
(``process`` → entity resolution → near-duplicate marking → ``TimelineBuilder``, day-level
entries only, as many dates as the gold timeline and its mean number of sentences per
date) and scores it as the literature does (Ghalandari & Ifrim, ACL 2020): date F1, and
ROUGE-1/2 F1 of the "align, date-content costs, many-to-one" metric from the ``tilse``
package (Martschat & Markert 2017). Published T17 figures are printed beside ours.

Two settings. "gold span" is the published protocol: the system may only output dates
between the first and last date of the gold timeline (news-tls ``evaluate.py`` sets the
collection's start/end from the reference timeline, extension 0 days for T17), so it is
the one comparable with the published DATEWISE/CLUST figures. "collection span" gives no
gold information at all (dates between the first and last publication date): harder.
These are the tuning folders of issue #7, so every figure printed is a dev figure.

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
) -> dict[str, float]:
    """Date P/R/F1 and alignment ROUGE-1/2 P/R/F1 of one predicted timeline."""
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
    out = {"date_p": precision, "date_r": recall, "date_f": _f(precision, recall)}
    for measure, key in (("rouge_1", "r1"), ("rouge_2", "r2")):
        out[key + "_p"] = result[measure]["precision"]
        out[key + "_r"] = result[measure]["recall"]
        out[key + "_f"] = result[measure]["f_score"]
    return out


def _means(results: list[dict[str, float]]) -> dict[str, float]:
    return {key: sum(r[key] for r in results) / len(results) for key in results[0]}


def _f(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


SETTINGS = {
    "gold span": "output dates limited to the first..last date of the gold timeline, as in the "
    "published T17 runs (news-tls, Ghalandari & Ifrim 2020: time_span_extension=0)",
    "collection span": "output dates limited to the collection's publication span only "
    "(no gold information at all; harder than the published protocol)",
}


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
    rows: dict[str, list[tuple[str, int, int, int, dict[str, float], float, float]]] = {
        name: [] for name in SETTINGS
    }
    total_articles = 0
    wall = {name: 0.0 for name in SETTINGS}
    cpu = {name: 0.0 for name in SETTINGS}
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
        deduplicated = time.perf_counter()
        total_articles += len(articles)
        gold_dates = sorted(set().union(*[set(r) for r in references]))
        published = sorted(a.published for a in articles if a.published)
        spans = {
            "gold span": (gold_dates[0].isoformat(), gold_dates[-1].isoformat()),
            "collection span": (published[0], published[-1]),
        }
        for setting, span in spans.items():
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            entries = build(articles, dates, sentences, span)
            wall[setting] += time.perf_counter() - wall_start
            cpu[setting] += time.process_time() - cpu_start
            predicted = {dt.date.fromisoformat(e.date): _sentences(e, sentences) for e in entries}
            rows[setting].append(
                (
                    folder.name,
                    len(articles),
                    dates,
                    sentences,
                    score(predicted, references),
                    processed - started,
                    deduplicated - processed,
                )
            )
    print("Timeline17 dev folders (tuning data of issue #7: every figure here is on dev)")
    for setting, explanation in SETTINGS.items():
        print(f"\n== {setting}: {explanation}")
        print(
            f"{'folder':24} {'articles':>8} {'T':>4} {'N':>3} {'date-P':>7} {'date-R':>7} {'date-F1':>8} {'AR-1 F':>7} {'AR-2 F':>7}"
        )
        for name, count, dates, sentences, result, _proc, _dedup in rows[setting]:
            print(
                f"{name:24} {count:8d} {dates:4d} {sentences:3d} {result['date_p']:7.3f} {result['date_r']:7.3f} {result['date_f']:8.3f} {result['r1_f']:7.3f} {result['r2_f']:7.3f}"
            )
        mean = _means([r[4] for r in rows[setting]])

        print(
            f"{'mean of folders (kabar)':24} {'':8} {'':4} {'':3} {mean['date_p']:7.3f} {mean['date_r']:7.3f} {mean['date_f']:8.3f} {mean['r1_f']:7.3f} {mean['r2_f']:7.3f}"
        )
        # news-tls averages precision and recall over timelines, then takes F of the means.
        print(
            f"{'F of mean P,R (news-tls)':24} {'':8} {'':4} {'':3} {'':7} {'':7} {_f(mean['date_p'], mean['date_r']):8.3f} {_f(mean['r1_p'], mean['r1_r']):7.3f} {_f(mean['r2_p'], mean['r2_r']):7.3f}"
        )
        if setting == "gold span":
            for name, (d, a1, a2) in PUBLISHED.items():
                a2_text = f"{a2:7.3f}" if a2 is not None else f"{'-':>7}"
                print(
                    f"{name + ' (published, T17)':24} {'':8} {'':4} {'':3} {'':7} {'':7} {d:8.3f} {a1:7.3f} {a2_text}"
                )
    print()
    for setting in SETTINGS:
        print(
            f"timeline building ({setting}): {total_articles / max(wall[setting], 1e-9):,.0f} articles/s wall, "
            f"{total_articles / max(cpu[setting], 1e-9):,.0f} articles per CPU-second (after per-article processing)"
        )
    return 0


def _sentences(entry: TimelineEntry, limit: int) -> list[str]:
    return list(dict.fromkeys(s.sentence for s in entry.sources))[:limit]


if __name__ == "__main__":
    raise SystemExit(main())
