"""The ``kabar`` command end to end, in a temporary folder, as a user would run it."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from kabar.cli import app
from kabar.stories import GroupingParams

runner = CliRunner()


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return str(tmp_path / "kabar.db")


def _articles_in(db: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def test_demo_prints_one_story_with_its_timeline(db: str) -> None:
    result = runner.invoke(app, ["demo", "--db", db])
    assert result.exit_code == 0, result.output
    assert "5 added" in result.output and "1 stories" in result.output
    for date in ("2018-09-06", "2023-10", "2024-03-26", "2024-06-19", "2024-06-20"):
        assert date in result.output
    for outlet in ("Tempo", "Kontan", "IDN Times", "reporter.web.id"):
        assert outlet in result.output


def test_ingest_is_idempotent(db: str) -> None:
    first = runner.invoke(app, ["ingest", str(SEEDS), "--db", db, "--json"])
    assert first.exit_code == 0, first.output
    assert len(json.loads(first.output)["added"]) == 5
    second = runner.invoke(app, ["ingest", str(SEEDS), "--db", db, "--json"])
    report = json.loads(second.output)
    assert report["added"] == [] and len(report["existing"]) == 5 and report["stories"] == 1
    assert _articles_in(db) == 5


def test_stories_story_search_and_export(db: str, tmp_path: Path) -> None:
    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", db]).exit_code == 0
    stories = json.loads(runner.invoke(app, ["stories", "--db", db, "--json"]).output)
    assert len(stories) == 1 and stories[0]["articles"] == 5
    story_id = stories[0]["id"]

    shown = runner.invoke(app, ["story", story_id[:6], "--db", db, "--json"])
    assert shown.exit_code == 0
    assert "2024-06-19" in [e["date"] for e in json.loads(shown.output)["timeline"]]

    missing = runner.invoke(app, ["story", "ffffffffffffffff", "--db", db])
    assert missing.exit_code == 1 and "no story" in missing.output

    hits = json.loads(runner.invoke(app, ["search", "Sochi", "--db", db, "--json"]).output)
    assert len(hits) == 1 and "[[Sochi]]" in hits[0]["snippet"]

    rows = list(
        csv.DictReader(io.StringIO(runner.invoke(app, ["export", "-f", "csv", "--db", db]).output))
    )
    assert {"2018-09-06", "2024-06-20"} <= {r["date"] for r in rows}
    report = tmp_path / "report.md"
    assert runner.invoke(app, ["export", "-f", "md", "-o", str(report), "--db", db]).exit_code == 0
    assert "| 2024-03-26 |" in report.read_text()
    exported = json.loads(runner.invoke(app, ["export", "--db", db]).output)
    assert exported[0]["id"] == story_id


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty input"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(200)), "binary data"),
        (
            "latin.txt",
            "Berita dari Jakarta — «kutipan» pada hari Senin.".encode("cp1252"),
            "not valid utf-8",
        ),
        (
            "boiler.txt",
            b"Baca Juga: sesuatu\nAdvertising\nBerita Terkini\n- satu\n",
            "no news text",
        ),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    db: str, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["ingest", str(path), "--db", db])
    assert result.exit_code == 1
    assert message in result.output.lower()
    assert _articles_in(db) == 0


def test_empty_folder_is_an_error(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    result = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 1 and "no article files" in result.output


def test_good_files_survive_a_bad_neighbour(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_text((SEEDS / "003_829b5d904503e740.txt").read_text())
    (folder / "b.txt").write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(folder), "--db", db, "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert len(report["added"]) == 1 and report["errors"][0]["source"].endswith("b.txt")
    assert _articles_in(db) == 1


def test_help_teaches(db: str) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "kabar demo" in result.output
    assert "encoding" in runner.invoke(app, ["ingest", "--help"]).output


def test_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "env.db"
    monkeypatch.setenv("KABAR_DB", str(target))
    assert runner.invoke(app, ["ingest", str(SEEDS / "003_829b5d904503e740.txt")]).exit_code == 0
    assert _articles_in(str(target)) == 1


def test_changed_grouping_parameters_ask_for_a_regroup(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stories grouped under one rule are not continued under another: ingest stores the
    articles and says to run `kabar regroup`, which regroups everything with the new one."""
    seeds = sorted(SEEDS.glob("*.txt"))
    first, rest = tmp_path / "first", tmp_path / "rest"
    for folder, files in ((first, seeds[:2]), (rest, seeds[2:])):
        folder.mkdir()
        for path in files:
            (folder / path.name).write_bytes(path.read_bytes())
    assert runner.invoke(app, ["ingest", str(first), "--db", db]).exit_code == 0
    monkeypatch.setenv("KABAR_CONFIG", str(tmp_path / "kabar.toml"))
    (tmp_path / "kabar.toml").write_text("[grouping]\nstory_threshold = 1.01\n")
    result = runner.invoke(app, ["ingest", str(rest), "--db", db])
    assert result.exit_code == 1
    assert f"story_threshold: {GroupingParams().story_threshold} → 1.01" in result.output
    assert "kabar regroup" in result.output
    assert _articles_in(db) == 5  # stored; only the stories wait for the regroup
    regrouped = runner.invoke(app, ["regroup", "--db", db, "--json"])
    assert regrouped.exit_code == 0, regrouped.output
    assert json.loads(regrouped.output) == {"stories": 5}  # no article clears 1.01
    again = runner.invoke(app, ["ingest", str(SEEDS), "--db", db, "--json"])
    assert again.exit_code == 0 and json.loads(again.output)["stories"] == 5


@pytest.mark.parametrize(("given", "waits"), [([], 0.2), (["--write-first", "0"], 0.0)])
def test_serve_passes_how_long_reads_wait_for_a_posted_article(
    db: str, monkeypatch: pytest.MonkeyPatch, given: list[str], waits: float
) -> None:
    """`kabar serve --write-first` reaches the app's gate (uvicorn not started)."""
    from kabar.api import server

    served: list[object] = []
    monkeypatch.setattr(server, "serve", lambda app, _sock: served.append(app) or True)
    result = runner.invoke(app, ["serve", "--db", db, "--port", "0", "--no-ingest-process", *given])
    assert result.exit_code == 0, result.output
    (served_app,) = served
    assert served_app.state.ingester.gate.max_wait == waits  # type: ignore[attr-defined]


def test_serve_on_port_0_prints_the_port_it_got_and_answers_there(db: str) -> None:
    """`kabar serve --port 0`: the system picks the port, the line shows the real one
    (not 0, not the configured 8000), and the API answers on it."""
    import os
    import signal
    import subprocess
    import sys
    import urllib.request

    from kabar.api.server import started_url

    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", db]).exit_code == 0
    server = subprocess.Popen(
        [sys.executable, "-m", "kabar.cli", "serve", "--db", db, "--port", "0",
         "--no-ingest-process"],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        url = started_url(server)
        host, port = url.removeprefix("http://").rsplit(":", 1)
        assert host == "127.0.0.1" and int(port) not in (0, 8000), url
        with urllib.request.urlopen(url + "/api/v1/health", timeout=60) as response:
            health = json.load(response)
        assert health["status"] == "ok"
        assert (health["articles"], health["stories"]) == (_articles_in(db), 1)
        with urllib.request.urlopen(url + "/api/v1/stories", timeout=60) as response:
            stories = json.load(response)
        assert stories["total"] == 1 and stories["items"][0]["size"] == 5
    finally:
        server.terminate()
        server.wait(timeout=20)
    # A clean shutdown: uvicorn raises the SIGTERM it caught again once it has stopped.
    assert server.returncode == -signal.SIGTERM, server.stderr.read() if server.stderr else ""
