"""The Spark side of :mod:`kabar.scale`: a small SparkSession and the mapPartitions call.

Imported only when ``engine="spark"`` is asked for, so kabar works without pyspark (the
``spark`` extra). Nothing is downloaded at run time: no ``spark.jars.packages``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

from kabar.errors import KabarError
from kabar.ingest import ReadOptions
from kabar.scale import process_files

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
    files: Sequence[str], master: str | None = None, options: ReadOptions | None = None
) -> Iterator[str]:
    """Run :func:`kabar.scale.process_files` over ``files`` as Spark tasks; yield its JSON
    lines back on the driver in input order (partitions keep the order of ``files``)."""
    if not files:
        return iter(())
    spark = session(master)
    context = spark.sparkContext
    slices = max(1, min(len(files), context.defaultParallelism * 4))
    rdd = context.parallelize(list(files), slices)
    return iter(rdd.mapPartitions(partial(process_files, options=options)).collect())
