"""Who published an article and who wrote it, as a reader would state it.

Pages declare a site name, an author and a title (OpenGraph, JSON-LD ``NewsArticle``, read by
trafilatura), but the values are noisy: the site name may be a Facebook URL or "KOMPAS.com",
the author the publisher company ("Kompas Cyber Media", "PT VIVA MEDIA BARU"), a role
("Photographer", "Web Design; Development") or a label with the name ("Pewarta Nur
Imansyah"), the title the headline plus " - Kompas.com". Hand-written because the field's
extractors return these values as declared; the curated outlet table and the cue lists
below are the part no library carries for Indonesian outlets.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kabar.text import HAS_WEB_ENDING, is_web_address

# Hosts and in-text names of outlets, to a display name: the one outlet table (declared
# site names below map only what it cannot). Unknown ones fall back to the host.
OUTLETS = {
    "tempo.co": "Tempo", "kontan.co.id": "Kontan", "idntimes.com": "IDN Times",
    "koran-jakarta.com": "Koran Jakarta", "kompas.com": "Kompas", "kompas.id": "Kompas",
    "detik.com": "detikcom", "antaranews.com": "ANTARA", "cnnindonesia.com": "CNN Indonesia",
    "cnbcindonesia.com": "CNBC Indonesia", "liputan6.com": "Liputan6", "tribunnews.com": "Tribunnews",
    "okezone.com": "Okezone", "republika.co.id": "Republika", "sindonews.com": "Sindonews",
    "suara.com": "Suara", "merdeka.com": "Merdeka", "jpnn.com": "JPNN", "bisnis.com": "Bisnis",
    "kumparan.com": "kumparan", "thejakartapost.com": "The Jakarta Post", "jawapos.com": "Jawa Pos",
    "mediaindonesia.com": "Media Indonesia", "beritasatu.com": "Beritasatu", "viva.co.id": "VIVA",
    "reuters.com": "Reuters", "bbc.co.uk": "BBC", "bbc.com": "BBC", "theguardian.com": "The Guardian",
    "nytimes.com": "The New York Times", "washingtonpost.com": "The Washington Post",
    "foxnews.com": "Fox News", "cnn.com": "CNN", "apnews.com": "AP", "aljazeera.com": "Al Jazeera",
    "koranjakarta.com": "Koran Jakarta", "kapanlagi.com": "KapanLagi",
    "tempo.co.id": "Tempo", "en.tempo.co": "Tempo English", "republika.id": "Republika",
    "inews.id": "iNews", "medcom.id": "Medcom", "grid.id": "Grid", "bola.com": "Bola.com",
    "katadata.co.id": "Katadata", "tirto.id": "Tirto", "gatra.com": "Gatra", "rmol.id": "RMOL",
    "idxchannel.com": "IDX Channel", "suaramerdeka.com": "Suara Merdeka",
    "pikiran-rakyat.com": "Pikiran Rakyat", "jakartaglobe.id": "Jakarta Globe",
    "voaindonesia.com": "VOA Indonesia", "bbc.com/indonesia": "BBC Indonesia", "hops.id": "Hops",
    "latimes.com": "Los Angeles Times", "thehill.com": "The Hill", "twincities.com": "Twin Cities Pioneer Press",
    "cbsnews.com": "CBS News", "deccanherald.com": "Deccan Herald", "nypost.com": "New York Post",
    "rt.com": "RT", "nbcnews.com": "NBC News", "sfgate.com": "SFGate", "express.co.uk": "Express",
    "hosted.ap.org": "AP", "ctvnews.ca": "CTV News", "spokesman.com": "The Spokesman-Review",
    "chron.com": "Houston Chronicle", "theguardian.co.uk": "The Guardian", "bloomberg.com": "Bloomberg",
}  # fmt: skip

# Declared site names that are not an outlet's display name or host (those the outlet
# table maps).
SITE_NAMES = {
    "kompas": "Kompas", "kompasiana": None, "detiknews": "detikcom",
    "detikfinance": "detikcom", "detiksport": "detikcom", "detikinet": "detikcom",
    "detikcom": "detikcom", "tempo": "Tempo", "antara news": "ANTARA",
    "okezone": "Okezone",
    "republika online": "Republika",
    "viva": "VIVA", "cnn indonesia": "CNN Indonesia",
    "tribunnews": "Tribunnews",
    "kumparan": "kumparan", "idn times": "IDN Times",
    "nytimes": "The New York Times", "bbc news": "BBC",
    "dh news service": "Deccan Herald", "twin cities": "Twin Cities Pioneer Press",
    "rt international": "RT", "hosted": None, "the associated press": "AP",
}  # fmt: skip

# Text without markup: an outlet's sign-off shape and its page blocks, both required.
TEMPLATE_CUES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    # Koran Jakarta signs off with reporter initials, the wire and a desk code ("SB/AFP/I-1")
    # and ends its pages with "Berita Trending" and "Berita Terkini" lists.
    (
        "Koran Jakarta",
        re.compile(r"^[A-Z]{1,4}(?:/[A-Z]{2,8})*/[A-Z]{1,2}-\d{1,2}$"),
        ("berita trending", "berita terkini"),
    ),
    # detikcom: a desk sign-off "(anl/ega)" and its "SCROLL TO CONTINUE WITH CONTENT" ad slot.
    (
        "detikcom",
        re.compile(r"^\([a-z]{2,4}/[a-z]{2,4}\)$"),
        ("scroll to continue with content",),
    ),
    # KapanLagi signs every story with its own desk code "(kpl/…)".
    ("KapanLagi", re.compile(r"^\(kpl(?:/[a-z]{2,4}){1,2}\)$"), ()),
)

# Words that make a declared "author" a company, a desk or a role, not a person.
_NOT_A_PERSON = re.compile(
    r"""\b(?:pt|tbk|cv|inc|ltd|llc|corp|corporation|company|co|group|grup|media|cyber|network
    |digital|online|news|newsroom|redaksi|tim|team|admin|administrator|staff|desk|service
    |press|wire|wires|agency|photographer|fotografer|photo|foto|web|design|development
    |developer|editorial|editor|kontributor|contributor|correspondent|koresponden|writer
    |penulis|reporter|wartawan|humas|rilis|release|sponsored|advertorial|business|bisnis
    |indonesia|the)\b|@|https?://|www\.|\d""",
    re.VERBOSE | re.IGNORECASE,
)
_LABEL = re.compile(
    r"^(?:(?:laporan\s+)?(?:wartawan|reporter|pewarta|penulis|editor|redaktur|oleh|by|writer|author"
    r"|kontributor|contributor|jurnalis|journalist|written\s+by|ditulis\s+oleh)\b\s*[:.\-–]?\s*)+",
    re.IGNORECASE,
)
_ROLE_TAIL = re.compile(
    r"\s*(?:,|\bis\s+an?\b|\|).*$|\s+(?:special\s+to|for|untuk|dari)\s+.*$", re.IGNORECASE
)
_PARTICLES = frozenset("bin binti van der de da di al la le von dos del".split())

# Sections and site words that come before or after a headline in a page title.
_TITLE_SECTIONS = frozenset(
    """opinion opini editorial analysis analisis comment kolom column berita news nasional
    internasional ekonomi bisnis olahraga sport sports tekno hiburan video foto""".split()
)
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s*\|\s*|\s+::\s+")


def person_name(value: str | None, outlets: frozenset[str] = frozenset()) -> str | None:
    """The first person's name of a declared author, without labels; None for a company,
    an outlet, a role or anything else that is not a name."""
    if not value:
        return None
    first = re.split(r"\s*;\s*|\s+(?:and|dan|&)\s+|\s*/\s*", value.strip())[0]
    first = _LABEL.sub("", first.strip()).strip()
    first = _ROLE_TAIL.sub("", first).strip(" .,:-–")
    if not first or first.lower() in outlets or _NOT_A_PERSON.search(first):
        return None
    if any(is_web_address(word) for word in first.split()):  # "Kompas.tv", "Okezone.net"
        return None
    words = first.split()
    if not 1 < len(words) <= 5 and not (len(words) == 1 and len(first) >= 3 and first[0].isupper()):
        return None
    if any(not (w[0].isupper() or w.lower() in _PARTICLES) for w in words if w[0].isalpha()):
        return None
    if first.isupper():
        first = " ".join(w.capitalize() for w in words)
    return first


def strip_site_from_title(title: str | None, names: list[str]) -> str | None:
    """The headline without the site name or section around it ("… - Kompas.com",
    "… | Republika Online", "Opinion | …", "… | Editorial")."""
    if not title:
        return title
    known = {_key(n) for n in names if n}
    pieces = _TITLE_SEPARATOR.split(title.strip())
    while len(pieces) > 1 and _is_site_piece(pieces[-1], known):
        pieces.pop()
    while len(pieces) > 1 and _is_site_piece(pieces[0], known):
        pieces.pop(0)
    if len(pieces) > 1:
        return _rejoin(title, pieces)
    return pieces[0].strip()


def _rejoin(title: str, pieces: list[str]) -> str:
    start = title.find(pieces[0])
    end = title.rfind(pieces[-1]) + len(pieces[-1])
    return title[start:end].strip()


def _is_site_piece(piece: str, known: set[str]) -> bool:
    key = _key(piece)
    if not key:
        return True
    if key in known or key in _TITLE_SECTIONS or key in SITE_NAMES:
        return True
    if HAS_WEB_ENDING.search(piece) and len(piece.split()) <= 3:
        return True
    return any(key == k or key.startswith(k + " ") for k in known if len(k) > 3)


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^\w.]+", " ", name.lower()).split()).removeprefix("www.")


def outlet_from_site_name(name: str | None, table: dict[str, str]) -> str | None:
    """A declared site name through the outlet table; None for a URL or an unknown page."""
    if not name or re.match(r"https?://|www\.", name.strip()):
        return None
    key = _key(name)
    if key in SITE_NAMES:
        return SITE_NAMES[key]
    names = {v.lower(): v for v in table.values()}
    if key in names:
        return names[key]
    host = key.split()[0] if key else ""
    for known, display in table.items():
        if host == known or host == known.split(".")[0] + ".com":
            return display
    return name.strip()


def outlet_from_url(url: str | None, table: dict[str, str]) -> str | None:
    """The outlet of a URL's host (and path, for "bbc.com/indonesia") through the table."""
    if not url:
        return None
    parts = urlsplit(url if "//" in url else "//" + url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = host + parts.path
    for known, display in sorted(table.items(), key=lambda kv: -len(kv[0])):
        if "/" in known and path.startswith(known):
            return display
        if host == known or host.endswith("." + known):
            return display
    return None


def outlet_from_template(signoff: str | None, removed: list[str]) -> str | None:
    """The outlet of text without markup, from its sign-off and page blocks together."""
    lines = {line.strip().lower() for line in removed}
    for outlet, signoff_shape, blocks in TEMPLATE_CUES:
        if signoff and signoff_shape.match(signoff.strip()) and all(b in lines for b in blocks):
            return outlet
    return None


_ZONES = {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00", "GMT": "+00:00", "UTC": "+00:00"}
_CLOCK = re.compile(
    r"\b(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)(?:[:.](?P<s>[0-5]\d))?\s*(?P<zone>WIB|WITA|WIT|GMT|UTC)\b"
)
_ISO_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?"
)


def stamp_time(day: str, text: str) -> str | None:
    """``day`` with the clock time and zone of a stamp ("20/06/2024, 14:30 WIB" →
    "2024-06-20T14:30:00+07:00"); None when the stamp gives no zoned time."""
    match = _CLOCK.search(text)
    if match is None:
        return None
    seconds = match.group("s") or "00"
    zone = _ZONES[match.group("zone")]
    return f"{day}T{int(match.group('h')):02d}:{match.group('m')}:{seconds}{zone}"


def iso_time(value: str | None) -> str | None:
    """A declared date-time ("2019-11-19T13:16:49+0000") in ISO form with its offset, or None
    when it has no time of day."""
    if not value:
        return None
    match = _ISO_TIME.match(value.strip())
    if match is None:
        return None
    day, clock, zone = match.groups()
    if len(clock) == 5:
        clock += ":00"
    if zone is None:
        return f"{day}T{clock}"
    if zone == "Z":
        zone = "+00:00"
    elif ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    return f"{day}T{clock}{zone}"


# The words that introduce a cited source, right before its name: "Mengutip Cointelegraph,",
# "Dikutip dari Carnewschina", "Disitat dari …", "seperti dilansir …", "Sumber: …".
_SOURCE_CUE = re.compile(
    r"(?:\b(?:mengutip|melansir|dilansir|dikutip|disitat|dinukil|menukil|dirangkum|dihimpun"
    r"|sumber|source|via)(?:\s*dari)?(?:\s+(?:laman|situs|portal|media|akun|kanal)(?:\s+resmi)?)?"
    r"\s*:?\s*)$",
    re.IGNORECASE,
)
_CREDIT_END = re.compile(r"^(?:\s*$|\s*[,.;:)]|\s+(?:dan|and|pada|on)\s|\s*\()")


def is_cited_source(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is the source an article cites ("Mengutip Cointelegraph,
    Rabu (4/6/2025) …", "Dikutip dari Carnewschina dan Bloomberg."): a cue right before the
    name, and the name ends the citation. A credit, like a wire agency's, not a subject."""
    return (
        _SOURCE_CUE.search(text[max(0, start - 40) : start]) is not None
        and _CREDIT_END.match(text[end : end + 8]) is not None
    )
