"""The calls at a glance: `frist calls list`, and the calls in progress App Home shows the secretariat."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from intake.standing import EDITABLE
from models import Call, Eligibility, Submission, SubmissionStatus


@dataclass(frozen=True)
class CallSummary:
    id: str
    title: str
    kind: str
    case_number: str
    opens: datetime
    deadline: datetime
    eligible: int
    submitted: int
    drafts: int
    """Started but not (or no longer) submitted: drafts and reopened submissions."""


def list_calls(session: Session) -> list[CallSummary]:
    """Every call, soonest deadline first."""
    eligible = dict(session.exec(select(Eligibility.call_id, func.count()).group_by(col(Eligibility.call_id))).all())
    statuses: Counter[tuple[str, str]] = Counter()
    query = select(Submission.call_id, Submission.status, func.count()).group_by(
        col(Submission.call_id), col(Submission.status)
    )
    for call_id, status, count in session.exec(query):
        statuses[(call_id, str(status))] += count
    calls = session.exec(select(Call).order_by(col(Call.deadline), col(Call.id))).all()
    return [
        CallSummary(
            id=call.id,
            title=call.title.get("nb") or next(iter(call.title.values()), ""),
            kind=str(call.kind),
            case_number=call.case_number,
            opens=call.opens,
            deadline=call.deadline,
            eligible=eligible.get(call.id, 0),
            submitted=statuses[(call.id, SubmissionStatus.submitted.value)],
            drafts=sum(statuses[(call.id, status)] for status in EDITABLE),
        )
        for call in calls
    ]


# After its deadline a call is still the secretariat's work (assessment, recommendation, decision,
# letters) for a good while: App Home keeps showing it this long.
IN_PROGRESS_AFTER_DEADLINE = timedelta(days=180)


def calls_in_progress(session: Session, now: datetime) -> list[Call]:
    """The calls the secretariat works on at `now`: open, or past their deadline by less than
    IN_PROGRESS_AFTER_DEADLINE, soonest deadline first."""
    query = select(Call).where(col(Call.opens) <= now, col(Call.deadline) > now - IN_PROGRESS_AFTER_DEADLINE)
    return list(session.exec(query.order_by(col(Call.deadline), col(Call.id))).all())
