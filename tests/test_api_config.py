"""The API's ingests group with the configured parameters (``[grouping]`` of kabar.toml,
``KABAR_GROUPING_*``), as ``kabar ingest`` does, in the request's thread and in the write
worker process; a store grouped with other parameters is a 409 that keeps the articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kabar import service
from kabar.api import create_app
from kabar.cli import app as cli_app
from kabar.ingest import read_paths
from kabar.store import open_store
from kabar.stories import GroupingParams, GroupingState

SEED_FILES = sorted(SEEDS.glob("*.txt"))
# No two articles are that alike: every article its own story (the defaults put four or
# more of the seeds in one story).
CONFIG = "[grouping]\nstory_threshold = 1.01\n"


def _items(paths: list[Path]) -> list[dict[str, str]]:
    return [{"text": p.read_text(encoding="utf-8")} for p in paths]


def _grouping(db: str) -> tuple[GroupingParams, list[int]]:
    """The parameters of the saved grouping state and the story sizes, largest first."""
    with open_store(db) as store:
        saved = store.load_grouping_state()
        assert saved is not None
        sizes = sorted((len(set(s.article_ids)) for s in store.iter_stories()), reverse=True)
        return GroupingState.from_bytes(saved[0]).params, sizes


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GroupingParams:
    config = tmp_path / "kabar.toml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("KABAR_CONFIG", str(config))
    return GroupingParams(story_threshold=1.01)


@pytest.mark.parametrize("processes", [0, 1], ids=["in-thread", "worker-process"])
def test_api_ingest_groups_with_the_configured_parameters(
    tmp_path: Path, configured: GroupingParams, processes: int
) -> None:
    db = str(tmp_path / "api.db")
    with TestClient(create_app(db, api_key="", ingest_processes=processes)) as client:
        answer = client.post("/api/v1/articles/batch", json={"articles": _items(SEED_FILES)})
    assert answer.status_code == 200, answer.text
    params, sizes = _grouping(db)
    assert params == configured
    # The CLI, under the same configuration, groups the same articles the same way.
    cli_db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(cli_app, ["ingest", str(SEEDS), "--db", cli_db])
    assert result.exit_code == 0, result.output
    assert (params, sizes) == _grouping(cli_db)
    assert answer.json()["stories"] == len(sizes) == len(SEED_FILES)


def test_api_ingest_into_a_store_grouped_otherwise_is_a_409(
    tmp_path: Path, configured: GroupingParams
) -> None:
    db = str(tmp_path / "kabar.db")
    with open_store(db) as store:  # grouped with the defaults, before the configuration
        service.ingest(store, read_paths(SEED_FILES[:2]), params=GroupingParams())
    with TestClient(create_app(db, api_key="")) as client:
        answer = client.post("/api/v1/articles", json=_items(SEED_FILES[2:3])[0])
        page = client.get("/api/v1/health")
    assert answer.status_code == 409, answer.text
    assert f"story_threshold: {GroupingParams().story_threshold} → 1.01" in answer.json()["detail"]
    assert "kabar regroup" in answer.json()["detail"]
    assert page.json()["articles"] == 3  # stored; only the stories wait for the regroup
