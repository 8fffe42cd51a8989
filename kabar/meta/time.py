"""A temporal tagger for Indonesian and English news: find dates, normalise, anchor them.

dateparser parses one expression well but cannot *find* Indonesian expressions in running
text, nor resolve "Oktober lalu", "pekan lalu", "Kamis (20/6)" (year from the anchor and the
weekday) or typos such as "Septemebr"; so the grammar is written here, as regular
expressions over CLDR-style month and weekday names, each match normalised TIMEX3-style
to a value at a granularity (day, week, month, year).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from kabar.model import Granularity, TimeExpression

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
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "a": 1, "an": 1, "one": 1, "two": 2,
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip

_WD = r"(?P<wd>Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu|Ahad|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH_EXACT = "|".join(sorted((n.capitalize() for n in MONTHS), key=len, reverse=True))
_MON = rf"(?P<mon>{_MONTH_EXACT})"
_MON_FUZZY = r"(?P<mon>[A-Z][a-z]{2,10})"  # checked against month names with difflib
_YEAR = r"(?P<year>(?:1[89]|20)\d{2})"
_DAY = r"(?P<day>[0-3]?\d)"
_NUM = r"(?P<n>\d{1,3}|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|one|two|three|four|five|six|seven|eight|nine|ten|a|an)"


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: Callable[[re.Match[str], date | None, int | None], tuple[date, Granularity] | None]
    relative: bool


def _month(text: str | None, fuzzy: bool = False) -> int | None:
    if not text:
        return None
    key = text.lower().rstrip(".")
    if key in MONTHS:
        return MONTHS[key]
    if fuzzy and len(key) >= 6:
        close = difflib.get_close_matches(key, _FULL_MONTH_NAMES, n=1, cutoff=0.8)
        if close:
            return MONTHS[close[0]]
    return None


def _weekday(match: re.Match[str]) -> int | None:
    wd = match.groupdict().get("wd")
    return WEEKDAYS.get(wd.lower()) if wd else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_date(
    match: re.Match[str], _anchor: date | None, _lower: int | None
) -> tuple[date, Granularity] | None:
    month = _month(match.group("mon"), fuzzy=True)
    if month is None:
        return None
    found = _safe_date(int(match.group("year")), month, int(match.group("day")))
    return (found, "day") if found else None


def _numeric_date(
    match: re.Match[str], anchor: date | None, lower: int | None
) -> tuple[date, Granularity] | None:
    day, month = int(match.group("day")), int(match.group("month"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    year_text = match.group("year")
    if year_text:
        year = int(year_text)
        year += 2000 if year < 100 else 0
        found = _safe_date(year, month, day)
        return (found, "day") if found else None
    return _day_month(day, month, _weekday(match), anchor, lower)


def _day_month_words(
    match: re.Match[str], anchor: date | None, lower: int | None
) -> tuple[date, Granularity] | None:
    month = _month(match.group("mon"))
    if month is None:
        return None
    return _day_month(int(match.group("day")), month, _weekday(match), anchor, lower)


def _day_month(
    day: int, month: int, weekday: int | None, anchor: date | None, lower: int | None
) -> tuple[date, Granularity] | None:
    """A day and month without a year: the year comes from the anchor, or from the weekday.

    With an anchor, the candidate nearest to it wins (news reports the recent past and
    the near future). Without one, the weekday ("Kamis (20/6)") picks the first year from
    ``lower`` (the latest year the article mentions) in which that date falls on that day.
    """
    if anchor is not None:
        candidates = [_safe_date(anchor.year + k, month, day) for k in (-1, 0, 1)]
        valid = [c for c in candidates if c is not None]
        if not valid:
            return None
        best = min(valid, key=lambda c: abs((c - anchor).days))
        return best, "day"
    if weekday is None or lower is None:
        return None
    for year in range(lower, lower + 12):
        found = _safe_date(year, month, day)
        if found and found.weekday() == weekday:
            return found, "day"
    return None


def _month_year(
    match: re.Match[str], _anchor: date | None, _lower: int | None
) -> tuple[date, Granularity] | None:
    month = _month(match.group("mon"), fuzzy=True)
    return (date(int(match.group("year")), month, 1), "month") if month else None


def _month_relative(
    match: re.Match[str], anchor: date | None, _lower: int | None
) -> tuple[date, Granularity] | None:
    """ "Oktober lalu", "pada bulan Maret", "next March": the named month nearest the anchor."""
    month = _month(match.group("mon"))
    if month is None or anchor is None:
        return None
    text = match.group(0).lower()
    if re.search(r"\b(?:depan|mendatang|next|nanti)\b", text):
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif re.search(r"\b(?:ini|this)\b", text) and "tahun ini" not in text:
        year = anchor.year
    elif re.search(r"\b(?:lalu|kemarin|silam|last)\b", text):
        year = anchor.year if month < anchor.month else anchor.year - 1
    else:
        year = anchor.year if month <= anchor.month else anchor.year - 1
    return date(year, month, 1), "month"


def _year(
    match: re.Match[str], _anchor: date | None, _lower: int | None
) -> tuple[date, Granularity] | None:
    return date(int(match.group("year")), 1, 1), "year"


def _iso(
    match: re.Match[str], _anchor: date | None, _lower: int | None
) -> tuple[date, Granularity] | None:
    found = _safe_date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
    return (found, "day") if found else None


_DAY_WORDS = {
    "hari ini": 0, "today": 0, "kemarin": -1, "yesterday": -1, "kemarin lusa": -2,
    "besok": 1, "tomorrow": 1, "lusa": 2,
}  # fmt: skip


def _day_word(
    match: re.Match[str], anchor: date | None, _lower: int | None
) -> tuple[date, Granularity] | None:
    if anchor is None:
        return None
    return anchor + timedelta(days=_DAY_WORDS[match.group("word").lower()]), "day"


def _shift(anchor: date, unit: str, amount: int) -> tuple[date, Granularity]:
    unit = unit.lower()
    if unit in ("hari", "day", "days"):
        return anchor + timedelta(days=amount), "day"
    if unit in ("pekan", "minggu", "week", "weeks"):
        moved = anchor + timedelta(weeks=amount)
        return moved - timedelta(days=moved.weekday()), "week"
    if unit in ("bulan", "month", "months"):
        index = anchor.year * 12 + anchor.month - 1 + amount
        return date(index // 12, index % 12 + 1, 1), "month"
    return date(anchor.year + amount, 1, 1), "year"


def _ago(
    match: re.Match[str], anchor: date | None, _lower: int | None
) -> tuple[date, Granularity] | None:
    if anchor is None:
        return None
    raw = match.group("n").lower()
    amount = NUMBER_WORDS.get(raw) or (int(raw) if raw.isdigit() else 1)
    unit = match.group("unit")
    if unit.lower() in ("jam", "menit", "detik", "hours", "hour", "minutes", "minute"):
        return anchor, "day"
    return _shift(anchor, unit, -amount)


def _unit_relative(
    match: re.Match[str], anchor: date | None, _lower: int | None
) -> tuple[date, Granularity] | None:
    """ "pekan lalu", "bulan ini", "tahun depan", "last week", "earlier this month"."""
    if anchor is None:
        return None
    text = match.group(0).lower()
    unit = match.group("unit")
    if re.search(r"\b(?:lalu|silam|kemarin|last|past|previous)\b", text):
        amount = -1
    elif re.search(r"\b(?:depan|mendatang|next|coming)\b", text):
        amount = 1
    else:
        amount = 0
    return _shift(anchor, unit, amount)


def _weekday_only(
    match: re.Match[str], anchor: date | None, _lower: int | None
) -> tuple[date, Granularity] | None:
    """ "pada Selasa", "on Tuesday": the latest such day up to the anchor (news tells the past)."""
    weekday = _weekday(match)
    if anchor is None or weekday is None:
        return None
    back = (anchor.weekday() - weekday) % 7
    return anchor - timedelta(days=back), "day"


_I = re.IGNORECASE
RULES: list[_Rule] = [
    _Rule(
        "year-range",
        re.compile(
            rf"\b(?:antara\s+(?:tahun\s+)?|between\s+|from\s+|dari\s+(?:tahun\s+)?|selama\s+)?{_YEAR}\s*(?:-|–|dan|and|to|hingga|sampai|until)\s*(?:tahun\s+)?(?:19|20)\d{{2}}\b",
            _I,
        ),
        _year,
        False,
    ),
    _Rule(
        "iso",
        re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
        _iso,
        False,
    ),
    _Rule(
        "day-month-year",
        re.compile(
            rf"\b(?:{_WD},?\s+(?:\(\s*)?)?(?:tanggal\s+)?{_DAY}\s+{_MON_FUZZY}\.?,?\s+{_YEAR}\b"
        ),
        _full_date,
        False,
    ),
    _Rule(
        "month-day-year",
        re.compile(rf"\b(?:{_WD},?\s+)?{_MON}\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}\b"),
        _full_date,
        False,
    ),
    _Rule(
        "numeric",
        re.compile(
            rf"(?:\b{_WD}\s*(?:\(\s*)?|\()(?P<day>[0-3]?\d)/(?P<month>[01]?\d)(?:/(?P<year>\d{{4}}|\d{{2}}))?\)?"
        ),
        _numeric_date,
        True,
    ),
    _Rule(
        "month-year",
        re.compile(rf"\b(?:bulan\s+)?{_MON_FUZZY}\s+(?:tahun\s+)?{_YEAR}\b"),
        _month_year,
        False,
    ),
    _Rule(
        "day-month",
        re.compile(rf"\b(?:{_WD},?\s+)?(?:tanggal\s+)?{_DAY}\s+{_MON}(?![\w-])(?!\s*,?\s*\d)"),
        _day_month_words,
        True,
    ),
    _Rule(
        "month-day",
        re.compile(rf"\b(?:{_WD},?\s+)?{_MON}\s+{_DAY}(?:st|nd|rd|th)?\b(?!,?\s*\d)"),
        _day_month_words,
        True,
    ),
    _Rule(
        "month-relative",
        re.compile(
            rf"\b(?:pada|bulan|sejak|awal|akhir|pertengahan|hingga|sampai|in|since|early|late|mid-?|last|this|next|until|by)\s+(?:bulan\s+)?{_MON}(?!\s*\d)"
            rf"(?:\s+(?:lalu|yang\s+lalu|kemarin|silam|ini|mendatang|depan|tahun\s+ini|tahun\s+lalu)\b)?"
        ),
        _month_relative,
        True,
    ),
    _Rule(
        "month-lalu",
        re.compile(
            rf"\b{_MON}\s+(?:lalu|yang\s+lalu|kemarin|silam|mendatang|depan|tahun\s+ini|tahun\s+lalu)\b"
        ),
        _month_relative,
        True,
    ),
    _Rule(
        "year",
        re.compile(
            rf"\b(?:pada|sejak|hingga|sampai|tahun|pada\s+tahun|sejak\s+tahun|in|since|by|until|during|early|late|akhir|awal|pertengahan)\s+(?:tahun\s+)?{_YEAR}\b(?![-/]\d)",
            _I,
        ),
        _year,
        False,
    ),
    _Rule(
        "day-word",
        re.compile(
            r"\b(?P<word>hari ini|kemarin lusa|kemarin|besok|lusa|today|yesterday|tomorrow)\b", _I
        ),
        _day_word,
        True,
    ),
    _Rule(
        "ago",
        re.compile(
            rf"\b{_NUM}\s*(?P<unit>hari|pekan|minggu|bulan|tahun|jam|menit|detik|days?|weeks?|months?|years?|hours?|minutes?)\s+(?:yang\s+)?(?:lalu|silam|ago)\b",
            _I,
        ),
        _ago,
        True,
    ),
    _Rule(
        "unit-relative",
        re.compile(
            r"\b(?:(?:awal|akhir|pertengahan)\s+)?(?:se)?(?P<unit>pekan|minggu|bulan|tahun)\s+(?:lalu|silam|ini|depan|mendatang|kemarin)\b"
            r"|\b(?:(?:earlier|later)\s+)?(?:last|this|next|past|previous|coming)\s+(?P<unit2>week|month|year)\b",
            _I,
        ),
        lambda m, a, lo: _unit_relative(_UnitMatch(m), a, lo),  # type: ignore[arg-type]
        True,
    ),
    _Rule(
        "weekday",
        re.compile(rf"\b(?:(?:pada\s+)?(?:hari\s+)?|on\s+){_WD}\b(?!\s*[(,]?\s*\d)"),
        _weekday_only,
        True,
    ),
]


class _UnitMatch:
    """Lets :func:`_unit_relative` read one ``unit`` group from either alternative."""

    def __init__(self, match: re.Match[str]) -> None:
        self._match = match

    def group(self, name: str | int = 0) -> str:
        if name == "unit":
            return self._match.group("unit") or self._match.group("unit2")
        return self._match.group(name)


def find_times(
    text: str, anchor: date | None = None, lower_year: int | None = None
) -> list[TimeExpression]:
    """Every date expression of ``text`` that resolves, earliest first, no overlaps.

    ``anchor`` is the date relative expressions count from (usually the publication
    date); ``lower_year`` the earliest year the text can be from, used only to place a
    weekday-and-day expression ("Kamis (20/6)") when there is no anchor.
    """
    taken: list[tuple[int, int]] = []
    found: list[TimeExpression] = []
    for rule in RULES:
        for match in rule.pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            resolved = rule.resolve(match, anchor, lower_year)
            if resolved is None:
                continue
            value_date, granularity = resolved
            taken.append((start, end))
            if (
                rule.relative
                and rule.name in ("day-word", "unit-relative")
                and _inside_quote(text, start)
            ):
                continue  # "Hari ini, kita berjuang ..." counts from the speech, not the report
            found.append(
                TimeExpression(
                    text=match.group(0).strip(),
                    start=start,
                    end=end,
                    value=format_value(value_date, granularity),
                    granularity=granularity,
                    relative=rule.relative,
                    kind="range" if rule.name == "year-range" else "date",
                )
            )
    return sorted(found, key=lambda t: t.start)


def _inside_quote(text: str, position: int) -> bool:
    before = text[:position]
    straight = before.count('"') % 2 == 1
    curly = before.count("“") > before.count("”")
    return straight or curly


def format_value(value: date, granularity: Granularity) -> str:
    if granularity in ("day", "week"):
        return value.isoformat()
    if granularity == "month":
        return value.strftime("%Y-%m")
    return f"{value.year:04d}"


_SPECIFICITY = {"day": 0, "week": 1, "month": 2, "year": 3}


def event_date(times: list[TimeExpression]) -> TimeExpression | None:
    """The date a sentence reports: its most specific expression, the first among equals."""
    times = [t for t in times if t.kind == "date"]
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
    times = [t for t in find_times(text) if t.granularity == "day"]
    if times:
        return date.fromisoformat(times[0].value)
    import dateparser

    parsed = dateparser.parse(
        text, languages=["id", "en"], settings={"PREFER_DAY_OF_MONTH": "first"}
    )
    return parsed.date() if parsed else None


def explicit_dates(text: str) -> list[date]:
    """Full dates (day, month and year written out) in ``text``: stamps, not inferences."""
    return [
        date.fromisoformat(t.value)
        for t in find_times(text)
        if t.granularity == "day" and not t.relative
    ] + [
        date.fromisoformat(t.value)
        for t in find_times(text)
        if t.granularity == "day" and t.relative and re.search(r"/\d{2,4}\)", t.text)
    ]


def years_mentioned(text: str) -> list[int]:
    return [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", text)]
