"""Story grouping quality on Timeline17 (dev topics): B-cubed and pairwise P/R/F1.

The ten t17-dev folders (bpoil ×5, H1N1 ×3, haiti, MJ) are mixed into one stream in
publication order and fed once, article by article, to the online clustering (dedup, then
events and stories), as `kabar ingest` would. Gold: the story of an article is its topic
(the folder prefix). An article found in several folders of one topic is one article (same
text, same id). Also grouped: the five seed articles (gold: one story). Prints the scores
and the number of clusters. Data: Timeline17 (Tran et al., 2013), read from
../shared/data/t17-dev/.

    .venv/bin/python eval/stories.py

The "events" row scores events against the topic gold: only its precision (purity) means
something there, as t17 has no event-level gold.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.errors import InputError  # noqa: E402
from kabar.ingest import read_path  # noqa: E402
from kabar.model import Article, RawArticle  # noqa: E402
from kabar.pipeline import process  # noqa: E402
from kabar.stories import GroupingState  # noqa: E402

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


def stream(articles: Sequence[Article], state: GroupingState) -> tuple[dict[str, str], float]:
    """Feed the articles one by one; story of each article id, and seconds taken."""
    start = time.perf_counter()
    for article in articles:
        state.add(article)
    seconds = time.perf_counter() - start
    return {a.id: state.stories.story_of(a.id) for a in articles}, seconds


def report(name: str, clusters: dict[str, str], gold: dict[str, str]) -> None:
    bp, br, bf = bcubed(clusters, gold)
    pp, pr, pf = pairwise(clusters, gold)
    sizes = Counter(clusters.values())
    big = sum(1 for c in sizes.values() if c >= 5)
    print(
        f"| {name} | {len(clusters)} | {len(sizes)} | {big} | {bp:.3f} | {br:.3f} | {bf:.3f} "
        f"| {pp:.3f} | {pr:.3f} | {pf:.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.parse_args()
    if not T17.exists():
        sys.exit(f"Timeline17 dev data not found at {T17}")
    start = time.perf_counter()
    articles, gold = load_t17()
    processed = time.perf_counter() - start
    state = GroupingState()
    clusters, seconds = stream(articles, state)
    events = {a.id: state.stories.event_id_of(a.id) for a in articles}
    duplicates = sum(1 for a in articles if a.duplicate_of)
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
    seed_articles = sorted((process(r) for r in seeds), key=lambda a: (a.published or "9999", a.id))
    seed_state = GroupingState()
    seed_clusters, _ = stream(seed_articles, seed_state)
    report("seeds stories (gold = one story)", seed_clusters, dict.fromkeys(seed_clusters, "seeds"))
    print("\nstories per topic: ", end="")
    per_topic: dict[str, Counter[str]] = defaultdict(Counter)
    for aid, cluster in clusters.items():
        per_topic[gold[aid]][cluster] += 1
    print(
        "; ".join(
            f"{t}: {sum(c.values())} articles in {len(c)} stories (largest {c.most_common(1)[0][1]})"
            for t, c in sorted(per_topic.items())
        )
    )


if __name__ == "__main__":
    main()
