# ruff: noqa
# Provenance record: the one-off script that drew candidate expressions for the real-article
# gold set (time_real.jsonl) from the source files listed in ../README.md (copied to /tmp/gold_src
# with `git show`). Cues are this file's own regular expressions, independent of kabar's grammar;
# kabar's and dateparser's readings are printed next to each candidate only to speed up the
# hand annotation (every value was then read and written or corrected by hand, see build_real.py).
import csv, json, random, re, sys, hashlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[4]))
from kabar.text import split_sentences

csv.field_size_limit(10**9)
SRC = Path("/tmp/gold_src")
MON = {
    "jan": 1,
    "feb": 2,
    "peb": 2,
    "mar": 3,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "agu": 8,
    "agt": 8,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "des": 12,
    "dec": 12,
}


def anchor_of(stamp: str) -> str | None:
    """Publication stamp as ISO (with +07:00 when a WIB time is given)."""
    s = stamp.replace("|", " ")
    m = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4}),?\s+(\d{1,2})[:.](\d{2})", s)
    if m:
        d, mo, y, h, mi = map(int, m.groups())
        return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}+07:00"
    m = re.search(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4}),?\s*(?:(\d{1,2})[:.](\d{2}))?", s)
    if m:
        d, mon, y, h, mi = m.groups()
        mo = MON[mon.lower()]
        base = f"{int(y):04d}-{mo:02d}-{int(d):02d}"
        return base + (f"T{int(h):02d}:{mi}+07:00" if h else "")
    m = re.search(r"([A-Z][a-z]+)\s+(\d{1,2}),\s+(\d{4})", s)  # "November 4, 2022"
    if m:
        mo = MON[m.group(1)[:3].lower()]
        return f"{int(m.group(3)):04d}-{mo:02d}-{int(m.group(2)):02d}"
    return None


def split_of(doc: str) -> str:
    """Fixed rule: md5 of the source document id, even first hex digit → dev, odd → test."""
    return "dev" if int(hashlib.md5(doc.encode()).hexdigest()[0], 16) % 2 == 0 else "test"


CUES = {
    "quarter": r"\b(?:kuartal|triwulan|semester|caturwulan)\s+(?:[IV]+|pertama|kedua|ketiga|keempat|I{1,3}V?|[1-4])\b(?:[-\s/]*(?:tahun\s+)?\d{4})?|\bQ[1-4][-\s/]*\d{0,4}|\b(?:first|second|third|fourth)\s+quarter\b",
    "clock": r"\b(?:pukul|jam|pk\.?)\s*\d{1,2}(?:[.:]\d{2})?(?:\s*(?:WIB|WITA|WIT|waktu setempat|pagi|siang|sore|malam))?|\b\d{1,2}[.:]\d{2}\s*(?:WIB|WITA|WIT)\b|\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm)\b",
    "ago": r"\b(?:\d+|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|beberapa|se)\s*(?:jam|menit|hari|pekan|minggu|bulan|tahun)\s+(?:yang\s+)?(?:lalu|silam|sebelumnya|lagi|mendatang)\b|\b\w+\s+(?:hours?|days?|weeks?|months?|years?)\s+ago\b",
    "week": r"\b(?:pekan|minggu)\s+(?:lalu|depan|ini|kemarin|mendatang)\b|\b(?:last|this|next)\s+week\b|\bakhir\s+pekan\b",
    "event": r"\b(?:sehari|dua hari|tiga hari|\d+\s+hari|seminggu|sepekan|sebulan|setahun|\d+\s+(?:jam|bulan|tahun))\s+(?:setelah|sebelum|usai|pasca|menjelang|sejak)\b|\b(?:a|one|two|three|\d+)\s+(?:days?|weeks?|months?|years?)\s+(?:after|before)\b",
    "dayword": r"\b(?:kemarin|besok|lusa|hari\s+ini|malam\s+ini|pagi\s+ini|tadi\s+(?:pagi|siang|sore|malam)|yesterday|today|tomorrow|tonight)\b",
    "weekday": r"\b(?:Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?:\s*[(,]\s*\d{1,2}[/ ]\w+(?:[/ ]\d{2,4})?\)?)?",
    "daymonth": r"\b\d{1,2}\s+(?:Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember|Jan|Feb|Mar|Apr|Jun|Jul|Agu|Agt|Sep|Okt|Nov|Des|January|February|March|May|June|July|August|October|December)\b(?:\s+\d{4})?",
    "month": r"\b(?:awal|akhir|pertengahan|medio|bulan|pada|sejak|hingga|in|since|early|late)\s+(?:Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember|January|February|March|May|June|July|August|October|December)\b(?:\s+(?:\d{4}|lalu|mendatang|ini))?",
    "unitrel": r"\b(?:awal|akhir|pertengahan)?\s*(?:bulan|tahun)\s+(?:lalu|depan|ini|mendatang)\b|\b(?:last|next|this)\s+(?:month|year)\b",
    "year": r"\b(?:tahun|pada|sejak|hingga|periode|in|since|by)\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d\b",
    "duration": r"\b(?:selama|dalam|sepanjang|for|over)\s+(?:\d+|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|beberapa|se)\s*(?:jam|menit|hari|pekan|minggu|bulan|tahun|hours?|days?|weeks?|months?|years?)\b|\b\d+\s+(?:jam|menit|hari|pekan|bulan|tahun)\b",
    "set": r"\b(?:setiap|tiap|saban|per|every|each)\s+(?:hari|pekan|minggu|bulan|tahun|jam|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|day|week|month|year)\b|\b(?:harian|mingguan|bulanan|tahunan|daily|weekly|monthly|annually|yearly)\b",
}
QUOTA = {
    "quarter": 35,
    "clock": 60,
    "ago": 35,
    "week": 30,
    "event": 25,
    "dayword": 40,
    "weekday": 70,
    "daymonth": 50,
    "month": 30,
    "unitrel": 35,
    "year": 35,
    "duration": 35,
    "set": 25,
}


def documents():
    for name in ("sn_18.csv", "sn_19.csv", "sn_20.csv"):
        for row in csv.DictReader(open(SRC / name, encoding="utf-8-sig")):
            yield {
                "doc": row["url"].split("?")[0],
                "outlet": row["sumber"],
                "lang": "id",
                "stamp": row["tanggal_publikasi"],
                "paragraphs": [p for p in row["isi_berita"].split("\n") if p.strip()],
                "source": f"gikirima/indonews-scrapper:Dataset new/{name.replace('sn_', 'scrapping_news_2025-06-')}",
            }
    for name, outlet in (("pb_detik.csv", "detik.com"), ("pb_kompas.csv", "kompas.com")):
        for row in csv.DictReader(open(SRC / name, encoding="utf-8-sig")):
            yield {
                "doc": row["url"],
                "outlet": outlet,
                "lang": "id",
                "stamp": row["date"],
                "paragraphs": [row["title"], row["description"]],
                "source": f"billycemerson/purbaya-net:data/{name[3:]}",
            }
    for row in json.load(open(SRC / "jp1.json")):
        yield {
            "doc": row["Headline_News"],
            "outlet": "thejakartapost.com",
            "lang": "en",
            "stamp": row["Date_News"],
            "paragraphs": [
                p for p in re.split(r"(?<=[.!?\"”])(?=[A-Z“\"])", row["Article_News"]) if p.strip()
            ],
            "source": "xhanalexander/JakartaPostScrap:JakartaPost.json",
        }


def main() -> None:
    rng = random.Random(19)
    pools: dict[str, list[dict]] = {k: [] for k in CUES}
    stamps: list[dict] = []
    seen_stamp_formats: set[str] = set()
    for doc in documents():
        anchor = anchor_of(doc["stamp"])
        if anchor is None:
            continue
        shape = re.sub(r"\d", "9", doc["stamp"])
        if doc["outlet"] != "thejakartapost.com":
            stamps.append(
                {
                    **doc,
                    "sentence": doc["stamp"].strip(),
                    "cue": "stamp",
                    "anchor": None,
                    "match": doc["stamp"].strip(),
                }
            )
        for p, para in enumerate(doc["paragraphs"]):
            for sent in split_sentences(para):
                if len(sent) > 400 or len(sent) < 25:
                    continue
                for cat, pattern in CUES.items():
                    if doc["lang"] == "en" and cat in ():
                        continue
                    m = re.search(pattern, sent)
                    if m:
                        pools[cat].append(
                            {
                                **doc,
                                "sentence": sent,
                                "cue": cat,
                                "anchor": anchor,
                                "match": m.group(0),
                            }
                        )
    out = []
    used_sent: set[str] = set()
    per_doc: dict[str, int] = {}
    for cat, pool in pools.items():
        rng.shuffle(pool)
        # English items first so the (small) English source is represented in each category.
        pool.sort(key=lambda c: c["lang"] != "en")
        taken = 0
        en_taken = 0
        for c in pool:
            if taken >= QUOTA[cat]:
                break
            if c["sentence"] in used_sent or per_doc.get(c["doc"], 0) >= 2:
                continue
            if c["lang"] == "en":
                if en_taken >= 4:
                    continue
                en_taken += 1
            used_sent.add(c["sentence"])
            per_doc[c["doc"]] = per_doc.get(c["doc"], 0) + 1
            out.append(c)
            taken += 1
    rng.shuffle(stamps)
    byfmt: dict[str, list] = {}
    for s in stamps:
        byfmt.setdefault(s["outlet"], []).append(s)
    for outlet, lst in byfmt.items():
        out.extend(lst[:8])
    for i, c in enumerate(out):
        c["cid"] = f"c{i:04d}"
        c["split"] = split_of(c["doc"])
        c.pop("paragraphs", None)
    Path("/tmp/gold_src/candidates.jsonl").write_text(
        "\n".join(json.dumps(c, ensure_ascii=False) for c in out) + "\n", encoding="utf-8"
    )
    print(len(out), {k: len(v) for k, v in pools.items()})


if __name__ == "__main__":
    main()
