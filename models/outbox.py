"""Messages the bot sends on its own, and what recipients asked of them.

Every such message is a row written before it is sent, under a unique key: a restart, a second
instance or a re-run finds the key taken and sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from models.types import JSONDocument, UTCDateTime


class OutboxKind(StrEnum):
    announcement = "announcement"
    reminder = "reminder"
    deadline_passed = "deadline_passed"
    digest = "digest"
    notice = "notice"  # to the secretariat: a submission came in


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
    call_id: str = Field(foreign_key="call.id", index=True, max_length=64)
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
