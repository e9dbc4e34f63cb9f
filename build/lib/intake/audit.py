"""Recording what someone did (or was refused) for the audit log.

An entry is added to the caller's session and committed with what it records: the use case commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from models import AuditEntry


def record(
    session: Session,
    actor: str,
    action: str,
    now: datetime,
    *,
    call_id: str | None = None,
    org_id: str | None = None,
    submission_id: int | None = None,
    **detail: Any,
) -> None:
    session.add(
        AuditEntry(
            at=now,
            actor=actor[:120],
            action=action,
            call_id=call_id,
            org_id=org_id,
            submission_id=submission_id,
            detail=detail,
        )
    )


def refused(session: Session, actor: str, what: str, now: datetime) -> None:
    """Someone tried what only the secretariat may do: audited, in its own commit."""
    record(session, actor, "refused", now, attempted=what)
    session.commit()
