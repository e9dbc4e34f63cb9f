"""Reminders and digests keep off Norwegian public holidays, as they keep off weekends.

The policy takes the holidays from the `holidays` library; the oracle here computes them from the
date of Easter (the anonymous Gregorian algorithm), so the two are independent.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.clock import OSLO
from reminders.policy import CallPlan, digest_slots, reminder_slots


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


def easter(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday) // 433
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


def days_off(year: int) -> set[date]:
    """Helligdager and høytidsdager (lov om helligdager og helligdagsfred, lov om 1. og 17. mai)."""
    sunday = easter(year)
    moving = {-3, -2, 0, 1, 39, 49, 50}  # Maundy Thursday .. Whit Monday
    fixed = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 17), date(year, 12, 25), date(year, 12, 26)}
    return fixed | {sunday + timedelta(days=n) for n in moving}


def working(day: date) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


def reminder_days_of(deadline: datetime, days: tuple[int, ...]) -> list[date]:
    return [slot.at.date() for slot in reminder_slots(CallPlan("c", deadline, reminder_days=days))]


def test_the_oracle_knows_easter() -> None:
    assert [easter(year) for year in (2020, 2026, 2027, 2030)] == [
        date(2020, 4, 12), date(2026, 4, 5), date(2027, 3, 28), date(2030, 4, 21)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("deadline", "days", "expected"),
    [
        # Easter 2026: 2 days before Wednesday 8 April is Easter Monday; Maundy Thursday to Easter
        # Monday are all off, so it goes out on Wednesday 1 April (and 7 days before is that day too).
        (oslo(2026, 4, 8, 23, 59), (7, 2), [date(2026, 4, 1)]),
        (oslo(2026, 4, 8, 23, 59), (2,), [date(2026, 4, 1)]),
        # Ascension Day, Thursday 14 May 2026, moves to the Wednesday.
        (oslo(2026, 5, 21, 12, 0), (7,), [date(2026, 5, 13)]),
        # 17 May 2027 is a Monday (and Whit Monday): the Friday before.
        (oslo(2027, 5, 18, 23, 59), (1,), [date(2027, 5, 14)]),
        # Whit Monday 25 May 2026: the Friday before.
        (oslo(2026, 5, 27, 23, 59), (2,), [date(2026, 5, 22)]),
        # Christmas Day (Friday) and Boxing Day (Saturday) 2026: Christmas Eve, a working day.
        (oslo(2026, 12, 28, 23, 59), (3, 2), [date(2026, 12, 24)]),
        # New Year's Day 2027 (Friday) as the deadline day itself: Thursday 31 December.
        (oslo(2027, 1, 1, 23, 59), (0,), [date(2026, 12, 31)]),
        # 1 May 2026, a Friday.
        (oslo(2026, 5, 4, 23, 59), (3,), [date(2026, 4, 30)]),
    ],
)
def test_a_reminder_on_a_public_holiday_goes_out_on_the_working_day_before(
    deadline: datetime, days: tuple[int, ...], expected: list[date]
) -> None:
    assert reminder_days_of(deadline, days) == expected
    slots = reminder_slots(CallPlan("c", deadline, reminder_days=days))
    assert all(slot.at.astimezone(OSLO).time() == time(9, 0) for slot in slots)


def test_no_digest_on_easter_days_and_the_one_after_waits_for_the_first_working_morning() -> None:
    slots = digest_slots(CallPlan("c", oslo(2026, 4, 1, 23, 59), digest={"from_days": 7}))
    assert [slot.name for slot in slots] == [
        "2026-03-25", "2026-03-26", "2026-03-27", "2026-03-30", "2026-03-31", "2026-04-01", "2026-04-07-after"
    ]  # fmt: skip
    christmas = digest_slots(CallPlan("c", oslo(2026, 12, 24, 12, 0), digest={"from_days": 0}))
    assert [(slot.name, slot.at) for slot in christmas] == [
        ("2026-12-24", oslo(2026, 12, 24, 8)),
        ("2026-12-28-after", oslo(2026, 12, 28, 8)),
    ]


deadlines = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2035, 12, 31, 23, 59), timezones=st.just(OSLO)
)


@settings(max_examples=300, deadline=None)
@given(deadline=deadlines, days=st.sets(st.integers(0, 40), min_size=1, max_size=10).map(tuple))
def test_reminders_fall_on_working_days_only_and_on_the_latest_one_not_after_their_day(
    deadline: datetime, days: tuple[int, ...]
) -> None:
    plan = CallPlan("prop", deadline, reminder_days=days)
    slots = reminder_slots(plan)
    by_name = {slot.name: slot.at.astimezone(OSLO).date() for slot in slots}
    for n in days:
        wanted = deadline.date() - timedelta(days=n)
        expected = max(day for day in (wanted - timedelta(days=k) for k in range(10)) if working(day))
        moment = datetime.combine(expected, time(9, 0), tzinfo=OSLO)
        if moment.astimezone(UTC) >= deadline.astimezone(UTC):
            assert f"d{n}" not in by_name
        elif f"d{n}" in by_name:
            assert by_name[f"d{n}"] == expected
        else:  # a larger n moved onto the same day first
            assert expected in by_name.values()
    assert all(working(day) for day in by_name.values())


@settings(max_examples=200, deadline=None)
@given(deadline=deadlines, from_days=st.integers(0, 30))
def test_digests_fall_on_working_days_only(deadline: datetime, from_days: int) -> None:
    slots = digest_slots(CallPlan("prop", deadline, digest={"from_days": from_days}))
    assert all(working(slot.at.astimezone(OSLO).date()) for slot in slots)
    after = slots[-1].at.date()
    assert all(not working(deadline.date() + timedelta(days=k)) for k in range(1, (after - deadline.date()).days))
