"""Bounds on a date field: a fixed date, or a date relative to the call's own dates.

A bound is written `2026-08-01`, `opens`, `deadline`, or one of those moved by whole days, weeks, months or
years: `deadline + 1 year`, `opens - 6 months`, `deadline + 2 weeks`. A relative bound is resolved
against the call the form is used in (its opening and deadline days in Europe/Oslo); without a
call (`frist forms check`) only fixed bounds can be checked.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from models.clock import OSLO

_RELATIVE = re.compile(
    r"(?P<anchor>opens|deadline)(?:\s*(?P<sign>[+-])\s*(?P<count>[0-9]{1,3})\s*(?P<unit>days?|weeks?|months?|years?))?"
)
ANCHORS = ("opens", "deadline")


@dataclass(frozen=True)
class CallDates:
    """The call's opening and deadline days, in Oslo."""

    opens: dt.date
    deadline: dt.date

    @classmethod
    def of(cls, opens: dt.datetime, deadline: dt.datetime) -> CallDates:
        return cls(opens.astimezone(OSLO).date(), deadline.astimezone(OSLO).date())


def bound_problem(bound: str) -> str | None:
    """Why `bound` is not a date bound, or None when it is one."""
    if _RELATIVE.fullmatch(bound.strip()):
        return None
    try:
        dt.date.fromisoformat(bound)
    except ValueError:
        return (
            f"{bound!r} is not a date bound; write a date (2026-08-01), `opens` or `deadline`, "
            "optionally moved: `deadline + 1 year`, `opens - 6 months`, `deadline + 30 days`"
        )
    return None


def fixed_date(bound: str) -> dt.date | None:
    """The bound's date when it does not depend on a call."""
    try:
        return dt.date.fromisoformat(bound)
    except ValueError:
        return None


def resolve(bound: str | None, dates: CallDates | None) -> dt.date | None:
    """The day `bound` stands for in a call with `dates`; None when it cannot be known."""
    if bound is None:
        return None
    fixed = fixed_date(bound)
    if fixed is not None:
        return fixed
    match = _RELATIVE.fullmatch(bound.strip())
    if match is None or dates is None:
        return None
    day = dates.opens if match["anchor"] == "opens" else dates.deadline
    if not match["sign"]:
        return day
    count = int(match["count"]) * (1 if match["sign"] == "+" else -1)
    unit = match["unit"].rstrip("s")
    if unit in ("day", "week"):
        return day + dt.timedelta(days=count * (7 if unit == "week" else 1))
    months = count * (12 if unit == "year" else 1)
    return _add_months(day, months)


def _add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))
