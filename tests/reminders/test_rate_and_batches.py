"""Pacing makes up briefly for time lost on a slow send; a big call is queued in batches."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, func, select

from models import Intent, OutboxMessage, enqueue
from reminders.rate import RateLimiter
from tests.support.seed import CALL_ID, NOW, seed


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_sends_are_paced_with_at_most_half_a_second_made_up_after_a_pause() -> None:
    """A token bucket holding half a second of sends: after idle time (or a slow send) a few go at
    once, then the pace is the limit again."""
    clock = Clock()
    limiter = RateLimiter(per_minute=600, per_channel_per_second=1, monotonic=clock.monotonic, sleep=clock.sleep)
    for n in range(20):  # 10 a second
        limiter.wait(f"c{n}")
    assert len(clock.slept) == 14 and all(s == 0.1 for s in clock.slept[1:])  # 6 at once, then every 0.1 s
    clock.slept.clear()
    clock.now += 5.0  # a long stall is made up only in part
    for n in range(20):
        limiter.wait(f"d{n}")
    assert len(clock.slept) == 14


def test_the_same_channel_still_waits_a_second_after_a_catch_up() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=600, per_channel_per_second=1, monotonic=clock.monotonic, sleep=clock.sleep)
    limiter.wait("a")
    clock.now += 0.4
    limiter.wait("a")
    assert clock.slept == [0.6]


def test_a_call_with_thousands_of_recipients_is_queued_in_batches(session: Session) -> None:
    seed(session)
    intents = [
        Intent(
            key=f"reminder:{CALL_ID}:x:{n}",
            kind="reminder",
            call_id=CALL_ID,
            due_at=NOW,
            expires_at=NOW + timedelta(days=1),
        )
        for n in range(7_000)  # over PostgreSQL's 65 535 parameters in one statement
    ]
    assert len(enqueue(session, intents, NOW)) == 7_000
    assert enqueue(session, intents, NOW) == []
    session.commit()
    assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 7_000
