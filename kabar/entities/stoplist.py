"""What is never an entity: common Indonesian words, lone titles and ranks, mojibake.

A week of real news showed the tagger's typical junk: "Kita" (we) and "Kota" (city) as
places, "Undang-Undang" (law) and "Hak Asasi Manusia" as organisations, mojibake "Äù" as a
person. Each is a capitalised common word or a run of them, so one test catches them all:
the words' own frequency as lower-case words (``train/common_words.py`` counts it over
Indonesian news and writes ``models/common-id.txt``). Curated names (the alias table,
the gazetteer) pass whatever their words: "Komisi Pemberantasan Korupsi" is common words too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from kabar.entities.indonesia import RANKS

COMMON_PATH = Path(__file__).resolve().parent / "models" / "common-id.txt"

# Heads that make a run of common words a name ("Badan Pusat Statistik", "Partai Buruh").
NAME_HEADS = frozenset(
    """
    partai pengadilan kementerian kedutaan badan dewan komisi bank universitas mahkamah majelis
    organisasi forum kantor lembaga komite perusahaan pt kepolisian polda polres polsek
    angkatan tentara kejaksaan kejati kejari dinas pemkot pemkab pemprov fakultas sekolah
    institut yayasan asosiasi persatuan ikatan himpunan gerakan front koalisi liga klub
    rumah sakit rs masjid gereja pura stadion bandara pelabuhan pulau gunung sungai danau
    selat teluk laut jalan jl kabupaten kota provinsi desa kecamatan kelurahan kompleks
    gedung istana lapangan pangkalan
    """.split()
)
# Common nouns news capitalises, often with an acronym in parentheses ("Sekolah Dasar (SD)",
# "Tempat Kejadian Perkara (TKP)"), holidays and technical terms: never a named entity,
# whatever the tagger or the acronym rule says. Their heads ("sekolah", "rumah") would
# otherwise let them through as institutions. Lower case, spaces for hyphens.
GENERIC_TERMS = frozenset(
    """
    sekolah dasar|sd|sekolah menengah pertama|smp|sekolah menengah atas|sma|
    sekolah menengah kejuruan|smk|madrasah|rumah sakit|rs|rumah sakit umum daerah|rsud|
    rumah tahanan|rutan|lembaga pemasyarakatan|lapas|tempat kejadian perkara|tkp|
    sumber daya manusia|sdm|sumber daya alam|sda|usaha mikro, kecil, dan menengah|
    usaha mikro kecil dan menengah|umkm|aparatur sipil negara|asn|pegawai negeri sipil|pns|
    bahan bakar minyak|bbm|kartu tanda penduduk|ktp|surat izin mengemudi|sim|
    warga negara indonesia|wni|warga negara asing|wna|rukun warga|rw|rukun tetangga|rt|
    pemutusan hubungan kerja|phk|bantuan langsung tunai|blt|anggaran pendapatan dan belanja
    negara|apbn|anggaran pendapatan dan belanja daerah|apbd|pekerja migran indonesia|
    tenaga kerja indonesia|tki|orang dalam gangguan jiwa|odgj|sport utility vehicle|suv|
    multi purpose vehicle|mpv|artificial intelligence|ai|kecerdasan buatan|hp|handphone|
    led|pc|ps|tv|atm|gps|cctv|ott|operasi tangkap tangan|idul adha|iduladha|idul fitri|
    idulfitri|hari raya|lebaran|natal|tahun baru|ramadan|ramadhan|hak asasi manusia|ham|
    undang undang|uu|rancangan undang undang|ruu|peraturan pemerintah|pp|peraturan presiden|
    perpres|organisasi perangkat daerah|opd|anti lock braking system|abs|air conditioner|ac
    """.replace("\n", " ").split("|")
)
GENERIC_TERMS = frozenset(" ".join(t.split()) for t in GENERIC_TERMS)
# Words that open an Indonesian sentence or headline (and so are capitalised) but never a
# name: "Benarkah Prabowo ...", "Adapun Solana ...", "Mari kita ...". Trimmed off the front of
# a tagged name, never a name alone.
LEADING_WORDS = frozenset(
    """
    adapun mari benarkah apakah kenapa simak berikut inilah begini begitu ternyata
    selanjutnya diketahui baca lihat yuk ayo cek usai jelang bahkan apalagi betulkah
    mungkinkah siapakah dimanakah kapankah bagaimanakah mengapakah
    """.split()
)
# Words that describe a thing or a member of it and never begin its name: a price, a
# squad, a share ("Harga Bitcoin" is the price of Bitcoin, "Skuad Garuda" the Garuda
# squad, "Saham Tesla" Tesla's shares). Trimmed off the front of a tagged name like
# :data:`LEADING_WORDS`; never a name alone.
THING_WORDS = frozenset(
    """
    harga nilai kurs saham skuad skuat produk merek jenama varian tipe seri token koin aset
    kripto dompet laman situs aplikasi platform layanan fitur
    """.split()
)
"""Descriptors of a thing: what follows them is a team, a brand, a product or a coin, never
a person ("Skuad Garuda", "harga Bitcoin", "saham Tesla", "aplikasi Vidio")."""
DESCRIPTOR_WORDS = THING_WORDS | frozenset(
    """
    pemain pelatih manajer manager kapten fans suporter pendukung penggemar pemilik pengguna
    investor pembeli penjual
    """.split()
)
# Names that are also common words, which news writes capitalised for the name: outlets.
NAMES_THAT_ARE_WORDS = frozenset({"tempo", "kompas", "republika"})
# Mojibake of UTF-8 quotes and dashes read as Latin-1 / Windows-1252 / Mac Roman.
_MOJIBAKE = re.compile(r"[ÃÂ][\x80-\xbf\u0152-\u2122]|â€|Ä[ùúôîìûò]|‚Ä|Ã©|Ã¨|\ufffd")
_LETTERS = re.compile(r"[^\W\d_]")
_BRACKET = re.compile(r"\w[()\[\]{}]\w")


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case Indonesian words mostly written in lower case (empty if the list is absent)."""
    if not COMMON_PATH.exists():
        return frozenset()
    return frozenset(
        line.strip()
        for line in COMMON_PATH.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def _ranks() -> frozenset[str]:
    return frozenset(RANKS)


_BREAKS = re.compile(r"[\s\-]+")
_SPACES = re.compile(r"[\s]+")


@lru_cache(maxsize=50_000)
def is_generic(text: str) -> bool:
    """A common noun, holiday or technical term, or its acronym (:data:`GENERIC_TERMS`).
    (Cached, as :func:`is_junk`: every mention is tested, and the same names recur.)"""
    return " ".join(_BREAKS.split(text.lower().strip(" .,"))) in GENERIC_TERMS


@lru_cache(maxsize=50_000)
def is_junk(text: str) -> bool:
    """True for a mention no reader would call a name: mojibake, fewer than two letters, a
    title or rank alone, a descriptor word alone, a holiday or common term after other words
    ("Raya Idul Adha"), or only common words without a naming head ("Kota", "Kita",
    "Undang-Undang", "Hak Asasi Manusia"; not "Badan Pusat Statistik")."""
    if _MOJIBAKE.search(text) or len(_LETTERS.findall(text)) < 2 or _BRACKET.search(text):
        return True  # (a bracket inside: words glued across it, "Fund)Bitcoinspot")
    low = text.lower().strip(" .,")
    if low in _ranks() or low in LEADING_WORDS or low in DESCRIPTOR_WORDS or is_generic(text):
        return True
    if low in NAMES_THAT_ARE_WORDS and text[:1].isupper():
        return False
    words = [w for w in _SPACES.split(low) if w]
    common = common_words()
    if not words or not common:
        return False
    if words[0] in NAME_HEADS and len(words) > 1:
        return False
    if any(is_generic(" ".join(words[cut:])) for cut in range(1, len(words) - 1)):
        return True  # a holiday or a common term with a word before it: "Raya Idul Adha"
    return all(w in common or w.split("-")[0] in common for w in words)
