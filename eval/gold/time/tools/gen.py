# ruff: noqa
# Provenance record: the one-off script used to build the gold set (paths as run on the
# development machine, intermediate files in /tmp/w4). Not part of kabar; kept for audit.
import json, re, random, sys

sys.path.insert(0, "/work/wt-issue4")
from datetime import date
from pathlib import Path
from kabar.meta.time import find_times
import dateparser.search as ds
import warnings

warnings.filterwarnings("ignore")

CUE = re.compile(
    r"\b(Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|lalu|kemarin|besok|depan|silam|sejak|tahun \d{4}|pekan|hari ini|\d+/\d+|\d+ (?:tahun|bulan|hari|jam|pekan)|setiap|tiap|[12][09]\d\d)\b"
)
CUE_EN = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|ago|yesterday|today|tomorrow|last (?:week|month|year|night)|next (?:week|month|year)|this (?:week|month|year)|since|every|[12][09]\d\d|\d+ (?:years?|months?|days?|weeks?|hours?))\b"
)


def classify(text, value, kind):
    t = text.lower()
    if kind != "date":
        return kind
    if re.search(
        r"lalu|ago|kemarin|besok|depan|ini\b|this|last|next|yesterday|today|tomorrow|tonight|silam|mendatang|earlier|later",
        t,
    ) and not re.search(r"\d{4}", t):
        if (
            re.fullmatch(
                r".*\b(?:senin|selasa|rabu|kamis|jumat|sabtu|minggu|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b.*",
                t,
            )
            and "minggu lalu" not in t
        ):
            return "weekday"
        return "relative"
    if len(value) == 10:
        if re.search(r"(?:19|20)\d\d", text):
            return "explicit_day"
        if re.search(r"\d", text):
            return "partial_day"
        return "weekday"
    if len(value) == 7:
        return "month"
    return "year"


def cands(sent, anchor, lang):
    out = []
    for t in find_times(sent, anchor):
        out.append(
            dict(
                expression=t.text,
                value=t.value,
                granularity=t.granularity,
                kind=t.kind,
                type=classify(t.text, t.value, t.kind),
                proposer="kabar",
            )
        )
    try:
        dp = (
            ds.search_dates(
                sent,
                languages=[lang],
                settings={
                    "RELATIVE_BASE": __import__("datetime").datetime.combine(
                        anchor or date(2000, 1, 1), __import__("datetime").time()
                    )
                },
            )
            or []
        )
    except Exception:
        dp = []
    for s, d in dp:
        if any(s in o["expression"] or o["expression"] in s for o in out):
            continue
        out.append(
            dict(
                expression=s,
                value=d.date().isoformat(),
                granularity="day",
                kind="date",
                type="?",
                proposer="dateparser",
            )
        )
    return out


rows = []
rng = random.Random(4)
S = json.load(open("ner_sents.json"))


def pick(files, n, split):
    pool = [
        s
        for s in S
        if s["src"].split("#")[0] in files and CUE.search(s["text"]) and len(s["text"]) < 400
    ]
    rng.shuffle(pool)
    for s in pool[:n]:
        rows.append(
            dict(split=split, lang="id", source="ner/" + s["src"], sentence=s["text"], anchor=None)
        )


pick(["idner-news-2k/train.txt"], 45, "dev")
pick(
    ["idner-news-2k/test.txt", "idner-news-2k/dev.txt", "nergrit/valid_preprocess.txt"], 75, "test"
)
T = Path("/work/shared/data/t17-dev")


def pick_en(topics, n, split):
    pool = []
    for tp in topics:
        for line in open(T / tp / "articles.jsonl"):
            r = json.loads(line)
            for i, sent in enumerate(r["text"].split(" \n")):
                sent = sent.strip()
                if CUE_EN.search(sent) and 40 < len(sent) < 350:
                    pool.append(dict(src=f"t17-dev/{tp}/{r['id']}#{i}", text=sent, time=r["time"]))
    rng.shuffle(pool)
    for s in pool[:n]:
        rows.append(
            dict(split=split, lang="en", source=s["src"], sentence=s["text"], anchor=s["time"])
        )


pick_en(["haiti_bbc", "bpoil_bbc"], 30, "dev")
pick_en(
    [
        "H1N1_reuters",
        "bpoil_guardian",
        "MJ_bbc",
        "bpoil_washingtonpost",
        "H1N1_guardian",
        "bpoil_foxnews",
    ],
    60,
    "test",
)
with open("cands.jsonl", "w") as f:
    for r in rows:
        a = date.fromisoformat(r["anchor"]) if r["anchor"] else None
        r["cands"] = cands(r["sentence"], a, r["lang"])
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows), sum(len(r["cands"]) for r in rows))
