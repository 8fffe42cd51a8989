"""The real-page gold (eval/gold/clean/pages/) is well-formed, each page names where it comes
from, the hashed pages rebuild from their block spec (when the source repository is on this
machine), and kabar keeps the news of a hashed page and drops its teaser cards."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kabar.clean import clean
from kabar.clean.html import byline_name, teaser_texts
from kabar.model import RawArticle

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold" / "clean"
SPEC = json.loads((GOLD / "pages_spec.json").read_text())


def load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def golds() -> list[dict[str, object]]:
    return [json.loads(p.read_text()) for p in sorted((GOLD / "pages").glob("*.json"))]


def test_every_page_is_well_formed_and_sourced() -> None:
    pages = golds()
    assert len({g["id"] for g in pages}) == len(pages)
    for g in pages:
        assert g["split"] in {"dev", "test"}, g["id"]
        source = g["source"]
        assert isinstance(source, dict)
        assert source["repo"] and len(str(source["commit"])) == 40 and source["path"]
        assert source["licence"], g["id"]
        if "body_sha" in g:
            entries = g["body_sha"]
            assert isinstance(entries, list)
            assert any(label == "C" for label, _ in entries), g["id"]
            for label, hashes in entries:
                assert label in {"C", "H"} and hashes, g["id"]
                assert all(len(h) == 12 for h in hashes), g["id"]
    # an Indonesian site is wholly dev or wholly test (the English pages split by page hash)
    sites: dict[str, set[str]] = {}
    for g in pages:
        if g["lang"] == "id":
            sites.setdefault(str(g["outlet"]), set()).add(str(g["split"]))
    assert all(len(splits) == 1 for splits in sites.values()), sites


def _page(spec: dict[str, object]) -> str:
    scorer = load("clean_pages", ROOT / "eval" / "clean_pages.py")
    page = scorer.load_page(spec["source"])
    if page is None:
        pytest.skip(f"no local copy of {spec['source']['repo']}")  # type: ignore[index]
    return str(page)


@pytest.mark.parametrize("spec", SPEC, ids=[s["id"] for s in SPEC])
def test_hashed_pages_rebuild_from_their_block_spec(spec: dict[str, object]) -> None:
    _page(spec)
    label = load("label_pages", GOLD / "label_pages.py")
    committed = json.loads((GOLD / "pages" / f"{spec['id']}.json").read_text())
    assert label.build(spec) == committed


def test_media_indonesia_news_kept_teaser_cards_and_editor_not_taken() -> None:
    spec = next(s for s in SPEC if s["id"] == "id_mediaindonesia_2")
    page = _page(spec)
    scorer = load("clean_pages", ROOT / "eval" / "clean_pages.py")
    gold = json.loads((GOLD / "pages" / "id_mediaindonesia_2.json").read_text())
    cleaned = clean(RawArticle(text="", html=page, url=str(spec["url"]), source="page.html"))
    tp, fp, fn = scorer.score_hashed_body(cleaned.paragraphs, gold["body_sha"])
    assert (fp, fn) == (0, 0) and tp > 10
    import lxml.html

    tree = lxml.html.fromstring(page)
    assert len(teaser_texts(tree)) >= 8  # "Berita Lainnya" and the e-paper "Headline" box
    assert byline_name(tree) == "Media Indonesia"  # an outlet: meta keeps the author empty


def test_a_teaser_card_is_found_and_a_story_paragraph_is_not() -> None:
    import lxml.html

    html = (
        "<html><body><div class='article'><p>Harga minyak naik dua persen pada Senin.</p>"
        "<p>Kenaikan itu dipicu oleh pemangkasan produksi.</p></div>"
        "<ul><li><div class='text'><h3><a href='/a/1'>Harga Emas Antam Turun Lagi Hari Ini</a>"
        "</h3><span>08/1/2026 15:49</span><p>Harga emas batangan turun Rp5.000 per gram.</p>"
        "</div></li></ul><div class='author-2'>Andhika Prasetyo</div></body></html>"
    )
    tree = lxml.html.fromstring(html)
    assert teaser_texts(tree) == {"harga emas batangan turun rp5.000 per gram."}
    assert byline_name(tree) == "Andhika Prasetyo"


def test_a_hover_card_inside_a_sentence_is_cut_and_the_sentence_kept() -> None:
    """The Hill's people cards (dev page en_156770d676ce): "Gov. Kristi Noem[card] (R) is …"."""
    gold = json.loads((GOLD / "pages" / "en_156770d676ce.json").read_text())
    page = _page(gold)
    scorer = load("clean_pages", ROOT / "eval" / "clean_pages.py")
    kept = scorer.sentences(scorer.kabar_body(page, gold["url"]))
    lead = scorer.sentences([next(text for label, text in gold["body"] if label == "C")])
    assert lead[0] in kept
    assert not any("more r is defending" in s for s in kept)


def test_inline_card_pattern_matches_whatever_the_spacing() -> None:
    import lxml.html

    from kabar.clean.html import inline_cards

    html = (
        "<html><body><p>Gov. <span><a href='/p/1'>Jane Roe</a><span><a href='/p/1'>Jane Q"
        " Roe</a><a href='/a/2'>Governor signs the new water bill into law</a> <a href='/a/3'>"
        "State budget talks stall for a second week</a><a href='/p/1'>MORE</a></span></span>"
        " (D) signed the bill on Monday, <a href='/a/4'>the agency said</a>.</p></body></html>"
    )
    (card,) = inline_cards(lxml.html.fromstring(html))
    text = "Gov. Jane RoeJane Q RoeGovernor signs the new water bill into law State budget talks"
    text += " stall for a second weekMORE (D) signed the bill on Monday, the agency said."
    assert card.sub("", text) == "Gov. Jane Roe (D) signed the bill on Monday, the agency said."
