"""Timeline summarisation on Timeline17 (development topics): date F1 and alignment ROUGE,
cross-validated by topic.

For every topic/source folder of ``../shared/data/t17-dev`` this runs kabar's own flow
(``process`` → entity resolution → near-duplicate marking → ``TimelineBuilder``, day-level
entries only, as many dates as the reference timeline and its mean number of sentences per
date) and scores it as the literature does (Ghalandari & Ifrim, ACL 2020, news-tls
``experiments/evaluate.py``): every reference timeline of a folder is scored on its own
(the output span, length and sentences per date taken from that reference), then precision
and recall are averaged over all reference timelines and F1 is taken of the means; date F1,
and ROUGE-1/2 F1 of the "align, date-content costs, many-to-one" metric of the ``tilse``
package (Martschat & Markert 2017).

The protocol is leave-one-topic-out. The development folders hold four topics (bpoil,
H1N1, haiti, MJ); for each topic in turn, the timeline stage's tuned parameters are chosen
on the folders of the three others (a small grid, :data:`GRID`) and the held-out topic's
folders are scored with that choice. The cross-validated figure, printed first, is the
only one that says how kabar does on a topic it was not tuned on; the fit of the grid on
all dev folders is printed after it, labelled as such. Every parameter not in the grid is
fixed a priori (see :data:`FIXED`, with the reasons).

"gold span" is the published protocol: output dates between the first and last date of the
reference timeline (news-tls sets the collection's start/end from the reference,
time_span_extension 0 for T17); only it is comparable with the published DATEWISE/CLUST
figures. ``--collection-span`` adds the setting with no gold information at all (dates
between the first and last publication date).

Run: ``.venv/bin/pip install -e '.[eval]' && .venv/bin/python eval/tls.py [--folders A,B]``
Processed articles are cached under ``$TMPDIR/kabar-tls-cache`` keyed by the source of
every stage before the timeline (``--no-cache`` to reprocess).
Data: Timeline17 (Tran et al., 2013), per-source layout of Haruhi07/news-tls-best.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import os
import pickle
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

# Parameters fixed a priori (not tuned on any folder of this protocol), with the reason.
# Those marked "issue #7" were set earlier on all ten dev folders and are kept as they are
# rather than re-fit: the cross-validated figure is optimistic by whatever they over-fit.
FIXED: dict[str, Any] = {
    # Day-level timelines: the Timeline17 references are dated by day.
    "granularities": ("day",),
    # DATEWISE's "published" sentences: the first 5 of an article (clip_sents=5 in news-tls).
    "lede_sentences": 5,
    # Publication bursts: measured under this protocol (weights 0, 0.5, 1) and no help
    # (LOTO AR-1 0.138 without, 0.137 with), so off.
    "burst_weight": 0.0,
    # Background split: over a year before the first article is context, not the story's
    # course (an old law, a birth year). Inside the gold span it never applies here.
    "background_days": 365,
    # Redundancy across dates: measured under this protocol and never chosen (Jaccard 0.5
    # never fires; 0.25 gives date-F1 0.690, AR-1 0.133 on all dev against 0.714 / 0.138),
    # so off.
    "redundancy": None,
    # issue #7: attach_threshold 0.3, anchor_threshold 0.25, max_words 40, dated_bonus 0.25,
    # entry_weight = story_weight = centrality_weight = 1 (the builder's defaults).
}
# The grid the protocol chooses from, on the training topics only. Kept small: four
# topics cannot support many choices without the choice itself over-fitting.
GRID: dict[str, list[Any]] = {
    "lede_threshold": [0.1, 0.2],
    "later_weight": [0.0, 1.0, 2.0],
}
# Shapes of reader comments seen on the dev folders (independent of the cleaner's rules).
COMMENT_SHAPES = re.compile(
    r"Report abuse|Report as abusive|\|\s?Reply\b|Posted by\s?:|\d{4} ?, ?\S+ wrote ?:"
    r"|Add your comments|This comment was removed|GMT \d\d:\d\d UK"
)
CRITERION = "r1_f"
"""What the choice maximises on the training topics (mean over topics of the mean over a
topic's folders): alignment ROUGE-1 F, which scores the dates and the sentences together."""


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


def _source_digest() -> str:
    """Digest of every kabar source file a processed article depends on (all but the
    timeline stage), so the cache is rebuilt when cleaning, dating or NER change."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / "kabar").rglob("*")):
        if path.is_file() and "timeline" not in path.parts and path.suffix in {".py", ".json"}:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def processed(folder: Path, cache: Path | None) -> tuple[list[Article], float]:
    """The folder's articles through every stage before the timeline (and the seconds)."""
    if cache is not None:
        path = cache / f"{folder.name}.pickle"
        if path.exists():
            with path.open("rb") as handle:
                articles, seconds = pickle.load(handle)
            return articles, seconds
    started = time.perf_counter()
    articles = []
    for raw in load(folder):
        try:
            articles.append(process(raw))
        except InputError:
            continue
    articles = NearDuplicateFinder().mark(resolve_entities(articles))
    seconds = time.perf_counter() - started
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            pickle.dump((articles, seconds), handle)
    return articles, seconds


@dataclass
class Run:
    """One reference timeline of one folder, built and scored under one parameter setting."""

    folder: str
    reference: int
    articles: int
    dates: int
    sentences: int
    scores: dict[str, float]
    seconds: float
    comment_like: int = 0
    """Output sentences that have a reader comment's shape (should be none)."""
    output_sentences: int = 0

    @property
    def topic(self) -> str:
        return self.folder.split("_")[0]


def score(
    predicted: dict[dt.date, list[str]], reference: dict[dt.date, list[str]]
) -> dict[str, float]:
    """Date P/R/F1 and alignment ROUGE-1/2 P/R/F1 of a predicted timeline against one
    reference timeline (news-tls scores each reference on its own)."""
    from tilse.data.timelines import GroundTruth
    from tilse.data.timelines import Timeline as TilseTimeline
    from tilse.evaluation import rouge

    evaluator = rouge.TimelineRougeEvaluator(
        measures=["rouge_1", "rouge_2"], rouge_computation="reimpl"
    )
    result = evaluator.evaluate_align_date_content_costs_many_to_one(
        TilseTimeline(predicted), GroundTruth([TilseTimeline(reference)])
    )
    shared = len(set(predicted) & set(reference))
    precision = shared / len(predicted) if predicted else 0.0
    recall = shared / len(reference) if reference else 0.0
    out = {"date_p": precision, "date_r": recall, "date_f": _f(precision, recall)}
    for measure, key in (("rouge_1", "r1"), ("rouge_2", "r2")):
        out[key + "_p"] = result[measure]["precision"]
        out[key + "_r"] = result[measure]["recall"]
        out[key + "_f"] = result[measure]["f_score"]
    return out


def run_setting(
    params: dict[str, Any],
    data: dict[str, tuple[list[Article], list[dict[dt.date, list[str]]]]],
    collection_span: bool,
) -> list[Run]:
    """Build and score every reference timeline of every folder under ``params``."""
    runs = []
    for name, (articles, references) in data.items():
        published = sorted(a.published for a in articles if a.published)
        for number, reference in enumerate(references):
            days = sorted(reference)
            dates = len(days)
            sentences = max(1, round(sum(len(s) for s in reference.values()) / dates))
            span = (
                (published[0], published[-1])
                if collection_span
                else (days[0].isoformat(), days[-1].isoformat())
            )
            builder = TimelineBuilder(
                max_entries=dates, sentences_per_entry=sentences, window=span, **FIXED, **params
            )
            started = time.perf_counter()
            entries = builder.build(articles)
            seconds = time.perf_counter() - started
            predicted = {dt.date.fromisoformat(e.date): _sentences(e, sentences) for e in entries}
            said = [text for texts in predicted.values() for text in texts]
            runs.append(
                Run(
                    name,
                    number,
                    len(articles),
                    dates,
                    sentences,
                    score(predicted, reference),
                    seconds,
                    sum(bool(COMMENT_SHAPES.search(text)) for text in said),
                    len(said),
                )
            )
    return runs


def published_average(runs: list[Run]) -> dict[str, float]:
    """news-tls: precision and recall averaged over reference timelines, F1 of the means."""
    out: dict[str, float] = {}
    for key in ("date", "r1", "r2"):
        p = sum(r.scores[key + "_p"] for r in runs) / len(runs)
        r = sum(r.scores[key + "_r"] for r in runs) / len(runs)
        out[key + "_p"], out[key + "_r"], out[key + "_f"] = p, r, _f(p, r)
    return out


def topic_criterion(runs: list[Run]) -> float:
    """Mean over topics of the mean over a topic's runs (bpoil's five folders count once)."""
    by_topic: dict[str, list[float]] = defaultdict(list)
    for run in runs:
        by_topic[run.topic].append(run.scores[CRITERION])
    return sum(sum(v) / len(v) for v in by_topic.values()) / len(by_topic)


def _f(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _sentences(entry: TimelineEntry, limit: int) -> list[str]:
    return list(dict.fromkeys(s.sentence for s in entry.sources))[:limit]


HEADER = f"{'folder':24} {'articles':>8} {'T':>4} {'N':>3} {'date-P':>7} {'date-R':>7} {'date-F1':>8} {'AR-1 F':>7} {'AR-2 F':>7}"


def _row(label: str, s: dict[str, float], articles: str = "", t: str = "", n: str = "") -> str:
    return (
        f"{label:24} {articles:>8} {t:>4} {n:>3} {s['date_p']:7.3f} {s['date_r']:7.3f} "
        f"{s['date_f']:8.3f} {s['r1_f']:7.3f} {s['r2_f']:7.3f}"
    )


def _label(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items()) or "defaults"


def report(
    setting: str,
    grid: list[dict[str, Any]],
    results: list[list[Run]],
) -> None:
    """Leave-one-topic-out first, then the fit on all dev folders."""
    topics = sorted({run.topic for run in results[0]})
    held_out: list[Run] = []
    print(f"\n== {setting}: leave-one-topic-out (tuned on three topics, scored on the fourth)")
    print(HEADER)
    for topic in topics:
        scores = [
            topic_criterion([r for r in runs if r.topic != topic]) if len(topics) > 1 else 0.0
            for runs in results
        ]
        best = max(range(len(grid)), key=lambda i: (scores[i], -i))
        runs = [r for r in results[best] if r.topic == topic]
        held_out.extend(runs)
        for run in runs:
            print(
                _row(run.folder, run.scores, str(run.articles), str(run.dates), str(run.sentences))
            )
        print(
            _row(f"  topic {topic}", published_average(runs)) + f"   chosen: {_label(grid[best])}"
        )
    cross = published_average(held_out)
    print(_row("CROSS-VALIDATED (LOTO)", cross) + "   <- the figure to quote")
    if setting == "gold span":
        for name, (d, a1, a2) in PUBLISHED.items():
            a2_text = f"{a2:7.3f}" if a2 is not None else f"{'-':>7}"
            print(
                f"{name + ' (published, T17)':24} {'':8} {'':4} {'':3} {'':7} {'':7} {d:8.3f} {a1:7.3f} {a2_text}"
            )

    print(
        f"timeline sentences with a reader comment's shape: "
        f"{sum(r.comment_like for r in held_out)} of {sum(r.output_sentences for r in held_out)}"
    )
    print(f"\n-- {setting}: fit on all dev folders (chosen and scored on the same folders)")
    fits = [topic_criterion(runs) for runs in results]
    best = max(range(len(grid)), key=lambda i: (fits[i], -i))
    for i, params in enumerate(grid):
        print(_row(f"  grid {i}", published_average(results[i])) + f"   {_label(params)}")
    print(
        _row("FIT ON ALL DEV", published_average(results[best]))
        + f"   chosen: {_label(grid[best])}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", help="comma-separated folder names (default: all)")
    parser.add_argument("--collection-span", action="store_true", help="also the no-gold setting")
    parser.add_argument("--no-cache", action="store_true", help="reprocess the articles")
    parser.add_argument("--no-grid", action="store_true", help="the builder's defaults only")
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
    cache = (
        None
        if args.no_cache
        else Path(os.environ.get("TMPDIR", tempfile.gettempdir()))
        / "kabar-tls-cache"
        / _source_digest()
    )
    data = {}
    processing = 0.0
    for folder in folders:
        articles, seconds = processed(folder, cache)
        processing += seconds
        data[folder.name] = (articles, gold(folder))
    grid = (
        [{}]
        if args.no_grid
        else [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    )
    print(
        "Timeline17 dev folders (t17-dev only); protocol: leave-one-topic-out over bpoil, H1N1, haiti, MJ"
    )
    print(f"fixed a priori: {_label(FIXED)}; grid: {len(grid)} settings; criterion: {CRITERION}")
    settings = ["gold span"] + (["collection span"] if args.collection_span else [])
    for setting in settings:
        results = [run_setting(params, data, setting == "collection span") for params in grid]
        report(setting, grid, results)
        seconds = sum(r.seconds for runs in results for r in runs)
        built = sum(r.articles for runs in results for r in runs)
        print(
            f"\ntimeline building ({setting}): {built / max(seconds, 1e-9):,.0f} articles/s "
            f"(wall, one core, {len(grid)} settings x {len(results[0])} timelines; "
            f"largest folder {max(r.articles for r in results[0])} articles)"
        )
    total = sum(len(a) for a, _ in data.values())
    print(
        f"per-article processing before the timeline: {total / max(processing, 1e-9):,.0f} articles/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
