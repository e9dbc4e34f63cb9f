"""Announcing a call: one outbox row per contact of every eligible org, so a second `utlys` (or a
restart halfway) never sends anyone the announcement twice."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import Call, Contact
from reminders.outbox import enqueue
from reminders.policy import Intent


def announce(session: Session, call: Call, contacts: list[Contact], now: datetime) -> int:
    """Queue the announcement to `contacts`; returns how many were new (the rest had it already)."""
    intents = [
        Intent(
            key=f"announcement:{call.id}:{contact.id}",
            kind="announcement",
            call_id=call.id,
            due_at=now,
            expires_at=call.deadline,
            org_id=contact.org_id,
            contact_id=contact.id,
        )
        for contact in contacts
    ]
    queued = enqueue(session, intents, now)
    session.commit()
    return queued
