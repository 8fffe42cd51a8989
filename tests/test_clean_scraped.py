"""Scraped-text shapes of Indonesian portals (issue 18): lines cut at links, related links
glued inside one-line articles, desk sign-offs, glued portal datelines. The inputs are cut
from the shapes seen in the newsweek corpus (eval/gold/scraped, dev part)."""

from __future__ import annotations

import pytest

from kabar.clean import clean_text, join_cut_lines, split_read_also
from kabar.meta import annotate
from kabar.model import RawArticle
from kabar.pipeline import draft_article


def test_lines_cut_at_links_are_joined_back_into_their_sentence() -> None:
    lines = [
        "JAKARTA, KOMPAS.com - Sekretaris Jenderal",
        "Kementerian Dalam Negeri",
        "RI, Komjen Pol",
        "Tomsi Tohir",
        "mengancam akan mengirimkan surat klarifikasi kepada kepala daerah.",
        "Baca juga:",
        "BGN Sebut MBG Jadi Pasar Baru Investasi Pangan",
        "timnas indonesia",
        "patrick kluivert",
    ]
    joined = join_cut_lines(lines)
    assert joined[0] == (
        "JAKARTA, KOMPAS.com - Sekretaris Jenderal Kementerian Dalam Negeri RI, Komjen Pol"
        " Tomsi Tohir mengancam akan mengirimkan surat klarifikasi kepada kepala daerah."
    )
    # a related title and lower-case keyword tags are not joined to anything
    assert joined[1:] == lines[5:]


def test_related_link_glued_inside_a_one_line_article_is_cut_with_its_title() -> None:
    line = (
        "Beruntung, Jay Idzes tampil tanpa kartu kuning. Baca Juga: Yakob Sayuri dan Kevin Diks"
        " Cedera usai Timnas Indonesia Dibantai Jepang, Bagaimana Kondisi Mereka? Sementara itu,"
        " Calvin Verdonk tidak dimainkan sama sekali."
    )
    assert split_read_also(line) == [
        "Beruntung, Jay Idzes tampil tanpa kartu kuning.",
        "Baca Juga: Yakob Sayuri dan Kevin Diks Cedera usai Timnas Indonesia Dibantai Jepang,"
        " Bagaimana Kondisi Mereka?",
        "Sementara itu, Calvin Verdonk tidak dimainkan sama sekali.",
    ]
    glued = (
        "Pabrik itu berada di Cikarang.BACA JUGA - Pabrik Mobil GAC AION Resmi Beroperasi, Target"
        " 20.000 Unit Setahun Pabrik baru ini menghadirkan efisiensi yang lebih tinggi."
    )
    pieces = split_read_also(glued)
    assert pieces[0] == "Pabrik itu berada di Cikarang."
    assert pieces[-1] == "Pabrik baru ini menghadirkan efisiensi yang lebih tinggi."


def test_desk_signoff_and_promo_lines_are_dropped_and_the_signoff_is_no_wire() -> None:
    text = "\n".join(
        [
            "Kapanlagi.com - Drama Korea terbaru itu resmi tayang di Netflix pada pekan ini dan"
            " langsung menempati posisi pertama.",
            "(Ayo ikuti saluran WhatsApp KapanLagi.com biar enggak ketinggalan update dan berita"
            " terbaru seputar dunia hiburan. Klik di sini ya, KLovers!)",
            "Drama Korea Terbaru MERCY FOR NONE (credit: Netflix)",
            "Drama tersebut terdiri dari tujuh episode yang dirilis sekaligus oleh Netflix.",
            "(kpl/vna)",
        ]
    )
    cleaned = clean_text(text)
    assert len(cleaned.paragraphs) == 2
    raw = RawArticle(text=text, source="kapanlagi.txt")
    article, cleaned = draft_article(raw)
    article = annotate(article, raw, cleaned)
    assert article.wire_sources == []  # "vna" is a desk's initials, not Vietnam's agency
    assert article.outlet == "KapanLagi"


@pytest.mark.parametrize(
    ("text", "dateline", "start"),
    [
        (
            "Liputan6.com, JakartaDemensia menjadi momok menakutkan bagi banyak orang yang"
            " memasuki usia senja di kota besar.",
            "Liputan6.com, Jakarta",
            "Demensia menjadi momok",
        ),
        # Tempo writes its domain in capitals and the place in title case, all glued (26
        # newsweek articles): the endings are one case-blind list (kabar.text.WEB_ENDINGS).
        (
            "TEMPO.CO,Bandung-Gunung Raung kembali erupsi pada Rabu pagi dan abunya terbawa"
            " angin ke arah timur.",
            "TEMPO.CO,Bandung",
            "Gunung Raung kembali",
        ),
    ],
    ids=["liputan6", "tempo-capitals"],
)
def test_glued_portal_dateline_is_read_and_cut(text: str, dateline: str, start: str) -> None:
    cleaned = clean_text(text)
    assert cleaned.dateline == dateline
    assert cleaned.paragraphs[0].startswith(start)


def test_hyphenated_portal_dateline_is_read_and_cut() -> None:
    # The Tribun network's portals write their names with a hyphen (144 newsweek articles).
    for line, dateline in [
        ("TRIBUN-PAPUA.COM, NABIRE - Bupati Lanny Jaya menyampaikan", "TRIBUN-PAPUA.COM, NABIRE"),
        ("POS-KUPANG. COM, OELAMASI - Warga desa menolak", "POS-KUPANG. COM, OELAMASI"),
        ("POS-KUPANG.COM- Sosok pengacara itu bukan nama asing", "POS-KUPANG.COM"),
        (
            "TRIBUNPEKANBARU.COM, PEKANBARU-Kapolda Riau, Irjen Pol",
            "TRIBUNPEKANBARU.COM, PEKANBARU",
        ),
        ("TRIBUNPEKANBARU.COM, PEKANBARU -Tim Satuan Tugas", "TRIBUNPEKANBARU.COM, PEKANBARU"),
        ("TRIBUN-PAPUA.COM,MIMIKA-Maraknya aksi pencurian", "TRIBUN-PAPUA.COM,MIMIKA"),
    ]:
        cleaned = clean_text(line + " rencana pemerintah daerah itu kepada wartawan.")
        assert cleaned.dateline == dateline
        assert not cleaned.paragraphs[0].startswith(("TRIBUN", "POS"))


def test_reporter_declared_by_the_portal_beats_the_company_author() -> None:
    page = (
        '<html><head><meta name="author" content="Kompas Cyber Media">'
        '<meta name="content_author" content="Irfan Kamil">'
        "<title>Pengacara Ronald Tannur Dituntut 14 Tahun Kurungan</title></head><body><article>"
        "<h1>Pengacara Ronald Tannur Dituntut 14 Tahun Kurungan</h1>"
        "<p>JAKARTA, KOMPAS.com - Jaksa penuntut umum pada Kejaksaan Agung menuntut Lisa Rachmat,"
        " pengacara terdakwa kasus pembunuhan, dengan pidana penjara selama 14 tahun.</p>"
        "<p>Lisa dinilai terbukti secara sah dan meyakinkan telah menyuap tiga hakim Pengadilan"
        " Negeri Surabaya serta terlibat dalam pemufakatan jahat.</p>"
        "<p>Jaksa juga menghukum terdakwa untuk membayar denda sebesar Rp 750 juta dengan"
        " ketentuan pidana kurungan selama enam bulan jika tidak dibayar.</p>"
        "</article></body></html>"
    )
    raw = RawArticle(text="", html=page, source="kompas.html")
    article, cleaned = draft_article(raw)
    assert annotate(article, raw, cleaned).author == "Irfan Kamil"


def test_a_coming_day_and_a_stamp_with_a_wrong_weekday_are_no_publication_date() -> None:
    text = (
        "JAKARTA - Universitas itu akan menggelar pameran pendidikan, acara yang berlangsung"
        " Rabu, 2 Juli 2025 mendatang ini, kata rektor saat diwawancarai, Selasa (17/6/2025).\n"
        "Pameran itu dibuka untuk umum dan diikuti puluhan sekolah dari seluruh Jakarta."
    )
    raw = RawArticle(text=text, source="x.txt")
    article, cleaned = draft_article(raw)
    assert annotate(article, raw, cleaned).published == "2025-06-17"
    typo = (
        "JAKARTA - Garda Nasional dikerahkan ke Los Angeles, dikutip dari DW Indonesia,"
        " Selasa (10/6/2026). Pasukan itu tiba setelah protes berhari-hari di pusat kota."
    )
    raw = RawArticle(text=typo, source="y.txt")
    article, cleaned = draft_article(raw)
    assert annotate(article, raw, cleaned).published != "2026-06-10"  # 10 June 2026 is a Wednesday
