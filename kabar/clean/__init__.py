"""Clean: separate the news from what a scraper drags along with it.

Plain text goes through a line classifier built on what a news reader sees (jusText-style
features, computed per line in :class:`LineFeatures`): the dateline that opens the story
(lines above it are bylines, stamps and captions), cue phrases of Indonesian and English
boilerplate ("Baca Juga", "Berita Terkini", "Advertising"), blocks that end the story
(related-news lists, author boxes, "Topik:", "(Reporting by …)"), caption shapes (a photo
credit on the next line, "(Twitter.com/...)", "May 23: …"), short title-like lines that
repeat or come in link-list runs, and sentence shape with stop-word density (a news line has
function words and ends like a sentence). HTML goes through trafilatura first (see
:mod:`kabar.clean.html`), then the same pass.

Hand-written rules rather than a trained model: no labelled Indonesian boilerplate corpus
exists to train on, and every rule here is a cue a reader can check in the removed lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import islice

from kabar.alternation import may_contain, trie_alternation
from kabar.clean.cues import (
    BLOG_SIGNOFF,
    CAPTION_CREDIT,
    COMMENT_HEADER,
    COMMENT_MARKER,
    CREDIT_LINE,
    DASH_ITEM,
    DATED_CAPTION,
    DATELINE,
    DATELINE_GLUED,
    DATELINE_PREFIX_OK,
    DESK_SIGNOFF,
    GLUED_CREDIT,
    GLUED_NOTE,
    GLUED_PHOTO,
    GLUED_READ_ALSO,
    GLUED_STAMP,
    ITEM_SKELETON,
    LINE_CUES,
    NAME_SIGNOFF,
    NOT_SPEAKERS,
    NUMBERED_HEADING,
    PLACE_AFTER_OUTLET,
    SCRAPE_CHROME,
    SENTENCE_SHAPE,
    SIGNOFF,
    SPEAKER_LABEL,
    dateline_words_ok,
    is_page_chrome,
    is_tail_cue,
)
from kabar.clean.html import extract_html
from kabar.model import CleanText, RawArticle
from kabar.text import normalize, split_sentences

__all__ = [
    "LineClassifier",
    "LineFeatures",
    "clean",
    "clean_text",
    "extract_html",
    "split_glued_caption",
]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Indonesian + English stop words from jusText's lists (bundled with trafilatura)."""
    import justext

    return frozenset(justext.get_stoplist("Indonesian") | justext.get_stoplist("English"))


@lru_cache(maxsize=1)
def english_stopwords() -> frozenset[str]:
    import justext

    return frozenset(justext.get_stoplist("English"))


# A caption glued to the sentence after it, as crawls of BBC pages have them: "Protests at
# BP's headquarters have been peaceful Earlier, one of the protesters said: …". The seam is a
# lowercase word followed by a capitalised English function word opening a lowercase phrase.
_SEAM = re.compile(r"(?<=[a-z][\"”’]|[a-z]{2})[ ]+(?P<opener>[A-Z][a-z]*)[ ,]+(?P<next>[a-z]\w*)")
_SENTENCE_END = re.compile(r"[.!?](?:[\"”’)]*)(?:\s|$)")


def split_glued_caption(line: str, min_caption_words: int = 5) -> tuple[str, str] | None:
    """(caption, sentence) when an unpunctuated caption is glued before a sentence, else None.

    Only the text before the line's first full stop is searched; the caption must be at least
    ``min_caption_words`` long, and the word before the seam must not be a function word
    ("told The Times" and "in The Hague" are not seams: "The" opens a name there).
    """
    end = _SENTENCE_END.search(line)
    if end is None or not _OPENER_SEAM.search(line, 0, end.start()):
        return None
    english = english_stopwords()
    for match in reversed(list(_SEAM.finditer(line, 0, end.start()))):
        if match.group("opener").lower() not in _OPENERS:
            continue
        caption = line[: match.start()].rstrip()
        before = caption.split()[-1].strip('"”’').lower()
        if before in english or len(caption.split()) < min_caption_words:
            continue
        if match.group("opener") in ("A", "An") and before in _LETTER_NAMED:
            continue  # "influenza A virus", "exhibit A for"
        if "," in line[match.end("opener") : match.start("next")] and (
            match.group("opener").lower() in _NOT_BEFORE_COMMA
        ):
            continue  # "vice-premier Liu He, could": a name; no sentence opens "He, could"
        if re.search(r"[.!?;]", caption):
            return None
        return caption, line[match.start("opener") :]
    return None


# Closed-class words that open an English sentence and are never part of a name before a
# lowercase word. Hand-written: jusText's frequency list holds "House", "City", "River".
_OPENERS = frozenset(
    """the a an he she it they we this these those there his her their its our but yet so
    after before earlier later meanwhile however when while although though since until
    some many most several one two three four five officials police""".split()
)
_OPENER_SEAM = re.compile(
    rf"[ ]{trie_alternation(word.capitalize() for word in _OPENERS)}[ ,]+[a-z]"
)
"""What a seam :func:`split_glued_caption` can take holds: a space, an opener (capitalised,
as ``_SEAM`` reads it), a space or a comma, a lowercase letter. Most lines have none, and
skip ``_SEAM``'s lookbehinds, tried at every character."""


# Openers that never stand alone before a comma at a sentence start (unlike "However,").
_NOT_BEFORE_COMMA = frozenset(
    "the a an he she it they we this these those there his her their its our".split()
)


# Nouns that take a letter as a name ("influenza A", "exhibit A", "Group A").
_LETTER_NAMED = frozenset(
    """influenza flu exhibit type vitamin hepatitis group class grade plan section article
    category division league pool series model level phase stage option annex appendix""".split()
)


@dataclass(frozen=True)
class LineFeatures:
    """What the classifier looks at in one line.

    The two word shares are read only for an unpunctuated line of several words (the last
    test of :meth:`LineClassifier.is_boilerplate`), a few lines in ten: they are worked out
    when first read, not for every line."""

    line: str = field(repr=False)
    words: int
    sentence_end: bool
    repeats: int
    """How often the same line occurs in the article (related items repeat their headline)."""
    cue: bool
    caption: bool
    bullet: bool

    @cached_property
    def stop_density(self) -> float:
        """Share of words that are stop words: prose ≈ 0.3–0.5, headlines and names ≈ 0–0.2."""
        stops = stopwords()
        # A list comprehension, not a generator, and the line lower-cased once (lower()
        # never adds or removes whitespace).
        hits = [w.strip("\"“”'’,.:;()") in stops for w in self.line.lower().split()]
        return sum(hits) / (self.words or 1)

    @cached_property
    def capitalised(self) -> float:
        """Share of words that start with a capital: high in headlines, menus and name lists."""
        return sum([w[:1].isupper() for w in self.line.split()]) / (self.words or 1)


class LineClassifier:
    """Content/boilerplate decision per line of plain article text.

    Parameters
    ----------
    min_words:
        Lines shorter than this that do not end like a sentence are headings, names or labels.
    headline_stop_density:
        A line without sentence ending whose stop-word density is below this, and that looks
        like a headline (mostly capitalised words), is a link or list item, not news.
    headline_capitalised:
        Share of capitalised words from which an unpunctuated line reads as a headline.
    max_repeated_words:
        A line that occurs more than once and is at most this long is a repeated list item.
    title_case:
        Share of capitalised words from which an unpunctuated line is Title Case, a headline
        whatever its stop words ("Trenggono Akui Ekosistem Budi Daya Lobster Belum Terbentuk").
    """

    def __init__(
        self,
        min_words: int = 6,
        headline_stop_density: float = 0.2,
        headline_capitalised: float = 0.5,
        max_repeated_words: int = 25,
        title_case: float = 0.8,
    ) -> None:
        self.min_words = min_words
        self.headline_stop_density = headline_stop_density
        self.headline_capitalised = headline_capitalised
        self.max_repeated_words = max_repeated_words
        self.title_case = title_case

    def features(self, line: str, next_line: str, counts: Counter[str]) -> LineFeatures:
        words = len(line.split())
        return LineFeatures(
            line=line,
            words=words,
            sentence_end=_sentence_shaped(line),
            repeats=counts[line.strip()],
            cue=bool(LINE_CUES.match(line) or is_page_chrome(line) or SCRAPE_CHROME.match(line)),
            caption=bool(
                CREDIT_LINE.match(next_line)
                or DATED_CAPTION.match(line)
                or (words < 40 and _closes_parenthesis(line) and CAPTION_CREDIT.search(line))
            ),
            bullet=line.lstrip().startswith(("•", "·", "»", "►", "|"))
            or bool(DASH_ITEM.match(line)),
        )

    def is_boilerplate(self, line: str, f: LineFeatures, title: str | None) -> bool:
        """The decision, from the strongest cue to the weakest."""
        if f.cue or f.caption or f.bullet:
            return True
        if title and line.strip() == title:
            return True
        if NUMBERED_HEADING.match(line) and not f.sentence_end:
            return True
        if f.sentence_end:
            return False  # a repeated sentence (a pull quote) is dropped after its first use
        if f.words < self.min_words:
            return True  # headings, names, labels, list bullets
        if f.repeats > 1 and f.words <= self.max_repeated_words:
            return True  # a related item's headline, printed twice
        # An unpunctuated line: news if it reads like prose, a link if it reads like a headline.
        return f.capitalised >= self.title_case or (
            f.stop_density < self.headline_stop_density
            and f.capitalised >= self.headline_capitalised
        )


DEFAULT = LineClassifier()


def clean(raw: RawArticle, classifier: LineClassifier | None = None) -> CleanText:
    """Title, news paragraphs and the removed lines of a raw article (text or HTML)."""
    html_meta: dict[str, str] = {}
    bylines: list[str] = []
    text = raw.text
    if raw.html and not text.strip():
        text, html_meta, bylines = extract_html(raw.html, raw.url)
    result = clean_text(text, title_hint=raw.title or html_meta.get("title"), classifier=classifier)
    result.html_meta = html_meta
    result.header = [*bylines, *(h for h in result.header if h not in bylines)]
    return result


def clean_text(
    text: str, title_hint: str | None = None, classifier: LineClassifier | None = None
) -> CleanText:
    """The line classifier for plain text (see the module docstring)."""
    classifier = classifier or DEFAULT
    lines = join_cut_lines(_split_glued(line for line in normalize(text).split("\n") if line))
    lines, thread = cut_comment_thread(lines)
    lines, spoken = drop_speaker_lines(lines)
    lines = [piece for line in lines for piece in split_read_also(line)]
    lines = [piece.strip() for line in lines for piece in _glued_note_split(line) if piece.strip()]
    if sum(len(line) >= 200 for line in lines) == 1:  # the whole story came as one line
        lines = [piece for line in lines for piece in split_long_line(line)]
    elif any(len(line) >= LONG_LINE for line in lines):  # several stories glued, or a dump
        lines = [
            piece
            for line in lines
            for piece in (split_long_line(line) if len(line) >= LONG_LINE else [line])
        ]
    title = title_hint.strip() if title_hint else None
    start = 0
    if title is None and lines and _is_title_shaped(lines[0]):
        title, start = lines[0], 1
    elif title is not None and lines and lines[0].strip() == title:
        start = 1

    header: list[str] = []
    removed: list[str] = [*spoken, *thread]
    dateline_at = _find_dateline(lines, start)
    if dateline_at is not None:
        header = lines[start:dateline_at]
        start = dateline_at

    counts = Counter(line.strip() for line in lines)
    # One decision per line, in order: (text, keep, strong). "Strong" boilerplate is the
    # skeleton of a related-news item (a repeated headline, "6 jam lalu", "Baca Selengkapnya").
    decisions: list[tuple[str, bool, bool]] = []
    seen: set[str] = set()
    dateline: str | None = None
    tail = False
    for index in range(start, len(lines)):
        line = lines[index]
        if tail:
            decisions.append((line, False, True))
            continue
        if is_tail_cue(line):
            tail = True
            decisions.append((line, False, False))  # a heading: what follows is not news
            continue
        if index == dateline_at:
            match = DATELINE.match(line) or DATELINE_GLUED.match(line)
            if match:
                dateline = match.group("prefix").strip()
                line = line[match.end() :]
                place = PLACE_AFTER_OUTLET.match(line)  # "KONTAN.CO.ID - HANOI. Media ..."
                if place:
                    dateline += " - " + place.group(1)
                    line = line[place.end() :]
        if title and _headline_with_caption(line, title):
            decisions.append((line, False, False))  # the headline again, a caption glued on
            continue
        glued = split_glued_caption(line)
        if glued:
            decisions.append((glued[0], False, False))
            line = glued[1]
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        features = classifier.features(line, next_line, counts)
        strong = bool(ITEM_SKELETON.match(line)) or (
            features.repeats > 1
            and not features.sentence_end
            and not features.cue
            and features.words >= 3  # a repeated headline, not "Baca:" or "Advertising"
        )
        keep = not (classifier.is_boilerplate(line, features, title) or line in seen)
        decisions.append((line, keep, strong))
        if keep:
            seen.add(line)

    # A sentence between two pieces of item skeleton is the item's teaser, not news.
    for i in range(1, len(decisions) - 1):
        text, keep, _strong = decisions[i]
        if keep and decisions[i - 1][2] and decisions[i + 1][2]:
            decisions[i] = (text, False, False)
    paragraphs = [text for text, keep, _ in decisions if keep]
    removed.extend(text for text, keep, _ in decisions if not keep)

    signoff = None
    if paragraphs and NAME_SIGNOFF.match(paragraphs[-1]):
        signoff = paragraphs.pop()  # "(Arief Setyadi )": the editor's name closing the story
        removed.append(signoff)
    elif paragraphs:
        match = SIGNOFF.search(paragraphs[-1])
        if match:
            signoff = match.group(0).strip()
            paragraphs[-1] = paragraphs[-1][: match.start()].rstrip()
    if signoff is None:  # a desk sign-off line the cues removed: template evidence of the outlet
        signoff = next((line for line in reversed(removed) if DESK_SIGNOFF.match(line)), None)
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


# Markers that sign a comment after its text (the text before them is a reader's, too).
_SIGNATURE = re.compile(r"Posted\s?by|\|\s?(?:Report|Reply)")
_STRONG_HEADER = re.compile(
    r"^(?!(?:\d+\s)?(?:comments?|reader\scomments|your\scomments|readers'?\scomments)\s?:?\s?$)",
    re.IGNORECASE,
)


def cut_comment_thread(lines: list[str], lookback: int = 80) -> tuple[list[str], list[str]]:
    """(story lines, comment-thread lines): a page's reader comments are cut from the first
    comment marker or thread header on (:data:`~kabar.clean.cues.COMMENT_MARKER`).

    A bare "Comments" heading opens the thread only if a comment marker follows it (a
    share bar at the top says "12 Comments" too). Where comments are signed after their
    text ("… Posted by : eye95 | July 19 , 2010 9:25 AM | Report abuse"), the first
    comment starts at the post's closing byline ("By Chris Cillizza | May 27 , 2010 ;
    2:08 PM ET") or the thread header, if one is found in the ``lookback`` lines above.
    """
    marker_at, marker = None, None
    for index, line in enumerate(lines):
        marker = COMMENT_MARKER.search(line) if _may_mark_comment(line) else None
        if marker:
            marker_at = index
            break
    header_at = None
    for index, line in enumerate(lines[: marker_at if marker_at is not None else len(lines)]):
        if COMMENT_HEADER.match(line) and (marker_at is not None or _STRONG_HEADER.match(line)):
            header_at = index
            break
    if marker_at is None and header_at is None:
        return lines, []
    if header_at is not None and (marker_at is None or marker_at - header_at <= lookback):
        return lines[:header_at], lines[header_at:]
    assert marker_at is not None and marker is not None
    line = lines[marker_at]
    if _SIGNATURE.match(marker.group(0)) or marker.group(0).startswith("|"):
        for index in range(marker_at, max(-1, marker_at - lookback), -1):
            signoff = BLOG_SIGNOFF.search(lines[index])
            if signoff:
                kept = lines[index][: signoff.start()].rstrip()
                return [*lines[:index], *([kept] if kept else [])], [
                    lines[index][signoff.start() :],
                    *lines[index + 1 :],
                ]
        return lines[:marker_at], lines[marker_at:]
    before = line[: marker.start()].rstrip()
    keep = [before] if before and SENTENCE_SHAPE.search(before) else []
    return [*lines[:marker_at], *keep], [
        line[len(keep[0]) if keep else 0 :].lstrip(),
        *lines[marker_at + 1 :],
    ]


def _may_mark_comment(line: str) -> bool:
    """Whether :data:`~kabar.clean.cues.COMMENT_MARKER` may match ``line``: false only when
    it cannot (every marker holds a colon, a bar or "Posted", and one of its branches' words,
    or opens the line with a small letter or a digit), so most lines, long ones included,
    skip the search."""
    if not (":" in line or "|" in line or "Posted" in line):
        return False
    first = line[:1]
    return (
        "a" <= first <= "z"
        or first.isdigit()
        or any(word in line for word in ("wrote", "GMT", "Posted", "Reply", "Report"))
    )


def drop_speaker_lines(lines: list[str], min_turns: int = 3) -> tuple[list[str], list[str]]:
    """(other lines, speaker lines): in a transcript ("Tim Hanson : We 're out of time .",
    "O'REILLY : OK , …"), the lines opened by a speaker's label are dialogue, not a report.

    A page is a transcript when one label opens at least ``min_turns`` lines; labels that
    are not people ("Photograph :", "Update :") never count.
    """
    labels: list[str | None] = []
    for line in lines:
        match = SPEAKER_LABEL.match(line)
        name = match.group("name") if match else None
        labels.append(name if name and name.lower().split()[0] not in NOT_SPEAKERS else None)
    counts = Counter(label for label in labels if label)
    if not counts or counts.most_common(1)[0][1] < min_turns:
        return lines, []
    kept = [line for line, label in zip(lines, labels, strict=True) if label is None]
    spoken = [line for line, label in zip(lines, labels, strict=True) if label is not None]
    return kept, spoken


_CONTINUES = re.compile(r"^(?:[a-z,.;:)?!]|\([a-z])")
_CUE_CUT = re.compile(
    r"[\"”]\s*,?\s*(?:kata|ujar|ucap|tutur|ungkap|jelas|tegas|terang|imbuh|tambah|said)"
    r"(?:\s+[A-Z][\w'’-]*){0,4}\s*$"
)
"""A quote's cue left open at the end of a line, maybe with a title ('"…," kata Kapolsek
Pasar Rebo' / 'AKP I Wayan Wijaya.'): the name after it was a link."""
_STARTS = re.compile(r"^(?:[-–—]\s+|[\"“‘])?[A-Z]")
"""A sentence's start: a capital, also after an opening quote mark ("“Di antaranya …") or
the dash that followed a dateline on its own line ("JAKARTA, KOMPAS.com" / "- Kepala …")."""
_OPEN_SENTENCE = re.compile(r"[^.!?:;\"”’)\]]$")
_CLOSING_MARKS = frozenset('.!?:;"”’)]')


def _open_sentence(line: str) -> bool:
    """Whether ``_OPEN_SENTENCE`` finds its mark (the line's last character, or a newline
    ending it), read without scanning the line."""
    return line != "" and line[-1] not in _CLOSING_MARKS


def _sentence_shaped(line: str) -> bool:
    """Whether ``SENTENCE_SHAPE`` matches ``line`` (its last character before trailing
    spaces ends a sentence), read without scanning the line."""
    stripped = line.rstrip()
    return stripped != "" and stripped[-1] in _SENTENCE_MARKS


_SENTENCE_MARKS = frozenset('.!?"”’)')


def _closes_parenthesis(line: str) -> bool:
    """What every ``CAPTION_CREDIT`` match ends the line with: ")" or ")." before spaces."""
    return line.rstrip().endswith((")", ")."))


def _glued_note_split(line: str) -> list[str]:
    """``GLUED_NOTE.split(line)``, the split skipped where none of its notes' words occur."""
    if not may_contain(line, ("artikel ini", "catatan redaksi", "ralat", "koreksi")):
        return [line]
    return GLUED_NOTE.split(line)


def join_cut_lines(lines: list[str], max_fragment_words: int = 6) -> list[str]:
    """Lines a scraper cut at inline links, joined back into their sentence.

    Kompas and Republika pages lose a line break at every link: "Pelatih Timnas Indonesia" /
    "Patrick Kluivert" / "percaya diri dengan …". A line that leaves its sentence open (no
    closing punctuation) and starts like a sentence is joined with what follows when the
    next line continues it (lower case or punctuation), also across short capitalised
    fragments (the linked names) on the way. A lower-case line alone is never the start of a
    join, and after a Title Case line (a related headline, or a lede cut right after its
    dateline) only a line of three words or more continues it: keyword tags ("timnas
    indonesia") stay apart."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        end = i
        while (
            ('"' in line or "”" in line)  # what _CUE_CUT needs, tested first
            and _CUE_CUT.search(line)
            and end + 1 < len(lines)
            and len(lines[end + 1].split()) <= max_fragment_words
            and lines[end + 1][:1].isupper()
        ):  # '"…," kata' / 'Kapolsek Pasar Rebo' / 'AKP I Wayan Wijaya.': a linked name
            end += 1
            line += " " + lines[end]
        if end > i:
            out.append(line)
            i = end + 1
            continue
        if (
            len(line.split()) >= 2
            and _STARTS.match(line)
            and _open_sentence(line)
            and not GLUED_READ_ALSO.match(line)
        ):
            end = i + 1
            while (
                end < len(lines)
                and end - i <= 4
                and not _CONTINUES.match(lines[end])
                and len(lines[end].split()) <= max_fragment_words
                and _open_sentence(lines[end])
                and lines[end][:1].isupper()
            ):
                end += 1  # a linked name between two pieces of the sentence
            words = line.split()
            headline = sum(w[:1].isupper() for w in words) >= 0.8 * len(words)
            if (
                end < len(lines)
                and _CONTINUES.match(lines[end])
                # after a Title Case line only prose continues it, not keyword tags
                and (not headline or len(lines[end].split()) >= 3 or lines[end][:1] in ",.;:)")
            ):
                while (
                    end + 1 < len(lines)
                    and _open_sentence(lines[end])
                    and (
                        _CONTINUES.match(lines[end + 1])
                        or (  # the sentence's last piece: "… saat Garuda dijamu" / "Jepang."
                            len(lines[end + 1].split()) <= max_fragment_words
                            and not _open_sentence(lines[end + 1])
                        )
                    )
                ):
                    end += 1
                pieces = lines[i : end + 1]
                joined = re.sub(r"^[-–—]\s+", "", pieces[0])
                for piece in pieces[1:]:
                    joined += piece if piece[:1] in ",.;:)?!" else " " + piece
                out.append(joined)
                i = end + 1
                continue
        out.append(line)
        i += 1
    return out


def _split_glued(lines: Iterable[str]) -> list[str]:
    """Split a photo credit or a wire stamp glued to the dateline that follows it."""
    out: list[str] = []
    for line in lines:
        match = GLUED_CREDIT.match(line) or GLUED_STAMP.match(line) or GLUED_PHOTO.match(line)
        if match:
            out.append(match.group(1))
            out.append(line[match.end(1) :].lstrip())
        else:
            out.append(line)
    return out


_NONSPACE = re.compile(r"\S+")


_READ_ALSO_MARKS = re.compile(r"[:>»\-–]")
"""The marks one of which every :data:`~kabar.clean.cues.GLUED_READ_ALSO` cue holds (a
colon, ">>", "»", a dash)."""


def split_read_also(line: str, max_headline_words: int = 20) -> list[str]:
    """A "Baca Juga:" cue glued inside a scraped line, cut out with its headline; the news
    before and after it stays ("… kata dia. Baca Juga: Jokowi Resmikan Tol Baru Presiden …").

    The headline is the Title Case run after the cue (at most ``max_headline_words``); the
    news resumes at the capitalised word that opens the first lowercase stretch, so the
    sentence keeps its first word ("Presiden Joko Widodo meresmikan" loses "Presiden Joko"
    only when the headline's Title Case runs into the name: a reader cannot tell either).
    A line that opens with the cue and has no news after it stays whole for the cue rules.
    """
    # every cue holds one of these marks: most lines skip the search
    match = GLUED_READ_ALSO.search(line) if _READ_ALSO_MARKS.search(line) else None
    if match is None:
        return [line]
    # One cue after another along the line, the news after each cue with its spaces made
    # single (``" ".join`` of its words) once, not again after every cue: that was quadratic
    # in a page dump with a cue every few thousand characters. ``text[offset:]`` is the part
    # still to read; only the headline's first words are split off it.
    pieces: list[str] = []
    text, offset = line, 0
    while True:
        before = text[offset : match.start()].strip()
        cue = match.group()
        if text is line:  # the first cue: the news after it, made single-spaced
            tail = " ".join(line[match.end() :].split())
            found = list(islice(_NONSPACE.finditer(tail), max_headline_words + 3))
        else:
            tail = text
            found = list(islice(_NONSPACE.finditer(text, match.end()), max_headline_words + 3))
        rest = [word.group() for word in found]
        cut = _headline_end(rest, max_headline_words)
        if cut is None:
            if not before:
                pieces.append(text[offset:])
            else:
                pieces += [before, text[match.start() :].strip()]
            break
        pieces += [before, " ".join([cue.strip(), *rest[:cut]])]
        text, offset = tail, found[cut].start()
        match = GLUED_READ_ALSO.search(text, offset)
        if match is None:
            pieces.append(text[offset:])
            break
    return [p for p in pieces if p]


_TITLE_LOWER = frozenset(
    "di ke dari dan yang untuk dengan atau pada dalam jadi vs of the and to in on for a an at by"
    " usai soal saat hingga jelang bagi akan tak bisa ini itu kini pun lagi masih sudah belum"
    " ada tapi karena setelah sebelum sejak demi agar oleh para sang si per jika".split()
)
# Words that open a news sentence before a comma: "Menurut Misbakhun, pabrik rokok …".
_PROSE_OPENERS = frozenset(
    "menurut sementara namun selain dalam pada saat meski kini hal sebelumnya adapun"
    " berdasarkan dengan untuk jika bahkan sedangkan setelah kemudian lalu".split()
)


def _headline_end(words: list[str], limit: int) -> int | None:
    """Index of the first word after a Title Case headline, or None if no news follows.

    A headline ends at its "?" or "!" before a capitalised word, or before the capitalised
    word that opens the first stretch of prose: two lower-case words in a row, one of them
    not a headline's small word ("… Rp97 Triliun Menurut Misbakhun, pabrik rokok skala …").
    """
    stretch = words[: limit + 3]
    bare = [w.strip("\"“”'‘’([") for w in stretch]
    for index, word in enumerate(bare[:-1]):
        if word[-1:] in "?!" and bare[index + 1][:1].isupper() and index >= 1:
            return index + 1
        following = bare[index + 1]
        if (
            index >= 2
            and word[:1].isupper()
            and word.lower() in _TITLE_LOWER
            and following[:1].islower()
            and following.lower() not in _TITLE_LOWER
        ):
            return index  # "… Bertampang Sangar Yang menarik, …": a headline writes "yang"
        if (
            word[:1].islower()
            and following[:1].islower()
            and not (word.lower() in _TITLE_LOWER and following.lower() in _TITLE_LOWER)
        ):
            start = next((j for j in range(index - 1, -1, -1) if bare[j][:1].isupper()), None)
            if start is None or start < 2:
                return None  # "Baca juga: berita lainnya" — no headline, not a glued line
            if start >= 3 and bare[start - 1].lower() in _PROSE_OPENERS:
                start -= 1
            return start
    return None


LONG_LINE = 10_000
"""A line this long is no paragraph (the longest of t17-dev and newsweek: 5,300 characters)
but several articles or a page dump run together: it is split into sentences, and a
"sentence" this long (no sentence ends at all) into pieces at spaces. Every later stage
reads a paragraph or a sentence at a time, some with work growing faster than its length
(mentions against mentions), so this keeps a 4 MB one-line article linear."""


def split_long_line(line: str, min_chars: int = 1000) -> list[str]:
    """A whole article that arrived as one line, split into its sentences so each is judged
    (and kept) on its own instead of the line being taken for one boilerplate block."""
    if len(line) < min_chars:
        return [line]
    sentences = split_sentences(line)
    if len(line) >= LONG_LINE:
        return [piece for s in sentences for piece in _cut_at_spaces(s, LONG_LINE)]
    return sentences if len(sentences) > 1 else [line]


def _cut_at_spaces(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most about ``limit`` characters, cut at spaces."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > 0 else start + limit
        pieces.append(text[start:cut].strip())
        start = cut
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _headline_with_caption(line: str, title: str, max_caption_words: int = 12) -> bool:
    """The headline repeated with a short caption glued on (IDN Times), not a lede the
    page's title was cut from."""
    if not line.startswith(title) or line == title:
        return False
    rest = line[len(title) :]
    glued = rest[:1].isupper() or bool(CAPTION_CREDIT.search(rest))
    return glued and len(rest.split()) <= max_caption_words


def _find_dateline(lines: list[str], start: int) -> int | None:
    """Index of the line that opens the story with a dateline, if one is near the top."""
    # Near the top only: deep in a long page "ASJ -- …" or "All right, well -- …" (a
    # transcript) look like datelines too, and everything above one becomes header.
    window = lines[start : start + 10]
    for offset, line in enumerate(window):
        match = DATELINE.match(line)
        if match is None and DATELINE_GLUED.match(line):
            return start + offset
        if (
            match
            and len(match.group("prefix")) <= 60
            and DATELINE_PREFIX_OK.search(match.group("prefix"))
            and dateline_words_ok(match.group("prefix"))
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


def _title_from_lede(paragraph: str, max_words: int = 14) -> str:
    words = paragraph.split()
    title = " ".join(words[:max_words]).rstrip(",;:")
    return title + ("…" if len(words) > max_words else "")
