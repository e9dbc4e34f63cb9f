"""When reminders, deadline notices and digests are due, and to whom. Pure: no database, no clock.

Everything is computed in Europe/Oslo local time and returned as aware datetimes, so the changes to
and from summer time (last Sunday of March and of October) neither skip nor double anything: a
reminder "7 days before at 09:00" is 09:00 on that calendar day, whatever the UTC offset.

Nothing goes out on a day off: a Saturday, a Sunday or a Norwegian public holiday (Easter,
Ascension, 17 May, Whit Monday, Christmas, ...; from the `holidays` library, not a list kept here).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

import holidays

from intake.standing import CLOSED
from models import Intent
from models.clock import OSLO

DEFAULT_DAYS = (14, 7, 2, 0)
DEFAULT_REMINDER_TIME = time(9, 0)
DEFAULT_DIGEST = {"from_days": 14, "at": "08:00", "after_deadline": True}
DEADLINE_NOTICE_VALID = timedelta(days=14)
SNOOZE = timedelta(days=1)


@dataclass(frozen=True)
class Slot:
    """One moment something is scheduled; `name` goes into the outbox key."""

    name: str
    at: datetime


@dataclass(frozen=True)
class Recipient:
    org_id: str
    contact_id: int
    status: str  # not_started | draft | reopened | submitted | declined | withdrawn
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class CallPlan:
    """What the policy needs to know about a call."""

    call_id: str
    deadline: datetime
    reminder_days: tuple[int, ...] = DEFAULT_DAYS
    reminder_time: time = DEFAULT_REMINDER_TIME
    digest: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_DIGEST))


def parse_time(text: str) -> time:
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))


@cache
def _public_holidays(year: int) -> frozenset[date]:
    """Norway's public holidays (helligdager and høytidsdager) in `year`; Sundays are weekends anyway."""
    return frozenset(holidays.country_holidays("NO", years=year, include_sundays=False))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def _previous_working_day(day: date) -> date:
    """A weekend or a public holiday moves to the working day before (Easter Monday to the Wednesday)."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=OSLO)


def reminder_slots(plan: CallPlan) -> list[Slot]:
    """The reminder moments before the deadline; two days moved onto the same working day give one."""
    deadline = plan.deadline.astimezone(OSLO)
    by_day: dict[date, Slot] = {}
    for days in sorted(set(plan.reminder_days), reverse=True):
        day = _previous_working_day(deadline.date() - timedelta(days=days))
        moment = _local(day, plan.reminder_time)
        if moment < plan.deadline.astimezone(UTC):
            by_day.setdefault(day, Slot(f"d{days}", moment))
    return sorted(by_day.values(), key=lambda slot: slot.at)


def digest_slots(plan: CallPlan) -> list[Slot]:
    """Every working day from `from_days` before the deadline, and the first working morning after it."""
    config = {**DEFAULT_DIGEST, **plan.digest}
    at = parse_time(str(config["at"]))
    deadline = plan.deadline.astimezone(OSLO)
    day = deadline.date() - timedelta(days=int(config["from_days"]))
    slots = []
    while day <= deadline.date():
        if is_working_day(day) and _local(day, at) < plan.deadline.astimezone(UTC):
            slots.append(Slot(day.isoformat(), _local(day, at)))
        day += timedelta(days=1)
    if config["after_deadline"]:
        after = deadline.date() + timedelta(days=1)
        while not is_working_day(after):
            after += timedelta(days=1)
        slots.append(Slot(f"{after.isoformat()}-after", _local(after, at)))
    return slots


def current(slots: list[Slot], now: datetime, end: datetime) -> tuple[Slot, datetime] | None:
    """The latest slot that has come, with the moment it stops making sense (the next slot, or `end`)."""
    now = _utc(now)
    past = [index for index, slot in enumerate(slots) if slot.at <= now]
    if not past:
        return None
    index = past[-1]
    until = slots[index + 1].at if index + 1 < len(slots) else end
    return (slots[index], until) if now < until else None


def reminders(plan: CallPlan, recipients: Iterable[Recipient], now: datetime) -> list[Intent]:
    """Reminders due now: the latest slot (one missed while the bot was down is still sent until the
    next one is due), to everyone whose org has not submitted or declined.

    A snooze holds back every reminder until it ends, and then sends one (unless a later slot has
    come since, which then goes out instead).
    """
    now = _utc(now)
    if now >= plan.deadline:
        return []
    slots = reminder_slots(plan)
    found = current(slots, now, plan.deadline)
    intents = []
    for person in recipients:
        snoozed = person.snoozed_until
        if person.status in CLOSED or (snoozed is not None and snoozed > now):
            continue
        if snoozed is not None and (found is None or snoozed > found[0].at):
            until = next((slot.at for slot in slots if slot.at > snoozed), plan.deadline)
            intents.append(_reminder(plan, person, f"snooze-{snoozed.astimezone(OSLO):%Y%m%dT%H%M}", snoozed, until))
        elif found is not None:
            intents.append(_reminder(plan, person, found[0].name, found[0].at, found[1]))
    return intents


def _reminder(plan: CallPlan, person: Recipient, name: str, due: datetime, until: datetime) -> Intent:
    return Intent(
        key=f"reminder:{plan.call_id}:{person.org_id}:{person.contact_id}:{name}",
        kind="reminder",
        call_id=plan.call_id,
        due_at=due,
        expires_at=until,
        org_id=person.org_id,
        contact_id=person.contact_id,
        data={"slot": name},
    )


def deadline_notices(plan: CallPlan, recipients: Iterable[Recipient], now: datetime) -> list[Intent]:
    """After the deadline, one last message to each contact of an org that did not submit."""
    now = _utc(now)
    if now < plan.deadline or now >= plan.deadline + DEADLINE_NOTICE_VALID:
        return []
    return [
        Intent(
            key=f"deadline_passed:{plan.call_id}:{person.org_id}:{person.contact_id}",
            kind="deadline_passed",
            call_id=plan.call_id,
            due_at=plan.deadline,
            expires_at=plan.deadline + DEADLINE_NOTICE_VALID,
            org_id=person.org_id,
            contact_id=person.contact_id,
        )
        for person in recipients
        if person.status not in CLOSED
    ]


def digests(plan: CallPlan, now: datetime) -> list[Intent]:
    now = _utc(now)
    slots = digest_slots(plan)
    if not slots:
        return []
    found = current(slots, now, slots[-1].at + timedelta(hours=12))
    if found is None:
        return []
    slot, until = found
    return [
        Intent(
            key=f"digest:{plan.call_id}:{slot.name}",
            kind="digest",
            call_id=plan.call_id,
            due_at=slot.at,
            expires_at=until,
            data={"slot": slot.name},
        )
    ]


def due(plan: CallPlan, recipients: list[Recipient], now: datetime) -> list[Intent]:
    """Everything that should be in the outbox for this call at `now`."""
    return reminders(plan, recipients, now) + deadline_notices(plan, recipients, now) + digests(plan, now)


def _utc(moment: datetime) -> datetime:
    """Compare instants in UTC: two Oslo times in the hour repeated in October compare by wall clock."""
    return moment.astimezone(UTC)
