"""Batch runs beyond one process: the same stages, mapped over files by Spark or in-process.

:func:`run_batch` reads input files, runs the per-article stage :func:`kabar.pipeline.process`
over them, then the corpus part :func:`kabar.pipeline.build_grouping`, and writes Parquet to
an output folder that ``kabar load`` (:func:`load_output`) puts into a store.

``engine="local"`` is the embedded path (one process, what ``kabar ingest`` does);
``engine="spark"`` runs the per-article part as a Spark ``mapPartitions`` over the input
files (``local[*]`` by default, a ``spark://`` cluster via ``master`` or ``KABAR_SPARK_MASTER``).
No stage logic lives here: both engines call the same functions.

What is distributed, and what is not (said plainly):

- on the executors: reading + cleaning + meta + time + entity mentions (``process``), one
  Spark task per group of input files (a failing article becomes a failure record, not a
  crash); MinHash signatures, LSH band joins and the verification of candidate copies
  (:func:`kabar.scale.spark.near_copies`); and each story's timeline, summary and facts
  (:func:`kabar.timeline.make_story`, one task per group of stories);
- on the driver: cross-article entity resolution and the online story clustering, which is
  sequential by nature (each article is placed given the ones before it), so both engines
  give the same stories. The driver holds every article while it clusters; partitioning the
  clustering by time window with a merge across window borders is not done yet;
- Parquet is written on the driver with pyarrow; ``kabar load`` reads it back with
  pyarrow, without Spark.

Output folder layout (one row per record; objects as JSON text of :func:`kabar.model.to_dict`):
``articles.parquet`` (id, published, data), ``stories.parquet`` (id, size, data),
``failures.parquet`` (source, problem, fix), ``state.parquet`` (the grouping state blob and
the number of articles it covers, so later ``kabar ingest`` runs continue incrementally).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from kabar.errors import InputError, KabarError
from kabar.ingest import ReadOptions, file_kind, read_path
from kabar.model import Article, Story, from_dict, to_dict
from kabar.pipeline import StoryMaker, build_grouping, make_stories, process
from kabar.store import Store
from kabar.stories import GroupingState

Engine = Literal["local", "spark"]
FILES = ("articles.parquet", "stories.parquet", "failures.parquet", "state.parquet")


@dataclass
class BatchReport:
    """What a batch run produced: counts, the failures (as records), where it wrote."""

    output_dir: str
    engine: str
    articles: int = 0
    stories: int = 0
    failures: list[InputError] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "output_dir": self.output_dir,
            "engine": self.engine,
            "articles": self.articles,
            "stories": self.stories,
            "failures": [
                {"source": e.source, "problem": e.problem, "fix": e.fix} for e in self.failures
            ],
        }


def input_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[str], list[InputError]]:
    """The article files under the given paths, in the order ``kabar ingest`` reads them
    (folders: sorted, recursive, hidden parts skipped, supported extensions only).

    Listed on the driver so that Spark can split the work by file."""
    files: list[str] = []
    problems: list[InputError] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and file_kind(p) is not None
            )
            if not found:
                # read_path words the error (same message as `kabar ingest`)
                problems.extend(r for r in read_path(path) if isinstance(r, InputError))
            files.extend(str(p) for p in found)
        else:
            files.append(str(path))
    return files, problems


def process_files(files: Iterable[str], options: ReadOptions | None = None) -> Iterator[str]:
    """Read and process each file's articles: one JSON line per article or failure.

    This is the function Spark maps over partitions of file names; the local engine calls
    it directly. JSON text because it crosses the Python/JVM border cheaply and picklably.
    """
    for name in files:
        for item in read_path(Path(name), options):
            if isinstance(item, InputError):
                yield _failure(item)
                continue
            try:
                article = process(item)
            except InputError as exc:
                yield _failure(exc)
            except Exception as exc:  # a stage bug must cost one article, not the whole run
                yield _failure(InputError(item.source, f"processing failed: {exc!r}"))
            else:
                yield json.dumps({"article": to_dict(article)}, ensure_ascii=False)


def _failure(error: InputError) -> str:
    return json.dumps(
        {"failure": {"source": error.source, "problem": error.problem, "fix": error.fix}},
        ensure_ascii=False,
    )


def run_batch(
    inputs: Sequence[str | os.PathLike[str]],
    output_dir: str | os.PathLike[str],
    engine: Engine = "local",
    master: str | None = None,
    options: ReadOptions | None = None,
) -> BatchReport:
    """Process ``inputs`` (files or folders) with ``engine`` and write Parquet to ``output_dir``.

    master: Spark master URL for ``engine="spark"`` (default ``KABAR_SPARK_MASTER`` or
    ``local[*]``); ignored by the local engine.
    """
    if engine not in ("local", "spark"):
        raise KabarError(f"unknown engine {engine!r}: use local or spark")
    files, problems = input_files(inputs)
    report = BatchReport(output_dir=str(output_dir), engine=engine, failures=problems)
    mapped = None
    if engine == "spark" and files:
        from kabar.scale import spark

        mapped = spark.map_files(files, master=master, options=options)
        lines: Iterable[str] = mapped.toLocalIterator()
    else:
        lines = process_files(files, options)
    seen: dict[str, Article] = {}
    for line in lines:
        record = json.loads(line)
        if "failure" in record:
            report.failures.append(InputError(**record["failure"]))
            continue
        article = from_dict(Article, record["article"])
        seen.setdefault(article.id, article)  # re-ingesting a stored article does nothing
    story_maker: StoryMaker = make_stories
    if mapped is not None:
        copies = spark.near_copies(
            mapped.zipWithIndex()
            .flatMap(_article_row)
            .reduceByKey(min)  # exact copies share an id: the first one read is kept
            .map(lambda kv: (kv[0], kv[1][1], kv[1][2]))
        )
        for article in seen.values():
            article.duplicate_of = copies.get(article.id)
        mapped.unpersist()
        story_maker = partial(spark.story_records, master=master)
    articles, stories, state = build_grouping(list(seen.values()), story_maker=story_maker)
    write_output(Path(output_dir), articles, stories, report.failures, state)
    report.articles = len(articles)
    report.stories = len(stories)
    return report


def _article_row(item: tuple[str, int]) -> list[tuple[str, tuple[int, str, str]]]:
    """(id, (input position, publication order key, body)) of an article line."""
    line, position = item
    record = json.loads(line)
    if "article" not in record:
        return []
    article = record["article"]
    return [(article["id"], (position, article.get("published") or "9999", article["body"]))]


def write_output(
    output_dir: Path,
    articles: Sequence[Article],
    stories: Sequence[Story],
    failures: Sequence[InputError],
    state: GroupingState,
) -> None:
    """The four Parquet files of a batch run (see the module docstring)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    output_dir.mkdir(parents=True, exist_ok=True)
    tables: dict[str, dict[str, list[Any]]] = {
        "articles.parquet": {
            "id": [a.id for a in articles],
            "published": [a.published for a in articles],
            "data": [json.dumps(to_dict(a), ensure_ascii=False) for a in articles],
        },
        "stories.parquet": {
            "id": [s.id for s in stories],
            "size": [len(s.article_ids) for s in stories],
            "data": [json.dumps(to_dict(s), ensure_ascii=False) for s in stories],
        },
        "failures.parquet": {
            "source": [e.source for e in failures],
            "problem": [e.problem for e in failures],
            "fix": [e.fix for e in failures],
        },
        "state.parquet": {"state": [state.to_bytes()], "articles": [len(state)]},
    }
    schemas = {
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
    for name, columns in tables.items():
        pq.write_table(pa.table(columns, schema=schemas[name]), output_dir / name)


def read_output(output_dir: str | os.PathLike[str]) -> tuple[list[Article], list[Story], bytes]:
    """The articles, stories and grouping state a batch run wrote."""
    import pyarrow.parquet as pq

    folder = Path(output_dir)
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise KabarError(
            f"{folder}: not a batch output (missing {', '.join(missing)});"
            " write one with `kabar batch INPUT -o FOLDER`"
        )
    articles = [
        from_dict(Article, json.loads(d))
        for d in pq.read_table(folder / "articles.parquet", columns=["data"]).column(0).to_pylist()
    ]
    stories = [
        from_dict(Story, json.loads(d))
        for d in pq.read_table(folder / "stories.parquet", columns=["data"]).column(0).to_pylist()
    ]
    state = pq.read_table(folder / "state.parquet", columns=["state"]).column(0).to_pylist()[0]
    return articles, stories, state


def load_output(store: Store, output_dir: str | os.PathLike[str]) -> tuple[int, int]:
    """Put a batch output into a store (empty, or holding exactly these articles):
    ``add_articles`` then ``save_grouping``. Returns (articles added, stories).

    The batch's stories replace the store's; on a store that holds other articles the
    grouping would be incomplete, so that is refused rather than silently wrong.
    """
    articles, stories, state = read_output(output_dir)
    already = sum(store.has_article(a.id) for a in articles)
    if store.count_articles() != already:
        raise KabarError(
            f"the store holds {store.count_articles() - already} articles that are not in"
            f" {output_dir}: load a batch into an empty store (or one loaded from this batch)"
        )
    result = store.add_articles(articles)
    store.save_grouping(articles, stories, state)
    return len(result.added), len(stories)
