"""The tick: compute from the database what is due now and put it in the outbox.

Run by the scheduler every minute, by `frist reminders preview` without writing anything. Each call
is handled on its own: one bad call never stops the others.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from intake.standing import Standing
from models import Call, Contact, Eligibility, Intent, OutboxMessage, Snooze, Submission, enqueue
from reminders.policy import DEADLINE_NOTICE_VALID, DEFAULT_DAYS, CallPlan, Recipient, due, parse_time

log = logging.getLogger("frist.reminders")
TICK_LOCK = 724_133_001  # any constant shared by every Frist process


def plan_of(call: Call) -> CallPlan:
    return CallPlan(
        call_id=call.id,
        deadline=call.deadline,
        reminder_days=tuple(call.reminders) if call.reminders is not None else DEFAULT_DAYS,
        reminder_time=parse_time(call.reminder_time or "09:00"),
        digest=dict(call.digest or {}),
    )


def recipients_of(session: Session, call: Call) -> list[Recipient]:
    statuses = {s.org_id: s.status for s in session.exec(select(Submission).where(Submission.call_id == call.id)).all()}
    snoozes = {s.contact_id: s.until for s in session.exec(select(Snooze).where(Snooze.call_id == call.id)).all()}
    rows = session.exec(
        select(Contact)
        .join(Eligibility, col(Eligibility.org_id) == col(Contact.org_id))
        .where(Eligibility.call_id == call.id)
        .order_by(col(Contact.org_id), col(Contact.id))
    ).all()
    return [
        Recipient(c.org_id, c.id, statuses.get(c.org_id, Standing.not_started), snoozes.get(c.id))
        for c in rows
        if c.id is not None
    ]


def active_calls(session: Session, now: datetime) -> list[Call]:
    """Calls that have opened and whose deadline is not long past."""
    calls = session.exec(select(Call).where(col(Call.opens) <= now).order_by(col(Call.deadline))).all()
    return [call for call in calls if now < call.deadline + DEADLINE_NOTICE_VALID]


def call_intents(session: Session, call: Call, now: datetime) -> list[Intent]:
    return due(plan_of(call), recipients_of(session, call), now)


def intents_at(session: Session, now: datetime) -> list[Intent]:
    intents: list[Intent] = []
    for call in active_calls(session, now):
        try:
            intents += call_intents(session, call, now)
        except Exception:
            log.exception("could not plan messages for call %s", call.id)
    return intents


@dataclass(frozen=True)
class Preview:
    intent: Intent
    already: str | None  # the outbox status if the key is there already


def preview(engine: Engine, at: datetime) -> list[Preview]:
    """Every message that would go out at `at`, and which of them the outbox already holds."""
    with Session(engine) as session:
        intents = intents_at(session, at)
        keys = [intent.key for intent in intents]
        query = select(OutboxMessage.key, OutboxMessage.status).where(col(OutboxMessage.key).in_(keys))
        known = {key: status for key, status in session.exec(query).all()}
    return [Preview(intent, known.get(intent.key)) for intent in intents]


@contextmanager
def tick_lock(engine: Engine) -> Iterator[bool]:
    """Only one process ticks at a time: a PostgreSQL advisory lock. SQLite has one writer anyway,
    and the outbox keys keep a second tick from adding anything twice."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as connection:
        acquired = bool(connection.execute(sa_select(func.pg_try_advisory_lock(TICK_LOCK))).scalar())
        try:
            yield acquired
        finally:
            if acquired:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": TICK_LOCK})
            connection.commit()


def tick(engine: Engine, now: datetime) -> int:
    """Fill the outbox with what is due; returns how many new rows were written."""
    with tick_lock(engine) as acquired:
        if not acquired:
            log.debug("another process is ticking")
            return 0
        written = 0
        with Session(engine) as session:
            for call in active_calls(session, now):
                try:
                    written += len(enqueue(session, call_intents(session, call, now), now))
                    session.commit()
                except Exception:
                    session.rollback()
                    log.exception("could not queue messages for call %s", call.id)
        return written
