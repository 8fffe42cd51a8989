"""The batch runner: map → group → stories → write, over an executor (:mod:`.executors`).

Three passes, so that the corpus is never held in memory (what grows is the grouping state,
the sort keys and spool offsets, and the largest story of a chunk):

1. map: the executor processes every article; each is parked as a JSON line in a spool
   next to the output (:mod:`.spool`); the driver keeps its sort key and offset and counts
   its names (:meth:`kabar.corpus.Corpus.count`);
2. group: the articles are read back one at a time in publication order and placed by the
   corpus stage (:meth:`kabar.corpus.Corpus.place`), then written to ``articles.parquet``;
3. stories: each story's members are read back from disk a chunk of stories at a time and
   turned into records by the executor (:meth:`kabar.corpus.Corpus.stories`).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from kabar.config import configured_max_chars
from kabar.corpus import Corpus
from kabar.errors import InputError, InputWarning
from kabar.ingest import ReadOptions, file_kind, read_path
from kabar.model import Article, Mention, from_dict, order_key, to_dict
from kabar.scale.executors import executor_for
from kabar.scale.output import BatchWriter, Progress
from kabar.scale.spool import Spool, SpooledArticles, remove_stale_spools
from kabar.scale.stats import RunStats
from kabar.stories import GroupingParams


@dataclass
class BatchReport:
    """What a batch run produced: the statistics of each pass, the failures (as records),
    where it wrote.

    The passes (:attr:`stats`): ``process`` (input records in, distinct articles out,
    failure records), ``group`` (articles in, articles written), ``stories`` (articles in,
    stories written; its seconds include the final write).
    """

    output_dir: str
    engine: str
    failures: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    """What the user should check though it was read: a guessed encoding, a text cut to
    the analysed length (as ``kabar ingest`` reports them)."""
    stats: RunStats = field(default_factory=RunStats)

    @property
    def articles(self) -> int:
        return self.stats["group"].outputs

    @property
    def stories(self) -> int:
        return self.stats["stories"].outputs

    def as_dict(self) -> dict[str, object]:
        return {
            "output_dir": self.output_dir,
            "engine": self.engine,
            "articles": self.articles,
            "stories": self.stories,
            "passes": self.stats.as_dict(),
            "failures": [
                {"source": e.source, "problem": e.problem, "fix": e.fix} for e in self.failures
            ],
            "warnings": [
                {"source": e.source, "problem": e.problem, "fix": e.fix} for e in self.warnings
            ],
        }


def input_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[str], list[InputError]]:
    """The article files under the given paths, in the order ``kabar ingest`` reads them
    (folders: sorted, recursive, hidden parts skipped, supported extensions only).

    Listed on the driver so that an executor can split the work by file."""
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


def run_batch(
    inputs: Sequence[str | os.PathLike[str]],
    output_dir: str | os.PathLike[str],
    engine: str = "local",
    master: str | None = None,
    options: ReadOptions | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    params: GroupingParams | None = None,
) -> BatchReport:
    """Process ``inputs`` (files or folders) with the executor named ``engine``
    (:data:`kabar.scale.executors.EXECUTORS`) and write Parquet to ``output_dir``.

    master: Spark master URL for ``engine="spark"`` (default ``KABAR_SPARK_MASTER`` or
    ``local[*]``).
    workers: worker processes of the local engine (default: one per CPU; 1 runs everything
    in this process, with the same output).
    progress: called as ``progress(step, done)`` while reading, grouping and building stories.
    params: the grouping parameters (default: the defaults).
    """
    files, problems = input_files(inputs)
    executor = executor_for(engine, workers or os.cpu_count() or 1, master, len(files))
    report = BatchReport(output_dir=str(output_dir), engine=engine, failures=problems)
    stats = report.stats
    stats.update("process", inputs=len(problems), failures=len(problems))
    output = Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    tell = progress or (lambda step, done: None)
    remove_stale_spools(output)
    spool_prefix = f".spool-{os.getpid()}-"
    with (
        executor,
        tempfile.TemporaryDirectory(dir=output, prefix=spool_prefix) as work,
        ExitStack() as stack,
    ):
        corpus = Corpus(params=params, story_maker=executor.make_stories)
        processed = stack.enter_context(Spool(Path(work) / "processed.jsonl"))
        lines = executor.map(files, options, configured_max_chars())
        with stats.timed("process"):
            keys = _spool_articles(lines, processed, corpus, report, tell)
            copies = executor.near_copies()
            keys.sort()  # publication order

        def in_order() -> Iterator[Article]:
            for _published, _aid, position in keys:
                yield from_dict(Article, json.loads(processed.read(*position))["article"])

        grouped = stack.enter_context(Spool(Path(work) / "grouped.jsonl"))
        positions: dict[str, tuple[int, int]] = {}
        writer = stack.enter_context(BatchWriter(output))
        with stats.timed("group") as group:
            group.inputs = len(keys)
            for article in corpus.place(in_order(), copies):
                data_text = json.dumps(to_dict(article), ensure_ascii=False)
                positions[article.id] = grouped.append(data_text)
                writer.add_article(article, data_text)
                if writer.articles % 1000 == 0:
                    tell("grouped", writer.articles)
            group.outputs = writer.articles
            keys.clear()
        on_disk = SpooledArticles(grouped, positions, slim=True)
        with stats.timed("stories") as stories:
            stories.inputs = len(positions)
            for story in corpus.stories(on_disk):
                writer.add_story(story)
                if writer.stories % 100 == 0:
                    tell("stories", writer.stories)
            writer.finish(report.failures, corpus.state)
            stories.outputs = writer.stories
    return report


def _spool_articles(
    lines: Iterable[str], spool: Spool, corpus: Corpus, report: BatchReport, tell: Progress
) -> list[tuple[str, str, tuple[int, int]]]:
    """The map pass on the driver: park each new article in the spool and count its names;
    failures go to the report. Returns (order key..., spool position) of each article."""
    keys: list[tuple[str, str, tuple[int, int]]] = []
    seen: set[str] = set()
    for line in lines:
        record = json.loads(line)
        if "failure" in record:
            report.failures.append(InputError(**record["failure"]))
            report.stats.update("process", inputs=1, failures=1)
            continue
        if "warning" in record:
            report.warnings.append(InputWarning(**record["warning"]))
            continue
        report.stats.update("process", inputs=1)
        data = record["article"]
        if data["id"] in seen:  # re-ingesting a stored article does nothing
            continue
        seen.add(data["id"])
        report.warnings += [InputWarning(data["source"], w) for w in data.get("warnings", ())]
        corpus.count(from_dict(Mention, m) for m in data["mentions"])
        keys.append((*order_key(data["published"], data["id"]), spool.append(line)))
        report.stats.update("process", outputs=1)
        if len(keys) % 1000 == 0:
            tell("processed", len(keys))
    return keys
