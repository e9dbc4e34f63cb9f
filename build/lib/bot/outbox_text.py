"""The text of an outbox message to a contact (announcement, reminder, deadline notice), in the
language form of the contact's organisation: what Slack gets and what `frist reminders preview` shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.render import render
from intake.standing import org_standing
from models import Call, Contact, Organisation, OutboxKind

TEMPLATES = {
    OutboxKind.announcement: "announcement",
    OutboxKind.reminder: "reminder",
    OutboxKind.deadline_passed: "deadline_notice",
}


@dataclass(frozen=True)
class ContactText:
    lang: str
    status: str  # the org's standing in the call (intake.standing): not_started, draft, ...
    text: str


def contact_text(
    session: Session,
    kind: str,
    call: Call,
    contact: Contact,
    org: Organisation,
    now: datetime,
    secretariat_email: str | None,
    flavour: str = "plain",
) -> ContactText:
    standing = org_standing(session, call, org.id)
    status, progress = standing.status, standing.progress
    text = render(
        org.language,
        TEMPLATES[OutboxKind(kind)],
        flavour,
        call=call,
        org=org,
        contact=contact,
        status=status,
        progress=progress,
        now=now,
        secretariat_email=secretariat_email,
    )
    return ContactText(org.language, status, text)
