"""Story records a person can read, checked on the newsweek corpus (issues #22 and #21).

Groups the whole corpus as ``kabar ingest`` does (:class:`kabar.corpus.Corpus`), builds every
story record, and checks what a reader sees:

* **titles and summaries**: none a date fragment ("Senin (16/09/2019)."), shorter than five
  words, a clipped lede ("…"), a caption or photo credit, a byline, dateline debris (", -",
  "Liputan6.com, Jakarta -") or words a scrape ran together where the case shows it
  ("dariBank"). A word is any word or number outside a date or time expression: "Bank
  Terkenal Ini PHK 3.500 Karyawan" has six, "Hari Ini, Rabu 18 Juni 2025" none. A story of
  two or more articles that are not copies of one another with fewer than two summary
  sentences is counted. A one-article story's summary is its own sentences (its lede
  first); when none is a statement (questions, a list, a scrape that broke its sentences)
  it is left empty rather than show a fragment: those stories are printed apart, not
  counted, and so are summary sentences with joins no case shows ("Indonesialolos"), found
  with the corpus as a dictionary (the scrape's; kabar parts only what the case shows);
* **timeline dates**: every dated source sentence of every entry (main timeline and
  background), its date expression checked for numbers that are not dates (a name's
  edition "Piala Dunia 2026", a law number "UU Nomor 1 Tahun 1946", a licence plate, a
  price, a clock time or a score read as a year), and main-timeline entries that end more
  than a year before their story's first article (background in the main timeline).

The checks are written here, apart from the code that chooses titles and summaries, so a
regression there shows. Prints the ten largest stories (title, summary) and the counts, with
examples. The corpus has no licence: it is not in the repository (``scripts/newsweek.py``
rebuilds it); its processed articles are cached next to it (see ``eval/stories.py``).

    .venv/bin/python eval/records.py [--set newsweek|t17|seeds|all] [--corpus PATH] [--largest 10]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from stories import NEWSWEEK, load_newsweek, load_t17  # noqa: E402

from kabar.corpus import Corpus  # noqa: E402
from kabar.model import Article, RawArticle, Story, TimelineEntry  # noqa: E402

_WEEKDAY = (
    r"senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday"
)
_MONTH = (
    r"januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|"
    r"desember|january|february|march|may|june|july|august|october|december|jan|feb|mar|"
    r"apr|jun|jul|agu|ags|aug|sep|sept|okt|oct|nov|des|dec"
)
_DATES = re.compile(
    rf"\b(?:\d{{1,2}}\s+)?(?:{_MONTH})\b\.?(?:\s+\d{{4}}\b)?"  # 18 Juni 2025, Juni 2025
    r"|\(?\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b\)?"  # (16/09/2019), (19/6)
    r"|\b(?:pukul|jam)\s*\d{1,2}(?:[.:]\d{2})?\b|\b\d{1,2}[.:]\d{2}\b(?!\d)"  # 08.00
    r"|\b(?:tahun|year)\s+\d{4}\b"
    r"|\b(?:hari|pekan|minggu|bulan|tahun|pagi|siang|sore|malam|kali)\s+(?:ini|lalu|depan)\b"
    rf"|\b(?:{_WEEKDAY}|pukul|wib|wita|wit|pagi|siang|sore|malam|dini\s+hari|tanggal|tgl"
    r"|kemarin|besok|lusa|semalam|today|yesterday|tomorrow|tonight)\b",
    re.IGNORECASE,
)
"""Date and time expressions: weekdays, months with their day and year, day/month numbers,
clock times and time zones, parts of the day, and relative days ("hari ini", "pekan lalu").
A number or a word outside them ("PHK 3.500 Karyawan", "Formula E Jakarta 2025", the "ini"
of "Bank Terkenal Ini") is a word of the text."""
_WORD = re.compile(r"[^\W\d_]{2,}|\d+(?:[.,]\d+)*%?")
_DEBRIS = re.compile(r"^\W*[,;)\-]|\s[,;]\s*[-–—]")
# Its own domain pattern, not kabar.text.DOMAIN: the eval scripts stay independent of the code they measure.
_DOMAIN = r"[\w-]+\.(?i:com|co\.id|co|id)\b"
_DATELINE = re.compile(
    rf"^\s*(?:{_DOMAIN}|[A-Z]{{3,}}(?:\s+[A-Z]{{3,}})*\s*(?:,\s*{_DOMAIN}|[–—-](?=\s|[A-Z][a-z])))"
)
"""A dateline: "Liputan6.com, Jakarta -", "JAKARTA, KOMPAS.com -", "JAKARTA -", "JAKARTA- realme";
not a reduplicated word with its first half in capitals ("HITUNG-hitungan", "TEKA-teki",
"IBU-IBU"), a model number ("CLI-125") nor an acronym before a clause ("UAP, yang dulu ...")."""
_GLUED = re.compile(r"\b(?!(?:mac|watch|tv|vision)OS\b)[a-z]{2,}[A-Z]")
"""Words a scrape ran together around a link ("hitunganTimnas", "dariBank", "danBPJS"):
a lower-case word running into a capital ("iPhone", "macOS" are names)."""
_CAPTION = re.compile(
    r"\b(?:Foto|Dok|Istimewa|ANTARA FOTO|Getty Images)\b\s*[:/)]|^(?:Penulis|Editor|Reporter)\s*:",
    re.IGNORECASE,
)


def reader_words(text: str) -> int:
    """Words (numbers included) of a text outside its date and time expressions."""
    return len(_WORD.findall(_DATES.sub(" ", text)))


def title_problem(title: str) -> str | None:
    if title.strip().endswith(("…", "...")):
        return "clipped"
    if reader_words(title) < 5:
        return "short or date fragment"
    return None


def sentence_problem(text: str) -> str | None:
    if reader_words(text) < 5:
        return "short or date fragment"
    if _DEBRIS.search(text):
        return "debris"
    if _DATELINE.search(text):
        return "dateline"
    if _GLUED.search(text):
        return "glued words"
    if _CAPTION.search(text):
        return "caption or byline"
    return None


_YEAR_ONLY = re.compile(r"^(?:1[89]|20)\d\d$")


def date_problem(sentence: str, expression: str, granularity: str) -> str | None:
    """Why the date expression of a timeline source is not a date, if it is not."""
    at = sentence.find(expression)
    before = sentence[max(0, at - 40) : at] if at >= 0 else ""
    after = sentence[at + len(expression) : at + len(expression) + 6] if at >= 0 else ""
    if granularity == "year" and not re.search(
        r"(?:1[89]|20)\d\d|tahun|year|triwulan|kuartal|semester|quarter|half|musim|season"
        r"|abad|centur",
        expression,
        re.I,
    ):
        return "year from a non-year expression"
    if _YEAR_ONLY.match(expression):
        if re.search(r"(?:\b(?:Nomor|No|Nr)\b\.?|#)\s*[\w./-]*\s*(?:Tahun\s*)?$", before, re.I):
            return "law or serial number"
        if re.search(r"\b[A-Z]{1,2}\s$", before) and re.match(r"\s[A-Z]{1,3}\b", after):
            return "licence plate"
        if re.search(r"(?:Rp|US\$|\$|USD)\.?\s*$", before):
            return "price"
        if re.search(r"[.:]\d\d|^\s*(?:WIB|WITA|WIT)\b", after) or re.search(r"pukul\s*$", before):
            return "clock time"
        if re.search(r"\d\s*-\s*$|^\s*-\s*\d", before + "|" + after):
            return "score or range"
        name = re.search(r"(?:^|\s)\(?([\w'’&.+-]*[A-Z][\w'’&.+-]*)\)?\s$", before)
        # a scraper's glued words ("untukPramukatahun 2017") end in a period word: no name
        word = name.group(1).lower() if name else ""
        if word and word not in _PERIOD_WORDS and not word.endswith("tahun"):
            return "a name's edition"
    return None


_PERIOD_WORDS = {
    "pada", "sejak", "hingga", "sampai", "sepanjang", "selama", "awal", "akhir", "tahun",
    "di", "in", "since", "until", "by", "during", "the", "pemilu", "pilpres", "pilkada",
    "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september",
    "oktober", "november", "desember", "january", "february", "march", "may", "june", "july",
    "august", "october", "december", "musim", "periode", "jelang", "menjelang", "pasca",
    "buku", "anggaran", "ajaran", "fiskal", "fiscal", "dari", "ke", "from", "to", "and", "dan",
    "atau", "or", "setelah", "sebelum", "after", "before", "per", "mulai", "antara", "between",
}  # fmt: skip


def _ordinal(value: str) -> int:
    parts = [int(p) for p in value[:10].split("-")]
    return date(
        parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
    ).toordinal()


def _end(entry: TimelineEntry) -> int:
    year = int(entry.date[:4])
    if entry.granularity == "year":
        return date(year, 12, 31).toordinal()
    if entry.granularity == "month":
        month = int(entry.date[5:7])
        return date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
    return _ordinal(entry.date) + (6 if entry.granularity == "week" else 0)


def hidden_joins(texts: list[str], vocabulary: Counter[str]) -> list[str]:
    """Texts with a word the case does not show as run together ("Indonesialolos",
    "daribabak"): a word seen at most twice in the corpus that splits into two words seen
    fifty times each (the corpus is the dictionary; "-nya" endings are words)."""

    def joined(word: str) -> bool:
        if len(word) < 7 or vocabulary[word] > 2 or word.endswith("nya"):
            return False
        return any(
            vocabulary[word[:i]] >= 50 and vocabulary[word[i:]] >= 50
            for i in range(3, len(word) - 2)
        )

    return [t for t in texts if any(joined(w.lower()) for w in _LETTERS.findall(t))]


_LETTERS = re.compile(r"[^\W\d_]+")


def _copy(article: Article | None) -> bool:
    """Whether the article is a copy of another (kabar's deduplication): not a second one."""
    return article is not None and article.duplicate_of is not None


def check(stories: list[Story], articles: dict[str, Article], largest: int) -> int:
    """Print the largest stories and every problem found; the number of problems."""
    ranked = sorted(stories, key=lambda s: (-len(s.article_ids), s.id))
    print(f"## the {largest} largest of {len(stories)} stories\n")
    for rank, story in enumerate(ranked[:largest], 1):
        print(
            f"{rank}. **{story.title}** ({len(story.article_ids)} articles, {len(story.outlets)} outlets)"
        )
        for sentence in story.summary:
            print(f"   - {sentence}")
    problems: dict[str, list[str]] = defaultdict(list)
    empty: list[str] = []
    for story in stories:
        why = title_problem(story.title)
        if why:
            problems[f"title: {why}"].append(story.title)
        for sentence in story.summary:
            why = sentence_problem(sentence)
            if why:
                problems[f"summary: {why}"].append(sentence)
        # A copy (its duplicate) adds no article; a one-article story shows its lede.
        originals = [a for a in story.article_ids if not _copy(articles.get(a))]
        if len(originals) >= 2 and len(story.summary) < 2:
            problems["summary: fewer than 2 sentences"].append(story.title)
        elif not story.summary:  # shown apart: its lede holds no statement (see the docs)
            empty.append(story.title)
    dated: dict[tuple[str, str], tuple[str, str]] = {}
    for article in articles.values():
        for sentence in article.sentences:
            if sentence.date and sentence.date_text:
                dated[(article.id, sentence.text)] = (
                    sentence.date_text,
                    sentence.granularity or "",
                )
    counts: Counter[str] = Counter()
    for story in stories:
        first = _ordinal(story.first_date) if story.first_date else None
        for part, entries in (("main", story.timeline), ("background", story.background)):
            for entry in entries:
                counts[f"{part} entries"] += 1
                if part == "main" and first is not None and _end(entry) < first - 365:
                    problems["timeline: background in the main timeline"].append(entry.summary)
                for source in entry.sources:
                    found = dated.get((source.article_id, source.sentence))
                    if source.inferred or found is None:
                        continue
                    counts[f"{part} dated sources"] += 1
                    why = date_problem(source.sentence, found[0], entry.granularity)
                    if why:
                        problems[f"timeline ({part}): {why}"].append(
                            f"[{found[0]}] {source.sentence}"
                        )
    summaries = sum(len(s.summary) for s in stories)
    print(
        f"\n## checks: {len(stories)} titles, {summaries} summary sentences, "
        + ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
        + "\n"
    )
    print("| problem | count | examples |")
    print("|---|---|---|")
    for name in ("title: clipped", "title: short or date fragment", "summary: short or date fragment",
                 "summary: debris", "summary: dateline", "summary: glued words",
                 "summary: caption or byline", "summary: fewer than 2 sentences", "timeline: background in the main timeline"):  # fmt: skip
        problems.setdefault(name, [])
    for name, found in sorted(problems.items()):
        examples = " / ".join(repr(x[:160]) for x in found[:3])
        print(f"| {name} | {len(found)} | {examples} |")
    vocabulary: Counter[str] = Counter(
        w.lower() for a in articles.values() for x in a.sentences for w in _LETTERS.findall(x.text)
    )
    hidden = hidden_joins([x for story in stories for x in story.summary], vocabulary)
    print(
        f"\nsummary sentences with words run together that no case shows (the scrape's, not"
        f" counted): {len(hidden)} of {summaries} ("
        + " / ".join(repr(x[:80]) for x in hidden[:3])
        + ")"
    )
    examples = " / ".join(repr(x[:80]) for x in empty[:3])
    print(
        f"\none-article stories whose lede holds no readable statement: {len(empty)} ({examples})"
    )
    return sum(len(v) for v in problems.values())


def _seeds() -> list[Article]:
    from kabar.ingest import read_path
    from kabar.pipeline import process

    raws = [r for r in read_path(ROOT / "examples" / "seeds") if isinstance(r, RawArticle)]
    return [process(raw) for raw in raws]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=NEWSWEEK, help="newsweek.jsonl")
    parser.add_argument(
        "--set",
        choices=["newsweek", "t17", "seeds", "all"],
        default="newsweek",
        help="which corpus to check (all: the seeds, t17-dev, then newsweek)",
    )
    parser.add_argument("--largest", type=int, default=10)
    args = parser.parse_args()
    chosen = ["seeds", "t17", "newsweek"] if args.set == "all" else [args.set]
    problems = 0
    for name in chosen:
        start = time.perf_counter()
        if name == "seeds":
            articles = _seeds()
        elif name == "t17":
            articles, _gold = load_t17()
        elif not args.corpus.exists():
            sys.exit(f"no corpus at {args.corpus}: rebuild it with scripts/newsweek.py")
        else:
            articles, _records, _empty = load_newsweek(args.corpus)
        placed, stories = Corpus().group(articles)
        print(
            f"# {name}: {len(placed)} articles grouped and {len(stories)} records built"
            f" in {time.perf_counter() - start:.0f} s\n"
        )
        problems += check(stories, {a.id: a for a in placed}, args.largest)
        print()
    print(f"{problems} problems in all")


if __name__ == "__main__":
    main()
