"""The articles of a by-day part of the newsweek story gold, selected by a fixed rule.

Rule: every article of the corpus published on one day (the date of its `published`
field) whose URL lies in a news section of its outlet — the same section list as the
18-20 June labels (PROTOCOL.md, "Which articles"). Nothing is chosen by content. The
default is the `test2` part (2025-06-10); `--part dev2` is 2025-06-09 (`DAYS`).

    python eval/gold/newsweek/select_test2.py                 # id, url, outlet, date (TSV)
    python eval/gold/newsweek/select_test2.py --propose OUT   # + throwaway proposal clusters
    python eval/gold/newsweek/select_test2.py --part dev2 --propose OUT   # 9 June
    python eval/gold/newsweek/select_test2.py --day 2025-06-09 --part dev2  # the same

``--propose`` writes, outside the repository, the working sheet the annotator read: the
selected articles ordered by a throwaway clustering (TF-IDF of the title twice plus the
first 300 characters, agglomerative average link, cosine distance 0.8), with title and
lead. It is independent of kabar (no kabar code is imported) and only puts likely members
of a thread next to each other; the labels were assigned by hand. The sheet holds article
text, so it must never be committed (the corpus has no licence).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CORPUS = Path(
    os.environ.get("KABAR_NEWSWEEK", ROOT.parent / "data" / "newsweek" / "newsweek.jsonl")
)
PART = "test2"
DAYS = {"test2": "2025-06-10", "dev2": "2025-06-09"}
"""The day of each by-day part; `--part` picks its day unless `--day` is given."""
DAY = DAYS[PART]

# (host, first path segment or None for any): the news sections of PROTOCOL.md
NEWS_SECTIONS: tuple[tuple[str, str | None], ...] = (
    ("news.detik.com", "berita"),
    ("news.detik.com", "internasional"),
    ("news.detik.com", "dw"),
    ("news.detik.com", "abc-australia"),
    ("news.detik.com", "bbc-world"),
    ("news.detik.com", "kolom"),
    ("news.detik.com", "suara-pembaca"),
    ("news.detik.com", "melindungi-tuah-marwah"),
    ("www.liputan6.com", "news"),
    ("www.liputan6.com", "regional"),
    ("www.liputan6.com", "global"),
    ("www.liputan6.com", "cek-fakta"),
    ("nasional.okezone.com", None),
    ("news.okezone.com", None),
    ("megapolitan.okezone.com", None),
    ("nasional.kompas.com", None),
    ("megapolitan.kompas.com", None),
    ("www.kompas.com", None),
    ("nasional.tempo.co", None),
    ("metro.tempo.co", None),
    ("dunia.tempo.co", None),
    ("news.republika.co.id", None),
    ("rejabar.republika.co.id", None),
)


def in_news_section(url: str) -> bool:
    host, _, path = re.sub(r"^https?://", "", url).partition("/")
    first = path.split("/")[0]
    return any(host == h and (s is None or first == s) for h, s in NEWS_SECTIONS)


def select(corpus: Path = CORPUS, day: str = DAY) -> list[dict[str, str]]:
    """The selected records of one day, in corpus (publication) order."""
    chosen = []
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["published"][:10] == day and in_news_section(record["url"]):
                chosen.append(record)
    return chosen


def propose(records: list[dict[str, str]], out: Path) -> None:
    """Write the working sheet: records ordered by throwaway proposal clusters."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [f"{r['title']} {r['title']} {r['text'][:300]}" for r in records]
    vectors = TfidfVectorizer(sublinear_tf=True, min_df=1).fit_transform(docs).toarray()
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=0.8
    ).fit_predict(vectors)
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0]))
    with out.open("w", encoding="utf-8") as f:
        for n, group in enumerate(ordered):
            for i in group:
                r = records[i]
                lead = re.sub(r"\s+", " ", r["text"][:300])
                f.write(
                    f"P{n}\t{r['id']}\t{r['outlet']}\t{r['url']}\n  T: {r['title']}\n  L: {lead}\n"
                )
            f.write("\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--propose", type=Path, help="write the working sheet here")
    parser.add_argument("--part", default=PART, help=f"part name (default {PART}; {DAYS})")
    parser.add_argument("--day", help="publication day (default: the part's day in DAYS)")
    args = parser.parse_args()
    if args.day is None and args.part not in DAYS:
        parser.error(f"--day is needed for a part not in {sorted(DAYS)}")
    args.day = args.day or DAYS[args.part]
    records = select(day=args.day)
    if args.propose:
        propose(records, args.propose)
    for r in records:
        sys.stdout.write(f"{r['id']}\t{r['url']}\t{r['outlet']}\t{r['published'][:10]}\n")
    print(f"{args.part}: {len(records)} articles of {args.day}", file=sys.stderr)


if __name__ == "__main__":
    main()
