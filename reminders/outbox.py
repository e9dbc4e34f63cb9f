"""The outbox: write each intended message once under its key, claim due rows, record the outcome."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from models import OutboxMessage, OutboxStatus
from reminders.policy import Intent

STALE_CLAIM = timedelta(minutes=5)
BATCH = 500


def enqueue(session: Session, intents: Iterable[Intent], now: datetime) -> int:
    """Insert the intents whose key is new; a key already there (sent or not) is left alone."""
    rows = [
        {
            "key": i.key,
            "kind": i.kind,
            "call_id": i.call_id,
            "org_id": i.org_id,
            "contact_id": i.contact_id,
            "data": i.data,
            "status": OutboxStatus.pending,
            "due_at": i.due_at,
            "expires_at": i.expires_at,
            "attempts": 0,
            "created_at": now,
        }
        for i in intents
    ]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    written = 0
    for start in range(0, len(rows), BATCH):  # a database takes only so many parameters in one statement
        statement = insert(OutboxMessage).values(rows[start : start + BATCH])
        statement = statement.on_conflict_do_nothing(index_elements=["key"]).returning(col(OutboxMessage.id))
        written += len(session.execute(statement).all())
    return written


def claim(engine: Engine, worker: str, now: datetime, limit: int) -> list[OutboxMessage]:
    """Take up to `limit` due rows for this worker. Safe with several workers: PostgreSQL skips rows
    another transaction holds (FOR UPDATE SKIP LOCKED), and the update only takes rows still pending."""
    with Session(engine, expire_on_commit=False) as session:
        stale = now - STALE_CLAIM
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
