"""Hostile input never costs a good record (issue 17): every ingest path isolates each
record, a kill between commits is completed by the next run, decoding is per record."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS
from fastapi.testclient import TestClient
from helpers_store import BACKENDS, postgres_database
from typer.testing import CliRunner

from kabar import service
from kabar.api import create_app
from kabar.cli import app
from kabar.errors import InputError
from kabar.ingest import read_path, read_paths
from kabar.meta.time import find_times
from kabar.model import RawArticle
from kabar.pipeline import process
from kabar.store import SQLiteStore, open_store
from kabar.store.sql import SQLStore

runner = CliRunner()
SEED_FILES = sorted(SEEDS.glob("*.txt"))
BESOK = "Sidang lanjutan akan digelar besok, kata juru bicara pengadilan kepada wartawan."


def seed_text(number: int) -> str:
    return SEED_FILES[number].read_text(encoding="utf-8")


def warc_record(html: str, uri: str | None, number: int) -> bytes:
    http = ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html).encode()
    head = "WARC/1.0\r\nWARC-Type: response\r\n"
    if uri:
        head += f"WARC-Target-URI: {uri}\r\n"
    head += (
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
        "WARC-Date: 2024-06-20T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    )
    return head.encode() + http + b"\r\n\r\n"


def html_page(text: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
    return f"<html><body><article>{paragraphs}</article></body></html>"


def stored_ids(db: str | Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM articles")}


def orphans(db: str | Path) -> int:
    """Stored articles that belong to no story."""
    with sqlite3.connect(db) as conn:
        return int(
            conn.execute(
                "SELECT count(*) FROM articles"
                " WHERE id NOT IN (SELECT article_id FROM story_articles)"
            ).fetchone()[0]
        )


# -- 1. per-record isolation -----------------------------------------------------------------
def test_time_arithmetic_stays_inside_the_calendar() -> None:
    for anchor in (date(9999, 12, 31), date(1, 1, 1)):
        for text in ("besok", "kemarin", "lusa", "pekan depan", "tahun lalu", "bulan depan",
                     "dua hari lalu", "tiga tahun lagi", "Jumat mendatang", "pada Selasa"):  # fmt: skip
            for found in find_times(text, anchor):
                if found.kind == "date":
                    assert 1 <= int(found.value[:4]) <= 9999


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01", "31 Desember 9999"])
def test_implausible_publication_date_rejects_the_record(published: str) -> None:
    raw = RawArticle(text=seed_text(0) + "\n" + BESOK, source="x.jsonl:2", published=published)
    with pytest.raises(InputError, match="not plausible"):
        process(raw)


def test_a_dated_stamp_in_year_9999_is_ignored_not_fatal() -> None:
    text = seed_text(1) + "\nJakarta, Selasa (31/12/9999) - " + BESOK
    article = process(RawArticle(text=text, source="x.txt"))
    assert article.published is None or article.published < "2100"


def test_dates_at_the_end_of_the_calendar_in_the_text_do_not_break_grouping(
    tmp_path: Path,
) -> None:
    """Found by bench/fuzz.py: a sentence dated December 9999 made the timeline compute
    the month after it, the grouping of the whole batch failed (a 500), and every later
    ingest failed on the same stored article."""
    raws = [r for r in read_path(SEEDS) if isinstance(r, RawArticle)]
    line = "Jakarta, 100000 hari lalu - tahun lalu Selasa (31/12/9999) next year."
    raws[0].text = raws[0].text.replace("\n", f"\n{line}\nSidang digelar {line}\n", 1)
    raws[1].text += "\nPada Senin (1/1/0001) dan Selasa (31/12/9999) tidak terjadi apa-apa."
    with open_store(tmp_path / "k.db") as store:
        report = service.ingest(store, raws)
    assert len(report.added) == 5 and report.stories >= 1
    assert orphans(tmp_path / "k.db") == 0
    # The two roots: such a stamp is no date, and a timeline period at the calendar's end
    # has no day after it.
    from kabar.timeline import _period

    assert not [t for t in find_times(line) if t.kind == "date" and t.value.startswith("9999")]
    for value, granularity in (("9999-12", "month"), ("9999-12-27", "week"), ("9999", "year")):
        first, last = _period(value, granularity)
        assert first <= last


def hostile_folder(folder: Path) -> Path:
    """Good seed articles beside every kind of bad record, in every container format."""
    folder.mkdir()
    good = [seed_text(k) for k in range(5)]
    deep = "[" * 100_000 + "]" * 100_000
    (folder / "a.jsonl").write_text(
        "\n".join(
            [
                json.dumps({"text": good[0], "outlet": "Tempo"}),
                json.dumps({"text": good[1] + "\n" + BESOK, "published": "9999-12-31"}),
                '{"text": ' + deep + "}",
                json.dumps({"text": good[1], "title": ["x"]}),
                json.dumps({"text": good[1]}),
            ]
        ),
        encoding="utf-8",
    )
    (folder / "b.json").write_text(deep, encoding="utf-8")
    html = html_page(good[2])
    (folder / "c.warc").write_bytes(
        warc_record(html, "https://example.org/a", 1)
        + warc_record(html_page(good[3]), None, 2)
        + warc_record(html_page(good[3]), "https://example.org/b", 3)
    )
    (folder / "d.txt").write_text(good[4], encoding="utf-8")
    return folder


def test_cli_ingest_keeps_every_good_record_beside_bad_ones(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path / "in")
    db = tmp_path / "kabar.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--json"])
    assert result.exit_code == 1, result.output  # some failed
    report = json.loads(result.stdout)
    assert len(report["added"]) == 5, report  # seeds 0, 1, 2, 3 (WARC) and 4
    sources = {e["source"]: e["problem"] for e in report["errors"]}
    assert "not plausible" in sources[f"{folder / 'a.jsonl'}:2"]
    assert "nested too deeply" in sources[f"{folder / 'a.jsonl'}:3"]
    assert "must be a string" in sources[f"{folder / 'a.jsonl'}:4"]
    assert "nested too deeply" in sources[str(folder / "b.json")]
    assert "WARC-Target-URI" in sources[f"{folder / 'c.warc'}#record 2"]
    assert orphans(db) == 0


def test_a_warc_record_with_a_broken_http_part_costs_that_record_only(tmp_path: Path) -> None:
    """Found by bench/fuzz.py: warcio raised on the HTTP status line and the file ended."""
    good = [html_page(seed_text(k)) for k in range(2)]
    broken = warc_record(good[0], "https://example.org/x", 2).replace(
        b"HTTP/1.1 200 OK",
        b"garbage garbage",
        1,  # same length
    )
    path = tmp_path / "c.warc"
    path.write_bytes(
        warc_record(good[0], "https://example.org/a", 1)
        + broken
        + warc_record(good[1], "https://example.org/b", 3)
    )
    results = list(read_path(path))
    assert [type(r).__name__ for r in results] == ["RawArticle", "InputError", "RawArticle"]
    assert "HTTP" in results[1].problem


def test_a_failing_stage_costs_its_record_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any exception from a stage (a bug not yet found) is that record's error."""
    real = service.process

    def flaky(raw: RawArticle) -> object:
        if "Sochi" in raw.text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(raw)

    monkeypatch.setattr(service, "process", flaky)
    with open_store(tmp_path / "k.db") as store:
        report = service.ingest(store, read_path(SEEDS))
    assert len(report.added) == 4 and len(report.errors) == 1
    assert "RecursionError" in report.errors[0].problem


def test_a_record_the_store_refuses_costs_that_record_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = SQLiteStore.add_articles

    def picky(self: SQLiteStore, articles: list) -> object:  # type: ignore[type-arg]
        articles = list(articles)
        if any("Sochi" in a.body for a in articles):
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return real(self, articles)

    monkeypatch.setattr(SQLiteStore, "add_articles", picky)
    with open_store(tmp_path / "k.db") as store:
        report = service.ingest(store, read_path(SEEDS))
    assert len(report.added) == 4 and "could not be stored" in report.errors[0].problem


@pytest.fixture()
def api(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(tmp_path / "api.db"), api_key="")) as client:
        yield client


def test_api_batch_stores_the_good_article_beside_an_impossible_date(api: TestClient) -> None:
    bad = {"text": seed_text(1) + "\n" + BESOK, "published": "9999-12-31"}
    answer = api.post("/api/v1/articles/batch", json={"articles": [{"text": seed_text(0)}, bad]})
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["added"]) == 1
    assert "not plausible" in answer.json()["errors"][0]["problem"]
    single = api.post("/api/v1/articles", json=bad)
    assert single.status_code == 422 and "not plausible" in single.json()["detail"]


def test_api_deep_json_is_a_client_error(api: TestClient) -> None:
    deep = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    answer = api.post(
        "/api/v1/articles", content=deep, headers={"Content-Type": "application/json"}
    )
    assert 400 <= answer.status_code < 500, answer.text


def test_upload_of_deep_json_beside_a_good_file_is_not_a_500(api: TestClient) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    answer = api.post(
        "/upload",
        files=[
            ("files", ("deep.json", deep.encode(), "application/json")),
            ("files", ("good.txt", seed_text(4).encode(), "text/plain")),
        ],
        headers={"Origin": "http://testserver"},
    )
    assert answer.status_code == 200, answer.text
    assert "nested too deeply" in answer.text
    assert api.get("/api/v1/health").json()["articles"] == 1


# -- 2. articles and their grouping: a kill at every commit boundary -------------------------
class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing on the way catches it."""


@contextmanager
def killed_after_commit(backend: type[SQLStore], number: int) -> Iterator[None]:
    """The process 'dies' right after its ``number``-th committed write transaction."""
    original = backend._write
    commits = 0

    @contextmanager
    def write(self: SQLStore) -> Iterator[Any]:
        nonlocal commits
        with original(self) as conn:
            yield conn
        commits += 1
        if commits == number:
            raise Killed

    backend._write = write  # type: ignore[method-assign]
    try:
        yield
    finally:
        backend._write = original  # type: ignore[method-assign]


def story_sets(location: str) -> set[frozenset[str]]:
    with open_store(location) as store:
        return {frozenset(s.article_ids) for s in store.iter_stories()}


def lonely(location: str) -> int:
    """Stored articles that belong to no story, read through the store (either backend)."""
    with open_store(location) as store:
        grouped = {i for s in store.iter_stories() for i in s.article_ids}
        return sum(a.id not in grouped for a in store.iter_articles())


def article_ids(location: str) -> set[str]:
    with open_store(location) as store:
        return {a.id for a in store.iter_articles()}


@pytest.fixture(params=BACKENDS)
def fresh_location(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[str], str]]:
    """Makes the location of a new, empty store on the backend (SQLite, PostgreSQL)."""
    with ExitStack() as databases:

        def fresh(name: str) -> str:
            if request.param == "sqlite":
                return str(tmp_path / f"{name}.db")
            pytest.importorskip("psycopg", reason="psycopg not installed")
            return databases.enter_context(postgres_database())

        yield fresh


@pytest.mark.parametrize("earlier", [False, True], ids=["empty-store", "incremental"])
def test_a_kill_at_every_commit_boundary_is_completed_by_the_next_run(
    fresh_location: Callable[[str], str], earlier: bool
) -> None:
    raws = [r for r in read_path(SEEDS) if isinstance(r, RawArticle)]
    first, rest = (raws[:2], raws[2:]) if earlier else ([], raws)

    def fresh(name: str) -> str:
        location = fresh_location(name)
        if first:
            with open_store(location) as store:
                service.ingest(store, first)
        return location

    clean = fresh("clean")
    with open_store(clean) as store:
        service.ingest(store, rest, batch_size=1)
        backend = type(store)
    assert isinstance(backend, type) and issubclass(backend, SQLStore)
    expected = story_sets(clean)
    commits = len(rest) + 1  # one per article batch, then the grouping
    for boundary in range(1, commits):
        location = fresh(f"killed-{boundary}")
        with (
            pytest.raises(Killed),
            killed_after_commit(backend, boundary),
            open_store(location) as store,
        ):
            service.ingest(store, rest, batch_size=1)
        assert lonely(location) > 0  # the state the issue found: stored, in no story
        with open_store(location) as store:
            report = service.ingest(store, read_paths([]))  # any later write run
        assert lonely(location) == 0 and report.stories == len(expected)
        with open_store(location) as store:
            service.ingest(store, rest)  # the same ingest again
        assert story_sets(location) == expected, boundary
        assert article_ids(location) == article_ids(clean)


# -- 3. decoding per record ------------------------------------------------------------------
def test_one_invalid_utf8_line_drops_only_that_line(tmp_path: Path) -> None:
    lines = [json.dumps({"text": seed_text(k)}, ensure_ascii=False).encode() for k in range(3)]
    lines[1] = lines[1][:50] + b"\xff" + lines[1][50:]  # one byte that is not UTF-8
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines))
    results = list(read_path(path))
    assert [type(r).__name__ for r in results] == ["RawArticle", "InputError", "RawArticle"]
    assert results[1].source == f"{path}:2" and "not valid utf-8" in results[1].problem


def test_a_utf16_or_binary_line_does_not_condemn_the_file(tmp_path: Path) -> None:
    good = [json.dumps({"text": seed_text(k)}).encode() for k in range(2)]
    hostile = json.dumps({"text": "x" * 3000}).encode("utf-16") + bytes(range(32)) * 50
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join([hostile, good[0], good[1]]))
    kept = [r for r in read_path(path) if isinstance(r, RawArticle)]
    assert [r.text for r in kept] == [seed_text(0), seed_text(1)]


def test_one_oversized_csv_field_is_reported_for_its_row_only(tmp_path: Path) -> None:
    import csv

    from kabar.ingest import ReadOptions

    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerows([["title", "text"], ["a", seed_text(0)], ["b", "x" * 9000]])
        writer.writerows([["c", seed_text(2)], ["d", seed_text(4)]])
    lines = path.read_text(encoding="utf-8").split("\n")
    starts = {
        row[0]: f"{path}:{n}"
        for n, row in enumerate(lines, 1)
        if row[:2] in ("a,", "b,", "c,", "d,")
    }
    results = list(read_path(path, ReadOptions(max_bytes=8000)))
    kinds = [(type(r).__name__, r.source) for r in results]
    assert kinds == [
        ("RawArticle", starts["a"]),
        ("InputError", starts["b"]),
        ("RawArticle", starts["c"]),
        ("RawArticle", starts["d"]),
    ]


def test_encoding_auto_prefers_cp1252_for_western_text_and_warns(tmp_path: Path) -> None:
    from kabar.errors import InputWarning
    from kabar.ingest import ReadOptions

    text = "The naïve café owner said it was déjà vu.\n" + seed_text(3)
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp1252", errors="replace"))
    results = list(read_path(path, ReadOptions(encoding="auto")))
    warnings = [r for r in results if isinstance(r, InputWarning)]
    articles = [r for r in results if isinstance(r, RawArticle)]
    assert "naïve café" in articles[0].text and "naď" not in articles[0].text
    assert len(warnings) == 1 and "cp1252" in warnings[0].problem
    db = tmp_path / "k.db"
    shown = runner.invoke(app, ["ingest", str(path), "--db", str(db), "--encoding", "auto"])
    assert shown.exit_code == 0 and "cp1252" in shown.output


def test_batch_reports_a_guessed_encoding_as_a_warning_and_keeps_the_article(
    tmp_path: Path,
) -> None:
    """`kabar batch` reads with the same options as `kabar ingest`: a legacy-encoded file
    is a warning (listed, exit 0), its article is processed, nothing counts as failed."""
    text = "The naïve café owner said it was déjà vu.\n" + seed_text(3)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "legacy.txt").write_bytes(text.encode("cp1252", errors="replace"))
    out = tmp_path / "out"
    shown = runner.invoke(
        app,
        ["batch", str(folder), "-o", str(out), "--encoding", "auto", "--workers", "1", "--json"],
    )
    assert shown.exit_code == 0, shown.output
    report = json.loads(shown.stdout)
    assert report["articles"] == 1 and report["failures"] == []
    (warning,) = report["warnings"]
    assert warning["source"].endswith("legacy.txt") and "cp1252" in warning["problem"]


def test_central_european_text_keeps_its_code_page(tmp_path: Path) -> None:
    from kabar.ingest import ReadOptions

    text = "Zażółć gęślą jaźń. Łódź, Kraków i Wrocław są pięknymi miastami w Polsce. " * 5
    path = tmp_path / "pl.txt"
    path.write_bytes(text.encode("cp1250"))
    (article,) = [
        r for r in read_path(path, ReadOptions(encoding="auto")) if isinstance(r, RawArticle)
    ]
    assert "Zażółć gęślą jaźń" in article.text


# -- 4. CSRF, inert exports, HTML errors for browsers ----------------------------------------
def test_a_cross_origin_form_post_is_refused_without_an_api_key(api: TestClient) -> None:
    form = {"text": seed_text(0)}
    for headers in (
        {"Origin": "http://127.0.0.1:9999"},  # another local origin
        {"Origin": "null"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://localhost:3000"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        refused = api.post("/upload", data=form, headers={**headers, "Accept": "text/html"})
        assert refused.status_code == 403, headers
        assert "text/html" in refused.headers["content-type"]
        api_refused = api.post("/api/v1/articles", json=form, headers=headers)
        assert api_refused.status_code == 403 and "cross-origin" in api_refused.json()["detail"]
    assert api.get("/api/v1/health").json()["articles"] == 0
    # The server's own form (same origin; a browser under no-referrer sends Origin: null).
    own = api.post(
        "/upload", data=form, headers={"Sec-Fetch-Site": "same-origin", "Origin": "null"}
    )
    assert own.status_code == 200, own.text
    same = api.post("/upload", data=form, headers={"Origin": "http://testserver"})
    assert same.status_code == 200


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seed story, with hostile markup and formulas in an outlet name and a title."""
    db = tmp_path_factory.mktemp("hostile") / "kabar.db"
    raws = [r for r in read_path(SEEDS) if isinstance(r, RawArticle)]
    raws[0].outlet = '=HYPERLINK("http://evil.example","x")'
    raws[1].title = '<img src=x onerror="alert(1)"> <svg onload=alert(1)>'
    raws[1].text = raws[1].text.replace("\n", "\n<svg onload=alert(1)> =1+2 ", 1)
    raws[2].outlet = "+1-2@Kompas/Regional"
    with open_store(db) as store:
        service.ingest(store, raws)
    return str(db)


def test_markdown_export_holds_no_live_html(hostile_store: str) -> None:
    """Scraped text holds markup as text ("&lt;img ...&gt;" in a page decodes to it)."""
    import dataclasses

    hostile = '<img src=x onerror="alert(1)"> <svg onload=alert(1)> [x](javascript:alert(1))'
    with open_store(hostile_store) as store:
        story = store.list_stories(limit=1)[0]
    entry = dataclasses.replace(story.timeline[0], summary=hostile)
    story = dataclasses.replace(
        story, title=hostile, summary=[hostile], timeline=[entry, *story.timeline[1:]]
    )
    report = service.markdown_report([story])
    assert "<img" not in report and "<svg" not in report and "&lt;img" in report
    assert "[x](javascript:" not in report and "\\[x\\](javascript:" in report
    assert f"| {story.timeline[1].date} |" in report  # still a readable table


def test_csv_export_cells_are_never_formulas(hostile_store: str) -> None:
    import csv
    import io

    with open_store(hostile_store) as store:
        text = service.export(store, "csv")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(c.startswith("'=HYPERLINK") or "=HYPERLINK" in c for c in cells)


def test_browsers_get_html_error_pages_and_json_clients_json(tmp_path: Path) -> None:
    client = TestClient(create_app(str(tmp_path / "e.db"), api_key="", max_body=5_000))
    html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for status, call in (
        (404, lambda h: client.get("/stories/nothing-here", headers=h)),
        (413, lambda h: client.post("/upload", data={"text": "x" * 10_000}, headers=h)),
        (422, lambda h: client.get("/?page=0", headers=h)),
    ):
        page = call(html)
        assert page.status_code == status and page.text.lstrip().startswith("<!doctype html")
        assert "Content-Security-Policy" in page.headers
        data = call({"Accept": "application/json"})
        assert data.status_code == status and "detail" in data.json()
    api = client.post("/api/v1/articles", json={"text": 5}, headers=html)
    assert api.status_code == 422 and "detail" in api.json()  # the JSON API stays JSON


def test_a_500_is_an_html_page_for_browsers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kabar.api import pages

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(pages, "_pages", broken)
    client = TestClient(
        create_app(str(tmp_path / "e.db"), api_key=""), raise_server_exceptions=False
    )
    page = client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 500 and "<h1>Error 500</h1>" in page.text
    assert "Content-Security-Policy" in page.headers


# -- 5. the smaller items ----------------------------------------------------------------------
def test_a_lone_surrogate_is_a_422_that_encodes(api: TestClient) -> None:
    body = json.dumps({"text": seed_text(0)})[:-2] + ' \\ud800 akhir"}'
    answer = api.post(
        "/api/v1/articles", content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["body", "text"]


def test_a_lone_surrogate_in_a_jsonl_file_costs_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"text": ' + json.dumps(seed_text(0))[:-1] + ' \\udc00"}\n', encoding="utf-8")
    with open_store(tmp_path / "k.db") as store:
        report = service.ingest(store, read_path(path))
    assert len(report.added) == 1, report.errors


def test_a_client_id_is_rejected_clearly(api: TestClient) -> None:
    answer = api.post("/api/v1/articles", json={"text": seed_text(0), "id": "mine-1"})
    assert answer.status_code == 422 and "'id' is not accepted" in answer.text


def test_a_list_where_a_string_belongs_is_rejected(api: TestClient, tmp_path: Path) -> None:
    answer = api.post("/api/v1/articles", json={"text": seed_text(0), "title": ["x"]})
    assert answer.status_code == 422
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"text": seed_text(0), "title": ["x"]}), encoding="utf-8")
    (error,) = list(read_path(path))
    assert isinstance(error, InputError) and "'title' must be a string" in error.problem


def test_outlets_with_a_slash_and_story_prefixes_resolve(hostile_store: str) -> None:
    client = TestClient(create_app(hostile_store, api_key=""))
    outlet = client.get("/outlets/" + "%2B1-2%40Kompas%2FRegional")
    assert outlet.status_code == 200 and "Kompas/Regional" in outlet.text
    with open_store(hostile_store) as store:
        story = store.list_stories(limit=1)[0]
    assert client.get(f"/api/v1/stories/{story.id[:6]}").json()["id"] == story.id
    assert client.get(f"/stories/{story.id[:6]}").status_code == 200
    assert client.get("/api/v1/stories/abc").status_code == 404  # too short to be a prefix


def test_unknown_is_not_an_outlet(tmp_path: Path) -> None:
    raws = [r for r in read_path(SEEDS) if isinstance(r, RawArticle)]
    tempo = next(r for r in raws if "TEMPO" in r.text)  # the seed naming its outlet once
    tempo.text = "\n".join(line for line in tempo.text.split("\n") if "tempo" not in line.lower())
    with open_store(tmp_path / "k.db") as store:
        service.ingest(store, raws)
        stories = store.list_stories()
        outlets = {o for s in stories for o in s.outlets}
        unnamed = [a for a in store.list_articles(limit=10) if a.outlet is None]
    assert unnamed, "the test needs an article without an outlet"
    assert "unknown" not in outlets  # "N outlets" counts named outlets only


def test_read_commands_without_a_store_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KABAR_DB", raising=False)
    for command in (["stories"], ["story", "abcd"], ["search", "x"], ["export"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1 and "no database" in result.output, command
    assert not (tmp_path / "kabar.db").exists()


def test_many_bad_lines_print_a_capped_number_of_messages(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    lines = ["{not json"] * 100_000 + [json.dumps({"text": seed_text(0)})]
    path.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 1
    assert result.output.count("skipped") <= 25
    assert "99,980 more" in result.output and "1 added" in result.output


def test_symlinks_out_of_an_ingested_folder_are_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(seed_text(1), encoding="utf-8")
    (folder / "good.txt").write_text(seed_text(0), encoding="utf-8")
    (folder / "link.txt").symlink_to(secret)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "inside.txt").symlink_to(folder / "good.txt")
    results = list(read_path(folder))
    read = sorted(Path(r.source).name for r in results if isinstance(r, RawArticle))
    refused = sorted(Path(r.source).name for r in results if isinstance(r, InputError))
    assert read == ["good.txt", "inside.txt"] and refused == ["link.txt", "passwd.txt"]
