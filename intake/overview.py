"""One submission as the secretariat reads it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from intake import engine
from intake.calls import form_of
from models import Call, Eligibility, Organisation, Submission


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
    return None if submission is None else view_of(session, submission)


def view_of(session: Session, submission: Submission) -> SubmissionView:
    """`submission` as the secretariat reads it; it may be a copy that is in no session (as sent in)."""
    call, org = session.get(Call, submission.call_id), session.get(Organisation, submission.org_id)
    assert call is not None and org is not None
    eligibility = session.get(Eligibility, (call.id, org.id))
    frame = eligibility.frame if eligibility else None
    review = engine.review(form_of(call), submission.answers, engine.Context(org.language, frame))
    return SubmissionView(call, org, submission, frame, review)
