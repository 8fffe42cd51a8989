"""Fuzz every ingest path with structure-aware hostile input: no crash, no good record lost.

Each case puts one hostile record beside good articles in the same container (a JSONL
line among good lines, a CSV row, a JSON array element, a WARC record between good ones,
a file in a folder of good files) and sends it through one path:

* ``cli``: files in a folder, read by ``read_paths`` and stored by ``service.ingest``, as
  ``kabar ingest`` does (every 50th case through the ``kabar ingest`` command itself);
* ``api``: ``POST /api/v1/articles/batch`` with the hostile item beside a good one (a
  request the schema refuses as a whole must be a 4xx, and the good article sent alone
  is then stored); raw hostile bodies (deep nesting, broken bytes) to ``/api/v1/articles``;
* ``upload``: the ``/upload`` form with the hostile file beside a good one.

Hostile families: deep nesting (JSON, HTML), extreme and impossible dates with relative
words ("besok" after 9999-12-31), wrong types, lone surrogates, control characters, giant
fields, mixed encodings per line, broken WARC headers and HTTP parts, broken CSV quoting,
and mutated seed files. After every case: no exception escaped and no 5xx; every good
article is in the store; ``PRAGMA quick_check`` passes, the search index has a row per
article and every article belongs to a story.

Speed: good articles come from a pool, and ``process`` is memoised for them only (a pure
function, run for real the first time each is seen), so cases spend their time on the
hostile record, which is always processed for real.

Run: ``.venv/bin/python bench/fuzz.py [--cases 20000] [--seed 1]``; prints a table.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from store_check import store_problems  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from kabar import service  # noqa: E402
from kabar.api import create_app  # noqa: E402
from kabar.cli import app as cli_app  # noqa: E402
from kabar.ingest import ReadOptions, read_paths  # noqa: E402
from kabar.model import Article, RawArticle  # noqa: E402
from kabar.store import SQLiteStore, Store, open_store  # noqa: E402

SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
MAX_BYTES = 300_000
HOSTILE_MARKUP = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '=HYPERLINK("http://evil.example","x")',
    "'; DROP TABLE articles; --",
    "\u202e\u200b\ufeff",
]
DATES = [
    "9999-12-31", "0001-01-01", "31 Desember 9999", "1 Januari 0001", "0000-00-00",
    "2024-02-30", "2024-13-01", "99999-01-01", "-2024-01-01", "1e309", "NaN", "besok",
    "kemarin lusa", "3000 tahun lagi", "1899-12-31", "2999-01-01", "Selasa (31/12/9999)",
    "2024-06-20T25:61:61+99:00", "\x00", "T" * 90, "18446744073709551616", "Senin, 1/1/1",
]  # fmt: skip
RELATIVE = [
    "besok", "lusa", "kemarin", "pekan depan", "tahun lalu", "bulan depan", "dua hari lalu",
    "9999 tahun lagi", "100000 hari lalu", "Jumat mendatang", "tomorrow", "next year",
    "a million years ago", "3000 abad lalu", "Selasa (31/12/9999)", "31 Desember 9999",
]  # fmt: skip
CONTROL = [chr(c) for c in (*range(0, 32), 0x7F, 0x85, 0x2028, 0x2029, 0x202E, 0xFEFF)]


@dataclass
class Good:
    """A good article as a reader will see it; ``id`` once processed."""

    text: str
    outlet: str
    raw: RawArticle
    id: str = ""


@dataclass
class Hostile:
    """One hostile record: a JSON object (``record``, may hold lone surrogates), a raw JSONL
    line (``line``), a WARC record (``warc``: ``framing`` if it breaks the file's framing,
    so it goes last) or a whole file (``suffix``, ``data``)."""

    family: str
    record: dict[str, Any] | None = None
    line: bytes | None = None
    warc: bytes | None = None
    framing: bool = False
    suffix: str = ""
    data: bytes = b""


@dataclass
class Tally:
    outcomes: Counter[str] = field(default_factory=Counter)
    families: Counter[str] = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)


# -- good articles ---------------------------------------------------------------------------
def good_pool(count: int, rng: random.Random) -> list[Good]:
    """``count`` distinct articles: seed articles with paragraphs re-ordered and a numbered line."""
    from kabar.pipeline import process

    seeds = [process(RawArticle(text=p.read_text(encoding="utf-8"), source=str(p))) for p in SEEDS]
    pool = []
    for number in range(count):
        seed = rng.choice(seeds)
        body = list(seed.paragraphs)
        rng.shuffle(body)
        extra = f"Laporan tambahan nomor {number} menyebutkan pembicaraan berlangsung {number % 9 + 1} jam."
        text = "\n".join([seed.title, *body, extra])
        outlet = rng.choice(["Tempo", "Kontan", "Antara", "Kompas.com/Regional"])
        pool.append(Good(text, outlet, RawArticle(text=text, source="", outlet=outlet)))
    return pool


def _key(raw: RawArticle) -> tuple[Any, ...]:
    return (raw.text, raw.html, raw.title, raw.url, raw.published, raw.outlet, raw.author)


GOOD: dict[tuple[Any, ...], Article] = {}
"""Processed good articles by content: what the memoised ``process`` serves."""


def memoise_good(pool: list[Good]) -> None:
    """Process each good article once, for real, and serve its result to later cases;
    every other input (all hostile records) goes to the real ``process``."""
    real = service.process

    def process(raw: RawArticle) -> Article:
        article = GOOD.get(_key(raw))
        if article is None:
            return real(raw)
        copy = Article(**{**article.__dict__})
        copy.source = raw.source
        return copy

    for good in pool:
        good.id = good_id(good.raw, real)
    service.process = process  # type: ignore[assignment]


def good_id(raw: RawArticle, real: Any = None) -> str:
    """The id a good article gets (processed for real once per distinct content)."""
    key = _key(raw)
    if key not in GOOD:
        GOOD[key] = (real or service.process)(raw)
    return GOOD[key].id


# -- hostile records -------------------------------------------------------------------------
def deep_json(rng: random.Random) -> str:
    depth = rng.choice([1_000, 5_000, 50_000, 200_000])
    shape = rng.randrange(3)
    if shape == 0:
        return "[" * depth + "]" * depth
    if shape == 1:
        return '{"text": ' + '{"a":' * depth + "1" + "}" * depth + "}"
    return '{"text": "x", "title": ' + "[" * depth + '"y"' + "]" * depth + "}"


def hostile(rng: random.Random, pool: list[Good]) -> Hostile:
    family = rng.choice(
        [
            "deep",
            "date",
            "date",
            "types",
            "surrogate",
            "control",
            "giant",
            "encoding",
            "warc",
            "warc",
            "csv",
            "html",
            "mutated",
        ]
    )
    other = short(rng.choice(pool).text, rng)
    if family == "deep":
        if rng.random() < 0.3:
            return Hostile(family, suffix=".json", data=deep_json(rng).encode())
        return Hostile(family, line=deep_json(rng).encode())
    if family == "date":
        words = " ".join(rng.choice(RELATIVE) for _ in range(rng.randrange(1, 6)))
        text = other.replace("\n", f"\nJakarta, {rng.choice(RELATIVE)} - {words}. ", 1)
        record = {"text": text + f"\nSidang digelar {words}.", "published": rng.choice(DATES)}
        if rng.random() < 0.3:
            record.pop("published")  # the absurd date only in the text
        return Hostile(family, record=record)
    if family == "types":
        name = rng.choice(["title", "text", "html", "published", "outlet", "url", "author"])
        value = rng.choice([["x"], {"a": 1}, True, 5, 1e308, [], {}, None, [other]])
        return Hostile(family, record={"text": other[:400], name: value})
    if family == "surrogate":
        bad = rng.choice(["\ud800", "\udfff", "\udc80", "x\ud83d", "\ude00y"])
        name = rng.choice(["text", "title", "outlet", "published", "author"])
        record = {"text": other, "outlet": "Surrogat"}
        record[name] = (record.get(name) or "") + bad
        return Hostile(family, record=record)
    if family == "control":
        chars = list(other[:3000])
        for _ in range(rng.randrange(1, 300)):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(CONTROL))
        text = "".join(chars)
        return Hostile(
            family,
            record={
                "text": text,
                "title": "".join(rng.choices(CONTROL, k=20)),
                "outlet": "\x1b[31m",
            },
        )
    if family == "giant":
        size = rng.choice([MAX_BYTES + 1, MAX_BYTES * 3, 2_000_000])
        name = rng.choice(["text", "title", "outlet", "published", "url"])
        record = {"text": other[:500], name: ("Jakarta " * (size // 8 + 1))[:size]}
        return Hostile(family, record=record)
    if family == "encoding":
        codec = rng.choice(
            ["cp1252", "latin-1", "utf-16", "utf-32", "cp1250", "shift_jis", "random"]
        )
        line = json.dumps({"text": other + " naïve café — “kutipan” ü"}, ensure_ascii=False)
        data = (
            bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
            if codec == "random"
            else line.encode(codec, errors="replace")
        )
        return Hostile(family, line=data.replace(b"\n", b" "))
    if family == "warc":
        return warc_hostile(rng, other)
    if family == "csv":
        kind = rng.randrange(4)
        if kind == 0:  # a field over the limit
            return Hostile(family, record={"text": "x" * (MAX_BYTES + rng.randrange(10, 5000))})
        if kind == 1:  # an unclosed quote swallows the rest of the file: goes last
            body = other.replace('"', "")
            return Hostile(
                family, suffix=".csv", data=f'title,text\nrusak,"{body[:200]}\n'.encode()
            )
        if kind == 2:  # NUL and stray quotes inside a row
            return Hostile(family, record={"text": 'a"b"\x00c' + other[:300], "title": '""'})
        return Hostile(family, record={"text": other, "extra": "x,y\r\nz"})
    if family == "html":
        depth = rng.choice([100, 2000, 20000])
        markup = rng.choice(HOSTILE_MARKUP)
        paragraphs = "".join(f"<p>{p}{markup}</p>" for p in other.split("\n") if p.strip())
        html = "<div>" * depth + paragraphs + "</div>" * rng.randrange(depth)
        return Hostile(family, record={"html": html, "title": markup})
    return mutated(rng, other)


def short(text: str, rng: random.Random) -> str:
    """The first paragraphs of an article (hostile records are processed for real: their
    cost grows with their length, and their hostility does not)."""
    return text[: rng.choice([300, 600, 1200, 4000])]


def warc_record(html: bytes, uri: str | None, number: int, **override: str) -> bytes:
    http = override.pop("http", None)
    http_bytes = (
        http.encode()
        if http is not None
        else b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    ) + html
    headers = {
        "WARC-Type": "response",
        "WARC-Target-URI": uri,
        "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>",
        "WARC-Date": "2024-06-20T00:00:00Z",
        "Content-Type": "application/http; msgtype=response",
        "Content-Length": str(len(http_bytes)),
    }
    headers.update(override)
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items() if v is not None)
    return head.encode() + b"\r\n" + http_bytes + b"\r\n\r\n"


def warc_hostile(rng: random.Random, other: str) -> Hostile:
    html = page(other).encode()
    kind = rng.randrange(10)
    if kind == 0:
        return Hostile("warc", warc=warc_record(html, None, 99))
    if kind == 1:
        return Hostile("warc", warc=warc_record(html, "javascript:alert(1)", 99))
    if kind == 2:
        return Hostile("warc", warc=warc_record(html, "http://x/", 99, **{"WARC-Type": "\x00??"}))
    if kind == 3:  # broken HTTP status line and headers
        http = rng.choice(
            [
                "HTTP/9 ???\r\n\r\n",
                "garbage\r\n",
                "\r\n\r\n",
                "HTTP/1.1 200 OK\r\n" + "X: y\r\n" * 5000 + "\r\n",
            ]
        )
        return Hostile("warc", warc=warc_record(html, "http://x/1", 99, http=http))
    if kind == 4:  # declared compression or chunking that is not there
        http = rng.choice(
            [
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=x-no-such-codec\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-16\r\n\r\n",
            ]
        )
        return Hostile("warc", warc=warc_record(html, "http://x/2", 99, http=http))
    if kind == 5:  # a header line of 100 KB, a date that is not one
        return Hostile(
            "warc", warc=warc_record(html, "http://x/3", 99, **{"WARC-Date": "9" * 100_000})
        )
    if kind == 6:  # an HTML payload of mixed encodings and binary
        payload = other.encode("cp1252", "replace") + bytes(range(256)) + other.encode("utf-16")
        return Hostile("warc", warc=warc_record(payload, "http://x/4", 99))
    # Framing broken (Content-Length wrong or missing, truncated): nothing after it can be
    # found, so it goes last and only the records before it are expected.
    record = warc_record(html, "http://x/5", 99)
    broken = rng.choice(
        [
            record.replace(b"Content-Length: ", b"Content-Length: 9", 1),
            record.replace(b"Content-Length: ", b"Content-Length: -", 1),
            record.replace(b"Content-Length: ", b"X-Length: ", 1),
            record[: rng.randrange(len(record))],
            b"WARC/1.0\r\n" + bytes(rng.randrange(256) for _ in range(500)),
        ]
    )
    return Hostile("warc", warc=broken, framing=True)


def mutated(rng: random.Random, text: str) -> Hostile:
    """A whole file mangled the way the web mangles files."""
    data = text.encode()
    kind = rng.randrange(6)
    if kind == 0:
        return Hostile("mutated", suffix=".txt", data=data[: rng.randrange(len(data) + 1)])
    if kind == 1:
        buf = bytearray(data)
        for _ in range(rng.randrange(1, 50)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        return Hostile(
            "mutated", suffix=rng.choice([".txt", ".html", ".jsonl", ".csv"]), data=bytes(buf)
        )
    if kind == 2:
        return Hostile("mutated", suffix=".warc.gz", data=b"\x1f\x8b" + data[:500])
    if kind == 3:
        return Hostile("mutated", suffix=".json", data=b"\xff\xfe" + text.encode("utf-16-le"))
    if kind == 4:
        return Hostile("mutated", suffix=".html", data=("<html>" * 50_000).encode())
    return Hostile(
        "mutated", suffix=".txt", data=rng.choice([b"", b"\n\n", b"\x00" * 100, b"\xef\xbb\xbf"])
    )


def page(text: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
    return f"<html><body><article>{paragraphs}</article></body></html>"


def json_line(record: dict[str, Any]) -> bytes:
    """A JSON line; lone surrogates become ``\\ud800`` escapes, as a JSON writer emits them."""
    return json.dumps(record, ensure_ascii=True).encode()


# -- containers: the hostile record among good ones --------------------------------------------
def files_for(
    case: Hostile, goods: list[Good], rng: random.Random
) -> tuple[dict[str, bytes], list[Good]]:
    """The files of a case, and the good articles they must yield (with their raws as
    the readers build them, to know the ids to expect)."""
    files: dict[str, bytes] = {}
    expected: list[Good] = []
    first, rest = goods[0], goods[1:]
    files["good.txt"] = first.text.encode()
    expected.append(first)
    if case.warc is not None:
        records = [
            warc_record(page(g.text).encode(), f"http://good.example/{k}", k)
            for k, g in enumerate(rest)
        ]
        cut = len(records) if case.framing else rng.randrange(len(records) + 1)
        body = b"".join([*records[:cut], case.warc, *records[cut:]])
        files["crawl.warc"] = body
        expected += [
            Good(
                g.text,
                g.outlet,
                RawArticle(text="", html=page(g.text), url=f"http://good.example/{k}", source=""),
            )
            for k, g in enumerate(rest)
        ]
        return files, expected
    if case.suffix:
        files["hostile" + case.suffix] = case.data
        return files, expected
    lines = [json_line({"text": g.text, "outlet": g.outlet}) for g in rest]
    hostile_line = case.line if case.line is not None else json_line(case.record or {})
    container = rng.choice(["jsonl", "jsonl", "json", "csv"]) if case.line is None else "jsonl"
    if container == "jsonl":
        lines.insert(rng.randrange(len(lines) + 1), hostile_line)
        files["records.jsonl"] = b"\n".join(lines)
    elif container == "json":
        items = [json.loads(line) for line in lines]
        text = json.dumps(items, ensure_ascii=True)
        at = rng.randrange(len(items) + 1)
        parts = [json.dumps(i, ensure_ascii=True) for i in items]
        parts.insert(at, hostile_line.decode("utf-8", "replace"))
        text = "[" + ", ".join(parts) + "]"
        files["records.json"] = text.encode("utf-8", "surrogatepass")
    else:
        files["records.csv"] = csv_bytes(case, rest, rng)
    expected += [
        Good(g.text, g.outlet, RawArticle(text=g.text, source="", outlet=g.outlet)) for g in rest
    ]
    return files, expected


def csv_bytes(case: Hostile, rest: list[Good], rng: random.Random) -> bytes:
    import csv

    record = case.record or {}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["outlet", "text", "title"])
    rows = [[g.outlet, g.text, ""] for g in rest]
    hostile_row = [
        str(record.get(k, "")) if not isinstance(record.get(k), str) else record[k]
        for k in ("outlet", "text", "title")
    ]
    rows.insert(rng.randrange(len(rows) + 1), hostile_row)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


# -- the paths ---------------------------------------------------------------------------------
def expected_ids(expected: list[Good]) -> list[str]:
    return [good_id(g.raw) for g in expected]


def check_store(store: Store, ids: list[str], where: str, tally: Tally) -> None:
    missing = [i for i in ids if not store.has_article(i)]
    if missing:
        tally.lost.append(f"{where}: {len(missing)} good records not stored")
    assert isinstance(store, SQLiteStore)
    _articles, problems = store_problems(store.connection, complete=True, quick=True)
    if problems:
        tally.broken.append(f"{where}: {'; '.join(problems)}")


def run_cli(
    number: int,
    case: Hostile,
    goods: list[Good],
    rng: random.Random,
    store: Store,
    folder: Path,
    tally: Tally,
) -> None:
    files, expected = files_for(case, goods, rng)
    work = folder / f"case{number}"
    work.mkdir()
    for name, data in files.items():
        (work / name).write_bytes(data)
    if number % 50 == 0:
        assert isinstance(store, SQLiteStore)
        result = CliRunner().invoke(
            cli_app,
            ["ingest", str(work), "--db", store.path, "--json", "--max-bytes", str(MAX_BYTES)],
        )
        if result.exit_code not in (0, 1) or (
            result.exception and not isinstance(result.exception, SystemExit)
        ):
            tally.crashes.append(
                f"cli #{number} ({case.family}): exit {result.exit_code} {result.exception!r}"
            )
        tally.outcomes["cli command"] += 1
    else:
        report = service.ingest(store, read_paths([work], ReadOptions(max_bytes=MAX_BYTES)))
        tally.outcomes["cli errors reported"] += len(report.errors)
        tally.outcomes["cli cases"] += 1
    check_store(store, expected_ids(expected), f"cli #{number} ({case.family})", tally)
    for path in work.iterdir():
        path.unlink()
    work.rmdir()


def run_api(
    number: int, case: Hostile, goods: list[Good], client: TestClient, store: Store, tally: Tally
) -> None:
    good = goods[0]
    where = f"api #{number} ({case.family})"
    if case.record is not None:
        items = [{"text": good.text, "outlet": good.outlet}]
        items.insert(number % 2, case.record)
        body = json.dumps({"articles": items}, ensure_ascii=True)
        answer = client.post(
            "/api/v1/articles/batch", content=body, headers={"Content-Type": "application/json"}
        )
        tally.outcomes[f"api batch {answer.status_code}"] += 1
        if answer.status_code >= 500:
            tally.crashes.append(f"{where}: {answer.status_code} {answer.text[:200]}")
        elif answer.status_code != 200:
            # Refused as a whole by the schema (a wrong type): the good one alone is stored.
            alone = client.post("/api/v1/articles", json=items[1 - number % 2])
            if alone.status_code not in (200, 201):
                tally.crashes.append(f"{where}: good article alone got {alone.status_code}")
    else:
        data = case.line if case.line is not None else (case.warc or case.data)
        answer = client.post(
            "/api/v1/articles", content=data, headers={"Content-Type": "application/json"}
        )
        tally.outcomes[f"api raw {answer.status_code}"] += 1
        if answer.status_code >= 500:  # (a UTF-16 or UTF-32 JSON body is valid JSON)
            tally.crashes.append(f"{where}: raw hostile body got {answer.status_code}")
        alone = client.post("/api/v1/articles", json={"text": good.text, "outlet": good.outlet})
        if alone.status_code not in (200, 201):
            tally.crashes.append(f"{where}: good article got {alone.status_code}")
    raw = RawArticle(text=good.text, source="", outlet=good.outlet)
    check_store(store, [good_id(raw)], where, tally)


def run_upload(
    number: int,
    case: Hostile,
    goods: list[Good],
    rng: random.Random,
    client: TestClient,
    store: Store,
    tally: Tally,
) -> None:
    files, expected = files_for(case, goods, rng)
    where = f"upload #{number} ({case.family})"
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files.items()]
    answer = client.post("/upload", files=parts, headers={"Accept": "text/html"})
    tally.outcomes[f"upload {answer.status_code}"] += 1
    if answer.status_code >= 500:
        tally.crashes.append(f"{where}: {answer.status_code}")
    check_store(store, expected_ids(expected), where, tally)


interrupted = False


def _interrupt(_signum: int, _frame: object) -> None:
    global interrupted
    interrupted = True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pool", type=int, default=30, help="distinct good articles")
    parser.add_argument(
        "--fresh-every",
        type=int,
        default=100,
        help="new stores every N cases (the good articles share one story, rebuilt per case)",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGINT, _interrupt)
    rng = random.Random(args.seed)
    pool = good_pool(args.pool, rng)
    memoise_good(pool)
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stores: tuple[Store, Store, TestClient] | None = None
        done = 0
        for number in range(args.cases):
            if interrupted:
                break  # Ctrl-C (SIGINT): stop and print the table of the cases run
            done = number + 1
            if number % args.fresh_every == 0:
                if stores is not None:
                    stores[0].close()
                    stores[1].close()
                    stores[2].__exit__(None, None, None)
                cli_db, api_db = folder / f"cli{number}.db", folder / f"api{number}.db"
                client = TestClient(
                    create_app(str(api_db), api_key=""), raise_server_exceptions=False
                )
                client.__enter__()
                stores = (open_store(cli_db), open_store(api_db), client)
            assert stores is not None
            case = hostile(rng, pool)
            goods = rng.sample(pool, rng.randrange(2, 4))
            path = rng.choice(["cli", "cli", "api", "upload"])
            tally.families[case.family] += 1
            try:
                if path == "cli":
                    run_cli(number, case, goods, rng, stores[0], folder, tally)
                elif path == "api":
                    run_api(number, case, goods, stores[2], stores[1], tally)
                else:
                    run_upload(number, case, goods, rng, stores[2], stores[1], tally)
                tally.outcomes[f"path {path}"] += 1
            except Exception:
                tally.crashes.append(
                    f"{path} #{number} ({case.family}):\n{traceback.format_exc(limit=6)}"
                )
            if (number + 1) % 500 == 0:
                elapsed = time.perf_counter() - started
                print(
                    f"{number + 1} cases, {elapsed:.0f} s: {len(tally.crashes)} crashes, "
                    f"{len(tally.lost)} with lost records, {len(tally.broken)} integrity failures",
                    flush=True,
                )
        if stores is not None:
            stores[0].close()
            stores[1].close()
            stores[2].__exit__(None, None, None)
    elapsed = time.perf_counter() - started
    print(f"\n{'family':12} {'cases':>7}")
    for name, count in sorted(tally.families.items()):
        print(f"{name:12} {count:7d}")
    print(f"\n{'outcome':28} {'count':>7}")
    for name, count in sorted(tally.outcomes.items()):
        print(f"{name:28} {count:7d}")
    print(
        f"\n{done} cases in {elapsed:.0f} s: {len(tally.crashes)} crashes, "
        f"{len(tally.lost)} cases with good records lost, {len(tally.broken)} integrity failures"
    )
    for line in [*tally.crashes[:5], *tally.lost[:5], *tally.broken[:5]]:
        print(line)
    return 1 if tally.crashes or tally.lost or tally.broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
