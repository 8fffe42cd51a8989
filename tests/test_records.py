"""Story records people can read (#22): a real, current headline as the title; two to four
informative sentences from different outlets as the summary — never a date fragment, a
caption, a dateline or debris. Checked on real articles: the seeds, a Timeline17 folder and,
where it is present, the labelled stories of the newsweek corpus."""

from __future__ import annotations

import csv
import json
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import ROOT, SHARED_DATA

from kabar.corpus import Corpus
from kabar.errors import InputError
from kabar.ingest import read_path
from kabar.model import Article, RawArticle, Story
from kabar.pipeline import process
from kabar.timeline import LEDE_SENTENCES, make_story
from kabar.timeline.record import readable_sentence, real_headline, shown_sentence

NEWSWEEK = Path(
    os.environ.get("KABAR_NEWSWEEK", ROOT.parent / "data" / "newsweek" / "newsweek.jsonl")
)
LABELS = ROOT / "eval" / "gold" / "newsweek" / "labels.csv"

# Written apart from kabar's own rules, so that the test checks them rather than repeats them.
_MONTH = (
    r"januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|"
    r"desember|january|february|march|may|june|july|august|october|december"
)
_DATES = re.compile(
    rf"\b(?:\d{{1,2}}\s+)?(?:{_MONTH})\b(?:\s+\d{{4}}\b)?"
    r"|\(?\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b\)?|\b(?:pukul|jam)\s*\d{1,2}(?:[.:]\d{2})?\b"
    r"|\b\d{1,2}[.:]\d{2}\b(?!\d)|\b(?:tahun|year)\s+\d{4}\b"
    r"|\b(?:hari|pekan|minggu|bulan|tahun|pagi|malam)\s+(?:ini|lalu|depan)\b"
    r"|\b(?:senin|selasa|rabu|kamis|jumat|sabtu|minggu|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|pukul|wib|pagi|siang|sore|malam|tanggal|kemarin)\b",
    re.IGNORECASE,
)
_GLUED = re.compile(
    r"\b(?!(?:mac|watch|tv|vision)OS\b)[a-z]{2,}[A-Z]"
)  # "dariBank": a scrape lost a space


def _reader_words(text: str) -> int:
    """Words and numbers outside the dates and times: what a reader learns from the text
    ("Bank Besar Ini PHK 3.500 Karyawan" has six, "Senin (16/09/2019)" none)."""
    return len(re.findall(r"[^\W\d_]{2,}|\d+(?:[.,]\d+)*", _DATES.sub(" ", text)))


def _assert_readable(story: Story) -> None:
    assert _reader_words(story.title) >= 5, story.title
    assert not story.title.endswith("…"), story.title
    for sentence in story.summary:
        assert _reader_words(sentence) >= 5, sentence
        assert not re.match(r"^\W*[,;)\-]", sentence), sentence  # ", -" debris
        assert not re.match(
            r"^[\w.-]+\.(?:com|co)\b|^[A-Z]{3,}\s*(?:,\s*[\w-]+\.(?:com|co)|[–-](?=\s|[A-Z][a-z]))",
            sentence,
        ), sentence  # a dateline
        assert not _GLUED.search(sentence), sentence


@pytest.mark.parametrize(
    "text",
    [  # what the old summaries of newsweek stories and of the week showed
        "Senin (16/09/2019).",
        "Selasa 17 September 2019.",
        ", Selasa (10/6/2025).",
        "hari ini, Selasa (10/6/2025).",
        "Kualifikasi Piala Dunia 2026.",
        "Tahun ini, Jakarta berusia 498 tahun.",
        "19:00 WIB: MotoGP Grand Prix Race (23 Lap).",
        "Lalu siapa saja di antara 10 orang terkaya di Indonesia pada tahun 2025?",
        "Jembatan Apung Leuwidolang dokumen tahun 2021 (google maps)",
        ", Selasa (10/6/2025), langkah perluasan cakupan barang dan jasa yang terkena PPN ini",
        "Liputan6.com, JakartaCatat jadwal siaran langsung pertandingan olahraga beladiri.",
        "Harga minyak mentah berjangka sedikit berubah pada perdagangan Rabu, 18 Juni 2025.Harga"
        " minyak naik terbatas setelah Presiden Amerika Serikat (AS) Donald Trump berbicara.",
        # mostly a time: four words beside "pukul 08.00 WIB, Kamis (19/6) pagi"
        "Pertandingan ini berlangsung mulai pukul 08.00 WIB, Kamis (19/6) pagi.",
        "Laga digelar di Stadion Utama hari ini, Selasa (17/6/2025) malam pukul 19.30 WIB.",
        "JAKARTA- realme GT 7resmi rilis di Indonesia hari ini bersama dua model lainnya.",
        '"PENDAFTARAN GURU UNTUK SEKOLAH RAKYAT 2025 RESMI DIBUKA HARI INI JUGA!"',
    ],
)
def test_fragments_captions_and_debris_never_qualify(text: str) -> None:
    assert not readable_sentence(shown_sentence(text))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "Liputan6.com, Jakarta -Kementerian Kesehatan (KemenkesRI) mengungkap kasus HIV pada"
            " remaja usia 15-19 tahun capai 2.700 hingga Maret 2025.",
            "Kementerian Kesehatan (KemenkesRI)",
        ),
        (
            "JAKARTA, KOMPAS.com -Pembangunan Lintas Raya Terpadu (LRT) Jakarta Fase 1B yang"
            " menghubungkan Velodrome-Manggarai ditargetkan rampung pada 2026.",
            "Pembangunan Lintas Raya",
        ),
        (
            "TEMPO.CO,Jakarta-Zarof Ricar telah divonis 16 tahun penjara oleh majelis hakim.",
            "Zarof Ricar",
        ),
        (
            "TEKA-teki masa depan Rachmat Irianto usai meninggalkan Persib Bandung akhirnya"
            " terjawab.",
            "TEKA-teki",
        ),
    ],
)
def test_a_dateline_left_at_the_start_is_cut(text: str, shown: str) -> None:
    assert shown_sentence(text).startswith(shown) and readable_sentence(shown_sentence(text))


@pytest.mark.parametrize(
    ("title", "real"),
    [  # headlines of the kind newsweek's stories carry, and date fragments
        ("Bank Besar Ini PHK 3.500 Karyawan", True),
        ("Ini Sponsor Utama Formula E Jakarta 2025", True),
        ("IHSG Hari Ini 19 Juni 2025 Anjlok 1,5%, Ini Penyebabnya", True),
        ("Jadwal Piala Dunia Antarklub 2025 Hari Ini, Rabu 18 Juni 2025", True),
        ("Senin (16/09/2019)", False),
        ("Hari Ini, Selasa 17 Juni 2025 Pukul 19.30 WIB", False),
        ("Update Gempa Hari Ini", False),
        ("Jakarta Berusia 498 Tahun", False),
    ],
)
def test_a_headline_counts_its_words_and_numbers_not_its_dates(title: str, real: bool) -> None:
    """ "Ini" and "3.500" are words of a headline; "Hari Ini, Rabu 18 Juni 2025" is a date."""
    assert (_reader_words(title) >= 5) is real
    assert real_headline(title) is real


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "HITUNG-hitunganTimnas Indonesia untuk lolos ke babak keempat mulai dibahas.",
            "HITUNG-hitungan Timnas Indonesia untuk",
        ),
        (
            "Warga diminta waspada pada klaim hadiah dariBank NTT yang beredar danBPJS juga.",
            "Warga diminta waspada pada klaim hadiah dari Bank NTT yang beredar dan BPJS juga.",
        ),
        (
            "Apple resmi memperkenalkaniOS 26 pada ajang tahunannya di California.",
            "Apple resmi memperkenalkan iOS 26 pada",
        ),
        (  # names that are written this way stay whole
            "Pengguna iPhone dan macOS kini bisa memakai WhatsApp dan TikTok, kata KemenkesRI.",
            "Pengguna iPhone dan macOS kini bisa memakai WhatsApp dan TikTok, kata KemenkesRI.",
        ),
    ],
)
def test_words_a_scrape_ran_together_are_parted(text: str, shown: str) -> None:
    assert shown_sentence(text).startswith(shown)


def test_a_one_article_story_is_summarised_by_its_own_sentences(
    seed_corpus: tuple[list[Article], list[Story]],
) -> None:
    """Each seed alone: a one-article story, no other outlet to quote; its summary is one to
    four readable sentences of its own (its lede first, in the order it runs them), under its
    own headline or, where that is clipped, a sentence of its own."""
    articles, _stories = seed_corpus
    for article in articles:
        story = make_story(article.id, [article])
        own = [shown_sentence(s.text) for s in article.sentences]
        # its headline; a clipped one ("… sehari…") gives way to a whole sentence of its own
        assert story.title == article.title.strip() or story.title in own, story.title
        assert 1 <= len(story.summary) <= 4, story.summary
        assert all(s in own for s in story.summary), story.summary
        lede = [own.index(s) for s in story.summary if own.index(s) < LEDE_SENTENCES]
        assert lede == sorted(lede)
        _assert_readable(story)


def test_the_seed_story_is_titled_by_its_latest_news_and_summarised_by_several_outlets(
    seed_corpus: tuple[list[Article], list[Story]],
) -> None:
    articles, (story,) = seed_corpus
    by_title = {a.title: a for a in articles}
    titled = by_title[story.title]  # a member's own headline, whole
    # The story stands at the Hanoi state visit (20 June 2024), not at Tempo's 2018 report.
    assert titled.published is not None and titled.published[:10] == story.last_date
    assert 2 <= len(story.summary) <= 4
    outlets = [
        next(a.outlet for a in articles if any(s in b.text for b in a.sentences))
        for s in story.summary
    ]
    assert len(set(outlets)) == len(outlets)  # each sentence from another outlet
    _assert_readable(story)


def _t17_folder(name: str) -> list[Article]:
    articles = []
    for line in (SHARED_DATA / "t17-dev" / name / "articles.jsonl").read_text().splitlines():
        record = json.loads(line)
        try:
            articles.append(
                process(
                    RawArticle(
                        text=record["text"].replace(" \n", "\n"),
                        source=f"{name}:{record['id']}",
                        published=record["time"],
                    )
                )
            )
        except InputError:
            continue  # empty texts in the data
    return articles


@pytest.mark.skipif(not (SHARED_DATA / "t17-dev").exists(), reason="t17-dev not present")
def test_a_timeline17_story_reads_as_news() -> None:
    """H1N1_guardian: its "titles" are mostly clipped first lines; the title is still a whole
    line and the summary whole sentences from several articles."""
    articles = _t17_folder("H1N1_guardian")
    story = make_story("h1n1", articles)
    _assert_readable(story)
    assert 2 <= len(story.summary) <= 4
    members = [
        next(a.id for a in articles if any(s in b.text for b in a.sentences)) for s in story.summary
    ]
    assert len(set(members)) == len(members)


@pytest.mark.skipif(not NEWSWEEK.exists(), reason="newsweek corpus not present (no licence)")
def test_labelled_newsweek_stories_read_as_news() -> None:
    """Every hand-labelled newsweek dev story of five or more news articles, made into a
    record from its gold members: no title or summary sentence a date fragment or debris
    (dev only: a failure here is read and acted on, so it must not show held-out stories)."""
    stories: dict[str, set[str]] = defaultdict(set)
    with LABELS.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["kind"] == "news" and row["split"] == "dev":
                stories[row["story_id"]].add(row["id"])
    stories = {s: ids for s, ids in stories.items() if len(ids) >= 5}
    wanted = set().union(*stories.values())
    articles: dict[str, Article] = {}
    for raw in read_path(NEWSWEEK):
        if isinstance(raw, RawArticle) and raw.external_id in wanted:
            try:
                articles[raw.external_id] = process(raw)
            except InputError:
                continue
    assert len(stories) >= 12  # dev: 14 stories of five or more
    for story_id, ids in sorted(stories.items()):
        members = [articles[i] for i in sorted(ids) if i in articles]
        story = make_story(story_id, members)
        _assert_readable(story)
        assert len(story.summary) >= 2, story_id


@pytest.mark.skipif(not NEWSWEEK.exists(), reason="newsweek corpus not present (no licence)")
def test_newsweek_days_grouped_as_ingest_does_read_as_news() -> None:
    """Two days of the newsweek corpus (16-17 June 2025, every outlet, no labels read)
    grouped as ``kabar ingest`` does: every record's title and summary pass, and a story told
    by two or more outlets is summarised by two sentences at least. A one-article story whose
    lede holds no statement may have none (it shows no fragment instead)."""
    days = ("2025-06-16", "2025-06-17")
    articles = []
    for raw in read_path(NEWSWEEK):
        if isinstance(raw, RawArticle) and (raw.published or "")[:10] in days:
            try:
                articles.append(process(raw))
            except InputError:
                continue
    assert len(articles) >= 400
    placed, stories = Corpus().group(articles)
    by_id = {a.id: a for a in placed}
    assert len(stories) >= 100
    for story in stories:
        _assert_readable(story)
        originals = [by_id[i] for i in story.article_ids if by_id[i].duplicate_of is None]
        if len({a.outlet for a in originals}) >= 2:
            assert 2 <= len(story.summary) <= 4, story.title
