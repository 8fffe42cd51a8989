"""A temporal tagger for Indonesian and English news: find dates, normalise, anchor them.

dateparser parses one expression well but cannot *find* Indonesian expressions in running
text, nor resolve "Oktober lalu", "pekan lalu", "awal bulan ini", "Kamis (20/6)" (year from
the anchor and the weekday), ranges ("antara tahun 1995 dan 2023"), durations ("24 tahun")
or typos such as "Septemebr"; so the grammar is written here, as precompiled regular
expressions over month and weekday names, each match normalised TIMEX3-style:

======== =================================== =======================================
kind     value                               examples
======== =================================== =======================================
date     ``2024-06-20`` / ``2024-W`` Monday   "Kamis (20/6)", "pekan lalu" (a week is
         ``2024-03-18`` / ``2024-06`` /       named by its Monday), "Oktober lalu",
         ``2024``                             "pada 2012"
range    ``1995/2023``, ``2011-08/2014-03``   "antara tahun 1995 dan 2023", "1990-an"
duration ``P24Y``, ``P3D``, ``PT6H``          "24 tahun", "selama tiga hari"
set      ``R/P1Y``, ``XXXX-WXX-1``            "setiap tahun", "every Monday"
======== =================================== =======================================
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import ClassVar, Literal, NamedTuple

from kabar.alternation import ascii_twins, lowered_twin, lowers_plainly, trie_alternation
from kabar.model import Granularity, TimeExpression

Kind = Literal["date", "range", "duration", "set", "reference"]

_ANCHOR_TIME: ContextVar[datetime | None] = ContextVar("_ANCHOR_TIME", default=None)
"""The anchor's clock time while :func:`find_times` runs ("6 jam lalu" keeps the hour)."""

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("januari", "january", "jan"),
        ("februari", "pebruari", "february", "feb", "peb"),
        ("maret", "march", "mar"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("agustus", "august", "agu", "agt", "ags", "aug"),
        ("september", "sept", "sep"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nopember", "nov", "nop"),
        ("desember", "december", "des", "dec"),
    ],
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number
_FULL_MONTH_NAMES = [name for name in MONTHS if len(name) >= 5]

WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5,
    "minggu": 6, "ahad": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip

NUMBER_WORDS = {
    "satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "dua belas": 12,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip

_UNITS = {
    "hari": "D", "day": "D", "days": "D", "pekan": "W", "minggu": "W", "week": "W",
    "weeks": "W", "bulan": "M", "month": "M", "months": "M", "tahun": "Y", "year": "Y",
    "years": "Y", "dekade": "DE", "decade": "DE", "decades": "DE", "abad": "CE",
    "century": "CE", "centuries": "CE", "jam": "H", "hour": "H", "hours": "H",
    "menit": "MIN", "minute": "MIN", "minutes": "MIN", "detik": "S", "second": "S",
    "seconds": "S", "weekend": "W", "hr": "H", "hrs": "H", "min": "MIN", "mins": "MIN",
}  # fmt: skip
_UNIT_GRANULARITY: dict[str, Granularity] = {"D": "day", "W": "week", "M": "month", "Y": "year"}

_WD_NAMES = r"Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu|Ahad|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WD = rf"(?P<wd>{_WD_NAMES})"
_MONTH_UPPER = "|".join(sorted((n.upper() for n in MONTHS), key=len, reverse=True))
"""A heading's month, "30 NOVEMBER 2011": capitals only when spelt exactly."""
_MONTH_EXACT = "|".join(sorted((n.capitalize() for n in MONTHS), key=len, reverse=True))
_MONTH_EXACT = f"{_MONTH_EXACT}|{_MONTH_UPPER}"
_MON = rf"(?P<mon>(?:{_MONTH_EXACT})\.?)"
# checked against month names, difflib for typos
_MON_FUZZY = rf"(?P<mon>[A-Za-z][a-z]{{2,10}}\.?|{_MONTH_UPPER})"
_YEAR = r"(?P<year>(?:1[89]|20)\d{2})"
_DAY = r"(?P<day>[0-3]?\d)"
_NUM_WORDS = "dua belas|sebelas|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
_NUM = rf"(?P<n>\d{{1,3}}(?:[.,]5)?|{_NUM_WORDS}|a|an|se)"
_UNIT_ID = r"hari|pekan|minggu|bulan|tahun|dekade|abad|jam|menit|detik"
_UNIT_EN = (
    r"days?|weeks?|months?|years?|decades?|centur(?:y|ies)|hours?|hrs?|minutes?|mins?|seconds?"
)
_MODS = {
    "awal": "START", "early": "START", "pertengahan": "MID", "mid": "MID", "medio": "MID",
    "akhir": "END", "late": "END", "end": "END", "tengah": "MID",
}  # fmt: skip
_MOD = r"(?:(?P<mod>awal|akhir|pertengahan|medio|early|late|mid|the\s+end\s+of|the\s+start\s+of)[\s-]+(?:of\s+)?)?"


class _Alt:
    """Lets a resolver read one group name from whichever alternative of a rule matched."""

    _ALIASES: ClassVar[dict[str, tuple[str, ...]]] = {
        "day2": ("day2", "day2b"),
        "mon": ("mon", "mon_b"),
        "year2": ("year2", "year2s"),
        "year": ("year", "year_b"),
        "day": ("day", "day_b"),
        "month": ("month", "month_b"),
        "unit": ("unit", "unit_se"),
        "n": ("n", "se"),
        "qyear": ("qyear", "qyear_b"),
    }

    def __init__(self, match: re.Match[str] | _Alt) -> None:
        self._match: re.Match[str] = match._match if isinstance(match, _Alt) else match
        self._groups = self._match.groupdict()
        self.string = self._match.string

    def group(self, name: str | int = 0) -> str:
        if isinstance(name, int):
            return self._match.group(name)
        for alias in self._ALIASES.get(name, (name,)):
            value = self._groups.get(alias)
            if value:
                return value
        return self._groups.get(name) or ""

    def groupdict(self) -> dict[str, str | None]:
        return self._groups

    def start(self) -> int:
        return self._match.start()

    def end(self) -> int:
        return self._match.end()


_Match = re.Match[str] | _Alt


class _Value(NamedTuple):
    value: str
    granularity: Granularity
    kind: Kind = "date"
    mismatch: bool = False
    event: str | None = None


Resolver = Callable[[_Match, date | None, int | None], _Value | None]


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: Resolver
    relative: bool
    gate: tuple[str, ...] = ()
    """Lower-case substrings one of which must occur for the rule to be tried (speed:
    a substring test is ~100x cheaper than a case-insensitive alternation)."""
    needs: Literal["", "digit", "year"] = ""
    """Tried only if the text has a digit / a 4-digit year-like number."""
    pregate: re.Pattern[str] | None = None
    """A cheap pattern that must match first, when the rule's own pattern is costly to scan."""


@lru_cache(maxsize=4096)
def _month_name(key: str, fuzzy: bool) -> int | None:
    key = key.lower().rstrip(".")
    if key in MONTHS:
        return MONTHS[key]
    if fuzzy and 6 <= len(key) <= 11:
        # Gated: only capitalised words between a day number and a year reach difflib.
        close = difflib.get_close_matches(key, _FULL_MONTH_NAMES, n=1, cutoff=0.8)
        if close:
            return MONTHS[close[0]]
    return None


def _month(text: str | None, fuzzy: bool = False) -> int | None:
    # Lower-case month names ("februari 2003") are accepted only when spelt right.
    return _month_name(text, fuzzy and text[0].isupper()) if text else None


def _weekday(match: _Match) -> int | None:
    wd = match.groupdict().get("wd")
    return WEEKDAYS.get(wd.lower()) if wd else None


def _mod(match: _Match) -> str | None:
    groups = match.groupdict()
    raw = (groups.get("mod") or groups.get("mod2") or "").lower()
    if not raw:
        return None
    if "end" in raw:
        return "END"
    if "start" in raw:
        return "START"
    return _MODS.get(raw)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _plus(anchor: date, days: int) -> date | None:
    """``anchor`` moved by ``days``, or None past the calendar's ends (years 1..9999): an
    absurd anchor ("31/12/9999" with "besok") yields no date, never an OverflowError."""
    try:
        return anchor + timedelta(days=days)
    except OverflowError:
        return None


def format_value(value: date, granularity: Granularity) -> str:
    if granularity in ("day", "week"):
        return value.isoformat()
    if granularity == "month":
        return value.strftime("%Y-%m")
    return f"{value.year:04d}"


def _day(found: date | None, weekday: int | None = None) -> _Value | None:
    if found is None:
        return None
    mismatch = weekday is not None and found.weekday() != weekday
    return _Value(found.isoformat(), "day", mismatch=mismatch)


def _year_of(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


# -- resolvers ----------------------------------------------------------------------------
def _full_date(match: _Match, _anchor: date | None, _lower: int | None) -> _Value | None:
    month = _month(match.group("mon"), fuzzy=True)
    if month is None:
        return None
    found = _safe_date(int(match.group("year")), month, int(match.group("day")))
    return _day(found, _weekday(match))


def _numeric_date(match: _Match, anchor: date | None, lower: int | None) -> _Value | None:
    day, month = int(match.group("day")), int(match.group("month"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    year_text = match.group("year")
    if year_text:
        return _day(_safe_date(_year_of(year_text), month, day), _weekday(match))
    return _day_month(day, month, _weekday(match), anchor, lower)


# Days that name a historical event: "serangan 11 September" is 2001, whatever the anchor.
_HISTORY = {
    (9, 11): (re.compile(r"\b(?:serangan|tragedi|peristiwa|insiden|teror|attacks?|since)\s+$", re.I), 2001),
    (8, 17): (re.compile(r"\b(?:proklamasi(?:\s+kemerdekaan)?|dibacakan)\s+(?:pada\s+)?$", re.I), 1945),
    (11, 10): (re.compile(r"\b(?:pertempuran|peristiwa)\s+$", re.I), 1945),
    (9, 30): (re.compile(r"\b(?:G30S|gerakan|peristiwa|tragedi)\s+$", re.I), 1965),
    (5, 12): (re.compile(r"\b(?:tragedi|penembakan)\s+(?:Trisakti\s+)?$", re.I), 1998),
    (12, 26): (re.compile(r"\b(?:tsunami|gempa)\s+(?:Aceh\s+)?$", re.I), 2004),
}  # fmt: skip
_COMMEMORATION = re.compile(
    r"\b(?:peringatan|memperingati|diperingati|perayaan|merayakan|HUT|hari\s+ulang\s+tahun|"
    r"setiap|tiap|saban|(?-i:Hari)|every|anniversary)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)


def _day_month_words(match: _Match, anchor: date | None, lower: int | None) -> _Value | None:
    month = _month(match.group("mon"), fuzzy=True)
    if month is None:
        return None
    day = int(match.group("day"))
    before = match.string[max(0, match.start() - 40) : match.start()]
    history = _HISTORY.get((month, day))
    if history is not None and history[0].search(before):
        return _day(_safe_date(history[1], month, day))
    if _COMMEMORATION.search(before) and not _weekday(match):
        # "peringatan 17 Agustus", "Hari Pahlawan 10 November": a yearly day, not this year's.
        return _Value(f"XXXX-{month:02d}-{day:02d}", "day", "set")
    return _day_month(day, month, _weekday(match), anchor, lower, match)


def _day_month_range(match: _Match, anchor: date | None, lower: int | None) -> _Value | None:
    """ "5 Juni sampai 31 Juli 2025", "10 Juni-10 Juli 2025": days of two months."""
    first_month = _month(match.group("mon"), fuzzy=True)
    second_month = _month(match.group("mon2"), fuzzy=True)
    if first_month is None or second_month is None:
        return None
    year2_text, year1_text = match.group("year2"), match.group("year")
    day1, day2 = int(match.group("day")), int(match.group("day2"))
    if year2_text:
        year2 = int(year2_text)
        year1 = int(year1_text) if year1_text else year2 - (first_month > second_month)
    else:
        start = _day_month(day1, first_month, None, anchor, lower)
        if start is None:
            return None
        year1 = int(start.value[:4])
        year2 = year1 + (first_month > second_month)
    a, b = _safe_date(year1, first_month, day1), _safe_date(year2, second_month, day2)
    if a is None or b is None or not 0 < (b - a).days <= 366:
        return None  # "(31 Agustus 1892 - 1 November 1980)": two dates, a life, not one period
    return _Value(f"{a.isoformat()}/{b.isoformat()}", "day", "range")


def _day_month(
    day: int,
    month: int,
    weekday: int | None,
    anchor: date | None,
    lower: int | None,
    match: _Match | None = None,
) -> _Value | None:
    """A day and month without a year: the year comes from the anchor, or from the weekday.

    With an anchor, the candidate nearest to it wins (news reports the recent past and the
    near future), unless a weekday is named and only another candidate year agrees with it.
    "2 Juli mendatang" / "lalu" pin the direction. Without an anchor, the weekday ("Kamis
    (20/6)") picks the first year from ``lower`` (the latest year the article mentions) in
    which that date falls on that day.
    """
    if anchor is not None:
        candidates = [_safe_date(anchor.year + k, month, day) for k in (-1, 0, 1)]
        valid = [c for c in candidates if c is not None]
        if match is not None:
            tail = match.group(0).lower()
            if re.search(r"\b(?:mendatang|depan|nanti)\b", tail):
                valid = [c for c in valid if c >= anchor] or valid
            elif re.search(r"\b(?:lalu|silam|kemarin)\b", tail):
                valid = [c for c in valid if c <= anchor] or valid
        if not valid:
            return None
        if weekday is not None:
            agreeing = [c for c in valid if c.weekday() == weekday and abs((c - anchor).days) < 200]
            valid = agreeing or valid
        best = min(valid, key=lambda c: abs((c - anchor).days))
        return _day(best, weekday)
    if weekday is None or lower is None:
        return None
    for year in range(lower, lower + 12):
        found = _safe_date(year, month, day)
        if found and found.weekday() == weekday:
            return _day(found)
    return None


def _day_range(match: _Match, anchor: date | None, lower: int | None) -> _Value | None:
    """ "10-12 Juni 2024", "June 10-12, 2024", "10 hingga 12 Juni": two days of one month."""
    month = _month(match.group("mon"), fuzzy=True)
    if month is None:
        return None
    first, last = int(match.group("day")), int(match.group("day2"))
    year_text = match.group("year")
    if year_text:
        year = int(year_text)
    else:
        start = _day_month(first, month, None, anchor, lower)
        if start is None:
            return None
        year = int(start.value[:4])
    a, b = _safe_date(year, month, first), _safe_date(year, month, last)
    if a is None or b is None or b <= a:
        return None
    return _Value(f"{a.isoformat()}/{b.isoformat()}", "day", "range")


def _month_year(match: _Match, _anchor: date | None, _lower: int | None) -> _Value | None:
    month = _month(match.group("mon"), fuzzy=True)
    if not month:
        return None
    return _Value(f"{int(match.group('year')):04d}-{month:02d}", "month")


_FUTURE = re.compile(r"\b(?:depan|mendatang|next|nanti|coming)\b", re.IGNORECASE)
_PAST = re.compile(r"\b(?:lalu|kemarin|silam|last|past|previous|ago)\b", re.IGNORECASE)
_THIS = re.compile(r"\b(?:ini|this)\b", re.IGNORECASE)
_WILL = re.compile(
    r"\b(?:akan|bakal|will|dijadwalkan|direncanakan|rencananya|ditargetkan|scheduled|due)\b",
    re.IGNORECASE,
)


def _month_relative(match: _Match, anchor: date | None, _lower: int | None) -> _Value | None:
    """ "Oktober lalu", "pada bulan Maret", "awal Juli", "June last year": the named month
    nearest the anchor in the direction the words give."""
    month = _month(match.group("mon"))
    if month is None or anchor is None:
        return None
    text = match.group(0).lower()
    if "tahun lalu" in text or "last year" in text:
        year = anchor.year - 1
    elif "tahun depan" in text or "next year" in text:
        year = anchor.year + 1
    elif "tahun ini" in text or "this year" in text:
        year = anchor.year
    elif _FUTURE.search(text):
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif _PAST.search(text):
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif _THIS.search(text):
        year = anchor.year
    elif _WILL.search(match.string[max(0, match.start() - 60) : match.start()]):
        # "akan mulai tersedia pada September": the next one.
        year = anchor.year if month >= anchor.month else anchor.year + 1
    else:
        # A bare month in news is the nearest one: up to 9 months back, else ahead.
        back = (anchor.month - month) % 12
        year = anchor.year if month <= anchor.month else anchor.year - 1
        if back > 9:
            year = anchor.year + (1 if month < anchor.month else 0)
    return _Value(f"{year:04d}-{month:02d}", "month")


_LAW_NUMBER = re.compile(
    r"\b(?:Nomor|Nomer|No|Nr)\.?\s*[\w./\-]*\d[\w./\-]*\s*(?:[Tt]ahun|TAHUN)?\s*$"
)
_PLATE_BEFORE = re.compile(r"(?:^|[^\w])[A-Z]{1,2}\s?$")
_PLATE_AFTER = re.compile(r"^\s?[A-Z]{1,3}\b")


def _is_name_number(string: str, start: int, end: int) -> bool:
    """A year-like number that names something: "UU Nomor 1 Tahun 1946" (a law: its name, not
    a 1946 event), "Perpres No. 12 Tahun 2023", a court register "No.92/PDT.SUS-HK/HAKCIPTA
    2024", a licence plate "BG 1829 KF", "Rp 2015"."""
    before = string[max(0, start - 40) : start]
    if re.search(r"\bUUD\s*(?:NRI\s*)?(?:[Tt]ahun\s*)?$", before):
        return True  # "UUD 1945": the constitution's name
    if _LAW_NUMBER.search(before) or re.search(r"(?:Rp\.?|US\$|USD|[:#$@/€£])\s*$", before):
        return True
    return bool(_PLATE_BEFORE.search(before) and _PLATE_AFTER.match(string[end : end + 5]))


def _year(match: _Match, _anchor: date | None, _lower: int | None) -> _Value | None:
    if _is_name_number(match.string, match.start(), match.end()):
        return None
    return _Value(f"{int(match.group('year')):04d}", "year")


_NUMBER_WORD = re.compile(r"(?:\b(?:nomor|nomer|no|nr|number)\.?|#)\s*$", re.IGNORECASE)
_EDITION_BEFORE = re.compile(r"(?:^|\s)\(?(?P<name>[\w'’&.+-]*[A-Z][\w'’&.+-]*)\)?\s$")
_NOT_NAMES = frozenset(
    "di ke dari pada sejak hingga sampai sepanjang selama awal akhir pertengahan medio jelang"
    " menjelang pasca usai tahun periode musim per mulai sebelum setelah antara dan atau"
    " in on of at by to from since until during before after between the early late mid"
    " and or year season fiscal buku anggaran ajaran fiskal pemilu pilpres pilkada pileg"
    " election elections".split()
)
"""Words before a bare year that do not make it a name's edition: date prepositions (a
sentence-initial "Sepanjang 2024" is a period, so is "Tahun Buku 2024", a fiscal year) and
elections ("Pemilu 2014" is held then)."""


_AWARD_BEFORE = re.compile(r"\b(?:of\s+the\s+year|terbaik)\s*$", re.IGNORECASE)
"""An award's edition: "PFA Player of the Year 2024", "Pemain Terbaik 2024"."""


def _is_edition(string: str, start: int) -> bool:
    """A bare year right after a proper name is the name's edition, not the sentence's date:
    "Kualifikasi Piala Dunia 2026" (a qualifier played in 2025), "MotoGP Italia 2025",
    "Bantuan Subsidi Upah (BSU) 2025", "Indonesia Open 2025", and an award's, "Player of
    the Year 2024"."""
    if _AWARD_BEFORE.search(string, max(0, start - 20), start):
        return True
    found = _EDITION_BEFORE.search(string, max(0, start - 40), start)
    if found is None:
        return False
    name = found.group("name")
    return name.lower() not in _NOT_NAMES and _month(name) is None


def _bare_year(match: _Match, _anchor: date | None, _lower: int | None) -> _Value | None:
    """ "the 1989 spill", "Pemilu 2014": a year; "Rp 2015", "No. 2014", "nomor 1907",
    "BG 1829 KF" are numbers; "Piala Dunia 2026" names a tournament (see :func:`_is_edition`)."""
    start = match.start()
    if _is_name_number(match.string, start, match.end()) or _is_edition(match.string, start):
        return None
    if _NUMBER_WORD.search(match.string, max(0, start - 12), start):
        return None
    return _Value(f"{int(match.group('year')):04d}", "year")


def _year_range(match: _Match, _anchor: date | None, _lower: int | None) -> _Value | None:
    first = int(match.group("year"))
    second_text = match.group("year2")
    second = int(second_text)
    if len(second_text) == 2:
        second += first // 100 * 100
    if second <= first or second - first > 200:
        return None
    return _Value(f"{first:04d}/{second:04d}", "year", "range")


def _month_range(match: _Match, _anchor: date | None, _lower: int | None) -> _Value | None:
    first, second = _month(match.group("mon"), True), _month(match.group("mon2"), True)
    if first is None or second is None:
        return None
    year2 = int(match.group("year2"))
    year1 = int(match.group("year")) if match.group("year") else year2
    if (year1, first) >= (year2, second):
        return None
    return _Value(f"{year1:04d}-{first:02d}/{year2:04d}-{second:02d}", "month", "range")


def _decade(match: _Match, _anchor: date | None, _lower: int | None) -> _Value | None:
    start = int(match.group("decade"))
    if start % 10:
        return None
    return _Value(f"{start:04d}/{start + 9:04d}", "year", "range")


def _iso(match: _Match, _anchor: date | None, _lower: int | None) -> _Value | None:
    return _day(
        _safe_date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
    )


_DAY_WORDS = {
    "hari ini": 0, "today": 0, "kemarin": -1, "yesterday": -1, "kemarin lusa": -2,
    "besok": 1, "tomorrow": 1, "lusa": 2, "pagi ini": 0, "siang ini": 0, "sore ini": 0,
    "malam ini": 0, "tadi pagi": 0, "tadi siang": 0, "tadi sore": 0, "tadi malam": -1,
    "this morning": 0, "this afternoon": 0, "this evening": 0, "tonight": 0,
    "last night": -1, "besok pagi": 1, "besok siang": 1, "besok sore": 1, "besok malam": 1,
    "kemarin malam": -1, "kemarin sore": -1, "kemarin pagi": -1, "kemarin siang": -1,
}  # fmt: skip


def _day_word(match: _Match, anchor: date | None, _lower: int | None) -> _Value | None:
    if anchor is None:
        return None
    key = re.sub(r"\s+", " ", match.group("word").lower())
    return _day(_plus(anchor, _DAY_WORDS[key]))


def _shift(anchor: date, unit: str, amount: int) -> _Value | None:
    """``anchor`` moved by ``amount`` units; None when that leaves the years 1..9999."""
    code = _UNITS.get(unit.lower(), "Y")
    if code == "D":
        moved = _plus(anchor, amount)
        return _Value(moved.isoformat(), "day") if moved else None
    if code == "W":
        moved = _plus(anchor, 7 * amount)
        return _Value(iso_week(moved), "week") if moved else None
    if code == "M":
        index = anchor.year * 12 + anchor.month - 1 + amount
        return (
            _Value(f"{index // 12:04d}-{index % 12 + 1:02d}", "month")
            if _sane(index // 12)
            else None
        )
    if code == "DE":
        start = (anchor.year + 10 * amount) // 10 * 10
        if not (_sane(start) and _sane(start + 9)):
            return None
        return _Value(f"{start:04d}/{start + 9:04d}", "year", "range")
    if code in ("H", "MIN", "S"):
        moment = _ANCHOR_TIME.get()
        if moment is None:
            return _Value(anchor.isoformat(), "day")
        step = {"H": timedelta(hours=1), "MIN": timedelta(minutes=1), "S": timedelta(seconds=1)}
        try:
            moved_at = moment + step[code] * amount
        except OverflowError:
            return None
        if not _sane(moved_at.year):
            return None
        shape = {"H": "%Y-%m-%dT%H", "MIN": "%Y-%m-%dT%H:%M", "S": "%Y-%m-%dT%H:%M:%S"}[code]
        return _Value(moved_at.strftime(shape) + _offset(moment), "day")
    years = amount * (100 if code == "CE" else 1)  # "a century ago": about 100 years back
    return _Value(f"{anchor.year + years:04d}", "year") if _sane(anchor.year + years) else None


def _sane(year: int) -> bool:
    return 1 <= year <= 9999


def iso_week(day: date) -> str:
    """TIMEX3's name of the ISO week ``day`` falls in: ``2024-W12``."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _offset(moment: datetime) -> str:
    delta = moment.utcoffset()
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _amount(raw: str) -> float:
    raw = raw.lower()
    if raw in NUMBER_WORDS:
        return NUMBER_WORDS[raw]
    return float(raw.replace(",", "."))


def _ago(match: _Match, anchor: date | None, _lower: int | None) -> _Value | None:
    """ "dua minggu lalu" is a day (two weeks before the anchor), "6 jam lalu" an hour."""
    if anchor is None:
        return None
    amount = _amount(match.group("n"))
    if amount != int(amount) or re.search(
        r"\bhalf\s+$", match.string[max(0, match.start() - 6) : match.start()], re.IGNORECASE
    ):
        return None  # "half a century ago" is no century ago
    if re.search(r"(?:sebelumnya|earlier)$", match.group(0), re.IGNORECASE):
        return _reference(match, -int(amount), None)
    if _UNITS.get(match.group("unit").lower()) == "W":
        return _day(anchor - timedelta(weeks=int(amount)))
    return _shift(anchor, match.group("unit"), -int(amount))


def _from_now(match: _Match, anchor: date | None, _lower: int | None) -> _Value | None:
    if anchor is None:
        return None
    amount = _amount(match.group("n"))
    if amount != int(amount):
        return None
    if _UNITS.get(match.group("unit").lower()) == "W":
        return _day(anchor + timedelta(weeks=int(amount)))
    return _shift(anchor, match.group("unit"), int(amount))


def _reference(match: _Match, amount: int, event: str | None) -> _Value | None:
    """ "sehari setelah pelantikan" → ``REF+P1D`` counted from the event, not from the anchor."""
    code = _UNITS.get(match.group("unit").lower())
    if code is None or code == "CE":
        return None
    if code in ("H", "MIN", "S"):
        length = f"PT{abs(amount)}{'M' if code == 'MIN' else code}"
    else:
        length = f"P{abs(amount) * (10 if code == 'DE' else 1)}{'Y' if code == 'DE' else code}"
    granularity = _UNIT_GRANULARITY.get(code, "day")
    return _Value(
        f"REF{'+' if amount >= 0 else '-'}{length}", granularity, "reference", event=event
    )


_SPLIT_NUMBER = re.compile(r"\d[.,]$")


def _event_reference(match: _Match, _anchor: date | None, _lower: int | None) -> _Value | None:
    """ "sehari setelah militer Israel ...", "two weeks after acquiring": an offset from an event
    the sentence names, not a duration and not a date counted from the publication."""
    amount = _amount(match.group("n") or "1")
    if amount != int(amount) or _SPLIT_NUMBER.search(
        match.string, max(0, match.start() - 2), match.start()
    ):
        return None
    after = match.group("dir").lower() in ("setelah", "sesudah", "usai", "pasca", "after")
    return _reference(match, int(amount) if after else -int(amount), match.group("event"))


def _unit_relative(match: _Match, anchor: date | None, _lower: int | None) -> _Value | None:
    """ "pekan lalu", "awal bulan ini", "tahun depan", "last week", "earlier this month"."""
    if anchor is None:
        return None
    if re.search(
        rf"(?:\d|\b(?:{_NUM_WORDS}))\s*$", match.string[max(0, match.start() - 12) : match.start()]
    ):
        return None  # "berusia 31 tahun ini": an age, "31 tahun" then "ini"
    text = match.group(0).lower()
    unit = match.group("unit") or match.group("unit2")
    if _PAST.search(text):
        amount = -1
    elif _FUTURE.search(text):
        amount = 1
    else:
        amount = 0
    shifted = _shift(anchor, unit, amount)
    weekend = unit.lower() == "weekend" or (
        _UNITS.get(unit.lower()) == "W" and re.match(r"akhir\b", text) is not None
    )
    if weekend and shifted is not None:
        return shifted._replace(value=shifted.value + "-WE")
    return shifted


def _weekday_of_week(match: _Match, anchor: date | None, _lower: int | None) -> _Value | None:
    """ "Jumat pekan ini", "Senin pekan depan", "Kamis minggu lalu": that day of that week."""
    weekday = _weekday(match)
    if anchor is None or weekday is None:
        return None
    text = match.group(0).lower()
    weeks = -1 if _PAST.search(text) else 1 if _FUTURE.search(text) else 0
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=weeks)
    return _day(monday + timedelta(days=weekday))


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "pertama": 1, "kedua": 2, "ketiga": 3,
          "keempat": 4, "first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2,
          "3rd": 3, "4th": 4}  # fmt: skip


def _quarter(match: _Match, anchor: date | None, _lower: int | None) -> _Value | None:
    """ "kuartal II-2023", "triwulan pertama", "Q3 2024", "semester I 2025": ``2023-Q2``, ``2025-H1``.

    Without a year the quarter is the anchor's year's ("kuartal III ini"), or the year before /
    after with "tahun lalu" / "tahun depan"."""
    groups = match.groupdict()
    raw = (groups.get("qn") or groups.get("qn2") or groups.get("qn3") or "").lower()
    number = _ROMAN.get(raw) or (int(raw) if raw.isdigit() else None)
    word = (groups.get("qword") or "q").lower()
    half = word == "semester"
    if number is None or number > (2 if half else 4) or number < 1:
        return None
    if half and raw.isdigit() and not match.group("qyear"):
        return None  # "mahasiswa semester 1": a student's term, not a half year
    year_text = match.group("qyear") or groups.get("qyear2")
    text = match.group(0).lower()
    if year_text:
        year = _year_of(year_text)
    elif anchor is None:
        return None
    elif re.search(r"tahun\s+lalu|last\s+year", text):
        year = anchor.year - 1
    elif re.search(r"tahun\s+depan|next\s+year", text):
        year = anchor.year + 1
    else:
        year = anchor.year
    return _Value(f"{year:04d}-{'H' if half else 'Q'}{number}", "year")


_SEASONS = {"panas": "SU", "dingin": "WI", "semi": "SP", "gugur": "FA", "summer": "SU",
            "winter": "WI", "spring": "SP", "autumn": "FA", "fall": "FA"}  # fmt: skip


def _season(match: _Match, _anchor: date | None, _lower: int | None) -> _Value | None:
    """ "musim panas 2025", "winter 2023": ``2025-SU`` (TIMEX3 seasons)."""
    return _Value(f"{match.group('year')}-{_SEASONS[match.group('season').lower()]}", "year")


def _weekday_only(match: _Match, anchor: date | None, _lower: int | None) -> _Value | None:
    """ "pada Selasa", "on Tuesday", "Jumat": the latest such day up to the anchor (news tells
    the past), or the next one when the words say so ("Jumat mendatang", "will ... Friday")."""
    weekday = _weekday(match)
    if anchor is None or weekday is None:
        return None
    text = match.group(0).lower()
    before = match.string[max(0, match.start() - 60) : match.start()].lower()
    after = match.string[match.end() : match.end() + 12].lower()
    if (
        _FUTURE.search(text)
        or re.search(r"\b(?:akan|will|to\s+be|scheduled|is\s+due|set\s+to)\b", before)
        or re.match(r"\s+(?:deadline|tenggat)\b", after)
    ):
        ahead = (weekday - anchor.weekday()) % 7
        return _day(_plus(anchor, ahead))
    back = (anchor.weekday() - weekday) % 7
    if "last" in text.split() or "lalu" in text.split():
        back = back or 7
    return _day(_plus(anchor, -back))


_DURATION_UNIT = {"D": "D", "W": "W", "M": "M", "Y": "Y", "DE": "Y", "CE": "Y"}
_DURATION_FACTOR = {"DE": 10, "CE": 100}


def _duration(match: _Match, _anchor: date | None, _lower: int | None) -> _Value | None:
    """ "24 tahun", "selama tiga hari", "for two weeks", "6 jam": how long, not when."""
    if re.match(r"\s*(?:19|20)\d\d\b", match.string[match.end() :]) or _SPLIT_NUMBER.search(
        match.string, max(0, match.start() - 2), match.start()
    ):
        return None  # "UU Nomor 1 Tahun 1946" (a law), "1,400 years" (not "400 years")
    amount = _amount(match.group("n"))
    code = _UNITS[match.group("unit").lower()]
    text = match.group(0).lower()
    if text.split()[0] in ("a", "an") and code in _UNIT_GRANULARITY:
        before = match.string[max(0, match.start() - 40) : match.start()]
        if re.search(r"\d", before):
            # "11,000 barrels of oil a day": a rate, i.e. a set, not how long.
            return _Value(f"R/P1{code}", _UNIT_GRANULARITY[code], "set")
    amount *= _DURATION_FACTOR.get(code, 1)
    number = f"{amount:g}"
    if code in ("H", "MIN", "S"):
        letter = {"H": "H", "MIN": "M", "S": "S"}[code]
        return _Value(f"PT{number}{letter}", "day", "duration")
    granularity = _UNIT_GRANULARITY.get(_DURATION_UNIT[code], "year")
    return _Value(f"P{number}{_DURATION_UNIT[code]}", granularity, "duration")


_SET_WORDS = {
    "daily": "D", "weekly": "W", "monthly": "M", "annually": "Y", "yearly": "Y",
    "sehari-hari": "D", "harian": "D", "mingguan": "W", "bulanan": "M", "tahunan": "Y",
}  # fmt: skip


def _set(match: _Match, _anchor: date | None, _lower: int | None) -> _Value | None:
    """ "setiap tahun", "per hari", "every week", "annually", "setiap Senin"."""
    weekday = _weekday(match)
    if weekday is not None:
        return _Value(f"XXXX-WXX-{weekday + 1}", "week", "set")
    if match.groupdict().get("mon"):
        month = _month(match.group("mon"))
        if month is None:
            return None
        return _Value(f"XXXX-{month:02d}-{int(match.group('day')):02d}", "day", "set")
    word = match.groupdict().get("setword")
    if word and re.search(r"\d\s*$", match.string[max(0, match.start() - 4) : match.start()]):
        return None  # "usia 50 tahunan": in their fifties, not yearly
    if (
        word
        and word.lower() in ("harian", "mingguan", "bulanan")
        and (
            word[0].isupper()
            or re.match(r"\s+[A-Z]", match.string[match.end() :])
            or re.search(
                r"\b(?:di|eks|kantor|koran|kabar|ketua|redaksi|wartawan)\s+$",
                match.string[max(0, match.start() - 12) : match.start()],
                re.IGNORECASE,
            )
        )
    ):
        return None  # "harian Asia Raya", "Ketua Harian": a newspaper, an office
    code = _SET_WORDS[word.lower()] if word else _UNITS[match.group("unit").lower()]
    code = {"H": "T1H"}.get(code, code)
    if code == "T1H":
        return _Value("R/PT1H", "day", "set")
    return _Value(f"R/P1{code}", _UNIT_GRANULARITY.get(code, "year"), "set")


# -- the grammar --------------------------------------------------------------------------
_I = re.IGNORECASE
_TO = r"\s*(?:-|–|—|s/d|s\.?d\.?|sd|dan|and|to|hingga|sampai|until|through|ke)\s*"
_QUARTER_WORD = r"(?P<qword>kuartal|triwulan|semester|quarter)"
_QUARTER_NUMBER = r"(?P<qn>IV|I{1,3}|pertama|kedua|ketiga|keempat|[1-4])"
_MONTH_GATE = tuple(sorted({n[:3] for n in MONTHS}))
_WEEKDAY_GATE = ("senin", "selasa", "rabu", "kamis", "jum", "sabtu", "minggu", "ahad", "day")
_UNIT_GATE = (
    "hari", "pekan", "minggu", "bulan", "tahun", "dekade", "abad", "jam", "menit", "detik",
    "day", "week", "month", "year", "decade", "centur", "hour", "hr", "min", "second",
)  # fmt: skip
# Hints: patterns that every match of a rule's pattern contains, cheap to scan for (no
# leading \b or optional words; a literal or a character class first): a sentence without
# one skips the rule's own pattern, which would find nothing in it.
_MONTH_NAME = re.compile(rf"{trie_alternation(_MONTH_EXACT.split('|'))}(?!\w)")
"""A month's name as the rules with ``_MON`` write it (then no letter: "Mei", not "Meiliana")."""
_WEEKDAY_NAME = re.compile(_WD_NAMES)
_NUMERIC_HINT = re.compile(r"\d(?:/\d|[/.-]\d\d?[/.-](?:19|20)\d\d)")
_UNIT_RELATIVE_HINT = re.compile(
    r"(?:pekan|minggu|bulan|tahun|dekade)\s+(?:lalu|silam|ini|depan|mendatang|kemarin)\b"
    r"|(?:last|this|next|previous|coming)\s+(?:week|month|year|decade|weekend)\b",
    _I,
)
_DURATION_HINT = re.compile(rf"[\se](?:{_UNIT_ID}|{_UNIT_EN})\b", _I)
"""A unit after a space (a number's) or glued to "se" ("sehari")."""
_DAY_RANGE_HINT = re.compile(r"\d\s*(?:-|–|hingga|sampai|s\.?d\.?|dan|and|to|through)\s*\d")
"""A day's last digit, the word between, the other day's first digit ("12-14", "3 dan 4"):
in every match of the day-range rule (both its orders), and found in a few runs of a digit
(the rule scans its optional words at every position; 9 of 1,945 t17-dev paragraphs that
reach it hold a range)."""
RULES: list[_Rule] = [
    _Rule(
        "iso",
        re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
        _iso,
        False,
        ("-",),
        "year",
    ),
    _Rule(
        "quarter",
        re.compile(
            rf"\b{_QUARTER_WORD}\s+{_QUARTER_NUMBER}\b"
            rf"(?:\s*[-/]?\s*(?:tahun\s+)?(?P<qyear>(?:19|20)\d{{2}})\b|\s+(?:tahun\s+)?(?:ini|lalu|depan|nanti|mendatang)\b)?"
            r"|\b(?P<qn2>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\b(?:\s+(?:of\s+)?(?:(?P<qyear2>(?:19|20)\d{2})|this\s+year|last\s+year|next\s+year)\b)?"
            r"|\bQ(?P<qn3>[1-4])\s*[-/]?\s*(?P<qyear_b>(?:19|20)\d{2})\b",
            _I,
        ),
        lambda m, a, lo: _quarter(_Alt(m), a, lo),
        True,
        ("kuartal", "triwulan", "semester", "quarter", "q1", "q2", "q3", "q4"),
    ),
    _Rule(
        "season",
        re.compile(
            r"\b(?:musim\s+)?(?P<season>panas|dingin|semi|gugur|summer|winter|spring|autumn|fall)\s+(?:tahun\s+)?(?P<year>(?:19|20)\d{2})\b",
            _I,
        ),
        _season,
        False,
        ("musim", "summer", "winter", "spring", "autumn", "fall"),
        "year",
    ),
    _Rule(
        "annual-day",
        re.compile(rf"\b(?:setiap|tiap|saban|every)\s+(?:tanggal\s+)?{_DAY}\s+{_MON}(?!\s*\d)"),
        _set,
        False,
        ("setiap", "tiap", "saban", "every"),
        "digit",
    ),
    _Rule(
        "day-month-range",
        re.compile(
            rf"\b{_DAY}\s+{_MON}(?:\s+{_YEAR})?{_TO}(?P<day2>[0-3]?\d)\s+(?P<mon2>(?:{_MONTH_EXACT})\.?)(?:,?\s+(?P<year2>(?:19|20)\d{{2}}))?\b"
        ),
        _day_month_range,
        True,
        _MONTH_GATE,
        "digit",
        _MONTH_NAME,
    ),
    _Rule(
        "day-range",
        re.compile(
            rf"\b{_DAY}\s*(?:-|–|hingga|sampai|s\.?d\.?|dan|and|to)\s*(?P<day2>[0-3]?\d)\s+{_MON_FUZZY}(?:,?\s+{_YEAR})?\b"
            r"|\b(?P<mon_b>"
            + _MONTH_EXACT
            + r")\s+(?P<day_b>[0-3]?\d)\s*(?:-|–|to|and|through)\s*(?P<day2b>[0-3]?\d)(?:,?\s+(?P<year_b>(?:19|20)\d{2}))?\b"
        ),
        lambda m, a, lo: _day_range(_Alt(m), a, lo),
        True,
        _MONTH_GATE,
        "digit",
        pregate=_DAY_RANGE_HINT,
    ),
    _Rule(
        "day-month-year",
        re.compile(
            rf"\b(?:{_WD},?\s+(?:\(\s*)?)?(?:(?:tanggal|tgl\.?)\s+)?{_DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON_FUZZY},?\s+{_YEAR}\b\)?"
        ),
        _full_date,
        False,
        _MONTH_GATE,
        "year",
    ),
    _Rule(
        "month-day-year",
        re.compile(rf"\b(?:{_WD},?\s+)?{_MON}\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}\b"),
        _full_date,
        False,
        _MONTH_GATE,
        "year",
        _MONTH_NAME,
    ),
    _Rule(
        "numeric",
        re.compile(
            rf"(?:\b{_WD},?\s*(?:\(\s*)?|\()(?P<day>[0-3]?\d)/(?P<month>[01]?\d)(?:/(?P<year>\d{{4}}|\d{{2}}))?\)?"
            rf"|\b(?P<day_b>[0-3]?\d)[/.-](?P<month_b>[01]?\d)[/.-](?P<year_b>(?:19|20)\d{{2}})\b"
        ),
        lambda m, a, lo: _numeric_date(_Alt(m), a, lo),
        True,
        ("/", ".", "-"),
        "digit",
        _NUMERIC_HINT,
    ),
    _Rule(
        "month-range",
        re.compile(
            rf"\b(?:(?:sejak|dari|antara|from|between)\s+(?:bulan\s+)?)?{_MON_FUZZY}(?:\s+{_YEAR})?{_TO}(?:bulan\s+)?(?P<mon2>[A-Z][a-z]{{2,10}})\s+(?P<year2>(?:19|20)\d{{2}})\b"
        ),
        _month_range,
        False,
        _MONTH_GATE,
        "year",
    ),
    _Rule(
        "year-range",
        re.compile(
            rf"\b(?:(?:antara|between|dari|from|sejak|since|periode|tahun|pada|in|selama)\s+(?:tahun\s+)?)?{_YEAR}"
            rf"(?:{_TO}(?:tahun\s+)?(?P<year2>(?:1[89]|20)\d{{2}})|[-–/](?P<year2s>\d{{2}}))\b(?![-/.]\d)",
            _I,
        ),
        lambda m, a, lo: _year_range(_Alt(m), a, lo),
        False,
        (),
        "year",
    ),
    _Rule(
        "decade",
        re.compile(
            r"\b(?:(?:tahun|era|dekade|in\s+the|the)\s+)?(?P<decade>(?:1[89]|20)\d0)(?:-an|an|'?s)\b",
            _I,
        ),
        _decade,
        False,
        (),
        "year",
    ),
    _Rule(
        "month-year",
        re.compile(rf"\b{_MOD}(?:bulan\s+)?{_MON_FUZZY},?\s+(?:tahun\s+)?{_YEAR}\b(?!\s*[-/]\d)"),
        _month_year,
        False,
        _MONTH_GATE,
        "year",
    ),
    _Rule(
        "day-month",
        re.compile(
            rf"\b(?:{_WD},?\s+)?(?:(?:tanggal|tgl\.?)\s+)?{_DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?![\w-])(?!\s*,?\s*\d)"
            rf"(?:\s+(?:lalu|yang\s+lalu|silam|mendatang|nanti))?"
        ),
        _day_month_words,
        True,
        _MONTH_GATE,
        "digit",
        _MONTH_NAME,
    ),
    _Rule(
        "month-day",
        re.compile(rf"\b(?:{_WD},?\s+)?{_MON}\s+{_DAY}(?:st|nd|rd|th)?\b(?!,?\s*\d)"),
        _day_month_words,
        True,
        _MONTH_GATE,
        "digit",
        _MONTH_NAME,
    ),
    _Rule(
        "month-relative",
        re.compile(
            rf"\b(?:(?:pada|bulan|sejak|hingga|sampai|in|since|last|this|next|until|by|during|selama)\s+|(?P<mod>awal|akhir|pertengahan|medio|early|late|mid|the\s+end\s+of|the\s+start\s+of|the\s+middle\s+of)[\s-]+)(?:bulan\s+)?{_MON}(?!\s*\d)(?!\w)"
            rf"(?:\s+(?:lalu|yang\s+lalu|kemarin|silam|ini|mendatang|depan|nanti|tahun\s+ini|tahun\s+lalu|tahun\s+depan|last\s+year|this\s+year|next\s+year)\b)?"
            rf"|\b(?P<mon_b>{_MONTH_EXACT})\s+(?:lalu|yang\s+lalu|kemarin|silam|mendatang|depan|tahun\s+ini|tahun\s+lalu|tahun\s+depan|(?:of\s+)?last\s+year|(?:of\s+)?this\s+year|(?:of\s+)?next\s+year)\b"
        ),
        lambda m, a, lo: _month_relative(_Alt(m), a, lo),
        True,
        _MONTH_GATE,
        pregate=_MONTH_NAME,
    ),
    _Rule(
        "event-reference",
        re.compile(
            rf"\b(?:(?:sekitar|kurang\s+lebih|hanya|minimal|maksimal|paling\s+lambat|about|only|just|nearly|almost)\s+)?"
            rf"(?:{_NUM}\s*(?P<unit>{_UNIT_ID}|{_UNIT_EN})|(?P<se>se)(?P<unit_se>hari|pekan|minggu|bulan|tahun|jam))"
            r"\s+(?P<dir>setelah|sesudah|sebelum|usai|pasca|after|before)\s+"
            r"(?P<event>[^\s,.;:!?\"”)(]+(?:\s+[^\s,.;:!?\"”)(]+){0,4})",
            _I,
        ),
        lambda m, a, lo: _event_reference(_Alt(m), a, lo),
        False,
        ("setelah", "sesudah", "sebelum", "usai", "pasca", "after", "before"),
        pregate=re.compile(  # every unit the rule takes (detik, dekade, abad, minutes ...)
            rf"(?:{_UNIT_ID}|{_UNIT_EN})\s+(?:setelah|sesudah|sebelum|usai|pasca|after|before)\b",
            _I,
        ),
    ),
    _Rule(
        "weekday-of-week",
        re.compile(
            rf"\b{_WD}(?:\s+(?:pagi|siang|sore|petang|malam))?\s+(?:pekan|minggu)\s+(?:ini|lalu|depan|mendatang|kemarin)\b"
        ),
        _weekday_of_week,
        True,
        ("pekan", "minggu"),
    ),
    _Rule(
        "ago",
        re.compile(
            rf"\b{_NUM}\s*(?P<unit>{_UNIT_ID}|{_UNIT_EN})\s+(?:yang\s+)?(?:lalu|silam|ago|sebelumnya|earlier)\b",
            _I,
        ),
        _ago,
        True,
        ("lalu", "silam", "ago", "sebelumnya", "earlier"),
    ),
    _Rule(
        "from-now",
        re.compile(
            rf"\b{_NUM}\s*(?P<unit>hari|pekan|minggu|bulan|tahun|days?|weeks?|months?|years?)\s+(?:lagi|from\s+now)\b",
            _I,
        ),
        _from_now,
        True,
        ("lagi", "from now"),
    ),
    _Rule(
        "unit-relative",
        re.compile(
            r"\b(?:(?P<mod>awal|akhir|pertengahan|tengah)\s+)?(?P<unit>pekan|minggu|bulan|tahun|dekade)\s+(?:lalu|silam|ini|depan|mendatang|kemarin)\b"
            r"|\b(?:(?:earlier|later|(?P<mod2>early|late|the\s+end\s+of|the\s+start\s+of))\s+)?(?:last|this|next|previous|coming)\s+(?P<unit2>week|month|year|decade|weekend)\b",
            _I,
        ),
        _unit_relative,
        True,
        (
            "lalu",
            "silam",
            "ini",
            "depan",
            "mendatang",
            "kemarin",
            "last",
            "this",
            "next",
            "previous",
            "coming",
        ),
        pregate=_UNIT_RELATIVE_HINT,
    ),
    _Rule(
        "day-word",
        re.compile(
            r"\b(?P<word>kemarin\s+lusa|(?:kemarin|besok)\s+(?:pagi|siang|sore|malam)|tadi\s+(?:pagi|siang|sore|malam)|(?:pagi|siang|sore|malam)\s+ini|hari\s+ini|kemarin|besok|lusa"
            r"|today|yesterday|tomorrow|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b",
            _I,
        ),
        _day_word,
        True,
        (
            "kemarin",
            "besok",
            "lusa",
            "tadi",
            " ini",
            "today",
            "yesterday",
            "tomorrow",
            "tonight",
            "last night",
            "this ",
        ),
    ),
    _Rule(
        "year",
        re.compile(
            rf"\b(?:(?P<mod>awal|akhir|pertengahan|medio|early|late|mid|the\s+end\s+of|the\s+start\s+of)[\s-]+(?:of\s+)?(?:tahun\s+)?"
            rf"|(?:pada|sejak|hingga|sampai|tahun|in|since|by|until|during|of|selama|mulai|per|sebelum|setelah|before|after)\s+(?:tahun\s+)?){_YEAR}\b(?![-/.]\d)",
            _I,
        ),
        _year,
        False,
        (),
        "year",
    ),
    _Rule(
        "set",
        re.compile(
            rf"\b(?:setiap|tiap|saban|per|every|each)\s+(?:(?P<unit>hari|pekan|minggu|bulan|tahun|jam|day|week|month|year|hour)(?:nya)?\b|(?:hari\s+)?{_WD}\b)"
            r"|\b(?P<setword>daily|weekly|monthly|annually|yearly|sehari-hari|harian|mingguan|bulanan|tahunan)\b",
            _I,
        ),
        _set,
        False,
        (
            "setiap",
            "tiap",
            "saban",
            "per ",
            "every",
            "each",
            "daily",
            "weekly",
            "monthly",
            "annually",
            "yearly",
            "sehari-hari",
            "harian",
            "mingguan",
            "bulanan",
            "tahunan",
        ),
    ),
    _Rule(
        "weekday",
        re.compile(
            rf"\b(?:(?:pada\s+)?(?:hari\s+)?|(?:on|last|next|this)\s+)?{_WD}"
            r"(?:\s+(?:pagi|siang|sore|malam|dini\s+hari|mendatang|depan|lalu|morning|afternoon|evening|night))?\b"
            r"(?!\s*[(,]?\s*\d)(?!-an)"
        ),
        _weekday_only,
        True,
        _WEEKDAY_GATE,
        pregate=_WEEKDAY_NAME,
    ),
    _Rule(
        "duration",
        re.compile(
            rf"\b(?:(?:selama|sepanjang|dalam|for|over|in|within|after|past|last|the\s+past|the\s+last|lebih\s+dari|more\s+than|nearly|almost|about|sekitar|hampir)\s+)?(?:{_NUM}\s+(?P<unit>{_UNIT_ID}|{_UNIT_EN})|(?P<se>se)(?P<unit_se>hari|pekan|minggu|bulan|tahun|abad|jam))\b(?!-)",
            _I,
        ),
        lambda m, a, lo: _duration(_Alt(m), a, lo),
        False,
        _UNIT_GATE,
        pregate=_DURATION_HINT,
    ),
    _Rule(
        "bare-year",
        re.compile(rf"(?<![\w.,/-]){_YEAR}\b(?![-/.,]\d|\s*(?:persen|%|orang|unit|km|meter))"),
        _bare_year,
        False,
        (),
        "year",
    ),
]


_GATES = list(dict.fromkeys(rule.gate for rule in RULES if rule.gate))
_GATE_OF = [_GATES.index(rule.gate) if rule.gate else -1 for rule in RULES]
"""Each rule's gate, by its index in ``_GATES`` (-1: none)."""
_GATE_WORDS = sorted({word for gate in _GATES for word in gate})
_GATE_FINDER = re.compile(f"(?=({trie_alternation(_GATE_WORDS)}))")
"""At every position, the longest gate word starting there."""
_OPENS = {
    word: frozenset(i for i, gate in enumerate(_GATES) if any(map(word.startswith, gate)))
    for word in _GATE_WORDS
}
"""The gates a gate word opens: its own and those of the gate words it starts with (which
occur where it does)."""


def _open_gates(lower: str) -> set[int]:
    """The indices of the gates one of whose words occurs in ``lower``: what testing each
    gate's words with ``in`` gives, in one scan (twice as fast over 15k sentences)."""
    opened: set[int] = set()
    for word in set(_GATE_FINDER.findall(lower)):
        opened |= _OPENS[word]
    return opened


_LOWERED = {
    rule.pregate: twin
    for rule in RULES
    if rule.pregate is not None and (twin := lowered_twin(rule.pregate)) is not None
}
"""The case-blind pregates' twins (:func:`~kabar.alternation.lowered_twin`)."""
_TWINS = {rule.pattern: twin for rule in RULES if (twin := lowered_twin(rule.pattern)) is not None}
"""The case-blind rules' twins: they find where a rule matches, the rule reads the match
there (:func:`_rule_matches`)."""


def _rule_matches(
    pattern: re.Pattern[str], text: str, lower: str | None
) -> Iterable[re.Match[str]]:
    """``pattern.finditer(text)``; with ``lower`` (``text`` lowercased, where
    :func:`~kabar.alternation.lowers_plainly`), found by the pattern's twin over it, and
    each match read by the pattern at the twin's start (same span: the resolvers read the
    groups as written)."""
    if lower is None or (twin := _TWINS.get(pattern)) is None:
        return pattern.finditer(text)
    starts = []
    for found in twin.finditer(lower):
        if found.start() == found.end():  # finditer's next match at the same place
            return pattern.finditer(text)
        starts.append(found.start())
    matches = [pattern.match(text, start) for start in starts]
    return [m for m in matches if m is not None] if None not in matches else pattern.finditer(text)


_DIGIT = re.compile(r"\d")
_YEARISH = re.compile(r"(?:1[89]|20)\d\d")


def find_times(
    text: str, anchor: date | None = None, lower_year: int | None = None
) -> list[TimeExpression]:
    """Every time expression of ``text`` that resolves, earliest first, no overlaps.

    ``anchor`` is the date relative expressions count from (usually the publication
    date; a ``datetime`` lets "6 jam lalu" keep the hour); ``lower_year`` the earliest year
    the text can be from, used only to place a weekday-and-day expression ("Kamis (20/6)")
    when there is no anchor. Relative expressions inside quotation marks are kept but marked
    (:func:`event_date` skips them: "Hari ini, kita berjuang ..." counts from the speech, not
    from the report). Clock times join the day they belong to ("Jumat, 7 September 2018
    10:47 WIB" → ``2018-09-07T10:47+07:00``).
    """
    moment = anchor if isinstance(anchor, datetime) else None
    day = moment.date() if moment is not None else anchor
    folded = ascii_twins(text)  # the rules' tables are keyed by ASCII words
    token = _ANCHOR_TIME.set(moment)
    try:
        found = _find(folded, day, lower_year)
    finally:
        _ANCHOR_TIME.reset(token)
    if folded is not text:  # each expression's own words, as written
        found = [
            replace(e, text=text[e.start : e.end]) if folded[e.start : e.end] == e.text else e
            for e in found
        ]
    return found


def _find(text: str, anchor: date | None, lower_year: int | None) -> list[TimeExpression]:
    lower = text.lower()
    has = {
        "": True,
        "digit": _DIGIT.search(text) is not None,
        "year": _YEARISH.search(text) is not None,
    }
    taken: list[tuple[int, int]] = []
    found: list[TimeExpression] = []
    birth_cue = "lahir" in lower or "born" in lower
    opened = _open_gates(lower)
    hinted: dict[re.Pattern[str], bool] = {}  # rules share a hint (the month names)
    as_lower: bool | None = None  # whether _LOWERED's patterns may read ``lower``
    for rule, gate in zip(RULES, _GATE_OF, strict=True):
        if not has[rule.needs]:
            continue
        if gate >= 0 and gate not in opened:
            continue
        if rule.pregate is not None:
            hint = hinted.get(rule.pregate)
            if hint is None:
                if rule.pregate in _LOWERED:
                    if as_lower is None:
                        as_lower = lowers_plainly(text)
                    if as_lower:
                        hint = _LOWERED[rule.pregate].search(lower) is not None
                if hint is None:
                    hint = rule.pregate.search(text) is not None
                hinted[rule.pregate] = hint
            if not hint:
                continue
        if as_lower is None and rule.pattern in _TWINS:
            as_lower = lowers_plainly(text)
        for match in _rule_matches(rule.pattern, text, lower if as_lower else None):
            start, end = match.span()
            while end > start and text[end - 1] in " ,":
                end -= 1
            if any(start < e and s < end for s, e in taken):
                continue
            resolved = rule.resolve(match, anchor, lower_year)
            if resolved is None or not _inside_calendar(resolved):
                continue
            taken.append((start, end))
            mod = _mod(match)
            if mod is None and match.groupdict().get("mod2"):
                mod = _MODS.get(match.group("mod2").lower())
            found.append(
                TimeExpression(
                    text=text[start:end].strip(),
                    start=start,
                    end=end,
                    value=resolved.value,
                    granularity=resolved.granularity,
                    relative=rule.relative,
                    kind=resolved.kind,
                    mod=mod,
                    weekday_mismatch=resolved.mismatch,
                    in_quote=rule.relative and _inside_quote(text, start),
                    event=resolved.event,
                    background=birth_cue
                    and _BIRTH.search(text, max(0, start - 45), start) is not None,
                )
            )
    if has["digit"] and _CLOCK_GATE.search(text):
        return _with_clock_times(text, found, anchor)
    return sorted(found, key=lambda t: t.start)


_BIRTH = re.compile(
    r"\b(?:kelahiran|lahir|dilahirkan|born)\b(?:\s+(?:di|in|pada|on|tanggal|tahun|di\s+tahun))?"
    r"(?:\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?,?)?\s*(?:pada\s+|tanggal\s+|tahun\s+)?$"
)
_CLOCK_GATE = re.compile(r"\d[.:]\s?\d\d|[Pp](?:ukul|kl|k\.)\s*\d|\d\s*[AaPp]\.?[Mm]\b")
_ZONES = {"wib": "+07:00", "wita": "+08:00", "wit": "+09:00", "was": "+03:00", "gmt": "+00:00",
          "utc": "+00:00", "waktu arab saudi": "+03:00"}  # fmt: skip
_ZONE_NAMES = r"WITA|WIB|WIT|WAS|GMT|UTC|waktu\s+Arab\s+Saudi|waktu\s+setempat|local\s+time"
_ZONE = rf"(?P<zone>{_ZONE_NAMES})\b"
_CLOCK = re.compile(
    r"\b(?:pukul|pkl\.?|pk\.)\s*(?P<h>[012]?\d)(?:\s?[.:]\s?(?P<m>[0-5]\d)(?:[.:](?P<s>[0-5]\d))?)?"
    r"|\bjam\s+(?P<h2>[012]?\d)[.:](?P<m2>[0-5]\d)"
    rf"|(?<![\d.,:/])(?P<h3>[012]?\d)[.:](?P<m3>[0-5]\d)(?:[.:](?P<s3>[0-5]\d))?(?=\s*(?:{_ZONE_NAMES})\b)"
    r"|(?<![\d.,:/])(?P<h4>1?\d)(?::(?P<m4>[0-5]\d))?\s*(?=[ap]\.?m\b)",
    re.IGNORECASE,
)
_CLOCK_TAIL = re.compile(
    rf"\s*(?:(?P<ampm>[ap])\.?m\.?|(?P<part>pagi|siang|sore|petang|malam|dini\s+hari))?\s*(?:{_ZONE})?",
    re.IGNORECASE,
)
_CLOCK_RANGE = re.compile(r"\s*(?:-|–|hingga|sampai|s/d|s\.?d\.?|to|until)\s*(?:pukul\s*)?\d")
_DAY_TO_CLOCK = re.compile(
    r"^[\s,|]*(?:(?:pada|sekitar|sekira|kurang\s+lebih|pagi|siang|sore|petang|malam|dini\s+hari|"
    r"WIB|at|around|about)[\s,|]*)*$",
    re.IGNORECASE,
)


def _with_clock_times(
    text: str, found: list[TimeExpression], anchor: date | None
) -> list[TimeExpression]:
    """Join each clock time to its day: the day written just before or after it ("Rabu
    (18/6/2025), pukul 15.24 WIB", "pukul 00.30, Selasa (17/6)"), else the nearest day in the
    sentence, else the anchor's. A clock range ("pukul 17.00-23.00") or a daily time ("setiap
    hari pukul 19.15") names no moment and is left out."""
    days = [t for t in found if t.kind == "date" and t.granularity == "day" and "T" not in t.value]
    for clock in _CLOCK.finditer(text):
        groups = clock.groupdict()
        hour = int(groups["h"] or groups["h2"] or groups["h3"] or groups["h4"])
        minute = groups["m"] or groups["m2"] or groups["m3"] or groups["m4"] or "00"
        second = groups["s"] or groups["s3"]
        tail = _CLOCK_TAIL.match(text, clock.end())
        end = tail.end() if tail and tail.group(0).strip() else clock.end()
        if any(t.start < end and clock.start() < t.end for t in found):
            continue
        if (
            _CLOCK_RANGE.match(text, end)
            or re.search(
                r"\d\s*(?:-|–|hingga|sampai|s/d|s\.d\.?|to|until)\s*$", text[: clock.start()]
            )
            or re.search(
                r"\b(?:setiap|tiap|saban|every|each)\s+(?:hari\s+)?(?:\w+\s+)?$",
                text[max(0, clock.start() - 25) : clock.start()],
                re.IGNORECASE,
            )
        ):
            continue
        ampm = (tail.group("ampm") or "").lower() if tail else ""
        part = (tail.group("part") or "").lower() if tail else ""
        if (
            (ampm == "p" and hour < 12)
            or (part in ("sore", "petang") and hour < 12)
            or (part == "siang" and hour < 6)
            or (part == "malam" and 6 <= hour < 12)
        ):
            hour += 12
        elif ampm == "a" and hour == 12:
            hour = 0
        if hour > 23:
            continue
        zone_name = (tail.group("zone") or "") if tail else ""
        zone = _ZONES.get(re.sub(r"\s+", " ", zone_name.lower()), "")
        clock_text = f"T{hour:02d}:{minute}{':' + second if second else ''}{zone}"
        before = [t for t in days if t.end <= clock.start()]
        after = [t for t in days if t.start >= end]
        joined = None
        before = [t for t in before if t in found]
        after = [t for t in after if t in found]
        if before and _DAY_TO_CLOCK.match(text[before[-1].end : clock.start()]):
            joined = before[-1]
            start = joined.start
        elif after and re.fullmatch(r"[\s,]*", text[end : after[0].start]):
            joined = after[0]
            start, end = clock.start(), joined.end
        if joined is not None:
            found.remove(joined)
            merged = replace(
                joined,
                text=text[start:end].strip(),
                start=start,
                end=max(end, joined.end),
                value=joined.value + clock_text,
            )
            found.append(merged)
            continue
        nearest = before[-1] if before else after[0] if after else None
        if nearest is None and anchor is None:
            continue
        found.append(
            TimeExpression(
                text=text[clock.start() : end].strip(),
                start=clock.start(),
                end=end,
                value=(nearest.value if nearest else anchor.isoformat()) + clock_text,  # type: ignore[union-attr]
                granularity="day",
                relative=nearest.relative if nearest else True,
                in_quote=_inside_quote(text, clock.start()),
            )
        )
    return sorted(found, key=lambda t: t.start)


def _inside_calendar(value: _Value) -> bool:
    """A date whose whole period, and the day before it, fits in years 1..9999: "31
    Desember 9999" is no date (the month after it, which a timeline computes, is not)."""
    if value.kind != "date":
        return True
    head = value.value[:4]
    return not head.isdigit() or 2 <= int(head) <= 9998


def _inside_quote(text: str, position: int) -> bool:
    before = text[:position]
    straight = before.count('"') % 2 == 1
    curly = before.count("“") > before.count("”")
    return straight or curly


_SPECIFICITY = {"day": 0, "week": 1, "month": 2, "year": 3}
_PART_OF_YEAR = re.compile(r"^(\d{4})-(?:Q[1-4]|H[12]|SU|WI|SP|FA)$")
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-WE)?$")


def calendar_value(expression: TimeExpression) -> str:
    """The calendar date downstream stages sort and group by, at the expression's granularity:
    an ISO week ``2024-W12`` is its Monday ``2024-03-18``, a clock time its day, a quarter or a
    season its year; other values are already calendar dates."""
    value = expression.value
    week = _ISO_WEEK.match(value)
    if week:
        return date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1).isoformat()
    if "T" in value:
        return value[:10]
    part = _PART_OF_YEAR.match(value)
    if part:
        return part.group(1)
    return value


def event_date(times: list[TimeExpression]) -> TimeExpression | None:
    """The date a sentence reports: its most specific expression, the first among equals.

    Ranges, durations, sets, event references and birth dates are background; relative
    expressions inside a quote count from the speech, not the report.
    """
    times = [t for t in times if t.kind == "date" and not t.in_quote and not t.background]
    if not times:
        return None
    return min(times, key=lambda t: (_SPECIFICITY[t.granularity], t.start))


def parse_date(text: str | None) -> date | None:
    """A metadata date ("2024-06-20", "2024-06-20T10:00:00+07:00", "20 Juni 2024") as a date."""
    if not text:
        return None
    text = text.strip()
    iso = re.match(r"^((?:19|20)\d{2})-(\d{2})-(\d{2})", text)
    if iso:
        return _safe_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    times = [t for t in find_times(text) if t.granularity == "day" and t.kind == "date"]
    if times:
        return date.fromisoformat(calendar_value(times[0]))
    import dateparser

    parsed = dateparser.parse(
        text, languages=["id", "en"], settings={"PREFER_DAY_OF_MONTH": "first"}
    )
    return parsed.date() if parsed else None


_STAMP_YEAR = re.compile(r"/\d{2,4}\)?$|\b(?:19|20)\d{2}\b")


def explicit_dates(text: str) -> list[date]:
    """Full dates (day, month and year written out) in ``text``: stamps, not inferences. A
    stamp whose weekday disagrees with its date ("Selasa (10/6/2026)" for a Tuesday of 2025)
    has a slip in it, and is no evidence of the day."""
    return [
        date.fromisoformat(calendar_value(t))
        for t in find_times(text)
        if t.granularity == "day"
        and t.kind == "date"
        and not t.weekday_mismatch
        and _STAMP_YEAR.search(t.text)
    ]


def years_mentioned(text: str) -> list[int]:
    return [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", text)]


_WEEKDAY_IN = re.compile(rf"\b(?:{_WD_NAMES})\b")


def is_today_type(expression: TimeExpression) -> bool:
    """A newsroom "today" stamp: a weekday with its day, "Selasa (26/3/2024)", "Kamis (20/6)",
    "Senin, 23 Juni 2014", whose weekday agrees with the date. Indonesian reports write
    the day of the reported statement this way, so the latest one is the best evidence of
    the publication day when metadata has none. Quoted or disagreeing ones never count."""
    return (
        expression.kind == "date"
        and expression.granularity == "day"
        and not expression.in_quote
        and not expression.weekday_mismatch
        and _WEEKDAY_IN.search(expression.text) is not None
        and re.search(r"\d", expression.text) is not None
    )


def latest_today(texts: list[str], lower_year: int | None = None) -> date | None:
    """The latest today-type stamp of ``texts`` (see :func:`is_today_type`), else None. A
    day announced as coming ("Rabu, 2 Juli 2025 mendatang") is not a today."""
    days = [
        date.fromisoformat(calendar_value(t))
        for text in texts
        for t in find_times(text, None, lower_year)
        if is_today_type(t) and not _COMING.match(text, t.end)
    ]
    return max(days, default=None)


_COMING = re.compile(r"\s*(?:mendatang|yang\s+akan\s+datang|nanti)\b", re.IGNORECASE)
