"""kabar.scale: the batch runner gives the stories of the embedded path, on Spark too.

The Spark tests need pyspark (the ``spark`` extra) and Java 17; they skip with a clear
message without them. One SparkSession (local[2]) serves the whole module.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kabar.cli import app
from kabar.errors import KabarError
from kabar.ingest import read_path
from kabar.model import to_dict
from kabar.scale import FILES, read_output, run_batch
from kabar.service import ingest
from kabar.store import open_store

pytest.importorskip("pyarrow", reason="kabar.scale writes Parquet with pyarrow (spark extra)")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
T17 = ROOT.parent / "shared" / "data" / "t17-dev"
# Three topics (two outlets of one), a slice of each: enough for several stories and
# cross-file links, small enough to keep the module fast.
T17_SLICES = {"MJ_bbc": 25, "haiti_bbc": 25, "H1N1_bbc": 15, "H1N1_guardian": 15}
REPRINTS = 6  # edited copies of MJ_bbc articles under another outlet


def _spark_available() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark not installed (pip install 'kabar[spark]')"
    java = shutil.which("java")
    if java is None:
        return "no java on PATH (Spark needs Java 17: apt-get install openjdk-17-jre-headless)"
    banner = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    found = re.search(r'version "(\d+)', banner)
    if found is None or int(found.group(1)) < 17:
        return f"Spark needs Java 17 or later, found: {banner.splitlines()[:1]}"
    return None


SPARK_MISSING = _spark_available()
needs_spark = pytest.mark.skipif(SPARK_MISSING is not None, reason=str(SPARK_MISSING))


@pytest.fixture(scope="module")
def spark_master():
    """One local Spark for the module, stopped at the end (two cores: local[2])."""
    from kabar.scale.spark import session

    spark = session("local[2]")
    yield "local[2]"
    spark.stop()


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory) -> Path:
    """Real Timeline17 articles as JSONL files (one per outlet), plus one broken line and
    one record without news text, which must come out as failure records."""
    if not T17.is_dir():
        pytest.skip(f"public data not found at {T17} (see /work/shared/data/README.md)")
    folder = tmp_path_factory.mktemp("corpus")
    for name, count in T17_SLICES.items():
        lines = (T17 / name / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:count]
        out = []
        for line in lines:
            record = json.loads(line)
            out.append(
                json.dumps(
                    {
                        "id": f"{name}-{record['id']}",
                        "published": record["time"],
                        "outlet": name.split("_")[1],
                        "text": record["text"],
                    }
                )
            )
        (folder / f"{name}.jsonl").write_text("\n".join(out) + "\n", encoding="utf-8")
    # Syndicated copies, as a wire story is re-published: another outlet, a day later, a
    # new headline, the last paragraph trimmed. Both engines must link them to the originals.
    copies = []
    for line in (
        (T17 / "MJ_bbc" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:REPRINTS]
    ):
        record = json.loads(line)
        paragraphs = [p for p in record["text"].split("\n") if p.strip()]
        copies.append(
            json.dumps(
                {
                    "id": f"copy-{record['id']}",
                    "published": record["time"],
                    "outlet": "wire-reprint",
                    "title": "REPRINT: " + paragraphs[0][:60],
                    "text": "\n".join(paragraphs[1:-1] if len(paragraphs) > 4 else paragraphs[:-1]),
                }
            )
        )
    (folder / "reprints.jsonl").write_text("\n".join(copies) + "\n", encoding="utf-8")
    (folder / "bad.jsonl").write_text(
        '{"id": "broken", "text": \n{"id": "empty", "text": "too short"}\n', encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def local_mixed(mixed_corpus, tmp_path_factory):
    """The embedded path's run over the mixed corpus, shared by the tests that compare."""
    out = tmp_path_factory.mktemp("local_mixed")
    return run_batch([mixed_corpus], out, engine="local"), out


def _story_sets(stories) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in stories}


def test_local_batch_matches_ingest_on_seeds(tmp_path):
    """engine=local is the embedded path: same articles and stories as `kabar ingest`."""
    report = run_batch([SEEDS], tmp_path / "out", engine="local")
    assert report.failures == []
    assert (report.articles, report.stories) == (5, 1)
    articles, stories, state = read_output(tmp_path / "out")
    with open_store(str(tmp_path / "ingest.db")) as store:
        ingest(store, read_path(SEEDS))
        stored = store.list_stories(limit=100)
        assert {a.id for a in articles} == {a.id for a in store.iter_articles()}
    assert _story_sets(stories) == _story_sets(stored)
    assert [s.timeline for s in stories] == [s.timeline for s in stored]
    assert state


def test_load_puts_batch_into_store_and_ingest_continues(tmp_path):
    """`kabar load` fills an empty store; a later `kabar ingest` of the same files adds
    nothing and keeps the stories (the saved grouping state covers the loaded articles)."""
    run_batch([SEEDS], tmp_path / "out", engine="local")
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    result = runner.invoke(app, ["load", str(tmp_path / "out"), "--db", db])
    assert result.exit_code == 0, result.output
    assert "5 articles" in result.output
    with open_store(db) as store:
        assert store.count_articles() == 5
        before = _story_sets(store.list_stories(limit=100))
        assert len(before) == 1
        report = ingest(store, read_path(SEEDS))
        assert report.added == [] and len(report.existing) == 5
        assert _story_sets(store.list_stories(limit=100)) == before
        state = store.load_grouping_state()
        assert state is not None and state[1] == 5


def test_an_interrupted_load_is_finished_by_loading_again(tmp_path):
    """Articles go in a row group at a time: after a crash part of them are stored, and
    loading again adds the rest and the stories; a store with other articles is refused
    before anything is written."""
    from kabar.scale import iter_output_articles, load_output

    out = tmp_path / "out"
    run_batch([SEEDS], out, engine="local")
    (articles,) = list(iter_output_articles(out))
    with open_store(str(tmp_path / "k.db")) as store:
        store.add_articles(articles[:2])  # the first row group of an interrupted load
        assert load_output(store, out) == (3, 1)
        assert store.count_articles() == 5
        (story,) = store.list_stories()
        assert sorted(story.article_ids) == sorted(a.id for a in articles)
        assert store.load_grouping_state() is not None
        assert store.load_grouping_state()[1] == 5
        assert load_output(store, out) == (0, 1)  # idempotent
    with open_store(str(tmp_path / "other.db")) as store:
        first_line = (T17 / "MJ_bbc" / "articles.jsonl").open(encoding="utf-8").readline()
        (tmp_path / "other.jsonl").write_text(first_line, encoding="utf-8")
        ingest(store, read_path(tmp_path / "other.jsonl"))
        stories = store.list_stories()
        with pytest.raises(KabarError, match="1 articles that are not in"):
            load_output(store, out)
        assert store.count_articles() == 1 and store.list_stories() == stories


def test_a_run_removes_the_spools_that_killed_runs_left(tmp_path):
    """A killed run cannot remove its spool folder (about 10 KB per article); the next run
    into the same output does, unless the process that owns it is still running."""
    out = tmp_path / "out"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (out / f".spool-{dead}-abc").mkdir(parents=True)
    (out / f".spool-{dead}-abc" / "processed.jsonl").write_text("{}\n")
    (out / ".spool-old").mkdir()
    running = out / f".spool-{os.getppid()}-xyz"
    running.mkdir()
    run_batch([SEEDS], out, engine="local")
    assert sorted(p.name for p in out.glob(".spool-*")) == [running.name]


def test_load_refuses_a_folder_that_is_not_a_batch(tmp_path):
    result = CliRunner().invoke(app, ["load", str(tmp_path), "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 1
    assert "not a batch output" in result.output


def test_local_batch_collects_failures(local_mixed):
    report, _ = local_mixed
    bad = [e for e in report.failures if "bad.jsonl" in e.source]
    assert len(bad) == 2, report.failures  # the broken line and the text-less record
    # every input record is accounted for: an article or a failure record
    assert report.articles + len(report.failures) == sum(T17_SLICES.values()) + REPRINTS + 2
    assert report.stories >= 3  # three topics cannot be one story
    # each pass counts what came in, what went out and what failed, and is timed
    passes = report.stats.stages
    assert list(passes) == ["process", "group", "stories"]
    assert passes["process"].inputs == sum(T17_SLICES.values()) + REPRINTS + 2
    assert passes["process"].failures == len(report.failures)
    assert passes["process"].outputs == passes["group"].inputs == report.articles
    assert passes["stories"].inputs == report.articles
    assert all(stage.seconds > 0 for stage in passes.values())
    assert report.as_dict()["passes"]["stories"]["outputs"] == report.stories


@needs_spark
def test_spark_matches_local_on_real_corpus(spark_master, mixed_corpus, local_mixed, tmp_path):
    """The crucial check: the same input through both engines gives the same stories
    (same article sets per story), the same duplicates, and the same failure records."""
    local, local_out = local_mixed
    spark = run_batch([mixed_corpus], tmp_path / "spark", engine="spark", master=spark_master)
    a_local, s_local, _ = read_output(local_out)
    a_spark, s_spark, _ = read_output(tmp_path / "spark")
    assert len([s for s in s_local if len(s.article_ids) >= 10]) >= 3  # one per topic at least
    assert _story_sets(s_spark) == _story_sets(s_local)
    copies = {a.id: a.duplicate_of for a in a_local if a.duplicate_of}
    assert len(copies) >= 4  # the reprints (and any copies T17 itself holds) are found
    assert {a.id: a.duplicate_of for a in a_spark} == {a.id: a.duplicate_of for a in a_local}
    # timelines, summaries and facts are built on the executors: the same records
    assert {s.id: to_dict(s) for s in s_spark} == {s.id: to_dict(s) for s in s_local}
    assert sorted(str(e) for e in spark.failures) == sorted(str(e) for e in local.failures)
    assert len([e for e in spark.failures if "bad.jsonl" in e.source]) == 2


@needs_spark
def test_cli_batch_spark_matches_local_on_seeds_then_load(spark_master, tmp_path, monkeypatch):
    """`kabar batch --engine spark` on the seeds: the embedded path's articles, story and
    timeline (one Spark run serves both checks: each costs a minute on two cores)."""
    monkeypatch.setenv("KABAR_SPARK_MASTER", spark_master)
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(SEEDS), "-o", str(out), "--engine", "spark"])
    assert result.exit_code == 0, result.output
    assert "5 articles, 1 stories, 0 failed" in result.output
    local = run_batch([SEEDS], tmp_path / "local", engine="local")
    assert local.stories == 1
    a_local, s_local, _ = read_output(tmp_path / "local")
    a_spark, s_spark, _ = read_output(out)
    assert [a.id for a in a_spark] == [a.id for a in a_local]
    assert _story_sets(s_spark) == _story_sets(s_local)
    assert [s.timeline for s in s_spark] == [s.timeline for s in s_local]
    db = str(tmp_path / "k.db")
    result = runner.invoke(app, ["load", str(out), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"articles": 5, "stories": 1}


def test_results_do_not_depend_on_the_hash_seed(tmp_path):
    """Spark executors are other Python processes with other string-hash seeds: nothing in
    the output may follow set iteration order (ties, float sums over sets)."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        subprocess.run(
            [sys.executable, "-m", "kabar.cli", "batch", str(SEEDS), "-o", str(out)],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        articles, stories, _state = read_output(out)
        outputs.append(([to_dict(a) for a in articles], [to_dict(s) for s in stories]))
    assert outputs[0] == outputs[1]
    assert outputs[0][1][0]["timeline"]  # a real story with a timeline was compared


def test_worker_processes_give_the_same_output_as_one_process(mixed_corpus, local_mixed, tmp_path):
    """The local engine's pool (default: a worker per CPU) only moves work: one process
    gives the same articles, stories and grouping state, and no spool is left behind."""
    pooled, pooled_out = local_mixed
    single = run_batch([mixed_corpus], tmp_path / "single", workers=1)
    assert (single.articles, single.stories) == (pooled.articles, pooled.stories)
    a_pool, s_pool, state_pool = read_output(pooled_out)
    a_one, s_one, state_one = read_output(tmp_path / "single")
    assert [to_dict(a) for a in a_one] == [to_dict(a) for a in a_pool]
    assert [to_dict(s) for s in s_one] == [to_dict(s) for s in s_pool]
    assert state_one == state_pool
    assert sorted(p.name for p in Path(pooled_out).iterdir()) == sorted(FILES)


def test_output_written_in_row_groups_reads_back_whole(local_mixed, tmp_path):
    """BatchWriter flushes every ``rows`` rows: small row groups give the same records."""
    from kabar.scale import BatchWriter
    from kabar.stories import GroupingState

    articles, stories, state_blob = read_output(local_mixed[1])
    with BatchWriter(tmp_path, rows=3) as writer:
        for article in articles:
            writer.add_article(article)
        for story in stories:
            writer.add_story(story)
        writer.finish([], GroupingState.from_bytes(state_blob))
    again, again_stories, _ = read_output(tmp_path)
    assert [to_dict(a) for a in again] == [to_dict(a) for a in articles]
    assert [s.id for s in again_stories] == [s.id for s in stories]
    import pyarrow.parquet as pq

    assert pq.ParquetFile(tmp_path / "articles.parquet").num_row_groups == -(-len(articles) // 3)


def test_an_unknown_engine_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(KabarError, match="unknown engine 'ray': use local, inline, pool, spark"):
        run_batch([SEEDS], tmp_path / "out", engine="ray")
    assert not (tmp_path / "out").exists()
