"""Train a quote speaker ranker on the quote gold's dev part, and say whether it beats the rules.

    .venv/bin/python train/quotes_ranker.py

For every quote the cue rules of :mod:`kabar.quotes` find in a dev article,
:func:`rule_candidates` gives the candidates its speaker was chosen among (the rule's pick
first) with their features; a candidate is right when it names the gold speaker
(``eval/quotes.py``'s ``same_speaker``). A logistic regression (scikit-learn) scores
candidates; another candidate would replace the rule's when its probability is higher by
a margin.

Measured honestly: 5-fold cross-validation by document over dev (each article's quotes
scored by a model that never saw it; C and the margin chosen inside the training folds),
and the 19 former test2 articles (``eval/quotes.py`` ``FORMER_TEST2``), which no rule was
written on, scored by a model trained on the other dev articles. Speaker F1 here re-scores
the rules' quotes with the ranker's choices, one quote at a time (a changed speaker also
changes what a later pronoun refers to in the real run: ``eval/quotes.py`` measures that).
It has never improved both, so nothing ships and kabar runs the rules alone: the run-time
hook that read a shipped model (``kabar/quotes/rank.py``) was removed as dead code; bring it
back from git history if this script ever prints "beats the rules".
"""

from __future__ import annotations

import csv
import dataclasses
import math
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from quotes import FORMER_TEST2, GOLD, pair_up, same_speaker  # noqa: E402
from quotes_docs import load, locate  # noqa: E402

from kabar.model import Article, Mention, Quote  # noqa: E402
from kabar.pipeline import process  # noqa: E402
from kabar.quotes import (  # noqa: E402
    _POSSESSIVE,
    _PRONOUN,
    _WORD,
    DESCRIBED_CHARS,
    _Finder,
    _role_word,
    _Speaker,
    _title_word,
    _titular,
)

FEATURES = (
    "rule",
    "rule_named",
    "rule_back",
    "rule_role",
    "rule_described",
    "per",
    "org",
    "loc",
    "titular",
    "before",
    "after",
    "inside",
    "distance",
    "same_paragraph",
    "previous_paragraph",
    "last_speaker",
    "count",
    "subject",
    "quoted",
    "possessive",
    "first_person",
    "role_match",
    "named_by_rule_text",
    "nearest_person_before",
    "nearest_person_after",
    "direct_after",
    "reported_before",
    "back_last_speaker",
    "back_nearest_person_before",
    "role_rule_person",
)
"""The features of a candidate (the keys of :attr:`Candidate.features`)."""


@dataclass
class Candidate:
    """A possible speaker of one quote: a mention (the one nearest the quote), or the
    rule's own name when the rule named someone the tagger did not mark."""

    mention: Mention | None
    name: str | None
    features: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Ranker:
    weights: tuple[float, ...]
    bias: float
    margin: float
    """How much more probable than the rule's pick another candidate must be."""

    def probability(self, candidate: Candidate) -> float:
        z = self.bias + sum(
            w * candidate.features.get(name, 0.0)
            for w, name in zip(self.weights, FEATURES, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def choose(self, candidates: list[Candidate]) -> Candidate | None:
        """The candidate to use instead of the rule's (``candidates[0]``), or None."""
        if len(candidates) < 2:
            return None
        scores = [self.probability(c) for c in candidates]
        best = max(range(len(candidates)), key=scores.__getitem__)
        if best != 0 and scores[best] - scores[0] > self.margin:
            return candidates[best]
        return None


class _Tracing(_Finder):
    """The cue rules' finder, recording each quote's candidates before the rule's speaker
    is added (the rules' choices unchanged)."""

    def __init__(self, article: Article) -> None:
        super().__init__(article)
        self.trace: list[tuple[tuple[int, int], list[Candidate]]] = []
        self.first_person: str | None = None

    def add(self, start: int, end: int, speaker: _Speaker, cue: str, kind: str) -> None:
        self.trace.append(((start, end), self.candidates(start, end, speaker, kind)))
        super().add(start, end, speaker, cue, kind)

    def candidates(self, start: int, end: int, speaker: _Speaker, kind: str) -> list[Candidate]:
        """The rule's speaker, then every other entity named from the previous paragraph
        to the end of the quote's line (at its mention nearest the quote) and the previous
        speaker, with the features :class:`Ranker` scores."""
        p_start = self.paragraph[0]
        low = max(self.previous if self.previous is not None else p_start, start - 1500)
        line_end = self.body.find("\n", end)
        high = min(len(self.body) if line_end < 0 else line_end, end + 300)
        rule = speaker.mention
        if rule is not None:
            rule = self.same_entity(rule)
        nearest: dict[str, Mention] = {}
        for m in self.mentions_in(low, high):
            if m.label not in ("PER", "ORG", "LOC", "GPE", "NORP"):
                continue
            key = m.canonical
            old = nearest.get(key)
            if old is None or _distance(m, start, end) < _distance(old, start, end):
                nearest[key] = m
        last = self.last.mention if self.last is not None else None
        if self.first_person is None:
            self.first_person = next((m.canonical for m in self.mentions if m.label == "PER"), "")
        text = speaker.text.strip().lower()
        text_words = {w for w in _WORD.findall(text) if len(w) > 2} - {"the", "sang", "para"}
        holders: list[Mention] = []
        if text_words and (rule is None or rule.text.lower() not in text):
            # "kata Mensos": the persons given that role before, wherever they are
            for m in self.mentions_in(max(0, start - DESCRIBED_CHARS), start):
                if m.label == "PER" and text_words & self.context_words(m):
                    holders.append(m)
        first = next((m for m in self.mentions if m.canonical == self.first_person), None)
        for extra in (rule, last, first, *holders[-3:]):
            if extra is not None and extra.canonical not in nearest:
                nearest[extra.canonical] = extra
        if not text or _PRONOUN.match(text):
            how = "rule_back"
        elif rule is not None and rule.text.lower() in text:
            how = "rule_named"
        elif _role_word(text) or _title_word(text.split(" ", 1)[0]):
            how = "rule_role"
        else:
            how = "rule_described"
        persons_before = [
            m for m in nearest.values() if m.label == "PER" and m.end <= start and m.start >= low
        ]
        persons_after = [m for m in nearest.values() if m.label == "PER" and m.start >= end]
        before_best = max(persons_before, key=lambda m: m.end, default=None)
        after_best = min(persons_after, key=lambda m: m.start, default=None)
        out: list[Candidate] = []
        rule_key = rule.canonical if rule is not None else None
        if rule is None:
            out.append(Candidate(None, speaker.name, {"rule": 1.0, how: 1.0}))
        for key, m in nearest.items():
            is_rule = key == rule_key
            distance = _distance(m, start, end)
            before = m.end <= start
            after = m.start >= end
            role_words = self.context_words(m)
            f = {
                "rule": float(is_rule),
                "per": float(m.label == "PER"),
                "org": float(m.label == "ORG"),
                "loc": float(m.label not in ("PER", "ORG")),
                "titular": float(m.label == "PER" and _titular(m)),
                "before": float(before),
                "after": float(after),
                "inside": float(not before and not after),
                "distance": math.log1p(distance) / 8,
                "same_paragraph": float(m.start >= p_start),
                "previous_paragraph": float(m.start < p_start),
                "last_speaker": float(last is not None and last.canonical == key),
                "count": math.log1p(self.count(key)) / 3,
                "subject": float(self.subject(m)),
                "quoted": float(
                    self.quoted(m.start) or (start <= m.start < end and kind == "direct")
                ),
                "possessive": float(bool(_POSSESSIVE.match(self.body, m.end))),
                "first_person": float(key == self.first_person),
                "role_match": float(bool(text_words & role_words) and how != "rule_named"),
                "named_by_rule_text": float(
                    bool(text) and m.text.lower() in text and how != "rule_back"
                ),
                "nearest_person_before": float(m is before_best),
                "nearest_person_after": float(m is after_best),
                "direct_after": float(kind == "direct" and after),
                "reported_before": float(kind == "reported" and before),
            }
            if is_rule:
                f[how] = 1.0
            if how == "rule_back":
                f["back_last_speaker"] = f["last_speaker"]
                f["back_nearest_person_before"] = f["nearest_person_before"]
            if how == "rule_role":
                f["role_rule_person"] = f["per"] * f["role_match"]
            candidate = Candidate(m, self.speaker_name(self.same_entity(m)), f)
            if is_rule:
                out.insert(0, candidate)
            else:
                out.append(candidate)
        return out


def _distance(mention: Mention, start: int, end: int) -> int:
    """Characters between a mention and a quote's span (0 inside it)."""
    if mention.end <= start:
        return start - mention.end
    if mention.start >= end:
        return mention.start - end
    return 0


def rule_candidates(article: Article) -> list[tuple[Quote, list[Candidate]]]:
    """Every quote the rules find with the candidates its speaker was chosen among (the
    rule's pick first)."""
    finder = _Tracing(article)
    quotes = finder.run()
    by_span = {(q.start, q.end): q for q in quotes}
    return [(by_span[key], found) for key, found in finder.trace if key in by_span]


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
    if better:
        print("\nthe ranker beats the rules on both signals: bring back its run-time hook")
    else:
        print("\nthe ranker does not improve both signals: the rules decide")


if __name__ == "__main__":
    main()
