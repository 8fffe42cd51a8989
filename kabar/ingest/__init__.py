"""Ingest: turn files (txt, HTML, JSONL, JSON, CSV, WARC) into :class:`RawArticle` records.

Readers never raise for one bad record: they yield an :class:`InputError` in its place and
go on, so one broken line in a 100k-line JSONL costs one article, not the run. Decoding is
strict by default (UTF-8, or a declared encoding); ``encoding="auto"`` lets
charset-normalizer guess, for crawls known to be in a legacy code page.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kabar.errors import InputError
from kabar.model import RawArticle

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv"}
WARC_SUFFIXES = {".warc", ".arc"}
SUPPORTED = sorted(
    TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | WARC_SUFFIXES | {".json"}
)

JSON_FIELDS = ("id", "url", "title", "text", "html", "published", "outlet", "author")


@dataclass(frozen=True)
class ReadOptions:
    """Limits that keep one hostile input from exhausting the machine.

    max_bytes: largest single article (text or HTML) accepted, in bytes.
    max_file_bytes: largest container file (JSONL, CSV, WARC) read.
    encoding: ``"utf-8"`` (strict, the default), any codec name, or ``"auto"`` to detect.
    """

    max_bytes: int = 5_000_000
    max_file_bytes: int = 2_000_000_000
    encoding: str = "utf-8"


ReadResult = RawArticle | InputError


def read_paths(
    paths: Iterable[str | Path], options: ReadOptions | None = None
) -> Iterator[ReadResult]:
    """Every article (or the error in its place) under the given files and folders."""
    options = options or ReadOptions()
    for path in paths:
        yield from read_path(Path(path), options)


def read_path(path: Path, options: ReadOptions | None = None) -> Iterator[ReadResult]:
    """Articles from one file, or from every supported file under a folder (sorted, recursive)."""
    options = options or ReadOptions()
    if not path.exists():
        yield InputError(str(path), "no such file or folder", "check the path")
        return
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        readable = [p for p in files if file_kind(p) is not None]
        if not readable:
            yield InputError(
                str(path),
                "folder holds no article files",
                f"supported extensions: {', '.join(SUPPORTED)}",
            )
            return
        for file in readable:
            yield from _read_file(file, options)
        return
    yield from _read_file(path, options)


def file_kind(path: Path) -> str | None:
    """The reader a file goes to ("text", "html", "jsonl", "json", "csv", "warc"), or None."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if not suffixes:
        return None
    last = suffixes[-1]
    for kind, group in (
        ("text", TEXT_SUFFIXES),
        ("html", HTML_SUFFIXES),
        ("jsonl", JSONL_SUFFIXES),
        ("csv", CSV_SUFFIXES),
        ("warc", WARC_SUFFIXES),
    ):
        if last in group:
            return kind
    return "json" if last == ".json" else None


def _read_file(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    source = str(path)
    kind = file_kind(path)
    if kind is None:
        yield InputError(
            source,
            f"unsupported file type {path.suffix or '(none)'}",
            f"use one of {', '.join(SUPPORTED)}",
        )
        return
    size = path.stat().st_size
    limit = options.max_bytes if kind in ("text", "html") else options.max_file_bytes
    if size > limit:
        yield InputError(
            source, f"file is {size:,} bytes, over the {limit:,}-byte limit", "raise --max-bytes"
        )
        return
    if kind == "warc":
        yield from _read_warc(path, options)
        return
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            yield InputError(source, f"broken gzip file ({exc})", "re-download or unpack it")
            return
    try:
        text = decode(data, source, options.encoding)
    except InputError as exc:
        yield exc
        return
    if kind == "text":
        yield _from_text(text, source)
    elif kind == "html":
        yield RawArticle(text="", html=text, source=source)
    elif kind == "jsonl":
        yield from _read_jsonl(text, source, options)
    elif kind == "json":
        yield from _read_json(text, source, options)
    else:
        yield from _read_csv(text, source, path.suffix.lower() == ".tsv", options)


def decode(data: bytes, source: str, encoding: str = "utf-8") -> str:
    """Text from bytes, or an InputError that says what the bytes look like and what to do."""
    if not data.strip():
        raise InputError(source, "empty input", "nothing to ingest")
    if _looks_binary(data):
        raise InputError(
            source, "binary data, not text", "give text, HTML, JSONL, CSV or WARC files"
        )
    if encoding != "auto":
        try:
            return data.decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding)
        except (UnicodeDecodeError, LookupError):
            guess = _guess_encoding(data)
            hint = f"it looks like {guess}: " if guess else ""
            raise InputError(
                source,
                f"not valid {encoding} text",
                f"{hint}convert it to UTF-8 (iconv) or pass --encoding auto",
            ) from None
    guess = _guess_encoding(data)
    if guess is None:
        raise InputError(source, "cannot tell the text encoding", "convert it to UTF-8 first")
    return data.decode(guess, errors="replace")


def _guess_encoding(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    return best.encoding if best is not None else None


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control > len(head) * 0.05


def _from_text(text: str, source: str) -> RawArticle:
    """A plain-text article; the title is found later by the cleaner (first line is a hint)."""
    return RawArticle(text=text, source=source)


def _from_record(record: Any, source: str, options: ReadOptions) -> ReadResult:
    if not isinstance(record, dict):
        return InputError(source, "record is not a JSON object", "each line must be {...}")
    text = record.get("text") or record.get("body") or record.get("content") or ""
    html = record.get("html") or record.get("raw_html")
    if not isinstance(text, str) or (html is not None and not isinstance(html, str)):
        return InputError(source, "'text' and 'html' must be strings")
    if not text.strip() and not (html and html.strip()):
        return InputError(source, "record has neither 'text' nor 'html'", "add the article text")
    if (
        len(text.encode("utf-8", "ignore")) + len((html or "").encode("utf-8", "ignore"))
        > options.max_bytes
    ):
        return InputError(source, "article over the size limit", "raise --max-bytes")

    def field(name: str, *alternatives: str) -> str | None:
        for key in (name, *alternatives):
            value = record.get(key)
            if value not in (None, ""):
                return str(value)
        return None

    return RawArticle(
        text=text,
        html=html,
        source=source,
        title=field("title", "headline"),
        url=field("url", "link"),
        published=field("published", "date", "time", "published_at"),
        outlet=field("outlet", "site", "source_name"),
        author=field("author", "byline"),
        external_id=field("id"),
    )


def _read_jsonl(text: str, source: str, options: ReadOptions) -> Iterator[ReadResult]:
    any_line = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        any_line = True
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(
                where, f"invalid JSON ({exc.msg} at column {exc.colno})", "fix or drop the line"
            )
            continue
        yield _from_record(record, where, options)
    if not any_line:
        yield InputError(source, "empty input", "nothing to ingest")


def _read_json(text: str, source: str, options: ReadOptions) -> Iterator[ReadResult]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputError(source, f"invalid JSON ({exc.msg} at line {exc.lineno})", "fix the file")
        return
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records):
        yield _from_record(record, f"{source}[{index}]", options)


def _read_csv(text: str, source: str, tab: bool, options: ReadOptions) -> Iterator[ReadResult]:
    csv.field_size_limit(options.max_bytes)
    reader = csv.DictReader(io.StringIO(text), delimiter="\t" if tab else ",")
    if not reader.fieldnames or not {"text", "html", "body", "content"} & set(reader.fieldnames):
        yield InputError(
            source, "CSV has no 'text' or 'html' column", f"columns: {', '.join(JSON_FIELDS)}"
        )
        return
    try:
        for number, row in enumerate(reader, start=2):
            yield _from_record(row, f"{source}:{number}", options)
    except csv.Error as exc:
        yield InputError(f"{source}:{reader.line_num}", f"broken CSV ({exc})", "fix the quoting")


def _read_warc(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    """HTML responses of a WARC file (warcio does the record parsing and decompression)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    source = str(path)
    found = False
    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" not in content_type.lower():
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{source}#{url}"
                payload = record.content_stream().read(options.max_bytes + 1)
                found = True
                if len(payload) > options.max_bytes:
                    yield InputError(where, "page over the size limit", "raise --max-bytes")
                    continue
                charset = _charset(content_type)
                try:
                    html = decode(payload, where, charset or "auto")
                except InputError as exc:
                    yield exc
                    continue
                # WARC-Date is when the page was crawled, not published: htmldate finds the latter.
                yield RawArticle(text="", html=html, url=url, source=where)
        except ArchiveLoadFailed as exc:
            yield InputError(source, f"not a readable WARC file ({exc})", "check the file")
            return
    if not found:
        yield InputError(source, "WARC file holds no HTML responses", "nothing to ingest")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"').lower()
    return None
