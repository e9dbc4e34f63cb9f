"""Recording what someone did (or was refused) for the audit log."""

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
    session.commit()
