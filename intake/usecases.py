"""Use cases: start or resume, answer, submit and reopen a submission for a contact.

Each function runs in the caller's session and commits before it returns, so an answer is
durable before the next question is shown. What to say comes back as data (a Turn).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from intake import engine
from intake.calls import call_context, form_of, is_open
from intake.replies import Notice, Reply, Review
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
REOPEN_WORDS = ("gjenåpne", "gjenopne", "opne att", "opne igjen", "åpne igjen")


class IntakeRefusal(Exception):
    """The contact may not do this now; `kind` names the message, `data` fills it."""

    def __init__(self, kind: str, **data: Any) -> None:
        super().__init__(kind)
        self.kind = kind
        self.data = data


@dataclass(frozen=True)
class Submitted(Reply):
    template = "submitted"
    receipt_number: str
    submitted_at: datetime
    review: Review


@dataclass(frozen=True)
class Turn:
    """Everything an adapter needs to render one reply to one contact."""

    lang: str
    contact: Contact
    org: Organisation
    call: Call
    form: FormSpec
    submission: Submission
    replies: tuple[Reply, ...]
    submitted: bool = False


def _org(session: Session, contact: Contact) -> Organisation:
    org = session.get(Organisation, contact.org_id)
    assert org is not None, "contact.org_id is a foreign key"
    return org


def _audit(session: Session, contact: Contact, action: str, submission: Submission, now: datetime,
           **detail: Any) -> None:
    session.add(
        AuditEntry(
            at=now,
            actor=f"contact:{contact.id}",
            action=action,
            call_id=submission.call_id,
            org_id=submission.org_id,
            submission_id=submission.id,
            detail=detail,
        )
    )


def _locked_submission(session: Session, call_id: str, org_id: str) -> Submission | None:
    query = select(Submission).where(Submission.call_id == call_id, Submission.org_id == org_id)
    return session.exec(query.with_for_update()).first()


def _get_or_create(session: Session, contact: Contact, call: Call, now: datetime) -> Submission:
    existing = _locked_submission(session, call.id, contact.org_id)
    if existing is not None:
        return existing
    submission = Submission(
        call_id=call.id, org_id=contact.org_id, kind=call.kind, started_by=contact.id,
        created_at=now, updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(submission)
    except IntegrityError:
        # Another contact of the same org started the draft at the same moment: share theirs.
        found = _locked_submission(session, call.id, contact.org_id)
        assert found is not None
        return found
    _audit(session, contact, "start", submission, now)
    return submission


def _conversation(session: Session, contact: Contact, submission: Submission, now: datetime) -> Conversation:
    assert contact.id is not None and submission.id is not None
    conversation = session.get(Conversation, (contact.id, submission.id))
    if conversation is None:
        conversation = Conversation(
            contact_id=contact.id, submission_id=submission.id, seen_version=submission.version,
            updated_at=now,
        )
        session.add(conversation)
    return conversation


def _checked_call(session: Session, contact: Contact, call_id: str, now: datetime) -> Call:
    call = session.get(Call, call_id)
    if call is None or session.get(Eligibility, (call_id, contact.org_id)) is None:
        raise IntakeRefusal("not_eligible", call_id=call_id)
    if now < call.opens:
        raise IntakeRefusal("not_open_yet", call=call)
    return call


def _turn(session: Session, contact: Contact, call: Call, submission: Submission,
          replies: tuple[Reply, ...], submitted: bool = False) -> Turn:
    org = _org(session, contact)
    return Turn(org.language, contact, org, call, form_of(call), submission, replies, submitted)


def open_submission(session: Session, contact: Contact, call_id: str, now: datetime) -> Turn:
    """Start the org's draft or resume it where this contact left off."""
    call = _checked_call(session, contact, call_id, now)
    submission = _get_or_create(session, contact, call, now)
    conversation = _conversation(session, contact, submission, now)
    spec, context = form_of(call), call_context(session, call, contact.org_id, _org(session, contact))
    if submission.status not in EDITABLE:
        replies: tuple[Reply, ...] = (Notice("already_submitted", {"submission": submission}),)
    elif not is_open(call, now):
        replies = (Notice("deadline_passed", {"call": call}),)
    else:
        outcome = engine.start(spec, engine.State(submission.answers, conversation.position), context)
        conversation.position = outcome.state.position
        kind = "resumed" if submission.answers else "started"
        replies = (Notice(kind, {"call": call, "status": engine.progress(spec, submission.answers, context)}),
                   *outcome.replies)
    session.flush()
    conversation.seen_version = submission.version
    conversation.updated_at = now
    session.commit()
    return _turn(session, contact, call, submission, replies)


def answer(session: Session, contact: Contact, call_id: str, text: str, now: datetime) -> Turn:
    """One line typed by the contact. Saved before this returns.

    If another contact of the org saved the draft in between, the update finds a newer version
    (StaleDataError); the second attempt then tells this contact what changed instead.
    """
    try:
        return _answer(session, contact, call_id, text, now)
    except StaleDataError:
        session.rollback()
        return _answer(session, contact, call_id, text, now)


def _answer(session: Session, contact: Contact, call_id: str, text: str, now: datetime) -> Turn:
    call = _checked_call(session, contact, call_id, now)
    submission = _get_or_create(session, contact, call, now)
    conversation = _conversation(session, contact, submission, now)
    if submission.status not in EDITABLE:
        if text.strip().casefold() in REOPEN_WORDS:
            return reopen(session, contact, call_id, now)
        return _finish(session, contact, call, submission, conversation, now,
                       (Notice("already_submitted", {"submission": submission}),))
    if not is_open(call, now):
        return _finish(session, contact, call, submission, conversation, now,
                       (Notice("deadline_passed", {"call": call}),))
    spec = form_of(call)
    context = call_context(session, call, contact.org_id, _org(session, contact))
    state = engine.State(submission.answers, conversation.position)
    if conversation.seen_version != submission.version:
        changed = _changed_since(session, submission, conversation.seen_version)
        touched = {field for change in changed for field in change["fields"]}
        if (conversation.position or "").partition("#")[0] in touched:
            state = engine.State(submission.answers, None)  # theirs was answered: go to the first open one
        outcome = engine.start(spec, state, context)
        conversation.position = outcome.state.position
        notice = Notice("changed_by_other", {"changes": changed, "status": engine.progress(spec, state.answers, context)})
        return _finish(session, contact, call, submission, conversation, now, (notice, *outcome.replies))
    outcome = engine.step(spec, state, text, context)
    if outcome.state.answers != submission.answers:
        changed_fields = [key for key in outcome.state.answers
                          if outcome.state.answers.get(key) != submission.answers.get(key)]
        submission.answers = outcome.state.answers
        submission.updated_at = now
        session.flush()  # bumps submission.version, or fails if another contact got there first
        _audit(session, contact, "answer", submission, now, fields=changed_fields, version=submission.version)
    conversation.position = outcome.state.position
    if outcome.action == "submit":
        return _submit(session, contact, call, submission, conversation, spec, context, now)
    if outcome.action == "pause":
        _audit(session, contact, "pause", submission, now)
    return _finish(session, contact, call, submission, conversation, now, outcome.replies)


def _finish(session: Session, contact: Contact, call: Call, submission: Submission,
            conversation: Conversation, now: datetime, replies: tuple[Reply, ...],
            submitted: bool = False) -> Turn:
    session.add(submission)
    session.flush()
    conversation.seen_version = submission.version
    conversation.updated_at = now
    session.add(conversation)
    session.commit()
    return _turn(session, contact, call, submission, replies, submitted)


def _changed_since(session: Session, submission: Submission, version: int) -> list[dict[str, Any]]:
    """Who changed which fields after `version`, oldest first."""
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.submission_id == submission.id, AuditEntry.action == "answer")
        .order_by(AuditEntry.id)
    ).all()
    changes: list[dict[str, Any]] = []
    for entry in entries:
        if int(entry.detail.get("version", 0)) <= version:
            continue
        contact = session.get(Contact, int(entry.actor.removeprefix("contact:")))
        changes.append({"who": contact.name if contact else entry.actor, "fields": entry.detail["fields"]})
    return changes


def _submit(session: Session, contact: Contact, call: Call, submission: Submission,
            conversation: Conversation, spec: FormSpec, context: engine.Context, now: datetime) -> Turn:
    submission.status = SubmissionStatus.submitted
    submission.revision += 1
    submission.submitted_by = contact.id
    submission.submitted_at = now
    submission.updated_at = now
    submission.receipt_number = receipt_number(call, submission)
    _audit(session, contact, "submit", submission, now, receipt=submission.receipt_number)
    reply = Submitted(submission.receipt_number, now, engine.review(spec, submission.answers, context))
    return _finish(session, contact, call, submission, conversation, now, (reply,), submitted=True)


def receipt_number(call: Call, submission: Submission) -> str:
    """The call's case number, the org and how many times it has been submitted: `2019/8140-5052-1`."""
    return f"{call.case_number}-{submission.org_id}-{submission.revision}"


def reopen(session: Session, contact: Contact, call_id: str, now: datetime) -> Turn:
    """Open a submitted submission for changes again; allowed until the deadline."""
    call = _checked_call(session, contact, call_id, now)
    submission = _get_or_create(session, contact, call, now)
    conversation = _conversation(session, contact, submission, now)
    if not is_open(call, now):
        raise IntakeRefusal("deadline_passed", call=call)
    if submission.status == SubmissionStatus.submitted:
        submission.status = SubmissionStatus.reopened
        submission.updated_at = now
        _audit(session, contact, "reopen", submission, now)
    spec, context = form_of(call), call_context(session, call, contact.org_id, _org(session, contact))
    conversation.position = engine.REVIEW
    review = engine.review(spec, submission.answers, context)
    return _finish(session, contact, call, submission, conversation, now, (Notice("reopened"), review))


def submit(session: Session, contact: Contact, call_id: str, now: datetime) -> Turn:
    """Submit from a button: the same as typing `send inn`."""
    return answer(session, contact, call_id, "send inn", now)
