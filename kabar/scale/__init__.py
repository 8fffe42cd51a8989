"""Batch runs beyond one process: the same stages, mapped over files by Spark or in-process.

:func:`run_batch` reads input files, runs the per-article stage :func:`kabar.pipeline.process`
over them, then the corpus part :func:`kabar.pipeline.build_grouping`, and writes Parquet to
an output folder that ``kabar load`` (:func:`load_output`) puts into a store.

``engine="local"`` is the embedded path (what ``kabar ingest`` does), with the per-article
part and the story records spread over a pool of worker processes (``workers``; 1 runs
everything in this process, with the same output); ``engine="spark"`` runs them as Spark
tasks (``local[*]`` by default, a ``spark://`` cluster via ``master`` or
``KABAR_SPARK_MASTER``). No stage logic lives here: both engines call the same functions.

What is distributed, and what is not (said plainly):

- in workers / on the executors: reading + cleaning + meta + time + entity mentions
  (``process``), a task per input file (a failing article becomes a failure record, not a
  crash); each story's timeline, summary and facts (:func:`kabar.timeline.make_story`);
  on Spark also the MinHash signatures, LSH band joins and the verification of candidate
  copies (:func:`kabar.scale.spark.near_copies`);
- on the driver: cross-article entity resolution (counts of names, then one article at a
  time) and the online story clustering, which is sequential by nature (each article is
  placed given the ones before it), so both engines give the same stories. Partitioning
  the clustering by time window with a merge across window borders is not done: it would
  give other stories than the embedded path;
- memory: the driver never holds the corpus. Processed articles wait in spool files next to
  the output (deleted at the end) and are read back one at a time in publication order,
  then a chunk of stories at a time; Parquet is written in row groups as rows arrive. What
  grows with the corpus is the grouping state (closed events are packed to a few hundred
  bytes), the sort keys and the spool offsets;
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
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from kabar.corpus import Corpus, StoryJob, StoryMaker, make_stories
from kabar.errors import InputError, KabarError
from kabar.ingest import ReadOptions, file_kind, read_path
from kabar.model import Article, Mention, Story, from_dict, order_key, to_dict
from kabar.pipeline import process
from kabar.store import Store
from kabar.stories import GroupingParams, GroupingState
from kabar.timeline import make_story

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
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each pass: process (map), group, stories (including the final write)."""

    def as_dict(self) -> dict[str, object]:
        return {
            "output_dir": self.output_dir,
            "engine": self.engine,
            "articles": self.articles,
            "stories": self.stories,
            "seconds": {step: round(s, 3) for step, s in self.seconds.items()},
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
    workers: int | None = None,
    progress: Progress | None = None,
    params: GroupingParams | None = None,
) -> BatchReport:
    """Process ``inputs`` (files or folders) with ``engine`` and write Parquet to ``output_dir``.

    master: Spark master URL for ``engine="spark"`` (default ``KABAR_SPARK_MASTER`` or
    ``local[*]``); ignored by the local engine.
    workers: processes for the per-article part and the story records on the local engine
    (default: one per CPU; 1 runs everything in this process). Ignored by Spark.
    progress: called as ``progress(step, done)`` while reading, grouping and building stories.
    params: the grouping parameters (default: the defaults).

    Three passes, so that the corpus is never held in memory (what grows is the grouping
    state, the sort keys and offsets, and the largest story of a chunk):

    1. map: every article is processed (in workers or on Spark) and parked as a JSON line
       in a spool file next to the output; the driver keeps its sort key and offset, and
       counts its names for entity resolution (:meth:`Corpus.count`);
    2. group: the articles are read back one at a time in publication order, their names
       resolved, fed to the grouping state and written to ``articles.parquet``;
    3. stories: each story's members are read back from disk a chunk of stories at a time
       and turned into records (timeline, summary, facts) in workers or on Spark.
    """
    if engine not in ("local", "spark"):
        raise KabarError(f"unknown engine {engine!r}: use local or spark")
    files, problems = input_files(inputs)
    report = BatchReport(output_dir=str(output_dir), engine=engine, failures=problems)
    output = Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    tell = progress or (lambda step, done: None)
    workers = workers or os.cpu_count() or 1
    pool = _pool(workers) if engine == "local" and workers > 1 and len(files) > 1 else None
    remove_stale_spools(output)
    spool_prefix = f".spool-{os.getpid()}-"
    with tempfile.TemporaryDirectory(dir=output, prefix=spool_prefix) as work, ExitStack() as stack:
        if pool is not None:
            stack.enter_context(pool)
        processed = stack.enter_context(Spool(Path(work) / "processed.jsonl"))
        mapped = None
        if engine == "spark" and files:
            from kabar.scale import spark

            mapped = spark.map_files(files, master=master, options=options)
            lines: Iterable[str] = mapped.toLocalIterator()
        elif pool is not None:
            lines = _pooled_lines(pool, files, options)
        else:
            lines = process_files(files, options)
        started = time.perf_counter()
        corpus = Corpus(params=params)
        keys: list[tuple[str, str, tuple[int, int]]] = []
        seen: set[str] = set()
        for line in lines:
            record = json.loads(line)
            if "failure" in record:
                report.failures.append(InputError(**record["failure"]))
                continue
            data = record["article"]
            if data["id"] in seen:  # re-ingesting a stored article does nothing
                continue
            seen.add(data["id"])
            corpus.count(from_dict(Mention, m) for m in data["mentions"])
            keys.append((*order_key(data["published"], data["id"]), processed.append(line)))
            if len(keys) % 1000 == 0:
                tell("processed", len(keys))
        del seen
        copies: dict[str, str] | None = None
        story_maker: StoryMaker = make_stories
        if mapped is not None:
            copies = spark.near_copies(
                mapped.zipWithIndex()
                .flatMap(_article_row)
                .reduceByKey(min)  # exact copies share an id: the first one read is kept
                .map(lambda kv: (kv[0], kv[1][1], kv[1][2]))
            )
            mapped.unpersist()
            story_maker = partial(spark.story_records, master=master)
        elif pool is not None:
            story_maker = partial(_pooled_stories, pool)
        corpus.story_maker = story_maker
        keys.sort()  # publication order
        report.seconds["process"] = time.perf_counter() - started
        started = time.perf_counter()

        def in_order() -> Iterator[Article]:
            for _published, _aid, position in keys:
                yield from_dict(Article, json.loads(processed.read(*position))["article"])

        grouped = stack.enter_context(Spool(Path(work) / "grouped.jsonl"))
        positions: dict[str, tuple[int, int]] = {}
        writer = stack.enter_context(BatchWriter(output))
        for article in corpus.place(in_order(), copies):
            data_text = json.dumps(to_dict(article), ensure_ascii=False)
            positions[article.id] = grouped.append(data_text)
            writer.add_article(article, data_text)
            if writer.articles % 1000 == 0:
                tell("grouped", writer.articles)
        keys.clear()
        on_disk = SpooledArticles(grouped, positions, slim=True)
        report.seconds["group"] = time.perf_counter() - started
        started = time.perf_counter()
        for story in corpus.stories(on_disk):
            writer.add_story(story)
            if writer.stories % 100 == 0:
                tell("stories", writer.stories)
        writer.finish(report.failures, corpus.state)
        report.seconds["stories"] = time.perf_counter() - started
        report.articles = writer.articles
        report.stories = writer.stories
    return report


Progress = Callable[[str, int], None]


def remove_stale_spools(output: Path) -> None:
    """Remove the spool folders (``.spool-PID-*``) that runs killed before their end left in
    ``output``: a run removes its own when it ends, but a killed one cannot, and each holds
    about 10 KB per article. A folder whose process is still alive is kept."""
    for folder in output.glob(".spool-*"):
        pid = folder.name.split("-")[1]
        if not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _pool(workers: int) -> Any:
    """A pool of fresh processes (spawned: no inherited locks or threads)."""
    import multiprocessing

    return multiprocessing.get_context("spawn").Pool(workers)


def _process_list(files: list[str], options: ReadOptions | None) -> list[str]:
    return list(process_files(files, options))


def _pooled_lines(pool: Any, files: Sequence[str], options: ReadOptions | None) -> Iterator[str]:
    """:func:`process_files` in the pool, a file per task, lines in the order of ``files``."""
    for lines in pool.imap(partial(_process_list, options=options), ([f] for f in files)):
        yield from lines


def _pooled_stories(pool: Any, jobs: Sequence[StoryJob]) -> list[Story]:
    return list(pool.starmap(make_story, jobs, chunksize=4))


class Spool:
    """An append-only file of text lines read back by position: articles parked on disk
    between the passes of a batch run, so memory does not grow with the corpus."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = open(path, "a+b")  # noqa: SIM115 (closed by close/__exit__)
        self._size = 0
        self._unflushed = False

    def append(self, text: str) -> tuple[int, int]:
        """Write one line; its (offset, length) to read it back."""
        data = text.encode("utf-8")
        self._file.write(data)
        position = (self._size, len(data))
        self._size += len(data)
        self._unflushed = True
        return position

    def read(self, offset: int, length: int) -> str:
        if self._unflushed:
            self._file.flush()
            self._unflushed = False
        return os.pread(self._file.fileno(), length, offset).decode("utf-8")

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SpooledArticles(Mapping[str, Article]):
    """Articles read from a :class:`Spool` on demand, by id.

    slim: leave out the raw input text and the removed lines (empty), which story records
    never read: a chunk of stories then holds (and sends to workers) about half as much.
    """

    def __init__(
        self, spool: Spool, positions: dict[str, tuple[int, int]], slim: bool = False
    ) -> None:
        self.spool = spool
        self.positions = positions
        self.slim = slim

    def __getitem__(self, article_id: str) -> Article:
        data = json.loads(self.spool.read(*self.positions[article_id]))
        if self.slim:
            data["raw_text"], data["removed"] = "", []
        return from_dict(Article, data)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.positions

    def __iter__(self) -> Iterator[str]:
        return iter(self.positions)

    def __len__(self) -> int:
        return len(self.positions)


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


def _article_row(item: tuple[str, int]) -> list[tuple[str, tuple[int, str, str]]]:
    """(id, (input position, publication order key, body)) of an article line."""
    line, position = item
    record = json.loads(line)
    if "article" not in record:
        return []
    article = record["article"]
    published = order_key(article.get("published"), article["id"])[0]
    return [(article["id"], (position, published, article["body"]))]


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
    added = 0
    for batch in iter_output_articles(folder):
        added += len(store.add_articles(batch).added)
        tell("loaded", added)
    stories, state, covered = read_grouping(folder)
    store.save_grouping([], stories, state, state_articles=covered)
    return added, len(stories)
