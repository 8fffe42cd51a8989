"""What a reader sees of a story first: its title and its summary.

A story's *title* is a real headline that tells the story as it stands now: the one
closest to what its latest members (the last third, at least five) say, each outlet weighing
the same however many articles it runs (one outlet's thirty service pieces do not outvote
four outlets' reports), a headline losing half its weight for every two days it is older
than the story's latest article (down to a quarter: a story whose latest articles carry no
real headline still takes its best older one). A question weighs half: it names no news.

Its *summary* is two to four informative sentences from different outlets: the opening
sentences of the members (news states its point first), each scored by how central it is
among them (outlets weighing the same again) and how recent its article is, chosen
greedily so that no two say the same thing (maximal marginal relevance, Carbonell &
Goldstein 1998), then read in publication order. A sentence a reader cannot use never
qualifies, whatever its score: a date fragment ("Senin (16/09/2019)."), a caption or photo
credit, a byline, a list heading, a question, a teaser, a shouted banner, debris of a cut
dateline (", -"), or fewer than eight words beside its dates and times ("pukul 08.00 WIB,
Kamis (19/6) pagi" is no words; "3.500" is one). Only a story left with fewer than two
sentences takes a statement of five to seven words, or one that repeats a chosen one in
part, to make two. A one-article story has no other outlet to quote: its summary is its own
sentences, and none when it holds no statement (questions, a list, a broken scrape) rather
than a fragment. A dateline that the cleaner left at the start of a lede ("Liputan6.com,
Jakarta -") is cut from the shown sentence, and words the scrape ran together around a link
("dariBank NTT") are parted.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kabar.meta.time import find_times
from kabar.model import Article, TimelineEntry
from kabar.text import DOMAIN, WEB_ENDING, content_stems

MIN_TITLE_WORDS = 5
"""A headline shorter than this names a topic ("Update Gempa"), not a story."""
MIN_SUMMARY_WORDS = 8
"""A summary sentence shorter than this rarely says who did what (fixed a priori)."""
MIN_SHORT_WORDS = 5
"""A shorter statement ("Kontrak Partey berakhir pada 30 Juni 2025.") may stand in a summary
only when the story has fewer than two longer ones: the issue's floor, a title's too."""
MAX_SUMMARY_WORDS = 60
TITLE_HALF_LIFE = 2.0
"""Days after which a headline weighs half as much as one of the story's latest day: the
title tells the story as it stands now (fixed a priori: news moves by the day)."""
LEDE_SENTENCES = 3
"""How many opening sentences of each member may enter the summary."""

_DOMAIN = rf"(?=[A-Za-z]){DOMAIN}"  # opening with a letter
_PLACE = r"[A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*){0,2}"
_DATELINE = re.compile(
    rf"^\s*(?:{_DOMAIN}\s*,\s*{_PLACE}|{_PLACE}\s*,\s*{_DOMAIN}|{_DOMAIN}|[A-Z]{{3,}}(?:\s+[A-Z]{{3,}})?)"
    r"\s*(?:[-–—]+|:)\s*(?=[\"“'‘A-Z0-9])"
)
"""A dateline left at the start of a lede: "Liputan6.com, Jakarta -", "JAKARTA, KOMPAS.com -",
"KOMPAS.com -", "TRIBUN-MEDAN.com - ", "JAKARTA–"."""
_DATELINE_LEFT = re.compile(rf"^\s*{_DOMAIN}\b|^\s*[A-Z]{{4,}}\s*(?:,|[-–—]+\s)")
"""A dateline glued to the sentence ("Liputan6.com, JakartaPTKedoya") or before a
lower-case word ("JAKARTA- realme GT 7"): not cut cleanly."""
_DEBRIS = re.compile(r"^\W*[,;)\]-]|\s[,;]\s*[-–—]|^\W*$")
_GLUED = re.compile(r"[a-z]{2}[.!?][\"“”]?[A-Z][a-z]{2}|\d{4}\.[A-Z]")
"""Two sentences the page ran together ("18 Juni 2025.Harga minyak"): not one statement."""
_CAPTION = re.compile(
    r"\b(?:Foto|Photo|Ilustrasi|Dok(?:umentasi)?|Sumber|Source|Credit|Kredit|Grafis|Video)\s*[:/]"
    r"|\((?:Foto|Dok|Istimewa|Ist|ANTARA|Reuters|AP|AFP|Getty|Instagram|Twitter|X)\b[^)]*\)\s*$"
    r"|/\s*(?:Istimewa|ANTARA|Getty Images|Reuters|AFP)\b|\bANTARA FOTO\b|\bGetty Images\b"
    rf"|\b[\w-]+\.{WEB_ENDING}/[A-Z]",
    re.IGNORECASE,
)
"""A photo credit ("Foto: ANTARA/…", "(Dok. Istimewa)", "Tribunnews.com/Nurkhasanah") or a
pointer to a web page. The last branch's "/[A-Z]" is case-blind like the rest (IGNORECASE), so
it reads any web address followed by a path, not only a credit's name: a sentence sending the
reader to a page ("Isi data diri di dtk.id/daftar") is service text, not a summary sentence."""
_BYLINE = re.compile(
    r"^\s*(?:Penulis|Editor|Reporter|Pewarta|Kontributor|Laporan|Writer|By|Oleh|Baca(?:\s+juga)?|"
    r"Simak|Saksikan|Tonton|Lihat(?:\s+juga)?|Klik|Download|Unduh|Follow|Ikuti|Cek|Dapatkan|"
    r"Berikut|Inilah|Ini\s+dia|Update|ADVERTISEMENT|Scroll|Artikel\s+ini|Related|Read\s+more|"
    r"Watch|Subscribe|Sign\s+up|Copyright)\b",
    re.IGNORECASE,
)
_SERVICE = re.compile(
    r"\b(?:Anda|kamu|kalian|Kawan|Sahabat|Tribunners|Moms|Bunda|Ladies)\b|\b(?:you|your)\b",
    re.IGNORECASE,
)
"""Addressing the reader: a service piece or a teaser, not a report (ranked lower)."""
_CLOCK_LINE = re.compile(r"^\s*\d{1,2}[.:]\d{2}\b")
_END = re.compile(r"[.!][\"'”’)]*\s*$")
_WORDS = re.compile(r"[^\W\d_]{2,}|\d+(?:[.,]\d+)*")
_MONTHS = (
    r"januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|"
    r"desember|january|february|june|july|august|october|december"
)
"""Month names; the English "may" and "march" only beside a number (a modal, a protest)."""
_TIME_WORDS = re.compile(
    r"\(?\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b\)?"
    rf"|\b(?:\d{{1,2}}\s+)?(?:{_MONTHS})\b(?:\s+\d{{4}}\b)?"
    r"|\b\d{1,2}\s+(?:may|march)\b(?:\s+\d{4}\b)?|\b(?:may|march)\s+\d{1,4}\b"
    r"|\b(?:pukul|jam)\s*\d{1,2}(?:[.:]\d{2})?\b|\b\d{1,2}[.:]\d{2}\b(?!\d)"
    r"|\b(?:hari|pekan|minggu|bulan|tahun|pagi|siang|sore|malam|kali)\s+(?:ini|lalu|depan)\b"
    r"|\b(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|pukul|wib|wita|wit|pagi|siang|sore|malam|dini\s+hari|"
    r"tanggal|kemarin|besok|semalam|today|yesterday|tomorrow|tonight)\b",
    re.IGNORECASE,
)
"""Date and time words that :func:`kabar.meta.time.find_times` leaves when it cannot place
them (a weekday, "(19/6)" without a year, "pukul 08.00 WIB", "pagi", "hari ini"): no more
a statement's words than a full date is."""
_JOINED = re.compile(
    r"\b([a-z]{2,}?)(?=iOS\b)|\b(?!(?:mac|watch|tv|vision)OS\b)([a-z]{2,})(?=[A-Z])"
)
"""A lower-case word run into a capitalised one ("dariBank NTT", "hitunganTimnas", "danBPJS";
"memperkenalkaniOS"; not "iPhone", "macOS"): a scrape that dropped the spaces around a
link; parted in the shown sentence. Joins no case shows ("Indonesialolos daribabak") stay."""


@dataclass
class _Candidate:
    article: Article
    text: str
    features: set[str]
    position: int
    score: float = 0.0
    short: bool = False
    """Readable only at :data:`MIN_SHORT_WORDS`, or run together by the scrape: a last
    resort (see :func:`summarize`)."""


def words_of(text: str) -> int:
    """Words of a sentence that are not part of a date or time expression ("Senin (16/09/2019)"
    has none): what a reader learns from it."""
    for expression in sorted(find_times(text), key=lambda t: -t.start):
        text = text[: expression.start] + " " + text[expression.end :]
    return len(_WORDS.findall(_TIME_WORDS.sub(" ", text)))


def shown_sentence(text: str) -> str:
    """The sentence as a summary shows it: a dateline left at its start cut, and a
    lower-case word run into a capitalised one parted ("dariBank NTT": "dari Bank NTT")."""
    text = _DATELINE.sub("", text, count=1).strip()
    return _JOINED.sub(lambda m: (m.group(1) or m.group(2)) + " ", text)


def readable_sentence(text: str, min_words: int = MIN_SUMMARY_WORDS) -> bool:
    """Whether a sentence (as shown) can stand alone in a summary: a statement of at least
    ``min_words`` words beyond its dates, not a caption, byline, list heading, question,
    teaser, schedule line or the debris of a cut dateline."""
    if not text or _DEBRIS.search(text) or _DATELINE_LEFT.search(text) or _GLUED.search(text):
        return False
    first = text.lstrip("\"“‘'(")[:1]
    if not (first.isupper() or first.isdigit()) or _CLOCK_LINE.match(text):
        return False
    if not _END.search(text) or text.rstrip("\"'”’) ").endswith((":", "?")):
        return False
    if _CAPTION.search(text) or _BYLINE.match(text) or "http" in text or "@" in text:
        return False
    letters = [c for c in text if c.isalpha()]
    if sum(c.isupper() for c in letters) > 0.6 * len(letters):  # a shouted poster or banner
        return False
    total = len(text.split())
    return min_words <= total <= MAX_SUMMARY_WORDS and words_of(text) >= min_words


def real_headline(title: str) -> bool:
    """A headline a reader can take as the story's name: whole (not a clipped lede ending
    in "…"), at least five words beyond its dates, not shouting."""
    title = title.strip()
    if not title or title.endswith(("…", "...")) or words_of(title) < MIN_TITLE_WORDS:
        return False
    letters = [c for c in title if c.isalpha()]
    return sum(c.isupper() for c in letters) <= 0.6 * len(letters)


def _latest(articles: Sequence[Article], share: float = 1 / 3, at_least: int = 5) -> list[Article]:
    """The latest members (the last ``share``, at least ``at_least``), in publication order;
    undated members count as the oldest (their time is unknown, not recent)."""
    ordered = sorted(articles, key=lambda a: (a.published is not None, a.published or "", a.id))
    keep = max(at_least, math.ceil(len(ordered) * share))
    return ordered[-keep:]


def _day(article: Article) -> int:
    """The article's publication day (an ordinal; only for dated articles)."""
    return date.fromisoformat((article.published or "")[:10]).toordinal()


def _outlet_weights(articles: Sequence[Article]) -> dict[str, float]:
    """1 / (how many of the articles its outlet has): every outlet weighs the same."""
    per_outlet = Counter(a.outlet or a.id for a in articles)
    return {a.id: 1.0 / per_outlet[a.outlet or a.id] for a in articles}


def _centroid(items: Sequence[tuple[set[str], float]]) -> dict[str, float]:
    centroid: defaultdict[str, float] = defaultdict(float)
    for features, weight in items:
        if features:
            share = weight / math.sqrt(len(features))
            for feature in features:
                centroid[feature] += share
    return dict(centroid)


def _cosine(features: set[str], centroid: dict[str, float], norm: float) -> float:
    if not features or not norm:
        return 0.0
    # fsum: exact whatever order the set is read in (it varies with the process's hash
    # seed), so two equal candidates tie the same way in every worker
    return math.fsum(centroid.get(f, 0.0) for f in features) / (math.sqrt(len(features)) * norm)


def _norm(centroid: dict[str, float]) -> float:
    return math.sqrt(math.fsum(v * v for v in centroid.values()))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def story_title(articles: Sequence[Article]) -> str:
    """The headline that best tells the story now (see the module's description)."""
    originals = [a for a in articles if a.duplicate_of is None] or list(articles)
    recent = _latest(originals)
    weights = _outlet_weights(recent)
    # What the latest members are about: headline and lede, every outlet weighing the same.
    about = {
        a.id: content_stems(a.title + " " + " ".join(s.text for s in a.sentences[:2]), a.language)
        for a in recent
    }
    centroid = _centroid([(about[a.id], weights[a.id]) for a in recent])
    norm = _norm(centroid)
    # Every member's real headline may stand (a story's latest articles may carry none),
    # the older ones weighing less (below).
    candidates = [a for a in originals if real_headline(a.title)]
    if not candidates:
        # No real headline ("Cerpen: Kesumat"): the lede sentence that tells it best, else
        # the latest title as it is.
        lede = summarize(recent, sentences=1)
        return lede[0] if lede else recent[-1].title.strip()

    last = max((_day(a) for a in recent if a.published), default=0)

    def score(article: Article) -> tuple[float, str, str]:
        headline = content_stems(article.title, article.language)
        # Now: a headline loses half its weight for every TITLE_HALF_LIFE days it is older
        # than the story's latest article (an undated member counts as old).
        age = last - _day(article) if article.published else 10 * TITLE_HALF_LIFE
        fresh = max(0.25, 0.5 ** (age / TITLE_HALF_LIFE))
        asks = 0.5 if article.title.rstrip().endswith("?") else 1.0  # a question names no news
        value = _cosine(headline, centroid, norm) * fresh * asks
        return (value, article.published or "", article.id)

    return max(candidates, key=score).title.strip()


def summarize(
    articles: Sequence[Article],
    timeline: Sequence[TimelineEntry] = (),
    sentences: int = 4,
    redundancy: float = 0.35,
) -> list[str]:
    """Two to four informative sentences from different outlets, in publication order (see
    the module's description); fewer only when the story has no more readable sentences.

    timeline: the story's entries; their representative sentences are candidates too (a
    short story's timeline may hold its only readable statements).
    redundancy: a sentence sharing this share of its content words (Jaccard) with a chosen
    one says the same thing and is left out.
    """
    originals = [a for a in articles if a.duplicate_of is None] or list(articles)
    by_id = {a.id: a for a in originals}
    candidates: list[_Candidate] = []
    seen: set[str] = set()

    def consider(article: Article, text: str, position: int) -> None:
        shown = shown_sentence(text)
        if shown in seen:
            return
        # A join the case shows ("dariBank") is the left end of a link whose right end the
        # case hides ("Indonesialolos", "Juventusbakal"): a last resort.
        short = not readable_sentence(shown) or _JOINED.search(text) is not None
        if short and not readable_sentence(shown, MIN_SHORT_WORDS):
            return
        seen.add(shown)
        features = content_stems(shown, article.language)
        candidates.append(_Candidate(article, shown, features, position, short=short))

    for article in originals:
        for position, sentence in enumerate(article.sentences[:LEDE_SENTENCES]):
            consider(article, sentence.text, position)
    ranked = sorted(timeline, key=lambda e: -e.importance)[: sentences * 2]
    for place, entry in enumerate(ranked):
        for source in entry.sources[:1]:
            member = by_id.get(source.article_id)
            if member is not None:
                # Only the lede is looked at (a story's saved state keeps no more of its
                # members, see kabar.timeline.StoryState): past it, the entry's rank orders.
                lede = member.sentences[:LEDE_SENTENCES]
                position = next(
                    (i for i, s in enumerate(lede) if s.text == source.sentence),
                    LEDE_SENTENCES + place,
                )
                consider(member, source.sentence, position)
    if not candidates:
        return []
    weights = _outlet_weights(originals)
    # What the story's statements say: the short ones count only when there is no other.
    central = [c for c in candidates if not c.short] or candidates
    per_article = Counter(c.article.id for c in central)
    centroid = _centroid(
        [(c.features, weights[c.article.id] / per_article[c.article.id]) for c in central]
    )
    norm = _norm(centroid)
    days = sorted({a.published[:10] for a in originals if a.published})
    rank = {day: i for i, day in enumerate(days)}
    for candidate in candidates:
        published = candidate.article.published
        recency = rank[published[:10]] / max(1, len(days) - 1) if published else 0.0
        service = 0.7 if _SERVICE.search(candidate.text) else 1.0
        if candidate.text[:1] in "\"“‘'":  # a quote tells what someone says, not what happened
            service *= 0.8
        candidate.score = (
            _cosine(candidate.features, centroid, norm) * (0.75 + 0.25 * recency) * service
        )

    chosen: list[_Candidate] = []
    # Each a different outlet first; then a different article (a one-outlet story); then
    # any sentence (a one-article story); last a short statement, or one that repeats a
    # chosen one in part (below ``loose`` of its words) but adds to it, up to two: loosened
    # only while fewer than two are chosen.
    loose = max(redundancy, 0.5)
    for level, short, limit in ((0, False, redundancy), (1, False, redundancy),
                                (2, False, redundancy), (2, True, loose)):  # fmt: skip
        while len(chosen) < (min(2, sentences) if short else sentences):
            best = _next(candidates, chosen, level, limit, short)
            if best is None:
                break
            chosen.append(best)
        if len(chosen) >= 2:
            break
    chosen.sort(key=lambda c: (c.article.order_key, c.position))
    return [c.text for c in chosen]


def _next(
    candidates: list[_Candidate],
    chosen: list[_Candidate],
    level: int,
    redundancy: float,
    short: bool = False,
) -> _Candidate | None:
    """The best candidate not saying what a chosen one says (maximal marginal relevance);
    level 0: from an outlet not chosen yet, 1: from an article not chosen yet, 2: any;
    short: whether a short statement may be taken."""
    outlets = {c.article.outlet or c.article.id for c in chosen}
    articles = {c.article.id for c in chosen}
    best: _Candidate | None = None
    best_value = -1.0
    for candidate in candidates:
        if candidate in chosen or (candidate.short and not short):
            continue
        if level == 0 and (candidate.article.outlet or candidate.article.id) in outlets:
            continue
        if level == 1 and candidate.article.id in articles:
            continue
        overlap = max((_jaccard(candidate.features, c.features) for c in chosen), default=0.0)
        if overlap >= redundancy:
            continue
        value = candidate.score - 0.5 * overlap
        if value > best_value:
            best, best_value = candidate, value
    return best
