"""Train a small context model for NER (BiLSTM-CRF over word vectors, a char CNN and the
CRF's hand cues) and score it on dev with a numpy forward pass, for issue 19.

    nice -n 19 .venv/bin/python train/ner_lstm.py --epochs 12        # tuning set, dev scores
    nice -n 19 .venv/bin/python train/ner_lstm.py --final --epochs N # train + dev, -> --out
    .venv/bin/python train/ner_lstm.py --crf ...                     # stacked on CRF marginals
    .venv/bin/python train/ner_lstm.py --heldout M.npz               # the tests, once, at the end
    .venv/bin/python train/ner_lstm.py --speed M.npz                 # tokens/s, numpy and CRF

Why: the CRF sees a ±2-word window of hand features; NERGrit's errors are span boundaries and
types that depend on wider context ("Universitas Halu Oleo Kendari", "Provinsi Jawa Barat").
The usual next step is learned context (Lample et al. 2016; Ma & Hovy 2016). Inputs per
token (:func:`encode`): a 64-d word vector learnt by this script from the unlabelled text
``train/clusters.py`` reads (its PPMI-SVD vectors, frozen), a char CNN over the word as
written, embeddings of the word's three cluster ids, and the CRF's cheap cues (case, title /
organisation / place words, lexical class, gazetteer BIO tag, position and length of its
capitalised run). One BiLSTM layer, a linear layer to the 7 BIO tags, a CRF on top.

Training: PyTorch on CPU (the ``train`` extra), one thread; data and dev sets are
``train/ner.py``'s (idner and NERGrit train x2, NER UI, MDEE; dev = idner dev and the NERGrit
dev block), so the figures compare with the CRF's. The epoch is chosen on dev. The weights
are exported to an .npz and dev is scored by :class:`NumpyTagger` (numpy only, batched over
sentences): what a run-time tagger would use, so export and forward pass are checked too.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.entities.features import (  # noqa: E402
    LOC_WORDS,
    ORG_WORDS,
    TITLE_WORDS,
    city_words,
    clusters,
    common_words,
    gazetteer_tags,
    run_features,
)
from kabar.entities.model import score  # noqa: E402
from train.corpora import Sentence, load  # noqa: E402
from train.ner import EXTRA, training_sets  # noqa: E402

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
GAZ = ("O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER")
RUN_POS = ("r=S", "r=B", "r=I", "r=E")
WORD_DIM = 64
MAX_CHARS = 20
CLUSTER_SIZES = (32, 128, 512)
N_DENSE = 8 + 4 + len(GAZ) + 1 + len(RUN_POS) + 5
VECTORS_CACHE = Path(os.environ.get("KABAR_NER_VECTORS", "/tmp/kabar-ner-vectors.npz"))


def word_table() -> tuple[dict[str, int], np.ndarray]:
    """Lower-case word -> row of the frozen word-vector table (row 0: unknown, zeros)."""
    if VECTORS_CACHE.exists():
        data = np.load(VECTORS_CACHE, allow_pickle=False)
        vocab, vectors = list(data["vocab"]), data["vectors"]
    else:
        from train.clusters import sentences, word_vectors

        vocab, full = word_vectors(sentences())
        vectors = full[:, :WORD_DIM].astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
        np.savez(VECTORS_CACHE, vocab=np.array(vocab), vectors=vectors)
    index = {w: i + 1 for i, w in enumerate(vocab)}
    table = np.vstack([np.zeros((1, vectors.shape[1]), np.float32), vectors]).astype(np.float32)
    return index, table


def _lex(word: str, low: str) -> int:
    if word[:1].isupper():
        return 0 if low in common_words() else 1
    return 2 if word[:1].isalpha() else 3


def encode(
    words: Sequence[str], word_index: dict[str, int], char_index: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(word ids, char ids [n, MAX_CHARS], cluster ids [n, 3], dense cues [n, N_DENSE])."""
    n = len(words)
    wid = np.zeros(n, np.int64)
    cid = np.zeros((n, MAX_CHARS), np.int64)
    clu = np.zeros((n, 3), np.int64)
    dense = np.zeros((n, N_DENSE), np.float32)
    gaz = gazetteer_tags(words)
    runs = run_features(words)
    table = clusters()
    cities = city_words()
    for i, word in enumerate(words):
        low = word.lower()
        wid[i] = word_index.get(low, 0)
        for j, ch in enumerate(word[:MAX_CHARS]):
            cid[i, j] = char_index.get(ch, 1)
        ids = table.get(low)
        if ids:
            clu[i] = [int(x) + 1 for x in ids]
        cap = word[:1].isupper()
        row = dense[i]
        row[0] = cap
        row[1] = cap and word.isupper() and len(word) > 1
        row[2] = any(c.isdigit() for c in word)
        row[3] = low in TITLE_WORDS
        row[4] = low in ORG_WORDS
        row[5] = low in LOC_WORDS
        row[6] = len(word) == 1 and not word.isalnum()
        row[7] = cap and low in cities
        row[8 + _lex(word, low)] = 1
        row[12 + GAZ.index(gaz[i])] = 1
        k = 12 + len(GAZ)
        row[k] = i == 0
        run = runs[i]
        if run:
            row[k + 1 + RUN_POS.index(run[0])] = 1
            length = int(run[1].removeprefix("rl="))
            row[k + 1 + len(RUN_POS) + length - 1] = 1
    return wid, cid, clu, dense


def char_vocab(sentences: list[Sentence]) -> dict[str, int]:
    """Chars seen at least twice in training: ids from 2 (0 padding, 1 unknown)."""
    counts = Counter(ch for words, _t in sentences for w in words for ch in w[:MAX_CHARS])
    return {ch: i + 2 for i, ch in enumerate(sorted(c for c, k in counts.items() if k >= 2))}


# --------------------------------------------------------------------------- numpy tagger


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


class NumpyTagger:
    """The exported model's forward pass and Viterbi in numpy, batched over sentences."""

    def __init__(self, path: Path) -> None:
        data = np.load(path, allow_pickle=False)
        self.p = {k: data[k].astype(np.float32) for k in data.files if k not in ("vocab", "chars")}
        self.word_index = {w: i + 1 for i, w in enumerate(data["vocab"])}
        self.char_index = {c: i + 2 for i, c in enumerate(data["chars"])}
        self._char_cache: dict[str, np.ndarray] = {}
        self.marginals: dict[str, np.ndarray] | None = (
            load_marginals() if "crf" in data.files else None
        )

    def _char_vectors(self, words: Sequence[str], cids: np.ndarray) -> np.ndarray:
        p = self.p
        out = np.empty((len(words), p["char_conv_w"].shape[1]), np.float32)
        todo = [i for i, w in enumerate(words) if w not in self._char_cache]
        if todo:
            ids = cids[todo]  # [m, L]
            emb = p["char_emb"][ids]  # [m, L, d]
            emb = np.pad(emb, ((0, 0), (1, 1), (0, 0)))
            windows = np.concatenate([emb[:, :-2], emb[:, 1:-1], emb[:, 2:]], axis=2)
            conv = windows @ p["char_conv_w"] + p["char_conv_b"]  # [m, L, f]
            lengths = np.minimum([len(words[i]) for i in todo], MAX_CHARS)
            mask = np.arange(MAX_CHARS)[None, :] < lengths[:, None]
            conv = np.where(mask[:, :, None], conv, -1e9)
            pooled = conv.max(axis=1)
            for row, i in enumerate(todo):
                self._char_cache[words[i]] = pooled[row]
        for i, w in enumerate(words):
            out[i] = self._char_cache[w]
        return out

    def _lstm(self, x: np.ndarray, lengths: np.ndarray, prefix: str) -> np.ndarray:
        """One direction over left-aligned, padded sequences [B, T, d] -> [B, T, h]."""
        p = self.p
        w_ih, w_hh, b = p[prefix + "_w_ih"], p[prefix + "_w_hh"], p[prefix + "_b"]
        batch, steps, _ = x.shape
        hidden = w_hh.shape[0]
        gates_x = x @ w_ih + b  # [B, T, 4h]
        h = np.zeros((batch, hidden), np.float32)
        c = np.zeros((batch, hidden), np.float32)
        out = np.zeros((batch, steps, hidden), np.float32)
        for t in range(steps):
            active = int((lengths > t).sum())  # sentences sorted longest first
            g = gates_x[:active, t] + h[:active] @ w_hh
            i_g = _sigmoid(g[:, :hidden])
            f_g = _sigmoid(g[:, hidden : 2 * hidden])
            c_g = np.tanh(g[:, 2 * hidden : 3 * hidden])
            o_g = _sigmoid(g[:, 3 * hidden :])
            c[:active] = f_g * c[:active] + i_g * c_g
            h[:active] = o_g * np.tanh(c[:active])
            out[:active, t] = h[:active]
        return out

    def emissions(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        p = self.p
        order = sorted(range(len(sentences)), key=lambda k: -len(sentences[k]))
        sents = [sentences[k] for k in order]
        lengths = np.array([len(s) for s in sents])
        steps = int(lengths.max())
        flat = [w for s in sents for w in s]
        encoded = [encode(s, self.word_index, self.char_index) for s in sents]
        wid, cid, clu, dense = (np.concatenate(part) for part in zip(*encoded, strict=True))
        if self.marginals is not None:
            crf = np.concatenate([self.marginals[_key(s)] for s in sents])
            dense = np.concatenate([dense, crf], axis=1).astype(np.float32)
        parts = [
            p["word_emb"][wid],
            self._char_vectors(flat, cid),
            p["clu0"][clu[:, 0]],
            p["clu1"][clu[:, 1]],
            p["clu2"][clu[:, 2]],
            dense,
        ]
        tokens = np.concatenate(parts, axis=1)
        dim = tokens.shape[1]
        x = np.zeros((len(sents), steps, dim), np.float32)
        x_rev = np.zeros_like(x)
        start = 0
        for b, n in enumerate(lengths):
            x[b, :n] = tokens[start : start + n]
            x_rev[b, :n] = tokens[start : start + n][::-1]
            start += n
        fwd = self._lstm(x, lengths, "fw")
        bwd = self._lstm(x_rev, lengths, "bw")
        out: list[np.ndarray] = [np.empty(0)] * len(sentences)
        for b, n in enumerate(lengths):
            h = np.concatenate([fwd[b, :n], bwd[b, :n][::-1]], axis=1)
            out[order[b]] = h @ p["out_w"] + p["out_b"]
        return out

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        result: list[list[str]] = [[] for _ in sentences]
        nonempty = [k for k, s in enumerate(sentences) if s]
        if not nonempty:
            return result
        emissions = self.emissions([sentences[k] for k in nonempty])
        trans, start, end = self.p["trans"], self.p["start"], self.p["end"]
        for k, em in zip(nonempty, emissions, strict=True):
            result[k] = [TAGS[t] for t in viterbi(em, trans, start, end)]
        return result


def viterbi(em: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    score_ = start + em[0]
    back = []
    for t in range(1, len(em)):
        total = score_[:, None] + trans  # [from, to]
        back.append(total.argmax(axis=0))
        score_ = total.max(axis=0) + em[t]
    best = int((score_ + end).argmax())
    path = [best]
    for pointers in reversed(back):
        best = int(pointers[best])
        path.append(best)
    return path[::-1]


# --------------------------------------------------------------------------- torch model


def build_model(n_chars: int, table: np.ndarray, args: argparse.Namespace):
    import torch
    from torch import nn

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word_emb = nn.Embedding.from_pretrained(
                torch.from_numpy(table), freeze=not args.tune_words
            )
            self.char_emb = nn.Embedding(n_chars, args.char_dim, padding_idx=0)
            self.char_conv = nn.Conv1d(args.char_dim, args.char_filters, 3, padding=1)
            self.clu = nn.ModuleList(
                nn.Embedding(size + 1, dim)
                for size, dim in zip(CLUSTER_SIZES, (8, 8, 16), strict=True)
            )
            dim = table.shape[1] + args.char_filters + 32 + N_DENSE + (len(TAGS) if args.crf else 0)
            self.drop = nn.Dropout(args.dropout)
            self.lstm = nn.LSTM(dim, args.hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * args.hidden, len(TAGS))
            k = len(TAGS)
            self.trans = nn.Parameter(torch.zeros(k, k))
            self.start = nn.Parameter(torch.zeros(k))
            self.end = nn.Parameter(torch.zeros(k))

        def features(self, wid, cid, clu, dense, lengths):
            b, t, c = cid.shape
            ch = self.char_emb(cid.view(b * t, c)).transpose(1, 2)  # [bt, d, c]
            conv = self.char_conv(ch)
            char_len = (cid.view(b * t, c) > 0).sum(1).clamp(min=1)
            mask = torch.arange(c)[None, :] < char_len[:, None]
            conv = conv.masked_fill(~mask[:, None, :], -1e9).max(2).values.view(b, t, -1)
            x = torch.cat(
                [
                    self.word_emb(wid),
                    conv,
                    *(emb(clu[:, :, i]) for i, emb in enumerate(self.clu)),
                    dense,
                ],
                dim=2,
            )
            x = self.drop(x)
            packed = nn.utils.rnn.pack_padded_sequence(
                x, lengths, batch_first=True, enforce_sorted=False
            )
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=t)
            return self.out(self.drop(h))

        def nll(self, em, tags, mask):
            """CRF negative log-likelihood, summed over the batch."""
            t = em.shape[1]
            # gold path score
            gold = self.start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
            for i in range(1, t):
                step = self.trans[tags[:, i - 1], tags[:, i]] + em[:, i].gather(
                    1, tags[:, i : i + 1]
                ).squeeze(1)
                gold = gold + step * mask[:, i]
            last = tags.gather(1, (mask.sum(1).long() - 1)[:, None]).squeeze(1)
            gold = gold + self.end[last]
            alpha = self.start[None, :] + em[:, 0]
            for i in range(1, t):
                nxt = torch.logsumexp(alpha[:, :, None] + self.trans[None], dim=1) + em[:, i]
                alpha = torch.where(mask[:, i : i + 1] > 0, nxt, alpha)
            log_z = torch.logsumexp(alpha + self.end[None], dim=1)
            return (log_z - gold).sum()

    return Tagger()


def _key(words: Sequence[str]) -> str:
    return "\x1f".join(words)


def load_marginals() -> dict[str, np.ndarray]:
    """Sentence -> CRF marginals [n, 7] (``train/ner_crf_folds.py``: cross-fitted on the
    training set, from the tuning CRF on dev)."""
    from train.ner_crf_folds import FOLDS

    data = np.load(FOLDS, allow_pickle=False)
    ends = np.cumsum(data["lengths"])
    values = data["values"]
    return {
        k: values[e - n : e] for k, n, e in zip(data["keys"], data["lengths"], ends, strict=True)
    }


def tensors(batch: list[Sentence], word_index, char_index, marginals=None):
    import torch

    lengths = [len(w) for w, _t in batch]
    t = max(lengths)
    b = len(batch)
    wid = np.zeros((b, t), np.int64)
    cid = np.zeros((b, t, MAX_CHARS), np.int64)
    clu = np.zeros((b, t, 3), np.int64)
    extra = len(TAGS) if marginals is not None else 0
    dense = np.zeros((b, t, N_DENSE + extra), np.float32)
    tags = np.zeros((b, t), np.int64)
    mask = np.zeros((b, t), np.float32)
    for i, (words, gold) in enumerate(batch):
        n = len(words)
        w, c, k, d = encode(words, word_index, char_index)
        if marginals is not None:
            d = np.concatenate([d, marginals[_key(words)]], axis=1)
        wid[i, :n], cid[i, :n], clu[i, :n], dense[i, :n] = w, c, k, d
        tags[i, :n] = [TAGS.index(g) for g in gold]
        mask[i, :n] = 1
    return (
        torch.from_numpy(wid),
        torch.from_numpy(cid),
        torch.from_numpy(clu),
        torch.from_numpy(dense),
        torch.tensor(lengths),
        torch.from_numpy(tags),
        torch.from_numpy(mask),
    )


def export(model, vocab: list[str], chars: list[str], path: Path, crf: bool = False) -> None:
    """The weights as numpy arrays (LSTM gates in PyTorch's i, f, g, o order)."""
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    hidden = model.lstm.hidden_size
    arrays = {
        "vocab": np.array(vocab),
        "chars": np.array(chars),
        "word_emb": sd["word_emb.weight"].astype(np.float16),
        "char_emb": sd["char_emb.weight"],
        # Conv1d weight [f, d, 3] -> windows [prev | this | next] of d each, @ [3d, f]
        "char_conv_w": sd["char_conv.weight"]
        .transpose(2, 1, 0)
        .reshape(-1, sd["char_conv.weight"].shape[0]),
        "char_conv_b": sd["char_conv.bias"],
        "clu0": sd["clu.0.weight"],
        "clu1": sd["clu.1.weight"],
        "clu2": sd["clu.2.weight"],
        "out_w": sd["out.weight"].T,
        "out_b": sd["out.bias"],
        "trans": sd["trans"],
        "start": sd["start"],
        "end": sd["end"],
    }
    if crf:
        arrays["crf"] = np.ones(1)
    for prefix, suffix in (("fw", ""), ("bw", "_reverse")):
        arrays[prefix + "_w_ih"] = sd["lstm.weight_ih_l0" + suffix].T
        arrays[prefix + "_w_hh"] = sd["lstm.weight_hh_l0" + suffix].T
        arrays[prefix + "_b"] = sd["lstm.bias_ih_l0" + suffix] + sd["lstm.bias_hh_l0" + suffix]
    assert arrays["fw_w_hh"].shape == (hidden, 4 * hidden)
    np.savez_compressed(path, **arrays)


def dev_scores(path: Path) -> tuple[float, float, float]:
    """idner dev and NERGrit dev micro-F1 of an exported model, and tokens/s on them."""
    tagger = NumpyTagger(path)
    out = []
    tokens = 0
    started = time.perf_counter()
    for split in ("idner-dev", "nergrit-dev"):
        sentences = load(split)
        tokens += sum(len(w) for w, _t in sentences)
        predicted: list[list[str]] = []
        for i in range(0, len(sentences), 36):  # an article's worth of sentences a batch
            predicted += tagger.tag([w for w, _t in sentences[i : i + 36]])
        out.append(score([t for _w, t in sentences], predicted)["micro"].f1)
    return out[0], out[1], tokens / (time.perf_counter() - started)


def heldout(path: Path) -> None:
    """Score an exported model on the two held-out tests (read once, for the final model).

    A stacked model takes the marginals of the CRF trained on the tuning set
    (``train/ner_crf_folds.py``), the one that gave its dev marginals."""
    from train.ner_crf_folds import FOLDS, marginals

    tagger = NumpyTagger(path)
    for split in ("nergrit-heldout", "idner-test"):
        sentences = load(split)
        if tagger.marginals is not None:
            tagger.marginals |= marginals(FOLDS.with_suffix(".tuning.crfsuite"), sentences)
        predicted: list[list[str]] = []
        for i in range(0, len(sentences), 36):
            predicted += tagger.tag([w for w, _t in sentences[i : i + 36]])
        result = score([t for _w, t in sentences], predicted)
        print(f"{split}: {len(sentences)} sentences")
        for label in ("PER", "ORG", "LOC", "micro"):
            r = result[label]
            print(f"  {label:<6} P {r.precision:.4f} R {r.recall:.4f} F1 {r.f1:.4f} gold {r.gold}")


def bench(path: Path) -> None:
    """CPU tokens/s of the numpy forward pass and of the shipped CRF on the dev sentences,
    an article's worth (36) a call, on one core: first pass (cold caches), then again."""
    from kabar.entities.model import CrfTagger

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    sentences = [w for w, _t in load("idner-dev") + load("nergrit-dev")]
    tokens = sum(map(len, sentences))
    lstm, crf = NumpyTagger(path), CrfTagger()
    for name, tag in (("context model", lstm.tag), ("CRF", crf.tag_batch)):
        tag(sentences[:36])  # lexicons loaded before the clock starts
        for run in ("first pass", "again"):
            started = time.process_time()
            for i in range(0, len(sentences), 36):
                tag(sentences[i : i + 36])
            print(f"{name} {run}: {tokens / (time.process_time() - started):,.0f} tokens/s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--char-dim", type=int, default=16)
    parser.add_argument("--char-filters", type=int, default=32)
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tune-words", action="store_true", help="fine-tune the word vectors")
    parser.add_argument("--crf", action="store_true", help="stack: CRF marginals as inputs")
    parser.add_argument("--limit", type=int, default=0, help="a sample of the data (smoke test)")
    parser.add_argument("--final", action="store_true", help="train on train + dev (no scores)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/kabar-ner-lstm.npz"))
    parser.add_argument("--heldout", type=Path, help="score this exported model on the tests")
    parser.add_argument("--speed", type=Path, help="time this exported model on dev (CPU)")
    args = parser.parse_args()
    if args.speed:
        bench(args.speed)
        return
    if args.heldout:
        heldout(args.heldout)
        return
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    tuning, final = training_sets(EXTRA)
    data = final if args.final else tuning
    if args.limit:
        data = random.sample(data, args.limit)
    word_index, table = word_table()
    vocab = [""] * len(word_index)
    for w, i in word_index.items():
        vocab[i - 1] = w
    char_index = char_vocab(data)
    chars = sorted(char_index, key=char_index.__getitem__)
    model = build_model(len(char_index) + 2, table, args)
    marginals = load_marginals() if args.crf else None
    optimiser = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    print(
        f"{len(data)} training sentences, {sum(p.numel() for p in model.parameters() if p.requires_grad)} trainable parameters"
    )
    best = (-1.0, 0)
    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        model.train()
        order = list(range(len(data)))
        random.shuffle(order)
        # batches of similar length (less padding): shuffle, then sort within chunks
        chunks = [order[i : i + args.batch * 20] for i in range(0, len(order), args.batch * 20)]
        batches = []
        for chunk in chunks:
            chunk.sort(key=lambda k: len(data[k][0]))
            batches += [chunk[i : i + args.batch] for i in range(0, len(chunk), args.batch)]
        random.shuffle(batches)
        total = 0.0
        for ids in batches:
            wid, cid, clu, dense, lengths, tags, mask = tensors(
                [data[k] for k in ids], word_index, char_index, marginals
            )
            em = model.features(wid, cid, clu, dense, lengths)
            loss = model.nll(em, tags, mask) / len(ids)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            total += float(loss.detach()) * len(ids)
        model.eval()
        path = args.out.with_suffix(f".e{epoch}.npz")
        export(model, vocab, chars, path, args.crf)
        line = (
            f"epoch {epoch}: loss {total / len(data):.3f} ({time.perf_counter() - started:.0f} s)"
        )
        if not args.final:
            idner, nergrit, speed = dev_scores(path)
            line += f"  dev F1 idner {idner:.4f} nergrit {nergrit:.4f}  ({speed:,.0f} tokens/s)"
            best = max(best, ((idner + nergrit) / 2, epoch))
        print(line, flush=True)
    if not args.final:
        print(f"best epoch by mean dev F1: {best[1]} ({best[0]:.4f})")


if __name__ == "__main__":
    main()
