"""The pure reminder policy with explicit times: which slots exist, what is due when, and for whom.

Every moment is written as Europe/Oslo local time; loops step in UTC so that adding a timedelta
never does wall-clock arithmetic across a change of summer time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.clock import OSLO
from reminders.policy import (
    CallPlan,
    Intent,
    Recipient,
    Slot,
    current,
    deadline_notices,
    digest_slots,
    digests,
    due,
    reminder_slots,
    reminders,
)

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


def keys(intents: list[Intent]) -> list[str]:
    return [intent.key for intent in intents]


def slots_of(plan: CallPlan) -> list[tuple[str, datetime]]:
    return [(slot.name, slot.at) for slot in reminder_slots(plan)]


def instants(start: datetime, end: datetime, step: timedelta):
    """Every `step` from `start` (inclusive) to `end` (exclusive), as UTC instants."""
    now, end = start.astimezone(UTC), end.astimezone(UTC)
    while now < end:
        yield now
        now += step


# Friday 28 August 2020, 23:59 (summer time, +02:00).
DEADLINE = oslo(2020, 8, 28, 23, 59)
PLAN = CallPlan("tilskudd-2020", DEADLINE)
D14, D7, D2, D0 = oslo(2020, 8, 14, 9), oslo(2020, 8, 21, 9), oslo(2020, 8, 26, 9), oslo(2020, 8, 28, 9)
KARI = Recipient("5052", 1, "draft")
PER = Recipient("5052", 2, "draft")
ODA = Recipient("5020", 3, "not_started")


def reminder_key(person: Recipient, name: str, call_id: str = PLAN.call_id) -> str:
    return f"reminder:{call_id}:{person.org_id}:{person.contact_id}:{name}"


# --- the default slots ---------------------------------------------------------------------------


def test_default_slots_are_14_7_2_and_0_days_before_at_nine() -> None:
    assert slots_of(PLAN) == [("d14", D14), ("d7", D7), ("d2", D2), ("d0", D0)]
    assert [slot.at.astimezone(UTC) for slot in reminder_slots(PLAN)] == [
        datetime(2020, 8, day, 7, 0, tzinfo=UTC) for day in (14, 21, 26, 28)
    ]


@pytest.mark.parametrize(
    ("name", "start", "until"),
    [("d14", D14, D7), ("d7", D7, D2), ("d2", D2, D0), ("d0", D0, DEADLINE)],
)
def test_each_reminder_is_due_from_its_slot_until_the_next_slot_or_the_deadline(
    name: str, start: datetime, until: datetime
) -> None:
    assert reminder_key(KARI, name) not in keys(reminders(PLAN, [KARI], start - MINUTE))
    at_start = reminders(PLAN, [KARI], start)
    assert [(i.key, i.kind, i.due_at, i.expires_at, i.data) for i in at_start] == [
        (reminder_key(KARI, name), "reminder", start, until, {"slot": name})
    ]
    assert keys(reminders(PLAN, [KARI], until - MINUTE)) == [reminder_key(KARI, name)]
    assert reminder_key(KARI, name) not in keys(reminders(PLAN, [KARI], until))


def test_nothing_is_due_before_the_first_slot() -> None:
    assert reminders(PLAN, [KARI, PER, ODA], D14 - MINUTE) == []
    assert reminders(PLAN, [KARI, PER, ODA], D14 - 30 * DAY) == []


def test_every_open_contact_gets_the_slot() -> None:
    assert keys(reminders(PLAN, [KARI, PER, ODA], D7)) == [reminder_key(p, "d7") for p in (KARI, PER, ODA)]


# --- weekends ------------------------------------------------------------------------------------


def test_a_slot_on_saturday_moves_to_the_friday_before() -> None:
    monday = CallPlan("c", oslo(2020, 8, 31, 23, 59))  # 2 days before is Saturday 29 August
    assert slots_of(monday) == [
        ("d14", oslo(2020, 8, 17, 9)),
        ("d7", oslo(2020, 8, 24, 9)),
        ("d2", oslo(2020, 8, 28, 9)),
        ("d0", oslo(2020, 8, 31, 9)),
    ]


def test_a_slot_on_sunday_moves_to_the_friday_before() -> None:
    tuesday = CallPlan("c", oslo(2020, 9, 1, 23, 59))  # 2 days before is Sunday 30 August
    assert slots_of(tuesday) == [
        ("d14", oslo(2020, 8, 18, 9)),
        ("d7", oslo(2020, 8, 25, 9)),
        ("d2", oslo(2020, 8, 28, 9)),
        ("d0", oslo(2020, 9, 1, 9)),
    ]


def test_a_deadline_on_sunday_gets_its_last_reminder_on_friday() -> None:
    sunday = CallPlan("c", oslo(2020, 8, 30, 23, 59), reminder_days=(7, 0))
    assert slots_of(sunday) == [("d7", oslo(2020, 8, 21, 9)), ("d0", oslo(2020, 8, 28, 9))]


def test_two_slots_moved_onto_the_same_friday_give_one() -> None:
    monday = CallPlan("c", oslo(2020, 8, 31, 23, 59), reminder_days=(3, 2, 1, 0))  # Fri, Sat, Sun, Mon
    assert slots_of(monday) == [("d3", oslo(2020, 8, 28, 9)), ("d0", oslo(2020, 8, 31, 9))]
    friday = reminders(monday, [KARI], oslo(2020, 8, 28, 9))
    assert keys(friday) == [reminder_key(KARI, "d3", "c")]
    # Over the whole weekend the Friday reminder is the only one: no second key for the merged days.
    weekend = {
        key
        for now in instants(oslo(2020, 8, 28), oslo(2020, 8, 31), MINUTE)
        for key in keys(reminders(monday, [KARI], now))
    }
    assert weekend == {reminder_key(KARI, "d3", "c")}


# --- summer time ---------------------------------------------------------------------------------

# Spring forward on Sunday 29 March 2026; fall back on Sunday 25 October 2026.
MARCH = oslo(2026, 3, 31, 23, 59)
OCTOBER = oslo(2026, 10, 27, 23, 59)
CET, CEST = timedelta(hours=1), timedelta(hours=2)


@pytest.mark.parametrize(
    ("deadline", "expected", "offsets"),
    [
        (
            MARCH,
            [
                ("d14", oslo(2026, 3, 17, 9)),
                ("d7", oslo(2026, 3, 24, 9)),
                ("d2", oslo(2026, 3, 27, 9)),
                ("d0", oslo(2026, 3, 31, 9)),
            ],
            [CET, CET, CET, CEST],
        ),
        (
            OCTOBER,
            [
                ("d14", oslo(2026, 10, 13, 9)),
                ("d7", oslo(2026, 10, 20, 9)),
                ("d2", oslo(2026, 10, 23, 9)),
                ("d0", oslo(2026, 10, 27, 9)),
            ],
            [CEST, CEST, CEST, CET],
        ),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_slots_stay_at_nine_local_across_a_change_of_summer_time(
    deadline: datetime, expected: list[tuple[str, datetime]], offsets: list[timedelta]
) -> None:
    slots = reminder_slots(CallPlan("dst", deadline))
    assert [(slot.name, slot.at) for slot in slots] == expected
    assert all(slot.at.astimezone(OSLO).hour == 9 and slot.at.astimezone(OSLO).minute == 0 for slot in slots)
    assert [slot.at.astimezone(OSLO).utcoffset() for slot in slots] == offsets
    # 09:00 local is a different UTC hour after the change: the offset really differs.
    assert len({slot.at.astimezone(UTC).hour for slot in slots}) == 2


@pytest.mark.parametrize("deadline", [MARCH, OCTOBER], ids=["spring-forward", "fall-back"])
def test_digests_stay_at_eight_local_across_a_change_of_summer_time(deadline: datetime) -> None:
    slots = digest_slots(CallPlan("dst", deadline))
    local = [slot.at.astimezone(OSLO) for slot in slots]
    assert all((at.hour, at.minute) == (8, 0) and at.weekday() < 5 for at in local)
    assert len({at.utcoffset() for at in local}) == 2
    assert len(slots) == 12  # 11 weekdays from 14 days before, and the morning after


DST_DIGESTS = {
    MARCH: [f"2026-03-{day:02d}" for day in (17, 18, 19, 20, 23, 24, 25, 26, 27, 30, 31)] + ["2026-04-01-after"],
    OCTOBER: [f"2026-10-{day:02d}" for day in (13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27)] + ["2026-10-28-after"],
}


def tick_moments(deadline: datetime, dst_sunday: date) -> list[datetime]:
    """Every 15 minutes from 16 days before to 15 days after the deadline, and every minute over the
    weekend of the change and the hour around the deadline: what a scheduler ticking would see."""
    start = datetime.combine(deadline.date() - 16 * DAY, time(0), tzinfo=UTC)
    coarse = instants(start, deadline + 15 * DAY, 15 * MINUTE)
    sunday = oslo(dst_sunday.year, dst_sunday.month, dst_sunday.day)
    weekend = instants(sunday - DAY, sunday + DAY, MINUTE)
    around_deadline = instants(deadline - 30 * MINUTE, deadline + 30 * MINUTE, MINUTE)
    return sorted({*coarse, *weekend, *around_deadline})


@pytest.mark.parametrize(
    ("deadline", "dst_sunday"),
    [(MARCH, date(2026, 3, 29)), (OCTOBER, date(2026, 10, 25))],
    ids=["spring-forward", "fall-back"],
)
def test_due_tick_by_tick_through_the_whole_period_gives_each_key_once(deadline: datetime, dst_sunday: date) -> None:
    """Every expected key shows up first at its slot, always with the same content, and no slot is
    skipped or doubled; the same instant given in UTC or in Oslo time gives the same answer."""
    plan = CallPlan("dst", deadline)
    people = [KARI, PER, ODA]
    first_seen: dict[str, datetime] = {}
    versions: dict[str, set[tuple[datetime, datetime | None]]] = defaultdict(set)
    for now in tick_moments(deadline, dst_sunday):
        intents = due(plan, people, now)
        assert due(plan, people, now.astimezone(OSLO)) == intents
        assert len(set(keys(intents))) == len(intents)
        assert sum(intent.kind == "digest" for intent in intents) <= 1
        for person in people:  # never two reminders for one contact at once
            assert sum(i.kind == "reminder" and i.contact_id == person.contact_id for i in intents) <= 1
        for intent in intents:
            first_seen.setdefault(intent.key, now)
            versions[intent.key].add((intent.due_at, intent.expires_at))

    slots = reminder_slots(plan)
    expected_reminders = {reminder_key(p, slot.name, "dst"): slot.at for p in people for slot in slots}
    expected_digests = {f"digest:dst:{name}" for name in DST_DIGESTS[deadline]}
    expected_notices = {f"deadline_passed:dst:{p.org_id}:{p.contact_id}" for p in people}
    assert set(first_seen) == set(expected_reminders) | expected_digests | expected_notices
    assert all(len(content) == 1 for content in versions.values()), "a key came back with different content"
    for key, at in expected_reminders.items():
        assert first_seen[key] == at and at.astimezone(OSLO).hour == 9, key
    for key in expected_digests:
        assert first_seen[key].astimezone(OSLO).time() == time(8, 0), key
    for key in expected_notices:
        assert first_seen[key] == deadline


# --- submitted, declined -------------------------------------------------------------------------


def test_an_org_that_submits_between_two_reminders_gets_only_the_first() -> None:
    assert keys(reminders(PLAN, [KARI], D14)) == [reminder_key(KARI, "d14")]
    submitted = replace(KARI, status="submitted")
    assert reminders(PLAN, [submitted], D7) == []
    assert reminders(PLAN, [submitted], D0) == []
    assert deadline_notices(PLAN, [submitted], DEADLINE + HOUR) == []


def test_a_declined_org_gets_nothing_at_all() -> None:
    declined = [replace(KARI, status="declined"), replace(PER, status="declined")]
    for now in instants(D14 - DAY, DEADLINE + 15 * DAY, 15 * MINUTE):
        assert [i for i in due(PLAN, declined, now) if i.kind != "digest"] == []


def test_closing_one_org_does_not_silence_another() -> None:
    people = [replace(KARI, status="submitted"), replace(PER, status="submitted"), ODA]
    assert keys(reminders(PLAN, people, D2)) == [reminder_key(ODA, "d2")]
    assert keys(deadline_notices(PLAN, people, DEADLINE)) == ["deadline_passed:tilskudd-2020:5020:3"]


# --- snooze --------------------------------------------------------------------------------------

SNOOZED_UNTIL = oslo(2020, 8, 17, 10, 30)  # Monday, between the 14-day and the 7-day reminder
SNOOZE_KEY = reminder_key(KARI, "snooze-20200817T1030")


def test_a_snoozed_contact_gets_nothing_before_the_snooze_ends() -> None:
    kari = replace(KARI, snoozed_until=SNOOZED_UNTIL)
    for now in instants(D14, SNOOZED_UNTIL, 15 * MINUTE):
        assert keys(reminders(PLAN, [kari, PER], now)) == [reminder_key(PER, "d14")]


def test_a_snoozed_contact_gets_one_reminder_when_it_ends_and_regular_ones_after() -> None:
    kari = replace(KARI, snoozed_until=SNOOZED_UNTIL)
    at_end = reminders(PLAN, [kari], SNOOZED_UNTIL)
    assert [(i.key, i.due_at, i.expires_at) for i in at_end] == [(SNOOZE_KEY, SNOOZED_UNTIL, D7)]
    assert "snooze-" in at_end[0].key
    # Until the next slot it is the same key, so it goes out once.
    assert keys(reminders(PLAN, [kari], D7 - MINUTE)) == [SNOOZE_KEY]
    assert keys(reminders(PLAN, [kari], D7)) == [reminder_key(KARI, "d7")]
    assert keys(reminders(PLAN, [kari], D2)) == [reminder_key(KARI, "d2")]
    assert keys(reminders(PLAN, [kari], D0)) == [reminder_key(KARI, "d0")]


def test_a_snooze_does_not_touch_other_contacts_of_the_same_org() -> None:
    kari = replace(KARI, snoozed_until=SNOOZED_UNTIL)
    assert keys(reminders(PLAN, [kari, PER], D14)) == [reminder_key(PER, "d14")]
    assert keys(reminders(PLAN, [kari, PER], SNOOZED_UNTIL)) == [SNOOZE_KEY, reminder_key(PER, "d14")]
    assert keys(reminders(PLAN, [kari, PER], D7)) == [reminder_key(KARI, "d7"), reminder_key(PER, "d7")]


def test_a_snooze_over_a_slot_holds_it_back_and_sends_one_instead() -> None:
    until = oslo(2020, 8, 21, 10, 0)  # an hour after the 7-day slot
    kari = replace(KARI, snoozed_until=until)
    assert reminders(PLAN, [kari], D7) == []
    at_end = reminders(PLAN, [kari], until)
    assert [(i.key, i.expires_at) for i in at_end] == [(reminder_key(KARI, "snooze-20200821T1000"), D2)]


def test_a_snooze_ending_exactly_at_a_slot_gives_only_that_slot() -> None:
    kari = replace(KARI, snoozed_until=D7)
    assert keys(reminders(PLAN, [kari], D7)) == [reminder_key(KARI, "d7")]


# --- downtime and the deadline -------------------------------------------------------------------


def test_a_slot_missed_while_down_is_still_sent_later() -> None:
    late = reminders(PLAN, [KARI], D14 + 3 * HOUR)
    assert [(i.key, i.due_at) for i in late] == [(reminder_key(KARI, "d14"), D14)]


def test_after_the_next_slot_only_the_newer_one_is_due() -> None:
    assert keys(reminders(PLAN, [KARI], D7 + MINUTE)) == [reminder_key(KARI, "d7")]
    assert keys(reminders(PLAN, [KARI], D2 + 5 * HOUR)) == [reminder_key(KARI, "d2")]


def test_after_the_deadline_one_notice_per_contact_of_an_org_that_did_not_submit() -> None:
    people = [KARI, PER, ODA, Recipient("5044", 4, "submitted")]
    assert reminders(PLAN, people, DEADLINE) == []
    notices = deadline_notices(PLAN, people, DEADLINE + 3 * HOUR)
    assert [(i.key, i.kind, i.due_at, i.expires_at) for i in notices] == [
        (f"deadline_passed:tilskudd-2020:{p.org_id}:{p.contact_id}", "deadline_passed", DEADLINE, DEADLINE + 14 * DAY)
        for p in (KARI, PER, ODA)
    ]
    assert deadline_notices(PLAN, people, DEADLINE - MINUTE) == []
    assert len(deadline_notices(PLAN, people, DEADLINE + 14 * DAY - MINUTE)) == 3
    assert deadline_notices(PLAN, people, DEADLINE + 14 * DAY) == []
    assert [i for i in due(PLAN, people, DEADLINE + HOUR) if i.kind == "reminder"] == []


# --- digests -------------------------------------------------------------------------------------

AUGUST_WEEKDAYS = [14, 17, 18, 19, 20, 21, 24, 25, 26, 27, 28]


def test_digests_every_weekday_at_eight_from_14_days_before_and_the_morning_after() -> None:
    slots = digest_slots(PLAN)
    assert [(slot.name, slot.at) for slot in slots] == [
        *((f"2020-08-{day:02d}", oslo(2020, 8, day, 8)) for day in AUGUST_WEEKDAYS),
        ("2020-08-31-after", oslo(2020, 8, 31, 8)),  # Friday's deadline: Monday morning
    ]
    assert all(slot.at.weekday() < 5 for slot in slots)


def test_a_digest_is_due_at_its_slot_and_the_weekend_adds_none() -> None:
    assert digests(PLAN, oslo(2020, 8, 14, 7, 59)) == []
    friday = digests(PLAN, oslo(2020, 8, 21, 8))
    assert [(i.key, i.due_at, i.expires_at) for i in friday] == [
        ("digest:tilskudd-2020:2020-08-21", oslo(2020, 8, 21, 8), oslo(2020, 8, 24, 8))
    ]
    weekend = {
        key for now in instants(oslo(2020, 8, 22), oslo(2020, 8, 24), 15 * MINUTE) for key in keys(digests(PLAN, now))
    }
    assert weekend == {"digest:tilskudd-2020:2020-08-21"}


def test_the_digest_after_the_deadline_goes_out_on_the_first_weekday_morning() -> None:
    assert keys(digests(PLAN, oslo(2020, 8, 30, 12))) == ["digest:tilskudd-2020:2020-08-28"]
    after = digests(PLAN, oslo(2020, 8, 31, 8))
    assert [(i.key, i.expires_at) for i in after] == [("digest:tilskudd-2020:2020-08-31-after", oslo(2020, 8, 31, 20))]
    assert digests(PLAN, oslo(2020, 8, 31, 20)) == []


def test_a_custom_digest_schedule_is_honoured() -> None:
    plan = CallPlan("c", DEADLINE, digest={"from_days": 3, "at": "07:30", "after_deadline": False})
    assert [(slot.name, slot.at) for slot in digest_slots(plan)] == [
        (f"2020-08-{day:02d}", oslo(2020, 8, day, 7, 30)) for day in (25, 26, 27, 28)
    ]
    assert digests(plan, oslo(2020, 8, 25, 7, 29)) == []
    assert keys(digests(plan, oslo(2020, 8, 25, 7, 30))) == ["digest:c:2020-08-25"]
    assert digests(plan, oslo(2020, 8, 31, 8)) == []
    assert digests(plan, oslo(2020, 9, 1, 7, 30)) == []


# --- properties ----------------------------------------------------------------------------------

deadlines = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31, 23, 59), timezones=st.just(OSLO)
)
reminder_days = st.sets(st.integers(min_value=0, max_value=30), max_size=12).map(tuple)
clock_times = st.builds(time, hour=st.integers(0, 23), minute=st.integers(0, 59))


def windows(slots: list[Slot], end: datetime) -> list[tuple[Slot, datetime]]:
    return [(slot, slots[n + 1].at if n + 1 < len(slots) else end) for n, slot in enumerate(slots)]


@settings(max_examples=300, deadline=None)
@given(deadline=deadlines, days=reminder_days, at=clock_times, offset=st.integers(-32 * 24 * 60, 24 * 60))
def test_slots_are_weekdays_before_the_deadline_at_the_local_time_and_increasing(
    deadline: datetime, days: tuple[int, ...], at: time, offset: int
) -> None:
    plan = CallPlan("prop", deadline, reminder_days=days, reminder_time=at)
    slots = reminder_slots(plan)
    instants_utc = [slot.at.astimezone(UTC) for slot in slots]
    for slot in slots:
        local = slot.at.astimezone(OSLO)
        assert local.weekday() < 5
        assert local.time() == at
        assert instants_utc[slots.index(slot)] < deadline.astimezone(UTC)
        assert slot.name in {f"d{d}" for d in days}
    assert all(a < b for a, b in pairwise(instants_utc))
    assert len({slot.at.date() for slot in slots}) == len(slots)

    now = deadline.astimezone(UTC) + timedelta(minutes=offset)
    containing = [(slot, until) for slot, until in windows(slots, deadline) if slot.at <= now < until]
    assert len(containing) <= 1
    assert current(slots, now, deadline) == (containing[0] if containing else None)
    assert len(reminders(plan, [KARI], now)) <= 1


@settings(max_examples=200, deadline=None)
@given(deadline=deadlines, from_days=st.integers(0, 30), at=clock_times, after=st.booleans())
def test_digest_slots_are_weekdays_at_the_local_time_and_increasing(
    deadline: datetime, from_days: int, at: time, after: bool
) -> None:
    plan = CallPlan("prop", deadline, digest={"from_days": from_days, "at": f"{at:%H:%M}", "after_deadline": after})
    slots = digest_slots(plan)
    local = [slot.at.astimezone(OSLO) for slot in slots]
    assert all(moment.weekday() < 5 and moment.time() == at for moment in local)
    assert all(a.astimezone(UTC) < b.astimezone(UTC) for a, b in pairwise(local))
    before = [slot for slot in slots if not slot.name.endswith("-after")]
    assert all(slot.at.astimezone(UTC) < deadline.astimezone(UTC) for slot in before)
    assert all(slot.at.date() >= deadline.date() - timedelta(days=from_days) for slot in before)
    assert len(slots) - len(before) == (1 if after else 0)


# --- once bugs, kept as regressions ------------------------------------------------------------


def test_the_same_instant_in_oslo_time_or_utc_gives_the_same_answer_in_the_repeated_hour() -> None:
    deadline = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=OSLO)  # the second 02:30, 01:30 UTC
    plan = CallPlan("c", deadline, reminder_days=(3,))
    now = datetime(2026, 10, 25, 2, 45, fold=0, tzinfo=OSLO)  # the first 02:45, 00:45 UTC
    assert now.astimezone(UTC) < deadline.astimezone(UTC)
    assert keys(reminders(plan, [KARI], now.astimezone(UTC))) == [reminder_key(KARI, "d3", "c")]
    assert keys(reminders(plan, [KARI], now)) == [reminder_key(KARI, "d3", "c")]
