"""A blind audit of the ten largest stories: are they stories, or themes?

Issue 22 asks that no story among the ten largest of a real corpus has a purity under 0.8.
The labelled parts of ``eval/gold/newsweek/labels.csv`` cover few members of the largest
stories (most are sport, business, regional or lifestyle pieces of days nobody labelled),
and a purity read on the very clusters one tunes is no held-out figure. So the audit is
done after the grouping is final, by someone who never sees the clusters:

1. ``sheet OUT``: groups the corpus as ``eval/stories.py`` does (default parameters), takes
   the ten largest stories, draws ``--per`` members of each that no part of the labels
   holds (a fixed seed), and writes them **shuffled together** to ``OUT/sheet.jsonl``
   (number, outlet, date, title, the first 800 characters of the body: no story id, no
   hint of which cluster a piece came from) and the key to ``OUT/key.json``. OUT holds
   article text: keep it outside the repository.
2. The labeller reads the sheet and gives each piece a story id by the protocol of
   ``eval/gold/newsweek/PROTOCOL.md`` (one thread of happenings; a theme is not a story),
   writing ``eval/gold/newsweek/audit.csv`` (``id`` the corpus record id from the sheet,
   ``story_id``, ``kind``).
3. ``score``: groups the corpus again with the current code and prints, for each of the
   ten largest stories, its size, how many audited pieces it holds and their purity (the
   share of the most common audited story among them; news pieces only).

An audit is read once for the code it was drawn from (the sheet records the commit); a
later change to the grouping can be checked on it, but then it is a development figure.

    .venv/bin/python eval/audit_largest.py sheet ../data/audit --per 12
    .venv/bin/python eval/audit_largest.py score
    .venv/bin/python eval/audit_largest.py score --audit eval/gold/newsweek/audit{2,3}.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from stories import NEWSWEEK, load_newsweek, read_labels, read_large, stream  # noqa: E402

from kabar.model import Article  # noqa: E402
from kabar.stories import GroupingParams, GroupingState  # noqa: E402

AUDIT = ROOT / "eval" / "gold" / "newsweek" / "audit.csv"
LEAD = 800


def largest_stories(count: int = 10) -> tuple[list[list[str]], dict[str, Article], dict[str, str]]:
    """The ``count`` largest stories (article ids, largest first) under the current code, the
    articles by id, and the corpus record id of each article id."""
    articles, record_article, _empty = load_newsweek(NEWSWEEK)
    clusters, _seconds, _copies = stream(articles, GroupingState(GroupingParams()))
    members: dict[str, list[str]] = defaultdict(list)
    for aid, cluster in clusters.items():
        members[cluster].append(aid)
    ranked = sorted(members.values(), key=lambda m: (-len(m), m[0]))[:count]
    record_of = {a: r for r, a in record_article.items()}
    return ranked, {a.id: a for a in articles}, record_of


def audited_ids() -> set[str]:
    """Record ids every earlier audit labelled (``audit*.csv``): a new sheet draws none of
    them, so a second audit is blind to the first one's answers too."""
    ids: set[str] = set()
    for path in sorted(AUDIT.parent.glob("audit*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            ids |= {r["id"] for r in csv.DictReader(f)}
    return ids


def sheet(out: Path, per: int, seed: int) -> None:
    ranked, by_id, record_of = largest_stories()
    labelled = {x.id for x in read_labels()} | {x.id for x in read_large()} | audited_ids()
    rng = random.Random(seed)
    drawn: list[tuple[str, int]] = []
    for rank, ids in enumerate(ranked, 1):
        pool = sorted(a for a in ids if record_of.get(a) and record_of[a] not in labelled)
        drawn += [(a, rank) for a in rng.sample(pool, min(per, len(pool)))]
    rng.shuffle(drawn)
    out.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    with (out / "sheet.jsonl").open("w", encoding="utf-8") as f:
        for n, (aid, _rank) in enumerate(drawn, 1):
            a = by_id[aid]
            row = {
                "n": n,
                "id": record_of[aid],
                "outlet": a.outlet,
                "date": (a.published or "")[:10],
                "title": a.title,
                "lead": a.body[:LEAD],
            }
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    key = {"commit": commit, "per": per, "seed": seed, "rank": {record_of[a]: r for a, r in drawn}}
    (out / "key.json").write_text(json.dumps(key, indent=1), encoding="utf-8")
    sizes = ", ".join(str(len(ids)) for ids in ranked)
    print(f"{len(drawn)} pieces of the ten largest stories (sizes {sizes}) -> {out}/sheet.jsonl")


def score(audits: list[Path]) -> None:
    """Several audits drawn from the same code pool their pieces: each alone holds few
    pieces of a story (8-12), so one slip moves its purity by a tenth."""
    rows = []
    for audit in audits:
        with audit.open(encoding="utf-8", newline="") as f:
            rows += [r for r in csv.DictReader(f) if r["kind"] == "news"]
    story = {r["id"]: r["story_id"] for r in rows}
    ranked, by_id, record_of = largest_stories()
    names = ", ".join(shown_path(a) for a in audits)
    print(f"audit: {len(rows)} news pieces in {names}\n")
    print("| rank | articles | audited | purity | audited stories in it | first title |")
    print("|---|---|---|---|---|---|")
    worst = 1.0
    for rank, ids in enumerate(ranked, 1):
        held = Counter(story[record_of[a]] for a in ids if record_of.get(a) in story)
        n = sum(held.values())
        purity = held.most_common(1)[0][1] / n if n else float("nan")
        if n:
            worst = min(worst, purity)
        top = ", ".join(f"{s} {c}" for s, c in held.most_common(3))
        more = f" (+{len(held) - 3})" if len(held) > 3 else ""
        shown = f"{purity:.2f}" if n else "-"
        print(f"| {rank} | {len(ids)} | {n} | {shown} | {top}{more} | {by_id[ids[0]].title[:60]} |")
    print(f"\nlowest purity among the audited largest stories: {worst:.2f} (target: >= 0.8)")


def shown_path(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    draw = commands.add_parser("sheet", help="draw the blind sheet of the ten largest stories")
    draw.add_argument("out", type=Path, help="folder for sheet.jsonl and key.json (not the repo)")
    draw.add_argument("--per", type=int, default=12, help="pieces drawn from each story")
    draw.add_argument("--seed", type=int, default=2030)
    check = commands.add_parser("score", help="purity of the ten largest on the audit labels")
    check.add_argument(
        "--audit",
        type=Path,
        nargs="+",
        default=[AUDIT],
        help="the audit labels (audit2.csv: the second); several are pooled",
    )
    args = parser.parse_args()
    if not NEWSWEEK.exists():
        sys.exit(f"newsweek corpus not found at {NEWSWEEK}: rebuild it with scripts/newsweek.py")
    if args.command == "sheet":
        sheet(args.out, args.per, args.seed)
    else:
        score([a.resolve() for a in args.audit])


if __name__ == "__main__":
    main()
