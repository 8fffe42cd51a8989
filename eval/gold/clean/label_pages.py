"""Build the hashed gold files of real pages whose licence keeps their text out of this repo.

Why a script: the page text is not committed (no licence, or publisher text), so the gold
holds only sentence hashes; this script turns a hand-made *block spec* (which text blocks of
the page's article container are news ``C``, subheadings ``H``; every other block is
boilerplate) into those hashes, so anyone with the page can check or redo the labels.

``pages_spec.json`` lists, per page: its id, split, url, source (repo, commit, path, licence),
metadata read off the page by hand (title, outlet, author, wires, published, published_time,
dateline), the XPath of the article container, and ``labels``: ``{"C": "4-9,11", "H": "17"}``
over the block numbers that ``--show`` prints, and ``lead_prefix`` when the dateline sits
outside the first paragraph. Hashing follows ``eval/clean_pages.py``:
one entry per sentence (``kabar.text.split_sentences``, then ``norm``), with alternative
hashes for the lead (up to five opening words, its dateline, cut off) and for a sentence that
ends in a desk sign-off such as "(E-2)" (with and without it); a sign-off split off as its
own sentence is neutral (``H``).

    python eval/gold/clean/label_pages.py --show ID     # numbered blocks of one page
    python eval/gold/clean/label_pages.py               # (re)write pages/<id>.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import lxml.html

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from clean_pages import digest, load_page, norm  # noqa: E402

from kabar.text import split_sentences  # noqa: E402

LEAF = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "blockquote", "td", "table"}
INLINE = {"a", "strong", "em", "b", "i", "span", "br", "u", "sup", "sub"}
SIGNOFF = re.compile(r"\s*\((?:[A-Z]{1,5}(?:[-/ ][A-Z0-9]{1,5})*[-/ ]?\d*)\)\s*$")
KEYS = ("title", "outlet", "author", "wires", "published", "published_time", "dateline")


def blocks(html: str, container: str) -> list[tuple[str, str]]:
    """(tag, text) of the text blocks inside the article container, in reading order: leaf
    blocks (paragraphs, headings, list items, captions, tables) whole, and the loose text of
    other elements (e.g. a dateline ``<strong>Jakarta</strong> -`` before the first ``<p>``)."""
    doc = lxml.html.fromstring(html)
    for bad in doc.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    out: list[tuple[str, str]] = []

    def walk(element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in LEAF:
            text = " ".join(element.text_content().split())
            if text:
                out.append((tag, text))
            return
        loose = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str) and child.tag in INLINE:
                loose.append(child.text_content())
            loose.append(child.tail or "")
        text = " ".join(" ".join(loose).split())
        if text:
            out.append((tag + "-loose", text))
        for child in element:
            if isinstance(child.tag, str) and child.tag not in INLINE:
                walk(child)

    found = doc.xpath(container)
    if not found:
        raise SystemExit(f"container {container!r} not found")
    walk(found[0])
    return out


def numbers(ranges: str) -> list[int]:
    result: list[int] = []
    for part in filter(None, (p.strip() for p in ranges.split(","))):
        low, _, high = part.partition("-")
        result.extend(range(int(low), int(high or low) + 1))
    return result


def sentence_entries(paragraphs: list[tuple[str, str]]) -> list[list[object]]:
    """Gold entries, one per sentence: ``[label, [hash, alternative hashes…]]``."""
    entries: list[list[object]] = []
    lead_done = False
    for label, text in paragraphs:
        for sentence in split_sentences(text):
            normal = norm(sentence)
            if not normal:
                continue
            if SIGNOFF.fullmatch(" " + sentence.strip()):
                entries.append(["H", [digest(normal)]])
                continue
            variants = [normal]
            if label == "C" and not lead_done:
                words = normal.split()
                variants += [" ".join(words[k:]) for k in range(1, min(5, len(words) - 3) + 1)]
                lead_done = True
            bare = SIGNOFF.sub("", sentence)
            if bare != sentence and norm(bare):
                variants.append(norm(bare))
            entries.append([label, list(dict.fromkeys(digest(v) for v in variants))])
    return entries


def build(spec: dict[str, object]) -> dict[str, object]:
    page = load_page(spec["source"])  # type: ignore[arg-type]
    if page is None:
        raise SystemExit(f"no local copy of the page of {spec['id']}")
    found = blocks(page, str(spec["container"]))
    labels = {n: lab for lab, ranges in spec["labels"].items() for n in numbers(ranges)}  # type: ignore[union-attr]
    chosen = [(labels[n], text) for n, (_, text) in enumerate(found) if n in labels]
    if spec.get("lead_prefix"):  # a dateline outside the first paragraph ("Jakarta -" + <p>)
        label, text = chosen[0]
        chosen[0] = (label, str(spec["lead_prefix"]) + text)
    gold: dict[str, object] = {
        "id": spec["id"],
        "lang": spec.get("lang", "id"),
        "split": spec["split"],
        "url": spec["url"],
        "source": spec["source"],
        "title_sha": digest(norm(str(spec["title"]))),
    }
    gold.update({k: spec.get(k) for k in KEYS if k != "title"})
    gold["body_sha"] = sentence_entries(chosen)
    return gold


def main() -> None:
    specs = json.loads((HERE / "pages_spec.json").read_text())
    if len(sys.argv) > 2 and sys.argv[1] == "--show":
        spec = next(s for s in specs if s["id"] == sys.argv[2])
        page = load_page(spec["source"])
        assert page is not None
        for n, (tag, text) in enumerate(blocks(page, spec["container"])):
            print(f"[{n}] <{tag}> {text}")
        return
    for spec in specs:
        gold = build(spec)
        path = HERE / "pages" / f"{spec['id']}.json"
        path.write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n")
        print(f"{path.relative_to(ROOT)}: {len(gold['body_sha'])} sentences")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
