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
# Names that are also common words, which news writes capitalised for the name: outlets.
NAMES_THAT_ARE_WORDS = frozenset({"tempo", "kompas", "republika"})
# Mojibake of UTF-8 quotes and dashes read as Latin-1 / Windows-1252 / Mac Roman.
_MOJIBAKE = re.compile(r"[ÃÂ][\x80-\xbf\u0152-\u2122]|â€|Ä[ùúôîìûò]|‚Ä|Ã©|Ã¨|\ufffd")
_LETTERS = re.compile(r"[^\W\d_]")


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


def is_junk(text: str) -> bool:
    """True for a mention no reader would call a name: mojibake, fewer than two letters, a
    title or rank alone, or only common words without a naming head ("Kota", "Kita",
    "Undang-Undang", "Hak Asasi Manusia"; not "Badan Pusat Statistik")."""
    if _MOJIBAKE.search(text) or len(_LETTERS.findall(text)) < 2:
        return True
    low = text.lower().strip(" .,")
    if low in _ranks():
        return True
    if low in NAMES_THAT_ARE_WORDS and text[:1].isupper():
        return False
    words = [w for w in re.split(r"[\s]+", low) if w]
    common = common_words()
    if not words or not common:
        return False
    if words[0] in NAME_HEADS and len(words) > 1:
        return False
    return all(w in common or w.split("-")[0] in common for w in words)
