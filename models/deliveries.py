"""Remembering which Slack deliveries (events, interactions) were already handled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.tables import ProcessedDelivery


def claim(engine: Engine, key: str, now: datetime) -> bool:
    """True the first time `key` is seen; False for a retry or a second process seeing it too.

    Claimed before the work is done: a retried delivery never produces a second reply. The answer
    itself is saved by the use case, so a failed reply loses nothing that was typed.
    """
    try:
        with engine.begin() as connection:
            connection.execute(insert(ProcessedDelivery).values(key=key[:200], at=now))
    except IntegrityError:
        return False
    return True


def forget_before(engine: Engine, cutoff: datetime) -> int:
    """Drop keys older than Slack's retry window; returns how many."""
    with Session(engine) as session:
        result = session.exec(delete(ProcessedDelivery).where(ProcessedDelivery.at < cutoff))  # type: ignore[call-overload]
        session.commit()
        return int(result.rowcount or 0)
