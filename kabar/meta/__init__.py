"""Meta: what an article is (language), who published it (outlet, author, wire, dateline)
and when, plus the date of every sentence that reports a dated happening.

Publication dates come from metadata first, then from explicit stamps in the text (a
byline stamp, "Dilansir Reuters, Kamis (20/6/2024)"), and only then are inferred from the
latest full date in the body; related-news blocks were removed by ``clean`` before any of
this, so their dates ("6 jam lalu", "29 April 2024") never count.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import date, timedelta
from urllib.parse import urlsplit

from kabar.alternation import lowers_plainly, trie_alternation
from kabar.errors import InputError
from kabar.meta.kind import article_kind
from kabar.meta.provenance import (
    OUTLETS,
    iso_time,
    outlet_from_site_name,
    outlet_from_template,
    outlet_from_url,
    person_name,
    stamp_time,
    strip_site_from_title,
)
from kabar.meta.time import (
    calendar_value,
    event_date,
    explicit_dates,
    find_times,
    latest_today,
    parse_date,
    years_mentioned,
)
from kabar.model import Article, CleanText, Granularity, RawArticle, Sentence
from kabar.text import HAS_WEB_ENDING, split_sentences

WIRES = {
    "reuters": "Reuters", "afp": "AFP", "agence france-presse": "AFP", "ap": "AP",
    "associated press": "AP", "antara": "Antara", "tass": "TASS", "xinhua": "Xinhua",
    "bernama": "Bernama", "kyodo": "Kyodo", "yonhap": "Yonhap", "dpa": "dpa", "efe": "EFE",
    "ansa": "ANSA", "bloomberg": "Bloomberg", "sputnik": "Sputnik", "ria novosti": "RIA Novosti",
    "vna": "VNA", "vietnam news agency": "VNA", "pti": "PTI", "the associated press": "AP",
}  # fmt: skip

_WIRE_NAMES = "|".join(sorted((re.escape(k) for k in WIRES if k != "ap"), key=len, reverse=True))


def _wire_cued(capital: str) -> str:
    """The cue, a few words, the agency ("Dilansir Reuters", "according to the Associated
    Press"); ``capital``: the class of the letter after "lapor", "told" …"""
    return (
        rf"\b(?:dilansir|melansir|dikutip\s+dari|mengutip|sumber\s*:|source\s*:|according\s+to|reported\s+by|kantor\s+berita"
        rf"|(?:seperti\s+)?(?:dilaporkan|diberitakan)|(?:lapor|tulis|told|kepada)(?=\s+(?:the\s+)?{capital}))"
        rf"(?:\s+[\w'’.,-]+){{0,4}}?\s+(?P<name>{_WIRE_NAMES})\b"
    )


def _wire_verb(ap: str) -> str:
    """The agency as the subject of a reporting verb: "the Associated Press reported", "AFP
    melaporkan"; ``ap``: how "AP" is read (in capitals only: "ap" is a word)."""
    return (
        rf"\b(?P<name>{_WIRE_NAMES}|{ap})\s+"
        r"(?:reported|reports|said|melaporkan|memberitakan|mengabarkan)\b"
    )


_WIRE_CUED = re.compile(_wire_cued("[A-Z]"), re.IGNORECASE)
_WIRE_VERB = re.compile(_wire_verb("(?-i:AP)"), re.IGNORECASE)
_WIRE_CUED_LOWER = re.compile(_wire_cued("[a-z]"))
_WIRE_VERB_LOWER = re.compile(_wire_verb("ap"))
"""Their case-sensitive twins over the lowercased text, where
:func:`~kabar.alternation.lowers_plainly`: the same matches (the verb's "ap" checked in the
text), read twice as fast."""
_WIRE_PAREN = re.compile(rf"\((?P<name>{_WIRE_NAMES}|AP)\)", re.IGNORECASE)
_WIRE_SIGNOFF = re.compile(rf"(?:^|/)(?P<name>{_WIRE_NAMES}|AP)(?=/|$|\W)", re.IGNORECASE)

_EDITOR = re.compile(r"\bEditor\s*:\s*(?P<name>[^|]+)")
_AUTHOR = re.compile(
    r"\b(?:Penulis|Reporter|Writer|Pewarta|Oleh|By)\s*:?\s+(?P<name>[A-Z][\w.' -]{2,60})$"
)
# Wire credits closing an English story: "(Reporting by Tom Bergin; Editing by Cynthia Osterman)".
_CREDIT_REPORTING = re.compile(
    r"\((?:Additional\s+)?(?:Reporting|Writing)\s+by\s+(?P<name>[^;,)]+?)\s*(?:[;,)]|\band\b)"
)
_CREDIT_EDITING = re.compile(r"\bEdit(?:ing|ed)\s+by\s+(?P<name>[^;,)]+?)\s*(?:[;,)]|\band\b)")
# Antara's footer, often flattened onto one line: "Pewarta: Nur Imansyah Editor: Agus Salim
# COPYRIGHT © ANTARA 2024".
_FOOTER_CREDITS = re.compile(
    r"\bPewarta\s*:?\s*(?P<author>[A-Z][\w.' -]{2,60}?)\s*Editor\s*:?\s*(?P<editor>[A-Z][\w.' -]{2,60}?)"
    r"\s*(?:COPYRIGHT|Copyright|©|$)"
)
_VERIFIED_WRITER = re.compile(r"Verified Writer\s+(?P<name>[A-Z][\w.' -]{2,60})$")
_ATTRIBUTION_STAMP = re.compile(
    r"\b(?:dilansir|melansir|dikutip\s+dari|mengutip|seperti\s+dilansir)\b[^,.]{1,60},\s*(?P<stamp>[^,]{6,40}\d{4}\)?)",
    re.IGNORECASE,
)


def annotate(article: Article, raw: RawArticle, cleaned: CleanText) -> Article:
    """The article with language, outlet, people, dateline, wires, dates and dated sentences."""
    body = article.body
    outlet, place = _outlet_and_place(raw, cleaned)
    editor, author = _editor_and_author(raw, cleaned)
    published, how = publication_date(raw, cleaned)
    anchor = published
    lower_year = max((y for y in years_mentioned(body) if y <= 2100), default=None)
    if anchor is None:
        # No stamp: the latest "today"-type stamp of the body ("Selasa (26/3/2024)") is
        # the publication day, marked "inferred"; without one the date stays unknown.
        anchor = not_after_source(latest_today(article.paragraphs, lower_year), lower_year)
        if anchor is not None and not plausible_publication(anchor):
            anchor = None
        if anchor is not None:
            published, how = anchor, "inferred"
    sentences = date_sentences(
        article.paragraphs, anchor, lower_year, anchor_confidence=0.9 if how != "inferred" else 0.7
    )
    wires = wire_sources(cleaned, body)
    declared_author = (raw.author or cleaned.html_meta.get("author") or "").strip().lower()
    if declared_author in WIRES and WIRES[declared_author] not in wires:
        wires.append(WIRES[declared_author])  # a byline "Reuters" is a wire credit, not a person
    site_names = [outlet or "", cleaned.html_meta.get("sitename", ""), raw.url or ""]
    title = strip_site_from_title(article.title, site_names) or article.title
    return dataclasses.replace(
        article,
        title=title,
        outlet=outlet,
        dateline=place,
        author=author,
        editor=editor,
        wire_sources=wires,
        published_time=publication_time(published, how, raw, cleaned),
        published=published.isoformat() if published else None,
        published_from=how,
        language=detect_language(body),
        sentences=sentences,
        kind=article_kind(title, body),
    )


def date_sentences(
    paragraphs: list[str],
    anchor: date | None,
    lower_year: int | None,
    anchor_confidence: float = 0.9,
) -> list[Sentence]:
    """Every body sentence, with the date of what it reports when the text says it.

    Relative expressions count from ``anchor``; without one, from the nearest explicit
    full date before them in the article (confidence 0.6). A sentence with no time cue at
    all gets the date of the sentence before it as ``context_date`` (confidence 0.5 in the
    same paragraph; 0.4 across one, and then only a day or week: a background year does
    not carry over), never as its own ``date``.
    """
    out: list[Sentence] = []
    nearest: date | None = None  # latest explicit full date seen so far
    context: tuple[str, Granularity, int] | None = None  # (value, granularity, paragraph)
    for index, paragraph in enumerate(paragraphs):
        for text in split_sentences(paragraph):
            times = find_times(text, anchor or nearest, lower_year)
            when = event_date(times)
            sentence = Sentence(text=text, paragraph=index)
            if when is not None:
                day_value = calendar_value(when)
                sentence.date, sentence.granularity = day_value, when.granularity
                sentence.date_text = when.text
                sentence.confidence = (
                    1.0 if not when.relative or _has_year(when.text)
                    else anchor_confidence if anchor is not None
                    else 0.6
                )  # fmt: skip
                context = (day_value, when.granularity, index)
                if when.granularity == "day" and (not when.relative or _has_year(when.text)):
                    nearest = date.fromisoformat(day_value)
            elif (
                not times
                and context is not None
                and (context[2] == index or context[1] in ("day", "week"))
            ):
                sentence.context_date, sentence.context_granularity = context[0], context[1]
                sentence.confidence = 0.5 if context[2] == index else 0.4
            out.append(sentence)
    return out


def not_after_source(day: date | None, latest_year: int | None) -> date | None:
    """A weekday-and-day stamp without a year ("Jumat 5 September") at most a year after the
    latest year the article names: the tagger takes the next year whose weekday matches,
    right for "Kamis (20/6)" in an article naming 2023 (2024), wrong for a 2019 article
    whose "Jumat 5 September" matches only in 2025. Further out, the article's year stands
    (the weekday is the likelier slip). Never after today: no crawl is from the future."""
    if day is None:
        return None
    if latest_year is not None and day.year > latest_year + 1:
        try:
            day = day.replace(year=latest_year)
        except ValueError:  # 29 February
            day = day.replace(year=latest_year, day=28)
    return day if day <= date.today() else None


def publication_time(
    day: date | None, how: str | None, raw: RawArticle, cleaned: CleanText
) -> str | None:
    """The publication date-time with its zone, from the page's declared time or a zoned
    stamp ("14:30 WIB") in the header; None when only the day is known."""
    if day is None or how == "inferred":
        return None
    for declared in (raw.published, cleaned.html_meta.get("published_time")):
        value = iso_time(declared)
        if value and value.startswith(day.isoformat()) and value[10:11] == "T":
            return value
    for line in cleaned.header:
        if day in explicit_dates(line):
            value = stamp_time(day.isoformat(), line)
            if value:
                return value
    return None


def _has_year(text: str) -> bool:
    return re.search(r"(?:1[89]|20)\d{2}|/\d{2}\)", text) is not None


EARLIEST_PUBLICATION = date(1900, 1, 1)
"""No news article kabar reads was published before this; an earlier date is a typo or a
placeholder (0001-01-01), and it would anchor every relative date of the text."""


def plausible_publication(day: date, today: date | None = None) -> bool:
    """A publication date between 1900 and tomorrow (time zones): 9999-12-31 and
    0001-01-01 are placeholders, not dates, and relative words counted from them overflow."""
    latest = (today or date.today()) + timedelta(days=1)
    return EARLIEST_PUBLICATION <= day <= latest


def publication_date(raw: RawArticle, cleaned: CleanText) -> tuple[date | None, str | None]:
    """The publication date and how it is known: ``metadata`` or ``text`` (else unknown).

    A declared date outside :func:`plausible_publication` rejects the article (InputError:
    the caller said something false about it); an implausible date found in the page or
    the text is only ignored.
    """
    declared = parse_date(raw.published)
    if declared is not None and not plausible_publication(declared):
        raise InputError(
            raw.source,
            f"publication date {declared.isoformat()} is not plausible (1900 to tomorrow)",
            "fix or remove the 'published' field",
        )
    page = parse_date(cleaned.html_meta.get("date"))
    for found in (declared, page):
        if found is not None and plausible_publication(found):
            return found, "metadata"
    for line in cleaned.header:
        stamps = [d for d in explicit_dates(line) if plausible_publication(d)]
        if stamps:
            return stamps[0], "text"
    for paragraph in cleaned.paragraphs[:3]:
        for match in _ATTRIBUTION_STAMP.finditer(paragraph):
            stamps = [d for d in explicit_dates(match.group("stamp")) if plausible_publication(d)]
            if stamps:
                return stamps[0], "text"
    return None, None


LANGUAGES = ("id", "en", "ms", "jv")
"""The languages kabar tells apart; any other identified language is ``other``."""


def detect_language(text: str) -> str:
    """``id``, ``en``, ``ms``, ``jv``, ``other``, or ``und`` when there is too little text.

    py3langid's bundled model (no download) separates Indonesian from Malay and Javanese at
    article level; short snippets are left undetermined rather than guessed.
    """
    if len(text.strip()) < 20:
        return "und"
    from kabar.meta.language import classify

    # 2,000 characters (~300 words) decide id vs ms as well as 5,000 and cost 2.5x less.
    code = classify(text[:2000])  # py3langid's answer, its byte walk vectorised
    return code if code in LANGUAGES else "other"


def wire_sources(cleaned: CleanText, body: str) -> list[str]:
    """Agencies the article credits: "Dilansir Reuters", "Sumber: Reuters", "SB/AFP", "(AP)"."""
    found: list[str] = []
    texts = [*cleaned.header, body]
    for text in texts:
        for name in _wire_names(text):
            if _credited_name(name):
                found.append(WIRES[name.lower()])
    for extra in (cleaned.signoff, cleaned.dateline):
        if extra:
            for match in _WIRE_SIGNOFF.finditer(extra):
                if _credited_name(match.group("name")):  # a desk's initials "(kpl/vna)" are no wire
                    found.append(WIRES[match.group("name").lower()])
            for match in _WIRE_PAREN.finditer(extra):
                found.append(WIRES[match.group("name").lower()])
    return list(dict.fromkeys(found))


_WIRE_NAME = re.compile(trie_alternation(k for k in WIRES if k != "ap"))
"""A wire's name in lower case, anywhere ("ap" aside: the patterns read it in capitals)."""


def _wire_names(text: str) -> Iterator[str]:
    """The agencies' names as ``text`` writes them, found by :data:`_WIRE_CUED`, then
    :data:`_WIRE_VERB`, then :data:`_WIRE_PAREN`, each match in order.

    The cued and the verb patterns can match only where a wire's name (or "AP") is written,
    which the names' trie over the lowercased text tells quickly; their case-blind search,
    word by word over the whole body, was most of the stage's time, so they read the
    lowercased text through their case-sensitive twins where that gives the same matches."""
    lower = text.lower() if lowers_plainly(text) else None
    if lower is None or _WIRE_NAME.search(lower):
        yield from _cued_names(text, lower)
        yield from _names(_WIRE_VERB, _WIRE_VERB_LOWER, text, lower)
    elif "AP" in text:
        yield from _names(_WIRE_VERB, _WIRE_VERB_LOWER, text, lower)
    for match in _WIRE_PAREN.finditer(text):
        yield match.group("name")


def _names(
    pattern: re.Pattern[str], lowered: re.Pattern[str], text: str, lower: str | None
) -> Iterator[str]:
    """The "name" group of each ``pattern.finditer(text)`` match; with ``lower`` (``text``
    lowercased, :func:`~kabar.alternation.lowers_plainly`) read by ``lowered``, its twin,
    and the names taken from ``text`` at the same offsets."""
    if lower is None:
        for match in pattern.finditer(text):
            yield match.group("name")
        return
    pos = 0
    while (twin := lowered.search(lower, pos)) is not None:
        name = text[twin.start("name") : twin.end("name")]
        if twin.group("name") == "ap" and name != "AP":
            # Only "AP" reads "ap": ``pattern`` fails where this match starts, and finditer
            # goes on from the next character.
            pos = twin.start() + 1
            continue
        yield name
        pos = twin.end()


_CUE_WORD = re.compile(
    trie_alternation(
        "dilansir melansir dikutip mengutip sumber source according reported kantor seperti"
        " dilaporkan diberitakan lapor tulis told kepada".split()
    )
)
"""The words a :data:`_WIRE_CUED` match opens with, one for each of its branches."""


def _cued_names(text: str, lower: str | None) -> Iterator[str]:
    """:data:`_WIRE_CUED`'s names, as :func:`_names` finds them, its twin tried only where a
    cue word starts: every match opens with one, at a word boundary, and the scan for them
    (a character set first, where the pattern's leading ``\\b`` makes ``re`` try every
    character) misses none there: one hidden inside another found would start between two
    letters."""
    if lower is None:
        yield from _names(_WIRE_CUED, _WIRE_CUED_LOWER, text, lower)
        return
    end = 0
    for cue in _CUE_WORD.finditer(lower):
        twin = _WIRE_CUED_LOWER.match(lower, cue.start()) if cue.start() >= end else None
        if twin is not None:
            yield text[twin.start("name") : twin.end("name")]
            end = twin.end()


def _credited_name(name: str) -> bool:
    """Agencies are written capitalised; "bernama" (named) and "antara" (between) are words."""
    return not name.islower()


def _outlet_and_place(raw: RawArticle, cleaned: CleanText) -> tuple[str | None, str | None]:
    """Outlet from the scraper, then the page's URL through the table, then its declared
    site name, then the dateline, then the sign-off and template blocks of plain text."""
    url = raw.url or cleaned.html_meta.get("url")
    outlet = (
        raw.outlet
        or outlet_from_url(url, OUTLETS)
        or outlet_from_site_name(cleaned.html_meta.get("sitename"), OUTLETS)
    )
    if outlet is None and url and not url.startswith(("http://facebook", "https://facebook")):
        outlet = outlet_from_host(urlsplit(url).hostname or "")
    place = None
    if cleaned.dateline:
        in_text_outlet, place = parse_dateline(cleaned.dateline)
        outlet = outlet or in_text_outlet
        wire = _WIRE_PAREN.search(cleaned.dateline)
        if outlet is None and wire:
            # "HOUSTON (Reuters) -" with no other outlet named anywhere: the wire's own copy.
            name = WIRES[wire.group("name").lower()]
            outlet = _OUTLET_NAMES.get(name.lower(), name)
    if outlet is None:
        outlet = outlet_from_template(cleaned.signoff, cleaned.removed)
    return outlet, place


def outlet_from_host(host: str) -> str | None:
    host = host.lower().removeprefix("www.")
    for known, name in OUTLETS.items():
        if host == known or host.endswith("." + known):
            return name
    return host or None


_OUTLET_NAMES = {name.lower(): name for name in OUTLETS.values()}


def parse_dateline(dateline: str) -> tuple[str | None, str | None]:
    """(outlet, place) of a dateline: "TEMPO.CO, Moskow" → ("Tempo", "Moskow")."""
    outlet = place = None
    for piece in re.split(r"\s*,\s*|\s+[-–—]\s+", dateline):
        piece = re.sub(r"\(.*?\)", "", piece).strip(" .")
        if not piece:
            continue
        lowered = piece.lower()
        if lowered in _OUTLET_NAMES:  # "Jakarta, CNN Indonesia --"
            outlet = outlet or _OUTLET_NAMES[lowered]
        elif HAS_WEB_ENDING.search(lowered) or re.search(
            r"\b(?:times|news|post|daily|tribun|kompas|detik|antara)\b", lowered
        ):
            outlet = outlet or _outlet_name(piece)
        elif re.fullmatch(
            r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+\d{1,2}", lowered
        ):
            continue  # "LONDON, June 20 (Reuters)": the day, not a place
        elif lowered not in WIRES and place is None:
            place = piece.title() if piece.isupper() else piece
    return outlet, place


def _outlet_name(piece: str) -> str:
    lowered = piece.lower()
    if lowered in OUTLETS:
        return OUTLETS[lowered]
    if piece.isupper() and "." in piece:
        # "TEMPO.CO", "KONTAN.CO.ID": the brand is the first label.
        known = outlet_from_host(lowered)
        return known if known and known != lowered else piece.split(".")[0].title()
    return piece


def _editor_and_author(raw: RawArticle, cleaned: CleanText) -> tuple[str | None, str | None]:
    author = person_name(
        raw.author or cleaned.html_meta.get("author"), _NEWS_ORGANISATIONS
    ) or person_name(cleaned.html_meta.get("portal_author"), _NEWS_ORGANISATIONS)
    editor = None
    lines = [*cleaned.header, *cleaned.removed]
    for line in lines:
        footer = _FOOTER_CREDITS.search(line)
        if footer:
            author = author or person_name(footer.group("author"), _NEWS_ORGANISATIONS)
            editor = person_name(footer.group("editor"), _NEWS_ORGANISATIONS)
            if author and editor:
                return editor, author
    for index, line in enumerate(lines):
        match = _EDITOR.search(line)
        if match:
            editor = editor or match.group("name").strip()
        elif line.strip().lower() == "editor" and index + 1 < len(lines):
            editor = editor or lines[index + 1].strip()
        match = _CREDIT_EDITING.search(line)
        if match:
            editor = editor or match.group("name").strip()
        match = (
            _VERIFIED_WRITER.search(line) or _AUTHOR.search(line) or _CREDIT_REPORTING.search(line)
        )
        if match and author is None:
            author = person_name(match.group("name").strip(), _NEWS_ORGANISATIONS)
    editor = person_name(editor, _NEWS_ORGANISATIONS)
    if author is None:  # a byline that is only a name, unless it is the editor's
        named = person_name(cleaned.html_meta.get("byline_name"), _NEWS_ORGANISATIONS)
        if named and named != editor:
            author = named
    return editor, author


_NEWS_ORGANISATIONS = frozenset(
    {name.lower() for name in (*WIRES, *WIRES.values(), *OUTLETS.values())}
    | {host.split(".")[0] for host in OUTLETS}
    | {"bbc news", "bbc world service", "cnn", "vietnam news"}
)


def is_news_organisation(name: str) -> bool:
    """Whether an entity is a news outlet or agency: the messenger, not the subject.

    Stories must not be linked by "BBC" or "Reuters" appearing in both: every article of
    an outlet names it.
    """
    return name.lower() in _NEWS_ORGANISATIONS
