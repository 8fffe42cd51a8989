"""Cleaning and metadata quality on the hand-labelled gold set (eval/gold/clean/).

Prints line-level precision/recall/F1 for content lines — kabar on the text part; kabar,
trafilatura and jusText side by side on the HTML part — and per-field metadata accuracy.

A predicted line counts for a gold line when one contains the other and the shorter is at
least 80 % of the longer, or when their difflib ratio is ≥ 0.9 (after lowercasing and
dropping punctuation), so a dateline cut from a paragraph is not a miss but a caption left
glued to a sentence is. Title (``T``) and subheading (``H``) lines are neutral: neither
counted as content nor as boilerplate.

The real-page set (eval/gold/clean/pages/, scored by eval/clean_pages.py) and the scraped-text
set (eval/gold/scraped/, scored by eval/clean_scraped.py) are reported first.

Run from the repo root: ``.venv/bin/python eval/clean.py``
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold" / "clean"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(GOLD))

from make_html import SITES, read_gold  # noqa: E402

from kabar.clean import clean, clean_text  # noqa: E402
from kabar.model import RawArticle  # noqa: E402
from kabar.pipeline import process  # noqa: E402

FIELDS = ("title", "outlet", "author", "editor", "wires", "dateline", "published", "language")


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def same_line(a: str, b: str) -> bool:
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    if len(short) / len(long_) < 0.8:
        return False
    return short in long_ or SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9


def score_lines(predicted: list[str], gold: list[tuple[str, str]]) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of content lines."""
    content = [norm(t) for lab, t in gold if lab == "C"]
    neutral = [norm(t) for lab, t in gold if lab in ("T", "H")]
    hit = [False] * len(content)
    tp = fp = 0
    for line in predicted:
        p = norm(line)
        if not p:
            continue
        found = next((i for i, g in enumerate(content) if same_line(p, g)), None)
        if found is not None:
            if not hit[found]:
                tp += 1
            hit[found] = True
        elif not any(same_line(p, n) for n in neutral):
            fp += 1
    return tp, fp, hit.count(False)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def trafilatura_lines(page: str) -> list[str]:
    import trafilatura

    text = trafilatura.extract(page, include_comments=False, include_tables=False) or ""
    return [line for line in text.split("\n") if line.strip()]


def justext_lines(page: str, lang: str) -> list[str]:
    import justext

    stoplist = justext.get_stoplist("Indonesian" if lang == "id" else "English")
    return [p.text for p in justext.justext(page.encode(), stoplist) if not p.is_boilerplate]


def kabar_html_lines(page: str) -> list[str]:
    return clean(RawArticle(text="", html=page, source="page.html")).paragraphs


def kabar_meta(raw: RawArticle) -> dict[str, object]:
    article = process(raw)
    stated = article.published if article.published_from in ("metadata", "text") else None
    return {
        "title": article.title,
        "outlet": article.outlet,
        "author": article.author,
        "editor": article.editor,
        "wires": sorted(article.wire_sources),
        "dateline": article.dateline,
        "published": stated,
        "language": article.language,
    }


def trafilatura_meta(page: str) -> dict[str, object]:
    import trafilatura

    doc = trafilatura.bare_extraction(page, with_metadata=True)
    data = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else {}
    return {
        "title": data.get("title"),
        "outlet": data.get("sitename"),
        "author": data.get("author"),
        "published": data.get("date"),
    }


def same_value(field: str, predicted: object, gold: object) -> bool:
    if field == "wires":
        return sorted(predicted or []) == sorted(gold or [])  # type: ignore[type-var]
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return norm(str(predicted)) == norm(str(gold))


class Tally:
    def __init__(self) -> None:
        self.lines = [0, 0, 0]
        self.fields: dict[str, list[int]] = {f: [0, 0] for f in FIELDS}

    def add_lines(self, counts: tuple[int, int, int]) -> None:
        self.lines = [a + b for a, b in zip(self.lines, counts, strict=True)]

    def add_meta(self, predicted: dict[str, object], gold: dict[str, object]) -> None:
        for field in FIELDS:
            if field not in predicted or (field == "title" and gold.get("title") is None):
                continue  # a field this tool does not give / no title in the text to compare
            self.fields[field][0] += same_value(field, predicted[field], gold.get(field))
            self.fields[field][1] += 1


def main() -> None:
    import clean_pages  # the real pages of issue 18 first: test part, then dev
    import clean_scraped  # then the scraped-text gold of issue 18: test part, then dev

    clean_pages.main()
    print()
    clean_scraped.main()
    print()
    docs = {p.name: read_gold(p) for p in sorted((GOLD / "labels").glob("*.tsv"))}
    text = Tally()
    held_out = Tally()  # labelled and committed before kabar was ever run on them
    misses: list[str] = []
    for name, (source, meta, lines) in docs.items():
        raw_text = (ROOT / source).read_text()
        cleaned = clean_text(raw_text)
        counts = score_lines(cleaned.paragraphs, lines)
        tally = held_out if name.startswith("ho_") else text
        tally.add_lines(counts)
        tally.add_meta(kabar_meta(RawArticle(text=raw_text, source=source)), meta)
        if counts[1] or counts[2]:
            misses.append(f"  text {name}: {counts[1]} boilerplate kept, {counts[2]} content lost")

    index = json.loads((GOLD / "html" / "index.json").read_text())
    html: dict[str, Tally] = {"kabar": Tally(), "trafilatura": Tally(), "jusText": Tally()}
    for entry in index:
        _source, meta, lines = docs[entry["gold"]]
        lang = str(meta.get("language", "id"))
        page = (GOLD / "html" / entry["page"]).read_text()
        gold_meta = dict(meta)
        gold_meta["outlet"] = meta.get("outlet") or SITES[lang][0]  # the page declares one
        extractors: dict[str, Callable[[], list[str]]] = {
            "kabar": lambda page=page: kabar_html_lines(page),
            "trafilatura": lambda page=page: trafilatura_lines(page),
            "jusText": lambda page=page, lang=lang: justext_lines(page, lang),
        }
        for tool, run in extractors.items():
            counts = score_lines(run(), lines)
            html[tool].add_lines(counts)
            if tool == "kabar" and (counts[1] or counts[2]):
                misses.append(
                    f"  html {entry['page']}: {counts[1]} boilerplate kept, {counts[2]} content lost"
                )
        html["kabar"].add_meta(
            kabar_meta(RawArticle(text="", html=page, source="p.html")), gold_meta
        )
        html["trafilatura"].add_meta(trafilatura_meta(page), gold_meta)

    n_held = sum(name.startswith("ho_") for name in docs)
    n_text, n_html = len(docs) - n_held, len(index)
    print(
        f"Content lines — gold set eval/gold/clean ({n_text} text articles, {n_html} HTML pages;"
        f" held-out: {n_held} text articles)"
    )
    print(f"{'part':<7} {'tool':<12} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>4} {'FN':>4}")
    both = Tally()
    both.lines = [a + b for a, b in zip(text.lines, html["kabar"].lines, strict=True)]
    rows = [
        ("text", "kabar", text),
        *(("html", tool, t) for tool, t in html.items()),
        ("all", "kabar", both),
        ("heldout", "kabar", held_out),
    ]
    for part, tool, tally in rows:
        p, r, f = prf(*tally.lines)
        tp, fp, fn = tally.lines
        print(f"{part:<7} {tool:<12} {p:6.3f} {r:6.3f} {f:6.3f} {tp:5d} {fp:4d} {fn:4d}")
    print()
    print("Metadata accuracy per field (correct/scored; null gold must be predicted null)")
    header = (
        f"{'field':<10} {'text kabar':>12} {'html kabar':>12} {'html trafilatura':>17}"
        f" {'held-out kabar':>15}"
    )
    print(header)
    for field in FIELDS:
        cells = []
        for tally in (text, html["kabar"], html["trafilatura"], held_out):
            ok, n = tally.fields[field]
            cells.append(f"{ok}/{n} {ok / n:.2f}" if n else "—")
        print(f"{field:<10} {cells[0]:>12} {cells[1]:>12} {cells[2]:>17} {cells[3]:>15}")
    if misses:
        print("\nkabar line errors:")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
