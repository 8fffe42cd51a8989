"""Settings from the conventional places: defaults < config file < environment < flags.

The config file is ``./kabar.toml`` or ``$XDG_CONFIG_HOME/kabar/config.toml`` (or the path in
``KABAR_CONFIG``), a TOML table: ``db``, ``max_bytes``, ``max_chars``, ``host``, ``port``,
``encoding``, and a ``[grouping]`` table of story-grouping parameters (any field of
:class:`kabar.stories.GroupingParams`, e.g. ``story_threshold = 0.08``). Each key can be set
by an environment variable ``KABAR_<KEY>`` (``KABAR_DB``...), a grouping parameter by
``KABAR_GROUPING_<NAME>`` (``KABAR_GROUPING_STORY_THRESHOLD``).

Changing a grouping parameter changes how stories are made: a store grouped with other
parameters asks for ``kabar regroup`` before it takes new articles.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kabar.errors import KabarError

if TYPE_CHECKING:
    from kabar.stories import GroupingParams


def _default_grouping() -> GroupingParams:
    # kabar.stories loads numpy and the meta stage: only commands that group pay for it
    from kabar.stories import GroupingParams

    return GroupingParams()


@dataclass(frozen=True)
class Settings:
    db: str = "kabar.db"
    max_bytes: int = 5_000_000
    max_chars: int = 500_000
    """The news text analysed per article, in characters (see :data:`kabar.pipeline.MAX_CHARS`)."""
    encoding: str = "utf-8"
    host: str = "127.0.0.1"
    port: int = 8000
    grouping: GroupingParams = field(default_factory=_default_grouping)


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
    from kabar.stories import GroupingParams

    top, grouping, where = _read()
    params = _typed(GroupingParams, grouping, "KABAR_GROUPING_", where)
    return Settings(**top, grouping=GroupingParams(**params))


def load_db() -> str:
    """The store's location alone (file, environment), for the read commands: the same
    checks of the top-level settings as :func:`load_settings`, but the ``[grouping]``
    table is not read, so that listing stories never imports the grouping code."""
    top, _grouping, _where = _read()
    return str(top.get("db", Settings.db))


@functools.cache
def configured_max_chars() -> int:
    """:func:`load_max_chars`, read once per process: what the application (the service,
    the executors' workers) passes to :func:`kabar.pipeline.process`."""
    return load_max_chars()


def load_max_chars() -> int:
    """The analysed length of an article (``max_chars``: file, environment), read like
    :func:`load_db` without the ``[grouping]`` table, for the pipeline's worker processes."""
    top, _grouping, _where = _read()
    return int(top.get("max_chars", Settings.max_chars))


def _read() -> tuple[dict[str, Any], dict[str, Any], str]:
    """The top-level settings (typed), the raw ``[grouping]`` table, and where they came from."""
    path = config_path()
    values: dict[str, Any] = {}
    if path is not None:
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise KabarError(f"cannot read config file {path}: {exc}") from exc
    where = str(path or "environment")
    grouping = values.pop("grouping", {})
    if not isinstance(grouping, dict):
        raise KabarError(f"grouping in {where} must be a table ([grouping])")
    return _typed(Settings, values, "KABAR_", where, skip={"grouping"}), grouping, where


def _typed(
    cls: type,
    values: dict[str, Any],
    prefix: str,
    where: str,
    skip: frozenset[str] | set[str] = frozenset(),
) -> dict[str, Any]:
    """The values for ``cls``'s fields (environment over file), converted to their types;
    an unknown name or an unreadable value is an error that names it."""
    known = {f.name: f for f in fields(cls) if f.name not in skip}
    values = dict(values)
    for name in known:
        env = os.environ.get(f"{prefix}{name.upper()}")
        if env is not None:
            values[name] = env
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise KabarError(f"unknown setting(s) {', '.join(unknown)} in {where}")
    return {name: _convert(name, known[name].type, value) for name, value in values.items()}


def _convert(name: str, declared: object, value: object) -> object:
    kind: str = declared if isinstance(declared, str) else getattr(declared, "__name__", "")
    try:
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(value)
            return text in ("true", "1", "yes")
        if kind == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(value)  # type: ignore[call-overload]
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError(value)
            return float(value)  # type: ignore[arg-type]
    except ValueError:
        wanted = {"bool": "true or false", "int": "a whole number"}.get(kind, "a number")
        raise KabarError(f"setting {name} must be {wanted}, got {value!r}") from None
    return str(value)
