"""Exact-value accuracy of the temporal tagger on real news, held-out test first, vs dateparser.

Run from the repo root: ``.venv/bin/python eval/time.py`` (``-v`` lists kabar's misses).

Main set: ``eval/gold/time/time_real.jsonl`` (see README.md there): 459 expressions read by hand
in real articles of seven outlets, each with the article's publication stamp as anchor and a
TIMEX3 value (DATE incl. ISO weeks and quarters, TIME with zone, DURATION, SET, and event
references "sehari setelah X" → ``REF+P1D`` with the event's first word). The split is by source
document; the tagger was tuned on ``dev`` only, so ``test`` is the figure to quote.

An item counts as correct when, among the expressions overlapping the gold span, the one
overlapping it most has the gold value (and, for an event reference, names the same event).
dateparser's ``search_dates`` (the item's language, ``RELATIVE_BASE`` = anchor) is scored
generously: its datetime is written at the gold's precision (day, ISO week, month, quarter,
year, or minute for a time, zone ignored); durations, sets, ranges and event references are
beyond it. The older set (``time.jsonl``, idner/NERGrit/Timeline17 sentences) follows as a
regression check.
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.meta.time import find_times  # noqa: E402

GOLD_DIR = ROOT / "eval" / "gold" / "time"
REAL = GOLD_DIR / "time_real.jsonl"
LEGACY = GOLD_DIR / "time.jsonl"
TYPES = ["day", "time", "week", "month", "quarter", "year", "range", "duration", "set", "event-ref"]

Item = dict[str, Any]


def _span(item: Item) -> tuple[int, int]:
    start = item["sentence"].index(item["expression"])
    return start, start + len(item["expression"])


def _anchor(item: Item) -> date | None:
    """The publication stamp: a datetime when it has a time (so "6 jam lalu" keeps the hour)."""
    raw = item["anchor"]
    if not raw:
        return None
    if "T" in raw:
        return datetime.fromisoformat(raw)
    return date.fromisoformat(raw)


def kabar_value(item: Item) -> str | None:
    start, end = _span(item)
    best, overlap = None, 0
    for t in find_times(item["sentence"], _anchor(item)):
        shared = min(end, t.end) - max(start, t.start)
        if shared > overlap:
            best, overlap = t, shared
    if best is None:
        return None
    gold_event = item.get("event")
    if gold_event and best.value == item["value"]:
        event = (getattr(best, "event", None) or "").split()
        same = gold_event == "(anaphoric)" and not event
        same = same or bool(event and event[0].lower() == gold_event.lower())
        return best.value if same else f"{best.value}@{' '.join(event) or '-'}"
    return best.value


def dateparser_value(item: Item) -> str | None:
    from dateparser.search import search_dates

    anchor = _anchor(item)
    settings: dict[str, Any] = {}
    if anchor is not None:
        base = anchor if isinstance(anchor, datetime) else datetime(*anchor.timetuple()[:3])
        settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = search_dates(item["sentence"], languages=[item["lang"]], settings=settings)
        except Exception:
            found = None
    if not found:
        return None
    start, end = _span(item)
    sentence = item["sentence"]
    position = 0
    best, overlap = None, 0
    for text, when in found:
        at = sentence.find(text, position)
        if at < 0:
            continue
        position = at + len(text)
        shared = min(end, at + len(text)) - max(start, at)
        if shared > overlap:
            best, overlap = when, shared
    if best is None:
        return None
    return _at_precision(best, item["value"], item.get("type") or item.get("granularity", ""))


def _at_precision(when: datetime, gold: str, kind: str) -> str | None:
    day = when.date()
    if kind in ("day", "explicit_day", "partial_day", "weekday", "relative") and len(gold) == 10:
        return day.isoformat()
    if kind == "time":
        stamp = when.strftime("%Y-%m-%dT%H:%M")
        return gold if gold.startswith(stamp) else stamp
    if kind == "week" or re.search(r"-W\d\d$", gold):
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if kind == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if kind == "month" or len(gold) == 7:
        return day.strftime("%Y-%m")
    if kind == "year" or len(gold) == 4:
        return f"{day.year:04d}"
    if len(gold) == 10:
        return day.isoformat()
    return None  # range, duration, set, event reference: not expressible


def _table(
    title: str,
    items: list[Item],
    systems: dict[str, Callable[[Item], str | None]],
    groups: list[str],
    key: Callable[[Item], list[str]],
    errors: list[str] | None = None,
) -> None:
    hits: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for item in items:
        answers = {name: system(item) for name, system in systems.items()}
        for group in [*key(item), "ALL"]:
            totals[group] += 1
            for name, value in answers.items():
                hits[(group, name)] += value == item["value"]
        if errors is not None and answers["kabar"] != item["value"]:
            errors.append(
                f"  {item['id']} [{item['split']}] {item['expression']!r} anchor={item['anchor']}"
                f" expected {item['value']}{' @' + item['event'] if item.get('event') else ''}"
                f" got {answers['kabar']}"
            )
    print(title)
    print(f"  {'group':<12}{'n':>5}" + "".join(f"{name:>12}" for name in systems))
    for group in [*groups, "ALL"]:
        n = totals[group]
        if n:
            cells = "".join(f"{hits[(group, name)] / n:>12.1%}" for name in systems)
            print(f"  {group:<12}{n:>5}{cells}")


def main() -> None:
    systems = {"kabar": kabar_value, "dateparser": dateparser_value}
    real = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line]
    errors: list[str] = []
    print(f"Temporal expressions in real articles: {len(real)} ({REAL.relative_to(ROOT)})")
    for split in ("test", "dev"):
        part = [i for i in real if i["split"] == split]
        note = "held out, never tuned on" if split == "test" else "tuned on"
        _table(
            f"\n{split.upper()} ({note}) — exact value, by type",
            part,
            systems,
            [*TYPES, "lang:id", "lang:en"],
            lambda i: [i["type"], "lang:" + i["lang"]],
            errors,
        )
    legacy = [json.loads(line) for line in LEGACY.read_text(encoding="utf-8").splitlines() if line]
    _table(
        f"\nOlder set ({LEGACY.relative_to(ROOT)}: idner/NERGrit/Timeline17 sentences)",
        legacy,
        systems,
        ["split:test", "split:dev"],
        lambda i: ["split:" + i["split"]],
    )
    if "-v" in sys.argv:
        print("\nkabar misses on the real-article set:")
        print("\n".join(errors))


if __name__ == "__main__":
    main()
