"""Where a call stands, for the secretariat: per org, and counted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from intake import engine
from intake.calls import form_of
from intake.replies import Status
from intake.values import sum_ref
from models import Call, Eligibility, Organisation, Submission


@dataclass(frozen=True)
class OrgStanding:
    org: Organisation
    frame: int | None
    status: str  # not_started | draft | submitted | reopened | withdrawn
    answered: int
    total: int
    amount: int | None
    submitted_at: datetime | None

    @property
    def difference(self) -> int | None:
        """Asked for minus frame: positive is more than the frame."""
        if self.amount is None or self.frame is None:
            return None
        return self.amount - self.frame


@dataclass(frozen=True)
class CallOverview:
    call: Call
    orgs: tuple[OrgStanding, ...]

    @property
    def counts(self) -> Counter[str]:
        return Counter(standing.status for standing in self.orgs)


def call_overview(session: Session, call_id: str) -> CallOverview | None:
    call = session.get(Call, call_id)
    if call is None:
        return None
    spec = form_of(call)
    submissions = {s.org_id: s for s in session.exec(select(Submission).where(Submission.call_id == call_id)).all()}
    rows = session.exec(
        select(Organisation, Eligibility)
        .join(Eligibility, col(Eligibility.org_id) == col(Organisation.id))
        .where(Eligibility.call_id == call_id)
        .order_by(col(Organisation.name))
    ).all()
    standings = []
    for org, eligibility in rows:
        submission = submissions.get(org.id)
        answers = submission.answers if submission else {}
        progress = engine.progress(spec, answers, engine.Context(org.language, eligibility.frame))
        amount = sum_ref(spec, answers, spec.amount) if spec.amount and submission else None
        standings.append(
            OrgStanding(
                org,
                eligibility.frame,
                submission.status if submission else "not_started",
                progress.answered,
                progress.total,
                amount,
                submission.submitted_at if submission else None,
            )
        )
    return CallOverview(call, tuple(standings))


@dataclass(frozen=True)
class SubmissionView:
    """One submission as the secretariat reads it."""

    call: Call
    org: Organisation
    submission: Submission
    frame: int | None
    review: Any


def submission_view(session: Session, submission_id: int) -> SubmissionView | None:
    submission = session.get(Submission, submission_id)
    if submission is None:
        return None
    call, org = session.get(Call, submission.call_id), session.get(Organisation, submission.org_id)
    assert call is not None and org is not None
    eligibility = session.get(Eligibility, (call.id, org.id))
    frame = eligibility.frame if eligibility else None
    review = engine.review(form_of(call), submission.answers, engine.Context(org.language, frame))
    return SubmissionView(call, org, submission, frame, review)


def org_progress(session: Session, call: Call, org: Organisation) -> tuple[str, Status]:
    """Where one org's submission stands: its status and how far it has come."""
    submission = session.exec(
        select(Submission).where(Submission.call_id == call.id, Submission.org_id == org.id)
    ).first()
    eligibility = session.get(Eligibility, (call.id, org.id))
    context = engine.Context(org.language, eligibility.frame if eligibility else None)
    status = engine.progress(form_of(call), submission.answers if submission else {}, context)
    return (submission.status if submission else "not_started"), status
