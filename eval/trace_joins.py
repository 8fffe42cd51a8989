"""How the largest stories grew: each event, its development labels, and the event it joined
through (its link, ``_Cluster.via``), with every split and merge of the run.

A mixed story is mostly a new event that joined on shared names and then grew; this shows
which event let it in before a rule is written. Labels read: the development parts only
(dev, dev2, dev3 of labels.csv, dev-large and the spent audit sheets), never a held-out
part.

    .venv/bin/python eval/trace_joins.py --top 12 [--set sibling_shared=0]
"""

from __future__ import annotations

import argparse
import copy
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from audit_largest import AUDIT  # noqa: E402
from stories import DEV_PARTS, _value, load_newsweek, read_labels, read_large  # noqa: E402

from kabar.stories import GroupingParams, GroupingState, StoryIndex  # noqa: E402

SPENT_AUDITS = tuple(AUDIT.parent / f"audit{n}.csv" for n in ("", "2", "3", "4", "5", "6"))
"""The audits already read (a fresh one, ``audit2.csv`` …, is scored once before it may be
traced: listed here only after that)."""


def dev_labels(record_article: dict[str, str]) -> dict[str, str]:
    """Article id → story label, from the development parts only (``A:`` marks the audit)."""
    out = {
        record_article[x.id]: x.story
        for x in read_labels()
        if x.split in DEV_PARTS and x.kind == "news" and x.id in record_article
    }
    out |= {
        record_article[x.id]: x.story
        for x in read_large()
        if x.kind == "news" and x.id in record_article
    }
    for path in SPENT_AUDITS:
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["kind"] == "news" and r["id"] in record_article:
                    out[record_article[r["id"]]] = "A:" + r["story_id"]
    return out


class _Tracing(StoryIndex):
    """A story index that logs its splits, merges, the merges their events do not carry
    and the joins and ties refused on common actors (titles of the stories' first
    articles)."""

    titles: ClassVar[dict[str, str]] = {}
    log: ClassVar[list[str]] = []
    current = ""

    def _title(self, number: int) -> str:
        story = self.stories[number]
        return self.titles.get(story.articles[0], "?")[:50] if story.articles else "?"

    def _merge(self, a: int, b: int) -> int:
        sizes = (self.stories[a].originals, self.stories[b].originals)
        self.log.append(f"merge {sizes}: {self._title(a)!r} + {self._title(b)!r}")
        return super()._merge(a, b)

    def _carried(self, a: int, b: int) -> bool:
        carried = super()._carried(a, b)
        if not carried:  # merge_size: what their events share does not carry the merge
            sizes = (self.stories[a].originals, self.stories[b].originals)
            self.log.append(f"not carried {sizes}: {self._title(a)!r} + {self._title(b)!r}")
        return carried

    def add(self, article: Any) -> str:
        self.current = article.title
        return super().add(article)

    def _beyond_actors(self, vector: Any, number: int, *args: Any, **kwargs: Any) -> bool:
        joins = super()._beyond_actors(vector, number, *args, **kwargs)
        if not joins:  # join_size: only the story's common actors in common
            kind = "tie" if kwargs.get("tie") else "join"
            size = self.stories[self._find(number)].originals
            self.log.append(
                f"actors only ({kind}, {size}): {self.current[:50]!r} -> "
                f"{self._title(self._find(number))!r}"
            )
        return joins

    def _maybe_split(self, number: int) -> None:
        before = len(self.stories)
        super()._maybe_split(number)
        if len(self.stories) > before:
            self.log.append(
                f"split: {self.titles.get(self.events[number].articles[0], '?')[:50]!r}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, default=10, help="how many of the largest stories")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--log", action="store_true", help="also print every split and merge")
    args = parser.parse_args()
    params: dict[str, Any] = {k: _value(v) for k, v in (s.split("=", 1) for s in args.set)}
    articles, record_article, _empty = load_newsweek()
    labels = dev_labels(record_article)
    _Tracing.titles = {a.id: a.title for a in articles}
    index = _Tracing(GroupingParams(**params))
    state = GroupingState(stories=index)
    for article in articles:
        state.add(copy.copy(article))
    members: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        members[index.story_of(a.id)].append(a.id)
    ranked = sorted(members.values(), key=lambda m: (-len(m), m[0]))[: args.top]
    total_minority = 0
    for rank, ids in enumerate(ranked, 1):
        number = index._find(index.events[index.event_of[ids[0]]].story)
        counts = Counter(labels[a] for a in ids if a in labels)
        # the same story under its audit and development labels ("A:" marks the audit)
        stories = Counter(labels[a].removeprefix("A:") for a in ids if a in labels)
        main = stories.most_common(1)[0][0] if stories else ""
        minority = [labels[a] for a in ids if a in labels and labels[a].removeprefix("A:") != main]
        audited = sum(x.startswith("A:") for x in minority)
        total_minority += len(minority)
        print(f"\n## {rank}: {len(ids)} articles; labels {dict(counts.most_common())}")
        print(
            f"minority (labelled members not of {main!r}): {len(minority)}"
            f" (development labels {len(minority) - audited}, audits {audited})"
        )
        for e in index.stories[number].events:
            event = index.events[e]
            tags = ",".join(labels[a] for a in event.articles if a in labels)
            via = index.events[event.via] if event.via >= 0 else None
            link = _Tracing.titles[via.articles[0]][:45] if via else "-"
            title = _Tracing.titles[event.articles[0]][:70]
            print(f"- ev{e} ({event.originals}) [{tags}] {title}  ← ev{event.via} {link}")
    print(f"\nminority members among the {len(ranked)} largest: {total_minority}")
    if args.log:
        print("\n" + "\n".join(index.log))


if __name__ == "__main__":
    main()
