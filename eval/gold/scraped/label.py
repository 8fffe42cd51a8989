"""Build the scraped-text gold labels (eval/gold/scraped/labels.jsonl) from the newsweek corpus.

The corpus text has no licence, so only labels are written: for each sampled article, one
entry per non-empty raw line ("unit") with its index, a hash of its text, and its label.
The rules below are the written labelling protocol (PROTOCOL.md) applied as a first pass;
every unit they do not settle plainly (short lines, cue lines, captions, the first and last
lines of an article) was then read and, where the first pass was wrong, corrected in
``overrides.tsv`` (id, unit, label[, cut]). This script is independent of kabar's cleaner on
purpose: the gold must not be kabar's own output.

Labels: ``C`` news text; ``B`` boilerplate; ``H`` subheading (neutral); ``N`` neutral
(dateline fragment on its own line); ``D`` a repeat of an earlier unit left by the scraper
(neutral). ``+`` after a label: the unit continues the previous unit's sentence (a line cut
at an inline link). A fourth field on a ``C`` unit lists ``[start, end]`` character ranges of
boilerplate glued inside it (a "Baca Juga: <title>" in a one-line article, a promo tail).

Run: ``python eval/gold/scraped/label.py [--corpus PATH]``; prints the review view to stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = Path("/work/data/newsweek/newsweek.jsonl")
PER_OUTLET = 35
TRIVIAL = re.compile(
    r"^(?:Advertisement|ADVERTISEMENT|SCROLL TO CONTINUE WITH CONTENT|Baca [Jj]uga:?|-)$"
)
STRIP = " \t\u200e\u200b\u00a0\ufeff"

OUTLETS = {
    "liputan6.com": "Liputan6",
    "detik.com": "detikcom",
    "tribunnews.com": "Tribunnews",
    "okezone.com": "Okezone",
    "sindonews.com": "Sindonews",
    "kompas.com": "Kompas",
    "tempo.co": "Tempo",
    "kapanlagi.com": "KapanLagi",
    "republika.co.id": "Republika",
    "posmetro.co.id": "Pos Metro",
}

# Whole-unit boilerplate (protocol §2).
BOILER = re.compile(
    r"""^(?:advertisement|scroll\ to\ continue\ with\ content|baca\ juga\s*:?|lihat\ juga\s*:?
    |selengkapnya(?:\.\.\.)?|loading\.\.\.|daftar\ isi|ikuti\ kami\ di.*|[-.–—*|]+|\d{1,2}
    |\[gambas:[^\]]*\]|\(\*\)|\([a-z]{2,4}(?:/[a-z]{2,4})*\)|sumber\s*:.*
    |ikuti\ whatsapp\ channel\ republika.*|loading\.\.\.ikuti.*|a\ post\ shared\ by.*
    |simak|breaking\ news|dan|berita\ pilihan|https?://\S+|\.\ pastikan\ kamu\ sudah\ install.*
    |(?:baca|lihat|simak)\ (?:juga|berita|selengkapnya)\b.*|pilihan\ editor\s*:.*
    |(?:baca|update|ikuti)\ berita\b.*|laporan\ wartawan\b.*|penulis\s*:.*|editor\s*:.*
    |reporter\s*:.*|jangan\ lupa\ bagikan\b.*|geser\ untuk\ melihat\b.*
    |-?\s*baca\ berita\ terbaru\ lainnya\b.*|\[cek\ berita\b.*|!!!membaca\b.*
    |\(ayo\ ikuti\ saluran\ whatsapp\b.*|.*\((?:image|credit|foto|photo)\s*(?:by|:)[^)]*\)\.?
    |foto\s*:.*|\(image:.*|kompas\.com/.*|.*\bwhatsapp\ channel\b.*
    |hoegeng\ awards\ \d{4}|view\ this\ post\ on\ instagram.*|lihat\ postingan\ ini\ di\ instagram.*|baca\ kisah\ inspiratif\b.*|sebuah\ kiriman\ dibagikan\ oleh.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
# A sign-off in brackets, "(Kemas Irawan Nurrachman)", at an article's end.
SIGNOFF = re.compile(r"^\((?:[A-Z][\w.'’-]*\s?){1,5}\)$")
DATELINE = re.compile(r"^(?:[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)*,?\s*(?:KOMPAS\.com\s*-?)?|[-–])$")
END = re.compile(r"[.!?\"”’)\]:;…]$")


def units(text: str) -> list[str]:
    """The non-empty raw lines, stripped: the units every label refers to."""
    return [s for line in text.split("\n") if (s := line.strip(STRIP))]


def digest(unit: str) -> str:
    return hashlib.sha1(unit.encode()).hexdigest()[:10]


def split_of(article_id: str) -> str:
    """test when the first hex digit of sha1("split:" + id) is even: a split by article id
    (salted so that it does not follow the sampling order, which is by sha1 of the id)."""
    first = hashlib.sha1(("split:" + article_id).encode()).hexdigest()[0]
    return "test" if int(first, 16) % 2 == 0 else "dev"


RELATED_CUE = re.compile(r"^(?:baca juga|lihat juga|baca)\s*:$", re.IGNORECASE)
# Its own domain pattern, not kabar.text.DOMAIN: the eval scripts stay independent of the code they measure.
BYLINE = re.compile(
    r"^(?:laporan\s+(?:wartawan|reporter|kontributor|jurnalis)\b.{0,80}$|laporan\s+\w+(?:\s\w+){0,3}\s*\|.*"
    r"|\(?[\w.-]+\.(?:com|co\.id|id|co)/[\w .'-]+\)?$|ikuti\s+saluran\s+whatsapp\b.*"
    r"|(?:penulis|editor|reporter|pewarta|kontributor)\s*:.*)",
    re.IGNORECASE,
)
VIDEO = re.compile(
    r"^(?:simak\s+(?:juga\s+)?video|video\s*:|tonton\s+juga|video\s[^.]{10,110}$)", re.IGNORECASE
)
CAPTION = re.compile(
    r"(?:\bFoto\s*:\s*\S[^\n]{0,60}|\((?:Image|credit|Foto|instagram|mydramalist)[^)]*\))\.?$"
    r"|^(?:Dok\.\s|[A-Z][A-Z.]+(?:\s[A-Z.]+)*/[A-Z]|Ilustrasi\b[^.]{0,80}\.?$)|\u00a9|"
    r"^\((?:Reporter|Penulis)\s*:[^)]*\)$|pic\.twitter\.com|^— .*\(@\w+\)|^BREAKING:"
)
TAIL_PROMO = re.compile(
    r"^(?:yuk,?\s+(?:baca|simak)\s+juga|baca\s+berita\s+lainnya|simak\s+berita\s+lainnya)", re.I
)
KOMPAS_PROMO = ("Simak", "breaking news", "dan", "berita pilihan")


def plain_boilerplate(u: str, prev: str, nxt: str) -> bool:
    """Protocol §B rules that need no context beyond the neighbouring lines."""
    if u in KOMPAS_PROMO and (u != "dan" or prev == "breaking news"):
        return True  # Kompas "Simak / breaking news / dan / berita pilihan" promo
    if u == "dan":
        return False
    return bool(
        BOILER.match(u)
        or VIDEO.match(u)
        or nxt.startswith("[Gambas:Video")
        or u.startswith(("•", "- Baca"))
        or BYLINE.match(u)
        or CAPTION.search(u)
        or TAIL_PROMO.match(u)
    )


def first_pass(us: list[str], outlet: str = "") -> list[str]:
    """The protocol's rules, in order; ``overrides.tsv`` corrects what they get wrong."""
    labels: list[str] = []
    seen: set[str] = set()
    after_signoff = False
    RELATED_TITLE = False
    related_run = 0
    for i, u in enumerate(us):
        prev = us[i - 1] if i else ""
        related_run = related_run + 1 if labels[-1:] == ["B"] and RELATED_TITLE else 0
        RELATED_TITLE = prev == "Baca Juga" or (
            RELATED_TITLE and labels[-1:] == ["B"] and related_run < 3
        )
        nxt = us[i + 1] if i + 1 < len(us) else ""
        content_before = bool(labels) and labels[-1].startswith("C")
        if after_signoff:
            labels.append("B")  # tags, related and promo blocks after the sign-off
        elif (u in seen and len(u) > 40) or (nxt and len(u) > len(nxt) and u.startswith(nxt)):
            labels.append("D")  # a repeat, or a container line the scraper kept with its children
        elif plain_boilerplate(u, prev, nxt):
            labels.append("B")
        elif (
            (
                RELATED_CUE.match(prev)
                or (
                    outlet == "republika.co.id"
                    and (prev == "Baca Juga" or (labels[-1:] == ["B"] and RELATED_TITLE))
                )
            )
            and len(u) < 160
            and not re.search(r"[.\"”]$", u)
        ):
            labels.append("B")  # the related titles under "Baca juga:" (Republika: "Baca Juga")
        elif SIGNOFF.match(u) or re.fullmatch(r"\([a-z]{2,4}/[a-z]{2,4}\)", u):
            labels.append("B")
            after_signoff = bool(re.fullmatch(r"\([a-z]{2,4}/[a-z]{2,4}\)", u))
        elif DATELINE.match(u) and i <= 1 and len(u) < 40:
            labels.append("N")
        elif u[:1].islower() or u[:1] in ",.;:)?!":
            labels.append("C+" if content_before else ("C" if i == 0 else "B"))
        elif content_before and not END.search(prev) and labels[-1] != "H":
            labels.append("C+")  # the sentence above was cut at an inline link
        elif len(u) < 70 and not END.search(u) and i > 0:
            fragment = (
                nxt[:1].islower() or nxt[:1] in ",.;:)?" or (len(nxt) < 70 and not END.search(nxt))
            )
            labels.append("C" if fragment else "H")
        else:
            labels.append("C")
        seen.add(u)
    # related titles the scraper kept as lines of their own, read off the container line
    # that glues them after "Baca Juga" (Republika)
    for c, lab in zip(us, labels, strict=True):
        if lab != "D" or "Baca Juga" not in c:
            continue
        rest = c[c.index("Baca Juga") + len("Baca Juga") :]
        for i, u in enumerate(us):
            if labels[i] != "D" and rest.startswith(u) and len(u) < 160 and not END.search(u):
                labels[i] = "B"
                rest = rest[len(u) :]
    # keyword tags (lower-case, short) closing an article
    for i in range(len(us) - 1, -1, -1):
        if labels[i] in ("B", "D"):
            continue
        if len(us[i]) < 60 and us[i][:1].islower() and not END.search(us[i]):
            labels[i] = "B"
        else:
            break
    return labels


def load_overrides() -> dict[tuple[str, int], tuple[str, list[tuple[str, str]]]]:
    """``overrides.tsv``: id, unit, label[, spans]. Spans mark boilerplate inside a news unit
    by text: ``start>>end`` (``end`` ``$`` = to the end of the unit), several joined by `` || ``."""
    out: dict[tuple[str, int], tuple[str, list[tuple[str, str]]]] = {}
    path = HERE / "overrides.tsv"
    if not path.exists():
        return out
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        spans = []
        if len(parts) > 3 and parts[3].strip():
            for item in parts[3].split(" || "):
                start, end = item.split(">>")
                spans.append((start, end))
        out[(parts[0], int(parts[1]))] = (parts[2], spans)
    return out


def resolve(unit: str, spans: list[tuple[str, str]]) -> list[list[int]]:
    """Character ranges of the boilerplate spans named by text."""
    out = []
    for start, end in spans:
        s = unit.index(start)
        e = len(unit) if end == "$" else unit.index(end, s) + len(end)
        out.append([s, e])
    return out


AUTO_SPANS = [
    (re.compile(r"(?:Loading\.\.\.)?Ikuti Whatsapp Channel Republika$"), "$"),
    (re.compile(r"Lihat postingan ini di Instagram"), "$"),
    (re.compile(r"(?:Ingin baca update|Masih banyak rekomendasi)"), "$"),
    (re.compile(r"(?<=\S)\([a-z]{2,4}(?:/[a-z]{2,4})*\)$"), "$"),
    (re.compile(r"View this post on Instagram.*?\(@[\w.]+\)\s*"), "match"),
]


def auto_spans(unit: str) -> list[list[int]]:
    """Promo tails glued to the last paragraph (protocol §3)."""
    out = []
    for pattern, end in AUTO_SPANS:
        m = pattern.search(unit)
        if m and m.start() > 40:
            out.append([m.start(), m.end() if end == "match" else len(unit)])
    return sorted(out)


def sample(corpus: Path) -> list[dict[str, object]]:
    """PER_OUTLET articles of every outlet, chosen by hash of id (stable, not by content)."""
    by: dict[str, list[dict[str, object]]] = defaultdict(list)
    for line in corpus.open():
        rec = json.loads(line)
        by[str(rec["outlet"])].append(rec)
    chosen: list[dict[str, object]] = []
    for outlet in OUTLETS:
        ranked = sorted(by[outlet], key=lambda r: hashlib.sha1(str(r["id"]).encode()).hexdigest())
        chosen.extend(ranked[:PER_OUTLET])
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--review", action="store_true", help="print units to review")
    args = parser.parse_args()
    meta = {}
    meta_path = HERE / "meta.tsv"
    if meta_path.exists():
        for line in meta_path.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                p = line.split("\t")
                meta[p[0]] = p[1:]
    overrides = load_overrides()
    out = []
    for rec in sample(args.corpus):
        aid = str(rec["id"])
        us = units(str(rec["text"]))
        labels = first_pass(us, str(rec["outlet"]))
        spans: list[list[list[int]]] = [[] for _ in us]
        for i, u in enumerate(us):
            if labels[i] == "B" and len(u) > 200 and (found := auto_spans(u)):
                labels[i], spans[i] = "C", found
            elif labels[i].startswith("C") and (found := auto_spans(u)):
                spans[i] = found
        for (oid, idx), (lab, named) in overrides.items():
            if oid == aid:
                labels[idx] = lab
                keep = spans[idx] if lab.startswith("C") else []
                spans[idx] = sorted(keep + resolve(us[idx], named))
        author, wires, dateline = (meta.get(aid) or ["", "", ""])[:3]
        entry = {
            "id": aid,
            "outlet_domain": rec["outlet"],
            "split": split_of(aid),
            "outlet": OUTLETS[str(rec["outlet"])],
            "title_sha": digest(" ".join(str(rec["title"]).split())),
            "author": author or None,
            "wires": sorted(w for w in wires.split(",") if w),
            "dateline": dateline or None,
            "published": str(rec["published"]),
            "units": [
                [i, digest(u), lab] + ([spans[i]] if spans[i] else [])
                for i, (u, lab) in enumerate(zip(us, labels, strict=True))
            ],
        }
        out.append(entry)
        if args.review:
            print(f"=== {aid} {rec['outlet']} {entry['split']} | {rec['title']}")
            for i, (u, lab) in enumerate(zip(us, labels, strict=True)):
                plain = (
                    (lab == "C" and len(u) >= 100 and 0 < i < len(us) - 1)
                    or (lab in ("B", "D") and TRIVIAL.match(u))
                    or lab == "D"
                )
                if not plain:
                    print(f"{i:3d} {lab:<3} {u[:150]}{'…' if len(u) > 150 else ''}")
    (HERE / "labels.jsonl").write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in out)
    )
    print(f"{len(out)} articles written", file=sys.stderr)


if __name__ == "__main__":
    main()
