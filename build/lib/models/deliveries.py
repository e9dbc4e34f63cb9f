"""Remembering which Slack deliveries (events, interactions) were already handled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from models.tables import ProcessedDelivery

_INSERT = insert(ProcessedDelivery)


class AlreadyHandled(Exception):
    """This delivery was handled before: a retry, or another process got it first."""


def record(connection: Connection, key: str, now: datetime) -> None:
    """Record `key` in the caller's transaction, so it is stored together with the work it did.

    Raises AlreadyHandled if it is there already; on PostgreSQL the transaction must then be
    rolled back. A second delivery arriving while the first is still at work waits on the key
    until the first commits or rolls back.
    """
    try:
        connection.execute(_INSERT, {"key": key[:200], "at": now})
    except IntegrityError as error:
        raise AlreadyHandled(key) from error


def claim(engine: Engine, key: str, now: datetime) -> bool:
    """True the first time `key` is seen; False for a retry or a second process seeing it too.

    Claimed on its own, before the work is done: a retried delivery never produces a second reply.
    """
    try:
        with engine.begin() as connection:
            record(connection, key, now)
    except AlreadyHandled:
        return False
    return True


def forget_before(engine: Engine, cutoff: datetime) -> int:
    """Drop keys older than Slack's retry window; returns how many."""
    with Session(engine) as session:
        result = session.exec(delete(ProcessedDelivery).where(col(ProcessedDelivery.at) < cutoff))
        session.commit()
        return int(result.rowcount or 0)
