"""A contact's draft, loaded for one use case: the org's submission in a call and where this contact
stands in it. Created on first use; every change is committed by `Draft.finish` before any reply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from intake import engine
from intake.calls import form_of, is_open
from intake.replies import Reply
from intake.spec import FormSpec
from models import (
    AuditEntry,
    Call,
    Contact,
    Conversation,
    Eligibility,
    Organisation,
    Submission,
    SubmissionStatus,
)

EDITABLE = (SubmissionStatus.draft, SubmissionStatus.reopened)


class IntakeRefusal(Exception):
    """The contact may not do this now; `kind` names the message, `data` fills it."""

    def __init__(self, kind: str, **data: Any) -> None:
        super().__init__(kind)
        self.kind = kind
        self.data = data


@dataclass(frozen=True)
class Turn:
    """Everything an adapter needs to render one reply to one contact."""

    lang: str
    contact: Contact
    org: Organisation
    call: Call
    form: FormSpec
    submission: Submission
    position: str | None
    replies: tuple[Reply, ...]
    submitted: bool = False


@dataclass
class Draft:
    """A contact's view of the org's submission in one call, loaded for one use case."""

    session: Session
    contact: Contact
    org: Organisation
    call: Call
    submission: Submission
    conversation: Conversation
    spec: FormSpec
    context: engine.Context
    now: datetime
    fresh: bool = False  # this contact has not been shown anything of this submission yet

    @property
    def state(self) -> engine.State:
        return engine.State(self.submission.answers, self.conversation.position)

    @property
    def editable(self) -> bool:
        return self.submission.status in EDITABLE and is_open(self.call, self.now)

    def audit(self, action: str, **detail: Any) -> None:
        self.session.add(
            AuditEntry(
                at=self.now,
                actor=f"contact:{self.contact.id}",
                action=action,
                call_id=self.call.id,
                org_id=self.org.id,
                submission_id=self.submission.id,
                detail=detail,
            )
        )

    def save_answers(self, answers: dict[str, Any]) -> None:
        """Store new answers; fails with StaleDataError if another contact saved in between."""
        if answers == self.submission.answers:
            return
        changed = sorted(
            k for k in set(answers) | set(self.submission.answers) if answers.get(k) != self.submission.answers.get(k)
        )
        self.submission.answers = answers
        self.submission.updated_at = self.now
        self.session.add(self.submission)
        self.session.flush()
        self.audit("answer", fields=changed, version=self.submission.version)

    def finish(self, replies: tuple[Reply, ...], submitted: bool = False) -> Turn:
        """Commit everything and return what to say: nothing is shown before it is stored."""
        # The commit bumps the submission's version once if it has unsaved changes; the contact has seen
        # that version, and the conversation is written in the same flush (one UPDATE, not two).
        pending = self.session.is_modified(self.submission) and self.submission in self.session.dirty
        self.conversation.seen_version = self.submission.version + (1 if pending else 0)
        self.conversation.updated_at = self.now
        self.session.add(self.conversation)
        self.session.commit()
        return Turn(
            self.org.language,
            self.contact,
            self.org,
            self.call,
            self.spec,
            self.submission,
            self.conversation.position,
            replies,
            submitted,
        )


def _locked_submission(
    session: Session, call_id: str, contact: Contact
) -> tuple[Submission, Conversation | None] | None:
    """The org's submission, locked for this transaction on PostgreSQL; this contact's conversation
    comes in the same query, so `session.get(Conversation, ...)` finds it without another one."""
    query = (
        select(Submission, Conversation)
        .outerjoin(
            Conversation,
            and_(col(Conversation.submission_id) == col(Submission.id), col(Conversation.contact_id) == contact.id),
        )
        .where(Submission.call_id == call_id, Submission.org_id == contact.org_id)
        .with_for_update(of=Submission)  # type: ignore[arg-type]
    )
    row = session.exec(query).first()
    return (row[0], row[1]) if row else None


def _get_or_create(
    session: Session, contact: Contact, call: Call, now: datetime
) -> tuple[Submission, Conversation | None, bool]:
    existing = _locked_submission(session, call.id, contact)
    if existing is not None:
        return (*existing, False)
    assert contact.id is not None
    submission = Submission(
        call_id=call.id,
        org_id=contact.org_id,
        kind=call.kind,
        started_by=contact.id,
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(submission)
    except IntegrityError:
        # Another contact of the same org started the draft at the same moment: share theirs.
        found = _locked_submission(session, call.id, contact)
        assert found is not None
        return (*found, False)
    return submission, None, True


def load(session: Session, contact: Contact, call_id: str, now: datetime) -> Draft:
    """The contact's draft in a call, created on first use; refused if the org is not in the call."""
    found = session.exec(
        select(Call, Eligibility, Organisation)
        .join(Eligibility, col(Eligibility.call_id) == col(Call.id))
        .join(Organisation, col(Organisation.id) == col(Eligibility.org_id))
        .where(Call.id == call_id, Eligibility.org_id == contact.org_id)
    ).first()
    if found is None:
        raise IntakeRefusal("not_eligible", call_id=call_id)
    call, eligibility, org = found
    if now < call.opens:
        raise IntakeRefusal("not_open_yet", call=call)
    assert contact.id is not None
    submission, conversation, created = _get_or_create(session, contact, call, now)
    assert submission.id is not None
    fresh = conversation is None
    if conversation is None:
        conversation = Conversation(
            contact_id=contact.id, submission_id=submission.id, seen_version=submission.version, updated_at=now
        )
    context = engine.Context(lang=org.language, frame=eligibility.frame)
    draft = Draft(session, contact, org, call, submission, conversation, form_of(call), context, now, fresh)
    if created:
        draft.audit("start")
    return draft
