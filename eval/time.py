"""Exact-value accuracy of the temporal tagger on hand-checked expressions, vs dateparser.

Run from the repo root: ``.venv/bin/python eval/time.py``. The gold set is
``eval/gold/time/time.jsonl`` (see PROVENANCE.md there): real sentences from the seeds,
Indonesian news (idner-news-2k, NERGrit) and English news (Timeline17), each with an
anchor date, one expression and its expected TIMEX3-like value.

An item counts as correct when the system returns an expression overlapping the gold one
whose value equals the gold value. dateparser's ``search_dates`` (languages id/en,
``RELATIVE_BASE`` = anchor) is scored generously: its datetime is cut to the gold
granularity (day, ISO week Monday, month, year); it has no notion of ranges, durations or
sets, so it cannot score on those.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.meta.time import find_times  # noqa: E402

GOLD = ROOT / "eval" / "gold" / "time" / "time.jsonl"
TYPES = [
    "explicit_day",
    "partial_day",
    "weekday",
    "relative",
    "month",
    "year",
    "range",
    "duration",
    "set",
]


def _span(item: dict[str, Any]) -> tuple[int, int]:
    start = item["sentence"].index(item["expression"])
    return start, start + len(item["expression"])


def kabar_value(item: dict[str, Any]) -> str | None:
    anchor = date.fromisoformat(item["anchor"]) if item["anchor"] else None
    start, end = _span(item)
    best, overlap = None, 0
    for t in find_times(item["sentence"], anchor):
        shared = min(end, t.end) - max(start, t.start)
        if shared > overlap:
            best, overlap = t.value, shared
    return best


def dateparser_value(item: dict[str, Any]) -> str | None:
    from dateparser.search import search_dates

    anchor = item["anchor"]
    settings: dict[str, Any] = {}
    if anchor:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(anchor)
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
    granularity = item["granularity"]
    day = best.date()
    if granularity == "day":
        return day.isoformat()
    if granularity == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    if granularity == "month":
        return day.strftime("%Y-%m")
    if granularity == "year":
        return f"{day.year:04d}"
    return None  # range, duration, set: not expressible


def main() -> None:
    items = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    systems = {"kabar": kabar_value, "dateparser": dateparser_value}
    hits: dict[tuple[str, str, str], int] = defaultdict(int)
    totals: dict[tuple[str, str], int] = defaultdict(int)
    errors: list[str] = []
    for item in items:
        for group in (item["type"], "lang:" + item["lang"], "split:" + item["split"], "ALL"):
            totals[(group, "n")] += 1
            for name, system in systems.items():
                value = system(item)
                if value == item["value"]:
                    hits[(group, name, "ok")] += 1
                elif name == "kabar" and group == "ALL":
                    errors.append(
                        f"  {item['id']} [{item['split']}] {item['expression']!r} "
                        f"anchor={item['anchor']} expected {item['value']} got {value}"
                    )
    print(f"Temporal expressions: {len(items)} hand-checked items ({GOLD.relative_to(ROOT)})")
    print(f"{'group':<16}{'n':>5}{'kabar':>10}{'dateparser':>12}")
    groups = [*TYPES, "lang:id", "lang:en", "split:dev", "split:test", "ALL"]
    for group in groups:
        n = totals[(group, "n")]
        if not n:
            continue
        row = f"{group:<16}{n:>5}"
        for name in systems:
            row += f"{hits[(group, name, 'ok')] / n:>10.1%}" if name == "kabar" else ""
            row += f"{hits[(group, name, 'ok')] / n:>12.1%}" if name == "dateparser" else ""
        print(row)
    if "-v" in sys.argv:
        print("kabar errors:")
        print("\n".join(errors))


if __name__ == "__main__":
    main()
