"""The Spark executor of :mod:`kabar.scale`: a small SparkSession, the per-article stage
as mapPartitions, near copies by LSH band joins, story records as Spark tasks.

Imported only when ``engine="spark"`` is asked for, so kabar works without pyspark (the
``spark`` extra). Nothing is downloaded at run time: no ``spark.jars.packages``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

from kabar.corpus import StoryJob
from kabar.dedup import DuplicateIndex, canonical_copies
from kabar.errors import KabarError
from kabar.ingest import ReadOptions
from kabar.model import Story, order_key
from kabar.pipeline import MAX_CHARS
from kabar.scale.executors import Executor, process_files
from kabar.timeline import make_story

DEFAULT_MASTER = "local[*]"


def session(master: str | None = None, app_name: str = "kabar") -> Any:
    """A SparkSession for ``master`` (or ``KABAR_SPARK_MASTER``, or ``local[*]``).

    Kept lean so that tests start fast: no UI, two shuffle partitions, modest driver memory.
    Executors run this same Python (``PYSPARK_PYTHON``), where kabar is installed.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise KabarError(
            "engine 'spark' needs pyspark: pip install 'kabar[spark]' (and Java 17)"
        ) from exc
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    url = master or os.environ.get("KABAR_SPARK_MASTER") or DEFAULT_MASTER
    if url.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(url)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", os.environ.get("KABAR_SPARK_DRIVER_MEMORY", "1g"))
        .config("spark.python.worker.reuse", "true")
        .config("spark.ui.showConsoleProgress", "false")
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def map_files(
    files: Sequence[str],
    master: str | None = None,
    options: ReadOptions | None = None,
    max_chars: int = MAX_CHARS,
) -> Any:
    """:func:`kabar.scale.executors.process_files` over ``files`` as Spark tasks: an RDD of its JSON
    lines, partitions in the order of ``files`` (kept on disk or in memory once computed)."""
    from pyspark import StorageLevel

    context = session(master).sparkContext
    slices = max(1, min(len(files), context.defaultParallelism * 4))
    rdd = context.parallelize(list(files), slices)
    return rdd.mapPartitions(partial(process_files, options=options, max_chars=max_chars)).persist(
        StorageLevel.MEMORY_AND_DISK
    )


def _sketches(
    rows: Iterator[tuple[str, str, str]], params: dict[str, Any]
) -> Iterator[tuple[str, tuple[str, bytes, int, list[int]]]]:
    index = DuplicateIndex(**params)
    for aid, key, body in rows:
        signature, size = index.signature(body)
        yield aid, (key, signature.tobytes(), size, index.band_keys(signature))


def _verified(
    pair: tuple[str, tuple[tuple[str, bytes, int], tuple[str, bytes, int]]],
    params: dict[str, Any],
) -> list[tuple[str, tuple[str, float]]]:
    import numpy as np

    later, ((earlier, earlier_sig, earlier_size), (_later, later_sig, later_size)) = pair
    index = DuplicateIndex(**params)
    score = index.verify(
        np.frombuffer(later_sig, dtype=np.uint32),
        later_size,
        np.frombuffer(earlier_sig, dtype=np.uint32)[None, :],
        np.array([earlier_size]),
    )[0]
    return [(later, (earlier, float(score)))] if score >= 0 else []


def near_copies(articles: Any, params: dict[str, Any] | None = None) -> dict[str, str]:
    """Copy → canonical article over an RDD of ``(id, order key, body)``, by LSH band joins.

    Signatures are computed on the executors; articles sharing a band bucket are joined
    into candidate pairs (earlier, later), each pair verified on the executors with
    :meth:`DuplicateIndex.verify`; only the verified pairs and the ids in publication order
    come back to the driver, where :func:`kabar.dedup.canonical_copies` applies the
    incremental rule. Same copies as :class:`kabar.dedup.NearDuplicateFinder`."""
    params = params or {}
    # The shuffles below take their parent's partition count: one per input file would make
    # every join stage that many tiny tasks. The engine's parallelism is enough.
    articles = articles.coalesce(articles.context.defaultParallelism)
    sketches = articles.mapPartitions(partial(_sketches, params=params)).cache()
    buckets = sketches.flatMap(lambda s: [(key, (s[1][0], s[0])) for key in s[1][3]])
    candidates = (
        buckets.join(buckets)
        .filter(lambda kv: kv[1][0] < kv[1][1])  # (order key, id): earlier first
        .map(lambda kv: (kv[1][0][1], kv[1][1][1]))  # (earlier id, later id)
        .distinct()
    )
    signatures = sketches.mapValues(lambda s: (s[1], s[2]))
    pairs = (
        candidates.join(signatures)  # earlier id → (later id, earlier signature)
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1][0], kv[1][1][1])))
        .join(signatures.map(lambda kv: (kv[0], (kv[0], kv[1][0], kv[1][1]))))
    )
    matches: dict[str, list[tuple[str, float]]] = {}
    for later, match in pairs.flatMap(partial(_verified, params=params)).collect():
        matches.setdefault(later, []).append(match)
    order = [aid for _key, aid in sorted(sketches.map(lambda s: (s[1][0], s[0])).collect())]
    sketches.unpersist()
    return canonical_copies(order, matches)


def story_records(jobs: Sequence[StoryJob], master: str | None = None) -> list[Story]:
    """:func:`kabar.timeline.make_story` for each job (:data:`kabar.corpus.StoryJob`) as
    Spark tasks, in order: a story's timeline needs only its own members, so stories build
    in parallel."""
    if not jobs:
        return []
    context = session(master).sparkContext
    slices = max(1, min(len(jobs), context.defaultParallelism * 4))
    return list(context.parallelize(list(jobs), slices).map(lambda job: make_story(*job)).collect())


class SparkExecutor(Executor):
    """Spark tasks (``local[*]`` by default, a ``spark://`` cluster via ``master`` or
    ``KABAR_SPARK_MASTER``): files, near copies and story records."""

    def __init__(self, master: str | None = None) -> None:
        self.master = master
        self._mapped: Any = None

    def map(
        self, files: Sequence[str], options: ReadOptions | None, max_chars: int = MAX_CHARS
    ) -> Iterator[str]:
        if not files:
            return iter(())
        self._mapped = map_files(files, master=self.master, options=options, max_chars=max_chars)
        # toLocalIterator computes one partition per job, one after another: every file
        # would be processed on one core at a time. A count first computes (and keeps)
        # all partitions in parallel; the iterator then only streams them to the driver.
        self._mapped.count()
        return iter(self._mapped.toLocalIterator())

    def near_copies(self) -> dict[str, str] | None:
        if self._mapped is None:
            return None
        copies = near_copies(
            self._mapped.zipWithIndex()
            .flatMap(_article_row)
            .reduceByKey(min)  # exact copies share an id: the first one read is kept
            .map(lambda kv: (kv[0], kv[1][1], kv[1][2]))
        )
        self._mapped.unpersist()
        self._mapped = None
        return copies

    def make_stories(self, jobs: Sequence[StoryJob]) -> list[Story]:
        return story_records(jobs, master=self.master)


def _article_row(item: tuple[str, int]) -> list[tuple[str, tuple[int, str, str]]]:
    """(id, (input position, publication order key, body)) of an article line."""
    line, position = item
    record = json.loads(line)
    if "article" not in record:
        return []
    article = record["article"]
    published = order_key(article.get("published"), article["id"])[0]
    return [(article["id"], (position, published, article["body"]))]
