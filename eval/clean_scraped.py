"""Body sentences and metadata on RAW SCRAPED TEXT (eval/gold/scraped/, issue 18).

The gold is 329 articles of ten outlets from the newsweek corpus (scraper output with its
"Baca Juga", "Advertisement", captions, bylines, related lists, one-line articles), labelled
unit by unit; see eval/gold/scraped/PROTOCOL.md. The corpus has no licence, so only labels
are committed: each unit is named by its index and a hash of its text, and the text is read
from the local corpus (``$KABAR_NEWSWEEK``, default ``../data/newsweek/newsweek.jsonl``).
An article whose units no longer hash the same is skipped and counted.

Scores, test part first (split by article id; kabar is tuned on dev only):
- body: sentence precision/recall/F1. Gold sentences are the ``C`` units (glued boilerplate
  spans cut out, cut lines rejoined) split into sentences. A gold sentence is recalled when
  its normalised text occurs in the normalised output; an output sentence is correct when it
  occurs in the normalised gold text (so a line cut differently is not an error), neutral when
  it is a subheading, a dateline fragment or a repeat the scraper left, and boilerplate else.
  A lead whose dateline (up to five opening words) was cut off counts as recalled; sentences of
  20 characters or more are also compared without spaces (the scraper glues words at links:
  "Liputan6.com, JakartaDemensia", "diTiongkok").
  Beside kabar: trafilatura (each raw line given as a ``<p>`` of a page: it has no plain-text
  mode) and "keep every line" (what the raw text scores without cleaning).
- fields: title (given the scraper's title), outlet (from the text and URL; and from the text
  alone), author, wire credits, dateline, and publication day from the text alone (and with
  the URL); dates after the crawl (20 June 2025) counted apart; false wires and datelines.
- speed: articles per second of kabar's text cleaning and of trafilatura, same run.

Run from the repo root: ``.venv/bin/python eval/clean_scraped.py [-v]``
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold" / "scraped"
sys.path.insert(0, str(ROOT))

from kabar.clean import clean_text  # noqa: E402
from kabar.errors import InputError  # noqa: E402
from kabar.meta import annotate  # noqa: E402
from kabar.model import RawArticle  # noqa: E402
from kabar.pipeline import draft_article  # noqa: E402
from kabar.text import split_sentences  # noqa: E402

CRAWL_END = date(2025, 6, 20)
STRIP = " \t\u200e\u200b\u00a0\ufeff"
FIELDS = (
    "title",
    "outlet",
    "outlet_text",
    "author",
    "wires",
    "dateline",
    "published_text",
    "published_url",
)


def corpus_path() -> Path:
    return Path(
        os.environ.get("KABAR_NEWSWEEK", ROOT.parent / "data" / "newsweek" / "newsweek.jsonl")
    )


def units(text: str) -> list[str]:
    """The non-empty raw lines, stripped: what the labels refer to (as label.py cuts them)."""
    return [s for line in text.split("\n") if (s := line.strip(STRIP))]


def digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def gold_parts(entry: dict[str, object], us: list[str]) -> tuple[list[str], list[str]]:
    """(news paragraphs, neutral texts) of one labelled article."""
    paragraphs: list[str] = []
    neutral: list[str] = []
    for unit in entry["units"]:  # type: ignore[attr-defined]
        index, _hash, label = unit[0], unit[1], unit[2]
        text = us[index]
        if label.startswith("C"):
            for start, end in sorted(unit[3] if len(unit) > 3 else [], reverse=True):
                text = text[:start] + " " + text[end:]
            if label == "C+" and paragraphs:
                paragraphs[-1] += " " + text
            else:
                paragraphs.append(text)
        elif label in ("H", "N", "D"):
            neutral.append(text)
    return paragraphs, neutral


def sentences(lines: list[str]) -> list[str]:
    return [n for line in lines for s in split_sentences(line) if (n := norm(s))]


def score_body(
    predicted: list[str], paragraphs: list[str], neutral: list[str]
) -> tuple[int, int, int, int]:
    """(gold sentences recalled, output sentences correct, boilerplate kept, gold missed)."""
    gold = sentences(paragraphs)
    gold_text = " " + " ".join(norm(p) for p in paragraphs) + " "
    gold_glued = gold_text.replace(" ", "")
    neutral_text = " " + " ".join(norm(n) for n in neutral) + " "
    output = sentences(predicted)
    output_text = " " + " ".join(norm(p) for p in predicted) + " "
    found = sum(_recalled(g, output_text) for g in gold)
    counts = Counter(gold)
    correct = kept = 0
    for s in output:
        if counts.get(s, 0) > 0:
            counts[s] -= 1
            correct += 1
        elif s in counts:  # a further copy of a news sentence: neither right nor wrong
            continue
        elif f" {s} " in gold_text or (len(s) >= 20 and s.replace(" ", "") in gold_glued):
            correct += 1  # spaces aside: the scraper glues words ("JakartaDemensia")
        elif f" {s} " not in neutral_text:
            kept += 1
    return found, correct, kept, len(gold) - found


def _recalled(sentence: str, output_text: str, max_dateline_words: int = 5) -> bool:
    """The sentence is in the output, or is with its opening dateline cut ("liputan6 com
    jakarta piala presiden …" → "piala presiden …"): moving the dateline to metadata keeps
    the news."""
    if f" {sentence} " in output_text:
        return True
    if len(sentence) >= 20 and sentence.replace(" ", "") in output_text.replace(" ", ""):
        return True  # the same words with the scraper's glue undone or kept
    words = sentence.split()
    return any(
        len(words) - k >= 5 and f" {' '.join(words[k:])} " in output_text
        for k in range(1, max_dateline_words + 1)
    )


def prf(found: int, correct: int, kept: int, missed: int) -> tuple[float, float, float]:
    p = correct / (correct + kept) if correct + kept else 0.0
    r = found / (found + missed) if found + missed else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def kabar_body(text: str) -> list[str]:
    return clean_text(text).paragraphs


def trafilatura_body(text: str) -> list[str]:
    import trafilatura

    page = (
        "<html><body><article>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
        + "</article></body></html>"
    )
    out = trafilatura.extract(page, include_comments=False, include_tables=False)
    return [line for line in (out or "").split("\n") if line.strip()]


def all_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def kabar_fields(record: dict[str, str]) -> dict[str, object]:
    """kabar's metadata: as ingested with the scraper's title and URL (not its outlet or
    date), and from the text alone."""
    out: dict[str, object] = {}
    text = record["text"]
    for mode, raw in (
        (
            "url",
            RawArticle(text=text, source="x", title=record["title"] or None, url=record["url"]),
        ),
        ("text", RawArticle(text=text, source="x")),
    ):
        try:
            article, cleaned = draft_article(raw)
            article = annotate(article, raw, cleaned)
        except InputError:
            continue
        day = str(article.published)[:10] if article.published else None
        if mode == "url":
            out.update(title=article.title, outlet=article.outlet, published_url=day)
        else:
            out.update(
                outlet_text=article.outlet,
                author=article.author,
                wires=sorted(article.wire_sources),
                dateline=article.dateline,
                published_text=day,
            )
    return out


def same(field: str, predicted: object, entry: dict[str, object]) -> bool:
    if field == "title":
        return digest(" ".join(str(predicted or "").split())) == entry["title_sha"]
    gold = {
        "outlet": entry["outlet"],
        "outlet_text": entry["outlet"],
        "published_text": str(entry["published"])[:10],
        "published_url": str(entry["published"])[:10],
    }.get(field, entry.get(field))
    if field == "wires":
        return sorted(norm(w) for w in predicted or []) == sorted(norm(w) for w in gold or [])  # type: ignore[attr-defined]
    if not gold or not predicted:
        return not gold and not predicted
    return norm(str(predicted)) == norm(str(gold))


def main() -> None:
    labels = [json.loads(line) for line in (GOLD / "labels.jsonl").read_text().splitlines()]
    wanted = {e["id"] for e in labels}
    records: dict[str, dict[str, str]] = {}
    path = corpus_path()
    if not path.exists():
        print(f"scraped-text gold skipped: no corpus at {path} (see eval/gold/README.md)")
        return
    with path.open() as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in wanted:
                records[record["id"]] = record
    usable: list[tuple[dict[str, object], dict[str, str], list[str]]] = []
    changed = 0
    for entry in labels:
        record = records.get(entry["id"])
        us = units(record["text"]) if record else []
        if (
            not record
            or len(us) != len(entry["units"])
            or any(digest(us[u[0]]) != u[1] for u in entry["units"])
        ):
            changed += 1
            continue
        usable.append((entry, record, us))
    if changed:
        print(f"scraped-text gold: {changed} articles skipped (missing or changed in the corpus)")
    tools: dict[str, Callable[[str], list[str]]] = {
        "kabar": kabar_body,
        "trafilatura": trafilatura_body,
        "all lines": all_lines,
    }
    verbose = "-v" in sys.argv
    for split in ("test", "dev"):
        chosen = [u for u in usable if u[0]["split"] == split]
        outlets = Counter(str(e["outlet"]) for e, _r, _u in chosen)
        bodies = {tool: [0, 0, 0, 0] for tool in tools}
        per_outlet: dict[str, list[int]] = {}
        fields = {f: [0, 0] for f in FIELDS}
        misses: list[str] = []
        late = false_wires = false_datelines = 0
        for entry, record, us in chosen:
            paragraphs, neutral = gold_parts(entry, us)
            for tool, run in tools.items():
                counts = score_body(run(record["text"]), paragraphs, neutral)
                bodies[tool] = [a + b for a, b in zip(bodies[tool], counts, strict=True)]
                if tool == "kabar":
                    row = per_outlet.setdefault(str(entry["outlet"]), [0, 0, 0, 0])
                    per_outlet[str(entry["outlet"])] = [
                        a + b for a, b in zip(row, counts, strict=True)
                    ]
                    if verbose and (counts[2] or counts[3]):
                        misses.append(
                            f"    {entry['id']} body: {counts[2]} boilerplate kept,"
                            f" {counts[3]} news sentences lost"
                        )
            predicted = kabar_fields(record)
            for field in FIELDS:
                if field not in predicted or (field == "title" and not record["title"]):
                    continue
                ok = same(field, predicted[field], entry)
                fields[field][0] += ok
                fields[field][1] += 1
                if not ok and verbose:
                    gold = entry.get(field, entry.get(field.split("_")[0]))
                    misses.append(
                        f"    {entry['id']} {field}: {predicted[field]!r} (gold {gold!r})"
                    )
            for day in (predicted.get("published_text"), predicted.get("published_url")):
                late += bool(day) and date.fromisoformat(str(day)) > CRAWL_END
            gold_wires = {norm(w) for w in entry["wires"]}
            false_wires += len({norm(w) for w in predicted.get("wires") or []} - gold_wires)  # type: ignore[union-attr]
            place = predicted.get("dateline")
            false_datelines += bool(place) and norm(str(place)) != norm(
                str(entry["dateline"] or "")
            )
        print(
            f"\n== {split.upper()} part: {len(chosen)} scraped articles of {len(outlets)} outlets"
            f" ({', '.join(f'{o} {n}' for o, n in sorted(outlets.items()))}) =="
        )
        print(
            f"{'tool':<12} {'P':>6} {'R':>6} {'F1':>6} {'found':>6} {'kept':>5} {'lost':>5}   body sentences"
        )
        for tool, (found, correct, kept, missed) in bodies.items():
            p, r, f = prf(found, correct, kept, missed)
            print(f"{tool:<12} {p:6.3f} {r:6.3f} {f:6.3f} {found:6d} {kept:5d} {missed:5d}")
        print(
            "kabar per outlet: "
            + ", ".join(f"{o} {prf(*c)[2]:.3f}" for o, c in sorted(per_outlet.items()))
        )
        print(f"{'field':<16}{'kabar':>14}")
        for field, (ok, n) in fields.items():
            print(f"{field:<16}{(f'{ok}/{n} {ok / n:.2f}' if n else '—'):>14}")
        print(
            f"kabar dates after the crawl: {late}; false wire credits: {false_wires};"
            f" false datelines: {false_datelines}"
        )
        if misses:
            print("  kabar errors:")
            print("\n".join(misses))
    speed([r["text"] for _e, r, _u in usable])


def speed(texts: list[str], rounds: int = 3) -> None:
    """Articles per second, best of ``rounds`` interleaved passes, one process."""
    runs: dict[str, Callable[[str], object]] = {
        "kabar clean": kabar_body,
        "trafilatura": trafilatura_body,
    }
    best = dict.fromkeys(runs, 0.0)
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.perf_counter()
            for text in texts:
                run(text)
            best[name] = max(best[name], len(texts) / (time.perf_counter() - start))
    print(
        f"\nspeed on {len(texts)} scraped articles (best of {rounds}): "
        + ", ".join(f"{name} {rate:.0f} articles/s" for name, rate in best.items())
    )


if __name__ == "__main__":
    main()
