"""The temporal tagger on the forms issues 4 and 19 name, on the seeds and on the gold sets."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from kabar.meta import date_sentences
from kabar.meta.time import calendar_value, event_date, find_times, latest_today
from kabar.model import Article, TimeExpression

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold" / "time" / "time.jsonl"
REAL = ROOT / "eval" / "gold" / "time" / "time_real.jsonl"
NON_DATES = ROOT / "eval" / "gold" / "time" / "non_dates.jsonl"
WIB = timezone(timedelta(hours=7))


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
        ("The leak began two weeks ago.", date(2010, 5, 5), "two weeks ago", "2010-04-21", "date"),
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


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "value", "kind"),
    [
        ("Laba kuartal II-2023 naik.", date(2023, 8, 1), "kuartal II-2023", "2023-Q2", "date"),
        ("Pendapatan Q3 2024 turun.", date(2024, 11, 1), "Q3 2024", "2024-Q3", "date"),
        (
            "Evaluasi pada triwulan pertama.",
            date(2025, 6, 18),
            "triwulan pertama",
            "2025-Q1",
            "date",
        ),
        (
            "Membaik pada semester II-2025.",
            date(2025, 6, 18),
            "semester II-2025",
            "2025-H2",
            "date",
        ),
        ("the third quarter of 2022", None, "third quarter of 2022", "2022-Q3", "date"),
        (
            "Jumat, 7 September 2018 10:47 WIB",
            None,
            "Jumat, 7 September 2018 10:47 WIB",
            "2018-09-07T10:47+07:00",
            "date",
        ),
        (
            "Gempa terjadi pukul 10.47 WITA.",
            date(2018, 9, 7),
            "pukul 10.47 WITA",
            "2018-09-07T10:47+08:00",
            "date",
        ),
        (
            "Tembakan pada pukul 07.35 WIT.",
            date(2025, 6, 18),
            "pukul 07.35 WIT",
            "2025-06-18T07:35+09:00",
            "date",
        ),
        (
            "Rabu (18/6/2025), pukul 15.24.49 WIB",
            None,
            "Rabu (18/6/2025), pukul 15.24.49 WIB",
            "2025-06-18T15:24:49+07:00",
            "date",
        ),
        ("Dia datang dua minggu lalu.", date(2024, 3, 26), "dua minggu lalu", "2024-03-12", "date"),
        ("Serangan itu terjadi pekan lalu.", date(2024, 3, 26), "pekan lalu", "2024-W12", "date"),
        ("IHSG pada Jumat pekan ini.", date(2025, 6, 18), "Jumat pekan ini", "2025-06-20", "date"),
        ("Balapan akhir pekan ini.", date(2025, 6, 18), "akhir pekan ini", "2025-W25-WE", "date"),
        (
            "Ia datang sehari setelah pelantikan.",
            date(2024, 10, 21),
            "sehari setelah pelantikan",
            "REF+P1D",
            "reference",
        ),
        (
            "Korban dievakuasi sehari sebelumnya.",
            date(2025, 6, 20),
            "sehari sebelumnya",
            "REF-P1D",
            "reference",
        ),
        (
            "peringatan serangan 11 September",
            date(2019, 9, 20),
            "11 September",
            "2001-09-11",
            "date",
        ),
        ("upacara peringatan 17 Agustus", date(2025, 8, 10), "17 Agustus", "XXXX-08-17", "set"),
        (
            "berlaku 5 Juni sampai 31 Juli 2025",
            None,
            "5 Juni sampai 31 Juli 2025",
            "2025-06-05/2025-07-31",
            "range",
        ),
        ("musim panas 2025 ini", None, "musim panas 2025", "2025-SU", "date"),
    ],
)
def test_issue_19_forms(
    text: str, anchor: date | None, expression: str, value: str, kind: str
) -> None:
    assert _values(text, anchor)[expression] == (value, kind)


def test_an_event_reference_names_its_event_and_never_dates_the_sentence() -> None:
    (reference,) = find_times("Ia datang sehari setelah pelantikan presiden.", date(2024, 10, 21))
    assert reference.event == "pelantikan presiden" and event_date([reference]) is None
    (anaphoric,) = find_times("dievakuasi sehari sebelumnya", date(2025, 6, 20))
    assert anaphoric.kind == "reference" and anaphoric.event is None


def test_a_heading_in_capitals_and_a_century_ago() -> None:
    # Timeline17 (bbc): a page heading, and a historical comparison that is no recent year
    (heading,) = find_times(
        "Trial timeline 30 NOVEMBER 2011 , ENTERTAINMENT & ARTS", date(2011, 12, 1)
    )
    assert heading.value == "2011-11-30"
    (century,) = find_times(
        "Nearly a century ago , the standards were different .", date(2010, 6, 1)
    )
    assert century.value == "1910" and century.granularity == "year"
    half = find_times("the same business as half a century ago", date(2010, 6, 1))
    assert [t for t in half if t.kind == "date"] == []


def test_hours_ago_keep_the_hour_of_a_timed_anchor() -> None:
    (ago,) = find_times("Diunggah 6 jam lalu.", datetime(2025, 6, 18, 17, 7, tzinfo=WIB))
    assert ago.value == "2025-06-18T11+07:00" and calendar_value(ago) == "2025-06-18"
    (day_only,) = find_times("Diunggah 6 jam lalu.", date(2025, 6, 18))
    assert day_only.value == "2025-06-18"


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("Mobil berpelat BG 1829 KF itu ditilang.", date(2024, 3, 1)),
        ("sesuai UU Nomor 1 Tahun 1946 tentang KUHP", date(2024, 3, 1)),
        ("berdasarkan konstitusi UUD 1945", date(2024, 3, 1)),
        ("harga turun menjadi Rp 1.945 per lembar", date(2024, 3, 1)),
        ("pesawat dari Skuadron 800 mendarat", date(2024, 3, 1)),
        ("Indonesia menang 2-1 atas Vietnam", date(2024, 3, 1)),
        ("ibu-ibu usia 50 tahunan", date(2024, 3, 1)),
    ],
)
def test_numbers_that_are_not_dates(text: str, anchor: date) -> None:
    assert [t for t in find_times(text, anchor) if t.kind == "date"] == []


@pytest.mark.parametrize(
    "text",
    [  # sentences of the newsweek corpus (June 2025) whose bare year dated a timeline entry
        "sementara di Kualifikasi Piala Dunia 2026, Indonesia kalah dengan skor 0-4.",
        "Marc Marquez memang dominasi MotoGP 2025.",
        "Program Bantuan Subsidi Upah (BSU) 2025 kembali diluncurkan",
        "Teranyar, mereka menjadi runner up di Indonesia Open 2025.",
        "masinis Commuter Line Tangerang nomor 1907 sudah dilarikan ke rumah sakit",
        "(HR Bukhari, no. 1859)",
        "mengadili Perkara dengan Register No.92/PDT.SUS-HK/HAKCIPTA 2024 Pengadilan Niaga",
        "Honda PCX 160 Sabet Rookie of The Year 2025",
        "menyabet banyak penghargaan pada ajang OMNI Brands of the Year 2025",
        "5 Laptop Gaming Terbaik 2025 dan Spesifikasinya",
    ],
)
def test_a_name_edition_or_a_number_is_not_the_sentence_date(text: str) -> None:
    assert find_times(text, date(2025, 6, 18)) == []


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Sepanjang 2024, Pelita Air membuka lima rute baru.", "2024"),
        ("Pemilu 2014 berlangsung damai.", "2014"),
        ("menutup tahun buku 2024 dengan kinerja keuangan yang positif", "2024"),
        ("Hasil Rapat Umum Pemegang Saham Tahunan Tahun Buku 2024 menunjukkan", "2024"),
    ],
)
def test_a_bare_year_after_a_period_word_or_an_election_stays_a_date(text: str, year: str) -> None:
    assert [t.value for t in find_times(text, date(2025, 6, 18)) if t.kind == "date"] == [year]


def test_downstream_reads_weeks_times_and_quarters_as_calendar_dates() -> None:
    def value_of(value: str, granularity: Any = "day") -> str:
        return calendar_value(TimeExpression("x", 0, 1, value, granularity))

    assert value_of("2024-W12", "week") == "2024-03-18"
    assert value_of("2025-W25-WE", "week") == "2025-06-16"
    assert value_of("2018-09-07T10:47+07:00") == "2018-09-07"
    assert value_of("2023-Q2", "year") == "2023"
    (sentence,) = date_sentences(["Serangan terjadi pekan lalu."], date(2024, 3, 26), None)
    assert (sentence.date, sentence.granularity) == ("2024-03-18", "week")
    (timed,) = date_sentences(["Gempa terjadi Rabu (18/6/2025) pukul 15.24 WIB."], None, None)
    assert (timed.date, timed.granularity) == ("2025-06-18", "day")


def test_a_birth_date_is_background_not_the_sentence_date() -> None:
    times = find_times("Pria kelahiran Makassar, 30 Oktober 1952 itu lulus pada 1974.")
    chosen = event_date(times)
    assert chosen is not None and chosen.value == "1974"


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


def _anchor(raw: str | None) -> date | None:
    if not raw:
        return None
    return datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)


def _accuracy(items: list[dict[str, Any]]) -> float:
    """Share of items whose most-overlapping expression has the gold value (eval/time.py)."""
    correct = 0
    for item in items:
        start = item["sentence"].index(item["expression"])
        end = start + len(item["expression"])
        overlaps = [
            (min(end, t.end) - max(start, t.start), t.value)
            for t in find_times(item["sentence"], _anchor(item["anchor"]))
            if t.start < end and start < t.end
        ]
        correct += bool(overlaps) and max(overlaps)[1] == item["value"]
    return correct / len(items)


def test_gold_set_accuracy() -> None:
    """Regression guard on the older hand-checked set; the full table is eval/time.py."""
    items = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(items) >= 200
    assert _accuracy(items) >= 0.95


def test_real_article_gold_test_split() -> None:
    """Regression guard on the held-out half of the real-article set (eval/time.py prints it)."""
    items = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines()]
    assert len(items) >= 400
    test = [i for i in items if i["split"] == "test"]
    assert _accuracy(test) >= 0.95


def test_non_date_numbers_in_real_sentences_are_never_dated() -> None:
    """Plates, law numbers, ages, scores, prices, unit numbers in real news: no date; birth
    dates stay background; historical references keep their own year."""
    items = [json.loads(line) for line in NON_DATES.read_text(encoding="utf-8").splitlines()]
    assert len(items) >= 100
    wrong = []
    for item in items:
        sentence = item["sentence"]
        start = sentence.index(item["number"])
        end = start + len(item["number"])
        times = find_times(sentence, _anchor(item["anchor"]))
        overlapping = [t for t in times if t.start < end and start < t.end]
        if item["check"] == "undated":
            bad = [t for t in overlapping if t.kind == "date"]
        elif item["check"] == "background":
            chosen = event_date(times)
            bad = [chosen] if chosen in overlapping else []
        else:
            bad = [t for t in overlapping if not t.value.startswith(item["year"][:3])]
        if bad:
            wrong.append((item["id"], item["number"], [t.value for t in bad if t]))
    assert wrong == []


def test_letters_that_ignorecase_folds_to_ascii_neither_crash_nor_shift_offsets():
    """re.IGNORECASE matches "ſ" to "s" and "ı" to "i": such a match used to look up
    nothing in the rules' tables and raise (KeyError 'yearſ', ValueError 'sıx')."""
    anchor = date(2024, 6, 20)
    for text, ascii_text in [
        ("Dua yearſ lalu", "Dua years lalu"),
        ("sıx years ago", "six years ago"),
        ("three weekſ later", "three weeks later"),
    ]:
        (found,) = find_times(text, anchor)
        (plain,) = find_times(ascii_text, anchor)
        assert (found.value, found.start, found.end) == (plain.value, plain.start, plain.end)
        assert found.text == text[found.start : found.end]  # the words as written
    # "İ".lower() is two characters: the date after it keeps its place
    text = "İki tahun lalu, pada 20 Juni 2024"
    (found,) = [e for e in find_times(text, anchor) if e.value == "2024-06-20"]
    assert text[found.start : found.end] == "20 Juni 2024"


def test_event_references_take_every_unit_of_the_rule():
    """The rule's cheap pre-test once listed fewer units than the rule: "lima detik setelah"
    and "two decades after" came out as bare durations, not as event references."""
    anchor = date(2024, 6, 20)
    for text, value in [
        ("Lima detik setelah peluit dibunyikan, gol tercipta.", "REF+PT5S"),
        ("Dua dekade setelah reformasi bergulir, banyak yang berubah.", "REF+P20Y"),
        ("Five minutes after the blast, police arrived.", "REF+PT5M"),
        ("Two decades after the war, the town was rebuilt.", "REF+P20Y"),
    ]:
        assert [e.value for e in find_times(text, anchor) if e.kind == "reference"] == [value], text


def test_every_part_of_the_day_after_besok_and_kemarin_is_a_day() -> None:
    """The day-word rule reads "besok"/"kemarin" before any part of the day; each one is in
    its table ("besok sore" raised KeyError, found by tests/test_speed_stages.py's fuzz)."""
    anchor = date(2024, 3, 26)
    for word, day in (("besok", "2024-03-27"), ("kemarin", "2024-03-25")):
        for part in ("pagi", "siang", "sore", "malam"):
            found = find_times(f"Ia tiba {word}  {part.title()} di Jakarta.", anchor)
            assert [(t.text, t.value) for t in found] == [(f"{word}  {part.title()}", day)]
