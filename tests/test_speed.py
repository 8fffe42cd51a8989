"""The per-article fast paths give exactly what the plain definitions give, on real text.

(Speed itself is measured in ``bench/process.py``, never asserted here.)
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import SHARED_DATA

from kabar.entities.features import Featurizer, sentence_features, tokenize
from kabar.entities.model import default_tagger
from kabar.model import Article, CleanText, Story, to_dict
from kabar.text import split_sentences

T17 = SHARED_DATA / "t17-dev"


def _sentences(texts: list[str]) -> list[list[str]]:
    return [
        words
        for text in texts
        for paragraph in text.split("\n")
        for sentence in split_sentences(paragraph)
        if (words := [t[0] for t in tokenize(sentence)])
    ]


@pytest.fixture(scope="module")
def sentences(seed_processed: dict[str, Article]) -> list[list[str]]:
    texts = [a.body for a in seed_processed.values()]
    texts += [line for a in seed_processed.values() for line in a.removed]
    if T17.exists():  # English news too; the seeds alone are Indonesian
        for path in sorted(T17.glob("*/articles.jsonl"))[:2]:
            for line in path.read_text(encoding="utf-8").splitlines()[:15]:
                texts.append(json.loads(line)["text"])
    return _sentences(texts)


def test_to_dict_is_asdict_on_processed_articles_and_stories(
    seed_processed: dict[str, Article], seed_corpus: tuple[list[Article], list[Story]]
) -> None:
    articles, stories = seed_corpus
    objects: list[object] = [*seed_processed.values(), *articles, *stories]
    objects.append(CleanText(title="t", paragraphs=["a"], html_meta={"url": "https://x.id"}))
    assert any(a.mentions and a.sentences for a in articles)
    assert any(s.timeline and s.events for s in stories)
    for obj in objects:
        fast, reference = to_dict(obj), dataclasses.asdict(obj)
        assert fast == reference
        assert json.dumps(fast, ensure_ascii=False) == json.dumps(reference, ensure_ascii=False)
        # Fresh containers, as asdict makes: changing the dict leaves the article alone.
        for name, value in fast.items():
            if isinstance(value, list | dict):
                assert value is not getattr(obj, name)


def test_featurizer_without_vocabulary_is_sentence_features(sentences: list[list[str]]) -> None:
    featurize = Featurizer()
    assert len(sentences) > 100
    for words in sentences:
        assert featurize(words) == sentence_features(words)


def test_tagger_drops_only_unknown_attributes_and_tags_the_same(
    sentences: list[list[str]],
) -> None:
    tagger = default_tagger()
    known = tagger.featurizer.known
    assert known is not None and "bias" in known and "w=presiden" in known
    dropped = 0
    for words in sentences:
        full = sentence_features(words)
        kept = tagger.featurizer(words)
        assert kept == [[f for f in feats if f in known] for feats in full]
        dropped += sum(map(len, full)) - sum(map(len, kept))
        assert tagger.tag(words) == list(tagger.crfsuite().tag(full))
    assert dropped > 0  # the vocabulary does filter something on news text


def test_batched_viterbi_tags_as_crfsuite(sentences: list[list[str]]) -> None:
    """The numpy Viterbi over a batch (an article's sentences, or many) gives python-crfsuite's
    tags for every sentence, with warm and cold token caches."""
    tagger = default_tagger()
    reference = [list(tagger.crfsuite().tag(tagger.featurizer(words))) for words in sentences]
    assert sum(t != "O" for tags in reference for t in tags) > 100  # names were found
    tagger.viterbi.cache_clear()
    assert tagger.tag_batch(sentences) == reference
    for start in range(0, len(sentences), 36):
        assert tagger.tag_batch(sentences[start : start + 36]) == reference[start : start + 36]
    assert tagger.tag_batch([[], sentences[0], []]) == [[], reference[0], []]


def test_model_weights_read_from_the_file_are_crfsuites() -> None:
    tagger = default_tagger()
    info = tagger.crfsuite().info()  # its text dump rounds weights to 6 decimals
    weights = tagger.viterbi.weights
    assert list(weights.labels) == tagger.crfsuite().labels()
    assert {name: str(i) for name, i in weights.attributes.items()} == info.attributes
    label = {name: i for i, name in enumerate(weights.labels)}
    for (attribute, tag), value in list(info.state_features.items())[::50]:
        assert abs(weights.state[weights.attributes[attribute], label[tag]] - value) < 1e-6
    for (a, b), value in info.transitions.items():
        assert abs(weights.transitions[label[a], label[b]] - value) < 1e-6


def test_featurizer_cache_is_bounded(sentences: list[list[str]]) -> None:
    small = Featurizer(cache_size=50)
    for words in sentences[:200]:
        assert small(words) == sentence_features(words)
        assert small.cached() <= 50


def test_viterbi_word_ids_are_the_featurizers_attributes(sentences: list[list[str]]) -> None:
    """Each token's attribute ids, read from the model's tables, are the ids of the
    featurizer's strings for it, slot by slot and in order (so the sums are CRFsuite's)."""
    tagger = default_tagger()
    attr = tagger.viterbi.weights.attributes
    words = {w for words in sentences for w in words} | {"|", "^", "-", "Ⓐ", "2024", "U.S."}
    for word in sorted(words):
        part = tagger.featurizer._parts(word)
        expected = [
            [attr[n] for n in names]
            for names in (
                (*part.head, *((part.lx,) if part.lx is not None else ())),
                (*part.as_prev, *part.as_prev_flags),
                part.as_prev2,
                (*part.as_next, *part.as_next_flags),
                part.as_next2,
            )
        ]
        assert list(tagger.viterbi._word_ids(word)[:5]) == expected, word
