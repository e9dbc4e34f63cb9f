"""Reading a date written the Norwegian way, in bokmål or nynorsk."""

from __future__ import annotations

import datetime as dt
import re

from intake.parse_base import ParseError, clean

MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)
# Bokmål and nynorsk names and their usual short forms; Monday is 0 as in date.weekday().
WEEKDAYS = {
    **dict.fromkeys(("mandag", "måndag", "man", "mån", "må"), 0),
    **dict.fromkeys(("tirsdag", "tysdag", "tir", "tirs", "tys", "ty"), 1),
    **dict.fromkeys(("onsdag", "ons", "on"), 2),
    **dict.fromkeys(("torsdag", "tor", "tors", "to"), 3),
    **dict.fromkeys(("fredag", "fre", "fr"), 4),
    **dict.fromkeys(("lørdag", "laurdag", "lør", "lau", "laur", "la"), 5),
    **dict.fromkeys(("søndag", "sundag", "søn", "sun", "sø", "su"), 6),
}

# Years a date in a grant form can have: anything else is a typo (`2202`, `0202`). A two-digit year
# is 20YY up to TWO_DIGIT_LAST; later ones (`1.1.99`: 1999 or 2099?) must be written in full.
FIRST_YEAR, LAST_YEAR = 1900, 2099
TWO_DIGIT_LAST = 49
_YEAR = r"(?P<year>[0-9]{4}|[0-9]{2})"
_PATTERNS = (
    re.compile(r"(?P<day>[0-9]{1,2}) ?[./-] ?(?P<month>[0-9]{1,2}) ?[./-] ?" + _YEAR),
    re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"),
    re.compile(r"(?P<day>[0-9]{1,2})\.? ?(?P<name>[^\W\d_]+)\.?,? ?" + _YEAR),
)
_WEEKDAY = re.compile(r"(?P<weekday>[^\W\d_]+)\.?,? ")


def parse_date(text: str) -> dt.date:
    """`28.08.2020`, `28.8.20`, `28/8/2020`, `2020-08-28`, `28. aug. 2020`, `fredag 28. august 2020`."""
    typed = clean(text).lower().rstrip(".")
    weekday: str | None = None
    prefix = _WEEKDAY.match(typed)
    if prefix and prefix["weekday"] in WEEKDAYS:
        weekday = prefix["weekday"]
        typed = typed[prefix.end() :]
    typed = typed.removeprefix("den ")
    for pattern in _PATTERNS:
        match = pattern.fullmatch(typed)
        if match:
            break
    else:
        raise ParseError("date")
    parts = match.groupdict()
    month = int(parts["month"]) if parts.get("month") else _month(parts["name"])
    day, year = int(parts["day"]), int(parts["year"])
    if len(parts["year"]) == 2:
        if year > TWO_DIGIT_LAST:
            raise ParseError("date_two_digit_year", year=parts["year"])
        year += 2000
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ParseError("date_year_range", year=year, first=FIRST_YEAR, last=LAST_YEAR)
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise ParseError("date_invalid", day=day, month=month, year=year) from None
    if weekday is not None and WEEKDAYS[weekday] != date.weekday():
        raise ParseError("date_weekday", date=date, weekday=weekday)
    return date


def _month(name: str) -> int:
    """1-12 from a month's name or its first three letters or more (`aug`, `sept`)."""
    if len(name) >= 3:
        for number, month in enumerate(MONTHS, start=1):
            if month.startswith(name):
                return number
    raise ParseError("date")
