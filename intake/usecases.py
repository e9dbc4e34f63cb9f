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
from sqlmodel import Session, col, select

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
        self.session.add(self.submission)
        self.session.flush()
        self.conversation.seen_version = self.submission.version
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


def _locked_submission(session: Session, call_id: str, org_id: str) -> Submission | None:
    query = select(Submission).where(Submission.call_id == call_id, Submission.org_id == org_id)
    return session.exec(query.with_for_update()).first()


def _get_or_create(session: Session, contact: Contact, call: Call, now: datetime) -> tuple[Submission, bool]:
    existing = _locked_submission(session, call.id, contact.org_id)
    if existing is not None:
        return existing, False
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
        found = _locked_submission(session, call.id, contact.org_id)
        assert found is not None
        return found, False
    return submission, True


def load(session: Session, contact: Contact, call_id: str, now: datetime) -> Draft:
    """The contact's draft in a call, created on first use; refused if the org is not in the call."""
    call = session.get(Call, call_id)
    if call is None or session.get(Eligibility, (call_id, contact.org_id)) is None:
        raise IntakeRefusal("not_eligible", call_id=call_id)
    if now < call.opens:
        raise IntakeRefusal("not_open_yet", call=call)
    org = session.get(Organisation, contact.org_id)
    assert org is not None and contact.id is not None
    submission, created = _get_or_create(session, contact, call, now)
    assert submission.id is not None
    conversation = session.get(Conversation, (contact.id, submission.id))
    fresh = conversation is None
    if conversation is None:
        conversation = Conversation(
            contact_id=contact.id, submission_id=submission.id, seen_version=submission.version, updated_at=now
        )
    context = call_context(session, call, org.id, org)
    draft = Draft(session, contact, org, call, submission, conversation, form_of(call), context, now, fresh)
    if created:
        draft.audit("start")
    return draft


def _closed_notice(draft: Draft) -> Notice:
    if draft.submission.status not in EDITABLE:
        return Notice("already_submitted", {"submission": draft.submission})
    return Notice("deadline_passed", {"call": draft.call})


def open_submission(session: Session, contact: Contact, call_id: str, now: datetime) -> Turn:
    """Start the org's draft or resume it where this contact left off."""
    return _open(load(session, contact, call_id, now))


def _open(draft: Draft) -> Turn:
    if draft.submission.status == SubmissionStatus.declined and is_open(draft.call, draft.now):
        draft.submission.status = SubmissionStatus.draft  # they said no, and have changed their mind
        draft.audit("undecline")
    if not draft.editable:
        return draft.finish((_closed_notice(draft),))
    outcome = engine.start(draft.spec, draft.state, draft.context)
    draft.conversation.position = outcome.state.position
    status = engine.progress(draft.spec, draft.submission.answers, draft.context)
    kind = "resumed" if draft.submission.answers else "started"
    return draft.finish((Notice(kind, {"call": draft.call, "status": status}), *outcome.replies))


def answer(
    session: Session, contact: Contact, call_id: str, text: str, now: datetime, expected_position: str | None = None
) -> Turn:
    """One line typed by the contact (or a button pressed at `expected_position`). Saved before this returns.

    If another contact of the org saved the draft in between, the update finds a newer version
    (StaleDataError); the second attempt then tells this contact what changed instead.
    """
    try:
        return _answer(load(session, contact, call_id, now), text, expected_position)
    except StaleDataError:
        session.rollback()
        return _answer(load(session, contact, call_id, now), text, expected_position)


def _answer(draft: Draft, text: str, expected_position: str | None) -> Turn:
    if draft.fresh:
        return _open(draft)  # the first words to the bot (a greeting) are not an answer to an unseen question
    if draft.submission.status not in EDITABLE and text.strip().casefold() in REOPEN_WORDS:
        return reopen(draft.session, draft.contact, draft.call.id, draft.now)
    if not draft.editable:
        return draft.finish((_closed_notice(draft),))
    if draft.conversation.seen_version != draft.submission.version:
        return _catch_up(draft)
    position = engine.current_position(draft.spec, draft.state, draft.context)
    if expected_position is not None and expected_position != position:
        draft.conversation.position = position
        return draft.finish((Notice("stale_button"), engine.ask(draft.spec, draft.state, draft.context)))
    outcome = engine.step(draft.spec, draft.state, text, draft.context)
    draft.save_answers(outcome.state.answers)
    draft.conversation.position = outcome.state.position
    if outcome.action == "submit":
        return _submit(draft)
    if outcome.action == "pause":
        draft.audit("pause")
    return draft.finish(outcome.replies)


def _catch_up(draft: Draft) -> Turn:
    """Another contact changed the draft since this one last saw it: say what, do not apply the input."""
    changed = changes_since(draft.session, draft.submission, draft.conversation.seen_version)
    touched = {field for change in changed for field in change["fields"]}
    state = draft.state
    if (state.position or "").partition("#")[0] in touched:
        state = engine.State(state.answers, None)  # their question was answered: go to the first open one
    outcome = engine.start(draft.spec, state, draft.context)
    draft.conversation.position = outcome.state.position
    status = engine.progress(draft.spec, state.answers, draft.context)
    return draft.finish((Notice("changed_by_other", {"changes": changed, "status": status}), *outcome.replies))


def changes_since(session: Session, submission: Submission, version: int) -> list[dict[str, Any]]:
    """Who changed which fields after `version`, oldest first."""
    entries = session.exec(
        select(AuditEntry)
        .where(AuditEntry.submission_id == submission.id, AuditEntry.action == "answer")
        .order_by(col(AuditEntry.id))
    ).all()
    changes: list[dict[str, Any]] = []
    for entry in entries:
        if int(entry.detail.get("version", 0)) <= version:
            continue
        who = session.get(Contact, int(entry.actor.removeprefix("contact:")))
        changes.append({"who": who.name if who else entry.actor, "fields": entry.detail["fields"]})
    return changes


def _submit(draft: Draft) -> Turn:
    submission = draft.submission
    submission.status = SubmissionStatus.submitted
    submission.revision += 1
    submission.submitted_by = draft.contact.id
    submission.submitted_at = draft.now
    submission.updated_at = draft.now
    submission.receipt_number = receipt_number(draft.call, submission)
    draft.audit("submit", receipt=submission.receipt_number)
    review = engine.review(draft.spec, submission.answers, draft.context)
    return draft.finish((Submitted(submission.receipt_number, draft.now, review),), submitted=True)


def receipt_number(call: Call, submission: Submission) -> str:
    """The call's case number, the org and how many times it has been submitted: `2019/8140-5052-1`."""
    return f"{call.case_number}-{submission.org_id}-{submission.revision}"


def reopen(session: Session, contact: Contact, call_id: str, now: datetime) -> Turn:
    """Open a submitted submission for changes again; allowed until the deadline."""
    draft = load(session, contact, call_id, now)
    if not is_open(draft.call, now):
        return draft.finish((Notice("deadline_passed", {"call": draft.call}),))
    if draft.submission.status == SubmissionStatus.submitted:
        draft.submission.status = SubmissionStatus.reopened
        draft.submission.updated_at = now
        draft.audit("reopen")
    draft.conversation.position = engine.REVIEW
    return draft.finish((Notice("reopened"), engine.review(draft.spec, draft.submission.answers, draft.context)))


def submit(session: Session, contact: Contact, call_id: str, now: datetime, revision: int) -> Turn | None:
    """Submit from a button. `revision` is the one the button was shown for: a second click of the
    same button finds the submission already past it and does nothing (None)."""
    draft = load(session, contact, call_id, now)
    if draft.submission.revision > revision:
        session.rollback()
        return None
    return answer(session, contact, call_id, "send inn", now)


def decline(session: Session, contact: Contact, call_id: str, now: datetime) -> Turn:
    """The org will not apply this time: no more reminders, and digests show it as declined.
    A submission that is already in stays in."""
    draft = load(session, contact, call_id, now)
    if draft.submission.status in EDITABLE:
        draft.submission.status = SubmissionStatus.declined
        draft.submission.updated_at = now
        draft.audit("decline")
    return draft.finish((Notice("declined", {"call": draft.call, "status": draft.submission.status}),))
