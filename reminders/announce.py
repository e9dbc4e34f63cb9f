"""A call's announcement, queued in the outbox like the scheduled messages: one row per contact, so a
second `utlys` or a restart halfway never sends anyone the announcement twice."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import Call, Contact, Intent, enqueue


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
    queued = len(enqueue(session, intents, now))
    session.commit()
    return queued
