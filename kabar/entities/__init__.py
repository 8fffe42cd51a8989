"""Entities: people, organisations and places, found in each article and resolved across all.

Two passes, then a merge. A CRF sequence tagger trained on Indonesian news
(:mod:`kabar.entities.model`, features in :mod:`kabar.entities.features`) finds names no list
knows; its full person names also become anchors for their later short forms. Rules over a
gazetteer then give canonical names and roles: places and institutions by longest match in
:mod:`kabar.entities.gazetteer`; people by the titles news writes before a name
("Presiden Rusia Vladimir Putin", "PM Vietnam, Pham Minh Chinh", "pemimpin Korea Utara Kim
Jong Un"), then by their later short forms in the same article ("Putin", "Trong", "Kim");
organisations by head words ("Partai ...", "Kementerian ...", "... Agency") and by
acronyms in parentheses. :func:`resolve_entities` then gives every spelling across the
corpus one canonical name ("Kim Jong-un" = "Kim Jong Un"); see :mod:`.resolve`.
Where the two passes overlap the rules win (they know the canonical name); model spans that
touch no rule mention are added. Titles before a person become the mention's ``role``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from kabar.alternation import trie_alternation
from kabar.entities.captions import captions
from kabar.entities.features import glued_words, tokenize
from kabar.entities.gazetteer import (
    city_names,
    connected_heads,
    connected_names,
    key,
    weak_names,
)
from kabar.entities.gazetteer import lookup as _lookup
from kabar.entities.indonesia import RANKS
from kabar.entities.model import bio_spans, default_tagger
from kabar.entities.resolve import resolve_entities
from kabar.entities.salience import is_wire_agency
from kabar.entities.stoplist import (
    DESCRIPTOR_WORDS,
    LEADING_WORDS,
    NAME_HEADS,
    THING_WORDS,
    is_generic,
    is_junk,
)
from kabar.entities.stoplist import common_words as common_lower_words
from kabar.meta import is_news_organisation
from kabar.meta.provenance import is_cited_source
from kabar.model import Article, Entity, EntityLabel, Mention
from kabar.text import DEGREE, STOPWORDS, WEB_ENDING, split_sentences

__all__ = ["entity_table", "extract_mentions", "resolve_entities"]

# The rules look up the same capitalised spans in every article; the gazetteer's key is a
# regex substitution. Cached per process, bounded (the answers are immutable tuples).
lookup = lru_cache(maxsize=50_000)(_lookup)

_WORD = r"[A-Z][\w'’]*(?:-[\w'’]+)*"
_RUN = re.compile(rf"{_WORD}(?:\s+{_WORD})*")

TITLES = [
    "Presiden", "Wakil Presiden", "Perdana Menteri", "Deputi Perdana Menteri", "Wakil Perdana Menteri",
    "PM", "Menteri Luar Negeri", "Menlu", "Menteri Pertahanan", "Menhan", "Menteri", "Sekjen",
    "Sekretaris Jenderal", "Sekretaris", "Ketua", "Wakil Ketua", "Direktur", "Juru Bicara", "Jubir",
    "Duta Besar", "Dubes", "Gubernur", "Wali Kota", "Walikota", "Bupati", "Panglima", "Kepala",
    "Raja", "Ratu", "Pangeran", "Kanselir", "Pemimpin", "pemimpin", "diplomat senior", "diplomat",
    "Jenderal", "Kapten", "Kolonel", "Dr", "Prof",
    "President", "Vice President", "Prime Minister", "Deputy Prime Minister", "Foreign Minister",
    "Minister", "Secretary-General", "Secretary General", "Secretary", "Chancellor", "King",
    "Queen", "Prince", "Governor", "Mayor", "Senator", "Sen.", "Rep.", "Chairman", "Chief",
    "General", "Gen.", "Judge", "leader", "Mr", "Mrs", "Ms", "Mr.", "Mrs.", "Ms.",
    "Officer", "Chief Executive", "Spokesman", "Spokeswoman", "Commissioner", "Director",
    "Ambassador", "Envoy", "Father", "Pope", "Cardinal", "Bishop", "Professor",
    "Kapolri", "Kapolda", "Kapolres", "Kapolsek", "Kasat Reskrim", "Kabid Humas", "Kasatreskrim",
    "Kepala Staf", "Wakapolri", "Wakapolda", "Pj Gubernur", "Plt", "Kapuspen",
]  # fmt: skip
# Police and military ranks, written out or abbreviated ("AKBP", "Kombes Pol").
TITLES += [
    form
    for rank in RANKS
    for form in (rank.title(), rank.upper() if len(rank) <= 5 and " " not in rank else "")
    if form
]
# The titles as a trie: the same matches, the longest title first wherever several match
# at one position (they are then prefixes of one another, which the trie tries longest
# first, as a longest-first alternation does), and three times faster over a paragraph.
_TITLE_ALTERNATION = trie_alternation(TITLES)
_TITLE = re.compile(rf"\b(?P<title>{_TITLE_ALTERNATION})\b\.?(?P<rest>(?:\s*,?\s+{_WORD})+)")
_ALIAS = re.compile(
    rf"(?P<name>{_WORD}(?:\s+{_WORD}){{1,3}})\s*,?\s+(?:alias|atau|(?:yang\s+)?akrab\s+disapa"
    rf"|(?:yang\s+)?biasa\s+disapa)\s*(?P<alias>{_WORD}(?:\s+{_WORD}){{0,2}})"
)
"""A person's other name: "Zulkarnaen Apriliantony alias Tony", "Saifullah Yusuf atau Gus
Ipul", "… yang akrab disapa Cak Imin"."""
_ALIAS_WORDS = ("alias", "atau", "disapa")
"""What :data:`_ALIAS` needs somewhere in a text (checked first: most paragraphs lack it)."""
_BRACKET_ALIAS = re.compile(
    rf"(?P<name>{_WORD}(?:\s+{_WORD}){{1,4}})\s*\(\s*(?P<alias>[A-Z][a-z][\w'’]*(?:\s+{_WORD}){{0,2}})\s*\)"
)
"""A person's short name in brackets: "Zulkifli Hasan (Zulhas)" (an acronym in brackets
names an organisation, so the alias starts with a capital and a small letter)."""
_TITLE_WORDS = frozenset(w.lower().rstrip(".") for t in TITLES for w in t.split())
# A title, its "of" part (capitalised words, "Partai Komunis Vietnam"), its short form in
# brackets ("Menteri Luar Negeri (Menlu)"), an optional comma, right before the name.
_ROLE = re.compile(
    rf"(?<![\w-])(?:{_TITLE_ALTERNATION})\b\.?"
    rf"(?:\s+{_WORD}){{0,5}}?(?:\s*\([A-Za-z][\w .-]{{0,15}}\))?\s*,?\s*$"
)
ORG_HEADS = {
    "partai", "pengadilan", "kementerian", "kedutaan", "badan", "dewan", "komisi", "bank",
    "universitas", "mahkamah", "majelis", "organisasi", "forum", "kantor", "lembaga", "komite",
    "perusahaan", "pt", "kepolisian", "angkatan", "tentara",
}  # fmt: skip
ORG_TAILS = {
    "agency", "party", "court", "council", "ministry", "bank", "university", "company",
    "corporation", "corp", "group", "association", "union", "forum", "news", "times", "post",
    "express", "inc", "committee", "commission", "institute", "foundation", "army", "police",
}  # fmt: skip


def extract_mentions(article: Article, use_model: bool = True) -> list[Mention]:
    """Entity mentions of the article body and its photo captions, canonical within the article.

    Caption mentions have ``where="caption"`` and offsets into ``article.removed[line]``.
    use_model: also run the CRF tagger (off: rules and gazetteer only, for comparison).
    """
    mentions: list[Mention] = []
    offset = 0
    people: dict[str, str] = {}  # a full name or its short form → the full name
    # Body paragraphs, then photo captions (who is pictured): names anywhere in the article
    # link their short forms, but a caption's mentions are marked as such.
    segments: list[tuple[str, int | None]] = [(p, None) for p in article.paragraphs]
    segments += [(text, line) for line, text in captions(article.removed)]
    model_spans: list[list[tuple[int, int, EntityLabel]]] = (
        model_mentions_batch([text for text, _line in segments])
        if use_model
        else [[] for _ in segments]
    )
    # Each segment's cues and acronyms once (both passes below read them).
    cues = [_english_cues(text) for text, _line in segments]
    for text, _line in segments:
        _find_people(text, people)
    single: dict[str, None] = {}  # one-word person names, first seen first
    for (text, _line), spans, segment_cues in zip(segments, model_spans, cues, strict=True):
        for start, end, label in [*spans, *segment_cues]:
            if label == "PER":
                _register_person(text[start:end], people)
                if " " not in text[start:end].strip():
                    single.setdefault(text[start:end].strip())
    for text, _line in segments:
        _find_aliases(text, people)
    _find_nicknames(single, people)
    for (paragraph, line), spans, segment_cues in zip(segments, model_spans, cues, strict=True):
        if line is not None:
            offset = 0  # a caption's offsets index its own line
        pairs = acronym_pairs(paragraph)
        found = _mentions_in(paragraph, offset, people, pairs)
        # "University of Hong Kong", "Gulf of Mexico", an acronym's expansion: the whole
        # beats the place inside.
        # (Not a person's name with a nickname: "Joko Widodo (Jokowi)".)
        people_found = [(m.start - offset, m.end - offset) for m in found if m.label == "PER"]
        of_spans = _of_names(paragraph) + [
            (start, end, "ORG")
            for start, end, long, _short in pairs
            if len(long.split()) > 1
            and (lookup(long) or ("", "ORG"))[1] == "ORG"
            and not any(s < end and start < e for s, e in people_found)
        ]
        found = [
            m
            for m in found
            if not any(s < m.end - offset and m.start - offset < e for s, e, _l in of_spans)
        ]
        taken = [(m.start - offset, m.end - offset) for m in found]
        # Then the model, then the English person and acronym cues, each where no one
        # before them found anything.
        for start, end, label in [*of_spans, *spans, *segment_cues]:
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            surface = paragraph[start:end]
            known = lookup(surface) if label != "PER" else None
            if label == "PER" and surface not in people:
                # A place or institution the gazetteer knows ("Maluku Utara", "Papua Barat
                # Daya") is not a person, unless the name is only a city's alternate name.
                hit = lookup(surface)
                if hit is not None and hit[1] != "PER" and key(surface) not in weak_names():
                    known = hit
            if known is not None:
                canonical, label = known
            else:
                canonical = people.get(surface, surface)
            found.append(Mention(surface, label, offset + start, offset + end, canonical))
            taken.append((start, end))
        for mention in found:
            if mention.label == "PER" and _after_thing_word(paragraph, mention.start - offset):
                # "harga saham Tesla": a brand, even where a name starts with the word
                mention.label, mention.canonical = "ORG", mention.text
            if mention.label == "PER":
                mention.role = _role_before(paragraph, mention.start - offset)
            if line is not None:
                mention.where, mention.line = "caption", line
        found = [
            m
            for m in found
            if not _junk(m)
            and not _debris(paragraph, m.start - offset, m.end - offset)
            and not _credit(m, paragraph, m.start - offset)
            and not _degree(paragraph, m.start - offset, m.end - offset)
        ]
        mentions.extend(sorted(found, key=lambda m: m.start))
        offset += len(paragraph) + 2
    return _without_common_words(mentions, segments, people)


_DEGREE = re.compile(DEGREE)
"""Academic degrees written after a name, run together ("M.Kes", "Sp.OT.Subsp.PL(K)")."""


def _degree(text: str, start: int, end: int) -> bool:
    """Whether a mention is (part of) an academic degree after a name and its comma ("dr
    Azeta Arif, M.Kes,Sp.OT.Subsp.PL(K)": not "PL", nor "OT", nor "M.Kes")."""
    left = start
    while left > 0 and not text[left - 1].isspace() and text[left - 1] != ",":
        left -= 1
    if not text[:left].rstrip().endswith(","):
        return False
    token = _TOKEN_TO_COMMA.match(text, left).group(0)  # type: ignore[union-attr]
    return end <= left + len(token) and _DEGREE.fullmatch(token.rstrip(".")) is not None


_TOKEN_TO_COMMA = re.compile(r"[^\s,]*")
_SENTENCE_OPENS = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[\"“‘'(]\s*)$")


def _without_common_words(
    mentions: list[Mention], segments: list[tuple[str, int | None]], people: dict[str, str]
) -> list[Mention]:
    """Drop one-word "people" that are common words: the article writes the word in lower
    case and capitalises it only where a sentence or a quote opens ("Osteoartritis adalah
    …" in an article about osteoartritis). A name is capitalised mid-sentence somewhere
    ("kata Bagus"); a short form linked to a full name always stays."""
    body = "\n".join(text for text, _line in segments)
    out = []
    verdicts: dict[str, bool] = {}
    for mention in mentions:
        word = mention.text
        if (
            mention.label != "PER"
            or " " in word
            or mention.canonical != word
            or word in people
            or not word[1:].islower()
        ):
            out.append(mention)
            continue
        common = verdicts.get(word)
        if common is None:
            in_lower_case = next(_whole_words(body, word.lower()), None) is not None
            common = verdicts[word] = (
                in_lower_case
                and not any(  # and mid-sentence?
                    not _SENTENCE_OPENS.search(body[max(0, start - 3) : start])
                    for start in _whole_words(body, word)
                )
            )
        if not common:
            out.append(mention)
    return out


def _whole_words(text: str, word: str) -> Iterator[int]:
    r"""Where ``word`` stands whole in ``text`` (no letter, digit, "_" or "-" touching it):
    the starts ``re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)`` gives, found
    with ``str.find`` instead of a regex compiled for every word of every article."""
    size, at = len(word), text.find(word)
    while at >= 0:
        end = at + size
        if (at == 0 or not _joins(text[at - 1])) and (end == len(text) or not _joins(text[end])):
            yield at
            at = text.find(word, end)
        else:
            at = text.find(word, at + 1)


def _joins(char: str) -> bool:
    r"""Whether a character continues a word for ``[\w-]`` (``\w``: ``str.isalnum`` or "_")."""
    return char.isalnum() or char == "_" or char == "-"


def _junk(mention: Mention) -> bool:
    """A common word, a rank or mojibake the tagger took for a name (curated names, and
    short forms linked to a full name, always pass)."""
    if is_generic(mention.text) or is_generic(mention.canonical):
        return True  # "SD" expanded to "Sekolah Dasar" is still no name
    if mention.canonical != mention.text or lookup(mention.text) is not None:
        return False
    return is_junk(mention.text)


_DEBRIS = re.compile(
    rf"[@#]\w|https?://|www\.|[\w-]\.{WEB_ENDING}(?![\w-])",
    re.IGNORECASE,
)
"""A social-media handle or hashtag ("@motogp", "#Formula1"), a link or a domain
("Stocknow.id", "Tribunnews.com/Nurkhasanah")."""
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _debris(text: str, start: int, end: int) -> bool:
    """Whether a mention is (or is part of) scraped web debris, not a name: a handle, a
    hashtag, an e-mail, a link or a domain ("@motogp" tagged from "motogp", "Padang" of
    "(TribunPadang.com/Fajar)"). Such a string names an account or credits an outlet, and
    shared across unrelated articles it joins them. The piece around the mention (searched
    whole: it contains the mention) ends at a space, a comma, a semicolon, "@" and "#": the
    name glued before a handle or after a domain and its comma stays ("Marquez@motogp",
    "Posmetro.co.id,INDRAMAYU")."""
    left = start
    while left > 0 and not text[left - 1].isspace() and text[left - 1] not in ",;@#":
        left -= 1
    if left > 0 and text[left - 1] in "@#":
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace() and text[right] not in ",;@#":
        right += 1
    if _DEBRIS.search(text[left:right]):
        return True
    if text.find("@", max(0, start - 64), end + 64) < 0:
        return False  # no e-mail without an "@"
    return any(
        m.start() < end and start < m.end()  # the e-mail overlaps the mention
        for m in _EMAIL.finditer(text, max(0, start - 64), end + 64)
    )


def _after_thing_word(text: str, start: int) -> bool:
    """Whether the word before ``text[start:]`` describes a thing (:data:`THING_WORDS`)."""
    before = text[max(0, start - 20) : start].split()
    return bool(before) and before[-1].lower() in THING_WORDS


def _credit(mention: Mention, text: str, start: int) -> bool:
    """An outlet or a source the article credits, not what it reports on: a name after a
    citation cue ("Mengutip Cointelegraph, Rabu (4/6/2025)"); web addresses ("Kompas.com",
    "COM" of "TRIBUN-PAPUA.COM") are :func:`_debris`, filtered first. People linked to a
    full name or written with a title are subjects even when cited ("mengutip Presiden
    Prabowo, …")."""
    if mention.label == "PER" and (mention.role or mention.canonical != mention.text):
        return False
    if not is_cited_source(text, start, start + len(mention.text)):
        return False
    # An institution the gazetteer knows is the story's source of facts, and a subject
    # ("Mengutip BMKG, hujan lebat ..."); a news outlet or agency is only the messenger.
    known = lookup(mention.text)
    return known is None or is_wire_agency(known[0]) or is_news_organisation(known[0])


def model_mentions(text: str) -> list[tuple[int, int, EntityLabel]]:
    """``(start, end, label)`` spans the CRF tags in a paragraph, sentence by sentence.

    Spans of lower-case words, stopwords or bare titles are dropped: the model was trained
    on Indonesian, and on English text those are its typical mistakes.
    """
    return model_mentions_batch([text])[0]


def model_mentions_batch(texts: list[str]) -> list[list[tuple[int, int, EntityLabel]]]:
    """:func:`model_mentions` of each text, all their sentences tagged in one batch."""
    tagger = default_tagger()
    sentences: list[tuple[int, int, list[tuple[str, int, int]]]] = []  # (text, base, tokens)
    for index, text in enumerate(texts):
        position = 0
        for sentence in split_sentences(text):
            base = text.find(sentence[:20], position)
            if base < 0:
                base = position
            position = base + len(sentence)
            sentences.append((index, base, tokenize(text[base:position])))
    batch = [[t[0] for t in toks] for _i, _b, toks in sentences]
    tagged = tagger.tag_batch(batch)
    out: list[list[tuple[int, int, EntityLabel]]] = [[] for _ in texts]
    for (index, base, toks), words, tags in zip(sentences, batch, tagged, strict=True):
        if tags.count("O") == len(tags):
            continue  # no name in the sentence (most sentences)
        spans = out[index]
        for span in bio_spans(tags):
            first, last = span.start, span.end
            # Trim function words and titles the model swept in at the edges
            # ("Dilansir Reuters", "Presiden Jokowi"), and a place before a person's name.
            while first < last and _edge_word(words[first], span.label, leading=True):
                first += 1
            while last > first and _edge_word(words[last - 1], span.label, leading=False):
                last -= 1
            if span.label == "PER":
                # A person's name holds no lower-case word but its particles: the model
                # swept a verb in ("Hayward said BP"); the name ends before it.
                inner = next(
                    (
                        i
                        for i in range(first + 1, last)
                        if words[i][:1].islower() and words[i] not in NAME_PARTICLES
                    ),
                    last,
                )
                last = inner
            if first == last or not words[first][:1].isupper():
                continue
            label = span.label
            if label == "PER" and any(
                w.lower() in THING_WORDS for w in words[max(0, first - 1) : first]
            ):
                label = "ORG"  # "Skuad Garuda", "harga Bitcoin": a team or a brand, no one
            if last - first == 1 and words[first].lower() in ORG_HEADS:
                continue
            start = base + toks[first][1]
            end = base + toks[last - 1][2]
            spans.append((start, end, label))  # type: ignore[arg-type]
    return out


NAME_PARTICLES = frozenset(
    "bin binti bte ibn van von der den de da di del della dos das du la le al el ter y".split()
)
"""Lower-case words inside people's names ("Ahmad bin Ali", "Ursula von der Leyen")."""

_CAP = r"[A-Z][\w'’]*(?:-[\w'’]+)*"
_OF_ORG_HEADS = (
    r"University|Ministry|Department|Bank|Institute|Organi[sz]ation|Federation|Association|"
    r"Council|Court|Office|Bureau|Board|Academy|College|School|Museum|Church|Division|"
    r"Cent(?:er|re)s?|Party|Union|League|House"
)
_OF_LOC_HEADS = r"Gulf|Bay|Sea|Strait|Straits|Isle|Republic|Kingdom|State|Province|City|Cape"
_OF_ORG = re.compile(
    rf"(?:{_CAP}\s+){{0,3}}(?:{_OF_ORG_HEADS})\s+(?:of|for)\s+(?:the\s+)?"
    rf"{_CAP}(?:\s+{_CAP}){{0,3}}"
)
_OF_LOC = re.compile(rf"\b(?:{_OF_LOC_HEADS})\s+of\s+(?:the\s+)?{_CAP}(?:\s+{_CAP}){{0,2}}")
# "Julian Tang, a consultant", "Guido Bertolaso, who": a name with an apposition.
_APPOSITION = re.compile(
    rf"(?<![\w-])(?P<name>{_CAP}(?:\s+{_CAP}){{1,2}})\s*,\s+(?:a|an|the|who|yang|seorang)\s"
)
_SAID = re.compile(
    rf"(?:\b(?:said|says|told|kata|ujar|tutur)\s+(?P<after>{_CAP}(?:\s+{_CAP}){{1,2}}))"
    rf"|(?:(?<![\w-])(?P<before>{_CAP}(?:\s+{_CAP}){{1,2}})\s+(?:said|says|told)\b)"
)
# What each of those needs somewhere in a text (a cheap scan first: most paragraphs lack it).
# (_OF_ORG and _OF_LOC: a head, "of" or "for"; English paragraphs are full of " of ", and
# _OF_ORG, which may start at any capital, is slow where it has to be tried.)
_OF_HINT = re.compile(rf"(?:{_OF_ORG_HEADS}|{_OF_LOC_HEADS})\s+(?:of|for)\s")
_APPOSITION_HINT = re.compile(r",\s+(?:a|an|the|who|yang|seorang)\s")
_SAID_VERBS = ("said", "says", "told", "kata", "ujar", "tutur")
_LONG_FORM = re.compile(
    r"(?P<long>(?:[A-Z][\w'’-]*,?\s+(?:(?:dan|untuk|dari|of|and|for|the|on|&)\s+)?){0,8}"
    r"[A-Z][\w'’-]*)\s+\((?P<short>[A-Z][A-Za-z0-9&.]{1,9})\)"
)
_LINK_WORDS = frozenset("dan untuk dari of and for the on &".split())
_NONSPACE = re.compile(r"\S+")
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")
_ROMAN = re.compile(r"[IVXLC]+")


def acronym_pairs(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, expansion, acronym)`` for "Expansion (ACR)" in a text.

    The expansion is the shortest tail of the capitalised words before the parenthesis whose
    initials spell the acronym ("Badan Riset dan Inovasi Nasional (BRIN)"); without such a
    tail (Indonesian acronyms often take syllables: "Kementerian Sosial (Kemensos)") it is
    the whole run.
    """
    pairs = []
    for m in _LONG_FORM.finditer(text) if "(" in text else ():
        words = list(_NONSPACE.finditer(m.group("long")))
        letters = _NOT_ALNUM.sub("", m.group("short")).upper()
        first = 0
        for k in range(len(words) - 1, -1, -1):
            if words[k].group(0) in _LINK_WORDS:
                continue
            caps = [w.group(0)[0].upper() for w in words[k:] if w.group(0) not in _LINK_WORDS]
            if "".join(caps) == letters:
                first = k
                break
        else:
            while first < len(words) - 1 and (
                words[first].group(0).lower() in STOPWORDS
                or words[first].group(0).lower() in DESCRIPTOR_WORDS
                or words[first].group(0).lower() in LEADING_WORDS
            ):
                first += 1  # "Harga Bitcoin (BTC)": the price is not what BTC stands for
        start = m.start("long") + words[first].start()
        pairs.append((start, m.end("long"), text[start : m.end("long")], m.group("short")))
    return pairs


_UNKNOWN_ACRONYM = re.compile(r"[A-Z](?<![\w-][A-Z])[A-Z]{1,4}(?![\w-])")
"""Two to five capitals standing alone; the test of the character before follows the first
capital, so that the search skips to the capitals (a pattern that opens with a look-behind
is tried at every position)."""
_NOT_ACRONYMS = frozenset(
    "OK TV CEO CFO COO PM AM GMT EDT EST UTC WIB WITA WIT LRB RRB ID USD IDR RP PT TBK HIV AIDS DNA".split()
)


def _of_names(text: str) -> list[tuple[int, int, EntityLabel]]:
    """English "X of Y" names: organisations and geographic features."""
    spans: list[tuple[int, int, EntityLabel]] = []
    if _OF_HINT.search(text) is None:
        return spans  # both need a head before " of " (or " for "): most paragraphs lack it
    for pattern, label in ((_OF_ORG, "ORG"), (_OF_LOC, "LOC")):
        for m in pattern.finditer(text):
            start = m.start()
            words = m.group(0).split()
            # Drop sentence-initial function words swept in ("The University of ...").
            while words and words[0].lower() in STOPWORDS:
                start = text.index(words[1], start + len(words[0])) if len(words) > 1 else m.end()
                words = words[1:]
            if len(words) >= 3:
                spans.append((start, m.end(), label))  # type: ignore[arg-type]
    return spans


def _english_cues(text: str) -> list[tuple[int, int, EntityLabel]]:
    """People by apposition or a speech verb, organisations by unknown acronyms.

    The tagger learnt Indonesian contexts; these cues carry the commonest English ones.
    Names the gazetteer knows, stopwords and titles are not people.
    """
    spans: list[tuple[int, int, EntityLabel]] = []
    appositions = _APPOSITION.finditer(text) if _APPOSITION_HINT.search(text) else ()
    said = _SAID.finditer(text) if any(verb in text for verb in _SAID_VERBS) else ()
    for m in [*appositions, *said]:
        group = next(g for g in ("name", "after", "before") if g in m.groupdict() and m.group(g))
        words = m.group(group).split()
        if any(
            w.lower() in STOPWORDS or w.lower() in _TITLE_WORDS or (w.isupper() and len(w) > 1)
            for w in words
        ):
            continue
        if lookup(m.group(group)) is not None or any(
            lookup(w) is not None and key(w) not in weak_names() for w in words
        ):
            continue
        spans.append((m.start(group), m.end(group), "PER"))
    if not text.isupper():
        for m in _UNKNOWN_ACRONYM.finditer(text):
            roman = _ROMAN.fullmatch(m.group(0)) is not None  # "Perang Dunia II"
            if not roman and m.group(0) not in _NOT_ACRONYMS and lookup(m.group(0)) is None:
                spans.append((m.start(), m.end(), "ORG"))
    return spans


def _edge_word(word: str, label: str, leading: bool) -> bool:
    low = word.lower()
    if low in STOPWORDS or low in _TITLE_WORDS or not word[:1].isalnum():
        return True
    if leading and (low in LEADING_WORDS or low in DESCRIPTOR_WORDS):
        return True  # "Benarkah Prabowo ...": a headline's first word; "Harga Bitcoin"
    if leading and label == "PER" and word.isupper() and len(word) > 1:
        return True  # an institution before a name: "Kepala BRIN Laksana Tri Handoko"
    hit = lookup(word) if leading and label == "PER" else None
    return hit is not None and hit[1] != "PER" and key(word) not in weak_names()


def _register_person(name: str, people: dict[str, str]) -> None:
    parts = name.split()
    if len(parts) < 2 or parts[-1].lower() in STOPWORDS or parts[0].lower() in NAME_HEADS:
        return  # "Kota Pangkalpinang ...": a place's head word, no one's first name
    if len(parts) >= 3 and parts[0].lower().rstrip(".") in _TITLE_WORDS:
        return  # "Kepala DLH Kabupaten Indramayu": a title the tagger took for a name
    if is_junk(name):
        return  # "Raya Idul Adha": a holiday, no one's name
    people.setdefault(name, name)
    for short in (parts[0], parts[-1]):
        # An acronym never stands for the person ("ETF" of "Truth Social ETF", "SAW" of
        # "Rasulullah SAW").
        if short.isupper() and len(short) > 1:
            continue
        if _stands_alone(short):
            people.setdefault(short, name)


def _stands_alone(word: str) -> bool:
    """Whether a word of a person's name may stand for the person alone: not a common word
    ("Kota", "Mari"), nor a place or institution the gazetteer knows (unless its name is
    also a person's: :func:`weak_names`)."""
    low = word.lower()
    if low in STOPWORDS or low in common_lower_words() or is_junk(word):
        return False
    return lookup(word) is None or key(word) in weak_names()


NICKNAME_MIN = 4
"""Letters a nickname keeps of a word of the full name ("Cahya" of "Sricahyawijaya")."""


def _find_nicknames(words: Iterable[str], people: dict[str, str]) -> None:
    """A one-word name that is part of a word of exactly one person's full name in the
    article stands for that person: Indonesian news calls people by a piece of one of their
    names ("Nur Sricahyawijaya" … "kata Cahya", "Thobahul Aftoni" … "kata Toni"). Not when
    the word is itself a whole word of some person's name (then it is that name, or another
    person), a place the gazetteer knows, or a common word."""
    full = {name for name in set(people.values()) if " " in name}
    if not full:
        return
    whole = {w.lower() for name in full for w in name.split()}
    # a plain name word: not "JPMorgan" (a company glued to "Jamie Dimon")
    plain = [
        (name, w.lower())
        for name in full
        for w in name.split()
        if w[:1].isupper() and w[1:].islower()
    ]
    for word in words:
        low = word.lower()
        if (
            word in people
            or len(word) < NICKNAME_MIN
            or not (word[:1].isupper() and word[1:].islower() and word.isalpha())
            or low in whole
            or not _stands_alone(word)
        ):
            continue
        owners = {
            name for name, w in plain if low in w and not _apart(w.replace(low, " ", 1).split())
        }
        if len(owners) == 1:
            people[word] = owners.pop()


def _apart(rest: list[str]) -> bool:
    """Whether what a word of a name holds besides a nickname is a function word glued on
    by the scraper ("Trumpatas" is "Trump atas", not a longer name)."""
    return any(piece in STOPWORDS for piece in rest)


def _role_before(text: str, start: int) -> str | None:
    """The title written just before a name: "Presiden Rusia" in "Presiden Rusia Vladimir Putin"."""
    match = _ROLE.search(text[max(0, start - 80) : start])
    if match is None:
        return None
    return match.group(0).strip().rstrip(",").strip()


def _find_people(text: str, people: dict[str, str]) -> None:
    """Names that follow a title; registers each with its first and last token as short forms."""
    for match in _TITLE.finditer(text):
        name, _role = _split_title_rest(_unglued(match.group("rest")))
        if name:
            _register_person(name, people)


def _without_title(name: str) -> str:
    """A name without the end of a title before it, common words ("Pemberdayaan Masyarakat
    Muhaimin Iskandar" → "Muhaimin Iskandar"); two words are always kept."""
    words = name.split()
    common = common_lower_words()
    while len(words) > 2 and words[0].lower() in common:
        words.pop(0)
    return " ".join(words)


def _find_aliases(text: str, people: dict[str, str]) -> None:
    """A known person's other name stands for the person: "Muhaimin Iskandar alias Cak
    Imin", "Saifullah Yusuf atau Gus Ipul" (only after a name already known as a person's,
    so that "Jakarta Selatan atau Jakarta Timur" stays two places)."""
    aliases = _ALIAS.finditer(text) if any(w in text for w in _ALIAS_WORDS) else ()
    for match in aliases:
        name, alias = _without_title(match.group("name")), _unglued(match.group("alias"))
        if name in people and alias and alias != name and not is_junk(alias):
            before = people.get(alias, alias)
            people[alias] = people[name]
            first, _, rest = alias.partition(" ")
            if (
                rest
                and rest.split()[-1] == name.split()[-1]
                and people.get(first, before) == before
            ):
                # "Cyril Raoul Hakim alias Chico Hakim", then "Chico menyebut": the alias
                # keeps the surname, and its first word alone (unless another person's)
                # is that person too
                people[first] = people[name]
    for match in _BRACKET_ALIAS.finditer(text) if "(" in text else ():
        words, alias = match.group("name").split(), _unglued(match.group("alias"))
        for size in range(len(words), 1, -1):  # "Bidang Pangan Zulkifli Hasan (Zulhas)"
            name = " ".join(words[-size:])
            if (
                name in people
                and alias != name
                and people.get(alias, alias) == alias  # not another person's short form
                and not is_junk(alias)
                and not _TITLE_WORDS & {w.lower().rstrip(".") for w in (alias + " " + name).split()}
            ):
                people[alias] = people[name]
                break


def _split_title_rest(rest: str) -> tuple[str | None, str | None]:
    """ "Rusia Vladimir Putin" → ("Vladimir Putin", "Rusia"); "Vietnam, To Lam" → ("To Lam", ...)."""
    chunks = [c.strip() for c in rest.split(",") if c.strip()]
    if not chunks:
        return None, None
    first = chunks[0].split()
    # The "of" part: a place or institution right after the title ("Rusia", "Korea Utara",
    # "Partai Komunis Vietnam"); the name follows it.
    cut = _gazetteer_prefix(first)
    if first and first[0].lower() in ORG_HEADS:
        ends = [e for e in range(2, len(first) + 1) if lookup(first[e - 1]) is not None]
        if not ends:
            return None, None
        cut = ends[0]
    common = common_lower_words()
    while cut < len(first) - 2 and first[cut].lower() in common and first[cut][:1].isupper():
        cut += 1  # the rest of the title: "Direktur Penyidikan KPK Asep Guntur Rahayu"
    while cut < len(first) - 1 and first[cut].isupper() and len(first[cut]) > 1:
        cut += 1  # an institution's acronym belongs to the role: "Kepala BRIN"
    name_tokens = first[cut:]
    if not name_tokens and len(chunks) > 1:
        name_tokens = chunks[1].split()
    name_tokens = name_tokens[:4]
    role = " ".join(first[:cut]) or None
    return (" ".join(name_tokens) if name_tokens else None), role


def _gazetteer_prefix(tokens: list[str]) -> int:
    for end in range(min(len(tokens), 4), 0, -1):
        span = " ".join(tokens[:end])
        hit = lookup(span)
        if hit is not None and hit[1] != "PER" and key(span) not in city_names():
            return end
    return 0


def _mentions_in(
    text: str,
    offset: int,
    people: dict[str, str],
    pairs: list[tuple[int, int, str, str]] | None = None,
) -> list[Mention]:
    """Rule mentions of a text; ``pairs``: its :func:`acronym_pairs`, if already found."""
    found: list[Mention] = []
    pairs = acronym_pairs(text) if pairs is None else pairs
    acronyms = {short: long for _s, _e, long, short in pairs}
    pattern = connected_names()
    if pattern is None or not any(head in text for head in connected_heads()):
        pattern = None  # no curated name can be there
    for m in pattern.finditer(text) if pattern is not None else ():
        canonical, label = lookup(m.group(0)) or (m.group(0), "ORG")
        found.append(Mention(m.group(0), label, offset + m.start(), offset + m.end(), canonical))
    masked = text
    for whole in found:  # the rules below see spaces where a whole name was matched
        start, end = whole.start - offset, whole.end - offset
        masked = masked[:start] + " " * (end - start) + masked[end:]
    for at, run, tokens in _runs(masked):
        index = 0
        while index < len(tokens):
            matched = _longest_match(run, tokens, index, people, acronyms)
            if matched is None:
                index += 1
                continue
            end_index, canonical, label = matched
            start = at + tokens[index][0]
            end = at + tokens[end_index - 1][1]
            surface = text[start:end]
            found.append(
                Mention(
                    text=surface,
                    label=label,
                    start=offset + start,
                    end=offset + end,
                    canonical=canonical,
                )
            )
            index = end_index
    return found


_Words = tuple[tuple[int, int], ...]
"""Words as their ``(start, end)`` offsets in a run."""


def _runs(text: str) -> list[tuple[int, str, _Words]]:
    """Runs of capitalised words: each one's offset, its text and its words (:func:`_run_words`)."""
    return [
        (run.start(), run.group(), words)
        for run in _RUN.finditer(text)
        for words in _run_words(run.group())
    ]


def _run_words(run: str) -> tuple[_Words, ...]:
    """The words of a run of capitalised words, split where the scraper glued words
    (:func:`glued_words`: "Subiantomemantau" is "Subianto" and a verb); a lower-case word
    glued on ends the run's words there, and the words after it are another group.
    Cached when short: most runs recur ("Presiden Joko Widodo", "Jakarta"); a long one (an
    all-capitals paragraph) seldom does and would hold its words in memory."""
    return _short_run_words(run) if len(run) <= _CACHED_RUN else _split_run(run)


_CACHED_RUN = 100
"""Characters of the longest run :func:`_run_words` caches."""


def _split_run(run: str) -> tuple[_Words, ...]:
    out = []
    tokens: list[tuple[int, int]] = []
    for start, end in glued_words(run):
        if run[start].islower():
            if tokens:
                out.append(tuple(tokens))
            tokens = []
            continue
        tokens.append((start, end))
    if tokens:
        out.append(tuple(tokens))
    return tuple(out)


_short_run_words = lru_cache(maxsize=50_000)(_split_run)


def _unglued(rest: str) -> str:
    """A title's following words with the glued ones split, cut at a glued lower-case word
    ("RIPrabowo Subiantomemantau" → "RI Prabowo Subianto")."""
    words = []
    for start, end in glued_words(rest):
        piece = rest[start:end]
        if piece[:1].islower():
            break
        words.append(piece)
    return " ".join(words)


def _person_after(run: str, tokens: _Words, index: int, people: dict[str, str]) -> int | None:
    """The end of the longest known person's name starting at token ``index``, if any."""
    for end in range(min(len(tokens), index + 4), index, -1):
        if run[tokens[index][0] : tokens[end - 1][1]] in people:
            return end
    return None


def _longest_match(
    run: str,
    tokens: _Words,
    index: int,
    people: dict[str, str],
    acronyms: dict[str, str],
) -> tuple[int, str, EntityLabel] | None:
    first = tokens[index][0]
    for end in range(min(len(tokens), index + 6), index, -1):
        span = run[first : tokens[end - 1][1]]
        if span in people:
            return end, people[span], "PER"
        hit = lookup(span)
        if hit is not None:
            if end == index + 1 and key(span) in weak_names():
                # A city's alternate name before a known person's name is that person's
                # given name ("Nanto" is Nantes in Esperanto; "Nanto Dwi Subekti").
                person_end = _person_after(run, tokens, end, people)
                if person_end is not None:
                    whole = run[first : tokens[person_end - 1][1]]
                    _register_person(whole, people)  # so "Nanto" alone is them too
                    return person_end, people.get(whole, whole), "PER"
            return end, hit[0], hit[1]
        words = span.split()
        if (
            len(words) >= 2
            and (words[0].lower() in ORG_HEADS or words[-1].lower() in ORG_TAILS)
            and words[0].lower() not in STOPWORDS
            and not any(w in people for w in words[1:])
        ):
            # An organisation name runs up to (and includes) a trailing country name.
            return end, span, "ORG"
    single = run[first : tokens[index][1]]
    if single in acronyms:
        expansion = lookup(acronyms[single])
        return index + 1, expansion[0] if expansion else acronyms[single], "ORG"
    return None


def entity_table(articles: Iterable[Article]) -> list[Entity]:
    """Canonical entities with their spellings and counts, most widely reported first."""
    by_name: dict[tuple[str, str], Entity] = {}
    for article in articles:
        seen: set[tuple[str, str]] = set()
        for mention in article.mentions:
            ident = (mention.canonical, mention.label)
            entity = by_name.setdefault(ident, Entity(name=mention.canonical, label=mention.label))
            entity.mentions += 1
            if mention.text not in entity.aliases:
                entity.aliases.append(mention.text)
            if ident not in seen:
                entity.articles += 1
                seen.add(ident)
    return sorted(by_name.values(), key=lambda e: (-e.articles, -e.mentions, e.name))
