"""Messages that follow from something someone did, queued in the outbox like the scheduled ones:
a call's announcement (one row per contact, so a second `utlys` or a restart halfway never sends
anyone the announcement twice) and the secretariat's notice of a submission."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import Call, Contact, SubmissionData
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


def queue_notice(session: Session, submission: SubmissionData, now: datetime) -> None:
    """One notice per time a submission goes in (a resubmission after reopening gets its own)."""
    intent = Intent(
        key=f"notice:{submission.call_id}:{submission.org_id}:{submission.revision}",
        kind="notice",
        call_id=submission.call_id,
        due_at=now,
        expires_at=None,
        org_id=submission.org_id,
        data={"submission_id": submission.id},
    )
    enqueue(session, [intent], now)
    session.commit()
