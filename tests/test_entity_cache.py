"""The entity stage's lexicons are built once, then read back from the cache directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from kabar.entities import cache


def test_cached_builds_once_and_rebuilds_when_an_input_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KABAR_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "words.txt"
    source.write_text("kota\nkita\n", encoding="utf-8")
    builds: list[int] = []

    def build() -> frozenset[str]:
        builds.append(1)
        return frozenset(source.read_text(encoding="utf-8").split())

    first = cache.cached("words", build, [source], ("numpy",))
    again = cache.cached("words", build, [source], ("numpy",))
    assert first == again == {"kota", "kita"} and len(builds) == 1
    source.write_text("kota\nkita\nnanti\n", encoding="utf-8")
    assert cache.cached("words", build, [source], ("numpy",)) == {"kota", "kita", "nanti"}
    assert len(builds) == 2
    assert len(list((tmp_path / "cache").glob("words-*.pickle"))) == 1  # the stale one went


def test_an_unwritable_cache_only_costs_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("KABAR_CACHE_DIR", str(blocker / "cache"))
    assert cache.cached("x", lambda: {"a": 1}, [], ()) == {"a": 1}


def test_the_cached_gazetteer_is_the_built_one() -> None:
    from kabar.entities import gazetteer

    built = gazetteer._build_gazetteer()
    assert gazetteer.gazetteer() == built
    assert list(gazetteer.gazetteer()) == list(built)  # same order: longest-match ties alike
    assert gazetteer.lookup("Moskwa") == ("Moscow", "LOC")
