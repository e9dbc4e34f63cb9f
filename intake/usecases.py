"""Use cases: start or resume, answer, submit and reopen a submission for a contact.

Each function runs in the caller's session and commits before it returns, so an answer is
durable before the next question is shown. What to say comes back as data (a Turn).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from intake import engine
from intake.archive_copy import archive_copy_intent
from intake.calls import is_open
from intake.drafts import Draft, IntakeRefusal, Turn, latest, load
from intake.replies import Notice, NoticeKind, Reply, Review
from intake.requests import NO_REQUEST, Request
from intake.standing import EDITABLE
from intake.text import normalise
from models import AuditEntry, CallData, Contact, ContactData, Intent, OutboxKind, SubmissionData, SubmissionStatus

__all__ = [
    "IntakeRefusal",
    "Request",
    "Submitted",
    "Turn",
    "answer",
    "answer_latest",
    "decline",
    "open_submission",
    "reopen",
    "submit",
]
REOPEN_WORDS = ("gjenåpne", "gjenopne", "opne att", "opne igjen", "åpne igjen")


@dataclass(frozen=True)
class Submitted(Reply):
    template = "submitted"
    receipt_number: str
    submitted_at: datetime
    review: Review


def _closed_notice(draft: Draft) -> Notice:
    if draft.submission.status not in EDITABLE:
        return Notice(NoticeKind.already_submitted, {"submission": draft.submission})
    return Notice(NoticeKind.deadline_passed, {"call": draft.call})


STALE_ATTEMPTS = 3


def _acting(draft: Draft, act: Callable[[Draft], Turn]) -> Turn:
    """`act` on the draft. If another message saved its rows since they were read (StaleDataError:
    another contact of the org, or this contact's own message handled at the same moment), it is
    done again on a fresh read, where a contact who is behind is told what changed. Each attempt
    loses only to a save that got in first, so a few are enough even for a busy draft."""
    for _ in range(STALE_ATTEMPTS - 1):
        try:
            return act(draft)
        except StaleDataError:
            draft = load(draft.session, draft.contact, draft.call.id, draft.now, draft.request)
    return act(draft)


def open_submission(
    session: Session, contact: ContactData, call_id: str, now: datetime, request: Request = NO_REQUEST
) -> Turn:
    """Start the org's draft or resume it where this contact left off."""
    return _acting(load(session, contact, call_id, now, request), _open)


def _open(draft: Draft) -> Turn:
    if draft.submission.status == SubmissionStatus.declined and is_open(draft.call, draft.acted):
        draft.submission.status = SubmissionStatus.draft  # they said no, and have changed their mind
        draft.audit("undecline")
    if not draft.editable:
        return draft.finish((_closed_notice(draft),))
    outcome = engine.start(draft.spec, draft.state, draft.context)
    draft.move(outcome.state)
    status = engine.progress(draft.spec, draft.submission.answers, draft.context)
    data: dict[str, Any] = {"call": draft.call, "status": status, "frame": draft.context.frame}
    if not draft.submission.answers:
        kind = NoticeKind.started
    elif draft.fresh:  # a colleague has begun: this contact has never been here
        kind = NoticeKind.joined
        data["starter"] = _name_of(draft.session, draft.submission.started_by)
    else:
        kind = NoticeKind.resumed
    return draft.finish((Notice(kind, data), *outcome.replies))


def _name_of(session: Session, contact_id: int | None) -> str | None:
    found = session.get(Contact, contact_id) if contact_id is not None else None
    return found.name if found else None


def answer(
    session: Session,
    contact: ContactData,
    call_id: str,
    text: str,
    now: datetime,
    expected_position: str | None = None,
    request: Request = NO_REQUEST,
) -> Turn:
    """One line typed by the contact (or a button pressed at `expected_position`). Saved before this returns."""
    return answer_draft(load(session, contact, call_id, now, request), text, expected_position)


def answer_latest(
    session: Session, slack_user_id: str, text: str, now: datetime, request: Request = NO_REQUEST
) -> Turn | None:
    """A line typed in Slack, answered in the draft its writer last talked about, if that call is
    still open; None otherwise (the caller then finds the contact and the call the longer way).

    This is what almost every message is, so the draft comes in one query (drafts.latest).
    """
    draft = latest(session, slack_user_id, now, request)
    return None if draft is None else answer_draft(draft, text, None)


def answer_draft(draft: Draft, text: str, expected_position: str | None = None, clicked: bool = False) -> Turn:
    """One answer in a draft loaded already: every typed or clicked answer comes this way. A click
    (a button at `expected_position`, or `clicked`) is meant even right after a pause; a typed line
    then only resumes."""
    text = normalise(text)
    clicked = clicked or expected_position is not None
    return _acting(draft, lambda fresh: _answer(fresh, text, expected_position, clicked))


def _answer(draft: Draft, text: str, expected_position: str | None, clicked: bool = False) -> Turn:
    if draft.fresh:
        return _open(draft)  # the first words to the bot (a greeting) are not an answer to an unseen question
    if draft.submission.status not in EDITABLE and text.strip().casefold() in REOPEN_WORDS:
        return _reopen(draft)
    if not draft.editable:
        return draft.finish((_closed_notice(draft),))
    if draft.conversation.seen_version != draft.submission.version:
        return _catch_up(draft)
    state = draft.state
    position = engine.current_position(draft.spec, state, draft.context)
    if expected_position is not None and expected_position != position:
        draft.move(engine.State(state.answers, position))
        return draft.finish((Notice(NoticeKind.stale_button), engine.ask(draft.spec, state, draft.context)))
    if clicked:
        state = engine.State(state.answers, state.position)
    outcome = engine.step(draft.spec, state, text, draft.context)
    draft.save_answers(outcome.state.answers)
    draft.move(outcome.state)
    if outcome.action == "submit":
        return _submit(draft)
    if outcome.action == "pause":
        draft.audit("pause")
    return draft.finish(outcome.replies)


def _catch_up(draft: Draft) -> Turn:
    """Another contact changed the draft since this one last saw it: say what, do not apply the input."""
    changed = changes_since(draft.session, draft.submission, draft.conversation.seen_version)
    outcome = engine.start(draft.spec, draft.state, draft.context)  # the same question, with their answer
    draft.move(outcome.state)
    status = engine.progress(draft.spec, draft.submission.answers, draft.context)
    return draft.finish((Notice(NoticeKind.changed_by_other, {"changes": changed, "status": status}), *outcome.replies))


def changes_since(session: Session, submission: SubmissionData, version: int) -> list[dict[str, Any]]:
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
    """In by the time the contact sent it (Slack's clock), which may be a little before Frist
    received it; both are kept. The secretariat's notice and the archive copy are queued in the same
    commit."""
    submission = draft.submission
    submission.status = SubmissionStatus.submitted
    submission.revision += 1
    submission.submitted_by = draft.contact.id
    submission.submitted_at = draft.acted
    submission.received_at = draft.now
    submission.updated_at = draft.now
    submission.receipt_number = receipt_number(draft.call, submission)
    draft.audit("submit", receipt=submission.receipt_number, sent_at=draft.acted.isoformat())
    draft.caused += [notice_of(submission, draft.now), archive_copy_intent(submission, draft.now)]
    review = engine.review(draft.spec, submission.answers, draft.context)
    return draft.finish((Submitted(submission.receipt_number, draft.acted, review),), submitted=True)


def notice_of(submission: SubmissionData, now: datetime) -> Intent:
    """The secretariat's notice of a submission: one per time it goes in (a resubmission after
    reopening gets its own). The outbox worker renders and posts it."""
    return Intent(
        key=f"notice:{submission.call_id}:{submission.org_id}:{submission.revision}",
        kind=OutboxKind.notice,
        call_id=submission.call_id,
        due_at=now,
        expires_at=None,
        org_id=submission.org_id,
        data={"submission_id": submission.id},
    )


def receipt_number(call: CallData, submission: SubmissionData) -> str:
    """The call's case number, the org, the submission's own number and how many times it has
    been submitted: `2019/8140-5052-17-1`.

    Calls may share a case number (a scheme's application and its annual report are one case), so
    the submission's id, unique across calls, is part of it; the revision makes each sending-in its
    own. It is stored when the submission goes in and never computed again for that sending-in.
    """
    if submission.id is None:
        raise ValueError("a submission gets a receipt number only once it is stored")
    return f"{call.case_number}-{submission.org_id}-{submission.id}-{submission.revision}"


def reopen(session: Session, contact: ContactData, call_id: str, now: datetime, request: Request = NO_REQUEST) -> Turn:
    """Open a submitted submission for changes again; allowed until the deadline."""
    return _acting(load(session, contact, call_id, now, request), _reopen)


def _reopen(draft: Draft) -> Turn:
    if not is_open(draft.call, draft.acted):
        return draft.finish((Notice(NoticeKind.deadline_passed, {"call": draft.call}),))
    if draft.submission.status == SubmissionStatus.submitted:
        draft.submission.status = SubmissionStatus.reopened
        draft.submission.updated_at = draft.now
        draft.audit("reopen")
    draft.conversation.position = engine.REVIEW
    return draft.finish(
        (Notice(NoticeKind.reopened), engine.review(draft.spec, draft.submission.answers, draft.context))
    )


def submit(
    session: Session, contact: ContactData, call_id: str, now: datetime, revision: int, request: Request = NO_REQUEST
) -> Turn | None:
    """Submit from a button. `revision` is the one the button was shown for: a second click of the
    same button finds the submission already past it and does nothing (None)."""
    draft = load(session, contact, call_id, now, request)
    if draft.submission.revision > revision:
        session.rollback()
        return None
    return answer_draft(draft, "send inn", None, clicked=True)


def decline(session: Session, contact: ContactData, call_id: str, now: datetime, request: Request = NO_REQUEST) -> Turn:
    """The org will not apply this time: no more reminders, and digests show it as declined.
    A submission that is already in stays in."""
    return _acting(load(session, contact, call_id, now, request), _decline)


def _decline(draft: Draft) -> Turn:
    if draft.submission.status in EDITABLE:
        draft.submission.status = SubmissionStatus.declined
        draft.submission.updated_at = draft.now
        draft.audit("decline")
    return draft.finish((Notice(NoticeKind.declined, {"call": draft.call, "status": draft.submission.status}),))
