"""A contact's draft, loaded for one use case: the org's submission in a call and where this contact
stands in it. Created on first use; every change is committed by `Draft.finish` before any reply."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from intake import draft_rows, engine
from intake.calls import form_of, is_open
from intake.date_bounds import CallDates
from intake.replies import Reply
from intake.requests import NO_REQUEST, Request
from intake.spec import FormSpec
from intake.standing import EDITABLE
from models import (
    CallData,
    ContactData,
    ConversationData,
    Intent,
    OrganisationData,
    SubmissionData,
    enqueue,
)
from models.deliveries import record


class RefusalKind(StrEnum):
    """Why a contact may not answer a call now; each has its text in the `refusal` template."""

    not_eligible = "not_eligible"
    not_open_yet = "not_open_yet"


class IntakeRefusal(Exception):
    """The contact may not do this now; `kind` names the message, `data` fills it."""

    def __init__(self, kind: RefusalKind, **data: Any) -> None:
        super().__init__(kind)
        self.kind = RefusalKind(kind)
        self.data = data


@dataclass(frozen=True)
class Turn:
    """Everything an adapter needs to render one reply to one contact."""

    lang: str
    contact: ContactData
    org: OrganisationData
    call: CallData
    form: FormSpec
    submission: SubmissionData
    position: str | None
    replies: tuple[Reply, ...]
    submitted: bool = False
    reply_id: int | None = None  # the outbox row that carries this reply, when the request queued one


@dataclass
class Draft:
    """A contact's view of the org's submission in one call, loaded for one use case.

    Its rows are plain data, not in the session: a use case changes the submission and the
    conversation freely, and `finish` writes what changed (draft_rows), with what the use case
    caused (`caused`: outbox intents such as the secretariat's notice) and the reply, in one
    commit. `request` says what asked for it (intake.requests): its delivery id is stored in the
    same commit, so a retried delivery finds it and changes nothing twice. `now` is when the
    request was received; `acted` when the contact acted, which is what a deadline is judged by.
    """

    session: Session
    contact: ContactData
    org: OrganisationData
    call: CallData
    submission: SubmissionData
    conversation: ConversationData
    spec: FormSpec
    context: engine.Context
    now: datetime
    conversation_read: ConversationData | None = None  # as read; None: this contact is new to it
    request: Request = NO_REQUEST
    loaded: dict[str, Any] = field(default_factory=dict)  # the submission's writable columns as read
    audits: list[dict[str, Any]] = field(default_factory=list)
    caused: list[Intent] = field(default_factory=list)

    @property
    def acted(self) -> datetime:
        return self.request.acted(self.now)

    @property
    def fresh(self) -> bool:
        """This contact has not been shown anything of this submission yet."""
        return self.conversation_read is None

    @property
    def state(self) -> engine.State:
        return engine.State.restore(self.submission.answers, self.conversation.position)

    def move(self, state: engine.State) -> None:
        """Where the contact stands now (paused or not); written by `finish`."""
        self.conversation.position = state.stored_position

    @property
    def editable(self) -> bool:
        return self.submission.status in EDITABLE and is_open(self.call, self.acted)

    def audit(self, action: str, **detail: Any) -> None:
        self.audits.append(
            {
                "at": self.now,
                "actor": f"contact:{self.contact.id}",
                "action": action,
                "call_id": self.call.id,
                "org_id": self.org.id,
                "submission_id": self.submission.id,
                "detail": detail,
            }
        )

    def save_answers(self, answers: dict[str, Any]) -> None:
        """Store new answers (written by `finish`, which fails with StaleDataError if another
        contact saved in between)."""
        if answers == self.submission.answers:
            return
        changed = sorted(
            k for k in set(answers) | set(self.submission.answers) if answers.get(k) != self.submission.answers.get(k)
        )
        self.submission.answers = answers
        self.submission.updated_at = self.now
        self.audit("answer", fields=changed, version=self.submission.version + 1)

    def finish(self, replies: tuple[Reply, ...], submitted: bool = False) -> Turn:
        """Commit everything, the reply and what the use case caused included, and return what to
        say: nothing is shown before it is stored.

        Raises AlreadyHandled (after rolling back) if the request was handled before.
        """
        connection = self.session.connection()
        try:
            if self.request.key is not None:
                record(connection, self.request.key, self.now)
            draft_rows.write_submission(connection, self.submission, self.loaded)
            draft_rows.write_audit(connection, self.audits)
            self.conversation.seen_version = self.submission.version
            self.conversation.updated_at = self.now
            draft_rows.write_conversation(connection, self.conversation, self.conversation_read)
            turn = Turn(
                self.org.language,
                self.contact,
                self.org,
                self.call,
                self.spec,
                self.submission,
                self.state.position,
                replies,
                submitted,
            )
            if self.caused:
                enqueue(self.session, self.caused, self.now)
            if self.request.replies is not None:
                queued = enqueue(self.session, [self.request.replies.intent(turn, self.now)], self.now)
                turn = replace(turn, reply_id=queued[0] if queued else None)
            self.session.commit()
        except BaseException:
            self.session.rollback()
            raise
        return turn


def _get_or_create(
    session: Session, contact: ContactData, call: CallData, now: datetime
) -> tuple[SubmissionData, ConversationData | None, bool]:
    assert contact.id is not None
    connection = session.connection()
    existing = draft_rows.submission_of_org(connection, call.id, contact.org_id, contact.id)
    if existing is not None:
        return (*existing, False)
    submission = SubmissionData(
        call_id=call.id,
        org_id=contact.org_id,
        kind=call.kind,
        started_by=contact.id,
        created_at=now,
        updated_at=now,
    )
    if draft_rows.insert_submission(connection, submission):
        return submission, None, True
    # Another contact of the same org started the draft at the same moment: share theirs.
    found = draft_rows.submission_of_org(connection, call.id, contact.org_id, contact.id)
    assert found is not None
    return (*found, False)


def _draft(
    session: Session,
    contact: ContactData,
    org: OrganisationData,
    call: CallData,
    frame: int | None,
    found: tuple[SubmissionData, ConversationData | None],
    now: datetime,
    request: Request,
) -> Draft:
    submission, read = found
    assert contact.id is not None and submission.id is not None
    if read is None:
        conversation = ConversationData(
            contact_id=contact.id, submission_id=submission.id, seen_version=submission.version, updated_at=now
        )
    else:
        conversation = read.model_copy()
    spec = form_of(call, session)
    context = engine.Context(lang=org.language, frame=frame, dates=CallDates.of(call.opens, call.deadline))
    return Draft(
        session,
        contact,
        org,
        call,
        submission,
        conversation,
        spec,
        context,
        now,
        read,
        request,
        draft_rows.snapshot(submission),
    )


def load(session: Session, contact: ContactData, call_id: str, now: datetime, request: Request = NO_REQUEST) -> Draft:
    """The contact's draft in a call, created on first use; refused if the org is not in the call."""
    found = draft_rows.call_of_org(session.connection(), call_id, contact.org_id)
    if found is None:
        raise IntakeRefusal(RefusalKind.not_eligible, call_id=call_id)
    call, org, frame = found
    if now < call.opens:
        raise IntakeRefusal(RefusalKind.not_open_yet, call=call)
    submission, conversation, created = _get_or_create(session, contact, call, now)
    draft = _draft(session, contact, org, call, frame, (submission, conversation), now, request)
    if created:
        draft.audit("start")
    return draft


def latest(session: Session, slack_user_id: str, now: datetime, request: Request = NO_REQUEST) -> Draft | None:
    """The draft this Slack user last talked about, in one query; None if there is none, or if its
    call has closed (the caller then looks for the contact and the call the longer way)."""
    row = draft_rows.latest_of_slack_user(session.connection(), slack_user_id)
    if row is None:
        return None
    contact, org, call, submission, conversation, frame = row
    if not is_open(call, request.acted(now)):
        return None
    return _draft(session, contact, org, call, frame, (submission, conversation), now, request)
