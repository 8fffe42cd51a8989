"""Near-duplicate detection on a stress set built from real articles (gold by construction).

Articles: Timeline17 dev (Tran et al., 2013; ../shared/data/t17-dev/), one pool in
publication order. 70 % of the distinct articles are indexed as originals; each gets edited
copies, as syndication produces them:

* ``headline``  — re-published with a new headline line;
* ``trimmed``   — the last 10–30 % of its sentences cut;
* ``reordered`` — two paragraphs moved;
* ``added``     — a sentence (from another article) inserted;
* ``combined``  — new headline + trimmed 10–20 % + a sentence added + one paragraph moved.

Negatives are the other 30 %: different articles of the same stories (same topics, same
weeks), never indexed; a negative that truly shares over half of its shingles with an
indexed article (an exact set computation, not the index) is a real copy in the data and is
left out. Precision = correct answers / all matches returned; recall = copies linked to their
own original / copies.

    .venv/bin/python eval/dedup.py
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.dedup import DuplicateIndex  # noqa: E402

T17 = ROOT.parent / "shared" / "data" / "t17-dev"
EDITS = ("headline", "trimmed", "reordered", "added", "combined")


def load() -> list[tuple[str, str, list[str]]]:
    """(date, topic, sentences) of every distinct non-empty article, in publication order."""
    seen: set[str] = set()
    out = []
    for path in sorted(T17.glob("*/articles.jsonl")):
        topic = path.parent.name.split("_")[0]
        for line in path.read_text().splitlines():
            record = json.loads(line)
            sentences = [s.strip() for s in record["text"].split(" \n") if s.strip()]
            key = " ".join(sentences)
            if len(sentences) < 5 or key in seen:
                continue
            seen.add(key)
            out.append((record["time"], topic, sentences))
    out.sort(key=lambda r: (r[0], r[1], r[2][0]))
    return out


def edit(kind: str, sentences: list[str], rng: random.Random, donor: list[str]) -> str:
    s = list(sentences)
    if kind == "headline":
        return "\n".join(["Breaking : " + rng.choice(donor)[:80], *s])
    if kind == "trimmed":
        keep = max(3, round(len(s) * (1 - rng.uniform(0.1, 0.3))))
        return "\n".join(s[:keep])
    if kind == "reordered":
        for _ in range(2):
            i, j = rng.randrange(len(s)), rng.randrange(len(s))
            s.insert(j, s.pop(i))
        return "\n".join(s)
    if kind == "added":
        s.insert(rng.randrange(1, len(s)), rng.choice(donor))
        return "\n".join(s)
    keep = max(3, round(len(s) * (1 - rng.uniform(0.1, 0.2))))
    s = s[:keep]
    s.insert(rng.randrange(1, len(s)), rng.choice(donor))
    i, j = rng.randrange(len(s)), rng.randrange(len(s))
    s.insert(j, s.pop(i))
    return "\n".join(["Update : " + rng.choice(donor)[:80], *s])


def main() -> None:
    if not T17.exists():
        sys.exit(f"Timeline17 dev data not found at {T17}")
    rng = random.Random(17)
    pool = load()
    originals, negatives = [], []
    for item in pool:
        (originals if rng.random() < 0.7 else negatives).append(item)
    index = DuplicateIndex()
    ids: dict[str, int] = {}
    texts = ["\n".join(s) for _d, _t, s in originals]
    start = time.perf_counter()
    natural = 0
    for n, text in enumerate(texts):
        if index.add(f"o{n}", text) is None:
            ids[f"o{n}"] = n
        else:
            natural += 1  # a near copy already in the data: not an original of its own
    add_seconds = time.perf_counter() - start
    indexed = {n for n in ids.values()}

    results: Counter[tuple[str, str]] = Counter()
    queries = 0
    start = time.perf_counter()
    for n, (_date, _topic, sentences) in enumerate(originals):
        if n not in indexed:
            continue
        donor = rng.choice(pool)[2]
        for kind in EDITS:
            found = index.query(edit(kind, sentences, rng, donor))
            queries += 1
            outcome = "hit" if found == f"o{n}" else "miss" if found is None else "wrong"
            results[(kind, outcome)] += 1
    shingles = [set(index.shingle_hashes(t).tolist()) for t in texts]
    kept_negatives = 0
    for _date, _topic, sentences in negatives:
        text = "\n".join(sentences)
        mine = set(index.shingle_hashes(text).tolist())
        if any(len(mine & other) > 0.5 * min(len(mine), len(other)) for other in shingles):
            continue  # truly a copy of an indexed article
        kept_negatives += 1
        queries += 1
        results[("negative", "false match" if index.query(text) else "ok")] += 1
    query_seconds = time.perf_counter() - start

    hits = sum(results[(k, "hit")] for k in EDITS)
    wrong = sum(results[(k, "wrong")] for k in EDITS)
    positives = hits + wrong + sum(results[(k, "miss")] for k in EDITS)
    false = results[("negative", "false match")]
    precision = hits / (hits + wrong + false) if hits + wrong + false else 1.0
    recall = hits / positives
    print(
        f"pool: {len(pool)} distinct t17-dev articles; {len(indexed)} indexed originals"
        f" ({natural} natural near copies set aside), {positives} edited copies,"
        f" {kept_negatives} negatives (same stories, other articles)\n"
    )
    print("| edit | copies | found (own original) | missed | wrong original | recall |")
    print("|---|---|---|---|---|---|")
    for kind in EDITS:
        h, m, w = results[(kind, "hit")], results[(kind, "miss")], results[(kind, "wrong")]
        print(f"| {kind} | {h + m + w} | {h} | {m} | {w} | {h / (h + m + w):.3f} |")
    print(f"| negatives | {kept_negatives} | — | — | {false} false matches | — |")
    print("\n| precision | recall | F1 |\n|---|---|---|")
    print(
        f"| {precision:.4f} | {recall:.4f} | {2 * precision * recall / (precision + recall):.4f} |"
    )
    print(
        f"\nspeed: indexing {len(texts) / add_seconds:,.0f} docs/s; queries (incl. building"
        f" the edited texts and the exact negative check) {queries / query_seconds:,.0f} docs/s"
    )


if __name__ == "__main__":
    main()
