"""Train the quote speaker ranker (``kabar/quotes/ranker.json``) on the quote gold's dev part.

    .venv/bin/python train/quotes_ranker.py            # cross-validate, print, write the model
    .venv/bin/python train/quotes_ranker.py --dry-run  # cross-validate and print only

For every quote the cue rules find in a dev article, :func:`kabar.quotes.rule_candidates`
gives the candidates its speaker was chosen among (the rule's pick first) with their
features; a candidate is right when it names the gold speaker (``eval/quotes.py``'s
``same_speaker``). A logistic regression (scikit-learn) scores candidates; at run time
another candidate replaces the rule's when its probability is higher by a margin.

Measured honestly: 5-fold cross-validation by document over dev (each article's quotes
scored by a model that never saw it; C and the margin chosen inside the training folds),
and the 19 former test2 articles (``eval/quotes.py`` ``FORMER_TEST2``), which no rule was
written on, scored by a model trained on the other dev articles. Speaker F1 here re-scores
the rules' quotes with the ranker's choices, one quote at a time (a changed speaker also
changes what a later pronoun refers to in the real run: ``eval/quotes.py`` measures that).
The model is kept only if both improve on the rules.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from quotes import FORMER_TEST2, GOLD, pair_up, same_speaker  # noqa: E402
from quotes_docs import load, locate  # noqa: E402

from kabar.model import Article, Quote  # noqa: E402
from kabar.pipeline import process  # noqa: E402
from kabar.quotes import rule_candidates  # noqa: E402
from kabar.quotes.rank import FEATURES, MODEL, Candidate, Ranker  # noqa: E402

C_GRID = (0.1, 0.3, 1.0, 3.0)
MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)


@dataclass
class Item:
    """One rule quote: its candidates, each one's correctness, and its gold speaker."""

    doc: str
    candidates: list[Candidate]
    right: list[bool]
    rule_speaker: str | None
    rule_ok: bool
    gold: str | None
    """The matched gold quote's speaker ("" unnamed), None when no gold quote matched."""


@dataclass
class Doc:
    doc: str
    items: list[Item]
    gold_named: int


def read_dev() -> list[Doc]:
    docs = [
        d for d in csv.DictReader((GOLD / "docs.csv").open(encoding="utf-8")) if d["split"] == "dev"
    ]
    rows: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in csv.DictReader((GOLD / "quotes.csv").open(encoding="utf-8")):
        rows[(row["source"], row["doc"])].append(row)
    out = []
    for d in docs:
        key = (d["source"], d["doc"])
        raw = load(*key)
        if raw is None:
            continue
        article = process(raw)
        pairs = rule_candidates(article)
        gold = _match(article, raw.text, rows[key], [q for q, _c in pairs])
        items = []
        for i, (quote, candidates) in enumerate(pairs):
            g = gold.get(i)
            right = [g is not None and bool(g) and _names(article, quote, c, g) for c in candidates]
            rule_ok = g is not None and same_speaker(quote, g, article)
            items.append(Item(d["doc"], candidates, right, quote.speaker, rule_ok, g))
        out.append(Doc(d["doc"], items, sum(1 for r in rows[key] if r["speaker"])))
    return out


def _names(article: Article, quote: Quote, candidate: Candidate, gold: str) -> bool:
    name = candidate.name or (candidate.mention.canonical if candidate.mention else None)
    if not name:
        return False
    probe = Quote(quote.start, quote.end, quote.kind, quote.cue, speaker=name)
    return same_speaker(probe, gold, article) or (
        candidate.mention is not None
        and same_speaker(
            Quote(
                quote.start, quote.end, quote.kind, quote.cue, speaker=candidate.mention.canonical
            ),
            gold,
            article,
        )
    )


def _match(
    article: Article, raw_text: str, rows: list[dict[str, str]], preds: list[Quote]
) -> dict[int, str]:
    """Predicted quote index → the matched gold quote's speaker (eval/quotes.py's matching)."""
    spans = []
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        spans.append(locate(article.body, raw_text[start:end], start / max(1, len(raw_text))))
    paired = pair_up([(q.start, q.end) for q in preds], spans)
    return {i: rows[j]["speaker"] for j, i in paired.items()}


def matrix(docs: list[Doc]) -> tuple[np.ndarray, np.ndarray]:
    x, y = [], []
    for doc in docs:
        for item in doc.items:
            if item.gold is None or not item.gold or not any(item.right):
                continue  # nothing to learn: no gold speaker, or none among the candidates
            for c, ok in zip(item.candidates, item.right, strict=True):
                x.append([c.features.get(name, 0.0) for name in FEATURES])
                y.append(ok)
    return np.array(x, dtype=float), np.array(y, dtype=int)


def fit(docs: list[Doc], c: float) -> tuple[tuple[float, ...], float]:
    from sklearn.linear_model import LogisticRegression

    x, y = matrix(docs)
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, y)
    return tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0])


def score(docs: list[Doc], ranker: Ranker | None) -> tuple[float, float, float, int]:
    """Speaker P / R / F1 of the rules' quotes with the ranker's choices, and the changes."""
    ok = pred = gold = changed = 0
    for doc in docs:
        gold += doc.gold_named
        for item in doc.items:
            choice = ranker.choose(item.candidates) if ranker is not None else None
            if choice is None or choice.mention is None:
                pred += item.rule_speaker is not None
                ok += item.rule_ok
                continue
            changed += 1
            pred += 1
            ok += item.right[item.candidates.index(choice)]
    p = ok / pred if pred else 0.0
    r = ok / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), changed


def choose_settings(docs: list[Doc], folds: int = 5) -> tuple[float, float]:
    """C and margin by an inner cross-validation over ``docs``."""
    groups = _folds(docs, folds)
    best = (-1.0, C_GRID[0], MARGINS[-1])
    for c in C_GRID:
        models = [fit([d for d in docs if d not in group], c) for group in groups]
        for margin in MARGINS:
            total_ok = total_pred = total_gold = 0
            for group, (weights, bias) in zip(groups, models, strict=True):
                ranker = Ranker(weights, bias, margin)
                total_ok += sum(_ok(d, ranker) for d in group)
                total_pred += _pred(group, ranker)
                total_gold += sum(d.gold_named for d in group)
            f = _f1(total_ok, total_pred, total_gold)
            # ties go to the larger margin (fewer changes to the rules)
            if f > best[0] + 1e-9 or (abs(f - best[0]) <= 1e-9 and margin > best[2]):
                best = (f, c, margin)
    return best[1], best[2]


def _ok(doc: Doc, ranker: Ranker) -> int:
    n = 0
    for item in doc.items:
        choice = ranker.choose(item.candidates)
        if choice is None or choice.mention is None:
            n += item.rule_ok
        else:
            n += item.right[item.candidates.index(choice)]
    return n


def _pred(docs: list[Doc], ranker: Ranker | None) -> int:
    n = 0
    for doc in docs:
        for item in doc.items:
            choice = ranker.choose(item.candidates) if ranker is not None else None
            n += (
                choice is not None and choice.mention is not None
            ) or item.rule_speaker is not None
    return n


def _f1(ok: int, pred: int, gold: int) -> float:
    p = ok / pred if pred else 0.0
    r = ok / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _folds(docs: list[Doc], k: int) -> list[list[Doc]]:
    """Documents dealt to k folds in their order in docs.csv (no shuffling: reproducible)."""
    return [docs[i::k] for i in range(k)]


def cross_validated(docs: list[Doc], k: int = 5) -> tuple[dict[str, Ranker], list[str]]:
    """Each document's ranker, trained (settings chosen inside) on the other folds."""
    per_doc: dict[str, Ranker] = {}
    notes = []
    for i, group in enumerate(_folds(docs, k)):
        train = [d for d in docs if d not in group]
        c, margin = choose_settings(train, k)
        weights, bias = fit(train, c)
        for d in group:
            per_doc[d.doc] = Ranker(weights, bias, margin)
        notes.append(f"fold {i}: C {c}, margin {margin}")
    return per_doc, notes


def score_each(docs: list[Doc], rankers: dict[str, Ranker]) -> tuple[float, float, float, int]:
    ok = pred = gold = changed = 0
    for d in docs:
        r = rankers[d.doc]
        ok += _ok(d, r)
        pred += _pred([d], r)
        gold += d.gold_named
        changed += score([d], r)[3]
    p = ok / pred if pred else 0.0
    rec = ok / gold if gold else 0.0
    return p, rec, _f1(ok, pred, gold), changed


RULE_FEATURES = frozenset(f for f in FEATURES if f.startswith("rule"))


def _without_rule(docs: list[Doc]) -> list[Doc]:
    """The same candidates without the features that say which one the rules picked."""
    out = []
    for d in docs:
        items = []
        for item in d.items:
            candidates = [
                Candidate(
                    c.mention,
                    c.name,
                    {k: v for k, v in c.features.items() if k not in RULE_FEATURES},
                )
                for c in item.candidates
            ]
            items.append(dataclasses.replace(item, candidates=candidates))
        out.append(dataclasses.replace(d, items=items))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dry-run", action="store_true", help="do not write the model")
    parser.add_argument("--force", action="store_true", help="write it even if it does not help")
    args = parser.parse_args()
    docs = read_dev()
    held = [d for d in docs if d.doc in FORMER_TEST2]
    rest = [d for d in docs if d.doc not in FORMER_TEST2]
    print(f"dev: {len(docs)} articles, {sum(len(d.items) for d in docs)} rule quotes, "
          f"{matrix(docs)[0].shape[0]} candidate rows")  # fmt: skip

    def line(name: str, figures: tuple[float, float, float, int]) -> None:
        p, r, f, n = figures
        print(f"  {name:34} speaker P {p:.3f} R {r:.3f} F1 {f:.3f}  ({n} speakers changed)")

    print("\n5-fold cross-validation by document over dev (rules vs rules + ranker):")
    rankers, notes = cross_validated(docs)
    line("rules, all dev", score(docs, None))
    line("ranker (CV), all dev", score_each(docs, rankers))
    line("rules, former test2", score(held, None))
    line("ranker (CV), former test2", score_each(held, rankers))
    line("rules, rest of dev", score(rest, None))
    line("ranker (CV), rest of dev", score_each(rest, rankers))
    for note in notes:
        print("  " + note)
    print("\nthe ranker alone (no rule features, always its best candidate), 5-fold CV:")
    alone = _without_rule(docs)
    per_doc = {}
    for group in _folds(alone, 5):
        weights, bias = fit([d for d in alone if d not in group], 1.0)
        for d in group:
            per_doc[d.doc] = Ranker(weights, bias, -1.0)
    line("ranker alone (CV), all dev", score_each(alone, per_doc))
    line("ranker alone (CV), former test2", score_each(_without_rule(held), per_doc))
    print("\nformer test2, ranker trained on the rest of dev:")
    c, margin = choose_settings(rest)
    weights, bias = fit(rest, c)
    held_rules = score(held, None)
    held_ranker = score(held, Ranker(weights, bias, margin))
    line("rules", held_rules)
    line(f"ranker (C {c}, margin {margin})", held_ranker)
    cv_rules, cv_ranker = score(docs, None), score_each(docs, rankers)
    better = cv_ranker[2] > cv_rules[2] and held_ranker[2] > held_rules[2]
    c, margin = choose_settings(docs)
    weights, bias = fit(docs, c)
    print(f"\nall dev: C {c}, margin {margin}; weights:")
    for name, w in sorted(zip(FEATURES, weights, strict=True), key=lambda p: -abs(p[1])):
        print(f"  {name:28} {w:+.3f}")
    if args.dry_run:
        return
    if not better and not args.force:
        print(f"\nnot kept: the ranker does not improve both signals; {MODEL.name} removed")
        MODEL.unlink(missing_ok=True)
        return
    MODEL.write_text(
        json.dumps(
            {
                "features": list(FEATURES),
                "weights": [round(w, 5) for w in weights],
                "bias": round(bias, 5),
                "margin": margin,
                "C": c,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwrote {MODEL.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
