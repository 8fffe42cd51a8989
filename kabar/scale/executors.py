"""Executors: where the parallel parts of a batch run (:func:`kabar.scale.run_batch`) run.

An executor does three things, and the runner does not care how:

- :meth:`Executor.map`: the per-article stage (:func:`process_files`) over input files, as
  JSON lines of articles and failure records, in the order of the files;
- :meth:`Executor.near_copies`: the near copies among what it mapped, if it finds them
  itself (a distributed band join); None leaves them to the grouping state on the driver,
  which finds the same copies one article at a time;
- :meth:`Executor.make_stories`: story records (a :data:`kabar.corpus.StoryMaker`): each
  story needs only its own members, so stories build in parallel.

They are chosen by name in :data:`EXECUTORS`: ``inline`` (this process), ``pool`` (worker
processes), ``spark`` (Spark tasks, :mod:`kabar.scale.spark`), and ``local``, which is
``pool`` with more than one worker and file, else ``inline`` (the same output either way).
A Ray executor (``ray.data`` over files and story jobs, where large-scale text tooling is
moving) would be one more class and one more name; it is not built.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from kabar.corpus import StoryJob, make_stories
from kabar.errors import InputError, InputWarning, KabarError
from kabar.ingest import ReadOptions, read_path
from kabar.model import Story, to_dict
from kabar.pipeline import MAX_CHARS, process
from kabar.timeline import make_story


def process_files(
    files: Iterable[str], options: ReadOptions | None = None, max_chars: int = MAX_CHARS
) -> Iterator[str]:
    """Read and process each file's articles: one JSON line per article, failure or warning
    (a guessed encoding; the article follows).

    The function every executor maps over (a task per file or partition of files). JSON
    text because it crosses process and Python/JVM borders cheaply and picklably.
    """
    for name in files:
        for item in read_path(Path(name), options):
            if isinstance(item, InputWarning):  # the record itself follows
                yield json.dumps({"warning": _problem(item)}, ensure_ascii=False)
                continue
            if isinstance(item, InputError):
                yield _failure(item)
                continue
            try:
                article = process(item, max_chars)
            except InputError as exc:
                yield _failure(exc)
            except Exception as exc:  # a stage bug must cost one article, not the whole run
                yield _failure(InputError(item.source, f"processing failed: {exc!r}"))
            else:
                yield json.dumps({"article": to_dict(article)}, ensure_ascii=False)


def _problem(error: InputError) -> dict[str, str]:
    return {"source": error.source, "problem": error.problem, "fix": error.fix}


def _failure(error: InputError) -> str:
    return json.dumps({"failure": _problem(error)}, ensure_ascii=False)


class Executor:
    """Runs everything in this process (``inline``); the others override what they spread.

    A context manager: leaving it releases what the executor holds (processes, sessions).
    """

    def map(
        self, files: Sequence[str], options: ReadOptions | None, max_chars: int = MAX_CHARS
    ) -> Iterator[str]:
        """:func:`process_files` over ``files``: its lines, in the order of ``files``
        (``max_chars`` read by the driver: a task's machine may have other settings)."""
        return process_files(files, options, max_chars)

    def near_copies(self) -> dict[str, str] | None:
        """Copy → canonical article among the mapped articles (after :meth:`map` has been
        read to its end), or None: the grouping state finds them."""
        return None

    def make_stories(self, jobs: Sequence[StoryJob]) -> list[Story]:
        """The records of ``jobs``, in order."""
        return make_stories(jobs)

    def close(self) -> None:
        """Release what the executor holds."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PoolExecutor(Executor):
    """A pool of worker processes (spawned: no inherited locks or threads): a file per
    task for :meth:`map`, a few stories per task for :meth:`make_stories`."""

    def __init__(self, workers: int) -> None:
        import multiprocessing

        self._pool: Any = multiprocessing.get_context("spawn").Pool(workers)

    def map(
        self, files: Sequence[str], options: ReadOptions | None, max_chars: int = MAX_CHARS
    ) -> Iterator[str]:
        tasks = self._pool.imap(
            partial(_process_list, options=options, max_chars=max_chars), ([f] for f in files)
        )
        for lines in tasks:
            yield from lines

    def make_stories(self, jobs: Sequence[StoryJob]) -> list[Story]:
        return list(self._pool.starmap(make_story, jobs, chunksize=4))

    def close(self) -> None:
        self._pool.terminate()


def _process_list(files: list[str], options: ReadOptions | None, max_chars: int) -> list[str]:
    return list(process_files(files, options, max_chars))


ExecutorFactory = Callable[[int, str | None, int], Executor]
"""Makes an executor from (workers, Spark master URL, number of input files)."""


def _inline(workers: int, master: str | None, files: int) -> Executor:
    return Executor()


def _pool(workers: int, master: str | None, files: int) -> Executor:
    return PoolExecutor(workers)


def _local(workers: int, master: str | None, files: int) -> Executor:
    """A pool when there is work to share (more than one worker and one file)."""
    return PoolExecutor(workers) if workers > 1 and files > 1 else Executor()


def _spark(workers: int, master: str | None, files: int) -> Executor:
    from kabar.scale.spark import SparkExecutor

    return SparkExecutor(master)


EXECUTORS: dict[str, ExecutorFactory] = {
    "local": _local,
    "inline": _inline,
    "pool": _pool,
    "spark": _spark,
}
"""Executors by engine name (``kabar batch --engine NAME``)."""


def executor_for(engine: str, workers: int, master: str | None, files: int) -> Executor:
    """The executor named ``engine``; a KabarError naming the choices if there is none."""
    factory = EXECUTORS.get(engine)
    if factory is None:
        raise KabarError(f"unknown engine {engine!r}: use {', '.join(EXECUTORS)}")
    return factory(workers, master, files)
