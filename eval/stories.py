"""Story grouping quality on Timeline17 (dev topics): B-cubed and pairwise P/R/F1.

The ten t17-dev folders (bpoil ×5, H1N1 ×3, haiti, MJ) are mixed into one stream in
publication order and fed once, article by article, to the online clustering (dedup, then
events and stories), as `kabar ingest` would. Gold: the story of an article is its topic
(the folder prefix). An article found in several folders of one topic is one article (same
text, same id). Also grouped: the five seed articles (gold: one story). Prints the scores
and the number of clusters. Data: Timeline17 (Tran et al., 2013), read from
../shared/data/t17-dev/.

    .venv/bin/python eval/stories.py                      # defaults
    .venv/bin/python eval/stories.py --grid               # + sensitivity table
    .venv/bin/python eval/stories.py --set stem=false     # any GroupingParams field
    .venv/bin/python eval/stories.py --resolve            # the corpus stage, as ingest runs

By default the grouping state alone is scored (each article's own entity names); with
``--resolve`` the whole corpus stage (:class:`kabar.corpus.Corpus`), which first resolves
names across the stream: t17-dev B³ F1 0.978 (26 stories) instead of 0.981 (28).

The per-topic table shows the failure mode: how many stories each gold story is split
into, the share of its largest one, and where its articles went. ``--grid`` re-runs the
stream with each main parameter moved around its default and prints B-cubed F1 for each,
so a default sitting next to a cliff is visible.

The "events" row scores events against the topic gold: only its precision (purity) means
something there, as t17 has no event-level gold.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.corpus import Corpus  # noqa: E402
from kabar.errors import InputError  # noqa: E402
from kabar.ingest import read_path  # noqa: E402
from kabar.model import Article, RawArticle  # noqa: E402
from kabar.pipeline import process  # noqa: E402
from kabar.stories import GroupingParams, GroupingState  # noqa: E402

T17 = ROOT.parent / "shared" / "data" / "t17-dev"


def load_t17(folder: Path = T17) -> tuple[list[Article], dict[str, str]]:
    """Processed articles in publication order and the gold topic of each article id."""
    records = []
    for path in sorted(folder.glob("*/articles.jsonl")):
        topic = path.parent.name.split("_")[0]
        for line in path.read_text().splitlines():
            record = json.loads(line)
            records.append((record["time"], path.parent.name, record, topic))
    records.sort(key=lambda r: (r[0], r[1], str(r[2]["id"])))
    articles: dict[str, Article] = {}
    gold: dict[str, str] = {}
    for _time, folder_name, record, topic in records:
        text = record["text"].replace(" \n", "\n")
        try:
            article = process(
                RawArticle(
                    text=text, source=f"{folder_name}:{record['id']}", published=record["time"]
                )
            )
        except InputError:
            continue  # empty texts in the data
        if article.id in gold and gold[article.id] != topic:
            print(f"warning: {article.id} in two topics", file=sys.stderr)
        gold.setdefault(article.id, topic)
        articles.setdefault(article.id, article)
    return list(articles.values()), gold


def bcubed(clusters: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    by_cluster: dict[str, list[str]] = defaultdict(list)
    for item, cluster in clusters.items():
        by_cluster[cluster].append(item)
    gold_sizes = Counter(gold[i] for i in clusters)
    precision = recall = 0.0
    for members in by_cluster.values():
        topics = Counter(gold[m] for m in members)
        for m in members:
            same = topics[gold[m]]
            precision += same / len(members)
            recall += same / gold_sizes[gold[m]]
    n = len(clusters)
    p, r = precision / n, recall / n
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pairwise(clusters: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    def pairs(counter: Counter[object]) -> int:
        return sum(c * (c - 1) // 2 for c in counter.values())

    both = pairs(Counter((c, gold[i]) for i, c in clusters.items()))
    predicted = pairs(Counter(clusters.values()))
    true = pairs(Counter(gold[i] for i in clusters))
    p = both / predicted if predicted else 1.0
    r = both / true if true else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def stream(
    articles: Sequence[Article], state: GroupingState, resolve: bool = False
) -> tuple[dict[str, str], float, int]:
    """Feed the articles one by one; story of each article id, seconds taken, near copies.

    resolve: run the whole corpus stage (:class:`kabar.corpus.Corpus`: names resolved
    across the stream first, as ingest does) instead of the grouping state alone."""
    if resolve:
        corpus = Corpus(state)
        for article in articles:
            corpus.count(article.mentions)
        placed: Iterable[Article] = corpus.place(articles)  # resolved copies: input unchanged
    else:
        # add() marks near copies on the article: a copy keeps the input clean for reruns
        placed = (state.add(copy.copy(article)) for article in articles)
    start = time.perf_counter()
    copies = sum(article.duplicate_of is not None for article in placed)
    seconds = time.perf_counter() - start
    return {a.id: state.stories.story_of(a.id) for a in articles}, seconds, copies


def report(name: str, clusters: dict[str, str], gold: dict[str, str]) -> None:
    bp, br, bf = bcubed(clusters, gold)
    pp, pr, pf = pairwise(clusters, gold)
    sizes = Counter(clusters.values())
    big = sum(1 for c in sizes.values() if c >= 5)
    print(
        f"| {name} | {len(clusters)} | {len(sizes)} | {big} | {bp:.3f} | {br:.3f} | {bf:.3f} "
        f"| {pp:.3f} | {pr:.3f} | {pf:.3f} |"
    )


def per_topic(clusters: dict[str, str], gold: dict[str, str]) -> None:
    """Each gold story: into how many stories it is split, and what else those contain."""
    by_topic: dict[str, Counter[str]] = defaultdict(Counter)
    by_cluster: dict[str, Counter[str]] = defaultdict(Counter)
    for aid, cluster in clusters.items():
        by_topic[gold[aid]][cluster] += 1
        by_cluster[cluster][gold[aid]] += 1
    print(
        "\n| gold story | articles | split into | largest (share) | in stories of ≤2 "
        "| B³ P | B³ R | its largest story also holds |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for topic, counts in sorted(by_topic.items()):
        n = sum(counts.values())
        (largest, size), *_ = counts.most_common(1)
        small = sum(c for k, c in counts.items() if sum(by_cluster[k].values()) <= 2)
        items = [(aid, c) for aid, c in clusters.items() if gold[aid] == topic]
        p = sum(by_cluster[c][topic] / sum(by_cluster[c].values()) for _a, c in items) / n
        r = sum(by_topic[topic][c] / n for _a, c in items) / n
        others = {t: k for t, k in by_cluster[largest].items() if t != topic}
        print(
            f"| {topic} | {n} | {len(counts)} | {size} ({size / n:.0%}) | {small} "
            f"| {p:.3f} | {r:.3f} | {others or '-'} |"
        )


def _value(text: str) -> Any:
    """A --set value: true/false, an int or a float."""
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return float(text) if any(c in text for c in ".e") else int(text)


def grid(
    articles: Sequence[Article], gold: dict[str, str], params: dict[str, Any], resolve: bool
) -> None:
    """B-cubed F1 with each main parameter moved around its value (one at a time),
    story threshold × entity weight jointly, and the defaults without each recent change."""
    base = GroupingParams(**params)
    rows: list[tuple[str, dict[str, Any]]] = []
    st, ew = base.story_threshold, base.entity_weight
    for dt in (-0.02, -0.01, 0.0, 0.01, 0.02):
        for dw in (-0.1, 0.0, 0.1):
            rows.append(
                (
                    f"story_threshold={st + dt:.2f} entity_weight={ew + dw:.2f}",
                    {"story_threshold": round(st + dt, 3), "entity_weight": round(ew + dw, 3)},
                )
            )
    for name, deltas in (
        ("entity_idf_power", (-0.2, -0.1, 0.1, 0.2)),
        ("story_floor", (-0.1, 0.1)),
        ("merge_threshold", (-0.03, 0.03)),
        ("event_threshold", (-0.05, 0.05)),
        ("max_terms", (-20, 20)),
        ("split_threshold", (-0.04, 0.04)),
    ):
        for d in deltas:
            value = round(getattr(base, name) + d, 3)
            rows.append((f"{name}={value}", {name: value}))
    # What each of this changes brings: the default without it.
    for name, value in (
        ("split_size", 0),
        ("stem", False),
        ("entity_idf_power", 1.0),
        ("story_floor", 0.6),
    ):
        rows.append((f"without: {name}={value}", {name: value}))
    print("\n| parameters (others at their value) | B³ P | B³ R | B³ F1 | clusters |")
    print("|---|---|---|---|---|")
    for label, change in rows:
        state = GroupingState(GroupingParams(**{**params, **change}))
        clusters, _s, _c = stream(articles, state, resolve)
        bp, br, bf = bcubed(clusters, gold)
        print(f"| {label} | {bp:.3f} | {br:.3f} | {bf:.3f} | {len(set(clusters.values()))} |")
        sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grid", action="store_true", help="also print the sensitivity table")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a GroupingParams field (repeatable), e.g. --set story_threshold=0.08",
    )
    parser.add_argument(
        "--resolve",
        action="store_true",
        help="score the whole corpus stage (names resolved across the stream, as ingest does)",
    )
    args = parser.parse_args()
    params = {k: _value(v) for k, v in (item.split("=", 1) for item in args.set)}
    if not T17.exists():
        sys.exit(f"Timeline17 dev data not found at {T17}")
    start = time.perf_counter()
    articles, gold = load_t17()
    processed = time.perf_counter() - start
    state = GroupingState(GroupingParams(**params))
    clusters, seconds, duplicates = stream(articles, state, args.resolve)
    events = {a.id: state.stories.event_id_of(a.id) for a in articles}
    print(
        f"t17-dev: {len(articles)} distinct articles ({duplicates} near copies),"
        f" processed in {processed:.0f} s, grouped in {seconds:.2f} s"
        f" ({len(articles) / seconds:,.0f} articles/s)\n"
    )
    print(
        "| level | articles | clusters | clusters ≥5 | B³ P | B³ R | B³ F1 | pair P | pair R | pair F1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    report("t17-dev stories (gold = topic)", clusters, gold)
    report("t17-dev events (gold = topic)", events, gold)
    seeds = [r for r in read_path(ROOT / "examples" / "seeds") if isinstance(r, RawArticle)]
    seed_articles = sorted((process(r) for r in seeds), key=lambda a: a.order_key)
    seed_state = GroupingState(GroupingParams(**params))
    seed_clusters, _s, _c = stream(seed_articles, seed_state, args.resolve)
    report("seeds stories (gold = one story)", seed_clusters, dict.fromkeys(seed_clusters, "seeds"))
    per_topic(clusters, gold)
    if args.grid:
        grid(articles, gold, params, args.resolve)


if __name__ == "__main__":
    main()
