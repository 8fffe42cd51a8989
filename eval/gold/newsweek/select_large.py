"""The articles of the `dev-large` part of the newsweek story gold, selected by a fixed rule.

Rule (issue 22's purity target, aimed at the failure it names): group the whole corpus
with the grouping of the commit named in PROTOCOL.md ("dev-large") at its defaults, take
the ``--top`` (15) largest stories, and from each draw ``--per`` (15) members at random
(seeded by the story's first article id) among those that are eligible: not a near copy,
not published on a held-out day (10, 16 or 17 June 2025: test2 and the days kept for
later held-out parts) and not labelled in the ``test`` part. Members already labelled in
``dev`` keep their label and are not drawn again. Nothing is chosen by content.

    python eval/gold/newsweek/select_large.py              # id, url, outlet, date, rank (TSV)
    python eval/gold/newsweek/select_large.py --sheet OUT  # + title and lead, for labelling

``--sheet`` writes, outside the repository, the working sheet the annotator read (it holds
article text, so it must never be committed: the corpus has no licence).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from stories import NEWSWEEK_LABELS, load_newsweek, stream  # noqa: E402

from kabar.stories import GroupingParams, GroupingState  # noqa: E402

HELD_OUT_DAYS = frozenset({"2025-06-10", "2025-06-16", "2025-06-17"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--per", type=int, default=15)
    parser.add_argument("--sheet", type=Path)
    args = parser.parse_args()
    articles, record_article, _empty = load_newsweek()
    by_id = {a.id: a for a in articles}
    record_of = {aid: rid for rid, aid in record_article.items()}
    with NEWSWEEK_LABELS.open(newline="", encoding="utf-8") as f:
        labelled = {r["id"]: r["split"] for r in csv.DictReader(f)}
    clusters, _s, _c = stream(articles, GroupingState(GroupingParams()), resolve=False)
    members: dict[str, list[str]] = defaultdict(list)
    for aid, story in clusters.items():
        members[story].append(aid)
    ranked = sorted(members.values(), key=lambda m: (-len(m), m[0]))[: args.top]
    rows = []
    for rank, ids in enumerate(ranked, 1):
        eligible = [
            a
            for a in ids
            if by_id[a].duplicate_of is None
            and (by_id[a].published or "")[:10] not in HELD_OUT_DAYS
            and a in record_of
            and record_of[a] not in labelled
        ]
        rng = random.Random(ids[0])
        for aid in sorted(rng.sample(eligible, min(args.per, len(eligible)))):
            rows.append((rank, len(ids), by_id[aid], record_of[aid]))
    out = sys.stdout if args.sheet is None else args.sheet.open("w", encoding="utf-8")
    for rank, size, a, rid in rows:
        cells = [rid, a.url or "", a.outlet or "", (a.published or "")[:10], str(rank), str(size)]
        if args.sheet is not None:
            lead = " ".join(a.body[:300].split())
            cells += [a.title, lead]
        print("\t".join(cells), file=out)


if __name__ == "__main__":
    main()
