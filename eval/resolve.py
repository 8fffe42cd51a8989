"""Pairwise precision/recall of entity resolution on a hand-made set.

    .venv/bin/python eval/resolve.py

The gold set (``eval/gold/resolve/resolve.json``, see PROVENANCE.md there) lists, for 48
entities, the spellings each document uses ("Putin", "Vladimir Putin"; "AS", "US", "United
States"; "PBB", "United Nations"). An item is one (document, spelling) pair; two items
form a gold pair when they name the same entity. The system puts two items together when
the mentions with those spellings got the same canonical name after
:func:`kabar.entities.resolve_entities` over all documents at once; an item the extractor
did not find at all stays alone (so detection misses cost recall). Documents: the five
seeds (from the repo) and nine Timeline17 dev articles (read from ``../shared/data``).
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.corpus import Corpus  # noqa: E402
from kabar.entities import extract_mentions, resolve_entities  # noqa: E402
from kabar.entities.salience import is_wire_agency  # noqa: E402
from kabar.ingest import read_path  # noqa: E402
from kabar.model import Article, RawArticle  # noqa: E402
from kabar.pipeline import process  # noqa: E402

GOLD = ROOT / "eval" / "gold" / "resolve" / "resolve.json"
SEEDS = ROOT / "examples" / "seeds"
T17 = ROOT.parent / "shared" / "data" / "t17-dev"


def load_documents(spec: dict[str, dict[str, str]]) -> dict[str, Article]:
    docs: dict[str, Article] = {}
    for doc_id, where in spec.items():
        if "seed" in where:
            raw = next(r for r in read_path(SEEDS / where["seed"]) if isinstance(r, RawArticle))
        else:
            path = T17 / where["t17"] / "articles.jsonl"
            if not path.exists():
                sys.exit(f"{path} not found: Timeline17 dev data is needed (../shared/data)")
            record = next(
                json.loads(line)
                for line in path.read_text(encoding="utf-8").splitlines()
                if json.loads(line)["id"] == where["id"]
            )
            # Timeline17 text is tokenised, one sentence per " \n": one paragraph each.
            text = record["text"].replace(" \n", "\n\n")
            raw = RawArticle(text=text, source=doc_id, published=record["time"])
        docs[doc_id] = process(raw)
    return docs


def gold_items(gold: dict, docs: dict[str, Article]) -> dict[tuple[str, str], str]:
    """(document, spelling) → gold entity; complains about spellings absent from a body."""
    items: dict[tuple[str, str], str] = {}
    for entity in gold["entities"]:
        for doc_id, spellings in entity["mentions"].items():
            for spelling in spellings:
                if not re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", docs[doc_id].body):
                    print(f"warning: {spelling!r} not in the body of {doc_id}", file=sys.stderr)
                items[(doc_id, spelling)] = entity["name"]
    return items


def system_clusters(
    items: dict[tuple[str, str], str], articles: dict[str, Article]
) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for doc_id, spelling in items:
        names = Counter(m.canonical for m in articles[doc_id].mentions if m.text == spelling)
        out[(doc_id, spelling)] = (
            names.most_common(1)[0][0] if names else f"<missing {doc_id} {spelling}>"
        )
    return out


def pairwise(
    gold: dict[tuple[str, str], str], system: dict[tuple[str, str], str]
) -> tuple[float, float, float]:
    tp = sys_pairs = gold_pairs = 0
    for a, b in combinations(sorted(gold), 2):
        same_gold = gold[a] == gold[b]
        same_sys = system[a] == system[b]
        gold_pairs += same_gold
        sys_pairs += same_sys
        tp += same_gold and same_sys
    p = tp / sys_pairs if sys_pairs else 0.0
    r = tp / gold_pairs if gold_pairs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    docs = load_documents(gold["documents"])
    items = gold_items(gold, docs)
    print(f"{len(docs)} documents, {len(gold['entities'])} entities, {len(items)} items")
    print(f"{'setting':<34} {'found':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for setting, use_model, resolve in [
        ("surface string (no resolution)", True, None),
        ("rules+gazetteer, resolved", False, True),
        ("rules+gazetteer+CRF, per article", True, False),
        ("rules+gazetteer+CRF, resolved", True, True),
    ]:
        tagged = [
            dataclasses.replace(a, mentions=extract_mentions(a, use_model=use_model))
            for a in docs.values()
        ]
        if resolve:
            tagged = resolve_entities(tagged)
        articles = dict(zip(docs, tagged, strict=True))
        system = system_clusters(items, articles)
        if resolve is None:
            system = {k: (v if v.startswith("<missing") else k[1]) for k, v in system.items()}
        found = sum(not v.startswith("<missing") for v in system.values())
        p, r, f = pairwise(items, system)
        print(f"{setting:<34} {found:>6} {p:>6.3f} {r:>6.3f} {f:>6.3f}")
    junk_check(list(docs.values()))
    if "-v" in sys.argv:
        for key in sorted(items):
            if system[key] != items[key]:
                print(f"  {key[0]:<22} {key[1]!r:<34} gold={items[key]!r} system={system[key]!r}")


# Issue 19's junk, seen on a real news week and in the seeds: none may be an entity.
JUNK_NAMES = {"Kita", "Kota", "Nanti", "Nantes", "Undang-Undang", "Hak Asasi Manusia", "Forum Belt"}


def junk_check(documents: list[Article]) -> None:
    """Entities of the documents that are issue 19's junk: the names above, mojibake, a
    "Soviet" apart from the Soviet Union, and news agencies among the seed story's subjects."""
    tagged = resolve_entities(
        dataclasses.replace(a, mentions=extract_mentions(a)) for a in documents
    )
    names = {m.canonical for a in tagged for m in a.mentions}
    junk = sorted(n for n in names if n in JUNK_NAMES or "Ä" in n or n == "Soviet")
    seeds = [a for a in tagged if a.source.startswith(str(SEEDS))]
    _articles, stories = Corpus().group(seeds) if seeds else ([], [])
    agencies = sorted(
        {s.name for story in stories for s in story.subjects if is_wire_agency(s.name)}
    )
    print(f"junk entities (issue 19 list, mojibake, 'Soviet' apart): {junk or 'none'}")
    print(f"news agencies among the seed story's subjects: {agencies or 'none'}")


if __name__ == "__main__":
    main()
