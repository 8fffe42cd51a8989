"""The temporal tagger on the forms issue 4 names, on the seeds and on the gold set."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kabar.meta import date_sentences
from kabar.meta.time import find_times, latest_today
from kabar.model import Article

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold" / "time" / "time.jsonl"


def _values(text: str, anchor: date | None) -> dict[str, tuple[str, str]]:
    return {t.text: (t.value, t.kind) for t in find_times(text, anchor)}


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "value", "kind"),
    [
        (
            "Awal bulan ini dia mengunjungi Kyrgyzstan.",
            date(2023, 10, 18),
            "Awal bulan ini",
            "2023-10",
            "date",
        ),
        (
            "Bulan lalu, Vietnam meningkatkan hubungan.",
            date(2023, 10, 18),
            "Bulan lalu",
            "2023-09",
            "date",
        ),
        ("akhir tahun ini", date(2023, 10, 18), "akhir tahun ini", "2023", "date"),
        ("Xi akan datang tahun depan.", date(2023, 10, 18), "tahun depan", "2024", "date"),
        ("Diunggah 6 jam lalu.", date(2024, 6, 20), "6 jam lalu", "2024-06-20", "date"),
        ("hubungan diplomatik sejak 1950.", None, "sejak 1950", "1950", "date"),
        (
            "impor antara tahun 1995 dan 2023",
            None,
            "antara tahun 1995 dan 2023",
            "1995/2023",
            "range",
        ),
        ("yang terisolasi dalam 24 tahun", None, "dalam 24 tahun", "P24Y", "duration"),
        (
            "Dia datang pada Kamis, 6 Septemebr 2018.",
            None,
            "Kamis, 6 Septemebr 2018",
            "2018-09-06",
            "date",
        ),
        (
            "sejak Agustus 2011 hingga Maret 2014",
            None,
            "sejak Agustus 2011 hingga Maret 2014",
            "2011-08/2014-03",
            "range",
        ),
        ("gaji naik setiap tahun", None, "setiap tahun", "R/P1Y", "set"),
        ("The leak began two weeks ago.", date(2010, 5, 5), "two weeks ago", "2010-04-19", "date"),
        (
            "It exploded on April 20 , killing 11 .",
            date(2010, 6, 1),
            "April 20",
            "2010-04-20",
            "date",
        ),
        ("Mr Jindal said on Saturday .", date(2010, 5, 3), "on Saturday", "2010-05-01", "date"),
        ("a profit last year", date(2010, 6, 18), "last year", "2009", "date"),
        ("in the 1990s", None, "in the 1990s", "1990/1999", "range"),
    ],
)
def test_issue_forms(
    text: str, anchor: date | None, expression: str, value: str, kind: str
) -> None:
    assert _values(text, anchor)[expression] == (value, kind)


def test_weekday_that_disagrees_with_the_date_is_flagged_not_trusted() -> None:
    (wrong,) = find_times("kata Irgan, Jumat (21/10/2010) di Gedung DPR")  # 21 Oct 2010: Thursday
    assert wrong.value == "2010-10-21" and wrong.weekday_mismatch
    (right,) = find_times("kata Anas, Kamis (21/10/2010)")
    assert not right.weekday_mismatch


def test_year_of_a_partial_date_comes_from_the_weekday_near_the_anchor() -> None:
    (found,) = find_times("serangan pada Minggu (24/8)", date(2014, 8, 26))
    assert found.value == "2014-08-24" and not found.weekday_mismatch


def test_relative_dates_in_quotes_do_not_date_the_sentence() -> None:
    (quoted,) = find_times('"Hari ini, kita berjuang," kata Putin.', date(2024, 6, 20))
    assert quoted.in_quote and quoted.value == "2024-06-20"
    (sentence,) = date_sentences(
        ['"Hari ini, kita berjuang," kata Putin.'], date(2024, 6, 20), None
    )
    assert sentence.date is None


def test_without_an_anchor_relatives_count_from_the_nearest_explicit_date() -> None:
    first, second = date_sentences(
        ["Hujan turun Selasa (26/3/2024). Kemarin juga hujan."], None, None
    )
    assert (first.date, first.confidence) == ("2024-03-26", 1.0)
    assert (second.date, second.confidence) == ("2024-03-25", 0.6)


def test_sentences_without_a_cue_inherit_a_context_date_with_lower_confidence(
    seed_processed: dict[str, Article],
) -> None:
    article = seed_processed["004"]
    greeted = next(s for s in article.sentences if s.text.startswith("Putin disambut"))
    assert greeted.date is None  # never a timeline entry of its own
    assert (greeted.context_date, greeted.context_granularity) == ("2024-06-20", "day")
    assert greeted.confidence is not None and greeted.confidence < 1.0


def test_publication_date_is_inferred_from_a_today_stamp_or_left_unknown(
    seed_processed: dict[str, Article],
) -> None:
    assert (seed_processed["000"].published, seed_processed["000"].published_from) == (
        "2024-03-26",
        "inferred",
    )
    # 002 has no stamp and no weekday-dated statement: unknown, not a guess.
    assert seed_processed["002"].published is None
    assert latest_today(["Pada 24 April 1971 dia meninggal."]) is None  # history, not today


def test_gold_set_accuracy() -> None:
    """Regression guard on the hand-checked set; the full table is eval/time.py."""
    items = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(items) >= 200
    correct = 0
    for item in items:
        anchor = date.fromisoformat(item["anchor"]) if item["anchor"] else None
        start = item["sentence"].index(item["expression"])
        end = start + len(item["expression"])
        values = [
            t.value for t in find_times(item["sentence"], anchor) if t.start < end and start < t.end
        ]
        correct += item["value"] in values[:1]
    assert correct / len(items) >= 0.95
