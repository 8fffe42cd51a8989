"""Rebuild the Indonesian development corpus ("newsweek") from its public source.

The source is the GitHub repository gikirima/indonews-scrapper: RSS-driven scrapes of
Indonesian news portals in June 2025, kept as the scraper wrote them (bylines, "Baca Juga",
"Advertisement", captions and all). Two parts of it are read, at pinned commits:

- ``Dataset new/scrapping_news_2025-06-{18,19,20}.csv`` (commit 529bc35): detik, liputan6,
  okezone, tempo, kompas, republika, articles published mostly 11-20 June 2025;
- ``old dataset/berita_*.{csv,xlsx}`` (commit 9cabd3b): detik, kompas, liputan6, tribunnews,
  okezone, sindonews, republika, tempo, kapanlagi, posmetro, mostly 3-10 June 2025.

The repository has no licence, so the corpus is not committed: this script rebuilds it.
Output: one JSON object a line with the fields ``kabar ingest`` reads (id, url, title, text,
published, outlet), in publication order; the id is derived from the URL, so the gold labels
(eval/gold/newsweek/labels.csv) stay valid across rebuilds.

    python scripts/newsweek.py                                   # the default mirror path
    python scripts/newsweek.py --source /path/to/clone --out newsweek.jsonl
    python scripts/newsweek.py --source https://github.com/gikirima/indonews-scrapper
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPOSITORY = "gikirima/indonews-scrapper"
NEW_COMMIT = "529bc35df33166c047f8522d2e37cf74f71c12a2"
OLD_COMMIT = "9cabd3b1116cc49c0e66fa5dcccee9083847a4e6"
NEW_FILES = [f"Dataset new/scrapping_news_2025-06-{day}.csv" for day in ("18", "19", "20")]
OLD_FILES = [
    "old dataset/berita_detik.csv",
    "old dataset/berita_kompas.csv",
    "old dataset/berita_republika.csv",
    "old dataset/berita_kapanlagi.csv",
    "old dataset/berita_Liputan6.xlsx",
    "old dataset/berita_tribun.xlsx",
    "old dataset/berita_okezone.xlsx",
    "old dataset/berita_sindonews.xlsx",
    "old dataset/berita_tempo.xlsx",
    "old dataset/berita_posmetro.xlsx",
]
DEFAULT_SOURCE = Path("/work/.mirror/gikirima+indonews-scrapper/repo")
DEFAULT_OUT = Path("/work/data/newsweek/newsweek.jsonl")
FIRST_DAY, LAST_DAY = "2025-06-03", "2025-06-20"
"""The window kept: RSS pages also list a few old articles (tempo from 2018), dropped."""

OUTLETS = (
    "detik.com",
    "kompas.com",
    "liputan6.com",
    "okezone.com",
    "tempo.co",
    "republika.co.id",
    "tribunnews.com",
    "sindonews.com",
    "kapanlagi.com",
    "posmetro.co.id",
)
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6, "jul": 7,
    "agu": 8, "agt": 8, "ags": 8, "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11,
    "des": 12, "dec": 12,
}  # fmt: skip


def article_id(url: str) -> str:
    """A stable id from the URL without query or fragment: labels survive a rebuild."""
    return "nw-" + hashlib.sha1(canonical_url(url).encode()).hexdigest()[:12]


def canonical_url(url: str) -> str:
    return re.split(r"[?#]", url.strip())[0].rstrip("/")


def outlet_of(url: str) -> str | None:
    host = re.sub(r"^https?://", "", url).split("/")[0].lower()
    return next((o for o in OUTLETS if host == o or host.endswith("." + o)), None)


def parse_published(text: str) -> str | None:
    """The scraped date stamp as ISO 'YYYY-MM-DDTHH:MM' (WIB, +07:00), or None."""
    text = text.replace("\xa0", " ")
    clock = re.search(r"(\d{1,2})[:.](\d{2})\s*WIB", text) or re.search(r"(\d{1,2}):(\d{2})", text)
    found = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if found:
        day, month, year = int(found[1]), int(found[2]), int(found[3])
    else:
        found = re.search(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})", text)
        if not found or found[2].lower() not in MONTHS:
            return None
        day, month, year = int(found[1]), MONTHS[found[2].lower()], int(found[3])
    stamp = f"{year:04d}-{month:02d}-{day:02d}"
    if clock:
        stamp += f"T{int(clock[1]):02d}:{clock[2]}:00+07:00"
    return stamp


def xlsx_rows(data: bytes) -> list[dict[str, str]]:
    """The first sheet of an .xlsx as dicts keyed by the header row (stdlib only)."""
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    book = zipfile.ZipFile(io.BytesIO(data))
    shared: list[str] = []
    if "xl/sharedStrings.xml" in book.namelist():
        for item in ET.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{ns}si"):
            shared.append("".join(t.text or "" for t in item.iter(f"{ns}t")))
    table: list[dict[str, str]] = []
    for row in ET.fromstring(book.read("xl/worksheets/sheet1.xml")).iter(f"{ns}row"):
        cells: dict[str, str] = {}
        for cell in row.iter(f"{ns}c"):
            column = re.match(r"[A-Z]+", cell.get("r", ""))
            value = cell.find(f"{ns}v")
            if cell.get("t") == "s" and value is not None and value.text is not None:
                text = shared[int(value.text)]
            elif cell.get("t") == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{ns}t"))
            else:
                text = value.text or "" if value is not None else ""
            if column:
                cells[column[0]] = text
        table.append(cells)
    if not table:
        return []
    header = table[0]
    return [{header.get(k, k).strip().lower(): v for k, v in row.items()} for row in table[1:]]


def csv_rows(data: bytes) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    return [{(k or "").strip().lower(): v or "" for k, v in row.items()} for row in reader]


def git_show(repo: Path, commit: str, path: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir(repo)), "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
    ).stdout


def git_dir(repo: Path) -> Path:
    return repo / ".git" if (repo / ".git").exists() else repo


def records(repo: Path) -> Iterator[dict[str, str]]:
    """Every scraped row, the new scrape first (it is the denser one), as raw fields."""
    for path in NEW_FILES:
        for row in csv_rows(git_show(repo, NEW_COMMIT, path)):
            yield {
                "url": row.get("url", ""),
                "title": row.get("judul", ""),
                "text": row.get("isi_berita", ""),
                "date": row.get("tanggal_publikasi", ""),
                "file": f"{NEW_COMMIT[:7]}:{path}",
            }
    for path in OLD_FILES:
        data = git_show(repo, OLD_COMMIT, path)
        rows = xlsx_rows(data) if path.endswith(".xlsx") else csv_rows(data)
        for row in rows:
            date = row.get("tanggal") or row.get("date") or ""
            if row.get("time") and row["time"] not in date:
                date = f"{date} {row['time']}"
            yield {
                "url": row.get("link") or row.get("url") or "",
                "title": row.get("judul") or row.get("title") or "",
                "text": row.get("isi") or row.get("content") or "",
                "date": date,
                "file": f"{OLD_COMMIT[:7]}:{path}",
            }


def build(repo: Path) -> tuple[list[dict[str, str]], Counter[str]]:
    """The corpus articles in publication order, and what was dropped and why."""
    dropped: Counter[str] = Counter()
    seen: set[str] = set()
    articles = []
    for row in records(repo):
        url = row["url"].strip()
        outlet = outlet_of(url) if url.startswith("http") else None
        if outlet is None:
            dropped["no outlet url"] += 1
            continue
        key = canonical_url(url)
        if key in seen:
            dropped["same url again"] += 1
            continue
        if len(row["text"].strip()) < 200:
            dropped["text under 200 characters"] += 1
            continue
        published = parse_published(row["date"])
        if published is None:
            dropped["no date"] += 1
            continue
        if not FIRST_DAY <= published[:10] <= LAST_DAY:
            dropped["outside the window"] += 1
            continue
        seen.add(key)
        articles.append(
            {
                "id": article_id(url),
                "url": url,
                "title": row["title"].strip(),
                "text": row["text"],
                "published": published,
                "outlet": outlet,
            }
        )
    articles.sort(key=lambda a: (a["published"], a["id"]))
    return articles, dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", default=str(DEFAULT_SOURCE), help="git mirror path or URL")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(args.source)
        if not repo.exists():
            repo = Path(scratch) / "source"
            subprocess.run(["git", "clone", "--bare", args.source, str(repo)], check=True)
        articles, dropped = build(repo)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for article in articles:
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    outlets = Counter(a["outlet"] for a in articles)
    days = Counter(a["published"][:10] for a in articles)
    print(f"{len(articles)} articles → {args.out}", file=sys.stderr)
    print(f"outlets: {dict(outlets.most_common())}", file=sys.stderr)
    print(f"days: {dict(sorted(days.items()))}", file=sys.stderr)
    print(f"dropped: {dict(dropped)}", file=sys.stderr)


if __name__ == "__main__":
    main()
