"""How amounts, dates and times are shown to people: `kr 1 200 000`, `fredag 28. august 2020 kl. 23.59`."""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import get_day_names

OSLO = ZoneInfo("Europe/Oslo")
LANGUAGES = ("nb", "nn")
NBSP = "\u00a0"
# Babel (CLDR) gives nynorsk "søndag"; the nynorsk form in public writing is "sundag".
_NYNORSK_WEEKDAYS = {6: "sundag"}


def group_thousands(number: int, separator: str = NBSP) -> str:
    """`1 200 000`: groups of three digits, by default with no-break spaces between them."""
    grouped = f"{abs(number):,}".replace(",", separator)
    return f"-{grouped}" if number < 0 else grouped


def format_money(kroner: int) -> str:
    """`kr 1 200 000`, `kr 0`, `-kr 5 000`, with no-break spaces (after `kr` and between groups of
    thousands), so that Slack never wraps an amount across two lines."""
    return f"-kr{NBSP}{group_thousands(-kroner)}" if kroner < 0 else f"kr{NBSP}{group_thousands(kroner)}"


@cache
def _weekdays(lang: str) -> dict[int, str]:
    names = {day: str(name) for day, name in get_day_names("wide", locale=lang).items()}
    return names | _NYNORSK_WEEKDAYS if lang == "nn" else names


def format_date(d: dt.date | str, lang: str) -> str:
    """`fredag 28. august 2020` in bokmål, `laurdag 29. august 2020` in nynorsk.

    Also takes an ISO string (`2020-08-28`), the form dates are stored in answers.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language form {lang!r}")
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    elif isinstance(d, dt.datetime):
        d = d.date()
    return f"{_weekdays(lang)[d.weekday()]} {babel_format_date(d, 'd. MMMM y', locale=lang)}"


def format_datetime(moment: dt.datetime, lang: str) -> str:
    """`fredag 28. august 2020 kl. 23.59`, in Norwegian time (Europe/Oslo)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("format_datetime needs an aware datetime, not a naive one")
    local = moment.astimezone(OSLO)
    return f"{format_date(local.date(), lang)} kl. {local:%H.%M}"
