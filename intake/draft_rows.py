"""The SQL behind a draft: the queries that read it and the statements that write it back.

Answering one question is the bot's hot path, so this is spelled out once: statements are built
at import (building a select costs about as much as running it), the call's form is left out of
every read (it is parsed once per call version by `form_of`, which loads it only then), and writes
are plain UPDATE/INSERT statements, because the ORM's unit of work costs more than everything else
in an answer put together (benchmarks/README.md has the figures).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, insert, update
from sqlalchemy.orm import defer
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import col, select

from models import AuditEntry, Call, Contact, Conversation, Eligibility, Organisation, Submission

SUBMISSION: Table = Submission.__table__  # type: ignore[attr-defined]
CONVERSATION: Table = Conversation.__table__  # type: ignore[attr-defined]
AUDIT: Table = AuditEntry.__table__  # type: ignore[attr-defined]

# The submission columns a use case may change; `version` is bumped by `write_submission`.
WRITABLE = ("status", "answers", "revision", "submitted_by", "submitted_at", "receipt_number", "updated_at")

CALL_OF_ORG = (
    select(Call, col(Eligibility.frame), Organisation)
    .join(Eligibility, col(Eligibility.call_id) == col(Call.id))
    .join(Organisation, col(Organisation.id) == col(Eligibility.org_id))
    .where(Call.id == bindparam("call_id"), Eligibility.org_id == bindparam("org_id"))
    .options(defer(Call.form))  # type: ignore[arg-type]
)

# The org's submission, locked for the transaction on PostgreSQL, with this contact's conversation.
SUBMISSION_OF_ORG = (
    select(Submission, Conversation)
    .outerjoin(
        Conversation,
        and_(
            col(Conversation.submission_id) == col(Submission.id),
            col(Conversation.contact_id) == bindparam("contact_id"),
        ),
    )
    .where(Submission.call_id == bindparam("call_id"), Submission.org_id == bindparam("org_id"))
    .with_for_update(of=Submission)  # type: ignore[arg-type]
)

# Everything about the draft a Slack user last talked about, in one round trip.
LATEST_OF_SLACK_USER = (
    select(Contact, Conversation, Submission, Call, col(Eligibility.frame), Organisation)
    .join(Conversation, col(Conversation.contact_id) == col(Contact.id))
    .join(Submission, col(Submission.id) == col(Conversation.submission_id))
    .join(Call, col(Call.id) == col(Submission.call_id))
    .join(
        Eligibility, and_(col(Eligibility.call_id) == col(Call.id), col(Eligibility.org_id) == col(Submission.org_id))
    )
    .join(Organisation, col(Organisation.id) == col(Submission.org_id))
    .where(Contact.slack_user_id == bindparam("slack_user_id"))
    .order_by(col(Conversation.updated_at).desc())
    .limit(1)
    .with_for_update(of=Submission)  # type: ignore[arg-type]
    .options(defer(Call.form))  # type: ignore[arg-type]
)

_UPDATE_SUBMISSION = (
    update(SUBMISSION)
    .where(SUBMISSION.c.id == bindparam("b_id"), SUBMISSION.c.version == bindparam("b_version"))
    .values(version=SUBMISSION.c.version + 1)
)
_INSERT_CONVERSATION = insert(CONVERSATION)
_UPDATE_CONVERSATION = update(CONVERSATION).where(
    CONVERSATION.c.contact_id == bindparam("b_contact_id"),
    CONVERSATION.c.submission_id == bindparam("b_submission_id"),
)
_INSERT_AUDIT = insert(AUDIT)


def snapshot(submission: Submission) -> dict[str, Any]:
    """The writable columns as loaded, to tell later what a use case changed."""
    return {name: getattr(submission, name) for name in WRITABLE}


def write_submission(connection: Connection, submission: Submission, before: dict[str, Any]) -> bool:
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


def write_conversation(connection: Connection, conversation: Conversation, new: bool) -> None:
    values = {
        "position": conversation.position,
        "seen_version": conversation.seen_version,
        "updated_at": conversation.updated_at,
    }
    if new:
        keys = {"contact_id": conversation.contact_id, "submission_id": conversation.submission_id}
        connection.execute(_INSERT_CONVERSATION, keys | values)
    else:
        keys = {"b_contact_id": conversation.contact_id, "b_submission_id": conversation.submission_id}
        connection.execute(_UPDATE_CONVERSATION, keys | values)


def write_audit(connection: Connection, entries: list[dict[str, Any]]) -> None:
    if entries:
        connection.execute(_INSERT_AUDIT, entries)
