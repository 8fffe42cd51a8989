"""The founding example, scored: does the seed story's timeline tell what happened, when,
according to whom? Prints one row per expected happening (gold written by hand from the five
seed articles, see ``examples/seeds/README.md``) and whether kabar's timeline has it.

Run: ``.venv/bin/python eval/seeds_timeline.py``
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.corpus import Corpus  # noqa: E402
from kabar.ingest import read_path  # noqa: E402
from kabar.model import RawArticle, Story  # noqa: E402
from kabar.pipeline import process  # noqa: E402

# (what happened, date, granularity, a word every right sentence has, outlets that report it)
GOLD = [
    ("Putin's last visit to Vietnam", "2017", "year", "2017", {"Kontan"}),
    ("Sochi meeting Putin–Trong", "2018-09-06", "day", "Sochi", {"Tempo"}),
    (
        "ICC arrest warrant for Putin",
        "2023-03",
        "month",
        "Pengadilan Kriminal Internasional",
        {"Kontan"},
    ),
    ("Biden visits Hanoi", "2023-09", "month", "Biden", {"Kontan"}),
    ("Beijing invitation to visit Vietnam", "2023-10", "month", "undang", {"IDN Times", "Kontan"}),
    ("Concert-hall attack near Moscow", "2024-03-18", "week", "konser", {"IDN Times"}),
    ("Phone call Trong–Putin", "2024-03-26", "day", "telepon", {"IDN Times"}),
    ("Pyongyang visit and defence pact", "2024-06-19", "day", "Korea Utara", {"reporter.web.id"}),
    (
        "Hanoi state visit",
        "2024-06-20",
        "day",
        "kunjungan kenegaraan",
        {"reporter.web.id", "Koran Jakarta"},
    ),
]
FACT = ("80% of Vietnam's arms come from Russia", {"IDN Times", "Kontan", "Koran Jakarta"})


def seed_story() -> Story:
    raws = [r for r in read_path(ROOT / "examples" / "seeds") if isinstance(r, RawArticle)]
    _articles, stories = Corpus().group([process(r) for r in raws])
    if len(stories) != 1:
        raise SystemExit(f"expected one story from the seeds, got {len(stories)}")
    return stories[0]


def main() -> int:
    story = seed_story()
    # Background (dated context long before the first article) is shown apart from the
    # main timeline; a gold happening counts as found in either, and the row says which.
    entries = {(e.date, e.granularity): e for e in [*story.background, *story.timeline]}
    main = {(e.date, e.granularity) for e in story.timeline}
    found = 0
    print(f"{'happening':40} {'date':11} {'dated':11} {'sentence':9} {'outlets':28}")
    for what, date, granularity, word, outlets in GOLD:
        entry = entries.get((date, granularity))
        dated = entry is not None
        sentence = dated and any(word.lower() in s.sentence.lower() for s in entry.sources)
        got = set(entry.outlets) if entry else set()
        ok = dated and sentence and outlets <= got
        found += ok
        print(
            f"{what:40} {date:11} {('main' if (date, granularity) in main else 'background') if dated else 'NO':11} {'yes' if sentence else 'NO':9} {', '.join(sorted(got)) or '-':28}"
        )
    facts = [f for f in story.facts if any("80" in n for n in f.numbers)]
    fact_ok = bool(facts) and FACT[1] <= set(facts[0].outlets)
    print(
        f"{FACT[0]:40} {'':11} {'':11} {'yes' if facts else 'NO':9} {', '.join(facts[0].outlets) if facts else '-':28}"
    )
    spurious = len(story.timeline) - sum(1 for _w, d, g, _x, _o in GOLD if (d, g) in main)
    print(
        f"\nhappenings found with their outlets: {found}/{len(GOLD)}; 80% fact with 3 outlets: {fact_ok}"
    )
    print(
        f"timeline entries: {len(story.timeline)} ({spurious} beyond the gold list: plans, report dates)"
    )
    print(
        f"background entries (before {story.first_date} by over a year): "
        + ", ".join(f"{e.date} {e.summary[:50]!r}" for e in story.background)
    )
    print(f"story title: {story.title}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
