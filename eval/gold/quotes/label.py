"""Labelling helper for the quote gold (see README.md here): drafts, then builds the CSVs.

    python eval/gold/quotes/label.py sample N          # pick N newsweek articles per outlet
    python eval/gold/quotes/label.py draft DIR DOC...  # DOC = source:doc; one file per DOC
    python eval/gold/quotes/label.py build DIR         # DIR's corrected files → quotes.csv
    python eval/gold/quotes/label.py sample-dev N M    # more dev: N newsweek dev-story
                                                       # articles per outlet, M per t17 topic
                                                       # (--unlabelled: articles the story
                                                       # gold does not hold)
    python eval/gold/quotes/label.py add DIR [SPLIT]   # append DIR's files to the CSVs as
                                                       # SPLIT (dev unless given: test7)
    python eval/gold/quotes/label.py sample-test2 N    # fresh test part: N unlabelled
                                                       # newsweek articles per outlet
    python eval/gold/quotes/label.py sample-test3 N    # the same, another seed (2027)
    python eval/gold/quotes/label.py sample-test4 N    # the same, another seed (2028)
    python eval/gold/quotes/label.py sample-test5 N    # the same, another seed (2029)
    python eval/gold/quotes/label.py sample-test6 N    # the same, another seed (2030)
    python eval/gold/quotes/label.py sample-test7 N    # the same, another seed (2031)
    python eval/gold/quotes/label.py count DRAFTS DIR  # added / corrected / kept / deleted
                                                       # lines of DIR against the drafts

A draft file shows the article body (as kabar cleans it) and, after a ``---`` line, one line
per quote proposed by kabar: ``kind | cue | speaker | content``. The labeller reads the whole
body and corrects the lines: deletes wrong ones, fixes speakers and spans, adds the quotes
kabar missed (content written out, or as ``first words … last words``). ``build`` finds each
content in the document's raw text and writes offsets only: no article text is committed.
Draft files stay outside the repository (they hold the text).
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from quotes_docs import NEWSWEEK, T17, load, locate  # noqa: E402

from kabar.pipeline import process  # noqa: E402

GOLD = Path(__file__).resolve().parent
FIELDS = ["source", "doc", "split", "start", "end", "kind", "cue", "speaker"]
_CUES = re.compile(r"\b(?:kata|ujar|ujarnya|katanya|mengatakan|menurut|menjelaskan|tutur)\b|“")


def split_of(source: str, doc: str) -> str:
    """dev or test, by a hash of the document (so an article's quotes stay together)."""
    return "dev" if hashlib.sha1(f"{source}:{doc}".encode()).digest()[0] % 2 == 0 else "test"


def _print_dense(per_outlet: int, seed: int, wanted: Callable[[str], bool]) -> random.Random:
    """Print up to ``per_outlet`` newsweek documents of each outlet, drawn with ``seed``
    among the ``wanted`` ones dense in quotes (a length window and three cues or more); the
    generator, for draws that follow."""
    by_outlet = _dense_pool(wanted)
    rng = random.Random(seed)
    for outlet in sorted(by_outlet):
        ids = by_outlet[outlet]
        for doc in rng.sample(ids, min(per_outlet, len(ids))):
            print(f"newsweek:{doc}")
    return rng


def sample(per_outlet: int) -> None:
    _print_dense(per_outlet, 20, lambda doc: True)


def _labelled() -> set[str]:
    with (GOLD / "docs.csv").open(encoding="utf-8") as handle:
        return {f"{row['source']}:{row['doc']}" for row in csv.DictReader(handle)}


def sample_dev(per_outlet: int, per_topic: int, unlabelled: bool = False) -> None:
    """More dev documents, drawn apart from the test part: newsweek articles of stories the
    story gold puts in its dev split (``eval/gold/newsweek/labels.csv``), and Timeline17
    dev-topic articles; the same density filter as :func:`sample`, a fixed seed, none
    already labelled. ``unlabelled``: newsweek articles the story gold does not hold at all
    (neither dev nor test there), for the outlets whose dev-story news is too thin."""
    done = _labelled()
    labels = ROOT / "eval" / "gold" / "newsweek" / "labels.csv"
    with labels.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    dev = {r["id"] for r in rows if r["split"] == "dev" and r["kind"] == "news"}
    if unlabelled:
        held = {r["id"] for r in rows}
        with NEWSWEEK.open(encoding="utf-8") as handle:
            dev = {i for i in (json.loads(line)["id"] for line in handle) if i not in held}
    rng = _print_dense(per_outlet, 21, lambda doc: doc in dev and f"newsweek:{doc}" not in done)
    for folder in sorted(T17.iterdir()) if T17.exists() else []:
        path = folder / "articles.jsonl"
        if not path.exists():
            continue
        ids = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                doc = f"{folder.name}/{record['id']}"
                if f"t17:{doc}" not in done and record["text"].count("``") >= 3:
                    ids.append(doc)
        for doc in rng.sample(sorted(ids), min(per_topic, len(ids))):
            print(f"t17:{doc}")


def _dense_pool(wanted: Callable[[str], bool]) -> dict[str, list[str]]:
    """Outlet → sorted ids of the ``wanted`` newsweek documents that pass the density filter."""
    by_outlet: dict[str, list[str]] = defaultdict(list)
    with NEWSWEEK.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = record["text"]
            if wanted(record["id"]) and 800 < len(text) < 5000 and len(_CUES.findall(text)) >= 3:
                by_outlet[record.get("outlet") or "?"].append(record["id"])
    return {outlet: sorted(ids) for outlet, ids in by_outlet.items()}


def sample_test2(per_outlet: int, reserve: int = 2) -> None:
    """A fresh test part (``test2``): newsweek articles no round has labelled, the same
    density filter, a seed of its own (2026). The documents the next ``reserve`` batches of
    ``sample-dev 1 0 --unlabelled`` would draw are left to dev, so a dev batch labelled on
    another branch meanwhile does not take a test2 article."""
    sample_fresh(per_outlet, 2026, reserve)


def sample_fresh(per_outlet: int, seed: int, reserve: int = 2) -> None:
    """A fresh test part drawn as :func:`sample_test2` was, with ``seed``: every document
    already in ``docs.csv`` (any split) is left out, and so are those the next ``reserve``
    dev batches would draw. ``test3`` uses seed 2027, ``test4`` 2028, ``test5`` 2029,
    ``test6`` 2030, ``test7`` 2031."""
    done = {d.partition(":")[2] for d in _labelled()}
    with (ROOT / "eval" / "gold" / "newsweek" / "labels.csv").open(encoding="utf-8") as handle:
        story_gold = {r["id"] for r in csv.DictReader(handle)}
    reserved: set[str] = set()
    for _ in range(reserve):  # sample-dev 1 0 --unlabelled, batch after batch
        pool = _dense_pool(lambda d: d not in story_gold and d not in done | reserved)
        rng = random.Random(21)
        for outlet in sorted(pool):
            reserved.update(rng.sample(pool[outlet], 1))
    pool = _dense_pool(lambda d: d not in done and d not in reserved)
    rng = random.Random(seed)
    for outlet in sorted(pool):
        for doc in rng.sample(pool[outlet], min(per_outlet, len(pool[outlet]))):
            print(f"newsweek:{doc}")


def _short(text: str) -> str:
    words = text.split()
    if len(words) <= 16:
        return text
    return " ".join(words[:7]) + " … " + " ".join(words[-6:])


def draft(folder: Path, docs: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for item in docs:
        source, _, doc = item.partition(":")
        raw = load(source, doc)
        if raw is None:
            print(f"absent: {item}", file=sys.stderr)
            continue
        article = process(raw)
        lines = [f"# {source}:{doc} | {article.outlet} | {split_of(source, doc)}", ""]
        lines += [p + "\n" for p in article.paragraphs]
        lines.append("---")
        for q in article.quotes:
            content = _short(" ".join(article.body[q.start : q.end].split()))
            lines.append(f"{q.kind} | {q.cue} | {q.speaker or ''} | {content}")
        name = re.sub(r"[^\w.-]+", "_", item)
        (folder / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(folder: Path, split: str | None = None) -> None:
    """Write the CSVs from ``folder``'s corrected files; with ``split`` (``add``), append
    them to the CSVs under that split instead (documents labelled later), leaving every
    existing row as it is: parts are labelled on different branches at once, and a branch
    that rewrote the files would clash with one moving a part's rows to dev."""
    rows: list[dict[str, object]] = []
    docs: list[dict[str, str]] = []
    mode = "w" if split is None else "a"
    for path in sorted(folder.glob("*.txt")):
        item, spans = _spans(path, strict=True)
        source, _, doc = item.partition(":")
        doc_split = split or split_of(source, doc)
        docs.append({"source": source, "doc": doc, "split": doc_split})
        for start, end, (kind, cue, speaker) in spans:
            rows.append(
                {"source": source, "doc": doc, "split": doc_split, "start": start,
                 "end": end, "kind": kind, "cue": cue, "speaker": speaker}
            )  # fmt: skip
    with (GOLD / "quotes.csv").open(mode, newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        if mode == "w":
            writer.writeheader()
        writer.writerows(rows)
    with (GOLD / "docs.csv").open(mode, newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["source", "doc", "split"])
        if mode == "w":
            writer.writeheader()
        writer.writerows(docs)
    splits = defaultdict(int)
    for row in rows:
        splits[str(row["split"])] += 1
    added = "" if mode == "w" else " added"
    print(f"{len(rows)} quotes in {len(docs)} documents{added}: {dict(splits)}")


def _spans(path: Path, strict: bool = False) -> tuple[str, list[tuple[int, int, tuple[str, ...]]]]:
    """A draft or corrected file's document and its lines as raw-text spans with their
    labels (kind, cue, speaker). strict (:func:`build`): a line's end that is not found is
    an error; else (:func:`count`, reading drafts) the span ends with its first words."""
    header, _, labels = path.read_text(encoding="utf-8").partition("\n---\n")
    item = header.split("|")[0].lstrip("# ").strip()
    source, _, doc = item.partition(":")
    raw = load(source, doc)
    if raw is None:
        raise SystemExit(f"absent: {item}")
    spans = []
    cursor = 0
    for line in labels.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, cue, speaker, content = (part.strip() for part in line.split("|", 3))
        first, _, last = content.partition("…")
        span = _find(raw.text, first, cursor)
        if span is None:
            raise SystemExit(f"{path.name}: not found: {first!r}")
        start, end = span
        if last.strip():
            tail = _find(raw.text, last, start)
            if tail is None and strict:
                raise SystemExit(f"{path.name}: not found: {last!r}")
            end = tail[1] if tail is not None else end
        cursor = start
        spans.append((start, end, (kind, cue, speaker)))
    return item, spans


def count(drafts: Path, folder: Path) -> None:
    """How the labeller changed the drafts: each corrected line of ``folder`` is matched
    (one-to-one, in order) to a line of the same file in ``drafts`` whose raw span overlaps
    it by half of their union; matched and equal (span, kind, cue, speaker) is kept,
    matched and different corrected, unmatched added; draft lines left unmatched were
    deleted."""
    totals = dict.fromkeys(["rows", "added", "corrected", "kept", "deleted"], 0)
    for path in sorted(folder.glob("*.txt")):
        _, gold = _spans(path)
        draft_path = drafts / path.name
        _, proposed = _spans(draft_path) if draft_path.exists() else ("", [])
        used: set[int] = set()
        counts = dict.fromkeys(totals, 0)
        for start, end, label in gold:
            counts["rows"] += 1
            best = None
            for i, (d_start, d_end, _) in enumerate(proposed):
                inter = min(end, d_end) - max(start, d_start)
                union = max(end, d_end) - min(start, d_start)
                if i not in used and union > 0 and inter * 2 >= union:
                    best = i
                    break
            if best is None:
                counts["added"] += 1
                continue
            used.add(best)
            same = proposed[best] == (start, end, label)
            counts["kept" if same else "corrected"] += 1
        counts["deleted"] = len(proposed) - len(used)
        for key in totals:
            totals[key] += counts[key]
        print(path.stem, " ".join(f"{k}={v}" for k, v in counts.items()))
    print("total", " ".join(f"{k}={v}" for k, v in totals.items()))


def _find(text: str, fragment: str, cursor: int) -> tuple[int, int] | None:
    """The fragment's span at or after ``cursor`` (else anywhere)."""
    found = locate(text[cursor:], fragment, 0.0)
    if found is not None:
        return found[0] + cursor, found[1] + cursor
    return locate(text, fragment, 0.0)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "sample":
        sample(int(sys.argv[2]))
    elif command == "draft":
        draft(Path(sys.argv[2]), sys.argv[3:])
    elif command == "build":
        build(Path(sys.argv[2]))
    elif command == "sample-dev":
        sample_dev(int(sys.argv[2]), int(sys.argv[3]), "--unlabelled" in sys.argv)
    elif command == "sample-test2":
        sample_test2(int(sys.argv[2]))
    elif command == "sample-test3":
        sample_fresh(int(sys.argv[2]), 2027)
    elif command == "sample-test4":
        sample_fresh(int(sys.argv[2]), 2028)
    elif command == "sample-test5":
        sample_fresh(int(sys.argv[2]), 2029)
    elif command == "sample-test6":
        sample_fresh(int(sys.argv[2]), 2030)
    elif command == "sample-test7":
        sample_fresh(int(sys.argv[2]), 2031)
    elif command == "count":
        count(Path(sys.argv[2]), Path(sys.argv[3]))
    elif command == "add":
        build(Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "dev")
    else:
        raise SystemExit(__doc__)
