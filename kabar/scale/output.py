"""The output folder of a batch run: Parquet written as rows arrive, read back, loaded.

Layout (one row per record; objects as JSON text of :func:`kabar.model.to_dict`):
``articles.parquet`` (id, published, data), ``stories.parquet`` (id, size, data),
``failures.parquet`` (source, problem, fix), ``state.parquet`` (the grouping state blob and
the number of articles it covers, so later ``kabar ingest`` runs continue incrementally).
Written and read with pyarrow (the ``spark`` extra), without Spark.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from kabar.errors import InputError, KabarError
from kabar.follows import ArticleInfo, Matcher, article_info, match_articles, new_event_alerts
from kabar.model import Article, Story, from_dict, to_dict
from kabar.store import Store
from kabar.stories import GroupingState

FILES = ("articles.parquet", "stories.parquet", "failures.parquet", "state.parquet")

Progress = Callable[[str, int], None]
"""Called as ``progress(step, done)`` while a long step runs."""


class BatchWriter:
    """The four Parquet files of a batch output, written as rows arrive (row groups of
    ``rows`` rows), so that a million articles never sit in memory together."""

    def __init__(self, output_dir: Path, rows: int = 5000) -> None:
        self.output_dir = output_dir
        self.rows = rows
        self.articles = 0
        self.stories = 0
        self._writers: dict[str, Any] = {}
        self._buffers: dict[str, dict[str, list[Any]]] = {
            name: {column: [] for column in schema.names} for name, schema in _schemas().items()
        }

    def add_article(self, article: Article, data: str | None = None) -> None:
        data = data if data is not None else json.dumps(to_dict(article), ensure_ascii=False)
        self._add("articles.parquet", id=article.id, published=article.published, data=data)
        self.articles += 1

    def add_story(self, story: Story) -> None:
        data = json.dumps(to_dict(story), ensure_ascii=False)
        self._add("stories.parquet", id=story.id, size=len(story.article_ids), data=data)
        self.stories += 1

    def _add(self, name: str, **row: Any) -> None:
        buffer = self._buffers[name]
        for column, value in row.items():
            buffer[column].append(value)
        if len(buffer["id"]) >= self.rows:
            self._flush(name)

    def _flush(self, name: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = _schemas()[name]
        if name not in self._writers:
            self._writers[name] = pq.ParquetWriter(self.output_dir / name, schema)
        buffer = self._buffers[name]
        self._writers[name].write_table(pa.table(buffer, schema=schema))
        for column in buffer.values():
            column.clear()

    def finish(self, failures: Sequence[InputError], state: GroupingState) -> None:
        """Write the failures and the grouping state; close every file."""
        buffers = self._buffers
        buffers["failures.parquet"] = {
            "source": [e.source for e in failures],
            "problem": [e.problem for e in failures],
            "fix": [e.fix for e in failures],
        }
        buffers["state.parquet"] = {"state": [state.to_bytes()], "articles": [len(state)]}
        for name in FILES:
            self._flush(name)
        self.close()

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    return {
        "articles.parquet": pa.schema(
            [("id", pa.string()), ("published", pa.string()), ("data", pa.string())]
        ),
        "stories.parquet": pa.schema(
            [("id", pa.string()), ("size", pa.int64()), ("data", pa.string())]
        ),
        "failures.parquet": pa.schema(
            [("source", pa.string()), ("problem", pa.string()), ("fix", pa.string())]
        ),
        "state.parquet": pa.schema([("state", pa.binary()), ("articles", pa.int64())]),
    }


def read_output(output_dir: str | os.PathLike[str]) -> tuple[list[Article], list[Story], bytes]:
    """The articles, stories and grouping state a batch run wrote (all in memory: for a
    large output, :func:`iter_output_articles` reads the articles a row group at a time)."""
    folder = _output_folder(output_dir)
    articles = [a for batch in iter_output_articles(folder) for a in batch]
    stories, state, _covered = read_grouping(folder)
    return articles, stories, state


def iter_output_articles(
    output_dir: str | os.PathLike[str], batch_size: int = 5000
) -> Iterator[list[Article]]:
    """A batch output's articles, ``batch_size`` at a time, in the order they were written."""
    import pyarrow.parquet as pq

    folder = _output_folder(output_dir)
    with pq.ParquetFile(folder / "articles.parquet") as parquet:
        for batch in parquet.iter_batches(batch_size=batch_size, columns=["data"]):
            yield [from_dict(Article, json.loads(d)) for d in batch.column(0).to_pylist()]


def _output_ids(folder: Path) -> Iterator[str]:
    """The article ids of a batch output, read from their own column (no article decoded)."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(folder / "articles.parquet") as parquet:
        for batch in parquet.iter_batches(columns=["id"]):
            yield from batch.column(0).to_pylist()


def read_grouping(output_dir: str | os.PathLike[str]) -> tuple[list[Story], bytes, int]:
    """A batch output's stories, grouping state, and the number of articles it covers."""
    import pyarrow.parquet as pq

    folder = _output_folder(output_dir)
    stories = [
        from_dict(Story, json.loads(d))
        for d in pq.read_table(folder / "stories.parquet", columns=["data"]).column(0).to_pylist()
    ]
    (row,) = pq.read_table(folder / "state.parquet").to_pylist()
    return stories, row["state"], row["articles"]


def _output_folder(output_dir: str | os.PathLike[str]) -> Path:
    folder = Path(output_dir)
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise KabarError(
            f"{folder}: not a batch output (missing {', '.join(missing)});"
            " write one with `kabar batch INPUT -o FOLDER`"
        )
    return folder


def load_output(
    store: Store, output_dir: str | os.PathLike[str], progress: Progress | None = None
) -> tuple[int, int]:
    """Put a batch output into a store (empty, or holding exactly these articles). Returns
    (articles added, stories).

    The articles go in a row group at a time (each its own transaction, so memory does not
    grow with the output), then the stories and grouping state in one transaction. Loading
    again after an interruption adds what is missing: the articles are written in their
    final form (resolved names, ``duplicate_of``) and adding is idempotent.

    The batch's stories replace the store's; on a store that holds other articles the
    grouping would be incomplete, so that is refused, before anything is written.
    """
    folder = _output_folder(output_dir)
    stored = store.count_articles()
    if stored:
        known = sum(store.has_article(aid) for aid in _output_ids(folder))
        if known != stored:
            raise KabarError(
                f"the store holds {stored - known} articles that are not in {output_dir}:"
                " load a batch into an empty store (or one loaded from this batch)"
            )
    tell = progress or (lambda step, done: None)
    # Follows: a store grouped before (this batch loaded already) has no new event; else
    # every event of the batch is new, and its matching articles are noted as they stream.
    follows = store.list_follows()
    if follows and store.load_grouping_state() is not None:
        follows = []
    matcher = Matcher(follows)
    matches: dict[str, set[str]] = {}
    info: dict[str, ArticleInfo] = {}
    added = 0
    for batch in iter_output_articles(folder):
        added += len(store.add_articles(batch).added)
        found = match_articles(matcher, batch)
        matches.update(found)
        info.update((a.id, article_info(a)) for a in batch if a.id in found)
        tell("loaded", added)
    stories, state, covered = read_grouping(folder)
    if matches:  # recorded before the stories, as an ingest does (kabar.service)
        store.record_alerts(new_event_alerts(stories, None, matches, info))
    store.save_grouping([], stories, state, state_articles=covered)
    return added, len(stories)
