"""The delivery worker: sends due outbox rows, paced, and records what happened to each.

A row is given up only after repeated failure (the next digest reports it). A 429 pauses every
send for its Retry-After and puts the row back without counting an attempt.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, or_
from sqlmodel import Session, col, select

from intake.standing import CLOSED
from models import OutboxKind, OutboxMessage, OutboxStatus, Snooze, Submission
from models.clock import Clock
from reminders.notifier import Delivery, Notifier
from reminders.outbox import LEASE, claim, finish, retry_later
from reminders.rate import RateLimiter

log = logging.getLogger("frist.outbox")


@dataclass(frozen=True)
class WorkerSettings:
    per_minute: float = 300.0
    per_channel_per_second: float = 1.0
    max_attempts: int = 5
    backoff_seconds: float = 30.0
    batch: int = 50
    lease: timedelta = LEASE

    def backoff(self, row: OutboxMessage) -> timedelta:
        return timedelta(seconds=self.backoff_seconds * 2 ** min(row.attempts, 8))


def channel_key(row: OutboxMessage) -> str:
    if row.kind == OutboxKind.reply:
        return f"user:{row.data.get('user')}"
    return f"contact:{row.contact_id}" if row.contact_id is not None else f"secretariat:{row.call_id}"


class Worker:
    def __init__(
        self,
        engine: Engine,
        notifier: Notifier,
        clock: Clock,
        name: str,
        settings: WorkerSettings | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.engine, self.notifier, self.clock, self.name = engine, notifier, clock, name
        self.settings = settings or WorkerSettings()
        self.limiter = limiter or RateLimiter(self.settings.per_minute, self.settings.per_channel_per_second)

    def run_once(self) -> int:
        """Claim one batch of due rows and deal with each; returns how many were sent."""
        rows = claim(self.engine, self.name, self.clock(), self.settings.batch, self.settings.lease)
        sent = 0
        for index, row in enumerate(rows):
            try:
                outcome = self._handle(row)
            except Exception:  # one bad row never stops the batch
                log.exception("outbox row %s (%s) failed", row.id, row.key)
                outcome = "error"
                retry_later(self.engine, row, self.clock() + self.settings.backoff(row), "internal error", True)
            if outcome == "sent":
                sent += 1
            elif outcome == "rate_limited":
                for rest in rows[index + 1 :]:
                    retry_later(self.engine, rest, self.clock(), "rate limited", count_attempt=False)
                break
        return sent

    def run_until_idle(self, max_rounds: int = 1_000_000) -> int:
        total = 0
        for _ in range(max_rounds):
            before = total
            total += self.run_once()
            if total == before and not self._anything_due():
                break
        return total

    def _anything_due(self) -> bool:
        now = self.clock()
        with Session(self.engine) as session:
            query = select(OutboxMessage.id).where(
                OutboxMessage.status == OutboxStatus.pending,
                OutboxMessage.due_at <= now,
                or_(col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= now),
            )
            return session.exec(query.limit(1)).first() is not None

    def _handle(self, row: OutboxMessage) -> str:
        now = self.clock()
        if row.expires_at is not None and now >= row.expires_at:
            finish(self.engine, row, OutboxStatus.expired, now, "no longer makes sense")
            return "expired"
        if self._no_longer_wanted(row, now):
            finish(self.engine, row, OutboxStatus.cancelled, now)
            return "cancelled"
        self.limiter.wait(channel_key(row))
        delivery = self.notifier.deliver(row)
        if delivery.retry_after is not None:
            self.limiter.pause(delivery.retry_after)
        return settle(self.engine, row, delivery, self.clock(), self.settings)

    def _no_longer_wanted(self, row: OutboxMessage, now: datetime) -> bool:
        """A reminder whose org has submitted or declined since it was queued, or whose contact snoozed."""
        if row.kind not in (OutboxKind.reminder, OutboxKind.deadline_passed) or row.org_id is None:
            return False
        with Session(self.engine) as session:
            submission = session.exec(
                select(Submission).where(Submission.call_id == row.call_id, Submission.org_id == row.org_id)
            ).first()
            if submission is not None and submission.status in CLOSED:
                return True
            if row.kind == OutboxKind.reminder and row.contact_id is not None:
                snooze = session.get(Snooze, (row.contact_id, row.call_id))
                return snooze is not None and snooze.until > now
        return False


def settle(engine: Engine, row: OutboxMessage, delivery: Delivery, now: datetime, settings: WorkerSettings) -> str:
    """Record the outcome of one attempt to send a claimed row; returns what happened."""
    if delivery.ok:
        finish(engine, row, OutboxStatus.sent, now)
        return "sent"
    if delivery.retry_after is not None:
        at = now + timedelta(seconds=delivery.retry_after)
        retry_later(engine, row, at, "rate limited", False, delivery.progress)
        return "rate_limited"
    if delivery.permanent or row.attempts + 1 >= settings.max_attempts:
        log.error("giving up on %s after %d attempts: %s", row.key, row.attempts + 1, delivery.error)
        finish(engine, row, OutboxStatus.failed, now, delivery.error)
        return "failed"
    retry_later(engine, row, now + settings.backoff(row), delivery.error or "failed", True, delivery.progress)
    return "retry"
