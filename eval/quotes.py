"""Who said what: speaker attribution F1 and quote span F1 on the quote gold, test apart from dev.

Run from the repo root: ``.venv/bin/python eval/quotes.py`` (``-v`` lists dev's errors by
cause, see ``CAUSES``; their counts are always printed,
``--dev`` reads dev alone: tune with it; ``--hold N`` scores the last N dev documents of
``docs.csv``, the newest labelled, apart from the rest of dev (``held``, taken before any
former part): a mini-validation on documents left unread while tuning; ``--former-test2``,
``--former-test3`` and ``--former-test4`` score the dev documents that were that test part
apart (each read once as a test, then moved to dev: test2 and test3 at stop 30, test4
after it, test5 and test6 at stop 31);
``--split PART``, repeatable, reads the parts named: ``test``, ``dev`` or a fresh test part
labelled on another branch (``test5``, …), read only when asked, once per round, never tuned
on).

Gold: ``eval/gold/quotes/`` (see README.md there): quotes read by hand in real articles of
several Indonesian outlets (the newsweek corpus, the seeds) and English ones (Timeline17 dev
topics), split by article. The gold holds offsets into each document's raw text, never the
text: the newsweek articles are read from the local corpus (``scripts/newsweek.py``), and a
document whose corpus is absent here is skipped and counted.

Each document goes through :func:`kabar.pipeline.process`; a gold span is found in the
cleaned body by its words. A predicted quote matches a gold one when their character spans
overlap by at least half of their union (one-to-one, best overlap first).

- quote span F1: matched quotes over predicted (precision) and over gold (recall);
- speaker attribution F1: a matched quote whose speaker is the gold one counts; precision is
  over predicted quotes that name a speaker, recall over gold quotes with a named speaker
  (a gold quote by an unnamed speaker, "seorang warga", has none: naming one is a false
  positive). Speakers are the same when one name's words contain the other's ("Putin" in
  "Vladimir Putin"), comparing the gold name with the predicted canonical name and the
  spellings the article uses for it ("Rusia" for "Russia").
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from quotes_docs import load, locate  # noqa: E402

from kabar.model import Article, Quote  # noqa: E402
from kabar.pipeline import process  # noqa: E402

GOLD = ROOT / "eval" / "gold" / "quotes"
MIN_OVERLAP = 0.5
DEFAULT_PARTS = ("test", "dev")
"""The parts read when none is named; any other part of ``docs.csv`` (a fresh test part such
as ``test5``) is read only when named. test2 (read once at stop 29), test3 (stop 30) and test4
(after stop 30) became dev."""
FORMER_TEST2 = frozenset(
    "nw-016c03c631e9 nw-11db4f7e98c6 nw-1c63414ddb43 nw-2882d269a41d nw-2a2afb14888a"
    " nw-337447868045 nw-5e200c1066aa nw-85245275e004 nw-8a271ed2958d nw-92e340e5b974"
    " nw-93c948555c17 nw-b612409a5648 nw-c6bbab19e64b nw-d75a8ee612ce nw-e237d5d6c68f"
    " nw-e8d77c76f9f1 nw-f8ec0efa5bc4 nw-f929bd16b6d5 nw-fbd5d86210f7".split()
)
"""The dev documents that were the test2 part (``--former-test2`` scores them apart)."""
FORMER_TEST3 = frozenset(
    "nw-0808153f2554 nw-2157e6c15788 nw-3013803d3561 nw-315215de86f0 nw-32bf6592de43"
    " nw-3914c937b9e8 nw-4ab1422311f7 nw-4b03c4b309fc nw-5a3ea3cf9a0b nw-5b54c69b7d19"
    " nw-5c3852497c72 nw-61bc70189671 nw-6e4c6409f9bc nw-9cc029961e00 nw-a0a072f0cca6"
    " nw-a0a0b8be4b3b nw-ad5c45b224ca nw-b14955b647bb nw-bae7e72cbb9c nw-becaa06c40af"
    " nw-cc350246a26e nw-d2aa7ca54efc nw-e0a807995f6d nw-fae4106dd1f5".split()
)
"""The dev documents that were the test3 part (``--former-test3`` scores them apart)."""
FORMER_TEST4 = frozenset(
    "nw-00189e82779a nw-01c2b52c71a9 nw-041074cb896f nw-0659df89cee4 nw-0e0d8cbd0086"
    " nw-1c092f7996cc nw-27517a134215 nw-499ffb9f0dd2 nw-4cf4508df9d8 nw-4fb36f2043d4"
    " nw-545b8ea288e2 nw-69a8940b5013 nw-8601924c334c nw-9dd10c58a27d nw-a0d7f76a4715"
    " nw-a2e517a844c1 nw-a894bbc000d2 nw-ab619b7e59c1 nw-b1c1f02b82d8 nw-b5a0a55c2029"
    " nw-c578df95d5b7 nw-c8d4dcea0737 nw-ec248b595c44 nw-ed31abd09f68".split()
)
"""The dev documents that were the test4 part (``--former-test4`` scores them apart)."""
FORMER_TEST5 = frozenset(
    "nw-0d84f8ca6d7b nw-3a857b0708cb nw-52440a16b86e nw-534f02afec3d nw-59ab32ecc591"
    " nw-66813e2fc90f nw-7e43982d2009 nw-81a4292a64ee nw-84d24e8e9e21 nw-86d14bccf317"
    " nw-8e17feae1d23 nw-9a254d3da3c6 nw-a4ecd644d3f7 nw-a5e0d4a909b0 nw-a6363350015c"
    " nw-c0634244dff4 nw-dbac8a789d8f nw-de4d284df5a2 nw-e34623b7cfc1 nw-e7d968efda48"
    " nw-e7eb221207a8 nw-f51d6168a317 nw-f5572caf42d9 nw-fe1f9ac6b592".split()
)
"""The dev documents that were the test5 part (``--former-test5`` scores them apart)."""
FORMER_TEST6 = frozenset(
    "nw-0094df6ec23c nw-164f7e8c9c1a nw-1bc2df2de286 nw-382d918272ad nw-50a0b4c02eb5"
    " nw-5a2732cde6d7 nw-846d09980b4d nw-8667cf5bf688 nw-8cc8ec3727dc nw-91c7430912af"
    " nw-93f786ae651c nw-95c6151549ed nw-96d278e9dd4c nw-9b9610d48f7a nw-a768cf6ef71d"
    " nw-ac422a06f563 nw-ae2e9c4c5f9a nw-b3c93c667b5b nw-c8864c9ce457 nw-cfd354d0968e"
    " nw-d2d55561a7ac nw-db0863c398cd nw-e7dcca320af3 nw-e86417a4f66f".split()
)
"""The dev documents that were the test6 part (``--former-test6`` scores them apart)."""
FORMER = {
    "ftest2": FORMER_TEST2,
    "ftest3": FORMER_TEST3,
    "ftest4": FORMER_TEST4,
    "ftest5": FORMER_TEST5,
    "ftest6": FORMER_TEST6,
}
"""Row name → the dev documents of a former test part, each scored as a group of its own."""
CAUSES = {
    "speaker wrong": "quote found, another speaker named (speaker P and R)",
    "speaker none": "quote found, its named speaker not given (speaker R)",
    "speaker extra": "quote found, a speaker named where the gold has none (speaker P)",
    "missed named": "quote of a named speaker not found (speaker R, span R)",
    "missed unnamed": "quote of an unnamed speaker not found (span R)",
    "spurious named": "not a gold quote, given a speaker (speaker P, span P)",
    "spurious unnamed": "not a gold quote, no speaker (span P)",
}
"""Why a dev quote counts against the scores (``-v`` lists them by cause)."""
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Tally:
    pred: int = 0
    gold: int = 0
    matched: int = 0
    pred_named: int = 0
    gold_named: int = 0
    speaker_ok: int = 0
    docs: int = 0
    skipped: int = 0
    lost: int = 0
    """Gold quotes whose words the cleaned body no longer holds (counted as misses)."""
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(cause, line): see CAUSES."""

    def add(self, other: Tally) -> None:
        for name in ("pred", "gold", "matched", "pred_named", "gold_named", "speaker_ok",
                     "docs", "skipped", "lost"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors


def f1(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def same_speaker(quote: Quote, gold: str, article: Article) -> bool:
    if not quote.speaker or not gold:
        return False
    names = {quote.speaker} | {m.text for m in article.mentions if m.canonical == quote.speaker}
    target = _words(gold)
    for name in names:
        words = _words(name)
        if words and (words <= target or target <= words):
            return True
    return False


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if inter > 0 and union > 0 else 0.0


def pair_up(predicted: list[tuple[int, int]], gold: list[tuple[int, int] | None]) -> dict[int, int]:
    """Gold index → predicted index, one to one, the most overlapping pairs first, each
    over :data:`MIN_OVERLAP` (a gold span not found in the body is None: never paired)."""
    pairs = sorted(
        (
            (overlap(p, g), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
            if g is not None
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: dict[int, int] = {}
    for score, i, j in pairs:
        if score < MIN_OVERLAP:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g[j] = i
    return used_g


def score_doc(article: Article, raw_text: str, rows: list[dict[str, str]]) -> Tally:
    tally = Tally(docs=1)
    golds: list[tuple[tuple[int, int] | None, dict[str, str]]] = []
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        span = locate(article.body, raw_text[start:end], start / max(1, len(raw_text)))
        golds.append((span, row))
        tally.lost += span is None
    preds = article.quotes
    used_g = pair_up([(q.start, q.end) for q in preds], [span for span, _row in golds])
    used_p = set(used_g.values())
    tally.pred = len(preds)
    tally.gold = len(golds)
    tally.matched = len(used_g)
    tally.pred_named = sum(1 for q in preds if q.speaker)
    tally.gold_named = sum(1 for _s, row in golds if row["speaker"])
    for j, (_span, row) in enumerate(golds):
        i = used_g.get(j)
        if i is not None and same_speaker(preds[i], row["speaker"], article):
            tally.speaker_ok += 1
            continue
        if i is None:
            cause = "missed named" if row["speaker"] else "missed unnamed"
        elif not row["speaker"]:
            if not preds[i].speaker:
                continue
            cause = "speaker extra"
        else:
            cause = "speaker wrong" if preds[i].speaker else "speaker none"
        got = f"{preds[i].speaker!r} ({preds[i].cue})" if i is not None else "missed"
        text = raw_text[int(row["start"]) : int(row["end"])][:70]
        tally.errors.append((cause, f"  {row['doc']}: gold {row['speaker']!r} got {got}: {text!r}"))
    for i, q in enumerate(preds):
        if i not in used_p:
            text = article.body[q.start : q.end][:70]
            cause = "spurious named" if q.speaker else "spurious unnamed"
            tally.errors.append(
                (cause, f"  {article.source}: spurious {q.speaker!r} ({q.cue}): {text!r}")
            )
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list dev's errors by cause")
    parser.add_argument("--dev", action="store_true", help="read and print dev alone (tune on it)")
    parser.add_argument("--hold", type=int, default=0, metavar="N",
                        help="score the last N dev documents of docs.csv apart ('held')")  # fmt: skip
    for n in (2, 3, 4, 5, 6):
        parser.add_argument(f"--former-test{n}", action="store_true",
                            help=f"score the dev documents that were test{n} apart ('ftest{n}')")  # fmt: skip
    parser.add_argument("--split", action="append", metavar="PART",
                        help="read this part (repeatable; default test and dev; a fresh test "
                        "part such as test5 only when named: read it once per round)")  # fmt: skip
    args = parser.parse_args()
    verbose = args.verbose
    docs = list(csv.DictReader((GOLD / "docs.csv").open(encoding="utf-8")))
    known = set(DEFAULT_PARTS) | {d["split"] for d in docs}
    for part in args.split or ():
        if part not in known:
            parser.error(f"--split {part}: not a part of docs.csv ({', '.join(sorted(known))})")
    splits: tuple[str, ...] = (
        ("dev",) if args.dev else tuple(dict.fromkeys(args.split or DEFAULT_PARTS))
    )
    dev_docs = [d for d in docs if d["split"] == "dev"]
    group_of: dict[tuple[str, str], str] = {}
    for name, members in FORMER.items():
        if getattr(args, "former_test" + name[-1]):
            group_of |= {(d["source"], d["doc"]): name for d in dev_docs if d["doc"] in members}
    if args.hold:
        group_of |= {(d["source"], d["doc"]): "held" for d in dev_docs[-args.hold :]}
    groups = tuple(dict.fromkeys(group_of.values()))
    splits += tuple(g for g in ("held", *FORMER) if g in groups)
    by_doc: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in csv.DictReader((GOLD / "quotes.csv").open(encoding="utf-8")):
        by_doc[(row["source"], row["doc"])].append(row)
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    elapsed: list[float] = []
    for doc in docs:
        key = (doc["source"], doc["doc"])
        if doc["split"] not in splits:
            continue
        split = group_of.get(key, doc["split"])
        group = ("en" if doc["source"] == "t17" else "id", split)
        raw = load(*key)
        if raw is None:
            tallies[group].skipped += 1
            continue
        article = process(raw)
        started = time.perf_counter()
        from kabar.quotes import extract_quotes

        extract_quotes(article)
        elapsed.append(time.perf_counter() - started)
        tallies[group].add(score_doc(article, raw.text, by_doc[key]))
    print("quotes: speaker attribution and span F1 (P / R / F1); tuned on dev only\n")
    print(f"{'split':6} {'lang':4} {'docs':>4} {'gold':>5} {'pred':>5}  "
          f"{'speaker P/R/F1':>20}  {'span P/R/F1':>20}  lost skipped")  # fmt: skip
    for split in splits:
        total = Tally()
        for lang in ("id", "en"):
            t = tallies.get((lang, split), Tally())
            total.add(t)
            if t.docs or t.skipped:
                _row(split, lang, t)
        _row(split, "all", total)
    if elapsed:
        print(f"\nextract_quotes: {1000 * sum(elapsed) / len(elapsed):.2f} ms/article "
              f"(mean over {len(elapsed)} gold articles; bench/quotes.py times the corpus)")  # fmt: skip
    for split in ("dev", *groups):
        errors = [e for lang in ("id", "en") for e in tallies.get((lang, split), Tally()).errors]
        if not errors:
            continue
        counts = {cause: sum(1 for c, _line in errors if c == cause) for cause in CAUSES}
        print(f"\n{split} errors by cause: " + ", ".join(f"{c} {n}" for c, n in counts.items()))
        if verbose:
            for cause, why in CAUSES.items():
                print(f"\n{split}: {cause} ({counts[cause]}): {why}")
                for c, line in errors:
                    if c == cause:
                        print(line)


def _row(split: str, lang: str, t: Tally) -> None:
    sp = f1(t.speaker_ok, t.pred_named, t.gold_named)
    sf = f1(t.matched, t.pred, t.gold)
    print(
        f"{split:6} {lang:4} {t.docs:4d} {t.gold:5d} {t.pred:5d}  "
        f"{sp[0]:.3f}/{sp[1]:.3f}/{sp[2]:.3f}   {sf[0]:.3f}/{sf[1]:.3f}/{sf[2]:.3f}  "
        f"{t.lost:4d} {t.skipped:4d}"
    )


if __name__ == "__main__":
    main()
