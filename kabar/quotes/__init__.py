"""Quotes: who said what, in Indonesian and English news.

A pure stage after :mod:`kabar.entities`: it reads an article's body and its mentions and
returns the direct quotes (words inside quotation marks) and the reported speech
("Putin mengatakan bahwa …", "menurut X, …", "X said …") it finds, each with the span of
what was said and the entity who said it.

Attribution is by the cue words of news writing, not by a trained model: Indonesian
outlets quote in a handful of fixed shapes ("…," kata Presiden Vietnam, To Lam, kepada
wartawan; "…," ujarnya; Menurut X, …; X mengatakan, …) and so do English wires ("…," said
X; X said …; according to X, …). The speaker is the person (else organisation or place)
named next to the cue, found among the article's mentions so that it carries the
mention's canonical name and role; a pronoun ("dia", "ia", "he"), a "-nya" cue
("katanya", "ujarnya") or a bare role ("kata Kapolres") refers back to the last speaker
(or the last person named), and a quote paragraph with no cue continues the quote before
it. An unnamed speaker ("seorang warga", "a source") leaves the quote without a speaker.
A speaker is named as the article names its entity best: the same words resolved elsewhere
in it, the full name an acronym spells ("KDM", "NPR"), the spelling of the speaker just
quoted when a name is written once otherwise ("Weldy" after "Weldi").
Everything is regular expressions over one article: well under a millisecond of work per
quote. A learned ranker over the candidate speakers (``train/quotes_ranker.py``),
cross-validated on the dev gold, never beat the rules: the rules decide.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import functools
import itertools
import re
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from kabar.alternation import lowered_twin, search_lowered, trie_alternation
from kabar.model import Article, Mention, Quote
from kabar.text import DEGREE

# --- cue words -----------------------------------------------------------------------------

# Verb-first cues written after a quote: "…," kata X / "…," ujarnya / "…," said X.
_AFTER_ID = (
    "kata|ujar|ucap|tutur|jelas|tegas|imbuh|ungkap|sebut|terang|papar|lanjut|tambah|pungkas"
    "|tandas|beber|cetus|kilah|timpal|sambung|urai|seru|aku|tulis|bilang|katakan|ungkapkan"
    "|tutup|sahut|tanya|jawab|harap|pinta|kenang|cerita|komentar"
)
_SUBJECT_ID = (
    "mengatakan|menyatakan|menegaskan|menjelaskan|mengungkapkan|mengungkap|menuturkan"
    "|menyebutkan|menyebut|menambahkan|berkata|mengaku|mengakui|menilai|berpendapat|mengklaim"
    "|memastikan|menyampaikan|mengingatkan|menekankan|membeberkan|memaparkan|menerangkan"
    "|menandaskan|membantah|berujar|bertutur|mengemukakan|melanjutkan|menyinggung|mengatakannya"
    "|menuding|menduga|mengungkapkannya|menjawab|menanggapi|mengklarifikasi|menyebutnya"
    "|menguraikan"
    "|bilang|berpesan|menceritakan|mengisahkan|mengonfirmasi|mengumumkan|melaporkan"
    "|memperingatkan|menuduh|mencatat|memprediksi|memperkirakan|memproyeksikan|meyakini"
    "|mengutarakan|menyoroti|menampik|memungkiri|mengeklaim|meyakinkan|menganggap"
    "|menaksir|membenarkan|menepis|berdalih|beralasan|mengimbuhkan|menggarisbawahi"
    "|melihat|merinci"
)
_EN = (
    "said|says|say|told|tells|added|adds|stated|states|explained|noted|notes|warned|warns"
    "|insisted|insists|claimed|claims|argued|argues|declared|announced|acknowledged|admitted"
    "|wrote|writes|replied|recalled|continued|cautioned|predicted|remarked"
    "|confirmed|conceded|concluded|maintained|observed|testified|posted|tweeted"
    "|lamented|complained|stressed|emphasized|emphasised|asserted|suggested"
)


def _verb_pattern(words: list[str], glued: list[str]) -> str:
    r"""``\b(?:words)\b|(?<=[a-z])(?:glued)\b`` with the words' first letter in front, one
    branch per letter: ``c(?:(?<!\w.)rest\b|(?<=[a-z].)rest\b)``, the look-behinds, two
    characters wide, reading before the letter what ``\b`` and ``(?<=[a-z])`` read there
    (the letter is a word character). A pattern that opens with a letter lets ``re`` skip
    to the places where a cue verb can start, where a leading ``\b`` made it try every
    character (a third of the search); the same matches, branch for branch in order."""
    starts: dict[str, tuple[list[str], list[str]]] = {}
    for word in words:
        starts.setdefault(word[0], ([], []))[0].append(word[1:])
    for word in glued:
        starts.setdefault(word[0], ([], []))[1].append(word[1:])
    branches = []
    for first, (rests, glued_rests) in sorted(starts.items()):
        parts = [rf"(?<!\w.){trie_alternation(rests)}\b"] if rests else []
        if glued_rests:
            parts.append(rf"(?<=[a-z].){trie_alternation(glued_rests)}\b")
        branches.append(f"{re.escape(first)}(?:{'|'.join(parts)})")
    return "|".join(branches)


_VERB = re.compile(
    _verb_pattern(
        [*_SUBJECT_ID.split("|"), *_EN.split("|")],
        [w for w in _SUBJECT_ID.split("|") if len(w) >= 7],
    )
)
"""A cue verb, also glued to the name before it where a link was stripped ("Vladimir
Putinmengatakan bahwa …"; :func:`_verbs` keeps those after a capitalised word only); a
glued one has seven letters or more. Written as tries (:mod:`kabar.alternation`), behind
their first letters (:func:`_verb_pattern`): the plain alternation, tried at every
character, cost twice as much; the ``\b`` after each lets one word at most match at a
position, so the matches are the same."""
_CUE_AT_END = re.compile(
    rf",\s*(?:(?P<kw>menurut|according to|{trie_alternation(_AFTER_ID.split('|'))}(?:nya)?"
    rf"|{trie_alternation(_EN.split('|'))})\b(?P<rest>[^\"“”]{{0,80}})"
    rf"|(?P<subj>[^,]{{1,60}}?)\s+(?P<en>{trie_alternation(_EN.split('|'))})\b(?![^,]*\bthat\b)"
    r"[^,]{0,40})[.!?]?\s*$",
    re.IGNORECASE,
)
"""The cue closing a sentence: "content, menurut X." / "content, kata X." / "content, X said."
The cue words as tries (see :data:`_VERB`; ``\\b`` follows each): the lazy subject tries
the English verbs at every length up to 60 characters."""
_CUE_AT_END_LOWER = lowered_twin(_CUE_AT_END)
"""Its case-sensitive twin over the lowercased sentence (what finds it, in half the time)."""
_AFTER_QUOTE = re.compile(
    rf"^\s*[,.]?\s*(?:(?:demikian|begitu)\s+)?(?:(?P<nya>(?:{_AFTER_ID})nya)\b|(?P<cue>{_AFTER_ID}|(?-i:menurut))\b"
    rf"|(?P<en>{_EN})\b|(?P<lapor>(?:laporan|pernyataan|keterangan|tulis|bunyi)\b))",
    re.IGNORECASE,
)
_EN_AFTER_SUBJECT = re.compile(rf"^\s*,?\s*(?P<subject>[^.,;\"“”]{{1,70}}?)\s+(?P<en>{_EN})\b")
_ID_AFTER_SUBJECT = re.compile(
    rf"^\s*,?\s*(?P<subject>[^.,;\"“”]{{1,70}}?)\s+(?:(?:juga|pun|kembali|lalu|kemudian|pula)\s+)*"
    rf"(?P<verb>{_SUBJECT_ID})\b"
)
_AFTER_APPOSED = re.compile(
    rf"^\s*,?\s*(?P<subject>[A-Z][^.,;\"“”]{{1,40}}?)\s*,[^.;\"“”]{{1,90}}?,\s*"
    rf"(?P<en>{_EN}|{_SUBJECT_ID})\b"
)
"""A cue after a quote whose subject has an apposition: "…," Andy Hopwood, vice president
for Strategy, said."""
_MENURUT = re.compile(r"\b(?:menurut|according to|kata)\b", re.IGNORECASE)
_CREDIT = re.compile(
    r"\b(?:dilansir|melansir|dikutip|mengutip|seperti dilaporkan|dilaporkan|diberitakan"
    r"|reported by|quoted by|citing)\b|menurut (?:laporan|data|hasil|catatan|survei)",
    re.IGNORECASE,
)
_SAYING_STEMS = tuple("sampai ungkap tegas kata jelas papar utara tutur sebut ucap".split())
"""Stems of the passive verbs of saying, ``di…kan`` ("disampaikan", "dikatakan")."""
_AGENT_STEMS = tuple(
    s for s in _SAYING_STEMS if s not in {"tegas", "jelas", "papar", "sebut", "ucap"}
)
"""Those the vox-pop writes right before the one who speaks next (:data:`_PASSIVE_AGENT`)."""
_NYA_STEMS = (
    *(s for s in _SAYING_STEMS if s != "utara"),
    *"tambah terang beber akui kemuka".split(),
)
"""Those of a passive cue with "-nya" as its agent ("Dijelaskannya"), with more."""
_PASSIVE_NYA = re.compile(
    rf"\s*(?P<cue>Di(?:{'|'.join(_NYA_STEMS)})kannya"
    r"|(?:Lanjut|Tambah|Imbuh|Jelas|Tegas|Ujar|Ungkap|Tutur|Terang|Papar)nya)"
    r"\s*,\s*"
)
"""A passive cue whose agent is "-nya", opening the sentence: "Dijelaskannya, …", or a cue
word with "-nya" doing the same: "Lanjutnya, …"."""
_PARENTHETICAL = re.compile(
    r"(?:,\s*(?P<cue>menurut|kata|lanjut|tambah|jelas|ujar|imbuh|tutur|ucap|terang|tegas|papar"
    r"|sambung|ungkap|beber|urai|tandas|sebut|disebut|dikatakan|dijelaskan|diungkapkan)"
    r"(?:nya\b|\s+(?P<who>(?:dia|ia|beliau|mereka|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})))\s*,)"
    r"|(?<=\s)(?P<cue2>menurut)(?:nya\b|\s+(?P<who2>dia|ia|beliau|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}))"
    r"(?=\s+[a-z])"
)
"""A cue set inside its sentence, between commas (", kata Sugiono,", ", menurut dia,", ",
sambung Indra,", ", disebut Hotman,"), or
"menurut X" before the rest of the clause ("Situasi tersebut menurutnya akan …")."""
_CONNECTIVES = (
    "namun", "tetapi", "sementara itu", "selain itu", "lebih lanjut", "di sisi lain", "adapun",
)  # fmt: skip
"""Connectives opening a sentence before its subject, which each list below holds (each adds
its own)."""
_LEADING_ONLY = re.compile(
    rf"(?:{'|'.join(_CONNECTIVES)}|akan tetapi|oleh karena itu|karena itu|untuk itu"
    r"|dengan demikian|meski demikian|kendati demikian)?",
    re.IGNORECASE,
)
_OPENING_NAME = re.compile(r"\s*(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3})\s*,")
"""Capitalised words opening a sentence, then a comma (an apposition follows)."""
_OPENING_PERSON = re.compile(
    r"\s*(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*(?:\(\d{1,3}\)\s*)?,"
)
"""A name opening a sentence, with an age perhaps, then a comma: "Jamal (40), …"."""
_SPEAKING = re.compile(
    rf"\s+(?:(?:juga|pun|kembali|lalu|kemudian|pula|sempat|turut)\s+)*(?:{_SUBJECT_ID}|{_EN})\b"
)
"""A cue verb right after a name: the name is the verb's subject."""
_DATE_LEAD = re.compile(
    r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday)\b|\(?\d{1,2}/\d{1,2}"
)
"""A date where the cue's name should be."""
_PLACE_LEAD = re.compile(r"(?:di|pada|kepada|dalam|saat|usai|seusai|ketika|setelah)\s")
"""A place or a time where the cue's name should be ("…," kata di Jakarta, Sabtu …)."""


_CONNECTIVE = re.compile(
    rf"(?:{'|'.join(c.capitalize() for c in _CONNECTIVES)}|Tapi|Sedangkan|Kemudian|Lalu|Bahkan"
    r"|Sebelumnya|Terpisah|Di tempat terpisah)\s*,?\s+"
)
"""A connective opening a sentence before its subject."""


_DEGREES = re.compile(rf"(?<=,)\s*(?:{DEGREE}|[A-Z]{{2,4}}|Ph\.?D\.?)(?=\s*,)")
"""Academic degrees after a name ("Fika Minata Wathan, M.Kes,", "…, SH, MH,"): the dotted ones
(:data:`kabar.text.DEGREE`) and the undotted capitals."""


_HANDLE = re.compile(
    r"\s*(?:akun\s+(?:[A-Za-z]+\s+)?)?@(?P<h>[A-Za-z][A-Za-z0-9_.]{2,29}[A-Za-z0-9])"
)
"""A social-media account written as its handle ("@sekretariat.kabinet")."""


_POLICE = re.compile(r"(?:pihak\s+|aparat\s+)?(?:polisi|kepolisian)")
"""The police as a sentence's subject, no officer named there."""
_POLICE_WORDS = frozenset(
    "polri polda polres polresta polrestabes polsek kapolda kapolres"
    " kapolresta kapolsek kasat reskrim satreskrim kasatreskrim kabid humas kasi kanit"
    " akbp akp kompol kombes iptu ipda aiptu aipda bripka brigjen irjen komjen".split()
)
"""A police rank or unit in a person's role."""


ROLE_WORDS = 10
"""Words of a role read back from a person's name ("Kapolresta Bogor Kota Polda Jawa Barat
Kombes")."""
_HONORIFICS = re.compile(r"(?:\b(?:Dr|dr|Drs|Dra|Hj|H|Prof|Ir|KH|Kyai)\.?\s*)+$")
"""Honorifics and academic titles right before a name."""


def _end(match: re.Match[str]) -> int:
    return match.end()


_FEELING = re.compile(
    r"(?:rasa|apresiasi|terima\s+kasih|kebahagiaan|kebanggaan|keprihatinan|kekecewaan"
    r"|kekhawatiran|kegembiraan|kesedihan|duka|belasungkawa|ucapan|selamat|permohonan"
    r"|permintaan|penghargaan|kepuasan|ketidakpuasan|kesiapan|komitmen|dukungan|sikap"
    r"|keberatan|penolakan|keinginan|harapan|solidaritas|simpati|empati|penyesalan|kecaman"
    r"|kesediaan|persetujuan|ketidaksetujuan|kesanggupan|optimisme|kemarahan|kekaguman)(?:nya)?\b",
    re.IGNORECASE,
)
"""A cue with a noun phrase of feeling or stance, not a clause ("menyatakan kepuasan",
"menyampaikan rasa bangganya karena …", "menegaskan komitmennya dalam …")."""
_ADDED = re.compile(
    r",\s*(?:seraya\s+|sambil\s+|dan\s+)?(?P<verb>menambahkan|mengatakan|menegaskan|menjelaskan"
    r"|menyebut|adding|saying|noting)\s+(?:bahwa|that)\s+",
    re.IGNORECASE,
)
"""A quote's cue followed by more reported speech: "…," ujarnya, menambahkan bahwa …"."""
_PASSIVE_SAY = re.compile(
    r"\b(?:hal|ini|itu|demikian)\s+(?:(?:ini|itu|tersebut)\s+)?(?:juga\s+)?"
    rf"di(?:{'|'.join(_SAYING_STEMS)})kan\b(?:\s+oleh)?",
    re.IGNORECASE,
)
"""A passive verb of saying whose agent speaks the next quotes ("Hal itu ditegaskan X")."""
_PRONOUN = re.compile(
    r"^(?:dia|ia|beliau|dirinya|mereka|he|she|they|it|we|i|kami|saya|aku)\b", re.IGNORECASE
)
_SPEAKER_STOP = re.compile(
    r"\s(?:kepada|pada|dalam|di|saat|ketika|usai|seusai|setelah|sebelum|dari|melalui|lewat"
    r"|dikutip|dilansir|seperti|sambil|sembari|to|in|at|on|during|after|before|when|while"
    r"|from|as|via|told|speaking)\s|[;:\"“”]"
    r"|(?<!\bDr)(?<!\bdr)(?<!\bProf)(?<!\bprof)(?<!\bIr)(?<!\bDrs)(?<!\bMr)(?<!\bMrs)(?<!\bMs)"
    r"(?<!\bSt)(?<!\bH)(?<!\bHj)(?<!\bKH)\."
)
"""Where a speaker after a cue ends: a preposition, a clause, punctuation; not the dot of a
title ("kata Dr. Allen")."""
_QUOTE_OPEN = "“‘«"
_QUOTE_CLOSE = "”’»"
_STRAIGHT = '"'
_SENTENCE_END = re.compile(r"""(?<=[.!?])["'”’)]*\s+(?=["'“‘(]?[A-Z0-9])""")
_GLUED = re.compile(
    r"(?<=[a-z]{3}[.!?])(?=[A-Z][a-z])|(?<=[a-z]{2}[.!?][\"”])(?=[A-Z])"
    r"|(?<=[a-z]{3}[.!?])(?=[\"“][A-Z])|(?<=\d\)[.!?])(?=[A-Z][a-z])"
    r"|(?<=[a-z]{3}[.!?])(?=\d{1,2}\s+[A-Z][a-z])"
)
"""Sentences glued where a link was cut: "nuklir.Peringatan", '"Madleen."FFC mengatakan',
'Telegram."Quadcopter …', "Rabu (11/6/2025).Sarmidi menyebut", a numbered heading
"kekerasan.4 Penyebab Intervensi …"."""
_GLUE_HINT = re.compile(r"""[.!?]["”]?[A-Z\d"“]""")
"""What every :data:`_GLUED` point has around it (an end mark, maybe a closing quote, then
a capital, a digit or an opening quote): a cheap test before its lookbehinds, which are
tried at every character."""
_ABBREVIATIONS = frozenset(
    "dr drs ir prof h hj st jl no kh mr mrs ms jr sr gen col lt sgt rev dkk tn ny sdr bpk"
    " u.s a.s m.t mt s.h s.e m.m m.si s.ip s.pd sen rep gov inc corp co ltd vs".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)
MIN_QUOTE_WORDS = 4
"""A shorter quoted phrase is a title or a scare quote ("dukungan penuh"), unless a cue
attributes it right away."""
BACK = 2
"""Paragraphs a cue-less quote may look back for the quote it continues."""
BACK_CHARS = 3000
"""How far back in its paragraph a pronoun looks for the person it stands for."""
DESCRIBED_CHARS = 20_000
"""How far back a description ("the prosecutor") looks for the person it describes."""
SPEAKING_CHARS = 1000
"""How far back a cue-less quote looks for the sentence right before it."""


@dataclass
class _Speaker:
    mention: Mention | None
    text: str
    """As written next to the cue."""
    name: str | None = None
    """A name the tagger did not mark ("said Hashmiddin"), when there is no mention."""


# --- public --------------------------------------------------------------------------------


def extract_quotes(article: Article) -> list[Quote]:
    """The article's quotes and reported speech in body order, each with its speaker."""
    return _Finder(article).run()


def with_speakers(article: Article) -> list[Quote]:
    """The article's quotes with their speakers' canonical names read again from its
    mentions (after cross-article resolution renamed them)."""
    by_span = {(m.start, m.end): m for m in article.mentions if m.where == "body"}
    people = {n for m in by_span.values() if m.label == "PER" for n in (m.text, m.canonical)}
    out = []
    for quote in article.quotes:
        if quote.speaker_start is not None and quote.speaker_end is not None:
            mention = by_span.get((quote.speaker_start, quote.speaker_end))
            if mention is not None:
                quote = dataclasses.replace(
                    quote, speaker=_speaker_name(mention, article.body, people)
                )
        out.append(quote)
    return out


# --- the finder ----------------------------------------------------------------------------


class _Finder:
    def __init__(self, article: Article) -> None:
        self.nicknames: dict[str, Mention] | None = None
        """Nicknames the article gives ("yang karib disapa Gus Ipul") → the person."""
        self.body = article.body
        body_mentions = [m for m in article.mentions if m.where == "body"]
        self.mentions = sorted(
            _not_people(self.body, body_mentions + _initialled(self.body, body_mentions)),
            key=lambda m: m.start,
        )
        self.starts = [m.start for m in self.mentions]
        self.english = article.language == "en"
        self.quotes: list[Quote] = []
        self.last: _Speaker | None = None
        self.paragraph: tuple[int, list[tuple[int, int]]] = (0, [])
        """The current paragraph's start and quoted spans (for pronouns), in order."""
        self.span_starts: list[int] = []
        self.previous: int | None = None
        """The previous paragraph's start."""
        self.last_end = -1
        """Where the last quote ends."""
        self.names: dict[tuple[str, str, str], str] = {}
        """Speakers' cleaned names by mention text, canonical name and label."""
        self.people: set[str] = set()
        """The persons' names the article writes (made when a speaker needs them)."""
        self.person_texts: dict[str, Mention] | None = None
        """The first person mention by its words (made when a speaker needs it)."""
        self.surfaces: dict[str, Mention] | None = None
        """A resolved mention by its words (made when a speaker needs it)."""
        self.counts: Counter[str] | None = None
        """How many mentions each canonical name has (made when first read: :meth:`count`)."""
        self.name_heads: set[str] | None = None
        """Capitalised words the body writes inside a sentence before another capitalised
        word (see :meth:`sentence_word`)."""
        self.initials: dict[str, dict[str, Mention]] | None = None
        """Multi-word names by their initials (see :meth:`expanded`)."""
        self.acronyms: dict[str, Mention | None] = {}
        """Mentions per canonical name."""
        self.roles: dict[str, list[int]] | None = None
        """The indices of the persons in ``mentions`` by the words of their roles (made
        when a bare role needs them)."""
        self.written_roles: dict[int, list[str]] = {}
        """:meth:`role_words` by the mention's index (read once per mention)."""
        self.held_roles: dict[str, list[int]] | None = None
        """The indices of the persons by the words of the role written before the name
        (:meth:`written_role`; made when a bare title needs them)."""
        self.role_runs: dict[str, list[int]] | None = None
        """The indices of the persons whose written role opens with a title, by each word
        of it and each run of up to four of its words joined (:meth:`role_named`)."""
        self.role_sets: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        """The words and the runs of each person indexed in ``role_runs``, by its index."""
        self.companies: list[int] | None = None
        """The indices of the company mentions ("PT … Tbk"; :meth:`company_before`)."""
        self.police: list[int] | None = None
        """The indices of the persons with a police rank or unit in their role or in the
        words before the name (:meth:`police_officer`)."""

    # paragraphs and sentences with their offsets

    def paragraphs(self) -> list[tuple[int, int]]:
        spans = []
        for match in re.finditer(r"[^\n]+", self.body):
            if match.group().strip():
                spans.append((match.start(), match.end()))
        return spans

    def sentences(self, start: int, end: int) -> list[tuple[int, int]]:
        text = self.body[start:end]
        spans = []
        begin = 0
        for match in _SENTENCE_END.finditer(text):
            candidate = text[begin : match.start()].rstrip()
            last = candidate.rsplit(" ", 1)[-1].rstrip(".!?\"'”’)").lower()
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            spans.append((start + begin, start + match.start()))
            begin = match.end()
        spans.append((start + begin, end))
        out = []
        for s, e in spans:  # "nuklir.Peringatan": a sentence glued to the one before
            if _GLUE_HINT.search(self.body, max(0, s - 2), e) is None:
                out.append((s, e))
                continue
            for glued in _GLUED.finditer(self.body, s, e):
                out.append((s, glued.start()))
                s = glued.start()
            out.append((s, e))
        return [(s, e) for s, e in out if self.body[s:e].strip()]

    def run(self) -> list[Quote]:
        paragraphs = self.paragraphs()
        last_quote_paragraph = -10
        ptb = _ptb_spans(self.body) if "``" in self.body else []
        ptb_starts = [start for start, _end in ptb]
        taken: list[tuple[int, int]] = []
        for index, (p_start, p_end) in enumerate(paragraphs):
            spans = _quoted_spans(self.body, p_start, p_end)
            # the Penn Treebank quotes opening in the paragraph (found by bisection: the
            # list is in body order, and filtering all of it for every paragraph is quadratic)
            spans += ptb[
                bisect.bisect_left(ptb_starts, p_start) : bisect.bisect_left(ptb_starts, p_end)
            ]
            self.previous = self.paragraph[0] if index else None
            self.paragraph = (p_start, sorted(spans))
            self.span_starts = [span[0] for span in self.paragraph[1]]
            # direct quotes
            for q_start, q_end in spans:
                content = self.body[q_start:q_end]
                words = len(_WORD.findall(content))
                close = q_end + (2 if self.body.startswith("''", q_end) else 1)
                line_end = self.body.find("\n", close)
                line_end = len(self.body) if line_end < 0 else line_end
                close = min(close, line_end)
                speaker, cue = self.after(close, line_end)
                if speaker is None and not self.body[close:line_end].strip(" .,"):
                    # a quote's line, then "said Mark Proegler , a spokesman for BP ." on
                    # the next one (a cue never opens a sentence in lower case)
                    cue_line = re.match(r"\s*\n\s*(?=[a-z])", self.body[line_end : line_end + 8])
                    if cue_line is not None:
                        next_start = line_end + cue_line.end()
                        next_end = self.body.find("\n", next_start)
                        next_end = len(self.body) if next_end < 0 else next_end
                        speaker, cue = self.after(next_start, next_end)
                        if speaker is not None:
                            taken.append((next_start, next_end))
                if speaker is None:
                    opening = q_start - (2 if self.body.startswith("``", q_start - 2) else 1)
                    speaker, cue = self.before(opening, p_start)
                if cue == "partial":
                    continue
                if (
                    speaker is None
                    and words >= MIN_QUOTE_WORDS
                    and index + 1 < len(paragraphs)
                    and not self.body[p_start:q_start].strip(' “"')
                    and not self.body[close:p_end].strip(" .,")
                    and (index - last_quote_paragraph > BACK or self.last is None)
                ):
                    # "“…”" alone, then "Hal itu disampaikan Direktur Utama Perum Bulog Novi
                    # Helmy Prasetya …": the next paragraph names who said it (a quote that
                    # goes on from the speaker of the quote just before is theirs)
                    speaker, cue = self.named_next(paragraphs[index + 1])
                if (
                    speaker is None
                    and words >= MIN_QUOTE_WORDS
                    and q_start > p_start + 1
                    and not _inside_clause(self.body, q_start, p_start)
                    and (speaking := self.speaking_before(p_start, q_start)) is not None
                ):
                    # "Novi … mengatakan stok beras aman. “Stok beras di gudang …”": the
                    # quote goes on from the person the paragraph has just reported
                    speaker, cue = _Speaker(speaking, speaking.text), ""
                if speaker is None:
                    if words < MIN_QUOTE_WORDS:
                        continue
                    if _inside_clause(self.body, q_start, p_start):
                        continue  # a quoted phrase inside a sentence of the writer's
                    if index - last_quote_paragraph > BACK or self.last is None:
                        continue
                    speaker, cue = self.last, ""
                elif (
                    words < MIN_QUOTE_WORDS
                    and cue not in ("", ":")
                    and _inside_clause(self.body, q_start, p_start)
                ):
                    continue
                start, end = _trim(self.body, q_start, q_end)
                if end - start < 2:
                    continue
                self.add(start, end, speaker, cue, "direct")
                taken.append((q_start - 1, close))
                self.added_clause(close, line_end, speaker)
                last_quote_paragraph = index
            # reported speech in the sentences the direct quotes leave
            for s_start, s_end in self.sentences(p_start, p_end):
                # the direct quotes' spans that end before this sentence overlap no later
                # one (sentences come in body order): dropped, or testing them all for
                # every sentence is quadratic in a long article
                taken = [span for span in taken if span[1] > s_start]
                if any(
                    t_start < s_end and s_start < t_end for t_start, t_end in taken
                ) and not _outside_quotes_tail(self.body, s_start, s_end, taken):
                    # "Robert Gibbs said no one was blaming BP , but added : `` … ''": the
                    # writer's part before the quote may report speech of its own
                    first = min(t for t, e in taken if t < s_end and s_start < e)
                    lead = _LEAD_CUE.search(self.body, s_start, first)
                    if (
                        first - s_start > 40
                        and lead is not None
                        and self.reported(s_start, lead.start())
                    ):
                        last_quote_paragraph = index
                    continue
                if self.reported(s_start, s_end):
                    last_quote_paragraph = index
        self.quotes.sort(key=lambda q: q.start)
        return self.quotes

    def named_next(self, paragraph: tuple[int, int]) -> tuple[_Speaker | None, str]:
        """The speaker a paragraph names for the quote paragraph before it, when it opens
        with a passive verb of saying ("Hal itu disampaikan X", "Demikian dikatakan X")."""
        n_start, n_end = paragraph
        found = re.compile(r"\s*").match(self.body, n_start)
        begin = found.end() if found else n_start
        passive = _PASSIVE_SAY.match(self.body, begin, n_end)
        if passive is None:
            return None, ""
        stop = _first_stop(self.body, passive.end(), n_end)
        speaker = self.named(passive.end(), stop, after_cue=True)
        if (speaker.mention is None and speaker.name is None) or _AGENT_BREAK.search(
            self.body, passive.end(), speaker.mention.start if speaker.mention else stop
        ):
            return None, ""
        verb = re.search(r"di[a-z]+", passive.group())
        return speaker, verb.group().lower() if verb else ""

    # one quote

    def add(self, start: int, end: int, speaker: _Speaker, cue: str, kind: str) -> None:
        mention = speaker.mention
        if mention is not None:
            better = self.same_entity(mention)
            if better is not mention:
                mention = better
                speaker = _Speaker(better, speaker.text, speaker.name)
        self.quotes.append(
            Quote(
                start=start,
                end=end,
                kind=kind,  # type: ignore[arg-type]
                cue=cue.lower(),
                speaker=self.speaker_name(mention)
                if mention
                # a one-word name the tagger missed may be an organisation's
                # ("Transocean"): only a glued cue or function word is cut from it
                else (
                    clean_name(speaker.name, self.body, " " in speaker.name)
                    if speaker.name
                    else None
                ),
                speaker_label=mention.label if mention else None,
                speaker_text=speaker.text,
                speaker_start=mention.start if mention else None,
                speaker_end=mention.end if mention else None,
                role=mention.role if mention else None,
            )
        )
        self.last = speaker
        self.last_end = max(self.last_end, end)

    def context_words(self, mention: Mention, low: int | None = None) -> set[str]:
        """The words of a person's role and of what is written right before the name in
        its sentence ("Menteri Sosial (Mensos) Saifullah Yusuf"), from ``low`` (50
        characters back by default), lower case."""
        low = mention.start - 50 if low is None else low
        before = re.split(r"[.!?\n\"“”,]", self.body[max(0, low) : mention.start])
        context = f"{mention.role or ''} {before[-1]}".lower()
        return {w for w in _WORD.findall(context) if len(w) > 2}

    # speakers

    def nickname(self, mention: Mention) -> Mention | None:
        """The person a nickname given to a bare role stands for: "Mensos yang karib disapa
        Gus Ipul" after "Menteri Sosial (Mensos) Saifullah Yusuf" (the role's holder). A
        nickname after a name ("Saifullah Yusuf yang akrab disapa Gus Ipul") is the entity
        stage's alias; a name inside the head ("Ketua Kwarda NTT yang akrab disapa
        Pieter") leaves the nickname alone."""
        if self.nicknames is None:
            self.nicknames = {}
            # every match holds one of the cue words (the scan tries each capitalised word)
            cued = any(word in self.body for word in _NICKNAME_CUES)
            for m in _NICKNAME.finditer(self.body) if cued else ():
                head_start, head_end = m.span("head")
                head = m.group("head").lower()
                if any(p.label == "PER" for p in self.mentions_in(head_start, head_end)):
                    continue
                if head in _PERSON_NOUNS:
                    # "Pria yang akrab disapa Gus Ipul ini": the person named just before
                    person = self.person_since(max(0, head_start - BACK_CHARS), head_start)
                    found = _Speaker(person, head) if person is not None else None
                elif _role_word(head) or head in _ROLE_SHORT:
                    found = self.role_back(head_start, head)
                else:
                    continue
                if found is not None and found.mention is not None:
                    self.nicknames.setdefault(m.group("alias"), found.mention)
        if not self.nicknames or mention.label != "PER":
            return None
        target = self.nicknames.get(mention.text)
        return target if target is not None and target.canonical != mention.canonical else None

    def same_entity(self, mention: Mention) -> Mention:
        """The mention that names a speaker's entity best, when the tagger and the resolver
        left the article's own equivalences apart: the same words resolved elsewhere in the
        article ("FFC" after "Freedom Flotilla Coalition (FFC)"), an acronym of a name the
        article writes in full ("NPR", "KDM" for Kang Dedi Mulyadi), a name spelt once and
        differently from the speaker just quoted ("Weldy" after "Weldi"), a nickname ("Gus
        Ipul", see :meth:`nickname`)."""
        nick = self.nickname(mention)
        if nick is not None:
            return nick
        if mention.canonical != mention.text:
            return mention
        if self.surfaces is None:
            self.surfaces = {}
            for m in self.mentions:
                if m.canonical != m.text:
                    self.surfaces.setdefault(m.text, m)
        resolved = self.surfaces.get(mention.text)
        if resolved is not None and (resolved.label == "PER") == (mention.label == "PER"):
            return resolved
        acronym = mention.text
        if 2 <= len(acronym) <= 6 and acronym.isalpha() and acronym.isupper():
            if acronym not in self.acronyms:
                self.acronyms[acronym] = self.expanded(mention)
            return self.acronyms[acronym] or mention
        last = self.last.mention if self.last is not None else None
        if (
            mention.label == "PER"
            and last is not None
            and last.label == "PER"
            and mention.role is None
            and self.count(mention.canonical) == 1
            and last.canonical != mention.canonical
            and _misspelt(mention.text, last.text)
        ):
            return last
        return mention

    def expanded(self, acronym: Mention) -> Mention | None:
        """The one full name in the article whose initials spell ``acronym`` (a person's
        after an honorific's letter: "KDM", Kang Dedi Mulyadi)."""
        if self.initials is None:  # made once: an acronym's search is then a look-up
            self.initials = {}
            for m in self.mentions:
                words = [w for w in re.split(r"[\s-]+", m.canonical) if w[:1].isupper()]
                if len(words) >= 2 and not any(w.isupper() for w in words):  # not "BNP Paribas"
                    spelt = "".join(w[0] for w in words).upper()
                    keys = [spelt] + ([f"PER:{spelt}"] if m.label == "PER" else [])
                    for key in keys:
                        self.initials.setdefault(key, {}).setdefault(m.canonical, m)
        text = acronym.text
        found = dict(self.initials.get(text, {}))
        for canonical, m in self.initials.get(f"PER:{text[1:]}", {}).items():
            found.setdefault(canonical, m)
        return next(iter(found.values())) if len(found) == 1 else None

    def count(self, canonical: str) -> int:
        """How many of the article's mentions name the entity."""
        if self.counts is None:
            self.counts = Counter(m.canonical for m in self.mentions)
        return self.counts[canonical]

    def speaker_name(self, mention: Mention) -> str:
        key = (mention.text, mention.canonical, mention.label)
        name = self.names.get(key)
        if name is None:
            if not self.people:
                self.people = {
                    n for m in self.mentions if m.label == "PER" for n in (m.text, m.canonical)
                }
            name = self.names[key] = _speaker_name(mention, self.body, self.people)
        return name

    def quoted(self, position: int) -> bool:
        """Whether ``position`` is inside one of the paragraph's quotation marks."""
        spans = self.paragraph[1]
        i = bisect.bisect_right(self.span_starts, position) - 1
        return i >= 0 and position < spans[i][1]

    def iter_mentions(self, start: int, end: int) -> Iterator[Mention]:
        """The mentions inside ``body[start:end]`` in order, one at a time (a caller that
        stops at the first it wants reads no further)."""
        i = bisect.bisect_left(self.starts, start)
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                yield self.mentions[i]
            i += 1

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def named(
        self, start: int, end: int, nearest_last: bool = False, after_cue: bool = False
    ) -> _Speaker:
        """The speaker named in ``body[start:end]``: a person, else an organisation or a
        place; a pronoun, a bare role or a description ("pemain itu", "the singer") refers
        back, and so does a place after a quote's cue (``after_cue``: "…," kata di
        Jakarta, the name left out)."""
        text = _TRAILING.sub("", _LEADING.sub("", self.body[start:end].strip(" ,")))
        found = self.mentions_in(start, end)
        people = [m for m in found if m.label == "PER"]
        others = [m for m in found if m.label != "PER"]
        named_people = [m for m in people if not _titular(m)]
        if named_people:  # "Manager Hukum …, Cahyo Widiantoro": a title tagged as a name
            people = named_people
        if len(people) >= 2:
            # "Kepala Seksi Operasional Gulkarmat Jakarta Barat, Syarifudin": a person
            # mention that is inside another one's role is that role's words
            in_role = [
                p for p in people if any(q.role and p.text in q.role for q in people if q is not p)
            ]
            if in_role and len(in_role) < len(people):
                people = [p for p in people if p not in in_role]
        if len(people) >= 2 and _THROUGH_ANY.search(self.body[people[0].end : people[-1].start]):
            # "Kapolresta X, Kombes Joko melalui Kapolsek Y, Iptu Fazilullah mengatakan": the
            # one who speaks through another is the speaker (the protocol's call)
            people = people[:1]
        if len(people) >= 2:
            # "kata Kepala Pusat Penerangan (Kapuspen) Mabes TNI Mayjen Kristomei Sianturi",
            # "Kepala Dinas Penerangan TNI AU …": a unit of dictionary words after a role or
            # a unit noun, tagged as a person, is the role's unit; the name follows it
            units = [p for p in people[:-1] if self.unit_in_role(start, p)]
            if units:
                people = [p for p in people if p not in units]
        between = self.body[people[0].end : people[1].start] if len(people) >= 2 else "x"
        # (a rank between the two: "Kapolres Cirebon Kota, AKBP Eko Iskandar")
        if not " ".join(w for w in between.split() if not _title_word(w)).strip(" ,"):
            ranked = any(_title_word(w) for w in people[0].text.split()[1:])
            if (self.titled(people[0]) and "," in between) or (ranked and not between.strip()):
                # "ujar Analis Phintraco Sekuritas, Ratna Lim": a role tagged as a person,
                # then the name apposed to it; "Pasar Rebo AKP I Wayan" + "Wijaya": a rank
                # inside a mention, the name split after it
                people = people[1:]
        if after_cue and (apposed := self.untagged_apposed(start, end)):
            # the name right after the cue, not a person tagged in its apposed role
            return _Speaker(None, apposed, apposed)
        if not people:
            # "menurut Sumardji Indonesia sudah …": a name the tagger marks as a person
            # elsewhere in the article, and missed here
            elsewhere = self.person_written(start, end)
            if elsewhere is not None:
                people = [elsewhere]
            elif untagged := self.untagged_person(start, end):
                # "BP Chief Executive Bob Dudley"; in Indonesian a name with its age only:
                # "Jamal (40), seorang saksi mata, mengatakan"
                return _Speaker(None, untagged, untagged)
        handle = _HANDLE.match(self.body, start)  # the body's: a cue's text stops at a dot
        if handle is not None and not people:
            # "…," tulis @sekretariat.kabinet: the account speaks for its owner, whose words
            # the handle writes
            words = re.split(r"[._]+", handle.group("h"))
            return _Speaker(None, text, " ".join(w.capitalize() for w in words if w))
        lowered = text.lower()
        if _ANONYMOUS_END.search(text):
            return _Speaker(None, text)
        if not found and _FIRM.fullmatch(text.lower()):
            # "ujar manajemen", "perusahaan menyatakan": the company the article named
            company = self.company_before(start)
            if company is not None:
                return _Speaker(company, text)
        pronoun = re.search(r"(?:^|\s)(?:he|she|dia|ia|beliau)$", lowered)
        if pronoun is not None and not people:
            # "Speaking from the White House he suggested": the pronoun is the subject
            return self.back(start, text[pronoun.start() :].strip())
        if (
            people
            and ((text[:1].islower() and _DESCRIPTION.search(lowered)) or _QUALIFIED.match(lowered))
            and not _ANONYMOUS.match(lowered)
            and not _NAMED_BEFORE.search(self.body[start : people[0].start])
        ):
            # "vokalis Coldplay tersebut": the name qualifies a description of someone else
            return self.back(start, text, lead=True)
        if (
            people
            and _DESCRIPTION.search(lowered)
            and (_role_word(lowered) or _title_word(text.split(" ", 1)[0]))
            and all(self.count(p.canonical) == 1 for p in people)
        ):
            # "tutur Sekretaris Gerakan Pemuda Ka'bah (GPK) itu": a titled description
            # pointing back; what the tagger took for a person in it is written nowhere else
            return self.back(start, text, lead=True)
        if people:
            holder = self.role_holder(start, people[0])
            if holder is not None:
                return holder
        if people:
            pick = people[-1] if nearest_last else people[0]
            return _Speaker(pick, pick.text)
        if (
            _PRONOUN.match(lowered)
            or not text
            or _DATE_LEAD.match(lowered)
            or (
                after_cue
                and not people
                and _PLACE_LEAD.match(lowered)
                and all(m.label == "LOC" for m in others)
            )
        ):
            return self.back(start, text)  # "…," kata Rabu (18/6/2025): the name left out
        if not people and _POLICE.fullmatch(lowered):
            officer = self.police_officer(start, end)
            if officer is not None:
                return _Speaker(officer, text)
        head = _head_noun(text)
        # "the BP chief" is a description, "The Coast Guard" a name
        described = _DESCRIPTION.search(lowered) and (head or not re.match(r"(?i:the)\s", text))
        if described or _QUALIFIED.match(lowered):
            if _ANONYMOUS.match(lowered):
                return _Speaker(None, text)  # "netizen itu", "tamu tersebut": nobody named
            previous = self.described_back(start, head) if head else None
            return previous or self.back(start, text)
        if _role_word(lowered) or _title_word(lowered.split(" ", 1)[0]):
            previous = self.role_back(start, lowered)
            if previous is not None:
                return previous
        if others and others[0].text.lower() in _PLATFORMS:
            # "tulis akun Instagram Almere City": the account's owner speaks
            if len(others) >= 2:
                others = others[1:]
            else:
                owner = re.match(
                    r"\s*(?:@?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4})",
                    self.body[others[0].end : end],
                )
                account = owner.group().strip().rstrip(".") if owner else ""
                written = next((m for m in self.mentions if m.text == account), None)
                if written is not None and account:
                    return _Speaker(written, account)
                if account:
                    return _Speaker(None, text, account)
        if others:
            at = len(others) - 1 if nearest_last else 0
            while (
                at
                and others[at - 1].label == "ORG"
                and not self.body[others[at - 1].end : others[at].start].strip(" ()")
            ):
                # "Direktorat Jenderal HKI (DJKI) Kementerian Hukum mengungkapkan":
                # organisations written one after the other are one noun phrase, whose head
                # comes first (not a place: "Garda Revolusi Iran (IRGC)" is the IRGC's)
                at -= 1
            pick = others[at]
            return _Speaker(pick, pick.text)
        if text[:1].isupper() or _role_word(lowered):
            previous = self.role_back(start, lowered)
            if previous is not None:
                return previous
        name = _NAME.match(text)
        if (
            name is not None
            and not _role_word(lowered)
            and name.group().lower() not in _NOT_NAMES
            and not (
                re.search(r"(?:^|[.!?\n\"”]\s*)$", self.body[max(0, start - 3) : start])
                and self.sentence_word(name.group())
            )
            and not (" " not in name.group() and _title_word(name.group()))
            and not _EVENT.match(name.group())
        ):
            return _Speaker(None, text, name.group())
        return _Speaker(None, text)

    def company_before(self, position: int) -> Mention | None:
        """The last company named before ``position`` (an organisation written with its
        corporate words, "PT Utama Radar Cahaya Tbk"): the one a bare "manajemen" or
        "perusahaan" speaks for. The companies are listed once per article."""
        if self.companies is None:
            self.companies = [
                i
                for i, m in enumerate(self.mentions)
                if m.label == "ORG" and (_COMPANY.fullmatch(m.text) or m.text.startswith("PT "))
            ]
        at = bisect.bisect_left(self.companies, bisect.bisect_left(self.starts, position))
        return self.mentions[self.companies[at - 1]] if at else None

    def unit_in_role(self, start: int, mention: Mention) -> bool:
        """A person mention in a speaker phrase that is the unit of the role written before
        it: its words are all dictionary words ("Pusat Penerangan", "Penerangan") and the
        word before it is a role or a unit noun ("Kepala", "Dinas")."""
        before = self.body[max(start, mention.start - 40) : mention.start].split()
        if not before or not (_role_word(before[-1].lower()) or _UNIT.fullmatch(before[-1])):
            return False
        return _common_name(mention.text)

    def subject(self, mention: Mention) -> bool:
        """Whether a mention may be its sentence's subject: no preposition before it in its
        sentence ("Menurut Chatham House …", "… kepada Rutte" name no new speaker)."""
        head = re.split(r"[.!?\n\"“”]", self.body[max(0, mention.start - 80) : mention.start])[-1]
        return not _PREPOSITION.search(head)

    def titled(self, mention: Mention) -> bool:
        """A person mention that is a role: it opens with a title or a role word, or one is
        written right before it ("Kepala Divisi Corporate Secretary WSBP")."""
        before = self.body[max(0, mention.start - 30) : mention.start].split()
        words = [mention.text.split(" ", 1)[0], *before[-1:]]
        return any(_title_word(w) or _role_word(w.lower()) for w in words)

    def sentence_word(self, word: str) -> bool:
        """A capitalised dictionary word opening a sentence ("Reservasi memastikan …",
        "Setelah menjelaskan …"), not a name: unless the article also writes it inside a
        sentence at the head of a name ("…, Hari Purnomo, mengatakan" for "Hari
        mengatakan")."""
        if " " in word or not _common_name(word):
            return False
        if self.name_heads is None:  # one pass over the body, not one per word
            self.name_heads = {
                m.group(1)
                for m in re.finditer(r"(?<=[a-z,] )([A-Z][a-z]+)\s+[A-Z][a-z]", self.body)
            }
        return word not in self.name_heads

    def first_subject(self, start: int, text: str) -> tuple[int, int] | None:
        """The subject of a sentence's first verb, for a cue coordinated with it ("Ia
        menyatakan solidaritasnya dengan X dan mengatakan …", "Untuk …, Giblin
        merekomendasikan …, dan mengatakan …"): the clause before the first verb that names
        someone (a mention, a pronoun, a capitalised word inside the sentence)."""
        for verb in _FIRST_VERB.finditer(text):
            comma = text.rfind(",", 0, verb.start()) + 1
            clause = text[comma : verb.start()]
            words = clause.split()
            if not words:
                continue
            if (
                self.mentions_in(start + comma, start + verb.start())
                or _PRONOUN.match(clause.strip())
                or any(w[:1].isupper() for w in (words if comma else words[1:]))
            ):
                return start + comma, start + verb.start()
        return None

    def person_written(self, start: int, end: int) -> Mention | None:
        """The first person's name in ``body[start:end]`` that the tagger marks as a person
        elsewhere in the article (its first such mention, for the canonical name)."""
        if self.person_texts is None:
            self.person_texts = {}
            parts: dict[str, dict[str, Mention]] = {}
            for m in self.mentions:
                if m.label == "PER" and not _titular(m) and m.text[:1].isupper():
                    self.person_texts.setdefault(m.text, m)
                    words = m.canonical.split()
                    if len(words) >= 2:
                        for word in (words[0], words[-1]):
                            parts.setdefault(word, {}).setdefault(m.canonical, m)
            for word, persons in parts.items():
                # "kata Hari" for Hari Purnomo: a first or last name of one person only
                if len(persons) == 1 and len(word) > 2:
                    self.person_texts.setdefault(word, next(iter(persons.values())))
        if not self.person_texts:
            return None
        region = self.body[start:end]
        tagged = self.mentions_in(start, end)
        runs: list[list[str]] = [[]]
        for token in re.finditer(r"[\w'’.-]+", region):
            w_start, w_end = start + token.start(), start + token.end()
            if not token.group()[:1].isupper() or any(
                m.start < w_end and w_start < m.end for m in tagged
            ):  # "Dewan Keamanan Nasional Tertinggi Iran": an organisation's words
                runs.append([])
            else:
                runs[-1].append(token.group())
        for words in runs:
            for size in range(len(words), 0, -1):  # the longest name in the run
                for i in range(len(words) - size + 1):
                    found = self.person_texts.get(" ".join(words[i : i + size]))
                    if found is not None:
                        return found
        return None

    def apposed(self, clause_start: int) -> _Speaker | None:
        """A person named just before the clause's comma ("Satrio Guardian, Race Director
        IM Road Runner, mengatakan"): the clause is an apposition of that name."""
        before = self.body[max(0, clause_start - 3) : clause_start]
        if "," not in before:
            return None
        i = bisect.bisect_left(self.starts, clause_start) - 1
        if i >= 0:
            mention = self.mentions[i]
            # "Rektor …, Dr. dr. Fika Minata Wathan, M.Kes, turut menyampaikan": degrees
            # written after the name belong to it
            gap = self.body[mention.end : clause_start]
            gap = _DEGREES.sub("", gap) if len(gap) < 40 else gap
            if mention.label == "PER" and gap.strip(" ,") == "":
                return _Speaker(mention, mention.text)
        return None

    def opening_name(self, start: int, clause_start: int) -> _Speaker | None:
        """The name a sentence opens with when the verb's subject is an apposition to it
        ("Timothy Crone , at the Lamont-Doherty earth observatory , …, a scientist who …,
        said that …"): a person mention there, else the capitalised words themselves."""
        subject = self.body[clause_start : clause_start + 60].lstrip(" ,").lower()
        if _ANONYMOUS.match(subject) or not re.match(r"(?:a|an|the|[a-z])", subject):
            return None
        head = _OPENING_NAME.match(self.body, start, clause_start)
        if head is None or _CREDIT.search(head.group("name")):
            return None  # "Mengutip Cointelegraph, …": an outlet credited, no speaker
        for mention in self.mentions_in(head.start("name"), head.end("name")):
            if mention.label == "PER" and not _titular(mention):
                return _Speaker(mention, mention.text)
        name = head.group("name")
        if self.mentions_in(head.start("name"), head.end("name")) or _role_word(name.lower()):
            return None  # a place or an organisation opens the sentence
        return _Speaker(None, name, name)

    def opening_person_apposed(self, start: int, clause_start: int) -> _Speaker | None:
        """A person's name (with an age) opening the sentence, apposed to the subject of its
        verb: "Jamal (40), seorang saksi mata, mengatakan …" (a name the tagger marks
        elsewhere in the article)."""
        head = _OPENING_PERSON.match(self.body, start, clause_start)
        if head is None:
            return None
        n_start, n_end = head.start("name"), head.end("name")
        people = [m for m in self.mentions_in(n_start, n_end) if m.label == "PER"]
        found = people[0] if people else self.person_written(n_start, n_end)
        if found is None or _titular(found):
            return None
        return _Speaker(found, found.text)

    def introduced(self, p_start: int) -> Mention | None:
        """A person the previous paragraph opens with, as its subject, after the last quote
        ("Sherly sendiri tak menganggap …" before "“…,” pungkasnya")."""
        if self.previous is None or self.previous < self.last_end:
            return None
        for mention in self.mentions_in(self.previous, min(p_start, self.previous + 160)):
            if mention.label == "PER" and not _titular(mention):
                # "Tapi Peneliti Sistem Informasi …, Rony Teguh mendapat temuan …": a
                # connective may open the sentence before the role
                connective = _CONNECTIVE.match(self.body, self.previous, mention.start)
                begin = connective.end() if connective else self.previous
                # "Berbeda dengan Nur, ASN lainnya bernama Liza …": a phrase opened by a
                # preposition and closed by a comma is no subject, nor the names inside it
                while (phrase := _ADVERBIAL.match(self.body, begin, p_start)) is not None:
                    if phrase.end() > mention.start:
                        break
                    begin = phrase.end()
                if phrase is not None and phrase.end() > mention.start:
                    continue
                lead = _NAMED.sub(" ", self.body[begin : mention.start])  # "bernama Liza"
                titled = _role_word(lead.lower()) or _title_word(lead.split(" ", 1)[0])
                # "Perwakilan panitia kurban dari LMI, Ozi Riyanto, mengapresiasi": the
                # name apposed to a description that opens the sentence
                apposed = lead.count(",") == 1 and lead.rstrip().endswith(",")
                if not _VERBISH.search(lead) and ("," not in lead or titled or apposed):
                    return mention  # "Plt. Kepala DLH …, RM. Wahyu Adhiwijaya mengapresiasi"
                return None
        return None

    def introduced_by_age(self, p_start: int) -> str | None:
        """A person the tagger missed, with whom the previous paragraph opens after the last
        quote, named with an age ("Naufal (20), salah satu pengunjung, memutuskan …" before
        "“…,” ujarnya"), or whom it names as a passive cue's agent ("Pendapat serupa
        disampaikan oleh Putri (26)."): the vox-pop's ways to introduce a speaker."""
        if self.previous is None or self.previous < self.last_end:
            return None
        found = _UNTAGGED_PERSON.match(self.body, self.previous, p_start)
        if found is None or found.group("age") is None:
            # "Pendapat serupa disampaikan oleh Putri (26). Ia menilai …": the agent of a
            # passive verb of saying, named with an age
            floor = max(self.previous, p_start - BACK_CHARS)
            agent = _PASSIVE_AGENT.search(self.body, floor, p_start)
            if agent is None:
                return None
            found = _UNTAGGED_PERSON.match(self.body, agent.end(), p_start)
            if found is None or found.group("age") is None:
                return None
        return found.group("age")

    def added_clause(self, position: int, line_end: int, speaker: _Speaker) -> None:
        """Reported speech the quote's own sentence adds after its cue: '"…," ujarnya,
        menambahkan bahwa NATO membutuhkan …', '"…," kata Rutte, seraya menambahkan bahwa
        …', '"…," he said, adding that …'."""
        stop = re.search(r"[.!?](?=[\s\"“A-Z]|$)|[\"“”]", self.body[position:line_end])
        end = position + stop.start() if stop else line_end
        m = _ADDED.search(self.body, position, end)
        if m is None or len(_WORD.findall(self.body[m.end() : end])) < 4:
            return
        c_start, c_end = _trim(self.body, m.end(), end)
        self.add(c_start, c_end, speaker, m.group("verb").lower(), "reported")

    def apposed_after(
        self, position: int, end: int, any_label: bool = False
    ) -> tuple[Mention, int] | None:
        """A person named right at ``position`` and closed by a comma (an apposition), with
        the comma's offset; after a role ("manajer Timnas Indonesia, Sumardji,") any name
        (the tagger may take a one-word name for a place)."""
        for mention in self.mentions_in(position, min(end, position + 80)):
            if self.body[position : mention.start].strip():
                return None
            close = re.match(r"\s*,", self.body[mention.end : end])
            if (mention.label == "PER" or any_label) and close is not None:
                return mention, mention.end + close.end() - 1
            return None
        return None

    def passive_introducer(self, p_start: int) -> Mention | None:
        """The person a passive verb of saying names in the previous paragraph, after the
        last quote: "Hal itu ditegaskan Plt Ketua DPW … Ferry Kurnia Rizkiyansyah." or "Hal
        ini disampaikan Senior Manager …, Saroyo Utomo, …" before "“…,” ujarnya"."""
        if self.previous is None:
            return None
        floor = max(self.previous, self.last_end)
        found = max(_PASSIVE_SAY.finditer(self.body, floor, p_start), key=_end, default=None)
        if found is None:
            return None
        for mention in self.mentions_in(found.end(), min(p_start, found.end() + 160)):
            if mention.label == "PER" and not _titular(mention):
                if _AGENT_BREAK.search(self.body, found.end(), mention.start):
                    # "Hal itu diucapkan ketika melakukan kunjungan mendampingi Menteri X":
                    # the agent is left out; X is the object of another verb
                    return None
                return mention
        return None

    def back(self, position: int, text: str, lead: bool = False) -> _Speaker:
        """A pronoun's speaker: the first person the paragraph names before it (outside
        quotes), else the last speaker, else (for a description, ``lead``) the person the
        article opens with, else the last person named before."""
        p_start, _spans = self.paragraph
        group = text.lower() in ("mereka", "they")  # a band, a team, a party: not one person
        # a paragraph is read back a few thousand characters at most: a page made one line
        # is one paragraph, and reading all of it for every pronoun is quadratic
        floor = max(p_start, position - BACK_CHARS)
        since = max(floor, min(self.last_end, position))
        # the first person named since the last quote ("…," kata Erick.Infantino menyampaikan
        # …. "…," katanya: a paragraph glued from several), else since the paragraph's start
        fresh = (
            m for m in self.iter_mentions(since, position) if since == floor or self.subject(m)
        )
        older = self.iter_mentions(floor, since) if since > floor else iter(())
        if not group and (speaking := self.last_speaking(since, position)) is not None:
            return _Speaker(speaking, text or speaking.text)
        for mention in itertools.chain(fresh, older):
            if (
                (mention.label == "PER" or (group and mention.label == "ORG"))
                and not (mention.label == "PER" and _titular(mention))
                and not self.quoted(mention.start)
                and not _POSSESSIVE.match(self.body, mention.end)  # "Obama 's press secretary"
                and not _QUALIFIER.match(self.body, mention.end)  # "vokalis Coldplay tersebut"
                # a name inside what was said ("X menegaskan bahwa … Idul Adha …. Ia …")
                and not any(q.start <= mention.start < q.end for q in self.quotes[-3:])
            ):
                return _Speaker(mention, text or mention.text)
        untagged = self.untagged_person(floor, position)
        if untagged is not None:
            return _Speaker(None, text or untagged, untagged)
        if not group and (opening := self.opening_person(floor, position)) is not None:
            return _Speaker(opening, text or opening.text)
        if group:
            # "Manajemen Wilmar International Limited pun angkat bicara. Mereka menyatakan":
            # a company the tagger missed, named by its legal or corporate words
            company = max(_COMPANY.finditer(self.body, floor, position), key=_end, default=None)
            if company is not None and not self.mentions_in(company.start(), company.end()):
                return _Speaker(None, text, company.group().strip())
        subject = self.introduced(p_start) or self.passive_introducer(p_start)
        if subject is not None:
            return _Speaker(subject, text or subject.text)
        if (aged := self.introduced_by_age(p_start)) is not None:
            return _Speaker(None, text or aged, aged)
        if self.last is not None:
            if (
                text.lower() in ("", "dia", "ia", "beliau", "he", "she")
                and self.last.mention is not None
                and self.last.mention.label != "PER"
            ):
                # "Dia menambahkan", "Menurutnya" after a place or an organisation spoke: a
                # person named since that quote is the one meant
                person = self.person_since(max(self.last_end, 0), position)
                if person is not None:
                    return _Speaker(person, text or person.text)
            return _Speaker(self.last.mention, text or self.last.text, self.last.name)
        if lead and self.mentions and self.mentions[0].label == "PER":
            first = self.mentions[0]
            if first.start < position and not self.body[: first.start].strip():
                return _Speaker(first, text)
        i = bisect.bisect_left(self.starts, position) - 1
        while i >= 0:
            if self.mentions[i].label == "PER" and not _titular(self.mentions[i]):
                return _Speaker(self.mentions[i], text)
            i -= 1
        untagged = self.untagged_person(max(0, position - 600), position, last=True)
        if untagged is not None:
            return _Speaker(None, text or untagged, untagged)
        return _Speaker(None, text)

    def speaking_before(self, start: int, position: int) -> Mention | None:
        """The person the sentence right before a quote reports (:meth:`last_speaking`),
        none when another person is named after them in it: a quote goes on only from the
        sentence just before it, not from anyone the paragraph reported earlier ("Budi …
        mengatakan stok beras aman. Warga lain, Siti Aminah, justru kecewa. “Kami …”" is
        not Budi's). Read over the last :data:`SPEAKING_CHARS` (a one-line body of many
        quotes stays linear)."""
        low = max(start, position - SPEAKING_CHARS)
        sentences = [
            (s, e) for s, e in self.sentences(low, position) if self.body[s:e].strip(' “"')
        ]
        if not sentences:
            return None
        s, e = sentences[-1]
        speaking = self.last_speaking(s, e)
        if speaking is None:
            return None
        for mention in self.iter_mentions(speaking.end, e):
            if mention.label == "PER" and not self.quoted(mention.start):
                return None  # another person after the speaker: a new subject
        return speaking

    def last_speaking(self, start: int, position: int) -> Mention | None:
        """The last person written as the subject of a cue verb between ``start`` and
        ``position`` ("…, Stefanus Ade Hadiwidjaja mengatakan, …. "…," ujarnya": not the
        first name the paragraph gives, an organisation the tagger took for a person)."""
        found = None
        for mention in self.iter_mentions(start, position):
            if (
                mention.label == "PER"
                and not _titular(mention)
                and not self.quoted(mention.start)
                and _SPEAKING.match(self.body, mention.end)
            ):
                found = mention
        return found

    def person_since(self, start: int, position: int) -> Mention | None:
        """The last person named between ``start`` and ``position``, outside quotes."""
        i = bisect.bisect_left(self.starts, position) - 1
        while i >= 0 and self.mentions[i].start >= start:
            mention = self.mentions[i]
            if (
                mention.label == "PER"
                and not _titular(mention)
                and not _POSSESSIVE.match(self.body, mention.end)
                and not self.quoted(mention.start)
                and not any(q.start <= mention.start < q.end for q in self.quotes[-3:])
            ):
                return mention
            i -= 1
        return None

    def opening_person(self, start: int, end: int) -> Mention | None:
        """A person the tagger missed here but marks elsewhere, opening a sentence of
        ``body[start:end]`` outside quotes ("Cucu sebelumnya membeberkan …. Ia mengaku …":
        "Ia" is Cucu, not the speaker of the quote before)."""
        for m in _SENTENCE_OPENING.finditer(self.body, start, end):
            if self.quoted(m.start("name")) or self.mentions_in(m.start("name"), m.end("name")):
                continue
            found = self.person_written(m.start("name"), m.end("name"))
            if found is not None:
                return found
        return None

    def untagged_person(self, start: int, end: int, last: bool = False) -> str | None:
        """A person's name the tagger did not mark, in the shapes news writes a person in:
        a name with an age ("Icha (20)"), or an English name after a lowercase role noun and
        before its verb ("rap star Wyclef Jean has urged")."""
        found = None
        for m in _UNTAGGED_PERSON.finditer(self.body, start, end):
            name = m.group("age") or m.group("en") or m.group("titled")
            if not self.english and not m.group("age"):
                continue
            if self.mentions_in(m.start(), m.end()) or _common_name(name):
                continue
            found = name
            if not last:
                break
        return found

    def police_officer(self, position: int, end: int) -> Mention | None:
        """The officer who speaks for "polisi" ("Polisi menyebut …" in a lead, the
        spokesman named further on): the nearest person before, else the first after,
        whose role or the words before the name are a police rank or unit, within
        :data:`DESCRIBED_CHARS` (the ranked persons found once per article: walking every
        mention both ways for each "polisi" was quadratic)."""
        if self.police is None:
            self.police = [
                k
                for k, mention in enumerate(self.mentions)
                if mention.label == "PER"
                and not _titular(mention)
                and self.police_ranked(mention, mention.start - 50)
            ]
        i = bisect.bisect_left(self.starts, position)
        k = bisect.bisect_left(self.police, i)
        before = itertools.takewhile(
            lambda m: position - m.start <= DESCRIBED_CHARS,
            (self.mentions[self.police[j]] for j in range(k - 1, -1, -1)),
        )
        after = itertools.takewhile(
            lambda m: m.start - position <= DESCRIBED_CHARS,
            (self.mentions[self.police[j]] for j in range(k, len(self.police))),
        )
        for mention in itertools.chain(before, after):
            if self.quoted(mention.start):
                continue
            # not the subject's own "polisi": a name after the cue reads from the cue's end
            if mention.start >= end and not self.police_ranked(
                mention, max(end, mention.start - 50)
            ):
                continue
            return mention
        return None

    def police_ranked(self, mention: Mention, low: int) -> bool:
        """Whether a person's role, or the words before the name in its clause from
        ``low``, hold a police rank or unit."""
        return bool(_POLICE_WORDS & self.context_words(mention, low))

    def opening_apposed(self, start: int, subject_start: int, speaker: _Speaker) -> _Speaker:
        """The person a sentence opens with, a comma after the name, when the verb's
        subject found after the apposition is a place or a one-word name the tagger took
        for a person, or a role: the apposition describes the opening name."""
        chosen = speaker.mention
        if chosen is None or chosen.start < subject_start:
            return speaker
        lead = self.body[start:subject_start]
        lead = lead[_end(c) :] if (c := _CONNECTIVE.match(lead)) else lead
        offset = subject_start - len(lead)
        first = next(self.iter_mentions(offset, subject_start), None)
        if (
            first is None
            or first is chosen
            or first.label != "PER"
            or _titular(first)
            or self.body[offset : first.start].strip()
            or not re.match(r"\s*,", self.body[first.end : subject_start])
            or re.search(r"\s(?:dan|serta|and)\s", self.body[first.end : subject_start])
        ):
            return speaker
        if chosen.label == "PER" and " " in chosen.text and not self.titled(chosen):
            return speaker  # a second person written in full: the subject
        return _Speaker(first, first.text)

    def untagged_apposed(self, start: int, end: int) -> str | None:
        """A name the tagger missed right after a cue, its role apposed after a comma
        ("terang Zandhy Utama, Sales, Marketing Support & ESR Director PT …"): the role's
        organisation is not the speaker."""
        head = _OPENING_NAME.match(self.body, start, end)
        if head is None or self.mentions_in(head.start("name"), head.end("name")):
            return None
        name = head.group("name")
        words = name.split()
        if (
            _common_name(name)
            or _role_word(name.lower())
            or any(_title_word(w) or _role_word(w.lower()) for w in words)
            or not all(w[1:].islower() for w in words)
        ):
            return None
        return name

    def described_back(self, position: int, head: str) -> _Speaker | None:
        """A description's person ("the prosecutor", "the defense lawyer"): the last person
        before ``position`` whose title or apposition holds its head noun ("lead
        prosecutor David Walgren", "Defense attorney Ed Chernoff", "Felipe Sanchez, a
        priest and cathedral spokesman"), within :data:`DESCRIBED_CHARS` before it (reading
        back to the article's start for every description was quadratic in a long one)."""
        i = bisect.bisect_left(self.starts, position) - 1
        while i >= 0 and position - self.mentions[i].start < DESCRIBED_CHARS:
            mention = self.mentions[i]
            if mention.label == "PER" and not _titular(mention):
                before = _premodifier(self.body[max(0, mention.start - 40) : mention.start])
                after = ""
                if self.body.startswith(",", mention.end) or self.body.startswith(
                    " ,", mention.end
                ):
                    after = re.split(r"[.;:\n“”\"]", self.body[mention.end : mention.end + 80])[0]
                context = f"{mention.role or ''} {before} {after}".lower()
                if head in _WORD.findall(context):
                    return _Speaker(mention, head)
            i -= 1
        return None

    def role_holder(self, position: int, mention: Mention) -> _Speaker | None:
        """The person a role tagged as a name stands for ("tutur Wabup Indramayu" after
        "Wakil Bupati Indramayu, Syaefudin"): the mention opens with a role word and its
        other words are all in the role of a person named before (a jurisdiction, not a
        name); or the mention's words are all in the role written before a person's name
        (:meth:`role_named`)."""
        named = self.role_named(position, mention)
        if named is not None:
            return named
        words = mention.text.lower().split()
        if (
            words == [w for w in words[:1] if w in _ROLE_SHORT]
            and mention.canonical == mention.text
        ):
            # "Mensos" tagged as a name (and not resolved to one): the person introduced
            # with that short role
            found = self.role_back(position, words[0])
            if found is None or found.mention is None or _titular(found.mention):
                return None
            return found
        if len(words) < 2 or not (
            words[0] in _ROLE_SHORT or _role_word(words[0]) or _title_word(words[0])
        ):
            return None
        rest = {w for w in words[1:] if len(w) > 2}
        found = self.role_back(position, " ".join(words[1:]))
        if found is None or found.mention is None:
            return None
        role = {w for w in _WORD.findall((found.mention.role or "").lower())}
        # the role itself is the holder's too ("Wabup" in "Wakil Bupati Indramayu"; not
        # "Ekonom China" for the Presiden China)
        head = {words[0], *_ROLE_SHORT.get(words[0], "").split()}
        if (
            found.mention.canonical == mention.canonical
            or _titular(found.mention)
            or not rest <= role
            or not head & (role | self.context_words(found.mention))
        ):
            return None
        return found

    def role_back(self, position: int, role: str) -> _Speaker | None:
        """A bare role ("Kapolres", "the minister"): the last person given that role."""
        words = {w for w in _WORD.findall(role) if len(w) > 2} - {"the", "sang", "para"}
        if not words:
            return None
        if self.roles is None:  # made once: walking back over every mention was quadratic
            self.roles = {}
            for index, mention in enumerate(self.mentions):
                if mention.label == "PER" and mention.role:
                    for word in set(_WORD.findall(mention.role.lower())):
                        self.roles.setdefault(word, []).append(index)
        i = bisect.bisect_left(self.starts, position)
        best = -1
        for word in words:
            indices = self.roles.get(word, [])
            k = bisect.bisect_left(indices, i) - 1
            if k >= 0:
                best = max(best, indices[k])
        short = [set(_ROLE_SHORT[w].split()) for w in words if w in _ROLE_SHORT]
        if best < 0 and short:
            # "Mensos juga mengingatkan": the person introduced as "Menteri Sosial (Mensos)
            # Saifullah Yusuf", the role written before the name (short or in full)
            for k in range(i - 1, -1, -1):
                mention = self.mentions[k]
                if position - mention.start >= DESCRIBED_CHARS:
                    break  # bounded like the other walks back (issue 16)
                if mention.label != "PER" or _titular(mention):
                    continue
                context = self.context_words(mention)
                if words & context or any(long <= context for long in short):
                    best = k
                    break
        titles = {w for w in words if _role_word(w) or _title_word(w.capitalize())}
        if best < 0 and titles:
            # "Rektor juga menjelaskan …" after "Rektor Universitas Kader Bangsa, Dr. dr. Fika
            # Minata Wathan": the role written before the name (across its honorifics and
            # one comma), not tagged as the mention's role; the roles read once per article
            # (re-reading them for every bare title was quadratic)
            if self.held_roles is None:
                self.held_roles = {}
                for index, mention in enumerate(self.mentions):
                    if mention.label == "PER" and not _titular(mention):
                        for word in {w for w in self.written_role(index) if len(w) > 2}:
                            self.held_roles.setdefault(word, []).append(index)
            for word in titles:
                indices = self.held_roles.get(word, [])
                k = bisect.bisect_left(indices, i) - 1
                if k >= 0 and position - self.mentions[indices[k]].start < DESCRIBED_CHARS:
                    best = max(best, indices[k])
        return _Speaker(self.mentions[best], role) if best >= 0 else None

    def written_role(self, index: int) -> list[str]:
        """:meth:`role_words` of ``mentions[index]``, read once."""
        role = self.written_roles.get(index)
        if role is None:
            role = self.written_roles[index] = self.role_words(self.mentions[index])
        return role

    def role_words(self, mention: Mention) -> list[str]:
        """The words of the role written right before a person's name, its honorifics
        ("Dr. dr.", "Hj.") and one apposing comma passed over, lower case, in the order
        written, a short form in brackets kept
        ("Kepala Seksi Penerangan Hukum (Kasipenkum) Kejati Jawa Barat, Nur …"), up to
        :data:`ROLE_WORDS` of them."""
        before = _HONORIFICS.sub("", self.body[max(0, mention.start - 120) : mention.start])
        before = re.sub(r",\s*$", " ", before)
        before = re.sub(r"\(\s*([A-Z][\w-]{1,15})\s*\)", r" \1 ", before)
        clause = re.split(r"[.!?\n\"“”,;(]", before)[-1].split()
        role: list[str] = []
        for word in reversed(clause[-ROLE_WORDS:]):  # the role's words run up to the name
            if not (word[:1].isupper() or _role_word(word.lower())):
                break
            role.append(word.lower())
        return _WORD.findall(" ".join(reversed(role)))

    def role_named(self, position: int, mention: Mention) -> _Speaker | None:
        """The person a role tagged as a name stands for: the nearest person before
        ``position`` whose role, written right before the name, holds all the mention's
        words, or holds them run together as the short form news writes ("kata Kapolresta"
        after "Kapolresta Bogor Kota … Kombes Eko Prasetyo"; "kata Kasipenkum" after
        "Kepala Seksi Penerangan Hukum (Kasipenkum) Kejati Jawa Barat, Nur Sricahyawijaya";
        "Kasi Penkum" = "Kasipenkum"). A mention linked to another name counts only when
        that name is in the role too (not "Cahya" of "Nur Sricahyawijaya"). Only a mention
        opening with a role, a title or a short form is looked up ("Seksi Penerangan Hukum"
        is not: "seksi" is no title), in an index of the persons' written roles made once."""
        words = [w.lower() for w in _WORD.findall(mention.text)]
        if mention.label != "PER" or not words:
            return None
        if not (words[0] in _ROLE_SHORT or _role_word(words[0]) or _title_word(words[0])):
            return None  # a name ("Budi Santoso") is no role: no roles read for it
        if self.role_runs is None:
            # each person's written role read once, indexed by its words and its runs of
            # words joined (walking back over every person's role for each cue was
            # quadratic)
            self.role_runs = {}
            for index, person in enumerate(self.mentions):
                if person.label != "PER" or " " not in person.canonical or _titular(person):
                    continue
                role = self.written_role(index)
                if not role or not (
                    _role_word(role[0]) or _title_word(role[0]) or role[0] in _ROLE_SHORT
                ):
                    # a role opens with a title ("Kepala", "Kapolresta"): "kuasa hukum Iwan,
                    # Calvin Wijaya" gives Calvin no role named "Iwan"
                    continue
                runs = frozenset(
                    "".join(role[a:b])
                    for a in range(len(role))
                    for b in range(a + 1, min(len(role), a + 4) + 1)
                )
                self.role_sets[index] = (frozenset(role), runs)
                for key in runs | set(role):
                    self.role_runs.setdefault(key, []).append(index)
        linked = {w.lower() for w in _WORD.findall(mention.canonical)} - set(words)
        squashed = "".join(words)
        i = bisect.bisect_left(self.starts, position)
        candidates = set(self.role_runs.get(words[0], [])) | set(self.role_runs.get(squashed, []))
        for index in sorted((k for k in candidates if k < i), reverse=True):
            person = self.mentions[index]
            if position - person.start >= DESCRIBED_CHARS:
                break
            if (
                person is mention
                or person.canonical == mention.canonical
                or any(w in person.canonical.lower().split() for w in words)
            ):
                continue
            role_words, runs = self.role_sets[index]
            if (set(words) <= role_words or squashed in runs) and linked <= role_words:
                return _Speaker(person, mention.text)
        return None

    def after(self, position: int, limit: int) -> tuple[_Speaker | None, str]:
        """The speaker of a cue written after a quote ("…," kata X; "…," X said)."""
        tail = self.body[position : min(limit, position + 160)]
        match = _AFTER_QUOTE.match(tail)
        if match is not None:
            cue = match.group(0).strip(" ,.").lower()
            if match.group("nya"):
                return self.back(position, ""), cue
            region_start = position + match.end()
            if match.group("lapor"):
                stop = _first_stop(self.body, region_start, limit, lapor=True)
            else:
                stop = _first_stop(self.body, region_start, limit)
            return self.named(region_start, stop, after_cue=True), cue
        match = (
            _EN_AFTER_SUBJECT.match(tail)
            or _ID_AFTER_SUBJECT.match(tail)
            or _AFTER_APPOSED.match(tail)
        )
        if match is not None:
            subject = match.start("subject") + position
            if _CREDIT.search(match.group("subject")) or _CONJUNCTION.match(match.group("subject")):
                # "… dengan "kekuatan yang luar biasa", sambil mengakui …": the writer's
                # sentence goes on; a conjunction is no subject
                return None, ""
            return self.named(subject, position + match.end("subject")), match.group(0).split()[
                -1
            ].lower()
        return None, ""

    def before(self, position: int, p_start: int) -> tuple[_Speaker | None, str]:
        """The speaker of a cue written before a quote ("X mengatakan: "…"; Menurut X, "…")."""
        head_start = max(p_start, position - 200)
        head = self.body[head_start:position]
        # only the end of the sentence before the quote
        cut = max(head.rfind(". "), head.rfind("? "), head.rfind("! "))
        glued = [m.start() for m in re.finditer(r"(?<=[a-z]{3})[.!?”\"](?=[A-Z])", head)]
        if glued and glued[-1] > cut:
            # "… kecerdasan manusia.Ia menjelaskan: "…"": a sentence glued to the one before
            cut = glued[-1] - 1
        if cut >= 0:
            head_start += cut + 2
            head = self.body[head_start:position]
        stripped = head.rstrip(" ,:")
        if (
            not stripped or (len(stripped) == len(head) and not head.endswith(("bahwa", "that")))
        ) and not head.endswith(" "):
            return None, ""
        menurut = list(_MENURUT.finditer(head))
        if menurut and len(head) - menurut[-1].end() < 80:
            m = menurut[-1]
            return self.named(head_start + m.end(), head_start + len(stripped)), m.group().lower()
        verbs = _verbs(head)
        if not verbs:
            return None, ""
        verb = verbs[-1]
        after_verb = re.sub(
            r"^\s*(?:(?:kepada|to)\s+[^,]{1,60}?)?\s*(?:,|:|\b(?:bahwa|that)\b)?\s*$",
            "",
            head[verb.end() :],
        )
        if after_verb.strip():
            return None, "partial"  # a quoted phrase inside reported speech
        subject_start = _clause_start(self.body, head_start, head_start + verb.start())
        return self.named(
            subject_start, head_start + _subject_end(head, verb), nearest_last=True
        ), (verb.group().lower())

    # reported speech

    def parenthetical(self, start: int, end: int) -> bool:
        """A cue inside the sentence it attributes: "Pengingkaran itu, menurut dia, adalah
        …", "Selain itu, kata Sugiono, Kemlu telah …", "Situasi tersebut menurutnya akan
        …". The content is the sentence, or what follows the cue when only a connective
        precedes it."""
        sentence = self.body[start:end]
        if "," not in sentence and "menurut" not in sentence:
            return False  # what every match holds (the scan tries "menurut" at every character)
        for m in _PARENTHETICAL.finditer(sentence):
            if not sentence[: m.start()].strip() or _CREDIT.search(
                sentence[m.start() : m.end() + 30]
            ):  # "AS, katanya, telah …": a short subject is a subject
                continue
            group = "who" if m.group("cue") else "who2"
            who = (m.group(group) or "").strip()
            after = sentence[m.end() :]
            if len(_WORD.findall(after)) < 4 or not re.match(r"\s*[a-zA-Z]", after):
                continue
            cue = (m.group("cue") or m.group("cue2")).lower()
            if (
                cue in ("disebut", "sebut")
                and who
                and not _PRONOUN.match(who)
                and not any(
                    p.label == "PER"
                    for p in self.mentions_in(start + m.start(group), start + m.end(group))
                )
            ):
                # "Kampung adat itu, disebut Kampung Naga, …" names a thing ("called"); a
                # person tagged there may say it
                continue
            if not who or _PRONOUN.match(who):
                speaker = self.back(start + m.start(), who)
            else:
                speaker = self.named(start + m.start(group), start + m.end(group))
            head = sentence[: m.start()].strip(" ,")
            c_start = start if not _LEADING_ONLY.fullmatch(head) else start + m.end()
            c_start, c_end = _trim(self.body, c_start, end)
            self.add(c_start, c_end, speaker, cue, "reported")
            return True
        return False

    def reported(self, start: int, end: int) -> bool:
        sentence = self.body[start:end]
        if sentence.startswith(('"', "“")):
            return False
        # Dijelaskannya, content. (the passive of a cue with its agent as "-nya")
        m = _PASSIVE_NYA.match(sentence)
        if m is not None:
            c_start, c_end = _trim(self.body, start + m.end(), end)
            if len(_WORD.findall(self.body[c_start:c_end])) >= 4:
                self.add(c_start, c_end, self.back(start, ""), m.group("cue").lower(), "reported")
                return True
        if self.parenthetical(start, end):
            return True
        # Menurut X, content. / According to X, content.
        m = re.match(
            r"\s*(?:(?:Walaupun|Walau|Meski(?:pun)?|Namun|Tapi|Tetapi|Bahkan|Nah|Sementara itu"
            r"|Selain itu|Malahan|Justru|Padahal|Sebelumnya|Sebab|Karena itu|Oleh karena itu"
            r"|Kemudian|Lalu|Selanjutnya|Lebih lanjut|Apalagi|Di sisi lain|Meski demikian"
            r"|Adapun|Jadi|Maka|Kini|Saat ini|Sehingga)\s*,?\s+(?:menurut(?:nya\b)?|kata\b)"
            r"|Menurut(?:nya\b)?|According to)\s*",
            sentence,
        )  # "Walaupun menurut Sumardji, kecil kemungkinan …": a connective may lead
        if m is not None:
            comma = sentence.find(",", m.end())
            if m.group().strip().lower().endswith("menurutnya") and not sentence[
                m.end() :
            ].startswith(","):
                # "Menurutnya keputusan pemerintah daerah tergantung …": no comma, the
                # clause follows the cue
                c_start, c_end = _trim(self.body, start + m.end(), end)
                if len(_WORD.findall(self.body[c_start:c_end])) >= 4:
                    self.add(c_start, c_end, self.back(start, ""), "menurutnya", "reported")
                    return True
                return False
            name = _NAME_THEN_CLAUSE.match(sentence, m.end())
            if (
                name is not None
                and m.group().strip().lower().endswith("menurut")
                and _CLAUSE.search(sentence[name.end() : comma if comma > 0 else len(sentence)])
                and not _CREDIT.search(sentence[: comma if comma > 0 else len(sentence)])
            ):
                # "Menurut Hendra pelapor merekam …": no comma, the clause follows the name
                speaker = self.named(start + name.start(), start + name.end())
                if speaker.mention is not None and speaker.mention.label == "PER":
                    c_start, c_end = _trim(self.body, start + name.end(), end)
                    if len(_WORD.findall(self.body[c_start:c_end])) >= 4:
                        self.add(c_start, c_end, speaker, "menurut", "reported")
                        return True
            if comma > 0 and comma - m.end() < 90 and not _CREDIT.search(sentence[: comma + 1]):
                if re.match(
                    r"(?:laporan|data|hasil|catatan|survei|studi|riset|informasi|keterangan"
                    r"|kabar|berita|unggahan|pengumuman|situs|laman)\b",
                    sentence[m.end() :],
                    re.IGNORECASE,
                ):
                    return False
                cue_word = re.sub(r"^.*\b(?=menurut|according|kata)", "", m.group().strip().lower())
                if cue_word == "menurutnya":
                    speaker = self.back(start, "")
                else:
                    speaker = self.named(start + m.end(), start + comma)
                    role = _role_word(sentence[m.end() : comma].lower())
                    apposed = self.apposed_after(start + comma + 1, end, any_label=role)
                    if apposed is not None and (
                        speaker.mention is None
                        or speaker.mention.label != "PER"
                        or sentence[m.end() : m.end() + 1].islower()
                    ):
                        # "Menurut manajer Timnas Indonesia, Sumardji, PSSI …": the name
                        # apposed to the role is the speaker, the content follows it
                        speaker, comma = _Speaker(apposed[0], apposed[0].text), apposed[1] - start
                c_start, c_end = _trim(self.body, start + comma + 1, end)
                if c_end - c_start > 10:
                    self.add(c_start, c_end, speaker, cue_word, "reported")
                    return True
            return False
        # content, menurut X. / content, kata X. / content, X said.
        m = search_lowered(_CUE_AT_END, _CUE_AT_END_LOWER, sentence)
        if (
            m is not None
            and m.group("kw")
            and not _TRAILING_SPEAKER.match(m.group("rest"))
            and not (
                m.group("kw").lower() in ("menurut", "kata")
                and _TRAILING_HOLDER.match(m.group("rest"))
            )
        ):
            m = None  # ", said in a statement he was …": the cue opens reported speech
        if m is not None and m.start() > 15:
            cue = (m.group("kw") or m.group("en") or "").lower()
            if m.group("kw"):
                region_start = start + m.start("rest")
                if cue.endswith("nya") and cue not in ("menurut",):
                    speaker = self.back(region_start, "")
                else:
                    stop = _first_stop(self.body, region_start, end)
                    speaker = self.named(region_start, stop)
            else:
                speaker = self.named(start + m.start("subj"), start + m.end("subj"))
            if not _CREDIT.search(m.group()):
                c_start, c_end = _trim(self.body, start, start + m.start())
                self.add(c_start, c_end, speaker, cue, "reported")
                return True
        # X mengatakan (kepada …) (bahwa|,) content. / X said (that) content.
        for verb in _verbs(sentence):
            subject_start = _clause_start(self.body, start, start + verb.start())
            subject_text = self.body[subject_start : start + verb.start()]
            if verb.group().lower() in ("menampik", "memungkiri"):
                # "Agus tidak menampik bahwa …": the negation is the cue's, the speaker admits
                subject_text = re.sub(r"\s+(?:tidak|tak)\s*$", " ", subject_text)
            nearest = True
            first_verb = None
            if _COORDINATED.search(subject_text):
                # "Barton called it a "slush fund" and said …": the first verb's subject
                subject_start, nearest = start, False
                subject_text = self.body[subject_start : start + verb.start()]
                first_verb = self.first_subject(subject_start, subject_text)
            if not subject_text.strip() or len(subject_text) > 250:
                continue
            if re.fullmatch(r"\s*(?:kami|kita|saya|aku|we|i)\s*", subject_text, re.IGNORECASE):
                continue  # "Jika di atas, kami menjelaskan …": the writer, not a speaker
            rest = sentence[verb.end() :]
            subject_end = start + _subject_end(sentence, verb)
            if first_verb is not None:  # "Ia menyatakan solidaritasnya dengan X dan mengatakan"
                subject_start, subject_end = first_verb
            relative = re.search(r",\s*(?:yang|who)\s*$", subject_text)
            if relative and (
                re.match(r"\s+(?:bahwa|that)\b", rest)
                or self.apposed(subject_start + relative.start() + 1) is not None
            ):
                # "…, Sy. Is Mulyono, yang menyebut bahwa …": a relative clause on a named
                # speaker, reporting what they said
                subject_end = subject_start + relative.start()
            elif _CREDIT.search(subject_text) or re.search(
                r"\b(?:yang|which|who|untuk|agar|tidak|belum|akan|bisa|dapat|mampu|guna|demi"
                r"|ingin|hendak|perlu|harus|enggan|tanpa|without)\s*$",
                subject_text,
            ):  # "… yang mampu menjawab kebutuhan …": a verb under a modal reports nothing
                continue
            # "mengatakan pada Minggu (15/6) bahwa …": the content opens after "bahwa"
            content = re.match(
                r"\s+(?:kepada|pada|to|dalam|di|on|in)\s+[^,.:\"“”]{1,80}?\s+(?:bahwa|that)\s+",
                rest,
            ) or re.match(
                r"(?:\s+(?:kepada|pada|to|dalam|di)\s+[^,]{1,80}?)?"
                r"(?:\s*,\s*|\s*:\s*|\s+(?:bahwa|that)\s+|\s+)",
                rest,
            )
            if content is None:
                continue
            c_start = start + verb.end() + content.end()
            if c_end_text := self.body[c_start:end].strip():
                if len(_WORD.findall(c_end_text)) < 4:
                    continue
            else:
                continue
            verb_word = verb.group().lower()
            if verb_word in _THAT_ONLY and not re.match(r"\s*,?\s*bahwa\b", rest):
                continue  # "melihat Jokowi …": seeing; "melihat bahwa …": judging
            adverb = _CUE_ADVERB.match(c_end_text)
            if adverb is not None:
                # "membantah keras klaim China …": the cue's adverb is not what was said
                c_start += len(self.body[c_start:end]) - len(self.body[c_start:end].lstrip())
                c_start += adverb.end()
                c_end_text = self.body[c_start:end].strip()
            if (
                verb_word == "menambahkan"
                and c_end_text[:1].isdigit()
                and not re.match(r"\s*(?:,|:|bahwa\b)", rest)
            ):
                continue  # "Strategy menambahkan 4.020 Bitcoin": a quantity added, no speech
            if _NOT_CONTENT.match(c_end_text) and not re.search(
                r"(?:bahwa|that|,|:)\s*$", self.body[start + verb.end() : c_start]
            ):
                # "menegaskan hal itu", "mengatakan itu": an object; but after "bahwa" or a
                # comma the clause is content ("mengatakan bahwa hal itu merupakan …")
                continue
            if _request(c_end_text, rest):
                continue
            if _TOPIC.match(c_end_text) and not re.match(r"\s*(?:,|:|bahwa\b|that\b)", rest):
                # "mengingatkan untuk hindari …", "memperingatkan kita tentang …": a request
                # or a topic, no statement
                continue
            naming = _NAMING.match(c_end_text)
            if (
                naming is not None
                and not _CLAUSE.search(naming.group("object"))
                and not _CLAUSE.search(_main_words(c_end_text[naming.end() :]))
            ):
                # "menyebut Putin sebagai "sahabat …"": a name given, no speech ("Soekarno
                # sebagai proklamator telah memberikan …" is a clause)
                continue
            if _FEELING.match(c_end_text) and not re.match(r"\s*(?:,|:|bahwa\b)", rest):
                continue  # "menyampaikan rasa bangganya …", "menyatakan kebahagiaannya …"
            if verb_word in _WEAK and not (
                re.match(
                    r"(?:\s+(?:kepada|pada|to)\s+[^,]{1,80}?)?\s*(?:,|:|(?:bahwa|that)\b)", rest
                )
                or _SUBJECT_WORD.match(c_end_text)
                or _CLAUSE.search(_main_words(c_end_text))
                or (
                    verb_word.startswith(("me", "ber"))
                    and not re.match(r"(?:secara|dengan|pada|dalam)\b", c_end_text)
                    and _CLAUSE.search(_subject_phrase(c_end_text))
                )
            ):
                continue
            glued = self.body[start + verb.start() - 1 : start + verb.start()].isalpha()
            heading = self.body[subject_start : start + verb.start()].strip(" ,")
            if glued and not self.mentions_in(subject_start, subject_end) and _common_name(heading):
                # "Retreat Kepala Daerahmengungkapkan …": a subheading glued to a sentence
                # whose subject is left out; the speaker is the one before
                speaker = self.back(subject_start, "")
            else:
                speaker = self.named(subject_start, subject_end, nearest_last=nearest)
            if speaker.mention is None or speaker.mention.label != "PER":
                speaker = self.apposed(subject_start) or speaker
            elif self.titled(speaker.mention):
                # "Timotius Thendean, Direktur Marketing PT Sentul City Tbk mengatakan": the
                # subject is a role (its unit taken for a person) apposed to the name before
                named = self.apposed(subject_start)
                if named is not None and named.mention and not self.titled(named.mention):
                    speaker = named
            if speaker.mention is not None and subject_start > start:
                # "Susanto, Pemilik Bengkel Las Bodi Mobil Bayat, Klaten mengatakan": the
                # sentence opens with the name; what follows its comma is its apposition
                speaker = self.opening_apposed(start, subject_start, speaker)
            if speaker.mention is None and speaker.name is None and subject_start > start:
                speaker = (
                    self.opening_name(start, subject_start)
                    or self.opening_person_apposed(start, subject_start)
                    or speaker
                )
            # "…, sedangkan Iran membantah …": a coordinated clause with another subject is
            # not the speaker's; it may hold reported speech of its own
            other = _OTHER_SUBJECT.search(self.body, c_start, end)
            # "…, sambil mengakui bahwa …": a second statement of the same speaker
            again = _SAME_SUBJECT.search(self.body, c_start, other.start() if other else end)
            c_start, c_end = _trim(
                self.body, c_start, again.start() if again else other.start() if other else end
            )
            self.add(c_start, c_end, speaker, verb_word, "reported")
            if again is not None:
                a_start, a_end = _trim(self.body, again.end(), other.start() if other else end)
                if len(_WORD.findall(self.body[a_start:a_end])) >= MIN_QUOTE_WORDS:
                    self.add(a_start, a_end, speaker, again.group("verb").lower(), "reported")
            if other is not None:
                self.reported(other.end(), end)
            return True
        return self.participle(start, end)

    def participle(self, start: int, end: int) -> bool:
        """English reported speech as a participle of the sentence's subject: "the health
        minister , Jose Angel Cordova , dented optimism by saying 11 people were …", "BP
        Chief Executive Bob Dudley stepped up his battle …, declaring safety would be …"."""
        if not self.english:
            return False
        m = _PARTICIPLE.search(self.body, start, end)
        if m is None or m.start() - start < 10:
            return False
        c_start, c_end = _trim(self.body, m.end(), end)
        content = self.body[c_start:c_end]
        if len(_WORD.findall(content)) < 4 or not _CLAUSE.search(" ".join(content.split()[:6])):
            return False
        subject = self.first_subject(start, self.body[start : m.start()])
        speaker = self.named(*subject) if subject else self.named(start, m.start())
        self.add(c_start, c_end, speaker, m.group("verb").lower(), "reported")
        return True


_PARTICIPLE = re.compile(
    r"(?:,\s*|\bby\s+)(?P<verb>saying|declaring|insisting|warning|claiming|arguing|stressing"
    r"|asserting|acknowledging|admitting)\s+(?:that\s+)?"
)
"""An English participle of saying that opens what the sentence's subject said."""

_NAME = re.compile(
    r"[A-Z]{2,}$|"
    r"(?:[A-Z][a-z'’-]+)(?:\s+(?:[A-Z][a-z'’-]+|bin|binti|van|de|al))*$|[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)+"
)
_THROUGH_WORDS = "melalui|lewat"
_THROUGH = re.compile(rf"\s(?:{_THROUGH_WORDS})\s+(?=[A-Z])")
"""A speaker speaking through another ("Kapolres X melalui Kapolsek Y")."""
_THROUGH_ANY = re.compile(rf"\s(?:{_THROUGH_WORDS}|through)\s")
"""The same in either language, the one spoken through named or not."""
_PASSIVE_AGENT = re.compile(
    rf"\bdi(?:{'|'.join(_AGENT_STEMS)})kan\s+(?:pula\s+|juga\s+)?(?:oleh\s+)?"
    r"(?=[A-Z])"
)
"""A passive verb of saying right before its agent ("disampaikan oleh Putri (26)")."""
_FIRM = re.compile(
    r"(?:pihak\s+)?(?:manajemen|perusahaan|perseroan)(?:\s+(?:perusahaan|perseroan))?"
    r"|(?:the\s+)?company"
)
"""A company's bare voice: its management or itself ("ujar manajemen", "perusahaan
menyatakan"), the company the article named (the protocol's borderline call)."""
_UNIT = re.compile(
    r"(?:Dinas|Pusat|Biro|Bagian|Bidang|Badan|Direktorat|Divisi|Seksi|Subdit|Satuan|Unit)"
)
"""A unit noun of a role ("Kepala Dinas Penerangan", "Kepala Biro Hukum")."""
_EVENT = re.compile(
    r"(?:Piala|Kejuaraan|Olimpiade|Pemilu|Pilkada|Pilpres|Festival|Turnamen|Kualifikasi"
    r"|Grand Prix|SEA Games|Asian Games|World Cup|Olympics?)\b"
)
"""An event or a competition: the subject of a sentence broken at a line ("… dalam babak
kualifikasi\n\nPiala Dunia 2026 mengaku …") names no speaker; a speaker is a person or an
organisation (a league, "Liga Arab", may speak: not here)."""
_NOT_NAMES = frozenset(
    "pihaknya warga pemerintah polisi sumber the a an one some officials experts"
    " residents mereka kami saya".split()
)
_ANONYMOUS = re.compile(
    r"(?:seorang\s+|salah\s+(?:satu|seorang)\s+)?(?:netizen|warganet|warga|tamu|penggemar|fans"
    r"|pengunjung|penumpang|pembeli|pedagang|sumber|saksi|pengguna|penonton|pendukung"
    r"|pengendara|nelayan|petani|buruh|the (?:source|witness|resident))\b"
)
"""A description of someone the article does not name: they stay unnamed."""
_ANONYMOUS_END = re.compile(
    r"\b(?i:seorang|salah\s+(?:satu|seorang)|sejumlah|beberapa|a|an|one|some)\s+"
    r"(?:[a-z]+\s+)?(?i:sumber|source|sources|narasumber|saksi|witness|warga|resident|residents"
    r"|penggemar|netizen|warganet)(?:\s+[a-z]+)?$"
)
"""An unnamed speaker ending the subject ("berita yang dilaporkan People dengan seorang
sumber", "a source"): a name before it is not the speaker ("seorang diplomat Rusia" is
Rusia's, by the gold's protocol)."""
_LEADING = re.compile(
    rf"^(?:(?:{'|'.join(_CONNECTIVES)}|dari|oleh|pihak|by|from|but|and|dan|lalu|kemudian|then"
    r"|so|selanjutnya)\b\s*,?\s*)+",
    re.IGNORECASE,
)
_ADVERBIAL = re.compile(
    r"(?:[A-Z]?[a-z]+\s+)?(?:dari|dengan|kepada|bersama|terhadap|tentang|seperti|selain)\s[^,.;]{1,60},\s*"
)
"""A phrase opened by a preposition, closed by a comma, before a sentence's subject
("Berbeda dengan Nur, …", "Bersama Ani, …")."""
_NAMED_WORDS = "bernama|berinisial|named"
_NAMED = re.compile(rf"\b(?:{_NAMED_WORDS})\b")
_NAMED_BEFORE = re.compile(rf"\b(?:{_NAMED_WORDS})\s+$")
"""The words introducing a name ("seorang warga bernama Liza"), right before it."""
_VERBISH = re.compile(r"\b(?:me|di|ber)[a-z]{3,}|\b(?:said|says|told|with|to|by|for)\b")
_POSSESSIVE = re.compile(r"\s?['’]s\b")
_TRAILING = re.compile(
    r"(?:\s+(?:has|have|had|also|then|later|since|previously|first|juga|pun|kembali|lalu"
    r"|kemudian|pula|telah|sudah|sempat|pernah|sebelumnya))+$",
    re.IGNORECASE,
)
_DESCRIPTION = re.compile(
    r"(?:^\S+(?:\s+\S+){0,8}\s+(?:tersebut|itu|ini)$)"
    r"|^the\s+(?!u\.?s\.?\b)[a-z-]+(?:\s+[a-z0-9&-]+){0,4}$"
    r"|^(?:wanita|pria|perempuan|lelaki|laki-laki|sosok|aktris|aktor|penyanyi|pemain|pelatih"
    r"|politikus|politisi|pengusaha|ibu|bapak|ayah|suami|istri|gadis|pemuda|remaja|mahasiswa"
    r"|mahasiswi|atlet|pebulu\S*|petinju|pembalap|selebgram|komedian|presenter|model)\s+yang\s"
)
"""A speaker described, not named: "pemain Borneo FC itu", "the former Fugees star",
"wanita yang juga anggota aktif PPJI" (the name in a relative clause is not the speaker)."""
_NOT_CONTENT = re.compile(
    r"(?:pentingnya|ini|itu|hal (?:ini|itu|tersebut)|demikian|this|it|so|that\.|dan|atau|serta"
    r"|and|or)\b",
    re.IGNORECASE,
)
_SUBJECT_WORD = re.compile(
    r"(?:pihaknya|dia|ia|mereka|kami|kita|saya|pemerintah|hal|ada|tidak|belum|sudah|saat ini"
    r"|he|she|they|we|i|there|the)\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(
    r"\b(?:akan|sudah|telah|sedang|masih|tidak|tak|belum|bisa|dapat|harus|sempat|merupakan"
    r"|adalah|ialah|menjadi|ada|perlu|mampu|ingin|mau|bakal|hanya|sangat|is|was|are|were|will"
    r"|would|could|had|has|have)\b|\b(?!(?:berikut|mereka|memang|meski|melalui|menurut|menit|mendatang|melainkan|menjelang"
    r"|mengenai|bersama|beserta|berbagai|berdasarkan|dimana|dini|diri|disertai|dibanding|menuju"
    r"|melawan)"
    r")(?:me|ber|di)[a-z]{4,}\b|\bterjadi\b"
)
"""A clause within a content's first words (an auxiliary, a negation or an affixed verb)."""
_WEAK = frozenset(
    "mengumumkan melaporkan mencatat memperkirakan menyoroti mengutarakan meyakini menuduh"
    " memperingatkan memprediksi memproyeksikan mengonfirmasi posted tweeted menambahkan"
    " melanjutkan mengungkap menyatakan menjelaskan"
    " menilai mengakui memastikan menyampaikan menjawab menanggapi"
    " membeberkan menyebut menyebutnya menduga"
    " menceritakan mengisahkan berpesan reported announced confirmed estimated believes"
    " says say states notes adds claims argues warns insists menampik memungkiri suggested"
    " membantah meyakinkan menganggap menaksir membenarkan menepis berdalih beralasan mengimbuhkan"
    " menggarisbawahi".split()
)
"""Verbs that report speech only with a content clause ("menilai bahwa …", "menilai, …")."""


_THAT_ONLY = frozenset({"melihat", "merinci"})
"""Verbs that report speech only before "bahwa" ("melihat bahwa …", "merinci bahwa …"):
otherwise they see or list things."""


_NAMING = re.compile(
    r"(?!(?:di|ke|dari|pada|dalam|saat|dirinya|ia|dia|mereka|kami|kita|saya)\b)"
    r"(?P<object>(?:[^\s,]+\s+){1,3}?)sebagai\b",
    re.IGNORECASE,
)
"""A cue's object, then "sebagai": the speaker calls something something ("mengatakan Trump
sebagai sahabat baik Israel", "menyebut Putin sebagai …")."""
_CUE_ADVERB = re.compile(r"(?:keras|tegas|dengan tegas|secara tegas|kembali|lagi)\s+(?=[a-z])")
"""An adverb of the cue verb before its object: "membantah keras klaim …"."""
_TOPIC = re.compile(
    r"untuk\s+(?:tidak\s+|tak\s+)?(?:(?:me|ber)[a-z]{3,}|[a-z]{3,}(?:kan|i))\b(?![^,.]{0,40},)"
    r"|(?:(?!(?:me|ber|di)[a-z]{3}|tengah|sedang|akan|telah|sudah|masih)\w+\s+){0,2}"
    r"(?:tentang|mengenai|about)\b",
    re.IGNORECASE,
)
"""A cue's object that is a purpose or a topic, not a statement."""
_REQUEST = re.compile(r"(?P<object>(?:\S+\s+){0,3}?)(?:agar|supaya)\b", re.IGNORECASE)


def _request(content: str, rest: str) -> bool:
    """A request, not speech: "menekankan agar pemerintah …", "mengingatkan kepala daerah
    agar segera …" (the protocol's `meminta`): "agar" before any clause of the content's own,
    unless "bahwa" says a statement follows."""
    if re.match(r"\s*(?:,\s*)?bahwa\b", rest):
        return False
    m = _REQUEST.match(content)
    return m is not None and not _CLAUSE.search(m.group("object"))


_SENTENCE_OPENING = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”]\s)|(?<=\n))(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})"
    r"(?=\s+[a-z])",
    re.MULTILINE,
)
"""Capitalised words opening a sentence, then a lower-case word (a subject, then its verb)."""
_UNTAGGED_PERSON = re.compile(
    r"(?<![\w.])(?P<age>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\s*\(\d{1,2}\)"
    r"|(?<=[a-z] )(?P<en>[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+){1,2})"
    r"(?=\s+(?:has|had|is|was|said|says|told|wrote|tweeted|posted|added)\b)"
    r"|\b(?:(?:Executive|Chief|President|Minister|Secretary|Director|Officer|Spokesman"
    r"|Spokeswoman|Senator|Governor|Mayor|Professor|Commissioner|Chairman|Admiral|General"
    r"|Financial|Operating|Vice|Deputy|Assistant|Press|Senior|Mr|Mrs|Ms|Dr)\.?\s+)+"
    r"(?P<titled>[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+){1,2})"
)
"""A person the tagger may miss: "Icha (20)", "rap star Wyclef Jean has urged", "BP Chief
Executive Bob Dudley"."""


def _common_name(name: str) -> bool:
    """A capitalised phrase of dictionary words only ("Reservasi", "Setelah", "Jadi"):
    a sentence's first word, not a name."""
    from kabar.entities.features import common_words

    dictionary = common_words()
    return all(w.lower() in dictionary for w in name.split())


_COMPANY = re.compile(
    r"(?:[A-Z][\w&.-]*\s+){1,5}(?:Limited|Ltd|Inc|Corp|Corporation|Tbk|Group|Holdings|Company"
    r"|International|Co)\b\.?"
)
"""A company's name by its corporate words ("Wilmar International Limited")."""
_PREPOSITION = re.compile(
    r"\b(?:dari|oleh|menurut|dengan|kepada|pada|di|ke|untuk|bersama|tentang|terhadap|atas"
    r"|bagi|antara|sama|of|by|from|with|to|for|about|against|at|in|on|according)\s",
    re.IGNORECASE,
)
_LEAD_CUE = re.compile(
    rf"\s*[,;]?\s*(?:but|and|then|before|dan|lalu|namun|tetapi|sebelum)\s+(?:also\s+|juga\s+)?"
    rf"(?:{_EN}|{_SUBJECT_ID})\s*[:,]?\s*(?:`{{1,2}}|[\"“])?\s*$"
)
"""A second cue that opens a direct quote after reported speech in one sentence ("…, but
added :", "…, dan menambahkan:")."""
_FIRST_VERB = re.compile(r"\s(?:(?:me|ber|di)[a-z]{3,}|[a-z]{3,}ed|says|said|told)\b")
"""The first verb of a clause: its subject is before it."""
_COORDINATED = re.compile(r"\s(?:and|dan|lalu|kemudian|serta)\s*$")
"""A verb coordinated with an earlier one of the same subject."""
_QUALIFIED = re.compile(
    r"the\s+(?:[a-z-]+\s+){1,3}(?:on|of|at|for|in)\s+the\s+[a-z]*[A-Za-z]", re.I
)
"""An English description of a person by an organisation ("The ranking Republican on the
House Energy and Commerce Committee")."""
_QUALIFIER = re.compile(r"\s+(?:tersebut|itu)\b")
"""After a name that qualifies a description ("vokalis Coldplay tersebut")."""
_NAME_THEN_CLAUSE = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}(?=\s+[a-z])")
"""A name, then a lower-case word: "Menurut Hendra pelapor merekam …"."""
_CONJUNCTION = re.compile(
    r"(?:sambil|seraya|sembari|dan|serta|lalu|kemudian|namun|tetapi|tapi|yang|untuk|karena"
    r"|sebelum|setelah|sesudah|ketika|saat|sehingga|while|and|but|before|after|as)\b",
    re.IGNORECASE,
)
"""A word that goes on with the writer's sentence, never a cue's subject."""
_SAME_SUBJECT = re.compile(
    rf",\s*(?:(?:sambil|seraya|sembari|dan|serta|lalu|kemudian|and|while)\s+)(?:juga\s+|also\s+)?"
    rf"(?P<verb>{_SUBJECT_ID}|{_EN})\s+(?:bahwa|that)\s+",
    re.IGNORECASE,
)
"""A second cue of the same subject inside reported speech ("Ia menambahkan bahwa …, sambil
mengakui bahwa …"): two statements."""
_OTHER_SUBJECT = re.compile(
    r",\s*(?:sedangkan|sementara|padahal|whereas|while)\s+(?=[A-Z])"
    r"|,\s*(?:atau|dan|serta|or|and)\s+(?:bahwa\s+|that\s+)?"
    r"(?=(?:(?!(?:dalam|untuk|yang|dengan|guna|demi|agar|in|to|for|with|who|which)\b)"
    rf"[^\s,.;\"“”]+\s+){{1,4}}(?:{_SUBJECT_ID}|{_EN})\b)"
)
"""Where a coordinated clause with a subject of its own starts ("…, sedangkan Iran
membantah …", "…, atau bahwa otoritas setempat mengatakan …"): not the speaker's words."""


_NICKNAME = re.compile(
    r"(?P<head>[A-Z][\w'’.-]*(?:\s+[A-Z(][\w'’.)-]*){0,4})\s*,?\s+yang\s+(?:(?:akrab|karib|biasa"
    r"|kerap|sering|lebih)\s+)?(?:disapa|dipanggil|dikenal\s+dengan\s+(?:nama\s+|sapaan\s+)?)"
    r"\s*(?P<alias>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})"
)
"""A nickname after a name or a role: "Mensos yang karib disapa Gus Ipul"."""
_NICKNAME_CUES = ("disapa", "dipanggil", "dikenal")
"""The words one of which every :data:`_NICKNAME` match holds (it minds the case)."""
_PERSON_NOUNS = frozenset(
    "pria wanita perempuan lelaki laki-laki sosok pemuda pemudi gadis remaja politikus politisi"
    " pengusaha aktris aktor penyanyi pemain pelatih atlet".split()
)
"""A person described by a noun that a nickname can follow ("Pria yang akrab disapa X")."""
_PLATFORMS = frozenset(
    "instagram twitter x facebook tiktok youtube threads linkedin weibo telegram".split()
)
"""Social media a post is written on: the account's owner speaks, not the platform."""
_AGENT_BREAK = re.compile(
    r"\b(?:ketika|saat|saat\s+ini|sewaktu|usai|seusai|setelah|sebelum|sambil|sembari|dalam"
    r"|bersama|kepada|untuk|dengan|when|while|after|before)\b|\b(?:me|mem|men|meng|meny|ber)[a-z]{3,}\b"
)
"""Words that end a passive verb's agent phrase before a name ("diucapkan ketika
melakukan kunjungan mendampingi X": X is not the one who spoke)."""


_INITIALLED = re.compile(
    r"\b(?:ber)?inisial\s+(?P<name>(?:[A-Z][a-z]+\s+)?[A-Z]{1,4})(?!\w|\.(?!\s|$))"
)
"""A person the article names by initials only ("warga Tenggarong, berinisial H (32)",
"pelaku berinisial Putu ER", "berinisial AS." at a sentence's end): the tagger marks no
name there."""
_NOT_INITIALS = re.compile(r"(?i:dolar|dollar|amerika|negara)\s+$")
"""Words before the initials that make them a country ("dolar AS", "warga negara AS"), not the
person named by them."""


def _initialled(body: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Person mentions for the initials an article names someone by, where it introduces
    them ("berinisial H") and wherever it writes them again as a word ("H menceritakan …"),
    so that a cue, a pronoun or a "-nya" finds that person like any other: in crime and
    accident news the witness, victim or suspect often has no other name."""
    if "inisial" not in body:
        return []
    taken = [(m.start, m.end) for m in mentions]
    found: list[Mention] = []
    for intro in _INITIALLED.finditer(body):
        name = intro.group("name")
        if any(f.text == name for f in found):
            continue
        again = re.compile(rf"(?<![\w.])(?<!\d )(?<!\d){re.escape(name)}(?!\w|\.(?!\s|$))")
        for m in again.finditer(body, intro.start("name")):
            if m.start() > intro.start("name") and _NOT_INITIALS.search(
                body, max(0, m.start() - 20), m.start()
            ):
                continue
            if not any(a < m.end() and m.start() < b for a, b in taken):
                found.append(Mention(name, "PER", m.start(), m.end(), name))
    return found


_WRITTEN_PLACE = re.compile(
    r"\b(?:Kabupaten|Kecamatan|Kota|Provinsi|Desa|Kelurahan|Gampong|Nagari|Distrik|Polsek|Polres"
    r"|Polresta|Pemkab|Pemkot|Pemprov|di)(?:\s+\([A-Z][a-z]+\))?"
    r"\s+(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\b"
)
"""A name the article writes as a place: after a district, city or police unit noun
("Kecamatan Ingin Jaya", "Pemerintah Kabupaten (Pemkab) Biak Numfor", "Polsek Ingin Jaya") or
after a preposition of place ("di Biak")."""


def _not_people(body: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions with every person tag on a name the article itself writes as a place
    made a place, and on a short name it defines in brackets as an organisation's made an
    organisation: the tagger takes unfamiliar regency and district names ("Biak Numfor",
    "Ingin Jaya") for persons, and a pronoun or a role ("Kapolsek Ingin Jaya itu") then
    resolves to the place. One pass over the body; "dari" and "ke" are left out (a request
    "dari Presiden Prabowo")."""
    people = {m.text for m in mentions if m.label == "PER"}
    if not people:
        return mentions
    places: set[str] = set()
    for match in _WRITTEN_PLACE.finditer(body):
        words = match.group("name").split()
        for n in range(1, len(words) + 1):  # "di Biak Mina Jaya": "Biak" is the place too
            places.add(" ".join(words[:n]))
    placed = people & places
    # "Jaksa Agung Muda Bidang Perdata dan Tata Usaha Negara (Jamdatun)": a short name the
    # article defines in brackets after an organisation, tagged as a person elsewhere
    defined = {
        m.text
        for m in mentions
        if m.label == "ORG"
        and m.text in people
        and body[m.start - 1 : m.start] == "("
        and body[m.end : m.end + 1] == ")"
    }
    if not placed and not defined:
        return mentions
    return [
        dataclasses.replace(m, label="LOC")
        if m.label == "PER" and m.text in placed
        else dataclasses.replace(m, label="ORG")
        if m.label == "PER" and m.text in defined
        else m
        for m in mentions
    ]


def _misspelt(name: str, other: str) -> bool:
    """Two spellings of one name ("Weldy" and "Weldi", "Sirajuddin" and "Sorojudin"): the
    same initial, and most letters in the same order."""
    a, b = name.lower(), other.lower()
    if a[:1] != b[:1] or a == b or a in b or b in a:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.7


def _verbs(text: str) -> list[re.Match[str]]:
    """The cue verbs of ``text``: whole words, or glued to a capitalised word (a name)."""
    out = []
    for match in _VERB.finditer(text):
        if match.start() and text[match.start() - 1].isalpha():
            word = re.search(r"\w+$", text[: match.start()])
            if word is None or not word.group()[:1].isupper() or len(word.group()) < 3:
                continue
        out.append(match)
    return out


def _subject_phrase(content: str, words: int = 8) -> str:
    """A content's first words up to where a noun phrase's modifier would start: a clause
    there ("prototipe pabrik skala kecil saat ini telah diuji") makes it a statement, one
    inside "yang …"/"untuk …" ("terima kasih kepada warga yang telah …") does not."""
    head = " ".join(_spaced(content).split()[:words])
    return re.split(r"\b(?:yang|untuk|atas|kepada|bagi|terhadap|which|who|for|to)\b", head)[0]


_MARKED = re.compile(r"[\"“][^\"“”]*[\"”]")
_SUBORDINATE = re.compile(
    r"\b(?:karena|sehingga|agar|supaya|sebab|meski|meskipun|walaupun|ketika|setelah|sebelum"
    r"|jika|kalau|because|when|after|before|if|since)\b",
    re.IGNORECASE,
)
_PREDICATE = re.compile(
    r"\b(?:akan|sudah|telah|sedang|masih|tidak|tak|belum|bisa|dapat|harus|merupakan|adalah"
    r"|ialah|menjadi|sangat|perlu|is|was|are|were|will|would|could|has|have|had)\b"
)
_MODIFIER_VERB = re.compile(
    r"\b(?:yang|untuk|which|who)\s+(?:(?:sudah|telah|akan|sedang|masih|tidak|tak|belum|bisa"
    r"|dapat|mulai|kembali|baru|pernah|terus|has|had|have|will|would|could)\s+)*\S+",
    re.IGNORECASE,
)


def _main_words(content: str, words: int = 5) -> str:
    """A content's main clause without the verbs of its nouns' modifiers: "kronologi
    perkara yang menimpanya" and "hasratnya untuk kembali merumput … karena merasa …" are
    noun phrases (the cue's object, no speech); "UMKM yang menerima IUP merupakan …" and
    "kegiatan yang sudah berjalan hanya bersumber …" are clauses. Words in marks (a
    phrase the writer quotes) and a subordinate clause ("karena …") are left out."""
    head = " ".join(_spaced(content).split()[:20])
    head = _MARKED.sub(" ", head)
    head = _SUBORDINATE.split(head, maxsplit=1)[0]
    main = _MODIFIER_VERB.sub(" ", head).split()
    # a long subject ("sisa lahan yang belum terbebaskan secara utuh … tak akan
    # menghambat"): its predicate's auxiliary or copula, later
    later = _PREDICATE.search(" ".join(main[words:14]))
    return " ".join(main[:words] + ([later.group()] if later else []))


def _subject_end(text: str, verb: re.Match[str]) -> int:
    """Where the subject before a cue verb ends: at the verb, or after it when the verb is
    glued to the name (so that the glued mention is inside; its name is cleaned later)."""
    if verb.start() and text[verb.start() - 1].isalpha():
        return verb.end()
    return verb.start()


_ROLE_SHORT = {
    "mensos": "menteri sosial",
    "menkes": "menteri kesehatan",
    "menkeu": "menteri keuangan",
    "menpora": "menteri pemuda olahraga",
    "menag": "menteri agama",
    "menaker": "menteri ketenagakerjaan",
    "menko": "menteri koordinator",
    "menkum": "menteri hukum",
    "menkumham": "menteri hukum",
    "mendikbud": "menteri pendidikan",
    "mendikdasmen": "menteri pendidikan",
    "mentan": "menteri pertanian",
    "menhub": "menteri perhubungan",
    "menparekraf": "menteri pariwisata",
    "menpan": "menteri pendayagunaan",
    "mendagri": "menteri dalam negeri",
    "menlu": "menteri luar negeri",
    "menhan": "menteri pertahanan",
    "mentri": "menteri",
    "wamen": "wakil menteri",
    "wapres": "wakil presiden",
    "wabup": "wakil bupati",
    "wagub": "wakil gubernur",
    "wawali": "wakil wali kota",
    "wawako": "wakil wali kota",
    "walkot": "wali kota",
    "wakapolri": "wakil kepala kepolisian",
    "kapolri": "kepala kepolisian",
    "kapolsek": "kepala kepolisian sektor",
    "kadis": "kepala dinas",
    "kajati": "kepala kejaksaan tinggi",
    "kajari": "kepala kejaksaan negeri",
    "kabareskrim": "kepala badan reserse kriminal",
    "dirjen": "direktur jenderal",
    "sekda": "sekretaris daerah",
    "danrem": "komandan korem",
    "dandim": "komandan kodim",
    "pangdam": "panglima kodam",
    "ketum": "ketua umum",
    "waketum": "wakil ketua umum",
}
"""Indonesian officials' roles written short ("kata Mensos", "tutur Wabup Indramayu"), with
words of their long form."""


def _role_word(text: str) -> bool:
    return bool(
        re.match(
            r"(?:sang\s+|the\s+)?(?:presiden|menteri|kapolres|kapolda|kapolsek|gubernur|bupati"
            r"|wali|kepala|ketua|direktur|juru|jubir|kasat|kasi|kabid|minister|president|official"
            r"|spokes|chief|director|governor|mayor|head|pelatih|coach|manager|manajer|jenderal"
            r"|sekretaris|sekjen|komisaris|kabag|kanit|camat|lurah|wakil|plt|pjs|dirut|ceo|kadis"
            r"|rektor|dekan|kabid|kasubdit|dirjen|danrem|dandim|pangdam|kapuspen|analis|pengamat"
            r"|ekonom|peneliti|dosen|pakar|psikolog|dokter|perawat|koordinator|humas|analyst"
            r"|economist|researcher|professor|profesor|strategist)",
            text,
        )
    )


def _spaced(text: str) -> str:
    """``text`` with a space where the scraper glued two words ("Smithberinisial Z"), for
    the word-level tests (offsets are not read from it)."""
    from kabar.entities.features import glued_words  # not at import: entities imports quotes

    out: list[str] = []
    last = 0
    for start, end in glued_words(text):
        if start == last and out:
            out.append(" ")
        out.append(text[last:end])
        last = end
    return "".join(out) + text[last:]


_NOT_TITLE = re.compile(
    rf"(?:{_SUBJECT_ID}|{_EN}|{_AFTER_ID}|the|a|an|and|of|to|by|with|for|that|this|yang|dan|dari"
    r"|oleh|bahwa|kepada|untuk|dengan|itu|ini|tersebut)$",
    re.IGNORECASE,
)


def _premodifier(before: str) -> str:
    """The words written right before a name, as its title ("lead prosecutor" in "…,
    lead prosecutor David Walgren"): up to three, stopping at punctuation, a verb of saying
    or a function word."""
    words = re.split(r"[.,;:\n“”\"()]", before)[-1].split()
    kept: list[str] = []
    for word in reversed(words[-3:]):
        if _NOT_TITLE.match(word):
            break
        kept.insert(0, word)
    return " ".join(kept)


def _head_noun(description: str) -> str | None:
    """The common noun a description is about: the last word of an English one before any
    "of" ("the defense lawyer" → "lawyer"), the first of an Indonesian one ("pemain Borneo
    FC itu" → "pemain"); None when that word is a name."""
    words = _WORD.findall(description)
    if words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
        if "of" in words:
            words = words[: words.index("of")]
        head = words[-1] if words else ""
    else:
        head = words[0] if words else ""
    # a common noun, not a name ("Vietnam News Agency, kantor berita … tersebut")
    return head if len(head) > 2 and head.islower() else None


def _title_word(word: str) -> bool:
    from kabar.entities.features import TITLE_WORDS

    return word.lower().rstrip(".") in TITLE_WORDS


def _titular(mention: Mention) -> bool:
    """A person mention that is a title, not a name: the tagger took "Kepala DLH Kabupaten
    Indramayu" or "Koordinator Bidang Pemberdayaan Masyarakat" for a person. It opens with
    a title word, or is three or more common words (of the dictionary or of the news)."""
    return _titular_text(mention.text)


@functools.lru_cache(maxsize=65_536)
def _titular_text(text: str) -> bool:
    from kabar.entities.features import common_words
    from kabar.entities.stoplist import common_words as common_news_words

    words = text.split()
    if not words:
        return True
    first = words[0].lower()
    if _title_word(first) or _role_word(first):
        return True
    dictionary, news = common_words(), common_news_words()
    return len(words) >= 3 and all(w.lower() in dictionary or w.lower() in news for w in words)


def _first_stop(body: str, start: int, limit: int, lapor: bool = False) -> int:
    """Where a speaker phrase after a cue ends."""
    end = min(limit, start + 110)
    region = body[start:end]
    match = _SPEAKER_STOP.search(region, 1)
    if match is not None and not lapor:
        end = start + match.start()
    elif lapor:
        stop = re.search(r"[.;\"“”]|\s(?:pada|on|dalam)\s", region)
        if stop is not None:
            end = start + stop.start()
    return end


_TRAILING_SPEAKER = re.compile(
    r"\s*(?:$|nya\b|[A-Z(]|(?:the|a|an|he|she|they|it|we|i|dia|ia|beliau|mereka|sang|salah"
    r"|seorang|para)\b|[a-z][\w-]*(?:\s+[a-z][\w-]*){0,4}\s*,\s*[A-Z])"
)
"""What follows a trailing cue when it attributes the sentence before it ("…, said the
minister", "…, kata dia", "…, menurut ayahnya, Svante"), and not when it opens reported
speech ("said in a statement")."""
_TRAILING_HOLDER = re.compile(r"\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}\s+[A-Z][^,.]*[.!?]?\s*$")
"""A trailing "menurut" whose speaker is a noun of a name ("…, menurut kantor Netanyahu.")."""
_RELATIVE = re.compile(r"\s*(?:who|which|whose|yang)\b", re.IGNORECASE)


def _clause_start(body: str, floor: int, position: int) -> int:
    """Where the clause holding a subject that ends at ``position`` begins: the sentence
    start or the last comma that does not open or close an apposition."""
    segment = body[floor:position]
    commas = [m.start() for m in re.finditer(r",", segment)]
    if not commas:
        return floor
    last = commas[-1]
    # "Kapolres Bogor, AKBP Y, mengatakan": a comma right before the verb closes an
    # apposition; the subject is the phrase between the two commas (or before them).
    if segment[last:].strip(" ,") == "":
        commas.pop()
        if not commas:
            return floor
    # "Hayward, who has been …, said": a relative clause is not the subject.
    while commas and _RELATIVE.match(segment[commas[-1] + 1 :]):
        commas.pop()
    if not commas:
        return floor
    # "Kapolresta X, Kombes Joko melalui Kapolsek Y, Iptu Z mengatakan": the subject
    # speaks through the one apposed after the comma, and the clause holds both
    through = _THROUGH.search(segment, commas[-2] + 1 if len(commas) >= 2 else 0, commas[-1])
    if through is not None:
        return _clause_start(body, floor, floor + through.start())
    return floor + commas[-1] + 1


def _quoted_spans(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans inside quotation marks in a paragraph (marks excluded); a straight quote
    left open runs to the paragraph's end (a quote continued in the next paragraph).

    The marks are found by regular expressions, not read character by character (which
    cost as much as the rest of the quote finder's scanning)."""
    spans: list[tuple[int, int]] = []
    i = start
    while True:
        mark = _MARK.search(body, i, end)
        if mark is None:
            break
        i = mark.start()
        ch = body[i]
        if ch == "”":
            if not spans and i - start > 20:
                spans.append((start, i))  # a closing mark alone: the quote began the paragraph
            i += 1
            continue
        if ch == "‘" and not _opens(body, i):
            i += 1
            continue
        close = _CLOSERS[ch].search(body, i + 1, end)
        j = end if close is None else close.start()
        if ch == "‘" and j < end and j + 1 < end and body[j + 1].isalpha():
            i += 1  # an apostrophe, not a closing mark
            continue
        spans.append((i + 1, j))
        i = j + 1
    return [(s, e) for s, e in spans if e > s]


_MARK = re.compile(f"[{_QUOTE_OPEN}{_STRAIGHT}”]")
"""The marks :func:`_quoted_spans` stops at: an opening one, a straight one, a closing “””."""
_CLOSERS = {
    _STRAIGHT: re.compile(f"[{_STRAIGHT}”]"),
    "“": re.compile(f"[”{_STRAIGHT}]"),
    "‘": re.compile("’"),
    "«": re.compile(f"[{_QUOTE_CLOSE}{_STRAIGHT}]"),
}
"""The marks that close a quote opened by each mark."""


def _ptb_spans(body: str) -> list[tuple[int, int]]:
    """Penn Treebank quotes (Timeline17's tokenised text): `` … '', over several lines
    when the quote runs on (the next `` coming first ends it at its line's end)."""
    spans = []
    for match in re.finditer("``", body):
        start = match.end()
        close = body.find("''", start)
        reopen = body.find("``", start)
        if close < 0 or (0 <= reopen < close):
            line_end = body.find("\n", start)
            close = len(body) if line_end < 0 else line_end
        if close - start < 1500:
            spans.append((start, close))
    return spans


def _opens(body: str, i: int) -> bool:
    return i == 0 or not body[i - 1].isalnum()


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    """A content span without surrounding spaces, commas and the final full stop."""
    while start < end and body[start] in ' ,:;\n"“‘”’`':
        start += 1
    while end > start and body[end - 1] in " ,.;:\n\"“‘”’'`":
        end -= 1
    return start, end


def _inside_clause(body: str, q_start: int, p_start: int) -> bool:
    """A quoted phrase that the writer's sentence runs into ("menyebut Putin sebagai "…"")."""
    opening = q_start - (2 if body.startswith("``", q_start - 2) else 1)
    before = body[max(p_start, q_start - 40) : opening].rstrip()
    return bool(before) and before[-1:].isalnum()


def _outside_quotes_tail(body: str, start: int, end: int, taken: Sequence[tuple[int, int]]) -> bool:
    """True when a sentence holding a direct quote still has a long stretch of the writer's
    own words outside it (where reported speech may sit)."""
    outside = end - start
    for t_start, t_end in taken:
        overlap = min(end, t_end) - max(start, t_start)
        if overlap > 0:
            outside -= overlap
    return outside > 0.8 * (end - start)


# --- names glued to their neighbours --------------------------------------------------------

_TITLE_ENDS = frozenset("umum utama besar eksekutif harian".split())
"""Words that end a title ("Ketua Umum", "Direktur Utama") and get tagged with the name."""
_PARTICLES = frozenset("bin binti van von de der den da dos del la le el al ibn bt".split())
_CAMEL = re.compile(r"(?<!\bMac)(?<=[A-Za-z][a-z]{2})(?=[A-Z][a-z])|(?<=[A-Z]{2})(?=[A-Z][a-z]{2})")
_GLUED_CUE = re.compile(rf"(?<=[A-Za-z]{{3}})(?=[a-z]{{7}})(?:{_SUBJECT_ID})$")
_GLUED_VERB = re.compile(r"(?<=[A-Za-z]{3})(?:me(?:ng|ny|m|n)|ber|ter)[a-z]{3,}(?:kan|i)$")
_FUNCTION_WORDS = (
    "yang|dalam|untuk|pada|kepada|saat|juga|telah|sudah|akan|bahwa|dengan|atau|oleh|sebagai"
    "|karena|melalui|terhadap|tentang"
)
_GLUED_FUNCTION = re.compile(rf"(?<=[a-z]{{2}})(?:{_FUNCTION_WORDS})$")


def _standalone(word: str, body: str) -> bool:
    """Whether the article writes ``word`` as a word of its own somewhere."""
    if _WORD.fullmatch(word):
        return word in _words(body)
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", body) is not None


@functools.lru_cache(maxsize=4)
def _words(body: str) -> frozenset[str]:
    """The body's words (its maximal runs of word characters), made once per body: a word of
    word characters stands alone in the body when it is one of them. Searching the whole body
    for each speaker's name instead was quadratic in a long article's length."""
    return frozenset(_WORD.findall(body))


def _speaker_name(mention: Mention, body: str, people: Collection[str] = ()) -> str:
    """The canonical name a speaker is listed under, cleaned of glued words for a person;
    the mention's own words when the canonical name does not hold them ("BP" resolved to
    "Barack Obama said BP")."""
    name = clean_name(mention.canonical, body, mention.label == "PER", people)
    if name == mention.canonical:
        return name
    own = clean_name(mention.text, body, mention.label == "PER", people)
    if {w.lower() for w in own.split()} <= {w.lower() for w in name.split()}:
        return name
    if not mention.canonical.startswith(name):
        return name  # a title cut from the front ("Menkes Budi" → "Budi Gunadi Sadikin")
    return own


def clean_name(name: str, body: str, person: bool = True, people: Collection[str] = ()) -> str:
    """A speaker's name without the words glued to it where links were stripped from the
    page ("UnnesZuhrul Anam" → "Zuhrul Anam", "Vladimir Putinmengatakan" → "Vladimir
    Putin", "Sudarnoto Abdul Hakim kepadaRepublika" → "Sudarnoto Abdul Hakim"). A glued
    lowercase tail is cut when it is a cue verb, or a word the article writes on its own
    elsewhere ("Santosotersangka", "Zonyang"); the name is kept as it is when nothing is
    left. ``people`` are the names of persons the article mentions. Only a cue verb or a function word is cut from an organisation's or a place's
    name (``person`` false)."""
    tokens = re.sub(r"^[A-Z]{3,}\s?-\s?", "", name).split()  # "JAKARTA-Ahmad Dhani"
    kept: list[str] = []
    for i, token in enumerate(tokens):
        if person and i and token[:1].islower() and token not in _PARTICLES:
            break  # "… kepadaRepublika": a lowercase word ends the name
        cue = _GLUED_CUE.search(token) or _GLUED_VERB.search(token) or _GLUED_FUNCTION.search(token)
        if cue is not None and token[:1].isupper() and cue.start() >= 3:
            kept.append(token[: cue.start()])
            break  # "Joey Pelupessymemastikan Garuda"
        kept.append(token)
    text = " ".join(kept)
    if not person:  # "BigHit Music", "AirAsia": organisations are written in camel case
        # "Liputan6.com, JakartaPT Utama Radar Cahaya Tbk": a dateline glued to a company
        text = re.sub(r"^[A-Z][a-z]{2,}(?=(?:PT|CV)\s)", "", text)
        return text if len(text) >= 2 and text[:1].isupper() else name
    # "Umum HKI Akhmad Ma'ruf": the end of a title ("Ketua Umum HKI") tagged with a name
    # the article writes on its own elsewhere ("Akhmad Ma'ruf Maulana")
    words = text.split()
    for i in range(1, len(words)):
        rest = " ".join(words[i:])
        titled = all(
            w.lower() in _TITLE_ENDS or _role_word(w.lower()) or (w.isupper() and len(w) >= 3)
            for w in words[:i]
        )
        if (
            titled
            and " " in rest
            and any(other == rest or other.startswith(rest + " ") for other in people)
        ):
            text = rest
            break
    # "KetuaThe FedJerome Powell": the name is what follows the last camel-case seam
    # when the word before the seam is one the article writes on its own ("Ketua", "Unnes")
    for seam in reversed([m.start() for m in _CAMEL.finditer(text)]):
        head = re.search(r"[\w-]+$", text[:seam])
        rest = text[seam:]
        if (
            head is not None
            and len(rest) >= 4
            and (
                _standalone(head.group(), body)
                or (" " not in text[:seam] and len(head.group()) >= 4 and text[seam - 1].islower())
            )
            and (" " in rest or _standalone(rest, body))
        ):
            text = rest
            break
    # "Santosotersangka": a lowercase word glued to the last name, which the article writes
    # on its own; "Taricampur": the name glued to another word elsewhere ("Taridalam")
    last = text.rsplit(" ", 1)[-1]
    if last[:1].isupper() and last[1:].islower() and last.isalpha() and len(last) > 6:
        for cut in range(3, len(last) - 2):
            tail = last[cut:]
            stem = last[:cut]
            if (cut > 3 and len(tail) >= 5 and _standalone(tail, body)) or (
                len(tail) >= 4
                and any(stem + word in _words(body) for word in _FUNCTION_WORDS.split("|"))
            ):
                text = text[: len(text) - len(last) + cut]
                break
    return text if len(text) >= 2 and text[:1].isupper() else name
