"""Ingest: turn files (txt, HTML, JSONL, JSON, CSV, WARC) into :class:`RawArticle` records.

Readers never raise for one bad record: they yield an :class:`InputError` in its place and
go on, so one broken line in a 100k-line JSONL costs one article, not the run; a reader
that fails anyway ends its file with an error, never the run. Decoding is strict by default
(UTF-8, or a declared encoding) and, in files of records (JSONL, CSV), per line or row;
``encoding="auto"`` lets charset-normalizer guess, for crawls known to be in a legacy code
page, and yields an :class:`InputWarning` saying so.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kabar.errors import InputError, InputWarning
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
        root = path.resolve()
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        readable = [p for p in files if file_kind(p) is not None]
        for file in [p for p in readable if not p.resolve().is_relative_to(root)]:
            readable.remove(file)
            yield InputError(
                str(file),
                "symbolic link to a file outside the folder, not followed",
                "copy the file into the folder if it is meant to be read",
            )
        if not readable:
            yield InputError(
                str(path),
                "folder holds no article files",
                f"supported extensions: {', '.join(SUPPORTED)}",
            )
            return
        for file in readable:
            yield from _read_guarded(file, options)
        return
    yield from _read_guarded(path, options)


def _read_guarded(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    """One file's records; an unexpected failure of a reader (a bug, a parser library
    raising on hostile bytes) ends that file with an error, never the run."""
    try:
        yield from _read_file(path, options)
    except Exception as exc:  # isolation: one record, not the run
        yield InputError(str(path), f"reading stopped ({unexpected(exc)})", "check the file")


def unexpected(exc: BaseException) -> str:
    """A one-line account of an unexpected exception, for per-record error reports."""
    text = str(exc).encode("utf-8", "replace").decode("utf-8")[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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
    container = kind in ("jsonl", "csv")
    try:
        text, guessed = decode_guessing(data, source, options.encoding, lenient=container)
    except InputError as exc:
        yield exc
        return
    if guessed is not None:
        yield guessed_warning(source, guessed)
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


def guessed_warning(source: str, encoding: str) -> InputWarning:
    return InputWarning(
        source,
        f"not UTF-8: decoded as {encoding}, a guess",
        "check accented letters; convert the file to UTF-8 to be sure",
    )


def decode(data: bytes, source: str, encoding: str = "utf-8") -> str:
    """Text from bytes, or an InputError that says what the bytes look like and what to do."""
    return decode_guessing(data, source, encoding)[0]


def decode_guessing(
    data: bytes, source: str, encoding: str = "utf-8", lenient: bool = False
) -> tuple[str, str | None]:
    """Text from bytes, and the legacy encoding guessed (``encoding="auto"``) if any.

    ``lenient`` (files of many records: JSONL, CSV) keeps undecodable bytes as lone
    surrogates (``surrogateescape``) so that the reader rejects only the lines holding
    them (:func:`undecodable`), not the whole file.
    """
    if not data.strip():
        raise InputError(source, "empty input", "nothing to ingest")
    # Files of records are not judged whole: one UTF-16 or binary line among UTF-8 lines
    # would condemn the good ones; each line fails on its own instead.
    if not lenient and _looks_binary(data):
        raise InputError(
            source, "binary data, not text", "give text, HTML, JSONL, CSV or WARC files"
        )
    if encoding != "auto":
        codec = "utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding
        try:
            return data.decode(codec, "surrogateescape" if lenient else "strict"), None
        except (UnicodeDecodeError, LookupError):
            guess = _guess_encoding(data)
            hint = f"it looks like {guess}: " if guess else ""
            raise InputError(
                source,
                f"not valid {encoding} text",
                f"{hint}convert it to UTF-8 (iconv) or pass --encoding auto",
            ) from None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    guess = _guess_encoding(data)
    if guess is None:
        if lenient:
            return data.decode("utf-8", "surrogateescape"), None
        raise InputError(source, "cannot tell the text encoding", "convert it to UTF-8 first")
    text = data.decode(guess, errors="replace")
    return text, (None if guess.replace("-", "_").lower() in ("utf_8", "ascii") else guess)


_UNDECODABLE = re.compile("[\udc80-\udcff]")
# Letters of Western European languages (cp1252) and of Central/Eastern ones (cp1250,
# cp1257...): the bytes of "naïve" read as cp1250 give "naďve", a letter no Western word has.
_WESTERN = set("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒ")


def undecodable(text: str) -> bool:
    """True when ``text`` holds bytes that did not decode (see :func:`decode_guessing`)."""
    return _UNDECODABLE.search(text) is not None


def _western_score(text: str) -> int:
    """How Western-European a decoding looks. A common Western accented letter counts for
    it; a symbol inside a word ("Za¿ó³æ": Polish read as cp1252) or a capital after a small
    letter ("jaŸñ") counts against it; other letters are neutral."""
    score = 0
    for index, ch in enumerate(text):
        if ord(ch) < 128:
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if not ch.isalpha() and before.isalpha() and after.isalpha() and ch not in "’'-":
            score -= 3
        elif ch.isupper() and before.isalpha() and before.islower():
            score -= 2
        elif ch in _WESTERN:
            score += 1
    return score


def _guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's guess, except that cp1252 wins over another single-byte code
    page when its reading looks at least as Western (short Western texts are often
    mistaken for cp1250 or cp1257)."""
    from charset_normalizer import from_bytes

    sample = data[:200_000]
    best = from_bytes(sample).best()
    guess = best.encoding if best is not None else None
    if guess is not None and guess.replace("-", "_").lower() in ("utf_8", "ascii"):
        return guess
    try:
        western = sample.decode("cp1252")
    except UnicodeDecodeError:
        return guess
    if guess is None:
        return "cp1252"
    try:
        other = sample.decode(guess)
    except (UnicodeDecodeError, LookupError):
        return "cp1252"
    return "cp1252" if _western_score(western) >= _western_score(other) else guess


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
    for key, value in record.items():
        # A list or an object where a string belongs was stored as its repr ("['x']").
        if key in _FIELD_NAMES and not isinstance(value, str | int | float | type(None)):
            return InputError(
                source, f"'{key}' must be a string, not {type(value).__name__}", "fix the record"
            )

    def field(name: str, *alternatives: str) -> str | None:
        for key in (name, *alternatives):
            value = record.get(key)
            if value not in (None, ""):
                return scrub(str(value))
        return None

    return RawArticle(
        text=scrub(text),
        html=scrub(html) if html is not None else None,
        source=source,
        title=field("title", "headline"),
        url=field("url", "link"),
        published=field("published", "date", "time", "published_at"),
        outlet=field("outlet", "site", "source_name"),
        author=field("author", "byline"),
        external_id=field("id"),
    )


_FIELD_NAMES = {
    "id", "url", "link", "title", "headline", "published", "date", "time", "published_at",
    "outlet", "site", "source_name", "author", "byline",
}  # fmt: skip
_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """``text`` with lone surrogates (a JSON ``"\\ud800"`` escape decodes to one; no store
    or encoder accepts them) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _read_jsonl(text: str, source: str, options: ReadOptions) -> Iterator[ReadResult]:
    any_line = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        any_line = True
        where = f"{source}:{number}"
        if undecodable(line):
            yield InputError(
                where, f"not valid {options.encoding} text", "fix the line or convert the file"
            )
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(
                where, f"invalid JSON ({exc.msg} at column {exc.colno})", "fix or drop the line"
            )
            continue
        except RecursionError:
            yield InputError(where, "JSON nested too deeply", "fix or drop the line")
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
    except RecursionError:
        yield InputError(source, "JSON nested too deeply", "fix the file")
        return
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records):
        yield _from_record(record, f"{source}[{index}]", options)


def _read_csv(text: str, source: str, tab: bool, options: ReadOptions) -> Iterator[ReadResult]:
    """One record per row; a broken or oversized row is reported alone, the rows after it
    are read (the csv module resumes at the next line)."""
    csv.field_size_limit(options.max_bytes)
    reader = csv.DictReader(io.StringIO(text), delimiter="\t" if tab else ",")
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        yield InputError(f"{source}:1", f"broken CSV header ({exc})", "fix the header line")
        return
    if not fieldnames or not {"text", "html", "body", "content"} & set(fieldnames):
        yield InputError(
            source, "CSV has no 'text' or 'html' column", f"columns: {', '.join(JSON_FIELDS)}"
        )
        return
    failed = False
    while True:
        # After an error the line that raised is read but not yet counted in line_num.
        where = f"{source}:{reader.line_num + (2 if failed else 1)}"
        try:
            row = next(reader)
            failed = False
        except StopIteration:
            return
        except csv.Error as exc:
            yield InputError(where, f"broken CSV row ({exc})", "fix the quoting or the field")
            failed = True
            continue
        if any(undecodable(v) for v in row.values() if isinstance(v, str)):
            yield InputError(
                where, f"not valid {options.encoding} text", "fix the row or convert the file"
            )
            continue
        yield _from_record(row, where, options)


def _read_warc(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    """HTML responses of a WARC file (warcio does the record parsing and decompression).

    A record that cannot be used (no target URI, broken HTTP headers) is reported alone;
    a WARC header so broken that the next record cannot be found ends the file there.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    source = str(path)
    found = False
    number = 0
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        records.loader = _tolerant_loader()
        while True:
            number += 1
            try:
                record = next(records)
            except StopIteration:
                break
            except ArchiveLoadFailed as exc:
                where = source if number == 1 else f"{source}#record {number}"
                problem = "not a readable WARC file" if number == 1 else "the rest is unreadable"
                yield InputError(where, f"{problem} ({exc})", "check the file")
                return
            except Exception as exc:  # isolation: one record, not the run
                yield InputError(
                    f"{source}#record {number}",
                    f"unreadable WARC record, the rest of the file is skipped ({unexpected(exc)})",
                    "check the file",
                )
                return
            try:
                http_error = records.loader.http_error
                item = (
                    InputError(f"{source}#record {number}", f"unreadable HTTP part ({http_error})")
                    if http_error and record.rec_type == "response"
                    else _warc_record(record, source, number, options)
                )
            except Exception as exc:  # isolation: one record, not the run
                item = InputError(f"{source}#record {number}", f"unreadable ({unexpected(exc)})")
            if item is not None:
                found = True
                yield item
    if not found:
        yield InputError(source, "WARC file holds no HTML responses", "nothing to ingest")


def _warc_record(record: Any, source: str, number: int, options: ReadOptions) -> ReadResult | None:
    """The article (or error) of one WARC record; None for records that hold no page."""
    if record.rec_type != "response":
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    if not url:
        return InputError(
            f"{source}#record {number}", "response record without WARC-Target-URI", "skipped"
        )
    if record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return None
    where = f"{source}#{url}"
    payload = record.content_stream().read(options.max_bytes + 1)
    if len(payload) > options.max_bytes:
        return InputError(where, "page over the size limit", "raise --max-bytes")
    charset = _charset(content_type)
    try:
        html = decode(payload, where, charset or "auto")
    except InputError as exc:
        return exc
    # WARC-Date is when the page was crawled, not published: htmldate finds the latter.
    return RawArticle(text="", html=html, url=url, source=where)


def _tolerant_loader() -> Any:
    from warcio.recordloader import ArcWarcRecordLoader

    class TolerantLoader(ArcWarcRecordLoader):
        """warcio's loader, except that one record's HTTP part cannot end the file: a
        record without WARC-Target-URI is read without HTTP headers (warcio raised
        AttributeError), and unreadable HTTP headers are noted in ``http_error`` (warcio
        raised, and every record after it was lost)."""

        http_error: str | None = None

        def load_http_headers(
            self, rec_type: str, uri: str | None, stream: Any, length: Any
        ) -> Any:
            self.http_error = None
            try:
                return super().load_http_headers(rec_type, uri or "", stream, length)
            except Exception as exc:  # isolation: one record, not the run
                self.http_error = unexpected(exc)
                return None

    return TolerantLoader()


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"').lower()
    return None
