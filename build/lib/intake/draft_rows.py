"""The SQL behind a draft: the queries that read it and the statements that write it back.

Answering one question is the bot's hot path, so this is spelled out once. Statements are built at
import (building a select costs about as much as running it). Reads are Core selects whose rows
become the plain-data classes (`SubmissionData`, ...) and never enter a session, and writes are
plain UPDATE/INSERT statements: the ORM's loading and unit of work cost more than everything else
in an answer put together (benchmarks/README.md has the figures). The call's form is left out of
every read; `calls.form_of` parses it once per call version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Connection, Row, Table, and_, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import SQLModel

from models import (
    AuditEntry,
    Call,
    CallData,
    Contact,
    ContactData,
    Conversation,
    ConversationData,
    Eligibility,
    Organisation,
    OrganisationData,
    Submission,
    SubmissionData,
)

CONTACT: Table = Contact.__table__  # type: ignore[attr-defined]
ORGANISATION: Table = Organisation.__table__  # type: ignore[attr-defined]
CALL: Table = Call.__table__  # type: ignore[attr-defined]
ELIGIBILITY: Table = Eligibility.__table__  # type: ignore[attr-defined]
SUBMISSION: Table = Submission.__table__  # type: ignore[attr-defined]
CONVERSATION: Table = Conversation.__table__  # type: ignore[attr-defined]
AUDIT: Table = AuditEntry.__table__  # type: ignore[attr-defined]

# The submission columns a use case may change; `version` is bumped by `write_submission`.
WRITABLE = (
    "status",
    "answers",
    "revision",
    "submitted_by",
    "submitted_at",
    "received_at",
    "receipt_number",
    "updated_at",
)


class _Part:
    """One table's columns in a joined select, and how to make its data object from a row."""

    def __init__(self, data: type[SQLModel], table: Table) -> None:
        self.data = data
        self.columns: list[Column[Any]] = [table.c[name] for name in data.model_fields]
        self.labelled = [column.label(f"{table.name}_{column.name}") for column in self.columns]
        self.start = 0

    def build(self, row: Row[Any]) -> Any:
        """None when an outer join found no row."""
        values = row[self.start : self.start + len(self.columns)]
        if all(value is None for value in values):
            return None
        return self.data.model_construct(**dict(zip(self.data.model_fields, values, strict=True)))


def _layout(*parts: _Part) -> list[Any]:
    """The select list of `parts`, in order; each part learns where its columns start."""
    columns: list[Any] = []
    for part in parts:
        part.start = len(columns)
        columns += part.labelled
    return columns


_CALL_PART = _Part(CallData, CALL)
_ORG_PART = _Part(OrganisationData, ORGANISATION)
_CALL_OF_ORG = (
    select(*_layout(_CALL_PART, _ORG_PART), ELIGIBILITY.c.frame)
    .select_from(CALL)
    .join(ELIGIBILITY, ELIGIBILITY.c.call_id == CALL.c.id)
    .join(ORGANISATION, ORGANISATION.c.id == ELIGIBILITY.c.org_id)
    .where(CALL.c.id == bindparam("call_id"), ELIGIBILITY.c.org_id == bindparam("org_id"))
)

# The org's submission, locked for the transaction on PostgreSQL, with this contact's conversation.
_SUBMISSION_PART = _Part(SubmissionData, SUBMISSION)
_CONVERSATION_PART = _Part(ConversationData, CONVERSATION)
_SUBMISSION_OF_ORG = (
    select(*_layout(_SUBMISSION_PART, _CONVERSATION_PART))
    .select_from(SUBMISSION)
    .outerjoin(
        CONVERSATION,
        and_(
            CONVERSATION.c.submission_id == SUBMISSION.c.id,
            CONVERSATION.c.contact_id == bindparam("contact_id"),
        ),
    )
    .where(SUBMISSION.c.call_id == bindparam("call_id"), SUBMISSION.c.org_id == bindparam("org_id"))
    .with_for_update(of=SUBMISSION)
)

# Everything about the draft a Slack user last talked about, in one round trip.
_LATEST = (
    _Part(ContactData, CONTACT),
    _Part(OrganisationData, ORGANISATION),
    _Part(CallData, CALL),
    _Part(SubmissionData, SUBMISSION),
    _Part(ConversationData, CONVERSATION),
)
# The eligibility is outer-joined: an org taken out of the call it last talked about is told so
# (the caller takes the longer way), not answered in some older conversation.
_LATEST_OF_SLACK_USER = (
    select(*_layout(*_LATEST), ELIGIBILITY.c.org_id.is_not(None), ELIGIBILITY.c.frame)
    .select_from(CONTACT)
    .join(CONVERSATION, CONVERSATION.c.contact_id == CONTACT.c.id)
    .join(SUBMISSION, SUBMISSION.c.id == CONVERSATION.c.submission_id)
    .join(CALL, CALL.c.id == SUBMISSION.c.call_id)
    .outerjoin(ELIGIBILITY, and_(ELIGIBILITY.c.call_id == CALL.c.id, ELIGIBILITY.c.org_id == SUBMISSION.c.org_id))
    .join(ORGANISATION, ORGANISATION.c.id == SUBMISSION.c.org_id)
    .where(CONTACT.c.slack_user_id == bindparam("slack_user_id"))
    .order_by(CONVERSATION.c.updated_at.desc())
    .limit(1)
    .with_for_update(of=SUBMISSION)
)

_UPDATE_SUBMISSION = (
    update(SUBMISSION)
    .where(SUBMISSION.c.id == bindparam("b_id"), SUBMISSION.c.version == bindparam("b_version"))
    .values(version=SUBMISSION.c.version + 1)
)
_INSERT_CONVERSATION = insert(CONVERSATION)
# Compare-and-set on what was read: a message of the same contact handled at the same moment must
# not put the conversation back where it was (the retry then starts from what that one saved).
_UPDATE_CONVERSATION = update(CONVERSATION).where(
    CONVERSATION.c.contact_id == bindparam("b_contact_id"),
    CONVERSATION.c.submission_id == bindparam("b_submission_id"),
    CONVERSATION.c.seen_version == bindparam("b_seen_version"),
    CONVERSATION.c.position.is_not_distinct_from(bindparam("b_position")),
)
_INSERT_AUDIT = insert(AUDIT)
_INSERT_SUBMISSION = {
    "postgresql": pg_insert(SUBMISSION).on_conflict_do_nothing().returning(SUBMISSION.c.id),
    "sqlite": sqlite_insert(SUBMISSION).on_conflict_do_nothing().returning(SUBMISSION.c.id),
}


def call_of_org(
    connection: Connection, call_id: str, org_id: str
) -> tuple[CallData, OrganisationData, int | None] | None:
    """The call, the org and the org's frame in it; None if the org is not in the call."""
    row = connection.execute(_CALL_OF_ORG, {"call_id": call_id, "org_id": org_id}).first()
    return None if row is None else (_CALL_PART.build(row), _ORG_PART.build(row), row[-1])


def submission_of_org(
    connection: Connection, call_id: str, org_id: str, contact_id: int
) -> tuple[SubmissionData, ConversationData | None] | None:
    params = {"call_id": call_id, "org_id": org_id, "contact_id": contact_id}
    row = connection.execute(_SUBMISSION_OF_ORG, params).first()
    return None if row is None else (_SUBMISSION_PART.build(row), _CONVERSATION_PART.build(row))


def latest_of_slack_user(connection: Connection, slack_user_id: str) -> tuple[Any, ...] | None:
    """(contact, org, call, submission, conversation, frame) of the conversation last touched;
    None if there is none, or if the org is no longer in that call."""
    row = connection.execute(_LATEST_OF_SLACK_USER, {"slack_user_id": slack_user_id}).first()
    if row is None or not row[-2]:
        return None
    return (*(part.build(row) for part in _LATEST), row[-1])


def insert_submission(connection: Connection, submission: SubmissionData) -> bool:
    """Store a new submission and give it its id; False if the org has one in the call already
    (another contact started it at the same moment). No savepoint: on SQLite one would commit."""
    statement = _INSERT_SUBMISSION[connection.dialect.name]
    new_id = connection.execute(statement, submission.model_dump(exclude={"id"})).scalar()
    if new_id is None:
        return False
    submission.id = new_id
    return True


def snapshot(submission: SubmissionData) -> dict[str, Any]:
    """The writable columns as loaded, to tell later what a use case changed."""
    values = {name: getattr(submission, name) for name in WRITABLE}
    values["answers"] = dict(values["answers"])  # a change made in place still shows
    return values


def write_submission(connection: Connection, submission: SubmissionData, before: dict[str, Any]) -> bool:
    """Write the submission if a use case changed it, bumping its version; False if it had not changed.

    Raises StaleDataError when another transaction saved it since it was read, as the ORM would.
    """
    values = snapshot(submission)
    if values == before:
        return False
    result = connection.execute(_UPDATE_SUBMISSION, {"b_id": submission.id, "b_version": submission.version, **values})
    if result.rowcount != 1:
        raise StaleDataError(f"submission {submission.id} changed after version {submission.version} was read")
    submission.version += 1
    return True


def write_conversation(connection: Connection, conversation: ConversationData, read: ConversationData | None) -> None:
    """Insert the conversation (`read` is None: it is new) or update the one read, if it is still as
    read; raises StaleDataError if another message of the contact moved it in between."""
    values = {
        "position": conversation.position,
        "seen_version": conversation.seen_version,
        "updated_at": conversation.updated_at,
    }
    if read is None:
        keys: dict[str, Any] = {"contact_id": conversation.contact_id, "submission_id": conversation.submission_id}
        connection.execute(_INSERT_CONVERSATION, keys | values)
        return
    keys = {
        "b_contact_id": conversation.contact_id,
        "b_submission_id": conversation.submission_id,
        "b_seen_version": read.seen_version,
        "b_position": read.position,
    }
    if connection.execute(_UPDATE_CONVERSATION, keys | values).rowcount != 1:
        raise StaleDataError(f"conversation of contact {conversation.contact_id} moved since it was read")


def write_audit(connection: Connection, entries: Sequence[dict[str, Any]]) -> None:
    if entries:
        connection.execute(_INSERT_AUDIT, list(entries))
