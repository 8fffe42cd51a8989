"""Junk among the entities of real news: the most frequent canonical entities per type, and the
junk issue #19 listed, on the seeds and a sample of the dev news week.

    .venv/bin/python eval/entity_junk.py                 # 1,500 newsweek articles + seeds
    .venv/bin/python eval/entity_junk.py --articles 3000 --top 40

The newsweek corpus (``../data/newsweek/newsweek.jsonl`` or ``$KABAR_NEWSWEEK``; see
``eval/gold/README.md``) is read in file order, skipping the records of the held-out parts
(``test`` and ``test2``) of ``eval/gold/newsweek/labels.csv``. Each article goes through ``process()``, then the sample is
resolved (``resolve_entities``) as a corpus is. The check list is the issue's: common words
as names, mojibake, wrong gazetteer resolutions, a typo as canonical name, acronyms apart
from their expansion, and wire agencies among a story's entities; then general rules for
what else a reader sees as junk on entity pages (an outlet's web address, a cited source, a
holiday as a person, a common noun heading a name, a name before a person's full name:
:func:`_rule_findings`). ``--split test`` reads the held-out test-story articles instead
(read once, for the report; never tune on them). It prints what it finds;
it fixes nothing (fixes go into the stop list and the resolution rules, never per name).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.entities import entity_table, resolve_entities  # noqa: E402
from kabar.entities.gazetteer import lookup  # noqa: E402
from kabar.entities.stoplist import NAME_HEADS, common_words, is_generic  # noqa: E402
from kabar.errors import InputError  # noqa: E402
from kabar.ingest import read_path  # noqa: E402
from kabar.meta import is_news_organisation  # noqa: E402
from kabar.meta.provenance import is_cited_source  # noqa: E402
from kabar.model import Article, Entity, RawArticle  # noqa: E402
from kabar.pipeline import process  # noqa: E402
from kabar.text import is_web_address  # noqa: E402

NEWSWEEK = Path(
    os.environ.get("KABAR_NEWSWEEK", ROOT.parent / "data" / "newsweek" / "newsweek.jsonl")
)
LABELS = ROOT / "eval" / "gold" / "newsweek" / "labels.csv"
SEEDS = ROOT / "examples" / "seeds"
# Issue #19's list: names that must never be entities, or never these canonical names.
NEVER_ENTITIES = ("Kita", "Kota", "Undang-Undang", "Hak Asasi Manusia", "Nanti", "Äù")
NEVER_CANONICAL = ("Nantes", "Geofisika", "Ajun Komisasris Besar Polisi", "Forum Belt", "Soviet")
# Pairs that must be one entity (the first is the canonical name kabar gives).
SAME_ENTITY = (
    ("Komisi Pemberantasan Korupsi", "KPK"),
    ("Joko Widodo", "Jokowi"),
    ("Dewan Perwakilan Rakyat", "DPR"),
    ("Badan Meteorologi, Klimatologi, dan Geofisika", "BMKG"),
    ("Soviet Union", "Soviet"),
)


def _held_out_ids() -> dict[str, set[str]]:
    """The record ids of each held-out part of the story labels (test, test2)."""
    parts: dict[str, set[str]] = {"test": set(), "test2": set()}
    with LABELS.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["split"] in parts:
                parts[row["split"]].add(row["id"])
    return parts


def _processed(raws: list[RawArticle]) -> list[Article]:
    out = []
    for raw in raws:
        try:
            out.append(process(raw))
        except InputError:
            continue
    return out


def check(name: str, articles: list[Article], top: int) -> int:
    """Print the table and the junk found in it; returns how many junk findings."""
    resolved = resolve_entities(articles)
    table = entity_table(resolved)
    print(f"== {name}: {len(resolved)} articles, {len(table)} entities ==")
    for label in ("PER", "ORG", "LOC"):
        rows = [e for e in table if e.label == label][:top]
        print(f"{label}: " + "; ".join(f"{e.name} ({e.articles})" for e in rows))
    found = 0
    by_alias: Counter[tuple[str, str]] = Counter()
    for e in table:
        for alias in e.aliases:
            by_alias[(alias, e.name)] += e.articles
    names = {e.name for e in table}
    for junk in NEVER_ENTITIES:
        hits = [(n, c) for (alias, n), c in by_alias.items() if alias == junk]
        if hits:
            found += 1
            print(f"  JUNK entity {junk!r}: as {hits}")
    for junk in NEVER_CANONICAL:
        if junk in names:
            found += 1
            print(f"  JUNK canonical name {junk!r}")
    canonical_of = {alias: n for (alias, n) in by_alias}
    for whole, short in SAME_ENTITY:
        if short in canonical_of and canonical_of[short] != canonical_of.get(whole, whole):
            found += 1
            print(f"  APART {short!r} -> {canonical_of[short]!r}, {whole!r}")
    found += _rule_findings(resolved, table, top)
    print(f"  junk findings: {found}")
    return found


def _rule_findings(resolved: list[Article], table: list[Entity], top: int) -> int:
    """The general kinds of junk a reader sees on entity pages, by rule, not by name:
    an outlet's web address, a cited source, a holiday or common term with a word before
    it, a common noun heading an entity the table also has alone ("Harga Bitcoin" and
    "Bitcoin"), a name before a person's full name ("Tesla Elon Musk"). Rules over every
    entity; the common-noun and person rules over the ``top`` of each type (what pages show)."""
    found = 0
    kinds: dict[str, list[str]] = {}

    def flag(kind: str, what: str) -> None:
        kinds.setdefault(kind, []).append(what)

    names = {e.name for e in table}
    people = {e.name for e in table if e.label == "PER" and len(e.name.split()) >= 2}
    common = common_words()
    shown = {
        e.name
        for label in ("PER", "ORG", "LOC")
        for e in [e for e in table if e.label == label][:top]
    }
    for e in table:
        if any(is_web_address(a) for a in e.aliases):
            flag("an outlet's web address as entity", f"{e.name} ({e.articles})")
        words = e.name.split()
        if e.label == "PER" and any(
            is_generic(" ".join(words[cut:])) for cut in range(len(words) - 1)
        ):
            flag("a holiday or common term as person", f"{e.name} ({e.articles})")
        if e.name not in shown:
            continue
        if (
            len(words) >= 2
            and words[0].lower() in common
            and words[0].lower() not in NAME_HEADS
            and lookup(e.name) is None
            and " ".join(words[1:]) in names
        ):
            flag("a common noun heading an entity", f"{e.name} ({e.articles})")
        if e.label == "PER" and any(
            " ".join(words[cut:]) in people for cut in range(1, len(words) - 1)
        ):
            flag("a name before a person's full name", f"{e.name} ({e.articles})")
    cited: Counter[str] = Counter()
    for article in resolved:
        for m in article.mentions:
            text = article.body if m.where == "body" else article.removed[m.line or 0]
            known = lookup(m.text)
            messenger = known is None or is_news_organisation(known[0])
            if messenger and is_cited_source(text, m.start, m.end):
                cited[m.canonical] += 1  # (a known institution cited, BMKG, is a subject)
    for name, n in cited.most_common():
        flag("a cited source as entity", f"{name} ({n} mentions)")
    for kind, hits in kinds.items():
        found += len(hits)
        print(f"  JUNK {kind}: {len(hits)}: " + "; ".join(hits[:12]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--split",
        choices=("dev", "test"),
        default="dev",
        help="dev: articles of no held-out part (tune here); test: the labelled test articles",
    )
    args = parser.parse_args()
    seeds = [r for r in read_path(SEEDS) if isinstance(r, RawArticle)]
    total = check("seeds", _processed(seeds), args.top)
    if not NEWSWEEK.exists():
        sys.exit(f"newsweek corpus not found at {NEWSWEEK}")
    held_out = _held_out_ids()
    unseen = held_out["test"] | held_out["test2"]

    def wanted(record_id: str) -> bool:
        if args.split == "test":
            return record_id in held_out["test"]
        return record_id not in unseen  # dev: never a held-out article

    raws = [
        r for r in read_path(NEWSWEEK) if isinstance(r, RawArticle) and wanted(r.external_id or "")
    ][: args.articles]
    total += check(f"newsweek {args.split} sample", _processed(raws), args.top)
    print(f"total junk findings: {total}")


if __name__ == "__main__":
    main()
