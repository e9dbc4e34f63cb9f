"""Amounts, dates and times as people read them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.formatting import NBSP, format_date, format_datetime, format_money
from intake.dates import MONTHS
from intake.money import parse_money

UTC = dt.UTC


@pytest.mark.parametrize(
    ("kroner", "text"),
    [
        (0, "kr 0"),
        (5, "kr 5"),
        (999, "kr 999"),
        (1_000, "kr 1 000"),
        (350_000, "kr 350 000"),
        (1_200_000, "kr 1 200 000"),
        (14_239_000, "kr 14 239 000"),
        (10**10, "kr 10 000 000 000"),
        (-5_000, "-kr 5 000"),
    ],
)
def test_format_money(kroner: int, text: str) -> None:
    """Written here with plain spaces for reading; every one of them is a no-break space."""
    assert format_money(kroner) == text.replace(" ", NBSP)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_money_never_has_a_space_slack_may_wrap_at(kroner: int) -> None:
    text = format_money(kroner)
    assert " " not in text and not any(char.isspace() and char != NBSP for char in text)
    assert "," not in text and "." not in text and NBSP * 2 not in text
    assert text.replace(NBSP, "").removeprefix("-").removeprefix("kr").isdigit()
    assert int(text.replace("kr", "").replace(NBSP, "")) == kroner
    assert parse_money(text.removeprefix("-")) == abs(kroner)  # a contact may copy it back into an answer


# One week, Sunday 23 to Sunday 30 August 2020: nynorsk has its own names for five of the days.
WEEK = [
    (23, "søndag", "sundag"),
    (24, "mandag", "måndag"),
    (25, "tirsdag", "tysdag"),
    (26, "onsdag", "onsdag"),
    (27, "torsdag", "torsdag"),
    (28, "fredag", "fredag"),
    (29, "lørdag", "laurdag"),
    (30, "søndag", "sundag"),
]


NYNORSK = {nb: nn for _, nb, nn in WEEK}


@pytest.mark.parametrize(("day", "nb", "nn"), WEEK)
def test_format_date_weekdays(day: int, nb: str, nn: str) -> None:
    date = dt.date(2020, 8, day)
    assert format_date(date, "nb") == f"{nb} {day}. august 2020"
    assert format_date(date, "nn") == f"{nn} {day}. august 2020"


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("month", range(1, 13))
def test_format_date_months(lang: str, month: int) -> None:
    assert format_date(dt.date(2021, month, 1), lang).endswith(f" 1. {MONTHS[month - 1]} 2021")


def test_format_date_takes_iso_strings_and_datetimes() -> None:
    assert format_date("2020-08-28", "nb") == "fredag 28. august 2020"
    assert format_date(dt.datetime(2020, 8, 28, 12, 0), "nn") == "fredag 28. august 2020"


@pytest.mark.parametrize("lang", ["en", "no", "", "NB"])
def test_format_date_refuses_other_languages(lang: str) -> None:
    with pytest.raises(ValueError):
        format_date(dt.date(2020, 8, 28), lang)


@pytest.mark.parametrize(
    ("moment", "nb"),
    [
        # Summer time (UTC+2): the deadline in seed 000.
        (dt.datetime(2020, 8, 28, 21, 59, tzinfo=UTC), "fredag 28. august 2020 kl. 23.59"),
        # Winter time (UTC+1), and the day changes in Oslo before it does in UTC.
        (dt.datetime(2021, 1, 2, 23, 30, tzinfo=UTC), "søndag 3. januar 2021 kl. 00.30"),
        # Just before and after the switch to summer time, 28 March 2021 at 01.00 UTC.
        (dt.datetime(2021, 3, 28, 0, 59, tzinfo=UTC), "søndag 28. mars 2021 kl. 01.59"),
        (dt.datetime(2021, 3, 28, 1, 0, tzinfo=UTC), "søndag 28. mars 2021 kl. 03.00"),
        # And back to winter time, 31 October 2021 at 01.00 UTC.
        (dt.datetime(2021, 10, 31, 0, 30, tzinfo=UTC), "søndag 31. oktober 2021 kl. 02.30"),
        (dt.datetime(2021, 10, 31, 1, 30, tzinfo=UTC), "søndag 31. oktober 2021 kl. 02.30"),
        # Already in Oslo time, or in another zone.
        (dt.datetime(2020, 8, 29, 9, 5, tzinfo=ZoneInfo("Europe/Oslo")), "lørdag 29. august 2020 kl. 09.05"),
        (dt.datetime(2020, 8, 28, 17, 59, tzinfo=ZoneInfo("America/New_York")), "fredag 28. august 2020 kl. 23.59"),
    ],
)
def test_format_datetime_in_oslo_time(moment: dt.datetime, nb: str) -> None:
    assert format_datetime(moment, "nb") == nb
    weekday, rest = nb.split(" ", 1)
    assert format_datetime(moment, "nn") == f"{NYNORSK[weekday]} {rest}"


def test_format_datetime_nynorsk() -> None:
    moment = dt.datetime(2020, 8, 29, 10, 0, tzinfo=UTC)
    assert format_datetime(moment, "nn") == "laurdag 29. august 2020 kl. 12.00"


def test_format_datetime_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_datetime(dt.datetime(2020, 8, 28, 23, 59), "nb")
