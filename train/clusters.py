"""Learn word clusters from unlabelled Indonesian text: the tagger's cue for unseen words.

    .venv/bin/python train/clusters.py        # writes kabar/entities/models/clusters-id.tsv

A name the labelled corpora never show ("Tumiran", "Sumenep", "Bawaslu") still shares its
contexts with names they do show: "kata X", "di X", "Partai X". Distributional clusters
carry that over (Brown-cluster features are the classic lift for CRF taggers; Turian et al.
2010). Method: counts of each word's neighbours (window ±2, lower case) over the text below,
positive PMI, a truncated SVD to 100 dimensions, then k-means at three granularities (32,
128 and 512 clusters), so the model can use coarse and fine groups, as with prefixes of a
Brown path. scikit-learn only (a training-time tool; kabar ships the table, a few hundred
KB of text, and reads it with no extra dependency).

Text (made by ``train/get_data.sh``; see ``train/DATA.md``): 25,000 Leipzig news sentences
(ind_news_2008), IndoNLU's BaPOS (IDN Tagged Corpus, news), POSP and NERP (PROSA news),
FacQA passages (news), UD Indonesian GSD dev, NER UI, and the training splits of idner-news-2k and NERGrit. Only the words are read,
never a label, and no test split of any corpus.
"""

from __future__ import annotations

import ast
import csv
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.entities.features import CLUSTERS_PATH, tokenize  # noqa: E402
from train.corpora import EXTRA, load  # noqa: E402

MIN_COUNT = 3
MAX_WORDS = 40_000
CONTEXTS = 6_000
DIMENSIONS = 100
SIZES = (32, 128, 512)
WINDOW = 2


def news_sentences(path: Path, lower: bool = True) -> list[list[str]]:
    """Token lists of the paragraphs of a JSONL file of articles (``{"text": ...}`` a line):
    the newsweek dev corpus. Only the derived cluster table is kept, never its text."""
    import json

    out: list[list[str]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line).get("text") or ""
            for paragraph in text.split("\n"):
                words = [w.lower() if lower else w for w, _s, _e in tokenize(paragraph)]
                if len(words) >= 5:  # "Baca Juga", "Advertisement": boilerplate, no context
                    out.append(words)
    return out


def sentences(cased_only: bool = False) -> list[list[str]]:
    """Lower-cased token lists of every unlabelled source; with ``cased_only``, the words as
    written, of the sources that keep their case (POSP and NERP are lower-cased)."""
    out: list[list[str]] = []
    folder = EXTRA / "unlabelled"
    lower = (lambda w: w) if cased_only else str.lower
    for path in sorted(folder.glob("*.txt")) + sorted(folder.glob("*.conllu")):
        if cased_only and ("posp" in path.name or "nerp" in path.name):
            continue
        words: list[str] = []
        for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
            if line.startswith("#"):
                continue
            cols = line.split("\t") if "\t" in line else line.split()
            if not cols or not cols[0]:
                if words:
                    out.append(words)
                words = []
                continue
            word = cols[1] if path.suffix == ".conllu" else cols[0]
            if path.suffix == ".conllu" and "-" in cols[0]:
                continue
            words.append(lower(word))
    for path in sorted(folder.glob("*.sentences")):  # running text, a sentence a line
        for line in path.read_text(encoding="utf-8").splitlines():
            out.append([lower(w) for w, _s, _e in tokenize(line)])
    for path in sorted(folder.glob("facqa-*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                out.append([lower(w) for w in ast.literal_eval(row["passage"])])
    for split in ("idner-train", "idner-dev", "nergrit-train", "nergrit-dev", "nerui"):
        out.extend([lower(w) for w in words] for words, _tags in load(split))
    return out


def word_vectors(text: list[list[str]], max_words: int = MAX_WORDS) -> tuple[list[str], np.ndarray]:
    """The kept words (most frequent first) and their unit-length PPMI-SVD context vectors
    (``DIMENSIONS`` columns, strongest first): what the clusters group, and the word
    embeddings ``train/ner_lstm.py`` starts from."""
    from scipy.sparse import coo_matrix
    from sklearn.utils.extmath import randomized_svd

    counts = Counter(w for s in text for w in s)
    vocab = [w for w, c in counts.most_common(max_words) if c >= MIN_COUNT]
    index = {w: i for i, w in enumerate(vocab)}
    context_index = {w: i for i, w in enumerate(vocab[:CONTEXTS])}
    print(f"{len(text)} sentences, {sum(counts.values())} tokens, {len(vocab)} words kept")
    rows: list[int] = []
    cols: list[int] = []
    for s in text:
        ids = [index.get(w, -1) for w in s]
        ctx = [context_index.get(w, -1) for w in s]
        for i, wid in enumerate(ids):
            if wid < 0:
                continue
            for offset in range(-WINDOW, WINDOW + 1):
                j = i + offset
                if offset and 0 <= j < len(s) and ctx[j] >= 0:
                    # Left and right contexts apart: "di X" and "X di" say different things.
                    rows.append(wid)
                    cols.append(ctx[j] * 2 + (offset > 0))
    matrix = coo_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, cols)),
        shape=(len(vocab), CONTEXTS * 2),
    ).tocsr()
    total = matrix.sum()
    row_sum = np.asarray(matrix.sum(axis=1)).ravel()
    col_sum = np.asarray(matrix.sum(axis=0)).ravel() ** 0.75  # context smoothing
    col_sum = col_sum / col_sum.sum() * total
    coo = matrix.tocoo()
    pmi = np.log(coo.data * total / (row_sum[coo.row] * col_sum[coo.col]))
    keep = pmi > 0
    ppmi = coo_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=matrix.shape).tocsr()
    u, sigma, _vt = randomized_svd(ppmi, DIMENSIONS, random_state=0)
    vectors = u * np.sqrt(sigma)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    return vocab, vectors


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--news",
        type=Path,
        action="append",
        default=[],
        help="JSONL articles to add (e.g. ../data/newsweek/newsweek.jsonl); repeatable",
    )
    parser.add_argument("--max-words", type=int, default=MAX_WORDS)
    args = parser.parse_args()
    from sklearn.cluster import MiniBatchKMeans

    text = sentences()
    for path in args.news:
        text += news_sentences(path)
    vocab, vectors = word_vectors(text, args.max_words)
    index = {w: i for i, w in enumerate(vocab)}
    labels = []
    for size in SIZES:
        km = MiniBatchKMeans(n_clusters=size, random_state=0, n_init=3, batch_size=4096)
        labels.append(km.fit_predict(vectors))
    CLUSTERS_PATH.parent.mkdir(parents=True, exist_ok=True)
    with CLUSTERS_PATH.open("w", encoding="utf-8") as out:
        out.write("# word\t" + "\t".join(f"k{size}" for size in SIZES) + "\n")
        for i, word in enumerate(vocab):
            out.write(word + "\t" + "\t".join(str(int(lab[i])) for lab in labels) + "\n")
    print(f"{CLUSTERS_PATH}: {CLUSTERS_PATH.stat().st_size / 1e6:.1f} MB")
    for probe in ("jakarta", "jokowi", "partai", "kpk", "surabaya", "menteri"):
        if probe in index:
            group = labels[1][index[probe]]
            same = [w for w in vocab[:5000] if labels[1][index[w]] == group][:12]
            print(f"{probe}: {' '.join(same)}")


if __name__ == "__main__":
    main()
