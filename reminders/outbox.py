"""The outbox's delivery side: claim due rows under a lease, keep the lease while working, record
the outcome. (Rows are written by `models.outbox.enqueue`, in the transaction of what caused them.)

A claim is a lease: a worker that is alive renews its claims every LEASE / 3 (`renew`, run by
`reminders.lease.LeaseKeeper`), however slow Slack is, so nobody else takes rows it is still
sending; rows of a worker that died are taken over once LEASE has passed without a renewal.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, update
from sqlmodel import Session, col, select

from models import OutboxMessage, OutboxStatus

LEASE = timedelta(seconds=30)


def claim(engine: Engine, worker: str, now: datetime, limit: int, lease: timedelta = LEASE) -> list[OutboxMessage]:
    """Take up to `limit` due rows for this worker, after putting back the rows of workers whose
    lease ran out. Safe with several workers: PostgreSQL skips rows another transaction holds
    (FOR UPDATE SKIP LOCKED), and the update only takes rows still pending."""
    with Session(engine, expire_on_commit=False) as session:
        stale = now - lease
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.status) == OutboxStatus.sending, col(OutboxMessage.claimed_at) < stale)
            .values(status=OutboxStatus.pending)
        )
        due = (
            select(OutboxMessage.id)
            .where(
                col(OutboxMessage.status) == OutboxStatus.pending,
                col(OutboxMessage.due_at) <= now,
                or_(col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= now),
            )
            .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = list(session.exec(due).all())
        if not ids:
            session.commit()
            return []
        claimed = session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids), col(OutboxMessage.status) == OutboxStatus.pending)
            .values(status=OutboxStatus.sending, claimed_by=worker, claimed_at=now)
            .returning(OutboxMessage)
        ).all()
        session.commit()
        rows = [row[0] if not isinstance(row, OutboxMessage) else row for row in claimed]
        return sorted(rows, key=lambda row: (row.due_at, row.id or 0))


def renew(engine: Engine, worker: str, now: datetime) -> int:
    """Extend the lease on every row this worker holds; returns how many."""
    with Session(engine) as session:
        result = session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.status) == OutboxStatus.sending, col(OutboxMessage.claimed_by) == worker)
            .values(claimed_at=now)
        )
        session.commit()
        return int(result.rowcount or 0)


def finish(engine: Engine, row: OutboxMessage, status: OutboxStatus, now: datetime, error: str | None = None) -> None:
    with Session(engine) as session:
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == row.id)
            .values(
                status=status,
                sent_at=now if status == OutboxStatus.sent else None,
                last_error=error[:500] if error else None,
                claimed_by=None,
            )
        )
        session.commit()


def retry_later(
    engine: Engine,
    row: OutboxMessage,
    at: datetime,
    error: str,
    count_attempt: bool,
    progress: dict[str, Any] | None = None,
) -> None:
    """Back to pending until `at`. A 429 does not count as an attempt; a failure does. `progress`
    (what a part-way attempt had already sent) is kept in the row's data for the next attempt."""
    values: dict[str, Any] = {
        "status": OutboxStatus.pending,
        "next_attempt_at": at,
        "last_error": error[:500],
        "claimed_by": None,
        "attempts": OutboxMessage.attempts + (1 if count_attempt else 0),
    }
    if progress:
        values["data"] = {**row.data, "progress": progress}
    with Session(engine) as session:
        session.execute(update(OutboxMessage).where(col(OutboxMessage.id) == row.id).values(**values))
        session.commit()


def keep_progress(engine: Engine, row: OutboxMessage, progress: dict[str, Any]) -> None:
    """Store what an attempt has sent so far while it still goes on, so that a process that dies
    part-way leaves the next attempt (another worker's, after the lease) to carry on from there."""
    with Session(engine) as session:
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == row.id, col(OutboxMessage.status) == OutboxStatus.sending)
            .values(data={**row.data, "progress": progress})
        )
        session.commit()
