"""Settings: defaults < kabar.toml < KABAR_* environment, grouping parameters included."""

from __future__ import annotations

from pathlib import Path

import pytest

from kabar.config import load_settings
from kabar.errors import KabarError
from kabar.stories import GroupingParams


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "kabar.toml"
    monkeypatch.setenv("KABAR_CONFIG", str(path))
    return path


def test_grouping_parameters_come_from_the_file_then_the_environment(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.write_text('db = "x.db"\n[grouping]\nstory_threshold = 0.08\nstem = false\n')
    monkeypatch.setenv("KABAR_GROUPING_MAX_TERMS", "80")
    monkeypatch.setenv("KABAR_GROUPING_STEM", "true")
    settings = load_settings()
    assert settings.db == "x.db"
    assert settings.grouping == GroupingParams(story_threshold=0.08, stem=True, max_terms=80)


def test_an_empty_file_keeps_the_defaults(config: Path) -> None:
    config.write_text("")
    assert load_settings().grouping == GroupingParams()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[grouping]\nstory_treshold = 0.1\n", "unknown setting.*story_treshold"),
        ("[grouping]\nmax_terms = 1.5\n", "max_terms must be a whole number"),
        ('[grouping]\nbigrams = "maybe"\n', "bigrams must be true or false"),
        ("grouping = 3\n", "must be a table"),
        ('port = "eighty"\n', "port must be a whole number"),
    ],
)
def test_a_wrong_setting_is_named(config: Path, text: str, message: str) -> None:
    config.write_text(text)
    with pytest.raises(KabarError, match=message):
        load_settings()
