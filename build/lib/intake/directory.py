"""Who is who: contacts by Slack user or e-mail, and the calls an org takes part in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from intake.calls import is_open
from intake.standing import OrgStanding, Standing, org_call_standings
from models import Call, Contact, Conversation, Eligibility, Organisation, Submission


def contact_by_slack_user(session: Session, user_id: str) -> Contact | None:
    return session.exec(select(Contact).where(Contact.slack_user_id == user_id)).first()


def contact_by_email(session: Session, email: str) -> Contact | None:
    return session.exec(select(Contact).where(func.lower(Contact.email) == email.strip().lower())).first()


def remember_slack_user(session: Session, contact: Contact, user_id: str) -> Contact:
    """Store the Slack user found for a contact, so the lookup happens once. The caller commits."""
    contact.slack_user_id = user_id
    session.add(contact)
    return contact


@dataclass(frozen=True)
class OrgCall:
    """One call an org is eligible for, and where the org stands in it."""

    call: Call
    standing: OrgStanding
    open: bool

    @property
    def status(self) -> str:
        return self.standing.status

    @property
    def frame(self) -> int | None:
        return self.standing.frame

    @property
    def answered(self) -> int:
        return self.standing.answered

    @property
    def total(self) -> int:
        return self.standing.total

    @property
    def receipt_number(self) -> str | None:
        return self.standing.receipt_number


def org_calls(session: Session, org: Organisation, now: datetime, only_open: bool = True) -> list[OrgCall]:
    """The calls the org is eligible for (only the open ones, unless told), soonest deadline first."""
    return [
        OrgCall(call, standing, is_open(call, now))
        for call, standing in org_call_standings(session, org.id)
        if not only_open or is_open(call, now)
    ]


@dataclass(frozen=True)
class PickedCall:
    """The calls of one kind an org may answer now, and the one meant (None when it is unclear)."""

    calls: list[OrgCall]
    call_id: str | None


def pick_call(open_calls: list[OrgCall], kind: str, asked: str) -> PickedCall:
    """The call `/frist søk [CALL]` or `/frist rapport [CALL]` means, of the org's `open_calls`: the
    one named, else the only one of that kind."""
    calls = [item for item in open_calls if item.call.kind == kind]
    return PickedCall(calls, asked or (calls[0].call.id if len(calls) == 1 else None))


def active_call(session: Session, contact: Contact, now: datetime) -> Call | None:
    """The call this contact was last talking about, if it is still open; else the only open one."""
    assert contact.id is not None
    recent = session.exec(
        select(Call)
        .join(Submission, col(Submission.call_id) == col(Call.id))
        .join(Conversation, col(Conversation.submission_id) == col(Submission.id))
        .where(Conversation.contact_id == contact.id)
        .order_by(col(Conversation.updated_at).desc())
    ).first()
    if recent is not None and is_open(recent, now):
        return recent
    org = session.get(Organisation, contact.org_id)
    assert org is not None
    open_calls = [item for item in org_calls(session, org, now) if item.standing.standing != Standing.submitted]
    return open_calls[0].call if len(open_calls) == 1 else None


def contacts_of_call(session: Session, call_id: str) -> list[tuple[Organisation, Contact]]:
    """Every contact of every eligible org, for announcements."""
    return list(
        session.exec(
            select(Organisation, Contact)
            .join(Eligibility, col(Eligibility.org_id) == col(Organisation.id))
            .join(Contact, col(Contact.org_id) == col(Organisation.id))
            .where(Eligibility.call_id == call_id)
            .order_by(col(Organisation.name), col(Contact.name))
        ).all()
    )
