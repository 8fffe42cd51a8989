"""Clean: separate the news from what a scraper drags along with it.

Plain text goes through a line classifier built on what a news reader sees: the dateline
that opens the story (lines above it are bylines, stamps and captions), cue phrases of
Indonesian and English boilerplate ("Baca Juga", "Berita Terkini", "Advertising"), blocks
that end the story (related-news lists, author boxes, "Topik:"), caption shapes (a photo
credit on the next line, "(Twitter.com/...)"), and sentence shape (a news line has words and
ends like a sentence). HTML goes through trafilatura first, then the same pass.

Written by hand because no maintained library knows these Indonesian cues; jusText and
trafilatura work on HTML structure, which plain-text crawls have lost.
"""

from __future__ import annotations

import re

from kabar.model import CleanText, RawArticle
from kabar.text import normalize

# A dateline opens the first paragraph: "HANOI -", "TEMPO.CO, Moskow –", "Jakarta, IDN Times -",
# "KONTAN.CO.ID - HANOI.", "LONDON, June 20 (Reuters) -", "WASHINGTON (AP) —".
DATELINE = re.compile(
    r"""^(?P<prefix>
        (?:[A-Z][\w.'&]*(?:[ ][\w.'&()]+){0,4}[ ]?,[ ]?)?      # place or outlet, comma
        [A-Za-z][\w.'&]*(?:[ ][\w.'&()/]+){0,4}                  # outlet, place or wire
        (?:[ ]?[-–—][ ]?[A-Z][A-Z .]{2,30}\.)?                   # KONTAN.CO.ID - HANOI.
    )[ ]?[-–—][ ]+(?=["“]?[A-Z0-9])""",
    re.VERBOSE,
)
_DATELINE_PREFIX_OK = re.compile(
    r"^[^a-z]*$|\.(?:CO|COM|ID|NET)\b|\b(?:Times|News|Post|Reuters|AP|AFP|Antara|ANTARA)\b|,|\.[a-z]{2,4}\b"
)

# Lines that are boilerplate wherever they appear.
LINE_CUES = re.compile(
    r"""^(?:
        baca(?:[ ]juga)?\b.*|lihat[ ]juga\b.*|simak(?:[ ]juga)?\b.*|pilihan[ ]editor\b.*
        |read[ ](?:more|also)\b.*|also[ ]read\b.*|related\b.*:.*|see[ ]also\b.*
        |advertising|advertisement|iklan|ads|sponsored|scroll[ ]to[ ]continue.*
        |foto\b\s*:.*|photo\s*:.*|image\s*:.*|video\s*:.*|(?:ilustrasi|illustration)\b.*:.*
        |editor\b.*|penulis\b.*|reporter\b\s*:.*|writer\b\s*:.*|redaktur\b.*|sumber\b\s*:.*
        |source\s*:.*|copyright\b.*|©.*|hak[ ]cipta\b.*|all[ ]rights[ ]reserved.*
        |share(?:[ ]this)?\b.*|bagikan\b.*|follow[ ]us\b.*|ikuti\b.*(?:kami|google[ ]news|whatsapp|instagram).*
        |dapatkan[ ]update\b.*|download\b.*aplikasi.*|klik[ ]di(?:[ ]sini)?\b.*|click[ ]here\b.*
        |tonton\b.*|watch\b.*video.*|listen\b.*|dengarkan\b.*|social[ ]header|comments?|komentar
        |\d+[ ](?:detik|menit|jam|hari|minggu|pekan|bulan|tahun)[ ]lalu
        |\d+[ ](?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)[ ]ago
    )$""",
    re.VERBOSE | re.IGNORECASE,
)

# Lines after which nothing is news: related lists, topic tags, author boxes, disclaimers.
TAIL_CUES = re.compile(
    r"""^(?:
        berita[ ](?:terkait|terkini|trending|populer|terpopuler|lainnya|pilihan|rekomendasi)\b.*
        |artikel[ ](?:terkait|lainnya|pilihan)\b.*|terpopuler|rekomendasi\b.*|topik\b\s*:?.*
        |tag(?:s)?\s*:.*|related[ ](?:news|articles|stories|coverage)\b.*|more[ ](?:from|on|news)\b.*
        |most[ ](?:read|popular|viewed)\b.*|trending\b.*|you[ ]may[ ]also[ ]like.*|recommended\b.*
        |.*\bverified[ ]writer\b.*|.*\badalah[ ]media[ ]yang[ ]menyediakan[ ]platform\b.*
    )$""",
    re.VERBOSE | re.IGNORECASE,
)

# A photo credit glued to the dateline that follows it: "Foto: AFP/Kristina KormilitsynaHANOI -".
_GLUED_CREDIT = re.compile(
    r"^((?:Foto|Photo|FOTO)\s*:.*?[a-z)])([A-Z]{3,}(?:[ ][A-Z]{3,})*[ ]?[-–—][ ])"
)
_CAPTION_CREDIT = re.compile(
    r"\((?:[^()]*\.(?:com|co\.id|id|org)/[^()]*|(?:ANTARA|AFP|AP|Reuters|Getty|EPA|Foto|Photo|Dok)[^()]{0,60})\)\s*$",
    re.IGNORECASE,
)
_PLACE_AFTER_OUTLET = re.compile(r"^([A-Z]{3,}(?:[ ][A-Z]{2,})*)\.[ ]+(?=[A-Z\"“])")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}[.)][ ]+\S")
_SIGNOFF = re.compile(
    r"""(?:\s*\((?:red|ant|ant/|rls|adv|\*)[^()]{0,12}\)        # (red.J), (ant), (*)
        |\s+[A-Z]{1,4}(?:/[A-Z]{2,8})+(?:/[A-Z]{1,3}-?\d*)?      # SB/AFP/I-1
    )\s*$""",
    re.VERBOSE,
)
_SENTENCE_SHAPE = re.compile(r"[.!?\"”’)]\s*$")


def clean(raw: RawArticle) -> CleanText:
    """Title, news paragraphs and the removed lines of a raw article (text or HTML)."""
    html_meta: dict[str, str] = {}
    text = raw.text
    if raw.html and not text.strip():
        text, html_meta = extract_html(raw.html, raw.url)
    result = clean_text(text, title_hint=raw.title or html_meta.get("title"))
    result.html_meta = html_meta
    return result


def extract_html(html: str, url: str | None = None) -> tuple[str, dict[str, str]]:
    """Main text and declared metadata of a page, via trafilatura (htmldate finds the date)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=False,
        deduplicate=True,
    )
    if document is None:
        return "", {}
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    meta = {
        key: str(data[key])
        for key in ("title", "date", "author", "sitename", "url", "hostname")
        if data.get(key)
    }
    body = str(data.get("text") or "")
    # trafilatura repeats the <h1> as the first line; the title is kept apart.
    title = meta.get("title")
    if title and body.startswith(title):
        body = body[len(title) :].lstrip("\n")
    return body, meta


def clean_text(text: str, title_hint: str | None = None) -> CleanText:
    """The line classifier for plain text (see the module docstring)."""
    lines = _split_glued(line for line in normalize(text).split("\n") if line)
    title = title_hint.strip() if title_hint else None
    start = 0
    if title is None and lines and _is_title_shaped(lines[0]):
        title, start = lines[0], 1
    elif title is not None and lines and lines[0].strip() == title:
        start = 1

    header: list[str] = []
    removed: list[str] = []
    dateline_at = _find_dateline(lines, start)
    if dateline_at is not None:
        header = lines[start:dateline_at]
        start = dateline_at

    paragraphs: list[str] = []
    dateline: str | None = None
    tail = False
    for index in range(start, len(lines)):
        line = lines[index]
        if tail:
            removed.append(line)
            continue
        if TAIL_CUES.match(line):
            tail = True
            removed.append(line)
            continue
        if index == dateline_at:
            match = DATELINE.match(line)
            if match:
                dateline = match.group("prefix").strip()
                line = line[match.end() :]
                place = _PLACE_AFTER_OUTLET.match(line)  # "KONTAN.CO.ID - HANOI. Media ..."
                if place:
                    dateline += " - " + place.group(1)
                    line = line[place.end() :]
        if title and line.startswith(title) and line != title:
            removed.append(line)  # a repeated headline with a caption glued to it
            continue
        if _is_boilerplate(line, lines[index + 1] if index + 1 < len(lines) else "", title):
            removed.append(line)
            continue
        paragraphs.append(line)

    signoff = None
    if paragraphs:
        match = _SIGNOFF.search(paragraphs[-1])
        if match:
            signoff = match.group(0).strip()
            paragraphs[-1] = paragraphs[-1][: match.start()].rstrip()
    if title is None and paragraphs:
        title = _title_from_lede(paragraphs[0])
    return CleanText(
        title=title,
        paragraphs=[p for p in paragraphs if p],
        removed=removed,
        header=header,
        dateline=dateline,
        signoff=signoff,
    )


def _split_glued(lines: object) -> list[str]:
    out: list[str] = []
    for line in lines:  # type: ignore[attr-defined]
        match = _GLUED_CREDIT.match(line)
        if match:
            out.append(match.group(1))
            out.append(line[match.end(1) :])
        else:
            out.append(line)
    return out


def _find_dateline(lines: list[str], start: int) -> int | None:
    """Index of the line that opens the story with a dateline, if one is near the top."""
    window = lines[start : start + max(8, len(lines) // 2)]
    for offset, line in enumerate(window):
        match = DATELINE.match(line)
        if (
            match
            and len(match.group("prefix")) <= 60
            and _DATELINE_PREFIX_OK.search(match.group("prefix"))
        ):
            return start + offset
    return None


def _is_title_shaped(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 25
        and not line.rstrip().endswith((".", ",", ";", ":"))
        and not LINE_CUES.match(line)
        and not DATELINE.match(line)
        and "|" not in line
    )


def _is_boilerplate(line: str, next_line: str, title: str | None) -> bool:
    if LINE_CUES.match(line):
        return True
    if title and line.strip() == title:
        return True
    if re.match(r"^(?:Foto|Photo|FOTO)\s*:\s*\S", next_line):
        return True  # the caption above a photo credit
    if _CAPTION_CREDIT.search(line):
        return True
    if _NUMBERED_HEADING.match(line) and not _SENTENCE_SHAPE.search(line):
        return True
    words = line.split()
    if len(words) < 6 and not _SENTENCE_SHAPE.search(line):
        return True  # headings, names, labels, list bullets
    return bool(line.lstrip().startswith(("•", "·", "»", "►", "|")))


def _title_from_lede(paragraph: str, max_words: int = 14) -> str:
    words = paragraph.split()
    title = " ".join(words[:max_words]).rstrip(",;:")
    return title + ("…" if len(words) > max_words else "")
