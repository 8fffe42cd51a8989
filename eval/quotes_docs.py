"""The documents of the quote gold: where each comes from and how its raw text is read.

Shared by ``eval/quotes.py`` and the labelling helper ``eval/gold/quotes/label.py``. A gold
document is ``source`` + ``doc``: ``newsweek`` + article id (the local corpus, never
committed), ``seed`` + file name (``/work/shared/seeds`` or the bundled examples) or ``t17`` +
``topic/id`` (Timeline17 dev topics). Gold offsets index the raw text the reader gives
(:attr:`RawArticle.text`), so they hold whatever the cleaner does; :func:`locate` finds a raw
span in a processed article's body by its words.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from kabar.ingest import ReadOptions, _from_record, read_path
from kabar.model import RawArticle

ROOT = Path(__file__).resolve().parent.parent
NEWSWEEK = Path("/work/data/newsweek/newsweek.jsonl")
SEEDS = [Path("/work/shared/seeds"), ROOT / "examples" / "seeds"]
T17 = Path("/work/shared/data/t17-dev")
_WORD = re.compile(r"\w+", re.UNICODE)


@cache
def _newsweek() -> dict[str, str]:
    """Article id → its JSONL line (empty when the corpus is not rebuilt here)."""
    if not NEWSWEEK.exists():
        return {}
    lines = {}
    with NEWSWEEK.open(encoding="utf-8") as handle:
        for line in handle:
            lines[json.loads(line)["id"]] = line
    return lines


@cache
def _t17(topic: str) -> dict[str, str]:
    path = T17 / topic / "articles.jsonl"
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        record = json.loads(line)
        out[str(record["id"])] = line
    return out


def load(source: str, doc: str) -> RawArticle | None:
    """The raw article of a gold document, or None when its corpus is absent here."""
    if source == "newsweek":
        line = _newsweek().get(doc)
        record = json.loads(line) if line else None
    elif source == "t17":
        topic, _, item = doc.partition("/")
        line = _t17(topic).get(item)
        record = json.loads(line) if line else None
        if record is not None:
            record = {"id": record["id"], "published": record.get("time"), "text": record["text"]}
    elif source == "seed":
        for folder in SEEDS:
            path = folder / doc
            if path.exists():
                found = next(iter(read_path(path)))
                return found if isinstance(found, RawArticle) else None
        return None
    else:
        raise ValueError(f"unknown gold source {source!r}")
    if record is None:
        return None
    raw = _from_record(record, f"{source}:{doc}", ReadOptions())
    return raw if isinstance(raw, RawArticle) else None


def locate(body: str, snippet: str, near: float = 0.0) -> tuple[int, int] | None:
    """The span of ``body`` holding the words of ``snippet`` in order (spacing, quotes and
    punctuation between them may differ); the match nearest the fraction ``near``."""
    words = _WORD.findall(snippet)
    if not words:
        return None
    pattern = re.compile(r"\W+".join(re.escape(w) for w in words))
    found = [(m.start(), m.end()) for m in pattern.finditer(body)]
    if not found:
        return None
    return min(found, key=lambda span: abs(span[0] / max(1, len(body)) - near))
