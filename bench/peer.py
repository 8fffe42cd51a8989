"""Peer comparison (issue #10): BERTopic on the same synthetic corpus as bench/scale.py.

The corpus is bench/scale.py's ``generate(size, folder, seed=0)`` (the seed bench/scale.py
uses), so the articles and the generator's story threads are the same ones kabar is timed
on. For each size BERTopic runs in a fresh subprocess: ``fit_transform`` on
``title + "\\n" + text`` of every article. Printed per size: wall time (reading the JSONL
files + fit_transform; imports excluded, numba's first-call compilation included, as a user
pays it), documents/s, peak RSS of the process tree (sampled every 0.2 s, bench/scale.py's
``measured``), the number of topics (outlier topic -1 not counted), the outliers, and
B-cubed precision/recall/F1 of the topics against the thread labels, outliers counted as
singletons (each its own cluster: an outlier is grouped with nothing); a second line scores
only the documents that got a topic, to show what the outliers cost.

BERTopic settings: its documented light-weight set-up, with no sentence-transformers/torch
and nothing downloaded: the embedding model is a scikit-learn pipeline
``TfidfVectorizer()`` + ``TruncatedSVD(100)`` (the "scikit-learn embeddings" of the BERTopic
docs); then BERTopic's own defaults made explicit: UMAP(n_neighbors=15, n_components=5,
min_dist=0.0, metric="cosine", low_memory=True, random_state=0 -- fixed for a repeatable
run, which also makes UMAP single-threaded, as kabar's local engine is), HDBSCAN
(min_cluster_size=20, metric="euclidean", cluster_selection_method="eom",
prediction_data=True), the default CountVectorizer + c-TF-IDF for topic words,
``calculate_probabilities=False``. A thread has 250 articles on average, so 20 is well
below a story's size.

kabar, optionally: ``--kabar-output DIR...`` takes the folders written by ``kabar batch``
(or ``run_batch``) on these corpora (keep them with ``--keep``) and scores kabar's stories
the same way. kabar's Article does not keep the input ``id``, but its ``source`` is
``path:line`` of the JSONL record, which maps back to the id; exact copies (same body, so
the same kabar id) are kept once by ``run_batch``: each dropped copy takes the story of the
kept record with the same title and text. Records that still map to nothing (failures) are
counted and left out. kabar's time and memory are bench/scale.py's to measure.

BERTopic is not a kabar dependency: ``make peer`` installs it into .venv.

    .venv/bin/python bench/peer.py [--sizes 10000 100000] [--keep DIR] [--kabar-output DIR ...]

To score kabar on the same 10k corpus:

    .venv/bin/python bench/peer.py --sizes 10000 --keep /tmp/peer
    .venv/bin/kabar batch /tmp/peer/corpus-10000 -o /tmp/peer/kabar-10000
    .venv/bin/python bench/peer.py --sizes 10000 --keep /tmp/peer --kabar-output /tmp/peer/kabar-10000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale import generate, measured  # noqa: E402
from eval.stories import bcubed  # noqa: E402

SEED = 0
"""bench/scale.py generates its corpora with generate()'s default seed, 0."""
NEEDED = ("bertopic", "umap", "hdbscan")


def read_corpus(folder: Path) -> tuple[list[str], list[str]]:
    """Input ids and BERTopic documents (title, newline, text), in file order."""
    ids, docs = [], []
    for part in sorted(folder.glob("part-*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            ids.append(record["id"])
            docs.append(f"{record['title']}\n{record['text']}")
    return ids, docs


def fit(corpus: str) -> None:
    """Child process: one BERTopic run; prints a JSON line (seconds, each id's topic)."""
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from umap import UMAP

    start = time.perf_counter()
    ids, docs = read_corpus(Path(corpus))
    model = BERTopic(
        # a scikit-learn pipeline as the embedding model: BERTopic wraps it (SklearnEmbedder)
        embedding_model=make_pipeline(TfidfVectorizer(), TruncatedSVD(100, random_state=SEED)),
        umap_model=UMAP(
            n_neighbors=15,
            n_components=5,
            min_dist=0.0,
            metric="cosine",
            low_memory=True,
            random_state=SEED,
        ),
        hdbscan_model=HDBSCAN(
            min_cluster_size=20,
            metric="euclidean",
            cluster_selection_method="eom",
            prediction_data=True,
        ),
        calculate_probabilities=False,
    )
    topics, _ = model.fit_transform(docs)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "topics": dict(zip(ids, map(int, topics), strict=True))}))


def scores(clusters: dict[str, str], labels: dict[str, int]) -> tuple[float, float, float]:
    return bcubed(clusters, {i: str(labels[i]) for i in clusters})


def kabar_clusters(output: Path, corpus: Path) -> tuple[dict[str, str], int] | None:
    """Input id → kabar story id for a batch output made from ``corpus`` (None if it was
    made from other files), and how many input records map to nothing."""
    from kabar.scale import read_output

    articles, stories, _state = read_output(output)
    where: dict[tuple[str, int], str] = {}
    text_of: dict[str, tuple[str, str]] = {}
    for part in sorted(corpus.glob("part-*.jsonl")):
        lines = part.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            record = json.loads(line)
            where[(part.name, number)] = record["id"]
            text_of[record["id"]] = (record["title"], record["text"])
    sources = [a.source.rpartition(":") for a in articles]
    if {Path(file).name for file, _, _ in sources} != {name for name, _ in where}:
        return None
    story_of = {aid: story.id for story in stories for aid in story.article_ids}
    clusters: dict[str, str] = {}
    for article, (file, _, line) in zip(articles, sources, strict=True):
        input_id = where.get((Path(file).name, int(line)))
        if input_id is None:
            return None
        clusters[input_id] = story_of.get(article.id, f"alone:{article.id}")
    # exact copies were kept once: a dropped copy joins the kept record with its text
    kept = {text_of[i]: c for i, c in clusters.items()}
    missing = 0
    for input_id, text in text_of.items():
        if input_id not in clusters:
            if text in kept:
                clusters[input_id] = kept[text]
            else:
                missing += 1
    return clusters, missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the corpora in")
    parser.add_argument(
        "--kabar-output", type=Path, nargs="+", default=[], help="kabar batch output folders"
    )
    parser.add_argument("--fit", metavar="CORPUS", help="internal: one BERTopic run")
    args = parser.parse_args()
    if args.fit:
        fit(args.fit)
        return
    absent = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if absent:
        sys.exit(
            f"bench/peer.py needs BERTopic's light-weight install ({', '.join(absent)} missing):"
            " run `make peer` (it installs bertopic, umap-learn and hdbscan into .venv;"
            " they are not kabar dependencies)"
        )
    from kabar.scale import FILES

    for output in args.kabar_output:
        if not all((output / name).is_file() for name in FILES):
            sys.exit(
                f"{output}: not a kabar batch output (make one with `kabar batch CORPUS -o DIR`)"
            )
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        print(
            f"{'system':<9} {'size':>7} {'seconds':>8} {'docs/s':>7} {'peak RSS MB':>11} "
            f"{'clusters':>8} {'outliers':>8} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}"
        )
        matched: set[Path] = set()
        for size in args.sizes:
            corpus = base / f"corpus-{size}"
            saved = base / f"labels-{size}.json"  # beside the corpus: kabar would read a .json
            if corpus.is_dir() and saved.is_file():
                labels = {k: int(v) for k, v in json.loads(saved.read_text()).items()}
            else:
                labels = generate(size, corpus, seed=SEED)
                saved.write_text(json.dumps(labels))
            print(
                f"{'threads':<9} {size:>7} {'':>8} {'':>7} {'':>11} "
                f"{len(set(labels.values())):>8}   (the generator's story threads)",
                flush=True,
            )
            stdout, peak = measured([sys.executable, __file__, "--fit", str(corpus)])
            run = json.loads(stdout.strip().splitlines()[-1])
            topics: dict[str, int] = run["topics"]
            clusters = {i: (f"-1:{i}" if t == -1 else str(t)) for i, t in topics.items()}
            p, r, f1 = scores(clusters, labels)
            found = len({t for t in topics.values() if t != -1})
            outliers = sum(t == -1 for t in topics.values())
            print(
                f"{'bertopic':<9} {size:>7} {run['seconds']:>8.1f} "
                f"{len(topics) / run['seconds']:>7.0f} {peak:>11.0f} {found:>8} {outliers:>8} "
                f"{p:>6.3f} {r:>6.3f} {f1:>6.3f}",
                flush=True,
            )
            if outliers:
                assigned = {i: c for i, c in clusters.items() if topics[i] != -1}
                p, r, f1 = scores(assigned, labels) if assigned else (0.0, 0.0, 0.0)
                print(
                    f"{'  (topic)':<9} {size:>7} {'':>8} {'':>7} {'':>11} {found:>8} {0:>8} "
                    f"{p:>6.3f} {r:>6.3f} {f1:>6.3f}  (the {len(assigned)} documents with a topic only)",
                    flush=True,
                )
            for output in args.kabar_output:
                mapped = kabar_clusters(output, corpus)
                if mapped is None:
                    continue
                matched.add(output)
                stories, missing = mapped
                p, r, f1 = scores(stories, labels)
                print(
                    f"{'kabar':<9} {size:>7} {'-':>8} {'-':>7} {'-':>11} "
                    f"{len(set(stories.values())):>8} {'-':>8} {p:>6.3f} {r:>6.3f} {f1:>6.3f}"
                    + (f"  ({missing} records unmapped, left out)" if missing else ""),
                    flush=True,
                )
        unused = set(args.kabar_output) - matched
        for output in sorted(unused):
            print(f"{output}: made from none of these corpora (run kabar on {base}/corpus-SIZE)")


if __name__ == "__main__":
    main()
