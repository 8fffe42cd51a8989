# ruff: noqa
# Provenance record: the one-off script used to build the gold set (paths as run on the
# development machine, intermediate files in /tmp/w4). Not part of kabar; kept for audit.
"""Build eval/gold/time/time.jsonl from hand-checked annotations (values written by hand)."""

import json, sys

sys.path.insert(0, "/work/wt-issue4")
from pathlib import Path
from kabar.text import split_sentences

rows = [json.loads(l) for l in open("/tmp/w4/cands.jsonl")]
T = {
    "ed": "explicit_day",
    "pd": "partial_day",
    "wd": "weekday",
    "rel": "relative",
    "mo": "month",
    "yr": "year",
    "rg": "range",
    "du": "duration",
    "set": "set",
}
G = {"explicit_day": "day", "partial_day": "day", "weekday": "day"}


def gran(t, value):
    if t in ("range", "duration", "set"):
        return t
    if t in G:
        return G[t]
    if len(value) == 10:
        return "day"
    if len(value) == 7:
        return "month"
    return "year"


out = []


def add(sentence, anchor, expr, value, t, lang, source, split, note=None, week=False):
    assert expr in sentence, (expr, sentence)
    t = T[t]
    item = dict(
        id=f"t{len(out) + 1:03d}",
        lang=lang,
        split=split,
        source=source,
        sentence=sentence,
        anchor=anchor,
        expression=expr,
        value=value,
        granularity="week" if week else gran(t, value),
        type=t,
    )
    if note:
        item["anchor_note"] = note
    out.append(item)


# ---- NER sentences (Indonesian). (row, expr, value, type[, anchor, note])
ASSUMED = "assumed: the corpus gives no publication date; chosen as a date just after the weekday-consistent reading, within the corpus years (2010-2015)"
INSENT = "nearest explicit date: the stamp in the same sentence"
ner = [
    (0, "1989", "1989", "yr"),
    (1, "Selasa (29/1/2013)", "2013-01-29", "ed"),
    (3, "2014", "2014", "yr"),
    (4, "23 Agustus", "2014-08-23", "pd", "2014-08-25", ASSUMED),
    (5, "22 Juli 2014", "2014-07-22", "ed"),
    (6, "2014-2019", "2014/2019", "rg"),
    (7, "Minggu (24/8)", "2014-08-24", "pd", "2014-08-25", ASSUMED),
    (8, "februari 2003", "2003-02", "mo"),
    (9, "12 bulan", "P12M", "du"),
    (10, "Minggu (24/8)", "2014-08-24", "pd", "2014-08-25", ASSUMED),
    (11, "27 tahun", "P27Y", "du"),
    (11, "setahun lalu", "2013", "rel", "2014-08-25", ASSUMED),
    (13, "tahun 2015", "2015", "yr"),
    (13, "Rabu (13/8/2014)", "2014-08-13", "ed"),
    (14, "Senin (25/2/2013)", "2013-02-25", "ed"),
    (15, "2014", "2014", "yr"),
    (16, "2014", "2014", "yr"),
    (17, "tahun 1984", "1984", "yr"),
    (18, "Selasa (3/5/2011)", "2011-05-03", "ed"),
    (19, "2014", "2014", "yr"),
    (20, "30 tahun", "P30Y", "du"),
    (21, "September 2007", "2007-09", "mo"),
    (22, "2014 hingga 2019", "2014/2019", "rg"),
    (25, "Sabtu (4/5/2013)", "2013-05-04", "ed"),
    (26, "Sabtu (19/12)", "2015-12-19", "pd", "2015-12-20", ASSUMED),
    (27, "setiap tahunnya", "R/P1Y", "set"),
    (29, "Jumat (22/8)", "2014-08-22", "pd", "2014-08-23", ASSUMED),
    (30, "setiap hari", "R/P1D", "set"),
    (31, "2014", "2014", "yr"),
    (32, "2014", "2014", "yr"),
    (33, "Minggu (19/5/2013)", "2013-05-19", "ed"),
    (34, "Kamis (11/7/2013)", "2013-07-11", "ed"),
    (37, "2014", "2014", "yr"),
    (39, "2014", "2014", "yr"),
    (40, "tahun 1935", "1935", "yr"),
    (44, "Senin (11/8)", "2014-08-11", "pd", "2014-08-12", ASSUMED),
    (45, "Jumat, 26 September 2014", "2014-09-26", "ed"),
    (47, "tahun 2014", "2014", "yr"),
    (48, "Selasa, 20 Agustus 2013", "2013-08-20", "ed"),
    (49, "2009", "2009", "yr"),
    (50, "14 Desember 2012", "2012-12-14", "ed"),
    (52, "29 April 1986", "1986-04-29", "ed"),
    (53, "2009", "2009", "yr"),
    (54, "Senin (11/3/2013)", "2013-03-11", "ed"),
    (54, "Kemarin", "2013-03-10", "rel", "2013-03-11", INSENT),
    (55, "3 bulan", "P3M", "du"),
    (55, "per hari", "R/P1D", "set"),
    (55, "2007", "2007", "yr"),
    (57, "Senin (25/8/2014)", "2014-08-25", "ed"),
    (58, "23 Juni 2011", "2011-06-23", "ed"),
    (60, "tahun 1964", "1964", "yr"),
    (61, "2014", "2014", "yr"),
    (61, "Rabu (3/8/2011)", "2011-08-03", "ed"),
    (62, "1 Desember 1977", "1977-12-01", "ed"),
    (63, "Selasa, 10 Februari 2015", "2015-02-10", "ed"),
    (64, "Senin, 9 Februari 2015", "2015-02-09", "ed"),
    (65, "2014", "2014", "yr"),
    (66, "Minggu (14/12/2014)", "2014-12-14", "ed"),
    (68, "Jumat (21/10/2010)", "2010-10-21", "ed"),
    (69, "tahun 1918", "1918", "yr"),
    (72, "8 Juli lalu", "2014-07-08", "pd", "2014-08-25", ASSUMED),
    (74, "Minggu (24/8)", "2014-08-24", "pd", "2014-08-25", ASSUMED),
    (75, "tahun 2011", "2011", "yr"),
    (76, "tahun 1941", "1941", "yr"),
    (77, "Kamis (23/6/2011)", "2011-06-23", "ed"),
    (77, "kemarin", "2011-06-22", "rel", "2011-06-23", INSENT),
    (78, "Kamis (26/5/2011)", "2011-05-26", "ed"),
    (79, "Ahad, 1 Juli 2012", "2012-07-01", "ed"),
    (82, "tahun 2008", "2008", "yr"),
    (86, "Kamis (22/8/2013)", "2013-08-22", "ed"),
    (87, "2 Agustus 2009", "2009-08-02", "ed"),
    (87, "11 Juni 2009", "2009-06-11", "ed"),
    (88, "10 bulan", "P10M", "du"),
    (89, "23 April lalu", "2011-04-23", "pd", "2011-05-01", ASSUMED),
    (90, "tahun 2007", "2007", "yr"),
    (92, "tahun 1997", "1997", "yr"),
    (93, "tahun 2014", "2014", "yr"),
    (94, "Kamis, 12 April 2012", "2012-04-12", "ed"),
    (95, "6 Juli 1991", "1991-07-06", "ed"),
    (96, "Kamis (10/7)", "2014-07-10", "pd", "2014-07-11", ASSUMED),
    (97, "1967 hingga tahun 1968", "1967/1968", "rg"),
    (97, "1962 hingga 1964", "1962/1964", "rg"),
    (97, "1965 hingga tahun 1966", "1965/1966", "rg"),
    (99, "Senin, 8 April 2013", "2013-04-08", "ed"),
    (100, "Selasa (7/10/2014)", "2014-10-07", "ed"),
    (102, "1974 - 1978", "1974/1978", "rg"),
    (103, "Kamis, 17 Juli 2014", "2014-07-17", "ed"),
    (104, "tahun 1953", "1953", "yr"),
    (106, "sepuluh tahun", "P10Y", "du"),
    (106, "1966", "1966", "yr"),
    (107, "Rabu (18/4/2012)", "2012-04-18", "ed"),
    (109, "31 Agustus 1892", "1892-08-31", "ed"),
    (109, "1 April 1977", "1977-04-01", "ed"),
    (110, "Jumat (30/7/2010)", "2010-07-30", "ed"),
    (111, "Sabtu (9/8)", "2014-08-09", "pd", "2014-08-10", ASSUMED),
    (111, "awal tahun depan", "2015", "rel", "2014-08-10", ASSUMED),
    (112, "17 Agustus 1945", "1945-08-17", "ed"),
    (114, "Kamis (25/9/2014)", "2014-09-25", "ed"),
    (115, "Rabu (4/2/2015)", "2015-02-04", "ed"),
    (116, "tahun 1997", "1997", "yr"),
    (117, "tahun 1999", "1999", "yr"),
    (117, "tahun 2001", "2001", "yr"),
    (118, "2006", "2006", "yr"),
    (119, "2008 / 2009", "2008/2009", "rg"),
]
for r, expr, value, t, *rest in ner:
    row = rows[r]
    anchor, note = (rest + [None, None])[:2]
    add(row["sentence"], anchor, expr, value, t, "id", row["source"], row["split"], note)

# ---- T17 sentences (English): anchor = the article's publication date
en = [
    (120, "10 July", "2010-07-10", "pd"),
    (121, "10 Jun 2010", "2010-06-10", "ed"),
    (122, "today", "2010-01-18", "rel"),
    (123, "Monday", "2010-07-05", "wd"),
    (124, "daily", "R/P1D", "set"),
    (124, "20 minutes", "PT20M", "du"),
    (124, "12 January", "2010-01-12", "pd"),
    (125, "last week", "2010-01-11", "rel", True),
    (126, "20 April", "2010-04-20", "pd"),
    (127, "1 hr ago", "2010-06-10", "rel"),
    (128, "Tuesday", "2010-01-19", "wd"),
    (129, "Saturday", "2010-01-16", "wd"),
    (130, "16 Jun 2010", "2010-06-16", "ed"),
    (131, "Friday", "2010-06-04", "wd"),
    (132, "June", "2010-06", "mo"),
    (134, "12 days", "P12D", "du"),
    (135, "a month ago", "2010-04", "rel"),
    (136, "Thursday", "2010-06-17", "wd"),
    (138, "28 May 2010", "2010-05-28", "ed"),
    (139, "Saturday", "2010-05-01", "wd"),
    (140, "24 hours", "PT24H", "du"),
    (141, "Earlier this week", "2010-06-14", "rel", True),
    (142, "48 hours", "PT48H", "du"),
    (142, "a day", "R/P1D", "set"),
    (143, "last year", "2009", "rel"),
    (144, "20 April", "2010-04-20", "pd"),
    (145, "Monday", "2010-06-14", "wd"),
    (146, "48 hours", "PT48H", "du"),
    (147, "1991", "1991", "yr"),
    (148, "Friday", "2010-05-07", "wd"),
    (150, "2003", "2003", "yr"),
    (151, "2015", "2015", "yr"),
    (152, "12 hours", "PT12H", "du"),
    (153, "Thursday", "2010-07-08", "wd"),
    (153, "24 hours", "PT24H", "du"),
    (154, "5 April", "2010-04-05", "pd"),
    (155, "4 years", "P4Y", "du"),
    (155, "1939", "1939", "yr"),
    (156, "30 April", "2009-04-30", "pd"),
    (157, "2002", "2002", "yr"),
    (158, "seven hours", "PT7H", "du"),
    (158, "Thursday", "2010-06-17", "wd"),
    (159, "Wednesday afternoon", "2010-04-28", "wd"),
    (160, "2009", "2009", "yr"),
    (161, "five months", "P5M", "du"),
    (161, "Wednesday", "2010-06-16", "wd"),
    (162, "Thursday", "2010-11-04", "wd"),
    (163, "April 20", "2010-04-20", "pd"),
    (164, "Earlier this month", "2009-08", "rel"),
    (164, "July", "2009-07", "mo"),
    (165, "Monday", "2010-06-14", "wd"),
    (165, "Tuesday night", "2010-06-15", "wd"),
    (166, "two months", "P2M", "du"),
    (166, "July 15", "2010-07-15", "pd"),
    (166, "early August", "2010-08", "mo"),
    (167, "Sunday", "2010-05-02", "wd"),
    (169, "July 15", "2010-07-15", "pd"),
    (169, "September", "2010-09", "mo"),
    (170, "1906", "1906", "yr"),
    (171, "June 15", "2010-06-15", "pd"),
    (172, "Five days", "P5D", "du"),
    (172, "20 April", "2010-04-20", "pd"),
    (173, "today", "2010-11-09", "rel"),
    (174, "a day", "R/P1D", "set"),
    (174, "last week", "2010-05-31", "rel", True),
    (176, "Thursday", "2011-11-10", "wd"),
    (177, "a month ago", "2010-04", "rel"),
    (178, "today", "2011-01-11", "rel"),
    (179, "August", "2010-08", "mo"),
    (179, "April 20", "2010-04-20", "pd"),
    (181, "Monday", "2011-07-25", "wd"),
    (182, "today", "2009-04-30", "rel"),
    (183, "2005", "2005", "yr"),
    (183, "a month", "P1M", "du"),
    (184, "April 20", "2010-04-20", "pd"),
    (185, "Thursday", "2010-05-20", "wd"),
    (186, "2005", "2005", "yr"),
    (187, "two days", "P2D", "du"),
    (187, "24 hours", "PT24H", "du"),
    (188, "today", "2010-06-02", "rel"),
    (189, "three years", "P3Y", "du"),
    (189, "this month", "2010-06", "rel"),
    (190, "Tuesday", "2009-05-19", "wd"),
    (191, "15 years ago", "1995", "rel"),
    (192, "Monday", "2010-06-21", "wd"),
    (193, "2006", "2006", "yr"),
    (193, "2009", "2009", "yr"),
    (195, "eight months", "P8M", "du"),
    (195, "January 1969", "1969-01", "mo"),
    (195, "April 1970", "1970-04", "mo"),
    (196, "Friday", "2010-05-28", "wd"),
    (197, "May 6", "2010-05-06", "pd"),
    (198, "Saturday", "2009-05-09", "wd"),
    (199, "1903", "1903", "yr"),
    (199, "1900", "1900", "yr"),
    (200, "1989", "1989", "yr"),
    (201, "2015", "2015", "yr"),
    (201, "earlier this week", "2009-04-27", "rel", True),
    (202, "Tuesday", "2009-04-28", "wd"),
    (203, "12 April", "2010-04-12", "pd"),
    (205, "Friday , October 29 , 2010", "2010-10-29", "ed"),
    (207, "April 20", "2010-04-20", "pd"),
    (208, "24 hours", "PT24H", "du"),
    (209, "early 1972", "1972", "yr"),
]
for r, expr, value, t, *rest in en:
    row = rows[r]
    add(
        row["sentence"],
        row["anchor"],
        expr,
        value,
        t,
        "en",
        row["source"],
        row["split"],
        week=bool(rest and rest[0]),
    )

# ---- the seeds (Indonesian), all development items
SEEDS = Path("/work/wt-issue4/examples/seeds")


def seed_sentence(prefix, expr):
    text = next(SEEDS.glob(prefix + "_*.txt")).read_text(encoding="utf-8")
    for line in text.splitlines():
        for s in split_sentences(line):
            if expr in s:
                return s, next(SEEDS.glob(prefix + "_*.txt")).name
    raise KeyError(expr)


seed_anchor = {
    "000": ("2024-03-26", 'the stamp "Selasa (26/3/2024)" of the lede (no metadata date)'),
    "001": (
        "2024-06-20",
        'the stamp "Kamis (20/6)" of the lede, year from the companion article 004',
    ),
    "002": (
        "2023-10-18",
        "external: the Belt and Road Forum meeting of Tuesday 17 Oct 2023 the article reports; no date in the text",
    ),
    "003": ("2018-09-07", 'byline stamp "Jumat, 7 September 2018 10:47 WIB"'),
    "004": ("2024-06-20", 'stamp "Dilansir Reuters, Kamis (20/6/2024)"'),
}
seeds = [
    ("000", "Selasa (26/3/2024)", "2024-03-26", "ed"),
    ("000", "Oktober lalu", "2023-10", "rel"),
    ("000", "pada Selasa", "2024-03-26", "wd"),
    ("000", "pekan lalu", "2024-03-18", "rel", True),
    ("000", "sejak 1950", "1950", "yr"),
    ("000", "pada 2012", "2012", "yr"),
    ("001", "Kamis (20/6)", "2024-06-20", "pd"),
    ("001", "antara tahun 1995 dan 2023", "1995/2023", "rg"),
    ("001", "sepekan", "P1W", "du"),
    ("002", "Selasa malam", "2023-10-17", "wd"),
    ("002", "hari Selasa", "2023-10-17", "wd"),
    ("002", "bulan Maret", "2023-03", "mo"),
    ("002", "Awal bulan ini", "2023-10", "rel"),
    ("002", "tahun 2017", "2017", "yr"),
    ("002", "Bulan lalu", "2023-09", "rel"),
    ("002", "akhir tahun ini", "2023", "rel"),
    ("003", "Jumat, 7 September 2018", "2018-09-07", "ed"),
    ("003", "6 September 2018", "2018-09-06", "ed"),
    ("003", "Kamis, 6 Septemebr 2018", "2018-09-06", "ed"),
    ("003", "25 tahun", "P25Y", "du"),
    ("003", "pada 2019", "2019", "yr"),
    ("003", "70 tahun", "P70Y", "du"),
    ("003", "pada 2020", "2020", "yr"),
    ("004", "Kamis (20/6)", "2024-06-20", "pd"),
    ("004", "sehari", "P1D", "du"),
    ("004", "Kamis (20/6/2024)", "2024-06-20", "ed"),
    ("004", "Kamis dini hari", "2024-06-20", "wd"),
    ("004", "24 tahun", "P24Y", "du"),
    ("004", "Rabu (19/6)", "2024-06-19", "pd"),
    ("004", "Hari ini", "2024-06-20", "rel"),
    ("004", "tahun 2022", "2022", "yr"),
]
for prefix, expr, value, t, *rest in seeds:
    sentence, name = seed_sentence(prefix, expr)
    anchor, note = seed_anchor[prefix]
    add(
        sentence,
        anchor,
        expr,
        value,
        t,
        "id",
        "examples/seeds/" + name,
        "dev",
        note,
        week=bool(rest and rest[0]),
    )

with open("/work/wt-issue4/eval/gold/time/time.jsonl", "w", encoding="utf-8") as f:
    for item in out:
        f.write(json.dumps(item, ensure_ascii=False) + "\n")
from collections import Counter

print(
    len(out),
    Counter(i["split"] for i in out),
    Counter(i["lang"] for i in out),
    Counter(i["type"] for i in out),
)
