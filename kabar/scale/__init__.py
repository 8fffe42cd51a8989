"""Batch runs beyond one process: the same stages, mapped over files by an executor.

:func:`run_batch` (:mod:`.runner`) reads input files, has an executor (:mod:`.executors`:
in this process, a pool of worker processes, or Spark tasks, :mod:`.spark`) run the
per-article stage :func:`kabar.pipeline.process` over them, runs the corpus stage
(:class:`kabar.corpus.Corpus`) on the driver, has the executor make the story records, and
writes Parquet to an output folder (:mod:`.output`) that ``kabar load``
(:func:`load_output`) puts into a store. No stage logic lives here: every executor calls
the same functions, and gives the same output.

What is distributed, and what is not (said plainly):

- in workers / on the executors: reading + cleaning + meta + time + entity mentions
  (``process``), a task per input file (a failing article becomes a failure record, not a
  crash); each story's timeline, summary and facts (:func:`kabar.timeline.make_story`);
  on Spark also the MinHash signatures, LSH band joins and the verification of candidate
  copies (:func:`kabar.scale.spark.near_copies`);
- on the driver: cross-article entity resolution (counts of names, then one article at a
  time) and the online story clustering, which is sequential by nature (each article is
  placed given the ones before it), so every executor gives the same stories. Partitioning
  the clustering by time window with a merge across window borders is not done: it would
  give other stories than the embedded path;
- memory: the driver never holds the corpus. Processed articles wait in spool files next to
  the output (:mod:`.spool`, deleted at the end) and are read back one at a time in
  publication order, then a chunk of stories at a time; Parquet is written in row groups as
  rows arrive. What grows with the corpus is the grouping state (closed events are packed
  to a few hundred bytes), the sort keys and the spool offsets.
"""

from __future__ import annotations

from kabar.scale.executors import EXECUTORS, Executor, executor_for, process_files
from kabar.scale.output import (
    FILES,
    BatchWriter,
    Progress,
    iter_output_articles,
    load_output,
    read_grouping,
    read_output,
)
from kabar.scale.runner import BatchReport, input_files, run_batch
from kabar.scale.spool import Spool, SpooledArticles, remove_stale_spools
from kabar.scale.stats import RunStats, StageStats

__all__ = [
    "EXECUTORS",
    "FILES",
    "BatchReport",
    "BatchWriter",
    "Executor",
    "Progress",
    "RunStats",
    "Spool",
    "SpooledArticles",
    "StageStats",
    "executor_for",
    "input_files",
    "iter_output_articles",
    "load_output",
    "process_files",
    "read_grouping",
    "read_output",
    "remove_stale_spools",
    "run_batch",
]
