"""Messages the bot sends, and what recipients asked of them.

Every such message is a row written before it is sent, under a unique key: a restart, a second
instance or a re-run finds the key taken and sends nothing twice. A use case queues what it causes
(a reply, a receipt, the secretariat's notice) with `enqueue` in its own transaction, so what it
changed and what it has to say are stored together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, Session, SQLModel, col

from models.types import JSONDocument, UTCDateTime


class OutboxKind(StrEnum):
    announcement = "announcement"
    reminder = "reminder"
    deadline_passed = "deadline_passed"
    digest = "digest"
    notice = "notice"  # to the secretariat: a submission came in
    reply = "reply"  # the bot's answer to what a contact typed or clicked, rendered when it was stored
    export = "export"  # a call's XLSX export, made when it is sent and uploaded for the secretariat
    letter = "letter"  # a decision letter to an org, one per decision version (`letter:{call}:{org}:v{n}`)
    recommendation = "recommendation"  # the recommendation table, its rows and its chart, for the secretariat
    draft_letter = "draft_letter"  # the letter a recommendation would give, marked as a draft, to the asker's DM
    archive = "archive"  # the archive copy (PDF/A) of a sending-in, made from what the row holds


# The error of a permanent failure to reach a contact the chat service has no user for (looked up
# by e-mail address): the digest names these contacts, so that the secretariat can fix the address.
NO_USER = "no_slack_user"


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"  # claimed by a worker
    sent = "sent"
    failed = "failed"  # gave up after repeated failure; reported in the next digest
    expired = "expired"  # no longer makes sense (a later reminder is due, or the deadline passed)
    cancelled = "cancelled"  # the org submitted or declined before it went out


class OutboxMessage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    kind: OutboxKind = Field(sa_type=String(20), index=True)
    call_id: str | None = Field(default=None, foreign_key="call.id", index=True, max_length=64)
    org_id: str | None = Field(default=None, foreign_key="organisation.id", max_length=32)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDocument)
    status: OutboxStatus = Field(default=OutboxStatus.pending, sa_type=String(20), index=True)
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    claimed_by: str | None = Field(default=None, max_length=100)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Snooze(SQLModel, table=True):
    """A contact asked to be reminded later about a call."""

    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    call_id: str = Field(foreign_key="call.id", primary_key=True, max_length=64)
    until: datetime = Field(sa_type=UTCDateTime)


@dataclass(frozen=True)
class Intent:
    """A message that should exist in the outbox. Its key makes it unique for all time.

    `claimed_by` names a worker that will send it at once (a reply): the row is stored already
    claimed, so no other worker takes it while that one is alive (reminders.outbox has the lease).
    """

    key: str
    kind: str
    call_id: str | None
    due_at: datetime
    expires_at: datetime | None
    org_id: str | None = None
    contact_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    claimed_by: str | None = None


BATCH = 500


def enqueue(session: Session, intents: Iterable[Intent], now: datetime) -> list[int]:
    """Insert the intents whose key is new, in the caller's transaction; returns the new rows' ids.
    A key already there (sent or not) is left alone."""
    rows = [
        {
            "key": i.key,
            "kind": i.kind,
            "call_id": i.call_id,
            "org_id": i.org_id,
            "contact_id": i.contact_id,
            "data": i.data,
            "status": OutboxStatus.sending if i.claimed_by else OutboxStatus.pending,
            "claimed_by": i.claimed_by,
            "claimed_at": now if i.claimed_by else None,
            "due_at": i.due_at,
            "expires_at": i.expires_at,
            "attempts": 0,
            "created_at": now,
        }
        for i in intents
    ]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):  # a database takes only so many parameters in one statement
        statement = (
            insert(OutboxMessage)
            .values(rows[start : start + BATCH])
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(col(OutboxMessage.id))
        )
        ids += [int(row[0]) for row in session.execute(statement).all()]
    return ids
