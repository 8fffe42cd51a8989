"""API read latency on a large store: home page, story list with each filter, entity page,
search, each asked of the real FastAPI app by a NEW process with the file evicted from the
OS page cache (cold), then once more in the same process (warm).

The store is filled DIRECTLY by this script (``--articles``, default 1,000,000), not by
``kabar load``: realistic rows written through :meth:`Store.add_articles` and
:meth:`Store.replace_stories`, without running the NLP pipeline (which would take hours):

* bodies and titles: real texts, sampled from t17-dev (English news, 2,304 articles) and
  the five Indonesian seed articles (first line as title), so lengths and the full-text
  index are those of news; sentences are left empty (the API lists never read them);
* entities: real names (PER/ORG/LOC spans of the idner-news-2k and NERGrit train splits),
  5 to 12 per article, drawn mostly from their story's own names, Zipf over the rest;
* stories: ``articles / 100`` stories with Zipf sizes (the biggest holds about a tenth of
  the corpus), each over a date span within 2014-2025, its outlets and entities those of
  its articles, a summary and a short timeline from its first article;
* outlets: 40 names with Zipf weights, Indonesian ones writing in ``id`` (and a few
  ``ms``), English ones in ``en``.

Filling takes a while (about 10 min for 1M on two shared cores), so the SQLite file is kept
(``--db``, default under the temp folder) and reused when it already holds the asked size.

Cold cache: each timed request runs in a fresh Python process (new app, new connection),
after ``posix_fadvise(DONTNEED)`` on the database files, which drops their pages from the
OS page cache without root and without touching other processes' files. The time is the
request only: not the process start or imports, and not the first-use cost of the code
(templates are compiled and a page that reads no table is served first); it includes
opening the store's connection. The response cache is off (``cache_bytes=0``).

Run: ``.venv/bin/python bench/api_store.py [--articles 1000000] [--db PATH] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect
from collections import Counter
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.model import Article, Mention, Story, TimelineEntry  # noqa: E402
from kabar.store import StoryQuery, open_store  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
if not DATA.exists():
    DATA = Path("/work/shared/data")
    SEEDS = Path("/work/shared/seeds")
BATCH = 5000
TARGET_MS = 200.0
ID_OUTLETS = [
    "Kompas",
    "Detik",
    "Tempo",
    "CNN Indonesia",
    "Antara",
    "Republika",
    "Liputan6",
    "IDN Times",
    "Tribunnews",
    "Okezone",
    "Sindonews",
    "Kumparan",
    "Suara",
    "Merdeka",
    "Bisnis Indonesia",
    "Jawa Pos",
    "Media Indonesia",
    "Jakarta Post Indonesia",
    "Viva",
    "Katadata",
    "Berita Harian",
    "Utusan Malaysia",
]
EN_OUTLETS = [
    "Reuters",
    "BBC",
    "The Guardian",
    "Associated Press",
    "Al Jazeera",
    "The Jakarta Post",
    "CNN",
    "Washington Post",
    "Fox News",
    "New York Times",
    "Bloomberg",
    "AFP",
    "South China Morning Post",
    "The Straits Times",
    "Nikkei Asia",
    "ABC News",
    "The Independent",
    "Deutsche Welle",
]
MALAY = {"Berita Harian", "Utusan Malaysia"}


def zipf_weights(n: int, a: float = 1.0) -> list[float]:
    return list(accumulate(1.0 / (k + 1) ** a for k in range(n)))


def pick(rng: random.Random, items: list[Any], cum: list[float]) -> Any:
    return items[min(bisect(cum, rng.random() * cum[-1]), len(items) - 1)]


def texts() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(title, body) pools: English from t17-dev, Indonesian from the seeds."""
    english: list[tuple[str, str]] = []
    for path in sorted(DATA.glob("t17-dev/*/articles.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences = [s.strip() for s in json.loads(line)["text"].split(" \n") if s.strip()]
            if len(sentences) < 3:
                continue
            title = " ".join(sentences[0].split()[:14])
            english.append((title, "\n\n".join(sentences[1:])))
    indonesian: list[tuple[str, str]] = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        indonesian.append((lines[0], "\n\n".join(lines[1:])))
    if not english or not indonesian:
        sys.exit(f"needs t17-dev and the seeds under {DATA.parent}")
    return english, indonesian


def entity_names() -> list[tuple[str, str]]:
    """Distinct (name, label) spans of the NER train splits, most frequent first."""
    labels = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "ORGANISATION": "ORG"}
    labels |= {"LOC": "LOC", "PLACE": "LOC"}
    counts: Counter[tuple[str, str]] = Counter()
    for path in [
        DATA / "ner/idner-news-2k/train.txt",
        DATA / "ner/nergrit/train_preprocess.txt",
    ]:
        span: list[str] = []
        label = ""
        for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
            parts = line.split()
            tag = parts[-1] if len(parts) >= 2 else "O"
            if span and not tag.startswith("I-"):
                counts[(" ".join(span), labels[label])] += 1
                span = []
            if tag.startswith("B-") and tag[2:] in labels:
                span, label = [parts[0]], tag[2:]
            elif tag.startswith("I-") and span:
                span.append(parts[0])
    return [key for key, _ in counts.most_common()]


def fill(db: str, n_articles: int, seed: int = 7) -> None:
    """Write ``n_articles`` articles and their stories into a new store at ``db``."""
    rng = random.Random(seed)
    english, indonesian = texts()
    names = entity_names()
    name_cum = zipf_weights(len(names), 0.9)
    outlets = ID_OUTLETS + EN_OUTLETS
    rng.shuffle(outlets)
    outlet_cum = zipf_weights(len(outlets), 0.8)
    n_stories = max(1, n_articles // 100)
    story_cum = zipf_weights(n_stories, 1.0)
    first_day = date(2014, 1, 1)
    story_day = [first_day + timedelta(days=rng.randrange(4000)) for _ in range(n_stories)]
    story_span = [
        max(1, int(3000 * (story_cum[k] - (story_cum[k - 1] if k else 0)) / story_cum[0]))
        for k in range(n_stories)
    ]
    story_names = [[pick(rng, names, name_cum) for _ in range(20)] for _ in range(n_stories)]
    members: list[list[str]] = [[] for _ in range(n_stories)]
    dates: list[list[str]] = [[] for _ in range(n_stories)]
    firsts: dict[int, Article] = {}
    story_outlets: list[set[str]] = [set() for _ in range(n_stories)]
    story_entities: list[Counter[str]] = [Counter() for _ in range(n_stories)]
    started = time.perf_counter()
    with open_store(db) as store:
        for start in range(0, n_articles, BATCH):
            batch: list[Article] = []
            for i in range(start, min(start + BATCH, n_articles)):
                k = min(bisect(story_cum, rng.random() * story_cum[-1]), n_stories - 1)
                outlet = pick(rng, outlets, outlet_cum)
                language = "ms" if outlet in MALAY else "id" if outlet in ID_OUTLETS else "en"
                title, body = rng.choice(indonesian if language != "en" else english)
                day = story_day[k] + timedelta(days=rng.randrange(story_span[k]))
                chosen = {rng.choice(story_names[k]) for _ in range(rng.randint(4, 10))}
                chosen |= {pick(rng, names, name_cum) for _ in range(2)}
                mentions = [
                    Mention(text=name, label=label, start=0, end=len(name), canonical=name)  # type: ignore[arg-type]
                    for name, label in sorted(chosen)
                    for _ in range(rng.randint(1, 3))
                ]
                article_id = hashlib.blake2b(f"{seed}:{i}".encode(), digest_size=8).hexdigest()
                article = Article(
                    id=article_id,
                    title=title,
                    body=body,
                    source=f"bench:{i}",
                    raw_text="",
                    outlet=outlet,
                    url=f"https://example.org/{article_id}",
                    published=day.isoformat(),
                    language=language,
                    mentions=mentions,
                )
                batch.append(article)
                members[k].append(article_id)
                dates[k].append(article.published or "")
                firsts.setdefault(k, article)
                story_outlets[k].add(outlet)
                story_entities[k].update(name for name, _ in chosen)
            store.add_articles(batch)
            done = start + len(batch)
            rate = done / (time.perf_counter() - started)
            print(f"  {done:,} articles ({rate:,.0f}/s)", file=sys.stderr, flush=True)
        stories = []
        for k in range(n_stories):
            if not members[k]:
                continue
            first = firsts[k]
            paragraphs = first.paragraphs
            stories.append(
                Story(
                    id=hashlib.blake2b(f"story:{seed}:{k}".encode(), digest_size=8).hexdigest(),
                    title=first.title,
                    article_ids=members[k],
                    summary=paragraphs[:3],
                    entities=[name for name, _ in story_entities[k].most_common(10)],
                    outlets=sorted(story_outlets[k]),
                    first_date=min(dates[k]),
                    last_date=max(dates[k]),
                    timeline=[
                        TimelineEntry(date=d, summary=p[:300], granularity="day")
                        for d, p in zip(sorted(dates[k])[:8], paragraphs, strict=False)
                    ],
                )
            )
        store.replace_stories(stories)
    print(
        f"  filled {n_articles:,} articles, {len(stories):,} stories in"
        f" {time.perf_counter() - started:,.0f} s",
        file=sys.stderr,
    )


def evict(db: str) -> None:
    """Drop the database files' pages from the OS page cache (no root needed)."""
    for suffix in ("", "-wal", "-shm"):
        path = db + suffix
        if os.path.exists(path):
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def child(db: str, path: str) -> None:
    """In a fresh process: one cold request, then the same one warm; prints JSON."""
    from fastapi.testclient import TestClient

    from kabar.api import create_app, pages

    app = create_app(db, cache_bytes=0)
    with TestClient(app) as client:
        # Warm the code, not the data: compile the templates and serve a page that reads
        # no table (the first request of a process starts its thread pool), then evict.
        for name in pages.templates.env.list_templates():
            pages.templates.env.get_template(name)
        client.get("/upload")
        evict(db)
        timings = []
        for _ in range(2):
            t0 = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - t0) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code} {response.text[:200]}")
        print(json.dumps({"cold": timings[0], "warm": timings[1], "bytes": len(response.content)}))


def requests(db: str) -> list[tuple[str, str]]:
    """The requests to time, with values (outlet, entity, word, cursor) taken from the store."""
    with open_store(db) as store:
        outlets = store.outlets()
        entities = store.list_entities(limit=300)
        second = store.find_stories(StoryQuery(), limit=50).next
    top, middle = entities[0].name, entities[min(200, len(entities) - 1)].name
    outlet = outlets[len(outlets) // 2]
    q = "&".join
    return [
        ("home page (HTML)", "/"),
        ("home page 3 (HTML)", "/?page=3"),
        ("home, filtered (HTML)", f"/?outlet={outlet}&language=en&date_from=2019-01-01"),
        ("stories", "/api/v1/stories"),
        ("stories, next page (cursor)", f"/api/v1/stories?cursor={second}"),
        ("stories, sort=recent", "/api/v1/stories?sort=recent"),
        ("stories, date range", "/api/v1/stories?" + q(["date_from=2019-03", "date_to=2019-06"])),
        ("stories, outlet", f"/api/v1/stories?outlet={outlet}"),
        ("stories, entity (top)", f"/api/v1/stories?entity={top}"),
        ("stories, entity (200th)", f"/api/v1/stories?entity={middle}"),
        ("stories, language=id", "/api/v1/stories?language=id"),
        ("stories, language=ms (rare)", "/api/v1/stories?language=ms"),
        ("stories, text", "/api/v1/stories?text=oil"),
        ("stories, all filters", f"/api/v1/stories?outlet={outlet}&language=en&entity={top}"),
        ("entities", "/api/v1/entities"),
        ("entity (JSON, top)", f"/api/v1/entities/{top}"),
        ("entity page (HTML, top)", f"/entities/{top}"),
        ("entity page (HTML, 200th)", f"/entities/{middle}"),
        ("outlet page (HTML)", f"/outlets/{outlet}"),
        ("search, rare word", "/api/v1/search?q=Leogane"),
        ("search, common word", "/api/v1/search?q=government"),
        ("search page (HTML)", "/search?q=earthquake+survivors"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--db", help="SQLite file (kept; reused when it holds --articles)")
    parser.add_argument("--repeat", type=int, default=3, help="cold processes per request")
    parser.add_argument("--only", default="", help="time only the requests naming this")
    parser.add_argument("--fill-only", action="store_true", help="fill the store, time nothing")
    parser.add_argument("--child", nargs=2, metavar=("DB", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    db = args.db or str(Path(tempfile.gettempdir()) / f"kabar-api-bench-{args.articles}.db")
    with open_store(db) as store:
        have = store.count_articles()
    if have != args.articles:
        if have:
            sys.exit(f"{db} holds {have:,} articles, not {args.articles:,}: remove it or --db")
        print(f"filling {db} with {args.articles:,} articles (directly, see --help)...")
        fill(db, args.articles)
    if args.fill_only:
        return
    with open_store(db) as store:
        n_articles, n_stories = store.count_articles(), store.count_stories()
        n_entities = store.count_entities()
    size = sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))
    print(
        f"store {db}: {n_articles:,} articles, {n_stories:,} stories, {n_entities:,} entities,"
        f" {size / 1e9:.1f} GB; filled directly by bench/api_store.py (realistic rows, not a"
        " `kabar load` output)"
    )
    print(
        f"cold = new process + new connection, file pages evicted (posix_fadvise);"
        f" {args.repeat} runs each; warm = the same request again in that process\n"
    )
    print(f"{'request':34} {'cold p50':>9} {'cold max':>9} {'warm p50':>9} {'KB':>6}  ok")
    worst = 0.0
    for name, path in [r for r in requests(db) if args.only in r[0]]:
        cold: list[float] = []
        warm: list[float] = []
        size_kb = 0.0
        for _ in range(args.repeat):
            evict(db)
            out = subprocess.run(
                [sys.executable, __file__, "--child", db, path],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode:
                sys.exit(f"{name}: {out.stderr.strip()[-500:]}")
            result = json.loads(out.stdout.strip().splitlines()[-1])
            cold.append(result["cold"])
            warm.append(result["warm"])
            size_kb = result["bytes"] / 1000
        ok = "yes" if max(cold) < TARGET_MS else "NO"
        worst = max(worst, max(cold))
        print(
            f"{name:34} {statistics.median(cold):9.1f} {max(cold):9.1f}"
            f" {statistics.median(warm):9.1f} {size_kb:6.0f}  {ok}",
            flush=True,
        )
    print(f"\nslowest cold request: {worst:.0f} ms (target < {TARGET_MS:.0f} ms each)")


if __name__ == "__main__":
    main()
