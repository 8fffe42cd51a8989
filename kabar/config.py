"""Settings from the conventional places: defaults < config file < environment < flags.

The config file is ``./kabar.toml`` or ``$XDG_CONFIG_HOME/kabar/config.toml`` (or the path in
``KABAR_CONFIG``), a flat TOML table: ``db``, ``max_bytes``, ``host``, ``port``, ``encoding``.
Each key can be set by an environment variable ``KABAR_<KEY>`` (``KABAR_DB``...).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from kabar.errors import KabarError


@dataclass(frozen=True)
class Settings:
    db: str = "kabar.db"
    max_bytes: int = 5_000_000
    encoding: str = "utf-8"
    host: str = "127.0.0.1"
    port: int = 8000


def config_path() -> Path | None:
    explicit = os.environ.get("KABAR_CONFIG")
    if explicit:
        return Path(explicit)
    for candidate in (
        Path("kabar.toml"),
        Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "kabar" / "config.toml",
    ):
        if candidate.is_file():
            return candidate
    return None


def load_settings() -> Settings:
    """Settings with the config file and ``KABAR_*`` environment variables applied."""
    settings = Settings()
    path = config_path()
    values: dict[str, object] = {}
    if path is not None:
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise KabarError(f"cannot read config file {path}: {exc}") from exc
    for f in fields(Settings):
        env = os.environ.get(f"KABAR_{f.name.upper()}")
        if env is not None:
            values[f.name] = env
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise KabarError(f"unknown setting(s) {', '.join(unknown)} in {path or 'environment'}")
    converted: dict[str, object] = {}
    for name, value in values.items():
        try:
            converted[name] = int(value) if known[name].type in ("int", int) else str(value)  # type: ignore[call-overload]
        except ValueError:
            raise KabarError(f"setting {name} must be a number, got {value!r}") from None
    return replace(settings, **converted)  # type: ignore[arg-type]
