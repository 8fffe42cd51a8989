"""The articles of the `test3` part of the newsweek story gold, selected by a fixed rule.

Rule: every article of the corpus published on 2025-06-16 or 2025-06-17 (the date of its
`published` field) whose URL lies in a news section of its outlet: the rule of `test2`
(``select_test2.py``, whose section list and proposal clustering are reused unchanged) for
other days. Nothing is chosen by content.

    python eval/gold/newsweek/select_test3.py                  # id, url, outlet, date (TSV)
    python eval/gold/newsweek/select_test3.py --propose OUT    # + throwaway proposal clusters
    python eval/gold/newsweek/select_test3.py --day 2025-06-11 # any other day(s)

The ``--propose`` sheet holds article text: write it outside the repository, never commit it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from select_test2 import CORPUS, in_news_section, propose

DAYS = ("2025-06-16", "2025-06-17")


def select(days: tuple[str, ...] = DAYS, corpus: Path = CORPUS) -> list[dict[str, str]]:
    """The selected records of these days, in corpus (publication) order."""
    chosen = []
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["published"][:10] in days and in_news_section(record["url"]):
                chosen.append(record)
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--day", action="append", help="a publication day (repeatable)")
    parser.add_argument("--propose", type=Path, help="write the working sheet here")
    args = parser.parse_args()
    records = select(tuple(args.day) if args.day else DAYS)
    if args.propose:
        propose(records, args.propose)
    for r in records:
        sys.stdout.write(f"{r['id']}\t{r['url']}\t{r['outlet']}\t{r['published'][:10]}\n")
    print(f"{len(records)} articles", file=sys.stderr)


if __name__ == "__main__":
    main()
