"""Story grouping quality on two corpora: B-cubed and pairwise P/R/F1, stories and events.

**newsweek** (the dense one): 6,894 articles scraped from ten Indonesian outlets over
3-20 June 2025, rebuilt by ``scripts/newsweek.py`` (its source has no licence, so it is
not in the repository; default path ``../data/newsweek/newsweek.jsonl`` or
``$KABAR_NEWSWEEK``). 1,249 of them are labelled by hand into stories and events
(``eval/gold/newsweek/labels.csv``, protocol in ``eval/gold/newsweek/PROTOCOL.md``): every
article in the news sections of 18-20 June (831, split by story into **test** and **dev**),
of 10 June (260, **test2**: a fresh held-out part, labelled after test had been read
too often), of 16-17 June (41, **test3**, thin), of 9 June (36, **dev2**: a second
development part) and of 11-15 June (81, **dev3**: a third one). All articles are
grouped, in publication order, as ``kabar ingest`` would; only labelled articles of kind
"news" are scored (roundups, opinion and service pieces are grouped but not scored), each
part on its own members. test2 and test are printed first and are never tuned on (test2 is
for one quoted reading); tune on the development parts **dev**, **dev2** and **dev3** (a row
each; ``--grid`` scores their union). Processed articles are cached next to the corpus
(keyed by the corpus and by the code that processes an article), so a rerun after a
grouping change takes seconds.

**t17-dev**: the ten t17-dev folders (bpoil ×5, H1N1 ×3, haiti, MJ) are mixed into one stream in
publication order and fed once, article by article, to the online clustering (dedup, then
events and stories), as `kabar ingest` would. Gold: the story of an article is its topic
(the folder prefix). An article found in several folders of one topic is one article (same
text, same id). Also grouped: the five seed articles (gold: one story). Prints the scores
and the number of clusters. Data: Timeline17 (Tran et al., 2013), read from
../shared/data/t17-dev/.

    .venv/bin/python eval/stories.py                      # both corpora, defaults
    .venv/bin/python eval/stories.py --corpus newsweek    # one of them
    .venv/bin/python eval/stories.py --grid               # + sensitivity tables (newsweek: dev)
    .venv/bin/python eval/stories.py --set stem=false     # any GroupingParams field

The per-topic table shows the failure mode: how many stories each gold story is split
into, the share of its largest one, and where its articles went. ``--grid`` re-runs the
stream with each main parameter moved around its default and prints B-cubed F1 for each,
so a default sitting next to a cliff is visible.

The ten-largest table (issue 22: no story under purity 0.8 among them) gives each story's
purity over all its labelled members and, for newsweek, over its test2, test and dev
members apart, each gold story marked with its part(s): a story may hold a test thread and
a few dev articles wrongly joined to it, and only the dev, dev2 and dev3 columns are figures
to tune on. A few gold stories of test2, dev2, test3 and dev3 continue a story of another
part under the same id (PROTOCOL.md); such a story is marked with its parts, and each part's
column counts its own members.

Purity sees labelled members only, and most members of the largest stories are not
labelled (sport, business, lifestyle, other days). The specific-evidence check after it
needs no labels: two members are linked when they share names or title words that are
neither common in the corpus nor the story's dominant actor ("Jawa Barat" for a governor's
outings), and a story's density is the mean share of the others a member is linked to.
Checked on dev (printed with it): every labelled dev story of four or more scores
0.59-1.00, groups of labelled articles that share one name across five or more stories
(themes by construction) 0.00-0.38. A thread of many happenings (a week of war) also scores
low: the check says "several happenings", the sampled titles (``--show N``) say whether
they are one thread. By default (``--part dev``: dev, dev2 and dev3) no held-out figure is
computed or printed (tune with it); ``--part all`` (or ``test``, ``test2``) reads the
held-out parts, which is done once per round, after every change.

The "events" row scores events against the topic gold: only its precision (purity) means
something there, as t17 has no event-level gold.
"""

from __future__ import annotations

import argparse
import copy
import csv
import hashlib
import itertools
import json
import math
import os
import pickle
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.corpus import Corpus  # noqa: E402
from kabar.errors import InputError  # noqa: E402
from kabar.ingest import read_path  # noqa: E402
from kabar.meta import is_news_organisation  # noqa: E402
from kabar.model import Article, RawArticle  # noqa: E402
from kabar.pipeline import process  # noqa: E402
from kabar.stories import GroupingParams, GroupingState  # noqa: E402
from kabar.text import STOPWORDS, stem  # noqa: E402

T17 = ROOT.parent / "shared" / "data" / "t17-dev"
NEWSWEEK = Path(
    os.environ.get("KABAR_NEWSWEEK", ROOT.parent / "data" / "newsweek" / "newsweek.jsonl")
)
NEWSWEEK_LABELS = ROOT / "eval" / "gold" / "newsweek" / "labels.csv"
NEWSWEEK_LARGE = ROOT / "eval" / "gold" / "newsweek" / "large.csv"
"""Sampled members of the largest stories, labelled by story (part ``dev-large``, see
PROTOCOL.md): the purity check of issue 22 on dev data."""
NEWSWEEK_PARTS = ("test3", "test2", "test", "dev", "dev2", "dev3")
"""The parts of the newsweek labels, in the order printed: held-out parts first."""
DEV_PARTS = ("dev", "dev2", "dev3")
"""The development parts (the only ones to tune on): ``--part dev``, the default."""
PROCESSING_CODE = ("clean", "meta", "entities", "ingest", "text.py", "model.py", "config.py")
"""What :func:`process` depends on (not the grouping): a change here invalidates the cache."""


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


RESOLVE = False
"""Set by ``--resolve``: score the whole corpus stage, as ingest runs it."""
SHOW = 0
"""Set by ``--show``: sample titles printed under each of the largest stories."""
PARTS: tuple[str, ...] = DEV_PARTS
"""Set by ``--part``: the newsweek parts printed (the dev parts alone while tuning: no test
figure is computed or shown, not even in the ten-largest table)."""


def stream(
    articles: Sequence[Article], state: GroupingState, resolve: bool | None = None
) -> tuple[dict[str, str], float, int]:
    """Feed the articles one by one; story of each article id, seconds taken, near copies.

    resolve: run the whole corpus stage (:class:`kabar.corpus.Corpus`: names resolved
    across the stream first, as ingest does) instead of the grouping state alone."""
    if RESOLVE if resolve is None else resolve:
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


def per_topic(clusters: dict[str, str], gold: dict[str, str], min_size: int = 1) -> None:
    """Each gold story (of ``min_size`` articles or more): into how many stories it is
    split, and what else those contain."""
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
        if n < min_size:
            continue
        (largest, size), *_ = counts.most_common(1)
        small = sum(c for k, c in counts.items() if sum(by_cluster[k].values()) <= 2)
        items = [(aid, c) for aid, c in clusters.items() if gold[aid] == topic]
        p = sum(by_cluster[c][topic] / sum(by_cluster[c].values()) for _a, c in items) / n
        r = sum(by_topic[topic][c] / n for _a, c in items) / n
        others = Counter({t: k for t, k in by_cluster[largest].items() if t != topic})
        held = ", ".join(f"{t} {k}" for t, k in others.most_common(4))
        more = f" (+{len(others) - 4} more)" if len(others) > 4 else ""
        print(
            f"| {topic} | {n} | {len(counts)} | {size} ({size / n:.0%}) | {small} "
            f"| {p:.3f} | {r:.3f} | {held or '-'}{more} |"
        )


def _value(text: str) -> Any:
    """A --set value: true/false, an int or a float."""
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return float(text) if any(c in text for c in ".e") else int(text)


Scorer = Callable[[dict[str, str]], tuple[float, float, float]]
"""B-cubed P/R/F1 of a clustering (article id → story id) against some gold."""


def grid(articles: Sequence[Article], score: Scorer, params: dict[str, Any]) -> None:
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
        ("background_likeness", (-0.1, 0.05)),
        ("event_threshold", (-0.05, 0.05)),
        ("max_terms", (-20, 20)),
        ("split_threshold", (-0.04, 0.04)),
        ("cohesion_power", (-0.25, 0.25)),
        ("merge_cohesion_power", (-0.15, 0.15)),
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
        ("background_likeness", 0.0),
        ("cohesion_power", 0.0),
        ("merge_cohesion_power", 0.0),
        ("diffuse_margin", 0.0),
        ("merge_back", 0.0),
        ("service_apart", False),
        ("verify_link", 0.0),
    ):
        rows.append((f"without: {name}={value}", {name: value}))
    for value in (2.5, 3.5):  # around the default of 3 (see GroupingParams.diffuse_margin)
        rows.append((f"diffuse_margin={value}", {"diffuse_margin": value}))
    for value in (0.35, 0.55):  # around the default of 0.45 (GroupingParams.merge_back)
        rows.append((f"merge_back={value}", {"merge_back": value}))
    for value in (6.0, 10.0):  # around the default of 8 (GroupingParams.verify_link)
        rows.append((f"verify_link={value}", {"verify_link": value}))
    for value in (0.1, 0.5):  # around the default of 0.3 (GroupingParams.verify_share)
        rows.append((f"verify_share={value}", {"verify_share": value}))
    rows.append(("diffuse_support=2", {"diffuse_support": 2}))  # off by default, see there
    rows.append(("actor_margin=1", {"actor_margin": 1.0}))  # off by default, see there
    print("\n| parameters (others at their value) | B³ P | B³ R | B³ F1 | clusters |")
    print("|---|---|---|---|---|")
    for label, change in rows:
        state = GroupingState(GroupingParams(**{**params, **change}))
        clusters, _s, _c = stream(articles, state)
        bp, br, bf = score(clusters)
        print(f"| {label} | {bp:.3f} | {br:.3f} | {bf:.3f} | {len(set(clusters.values()))} |")
        sys.stdout.flush()


def largest(
    clusters: dict[str, str],
    gold: dict[str, str],
    titles: dict[str, str],
    count: int = 10,
    splits: dict[str, str] | None = None,
) -> None:
    """The largest predicted stories: size, how many members are labelled, their purity
    (share of the labelled members in the most common gold story) and what they hold.

    splits: the part (dev/dev2/dev3/test/test2/test3) of each labelled article; the purity is
    then also given per part (over that part's members), and each gold story is marked with the
    part(s) of its members, so that a reader tuning on dev sees which figures came from a
    held-out part."""
    members: dict[str, list[str]] = defaultdict(list)
    for aid, cluster in clusters.items():
        members[cluster].append(aid)
    order = {p: i for i, p in enumerate(NEWSWEEK_PARTS)}
    parts = (
        sorted(set(splits.values()), key=lambda p: (order.get(p, len(order)), p)) if splits else []
    )
    extra = "".join(f" {p} purity |" for p in parts)
    print(
        f"\n| rank | articles | labelled | purity |{extra} gold stories in it (labelled members) "
        "| first title |"
    )
    print("|---|---|---|---|" + "---|" * len(parts) + "---|---|")
    ranked = sorted(members.values(), key=lambda m: (-len(m), m[0]))[:count]
    for rank, ids in enumerate(ranked, 1):
        known = [a for a in ids if a in gold]
        labelled = Counter(gold[a] for a in known)
        n = len(known)
        cells = [_purity(labelled)]
        parts_of: dict[str, set[str]] = defaultdict(set)
        if splits:
            for a in known:
                parts_of[gold[a]].add(splits[a])
            for p in parts:
                cells.append(_purity(Counter(gold[a] for a in known if splits[a] == p)))
        mark = {g: f" ({'+'.join(q for q in parts if q in s)})" for g, s in parts_of.items()}
        held = ", ".join(f"{g}{mark.get(g, '')} {c}" for g, c in labelled.most_common(4))
        more = f" (+{len(labelled) - 4})" if len(labelled) > 4 else ""
        label = f"{n}" + (
            " (" + "/".join(f"{p} {sum(splits[a] == p for a in known)}" for p in parts) + ")"
            if splits and n
            else ""
        )
        print(
            f"| {rank} | {len(ids)} | {label} | {' | '.join(cells)} | {held or '-'}{more} "
            f"| {titles.get(ids[0], '')[:60]} |"
        )


def _purity(labelled: Counter[str]) -> str:
    n = sum(labelled.values())
    return f"{labelled.most_common(1)[0][1] / n:.2f}" if n else "-"


# --- the specific-evidence check (no labels) -------------------------------------------------

_WORD = re.compile(r"[^\W\d_]{3,}")
STEMMED = frozenset({"id", "ms", "en"})
LEAD_CHARS = 600
"""Names from the first 600 characters of the body (and the title) are what an article is
about; a name further down is often only mentioned."""


def evidence_items(article: Article) -> frozenset[str]:
    """What an article could share with another as evidence of one happening: the names
    of its title and lead (``@canonical``) and the stems of its title's other words."""
    items = set()
    title = article.title.lower()
    for m in article.mentions:
        if is_news_organisation(m.canonical):
            continue
        if m.start < LEAD_CHARS or m.canonical.lower() in title or m.text.lower() in title:
            items.add("@" + m.canonical.lower())
    names = {w for m in article.mentions for w in f"{m.canonical} {m.text}".lower().split()}
    for word in _WORD.findall(title):
        if word not in STOPWORDS and word not in names:  # a name counts once, as a name
            items.add(stem(word, article.language) if article.language in STEMMED else word)
    return frozenset(items)


@dataclass
class Evidence:
    """Document frequencies of :func:`evidence_items` over a corpus."""

    items: dict[str, frozenset[str]]
    df: Counter[str]
    n: int

    @classmethod
    def of(cls, articles: Sequence[Article]) -> Evidence:
        items = {a.id: evidence_items(a) for a in articles}
        return cls(items, Counter(i for s in items.values() for i in s), len(articles))


@dataclass
class Cohesion:
    """How a group of articles holds together by specific evidence (:func:`cohesion`)."""

    size: int
    density: float
    """Mean share of the other members a member shares specific evidence with."""
    giant: float
    """Share of the members in the largest group linked by specific evidence."""
    components: int
    dropped: list[str]
    """The broad items the group is held by, left out as evidence (its dominant actors)."""


COMMON = 0.03
"""An item in more than 3 % of the corpus's articles ("Jakarta", "Presiden", "Jawa Barat",
"Israel") is no evidence of one happening, unless the group owns it (most of its articles
are in the group: "Raja Ampat" in the nickel story)."""
DOMINANT = 0.3
LINK = 8.0
"""Summed IDF (ln N/df) of the shared specific items from which two members are linked:
one rare name (a volcano's, df 10: 6.5) and a word, or two uncommon names."""


def cohesion(ids: Sequence[str], evidence: Evidence) -> Cohesion:
    """Link two members when they share specific evidence (summed IDF at least ``LINK``):
    items neither common in the corpus nor the group's dominant actors (in ``DOMINANT`` of
    its members, common in the corpus, more often outside it than in it). A thread's
    members share names and words of its happenings beyond whoever it is about; a theme
    (a governor's outings, a week of car news) is held only by its dominant actor or
    vocabulary, and falls apart into one component per happening. Needs no labels."""
    n = len(ids)
    inside = Counter(i for a in ids for i in evidence.items[a])
    df, cap = evidence.df, COMMON * evidence.n
    dropped = {
        i for i, c in inside.items() if c >= max(2, DOMINANT * n) and df[i] > cap and df[i] >= 2 * c
    }
    postings: dict[str, list[int]] = defaultdict(list)
    for k, a in enumerate(ids):
        for i in evidence.items[a]:
            if i not in dropped and (df[i] <= cap or 2 * inside[i] > df[i]):
                postings[i].append(k)
    shared: Counter[tuple[int, int]] = Counter()
    for i, members in postings.items():
        weight = math.log(evidence.n / df[i])
        for x, y in itertools.combinations(members, 2):
            shared[x, y] += weight
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    degree = Counter[int]()
    for (x, y), weight in shared.items():
        if weight >= LINK:
            degree[x] += 1
            degree[y] += 1
            parent[find(x)] = find(y)
    components = Counter(find(k) for k in range(n))
    return Cohesion(
        n,
        sum(degree.values()) / (n * (n - 1)) if n > 1 else 1.0,
        max(components.values()) / n if n else 0.0,
        len(components),
        sorted(dropped, key=lambda i: -inside[i]),
    )


def cohesion_table(
    clusters: dict[str, str],
    articles: Sequence[Article],
    count: int = 10,
    show: int = 0,
    gold: dict[str, str] | None = None,
) -> None:
    """The specific-evidence check of the ``count`` largest stories (near copies left out)
    and, with ``show``, that many titles of each drawn at random (seeded); with ``gold``
    (dev labels only), the same check on the labelled stories of four or more and on
    labelled articles grouped by a shared name across stories (themes by construction):
    what a story and a theme score."""
    by_id = {a.id: a for a in articles}
    evidence = Evidence.of(articles)
    members: dict[str, list[str]] = defaultdict(list)
    for aid, cluster in clusters.items():
        if by_id[aid].duplicate_of is None:
            members[cluster].append(aid)
    ranked = sorted(members.values(), key=lambda m: (-len(m), m[0]))[:count]
    print(
        "\nThe largest stories by specific evidence (no labels; near copies left out): density"
        " = mean share of the other members a member shares specific names or title words"
        " with; a thread of one happening scores high, a theme or a genre falls apart.\n"
    )
    print(
        "| rank | originals | density | largest linked part | parts | held by (left out) | first title |"
    )
    print("|---|---|---|---|---|---|---|")
    rng = random.Random(22)
    for rank, ids in enumerate(ranked, 1):
        c = cohesion(ids, evidence)
        print(
            f"| {rank} | {c.size} | {c.density:.2f} | {c.giant:.2f} | {c.components} "
            f"| {', '.join(c.dropped[:3]) or '-'} | {by_id[ids[0]].title[:60]} |"
        )
        for aid in sorted(rng.sample(ids, min(show, len(ids)))):
            print(f"|  |  |  |  |  |  | · {by_id[aid].title[:90]} |")
    if gold is None:
        return
    stories: dict[str, list[str]] = defaultdict(list)
    for aid, story in gold.items():
        stories[story].append(aid)
    good = [cohesion(ids, evidence) for ids in stories.values() if len(ids) >= 4]
    themes = []
    named: dict[str, list[str]] = defaultdict(list)
    for aid in gold:
        for i in evidence.items[aid]:
            if i.startswith("@"):
                named[i].append(aid)
    for ids in named.values():
        held = Counter(gold[a] for a in ids)
        if len(held) >= 5 and held.most_common(1)[0][1] <= len(ids) / 3:
            themes.append(cohesion(ids, evidence))
    for name, group in (
        ("labelled dev stories of 4+", good),
        ("dev themes (one name, 5+ stories)", themes),
    ):
        ds = sorted(c.density for c in group)
        if ds:
            print(
                f"\n{name}: {len(ds)}, density min {ds[0]:.2f} / median {ds[len(ds) // 2]:.2f}"
                f" / max {ds[-1]:.2f}; all linked (one part) {sum(c.components == 1 for c in group)}"
            )


# --- t17-dev -------------------------------------------------------------------------------


def run_t17(params: dict[str, Any], with_grid: bool) -> None:
    start = time.perf_counter()
    articles, gold = load_t17()
    processed = time.perf_counter() - start
    state = GroupingState(GroupingParams(**params))
    clusters, seconds, duplicates = stream(articles, state)
    events = {a.id: state.stories.event_id_of(a.id) for a in articles}
    print(
        f"## t17-dev (all dev; no test part here): {len(articles)} distinct articles"
        f" ({duplicates} near copies), processed in {processed:.0f} s, grouped in"
        f" {seconds:.2f} s ({len(articles) / seconds:,.0f} articles/s)\n"
    )
    print(TABLE_HEAD)
    print(TABLE_RULE)
    report("t17-dev stories (gold = topic)", clusters, gold)
    report("t17-dev events (gold = topic)", events, gold)
    seeds = [r for r in read_path(ROOT / "examples" / "seeds") if isinstance(r, RawArticle)]
    seed_articles = sorted((process(r) for r in seeds), key=lambda a: (a.published or "9999", a.id))
    seed_state = GroupingState(GroupingParams(**params))
    seed_clusters, _s, _c = stream(seed_articles, seed_state)
    report("seeds stories (gold = one story)", seed_clusters, dict.fromkeys(seed_clusters, "seeds"))
    per_topic(clusters, gold)
    largest(clusters, gold, {a.id: a.title for a in articles})
    if with_grid:
        grid(articles, lambda c: bcubed(c, gold), params)


TABLE_HEAD = "| level | articles | clusters | clusters ≥5 | B³ P | B³ R | B³ F1 | pair P | pair R | pair F1 |"
TABLE_RULE = "|---|---|---|---|---|---|---|---|---|---|"


# --- newsweek --------------------------------------------------------------------------------


@dataclass
class Label:
    """One hand-labelled article (a row of labels.csv)."""

    id: str
    url: str
    outlet: str
    story: str
    event: str
    kind: str
    split: str


def read_labels(path: Path = NEWSWEEK_LABELS) -> list[Label]:
    with path.open(newline="", encoding="utf-8") as f:
        return [
            Label(
                r["id"], r["url"], r["outlet"], r["story_id"], r["event_id"], r["kind"], r["split"]
            )
            for r in csv.DictReader(f)
        ]


def read_large(path: Path = NEWSWEEK_LARGE) -> list[Label]:
    """The ``dev-large`` labels: story only (no events were labelled)."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return [
            Label(r["id"], r["url"], r["outlet"], r["story_id"], "", r["kind"], "dev-large")
            for r in csv.DictReader(f)
        ]


def large_check(
    clusters: dict[str, str], record_article: dict[str, str], titles: dict[str, str]
) -> None:
    """Purity of the largest stories on the ``dev-large`` sample, and its B-cubed: a pure
    story of a theme's stray happenings is what the purity target forbids; a real thread
    (a war, a mine, a volcano) split apart shows as recall."""
    part = [x for x in read_large() if x.kind == "news" and x.id in record_article]
    if not part:
        return
    gold = {record_article[x.id]: x.story for x in part}
    print(
        f"\ndev-large (sampled members of the largest stories of one run, {len(part)} news"
        " articles labelled by story; see PROTOCOL.md):\n"
    )
    print(TABLE_HEAD)
    print(TABLE_RULE)
    report("newsweek dev-large stories", {a: clusters[a] for a in gold}, gold)
    largest(clusters, gold, titles, count=15)
    members: dict[str, list[str]] = defaultdict(list)
    for aid, cluster in clusters.items():
        members[cluster].append(aid)
    ranked = sorted(members.values(), key=lambda m: (-len(m), m[0]))[:10]
    purities = []
    for ids in ranked:
        labelled = Counter(gold[a] for a in ids if a in gold)
        if sum(labelled.values()) >= 3:
            purities.append(labelled.most_common(1)[0][1] / sum(labelled.values()))
    low = sum(p < 0.8 for p in purities)
    print(
        f"\ndev-large: of the ten largest, {len(purities)} with 3+ labelled members;"
        f" purity under 0.8: {low}; lowest {min(purities, default=1.0):.2f}"
    )


def processing_key(corpus: Path) -> str:
    """The corpus bytes and the code of the per-article stages: what the cache depends on."""
    digest = hashlib.sha1(corpus.read_bytes())
    for name in PROCESSING_CODE:
        path = ROOT / "kabar" / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(ROOT)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def load_newsweek(corpus: Path = NEWSWEEK) -> tuple[list[Article], dict[str, str], int]:
    """Processed articles in publication order (cached), the article id of each raw record
    id (``nw-…``), and how many records had no news text left (not grouped)."""
    cache = corpus.with_name(f"{corpus.stem}.processed-{processing_key(corpus)}.pickle")
    if cache.exists():
        with cache.open("rb") as f:
            loaded: tuple[list[Article], dict[str, str], int] = pickle.load(f)
        return loaded
    start = time.perf_counter()
    articles: dict[str, Article] = {}
    record_article: dict[str, str] = {}
    empty = 0
    for raw in read_path(corpus):
        if not isinstance(raw, RawArticle):
            continue
        try:
            article = process(raw)
        except InputError:
            empty += 1
            continue
        articles.setdefault(article.id, article)
        record_article[raw.external_id or raw.source] = article.id
    ordered = list(articles.values())  # the corpus file is in publication order
    result = (ordered, record_article, empty)
    # Keep the three newest other caches: helpers on other branches (other stage code, so
    # other keys) share this folder, and deleting them all made each rebuild the others'.
    others = sorted(
        corpus.parent.glob(f"{corpus.stem}.processed-*.pickle"),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for old in others[3:]:
        old.unlink(missing_ok=True)
    with cache.open("wb") as f:
        pickle.dump(result, f)
    print(
        f"(processed {len(ordered)} articles in {time.perf_counter() - start:.0f} s,"
        f" cached in {cache})",
        file=sys.stderr,
    )
    return result


def newsweek_scores(
    labels: Sequence[Label],
    record_article: dict[str, str],
    clusters: dict[str, str],
    events: dict[str, str],
) -> None:
    """The story and event rows of each part printed (held-out parts first), each scored on
    its own labelled news articles."""
    for split in (p for p in NEWSWEEK_PARTS if p in PARTS):
        part = [x for x in labels if x.split == split and x.kind == "news"]
        if not part:
            continue
        # a labelled record with no news text left stands alone, as a user would see it
        story_of = {x.id: clusters.get(record_article.get(x.id, ""), x.id) for x in part}
        event_of = {x.id: events.get(record_article.get(x.id, ""), x.id) for x in part}
        report(f"newsweek {split} stories", story_of, {x.id: x.story for x in part})
        report(f"newsweek {split} events", event_of, {x.id: x.event for x in part})


def run_newsweek(params: dict[str, Any], with_grid: bool) -> None:
    start = time.perf_counter()
    articles, record_article, empty = load_newsweek()
    processed = time.perf_counter() - start
    labels = read_labels()
    state = GroupingState(GroupingParams(**params))
    clusters, seconds, duplicates = stream(articles, state)
    events = {a.id: state.stories.event_id_of(a.id) for a in articles}
    news = [x for x in labels if x.kind == "news"]
    parts = Counter(x.split for x in news)
    print(
        f"## newsweek: {len(articles)} distinct articles ({duplicates} near copies,"
        f" {empty} without news text), loaded in {processed:.0f} s, grouped in {seconds:.2f} s"
        f" ({len(articles) / seconds:,.0f} articles/s); scored: {len(news)} labelled news"
        f" articles, {' / '.join(f'{p} {parts[p]}' for p in NEWSWEEK_PARTS)}"
        f" ({len({x.story for x in news})} stories, {len({x.event for x in news})} events)\n"
    )
    print(TABLE_HEAD)
    print(TABLE_RULE)
    newsweek_scores(labels, record_article, clusters, events)
    shown = [x for x in news if x.split in PARTS and x.id in record_article]
    gold = {record_article[x.id]: x.story for x in shown}
    splits = {record_article[x.id]: x.split for x in shown}
    largest(clusters, gold, {a.id: a.title for a in articles}, splits=splits)
    if "dev" in PARTS:
        large_check(clusters, record_article, {a.id: a.title for a in articles})
    dev_gold = {a: g for a, g in gold.items() if splits[a] == "dev"}
    cohesion_table(clusters, articles, show=SHOW, gold=dev_gold or None)
    # where the dev threads went (dev parts only: the place to look when tuning)
    dev = {x.id: x.story for x in news if x.split in DEV_PARTS}
    print("\nnewsweek dev/dev2/dev3 stories of 4 or more labelled articles (test is not shown):")
    per_topic({x: clusters.get(record_article.get(x, ""), x) for x in dev}, dev, min_size=4)
    if with_grid:
        dev = {
            record_article[x.id]: x.story
            for x in news
            if x.split in DEV_PARTS and x.id in record_article
        }
        print("\nSensitivity on newsweek dev+dev2+dev3 (never on test):")
        grid(articles, lambda c: bcubed({k: c[k] for k in dev}, dev), params)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=("all", "newsweek", "t17"), default="all")
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
    parser.add_argument(
        "--part",
        choices=("all", "dev", "dev2", "dev3", "test", "test2", "test3"),
        default="dev",
        help="newsweek parts to score and show (default dev: the development parts dev,"
        " dev2 and dev3, a row each, no held-out part is computed; dev2 or dev3 alone; all,"
        " test, test2 or test3 read the held-out parts: once per round)",
    )
    parser.add_argument(
        "--show",
        type=int,
        default=0,
        metavar="N",
        help="N random titles of each of the largest stories under the specific-evidence check",
    )
    args = parser.parse_args()
    global RESOLVE, PARTS, SHOW
    SHOW = args.show
    RESOLVE = args.resolve
    PARTS = {"all": NEWSWEEK_PARTS, "dev": DEV_PARTS}.get(args.part, (args.part,))
    params = {k: _value(v) for k, v in (item.split("=", 1) for item in args.set)}
    if args.corpus in ("all", "newsweek"):
        if NEWSWEEK.exists():
            run_newsweek(params, args.grid)
        else:
            print(
                f"newsweek corpus not found at {NEWSWEEK}: rebuild it with scripts/newsweek.py",
                file=sys.stderr,
            )
    if args.corpus in ("all", "t17"):
        if T17.exists():
            print()
            run_t17(params, args.grid)
        else:
            print(f"Timeline17 dev data not found at {T17}", file=sys.stderr)


if __name__ == "__main__":
    main()
