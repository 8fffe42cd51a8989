# ruff: noqa
# Provenance record: draws real sentences with numbers that are not dates (plates, law numbers,
# ages, scores, prices, units, names) from the same sources as the time gold (see ../README.md);
# each drawn sentence was then read by hand and kept or dropped in build_non_dates.py.
import json, random, re, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))
sys.path.insert(0, str(HERE))
from kabar.text import split_sentences
from real_candidates import anchor_of, documents

CUES = {
    "plate": r"\b[A-Z]{1,2}\s\d{1,4}\s[A-Z]{1,3}\b",
    "law": r"\b(?:Nomor|No\.?)\s*\d[\d.\-]*\s*(?:[Tt]ahun\s*(?:19|20)\d\d|/\s*(?:19|20)\d\d)",
    "constitution": r"\bUUD\s*(?:NRI\s*)?(?:Tahun\s*)?1945\b",
    "age": r"\b(?:berusia|usia|umur|berumur|aged?)\s+\d{1,3}\s*(?:tahun|years?)\b",
    "score": r"(?:skor|menang|kalah|mengalahkan|unggul|takluk|imbang|menaklukkan|membungkam|beat|won|lost)\D{0,40}\b\d{1,2}-\d{1,2}\b",
    "price": r"\b(?:Rp|USD|US\$|\$)\s?\d{1,3}(?:[.,]\d{3})+\b",
    "unit": r"\b(?:1[89]|20)\d\d\s*(?:meter|mdpl|km|kilometer|orang|unit|ton|kg|hektare|ha|kali|poin|penonton|peserta|personel|jiwa|rumah|sekolah|desa)\b",
    "military": r"\b(?:Skuadron|Batalyon|Yonif|Kodim|Korem|Lanud|Brigif|Kostrad)\s+(?:Udara\s+)?\d{2,4}\b",
    "anniversary": r"\b(?:HUT|peringatan|memperingati|Hari\s+\w+)\s+(?:ke-\d+\s+)?(?:\w+\s+){0,2}\d{1,2}\s+(?:Agustus|November|Oktober|Mei|Juni|April|Maret|Desember|Januari|Februari|Juli|September)\b(?!\s+\d)",
    "history": r"\b(?:tragedi|peristiwa|serangan|kerusuhan|reformasi|krisis)\s+(?:(?:Mei|moneter)\s+)?(?:19|20)\d\d\b",
    "birth": r"\b(?:kelahiran|lahir(?:\s+(?:di|pada))?)\s+[A-Z]?\w*,?\s*(?:\d{1,2}\s+\w+\s+)?(?:19|20)\d\d\b",
}


def main() -> None:
    rng = random.Random(1945)
    pools = {k: [] for k in CUES}
    for doc in documents():
        for para in doc["paragraphs"]:
            for sent in split_sentences(para):
                if len(sent) > 350:
                    continue
                for cat, pattern in CUES.items():
                    m = re.search(pattern, sent)
                    if m:
                        pools[cat].append(
                            {
                                "sentence": sent,
                                "match": m.group(0),
                                "cue": cat,
                                "doc": doc["doc"],
                                "source": doc["source"],
                                "outlet": doc["outlet"],
                                "anchor": anchor_of(doc["stamp"]),
                            }
                        )
    out, seen = [], set()
    for cat, pool in pools.items():
        rng.shuffle(pool)
        for c in pool[:22]:
            if c["sentence"] not in seen:
                seen.add(c["sentence"])
                out.append(c)
    for i, c in enumerate(out):
        c["nid"] = f"n{i:03d}"
    Path("/tmp/gold_src/non_date_candidates.jsonl").write_text(
        "\n".join(json.dumps(c, ensure_ascii=False) for c in out) + "\n", encoding="utf-8"
    )
    print(len(out), {k: len(v) for k, v in pools.items()})


if __name__ == "__main__":
    main()
