"""HTML pages: trafilatura finds the main text, htmldate the declared date, lxml the bylines.

trafilatura (with htmldate inside) is the field's best main-text extractor; kabar only adds
what it drops and the meta stage needs: byline/credit blocks ("Editor: …", "Penulis …")
that sit in meta divs outside the article body. The date is read from markup only
(``extensive_search=False``): a free-text guess picks up "Copyright © 2024" or a
related-news date, which is exactly what the issue forbids.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_BYLINE_CLASS = re.compile(r"byline|author|editor|reporter|penulis|article-meta|entry-meta|credit")
_BYLINE_XPATH = (
    "//*[contains(@class,'byline') or contains(@class,'author') or contains(@class,'editor')"
    " or contains(@class,'reporter') or contains(@class,'penulis') or contains(@class,'meta')"
    " or contains(@class,'credit')][not(self::meta)]"
)


def extract_html(html: str, url: str | None = None) -> tuple[str, dict[str, str], list[str]]:
    """(main text, declared metadata, byline lines) of a page.

    Bylines and the declared time share one lxml parse; trafilatura parses the page itself
    (handing it that tree changes its extraction: one NYT paragraph was lost).
    """
    import trafilatura

    tree = _parse(html)
    bylines = byline_lines(tree)
    published_time = declared_time(tree)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=False,
        # Not trafilatura's dedup: its cache spans documents and would drop a syndicated
        # copy's paragraphs; repeats inside one article are handled by the line pass.
        deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None:
        return "", {}, bylines
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    meta = {
        key: str(data[key])
        for key in ("title", "date", "author", "sitename", "url", "hostname")
        if data.get(key)
    }
    body = str(data.get("text") or "")
    # trafilatura may repeat the <h1> as the first line; the title is kept apart. Only a whole
    # line equal to the title goes: a page whose <title> is a cut-off lede keeps its lede.
    if published_time:
        meta["published_time"] = published_time
    portal_author = _portal_author(tree)
    if portal_author:
        meta["portal_author"] = portal_author
    named = byline_name(tree)
    if named:
        meta["byline_name"] = named
    teasers = teaser_texts(tree)
    if teasers:
        body = "\n".join(line for line in body.split("\n") if _squash(line) not in teasers)
    for card in inline_cards(tree):
        body = card.sub("", body)
    title = meta.get("title")
    first, _, rest = body.partition("\n")
    if title and first.strip() == title.strip():
        body = rest
    return body, meta, bylines


# The reporter as Indonesian portals declare it beside their company-wide <meta name=author>
# ("Kompas Cyber Media"): Kompas "content_author", detik "dtk:author". Neither trafilatura nor
# htmldate reads these.
_PORTAL_AUTHOR_XPATH = "//meta[@name='content_author' or @name='dtk:author']/@content"


def _portal_author(tree: HtmlElement | None) -> str | None:
    if tree is None:
        return None
    values = [v.strip() for v in tree.xpath(_PORTAL_AUTHOR_XPATH) if v.strip()]
    return values[0] if values else None


# A byline element's class ("author-2", "detail__author", "byline") and a bare name in it.
_NAME_CLASS = re.compile(
    r"(?:^|[\s_-])(?:author|byline|reporter|penulis)(?:$|[\s_-]|\d)", re.IGNORECASE
)
_BARE_NAME = re.compile(r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}")


def byline_name(tree: HtmlElement | None) -> str | None:
    """The text of the first byline element that is nothing but a name ("Andhika Prasetyo").

    Some portals declare only their editor in JSON-LD and a company in ``<meta name=author>``
    ("mediaindonesia.com developer") while the page shows the reporter in a byline div; the
    meta stage takes this name when no declared author is a person and it is not the editor.
    """
    if tree is None:
        return None
    for element in tree.xpath("//body//*[@class]"):
        if not _NAME_CLASS.search(str(element.get("class", ""))):
            continue
        text = " ".join(element.text_content().split())
        if text:
            return text if _BARE_NAME.fullmatch(text) else None
    return None


def teaser_texts(tree: HtmlElement | None, max_chars: int = 400) -> set[str]:
    """Teasers of linked-article cards (a linked headline, maybe a date, then a short
    paragraph: "Berita Lainnya", an e-paper "Headline" box), squashed for comparison.

    trafilatura drops the card's link but keeps its paragraph, which then reads like news.
    A card is the smallest element holding the headline link and the paragraph and little
    else; a story's own paragraphs never sit alone with a link to another page like that.
    """
    if tree is None:
        return set()
    out: set[str] = set()
    for paragraph in tree.xpath("//body//p"):
        text = " ".join(paragraph.text_content().split())
        if not text or len(text) > max_chars or paragraph.xpath(".//a"):
            continue
        card = paragraph.getparent()
        for _ in range(2):  # the paragraph's parent, or the one above it (li > div.text > p)
            if card is None:
                break
            if _is_card(card, text):
                out.add(_squash(text))
                break
            card = card.getparent()
    return out


def inline_cards(tree: HtmlElement | None) -> list[re.Pattern[str]]:
    """Patterns of the hover cards inside a paragraph: a ``<span>`` holding several links to
    other articles (a politician's name that opens "Name / latest headlines / MORE").

    trafilatura reads such a card as text of the sentence it sits in ("Gov. Kristi
    NoemKristi Lynn NoemSouth Dakota governor doubles down … MORE (R) is defending"); the
    pattern matches its text whatever spacing the extraction gave it, so it can be cut out.
    The innermost such span is taken, so the name the card hangs on stays in the sentence.
    """
    if tree is None:
        return []
    cards = [span for span in tree.xpath("//p//span[.//a[@href]]") if _is_inline_card(span)]
    out: list[re.Pattern[str]] = []
    for span in cards:
        if any(other is not span and span in other.iterancestors() for other in cards):
            continue
        text = "".join(span.text_content().split())
        out.append(re.compile(r"\s*".join(re.escape(ch) for ch in text)))
    return out


def _is_inline_card(span: HtmlElement) -> bool:
    links = [" ".join(a.text_content().split()) for a in span.xpath(".//a[@href]")]
    if sum(len(link.split()) >= 4 for link in links) < 2:
        return False  # one link in a sentence is the sentence's own
    words = len(span.text_content().split())
    return len(" ".join(links).split()) >= 0.8 * words  # links, not prose with links in it


def _is_card(element: HtmlElement, teaser: str) -> bool:
    links = [" ".join(a.text_content().split()) for a in element.xpath(".//a[@href]")]
    headline = max(links, key=len, default="")
    if len(headline.split()) < 3:
        return False
    rest = " ".join(element.text_content().split())
    for piece in (teaser, *links):
        rest = rest.replace(piece, " ", 1)
    return len(" ".join(rest.split())) <= 40  # a date ("08/1/2026 15:49"), a label


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()


def _parse(html: str) -> HtmlElement | None:
    import lxml.html

    try:
        return lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None


_TIME_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @property='og:published_time' or @itemprop='datePublished'"
    " or @name='pubdate' or @name='publishdate' or @name='content_PublishedDate']/@content"
    " | //time[@itemprop='datePublished']/@datetime"
)


def declared_time(html: str | HtmlElement | None) -> str | None:
    """The publication date-time as the page declares it (``article:published_time``,
    ``itemprop=datePublished`` or JSON-LD ``NewsArticle.datePublished``), unparsed.

    trafilatura keeps only the day; the time and zone ("2024-06-20T14:30:00+07:00") are read
    here from the same markup it reads the day from, the first declared value winning.
    """
    import json

    tree = _parse(html) if isinstance(html, str) else html
    if tree is None:
        return None
    for value in tree.xpath(_TIME_XPATH):
        if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}T\d", value.strip()):
            return value.strip()
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for item in _json_ld_items(data):
            value = item.get("datePublished")
            if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}T\d", value.strip()):
                return value.strip()
    return None


def _json_ld_items(data: object) -> list[dict[str, object]]:
    """The objects of a JSON-LD block (a list, an ``@graph`` or one object)."""
    if isinstance(data, list):
        return [x for item in data for x in _json_ld_items(item)]
    if isinstance(data, dict):
        graph = data.get("@graph")
        return [data, *(_json_ld_items(graph) if graph else [])]
    return []


def byline_lines(html: str | HtmlElement | None, limit: int = 12) -> list[str]:
    """Short text blocks of elements whose class says byline/author/editor/meta."""
    tree = _parse(html) if isinstance(html, str) else html
    if tree is None:
        return []
    out: list[str] = []
    for element in tree.xpath(_BYLINE_XPATH):
        if not _BYLINE_CLASS.search(str(element.get("class", ""))):
            continue
        text = " ".join(element.text_content().split())
        if text and len(text.split()) <= 20 and text not in out:
            out.append(text)
        if len(out) >= limit:
            break
    return out
