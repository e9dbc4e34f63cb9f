"""What a recipient asked of the reminders: snooze them for a while."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from intake import audit
from models import Contact, Snooze
from models.clock import OSLO
from reminders.policy import SNOOZE


def snooze(session: Session, contact: Contact, call_id: str, now: datetime) -> datetime:
    """No reminders to this contact for a day (from a Friday: until Monday); then one. Returns when it ends."""
    assert contact.id is not None
    until = now + SNOOZE
    while until.astimezone(OSLO).weekday() >= 5:
        until += SNOOZE
    row = session.get(Snooze, (contact.id, call_id)) or Snooze(contact_id=contact.id, call_id=call_id, until=until)
    row.until = until
    session.add(row)
    audit.record(
        session, f"contact:{contact.id}", "snooze", now, call_id=call_id, org_id=contact.org_id, until=until.isoformat()
    )
    session.commit()
    return until
