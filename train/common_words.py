"""Build the list of common Indonesian words no entity may be: ``kabar/entities/models/common-id.txt``.

    .venv/bin/python train/common_words.py

A word is common when cased Indonesian text mostly writes it in lower case away from the
start of a sentence: "kita", "kota", "nanti", "undang-undang" are, "Jakarta", "Jokowi",
"Golkar" are not. Counting how text writes a word decides this better than a dictionary,
which holds given names ("bambang", "budi" are also words) and misses the words of
today's news. Counts over the cased unlabelled text of ``train/clusters.py`` (Leipzig news,
IDN Tagged Corpus, FacQA passages, UD GSD) and the words of the labelled training splits,
never a test split. simplemma's Indonesian function words are added whatever the counts.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.entities.stoplist import COMMON_PATH  # noqa: E402
from kabar.text import STOPWORDS  # noqa: E402
from train.clusters import sentences  # noqa: E402

MIN_LOWER = 3
LOWER_SHARE = 0.6
# Common nouns news capitalises as titles of laws, rights and calendar names: counts call
# them names ("Undang-Undang Nomor 1", "Hak Asasi Manusia", "Senin"), readers do not.
CAPITALISED_COMMON = """
undang-undang uu peraturan perppu perpres permen perda keputusan instruksi surat edaran pasal
ayat bab hak asasi manusia ham nomor tahun hari bulan pekan minggu tanggal pukul wib wita wit
senin selasa rabu kamis jumat sabtu ahad januari februari maret april mei juni juli agustus
september oktober november desember idulfitri iduladha lebaran natal ramadan imlek
pemilu pilkada pilpres pileg covid-19 covid corona tuhan allah swt saw ri negara
""".split()


def main() -> None:
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for words in sentences(cased_only=True):
        for i, word in enumerate(words):
            if not word[:1].isalpha():
                continue
            if word.islower():
                lower[word] += 1
            elif i > 0 and word[:1].isupper() and words[i - 1] not in {'"', "“", ":", "("}:
                capital[word.lower()] += 1
    common = {
        w
        for w, n in lower.items()
        if n >= MIN_LOWER and n >= LOWER_SHARE * (n + capital[w]) and len(w) > 1
    }
    common |= {w for w in STOPWORDS if w.isalpha()} | set(CAPITALISED_COMMON)
    COMMON_PATH.write_text(
        "# common Indonesian words (train/common_words.py): never an entity alone\n"
        + "\n".join(sorted(common))
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(common)} common words -> {COMMON_PATH}")
    for probe in ("kita", "kota", "nanti", "undang-undang", "jakarta", "budi", "medan", "jokowi"):
        print(
            f"  {probe}: lower {lower[probe]}, capitalised {capital[probe]}, common {probe in common}"
        )


if __name__ == "__main__":
    main()
