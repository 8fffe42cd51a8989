"""Text utilities every stage shares: normalisation, sentences, tokens, the article hash, and
the patterns several stages read alike (web addresses and their endings, dotted degrees)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(
    r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
)
"""Runs of spaces to make one space: a single space is one already (not replacing each saves
most of the work)."""

# Abbreviations whose dot does not end a sentence (Indonesian and English news).
_ABBREVIATIONS = {
    "dr",
    "drs",
    "ir",
    "prof",
    "mr",
    "mrs",
    "ms",
    "st",
    "no",
    "jl",
    "jln",
    "kol",
    "jend",
    "brigjen",
    "mayjen",
    "letjen",
    "h",
    "hj",
    "kh",
    "sdr",
    "bpk",
    "dll",
    "dsb",
    "vs",
    "inc",
    "ltd",
    "co",
    "corp",
    "jr",
    "sr",
    "gen",
    "gov",
    "sen",
    "rep",
    "u.s",
    "a.s",
    "e.g",
    "i.e",
}
_SENTENCE_END = re.compile(r"""(?<=[.!?])["'”’)]*\s+(?=["'“‘(]?[A-Z0-9])""")
_GLUED = re.compile(r"(?<=[a-z]{3}[.!?])(?=[A-Z][a-z])")
TOKEN = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


def normalize(text: str) -> str:
    """NFC, no invisible characters, single spaces, Unix newlines: what every stage reads."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # one substitution over the text: no run of spaces crosses a line
    return "\n".join(line.strip() for line in _SPACES.sub(" ", text).split("\n"))


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, keeping abbreviations ("Dr.", "Jl.") and quotes intact."""
    paragraph = _GLUED.sub(" ", paragraph)
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        candidate = paragraph[start : match.start()].rstrip()
        last_word = candidate.rsplit(" ", 1)[-1].rstrip(".!?\"'”’)").lower()
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        pieces.append(paragraph[start : match.end()].strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return [t.lower() for t in TOKEN.findall(text)]


def article_id(body: str) -> str:
    """The stable article id: 64 bits of BLAKE2b over the case- and space-normalised body."""
    key = " ".join(tokens(body))
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


WEB_ENDINGS = tuple(
    "co.id go.id ac.id or.id co.uk com net org id co tv io me info biz news asia my sg uk".split()
)
"""The endings of the web addresses news pages write as names ("Kompas.com", "tempo.co",
"Stocknow.id", "TRIBUN-MEDAN.com") or in credits ("(Tribunnews.com/Nurkhasanah)"): one list
for every stage that recognises a domain (datelines, credits, authors, mention debris), so a
new ending is learnt everywhere at once. The two-part endings come first, so that the
alternation takes "co.id" whole even where no boundary follows."""
WEB_ENDING = "(?i:" + "|".join(re.escape(ending) for ending in WEB_ENDINGS) + ")"
"""A regular-expression group for any of :data:`WEB_ENDINGS` (case-insensitive: datelines
write "TRIBUN-PAPUA.COM"), for the pattern after the dot."""
DOMAIN = rf"[\w-]+(?:\.[\w-]+)*\.{WEB_ENDING}\b"
"""A domain as a pattern to build on ("Kompas.com", "20.detik.com", "TRIBUN-MEDAN.com"): the
story records' datelines read it at a line's start, :func:`is_web_address` as a whole name."""
HAS_WEB_ENDING = re.compile(rf"\.{WEB_ENDING}\b")
"""A web ending anywhere in a word or a piece ("tempo.co", "Kompas.com - Berita"): the quick
test of the clean cues' dateline words, the meta datelines and the title's site pieces."""
# A web address written as a name: an outlet's dateline, credit or cited source ("Mengutip Kompas.com").
_WEB_ADDRESS = re.compile(DOMAIN)


def is_web_address(name: str) -> bool:
    """Whether a name is a domain ("Kompas.com", "TRIBUN-MEDAN.com"): an outlet's credit."""
    return _WEB_ADDRESS.fullmatch(name.strip()) is not None


DEGREE = r"[A-Z][A-Za-z]{0,5}\.(?!\s?[a-z])(?:\s?[A-Za-z]{1,6}\.)*[A-Za-z]{0,6}(?:\([A-Z]\))?"
"""An academic degree written with dots after a name ("M.Kes", "S. H.", "Ph.D",
"Sp.OT.Subsp.PL(K)"): the entity stage drops a mention that is one ("PL" of "Sp.OT.Subsp.PL(K)"),
the quote stage reads a name followed by its degrees as the speaker ("Fika Minata Wathan,
M.Kes, turut menyampaikan"). One pattern, so both read the same degrees. Its first two parts
open with a capital, so that a web address after a comma (", SURYA.co.id", ", Kompas.com,")
is not a degree."""

# Function words of Indonesian and English: never entities, never content features.
STOPWORDS = frozenset(
    """
    yang dan di ke dari ini itu dengan untuk pada dalam tidak akan juga oleh sebagai adalah
    karena atau saat telah sudah bahwa kata ia dia mereka kami kita kamu anda para tersebut
    lebih dapat bisa ada hal secara serta namun tetapi tapi jika bila agar hingga sampai
    sejak antara setelah sebelum selama ketika masih baru lalu kemudian yaitu yakni atas
    bagi tentang terhadap menurut seperti kedua pihak satu dua tiga beberapa banyak semua
    setiap lain lainnya sangat hanya pun saja begitu demikian sehingga maka oleh nya
    sebuah seorang salah telah belum sedang akan harus perlu mengatakan menyatakan ujar
    kini sini sana mana apa siapa bagaimana mengapa kapan dimana tak bukan hari tahun bulan
    pekan minggu jam negara pemerintah presiden dilansir melansir dikutip mengutip sebelumnya
    sementara selain sedangkan saat seperti diperkirakan menanggapi sebagaimana meski meskipun
    the a an and or of to in on at for with by from as is are was were be been being it its
    this that these those he she they we you i his her their our your not no but if then
    than so such said says say has have had will would can could may might must also into
    over after before about more most other some any all each which who whom whose what
    when where why how there here up out new one two three last next first year years
    """.split()
)


_STEMMER_LANGUAGES = {"id": "indonesian", "ms": "indonesian", "en": "english"}


@lru_cache(maxsize=4)
def _stemmer(language: str) -> object:
    import snowballstemmer

    return snowballstemmer.stemmer(_STEMMER_LANGUAGES.get(language, "english"))


@lru_cache(maxsize=200_000)
def stem(word: str, language: str = "id") -> str:
    """Snowball stem of a lower-case word ("persenjataan" → "senjata", "supplied" → "suppli")."""
    return str(_stemmer(language).stemWord(word))  # type: ignore[attr-defined]


def content_stems(text: str, language: str = "id") -> set[str]:
    """The stems of a text's content words: what two sentences about one fact share."""
    return {stem(t, language) for t in tokens(text) if _content_word(t)}


@lru_cache(maxsize=200_000)
def _content_word(token: str) -> bool:
    """A word worth a stem: no function word, no short word, no digit (cached: the
    timeline asks this of every word of every member, again at each rebuild)."""
    return token not in STOPWORDS and len(token) > 2 and not any(c.isdigit() for c in token)
