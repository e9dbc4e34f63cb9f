"""Who acts on assessments, recommendations and decisions, and how a refusal is recorded.

The adapter says who the actor is (a Slack user id, or `cli` at the command line) and whether they
are in the secretariat; the use cases decide what that actor may do. Every refusal is audited in
its own commit (nothing the refused action would have written is in it) and raised as `Refused`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NoReturn

from sqlmodel import Session

from intake.audit import record
from intake.import_errors import NotFound
from models import Call


@dataclass(frozen=True)
class Actor:
    id: str
    secretariat: bool = False


CLI = Actor("cli", secretariat=True)  # the command line runs on the server, as the secretariat


class RefusalReason(StrEnum):
    not_secretariat = "not_secretariat"  # only the secretariat recommends and decides
    not_assessor = "not_assessor"  # neither the secretariat nor listed in the call's `assessors` for the org
    disqualified = "disqualified"  # declared inhabil for this org
    already_decided = "already_decided"  # the call is decided: change a decision by amending it
    not_decided = "not_decided"  # an amendment needs a decision to amend


class Refused(Exception):
    def __init__(self, action: str, reason: RefusalReason, org_id: str | None = None) -> None:
        super().__init__(f"{action} refused: {reason.value}" + (f" ({org_id})" if org_id else ""))
        self.action, self.reason, self.org_id = action, reason, org_id


def refuse(
    session: Session,
    actor: Actor,
    action: str,
    reason: RefusalReason,
    now: datetime,
    *,
    call_id: str,
    org_id: str | None = None,
    **detail: Any,
) -> NoReturn:
    """Throw away what the session holds, audit the refusal, commit it, and raise Refused."""
    session.rollback()
    record(session, actor.id, "refused", now, call_id=call_id, org_id=org_id, attempted=action, reason=reason, **detail)
    session.commit()
    raise Refused(action, reason, org_id)


def call_or_fail(session: Session, call_id: str) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(f"no call {call_id!r} (see `frist calls list`)")
    return call
