# ruff: noqa
# Provenance record: turns the hand annotations (real_annotations.txt) of the candidates drawn by
# real_candidates.py into ../time_real.jsonl. "k" lines take kabar's reading as it was at
# annotation time (main at e6f7f1a, before the issue-19 changes) — each was read and accepted by
# hand; "S" lines are publication stamps whose value is read by real_candidates.anchor_of.
import json, re, sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))
sys.path.insert(0, str(HERE))
from kabar.meta.time import find_times
from real_candidates import anchor_of


def kind_of(value: str) -> tuple[str, str]:
    """(TIMEX3 type, finer class for the per-type table)."""
    if value.startswith("REF"):
        return "DATE", "event-ref"
    if value.startswith("P"):
        return "DURATION", "duration"
    if value.startswith(("R/", "XXXX")):
        return "SET", "set"
    if "/" in value:
        return "DATE", "range"
    if "T" in value:
        return "TIME", "time"
    if re.search(r"-W\d\d", value):
        return "DATE", "week"
    if re.search(r"-(?:Q\d|H\d|SU|WI|SP|FA)$", value):
        return "DATE", "quarter"
    if len(value) == 10:
        return "DATE", "day"
    if len(value) == 7:
        return "DATE", "month"
    return "DATE", "year"


def main() -> None:
    cands = {
        c["cid"]: c
        for c in map(json.loads, Path("/tmp/gold_src/candidates.jsonl").read_text().splitlines())
    }
    out = []
    for line in (HERE / "real_annotations.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        cid, code = parts[0], parts[1]
        if code == "x":
            continue
        c = cands[cid]
        sentence = c["sentence"]
        event = None
        if code == "k":
            anchor = date.fromisoformat(c["anchor"][:10]) if c["anchor"] else None
            i = sentence.find(c["match"])
            j = i + len(c["match"])
            best, overlap = None, 0
            for t in find_times(sentence, anchor):
                shared = min(j, t.end) - max(i, t.start)
                if shared > overlap:
                    best, overlap = t, shared
            assert best is not None, cid
            expression, value = best.text, best.value
        elif code == "S":
            sentence = re.sub(r"\s+", " ", sentence.replace("\xa0", " ")).strip()
            m = re.search(r"(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu|\d)", sentence)
            expression = sentence[m.start() :]
            value = anchor_of(sentence)
            assert value, cid
        else:
            expression, value = code, parts[2]
            if len(parts) > 3:
                event = parts[3]
            found = re.search(r"[\s\u202f\xa0]+".join(map(re.escape, expression.split())), sentence)
            assert found, (cid, expression)
            expression = found.group(0)
        timex_type, cls = kind_of(value)
        item = {
            "id": f"r{len(out) + 1:03d}",
            "cid": cid,
            "lang": c["lang"],
            "split": c["split"],
            "outlet": c["outlet"],
            "source": c["source"],
            "doc": c["doc"],
            "sentence": sentence,
            "anchor": c["anchor"],
            "expression": expression,
            "value": value,
            "timex_type": timex_type,
            "type": cls,
        }
        if event:
            item["event"] = event
        out.append(item)
    (HERE.parent / "time_real.jsonl").write_text(
        "\n".join(json.dumps(i, ensure_ascii=False) for i in out) + "\n", encoding="utf-8"
    )
    print(len(out))


if __name__ == "__main__":
    main()
