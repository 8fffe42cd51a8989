"""NER speed and memory: tokens per second on one core, peak resident memory.

    .venv/bin/python bench/ner.py

Two inputs, read from ``../shared/data/``: idner-news-2k test (Indonesian, pre-tokenised
sentences: the tagger alone, features included) and Timeline17 dev articles (English news:
the whole :func:`kabar.entities.model_mentions_batch` path, an article a call, sentence
splitting and tokenising included). Feature caches are cleared before each run, so the figure includes cold-cache
work. Target: >= 20,000 tokens/s for the tagger on one core.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.entities import features, model_mentions_batch  # noqa: E402
from kabar.entities.gazetteer import gazetteer  # noqa: E402
from kabar.entities.model import default_tagger  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
ARTICLE = 36  # sentences of a typical article: what extract_mentions tags in one batch


def _clear_caches() -> None:
    for fn in (
        features.shape,
        features._word_features,
        features._context_word,
        features._gazetteer_label,
    ):
        fn.cache_clear()
    default_tagger().featurizer.cache_clear()  # the per-token caches of the running tagger
    default_tagger().viterbi.cache_clear()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    idner = DATA / "ner" / "idner-news-2k" / "test.txt"
    t17 = sorted((DATA / "t17-dev").glob("*/articles.jsonl"))
    if not idner.exists() or not t17:
        sys.exit(f"shared data not found under {DATA}")
    started, cpu = time.perf_counter(), time.process_time()
    tagger = default_tagger()
    gazetteer()
    features.common_words()
    features.city_words()
    features.clusters()
    load_s = time.perf_counter() - started
    load_s_cpu = time.process_time() - cpu
    load_mb = _rss_mb()

    sentences: list[list[str]] = [[]]
    for line in idner.read_text(encoding="utf-8").splitlines():
        if line.split():
            sentences[-1].append(line.split()[0])
        elif sentences[-1]:
            sentences.append([])
    sentences = [s for s in sentences if s] * 5
    _clear_caches()
    started, cpu = time.perf_counter(), time.process_time()
    tokens = sum(len(tagger.tag(s)) for s in sentences)
    tag_s = time.perf_counter() - started
    tag_s_cpu = time.process_time() - cpu
    # As extract_mentions calls it: an article's sentences (about 36) in one batch.
    _clear_caches()
    started, cpu = time.perf_counter(), time.process_time()
    batches = [sentences[i : i + ARTICLE] for i in range(0, len(sentences), ARTICLE)]
    batch_tokens = sum(len(t) for b in batches for t in tagger.tag_batch(b))
    batch_s = time.perf_counter() - started
    batch_s_cpu = time.process_time() - cpu

    texts = []
    for path in t17[:4]:
        for line in path.read_text(encoding="utf-8").splitlines()[:100]:
            texts.append(json.loads(line)["text"].replace(" \n", "\n"))
    _clear_caches()
    en_tokens = sum(len(features.tokenize(t)) for t in texts)
    started, cpu = time.perf_counter(), time.process_time()
    found = sum(
        len(spans)
        for t in texts
        for spans in model_mentions_batch([p for p in t.split("\n") if p.strip()])
    )
    en_s = time.perf_counter() - started
    en_s_cpu = time.process_time() - cpu

    # Wall seconds, and CPU seconds of this process (on a shared machine the wall clock
    # also counts other programs; the CPU tokens/s is the figure to compare).
    print(f"{'run':<44} {'tokens':>8} {'wall s':>7} {'CPU s':>7} {'tokens/s CPU':>13}")
    for label, count, wall, cpu_s in (
        ("CRF tagger, idner test x5, 1 sentence/call", tokens, tag_s, tag_s_cpu),
        (
            f"CRF tagger, idner test x5, {ARTICLE} sentences/call",
            batch_tokens,
            batch_s,
            batch_s_cpu,
        ),
        ("model_mentions, T17 dev 400 articles (en)", en_tokens, en_s, en_s_cpu),
    ):
        print(f"{label:<44} {count:>8} {wall:>7.2f} {cpu_s:>7.2f} {count / cpu_s:>13.0f}")
    print(
        f"model + gazetteer + lexicons load: {load_s:.2f} s wall, {load_s_cpu:.2f} s CPU,"
        f" RSS after load {load_mb:.0f} MB"
    )
    print(f"peak RSS (ru_maxrss): {_rss_mb():.0f} MB; English mentions found: {found}")


if __name__ == "__main__":
    main()
