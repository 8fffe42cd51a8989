# ruff: noqa
# Provenance record: the hand review of the sentences non_date_candidates.py drew. Each kept
# sentence was read; DROP lists those whose number is in fact a date ("Piala Dunia 2025 kali
# ini" names an edition year; "Hari Bhayangkara ke-79 pada 1 Juli ini" is this year's 1 July;
# "Bayi yang lahir pada 12 Juni 2025" is the news itself). Checks, by category:
#   undated     no date-kind expression overlaps the number (plates, law numbers, the
#               constitution's name, ages, scores, prices, unit numbers)
#   background  the sentence's event date is not the birth date
#   history     the historical reference keeps its own year ("kerusuhan Mei 1998")
import json, re
from pathlib import Path

DROP = {"n102", "n103", "n104", "n107", "n124"}
CHECK = {"birth": "background", "history": "history"}


def main() -> None:
    out = []
    for line in Path("/tmp/gold_src/non_date_candidates.jsonl").read_text().splitlines():
        c = json.loads(line)
        if c["nid"] in DROP:
            continue
        number = c["match"]
        if c["cue"] == "score":
            number = re.findall(r"\d{1,2}-\d{1,2}", number)[-1]
        item = {
            "id": c["nid"],
            "category": c["cue"],
            "check": CHECK.get(c["cue"], "undated"),
            "sentence": c["sentence"],
            "number": number,
            "anchor": c["anchor"],
            "outlet": c["outlet"],
            "source": c["source"],
            "doc": c["doc"],
        }
        if c["cue"] == "history":
            item["year"] = re.search(r"(?:19|20)\d\d", c["match"]).group(0)
        assert number in c["sentence"]
        out.append(item)
    path = Path(__file__).resolve().parent.parent / "non_dates.jsonl"
    path.write_text(
        "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in out), encoding="utf-8"
    )
    print(len(out))


if __name__ == "__main__":
    main()
