"""Property-based tests: whatever text arrives, every stage answers or raises a documented error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kabar.clean import clean_text
from kabar.corpus import Corpus
from kabar.errors import InputError, KabarError
from kabar.ingest import decode
from kabar.meta.time import find_times, parse_date
from kabar.model import Article, RawArticle
from kabar.pipeline import process

SEED = (
    Path(__file__).resolve().parent.parent / "examples" / "seeds" / "004_365101a1d57b9cd3.txt"
).read_text()
SEED_LINES = SEED.split("\n")

# Text built from real lines, hostile fragments and arbitrary unicode, mixed.
fragments = st.one_of(
    st.sampled_from(SEED_LINES),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "Baca Juga: x",
            "Kamis (31/2)",
            "pada 99 Oktober 2024",
            "\x00",
            "—",
            "(/)",
        ]
    ),
    st.text(max_size=80),
)
texts = st.lists(fragments, max_size=30).map("\n".join)
settings.register_profile(
    "kabar", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("kabar")


@given(texts)
def test_clean_never_fails(text: str) -> None:
    cleaned = clean_text(text)
    assert all(isinstance(p, str) and p for p in cleaned.paragraphs)


@given(texts, st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))
def test_time_tagger_never_fails_and_values_are_iso(text: str, anchor: date) -> None:
    for expression in find_times(text, anchor, lower_year=anchor.year):
        iso = expression.kind in ("duration", "set", "reference") or expression.value[:4].isdigit()
        assert iso and 0 <= expression.start < expression.end <= len(text)


@given(st.text(max_size=40))
def test_parse_date_is_a_date_or_none(text: str) -> None:
    assert parse_date(text) is None or isinstance(parse_date(text), date)


@given(st.binary(max_size=500))
def test_decode_gives_text_or_input_error(data: bytes) -> None:
    try:
        assert isinstance(decode(data, "x"), str)
    except InputError as error:
        assert error.problem


@given(texts)
def test_process_gives_an_article_or_input_error(text: str) -> None:
    try:
        article = process(RawArticle(text=text, source="prop.txt"))
    except KabarError:
        return
    assert isinstance(article, Article) and len(article.id) == 16 and article.body


@given(st.lists(texts, min_size=1, max_size=4))
def test_corpus_stage_accepts_any_processed_articles(bodies: list[str]) -> None:
    articles = []
    for body in [SEED, *bodies]:
        try:
            articles.append(process(RawArticle(text=body, source="prop.txt")))
        except KabarError:
            continue
    updated, stories = Corpus().group(articles)
    assert sorted(a.id for a in updated) == sorted(a.id for a in articles)
    grouped = [i for s in stories for i in s.article_ids]
    assert sorted(set(grouped)) == sorted({a.id for a in articles})
