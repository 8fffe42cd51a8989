"""Fuzz the whole pipeline: thousands of generated and mutated inputs, zero crashes allowed.

Inputs start from the real seed articles and are mutated the way the open web mutates
them: truncated, bytes flipped, encodings mixed, binary spliced in, hostile HTML/JS,
absurd nesting, giant lines, control characters, broken JSON lines. Each goes through the
reader (as a file of its kind), ``process`` and, in batches, the corpus stage
(``Corpus.group``). A crash is any exception other than the documented
``InputError``/``KabarError``.

Run: ``.venv/bin/python bench/fuzz.py [--count 10000] [--seed 1]``; prints a table.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabar.corpus import Corpus  # noqa: E402
from kabar.errors import KabarError  # noqa: E402
from kabar.ingest import ReadOptions, read_path  # noqa: E402
from kabar.model import Article, RawArticle  # noqa: E402
from kabar.pipeline import process  # noqa: E402

SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">klik</a>',
    "<svg onload=alert(1)>",
    "<iframe src='data:text/html,<script>alert(1)</script>'></iframe>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "'; DROP TABLE articles; --",
    "\u202e\u200b\ufeff\u0000",
    "[[x]] ]] [[",
]


def mutate(text: str, rng: random.Random) -> tuple[str, bytes]:
    """One mutated input: (file suffix, bytes)."""
    kind = rng.randrange(14)
    data = text.encode("utf-8")
    if kind == 0:  # truncated anywhere, even mid-character
        return ".txt", data[: rng.randrange(len(data) + 1)]
    if kind == 1:  # random byte flips
        buf = bytearray(data)
        for _ in range(rng.randrange(1, 50)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        return ".txt", bytes(buf)
    if kind == 2:  # legacy encoding
        return ".txt", text.encode(rng.choice(["cp1252", "latin-1", "utf-16"]), errors="replace")
    if kind == 3:  # binary spliced in
        cut = rng.randrange(len(data))
        return ".txt", data[:cut] + bytes(
            rng.randrange(256) for _ in range(rng.randrange(1, 400))
        ) + data[cut:]
    if kind == 4:  # hostile markup inside text
        lines = text.split("\n")
        for _ in range(rng.randrange(1, 6)):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(HOSTILE))
        return ".txt", "\n".join(lines).encode()
    if kind == 5:  # HTML page with hostile parts
        paragraphs = "".join(
            f"<p>{p}{rng.choice(HOSTILE)}</p>" for p in text.split("\n") if p.strip()
        )
        return (
            ".html",
            f"<html><head><title>{rng.choice(HOSTILE)}</title></head><body>{paragraphs}</body></html>".encode(),
        )
    if kind == 6:  # absurd nesting
        depth = rng.randrange(100, 5000)
        return ".html", ("<div>" * depth + text[:2000] + "</div>" * rng.randrange(depth)).encode()
    if kind == 7:  # broken HTML
        html = f"<html><body><p>{text}</p></body></html>"
        return ".html", html[: rng.randrange(len(html))].encode()
    if kind == 8:  # JSONL with good, broken and weird lines
        lines = [
            json.dumps(
                {
                    "title": "t",
                    "text": text,
                    "published": rng.choice(["2024-06-20", "kemarin", "", "99-99-99", None]),
                }
            )
        ]
        lines.append(
            json.dumps(
                {
                    "text": rng.choice([None, 5, [], {"a": 1}, ""]),
                    "html": rng.choice([None, 3, "<p>x</p>"]),
                }
            )
        )
        lines.append(json.dumps(text)[: rng.randrange(10, 200)])
        lines.append(json.dumps([1, 2, 3]))
        rng.shuffle(lines)
        return ".jsonl", "\n".join(lines).encode()
    if kind == 9:  # giant single line
        return ".txt", (text.replace("\n", " ") * rng.randrange(5, 60)).encode()
    if kind == 10:  # control characters and odd unicode everywhere
        chars = list(text)
        for _ in range(rng.randrange(1, 200)):
            chars.insert(
                rng.randrange(len(chars) + 1),
                chr(rng.choice([1, 7, 8, 11, 27, 0x85, 0x2028, 0xFFFD, 0x1F600, 0xD7FF])),
            )
        return ".txt", "".join(chars).encode("utf-8", errors="replace")
    if kind == 11:  # lines shuffled and duplicated
        lines = text.split("\n")
        lines = [rng.choice(lines) for _ in range(rng.randrange(1, 3 * len(lines)))]
        return ".txt", "\n".join(lines).encode()
    if kind == 12:  # CSV with quoting trouble
        body = text.replace('"', '""')
        return ".csv", f'id,title,text\n1,"judul","{body}"\n2,"rusak,"{body[:50]}\n'.encode()
    return ".txt", rng.choice([b"", b"\n\n\n", b"\xff\xfe", b"\x00" * 10, "é".encode("latin-1")])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    outcomes: Counter[str] = Counter()
    crashes: list[str] = []
    batch: list[Article] = []
    started = time.perf_counter()
    options = ReadOptions(max_bytes=400_000)
    with tempfile.TemporaryDirectory() as folder:
        for number in range(args.count):
            suffix, data = mutate(rng.choice(texts), rng)
            path = Path(folder) / f"input{number % 50}{suffix}"
            path.write_bytes(data)
            try:
                for item in read_path(path, options):
                    if not isinstance(item, RawArticle):
                        outcomes["rejected with InputError"] += 1
                        continue
                    try:
                        batch.append(process(item))
                        outcomes["processed"] += 1
                    except KabarError:
                        outcomes["rejected with InputError"] += 1
                if len(batch) >= 50:
                    Corpus().group(batch)
                    outcomes["story batches built"] += 1
                    batch.clear()
            except KabarError:
                outcomes["rejected with InputError"] += 1
            except Exception:
                outcomes["CRASH"] += 1
                crashes.append(f"input #{number} ({suffix}):\n{traceback.format_exc(limit=4)}")
    elapsed = time.perf_counter() - started
    print(f"{'outcome':28} {'count':>8}")
    for name in ("processed", "rejected with InputError", "story batches built", "CRASH"):
        print(f"{name:28} {outcomes[name]:8d}")
    print(f"{'inputs':28} {args.count:8d}")
    print(f"{'seconds':28} {elapsed:8.1f}")
    print(f"crashes: {outcomes['CRASH']}")
    for crash in crashes[:5]:
        print(crash)
    return 1 if outcomes["CRASH"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
