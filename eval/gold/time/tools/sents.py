# ruff: noqa
# Provenance record: the one-off script used to build the gold set (paths as run on the
# development machine, intermediate files in /tmp/w4). Not part of kabar; kept for audit.
import re, json, sys
from pathlib import Path

D = Path("/work/shared/data/ner")
out = []
for f in [
    "idner-news-2k/train.txt",
    "idner-news-2k/dev.txt",
    "idner-news-2k/test.txt",
    "nergrit/train_preprocess.txt",
    "nergrit/valid_preprocess.txt",
]:
    toks = []
    n = 0
    for line in open(D / f, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            if toks:
                n += 1
                s = " ".join(toks)
                s = re.sub(r" ([,.;:!?)])", r"\1", s)
                s = re.sub(r"\( ", "(", s)
                out.append({"src": f"{f}#{n}", "text": s})
            toks = []
            continue
        toks.append(line.split("\t")[0] if "\t" in line else line.split(" ")[0])
json.dump(out, open("ner_sents.json", "w"), ensure_ascii=False)
print(len(out))
