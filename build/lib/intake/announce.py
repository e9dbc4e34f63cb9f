"""Announcing a call: one outbox row per contact of every eligible org, queued and audited in one commit.

Nobody is looked up here: the outbox finds each contact in Slack when it sends, paced, and the
digest names those Slack has no user for. A second announcement (or a restart halfway) never sends
anyone the announcement twice: each row's key names the call and the contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from intake import audit, directory
from models import Call, Intent, OutboxKind, enqueue


@dataclass(frozen=True)
class Announced:
    call: Call
    queued: int  # contacts the announcement is now on its way to
    already: int  # contacts who had it before


def announce_call(session: Session, call_id: str, actor: str, now: datetime) -> Announced | None:
    """Queue the call's announcement to every contact of every eligible org; None for no such call."""
    call = session.get(Call, call_id)
    if call is None:
        return None
    contacts = [contact for _, contact in directory.contacts_of_call(session, call_id)]
    intents = [
        Intent(
            key=f"announcement:{call.id}:{contact.id}",
            kind=OutboxKind.announcement,
            call_id=call.id,
            due_at=now,
            expires_at=call.deadline,
            org_id=contact.org_id,
            contact_id=contact.id,
        )
        for contact in contacts
    ]
    queued = len(enqueue(session, intents, now))
    audit.record(session, actor, "announce", now, call_id=call_id, queued=queued)
    session.commit()
    return Announced(call, queued, len(contacts) - queued)
