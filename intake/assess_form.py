"""What an assessor sees when they open a submission to assess it: the call's criteria and what they
stored before. Refused (audited) when they may not assess that organisation (intake.assess)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from intake.actors import Actor
from intake.assess import check_may_assess, held_assessment
from intake.call_terms import Criterion
from intake.import_errors import NotFound
from models import Call, Organisation, Submission


@dataclass(frozen=True)
class AssessmentForm:
    submission_id: int
    call: Call
    org: Organisation
    criteria: list[Criterion]
    marks: dict[str, Any]  # what this assessor stored before: criterion -> {"mark", "comment"}
    comment: str


def assessment_form(session: Session, actor: Actor, submission_id: int, now: datetime) -> AssessmentForm:
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(f"no submission {submission_id}")
    call, org = session.get(Call, submission.call_id), session.get(Organisation, submission.org_id)
    assert call is not None and org is not None
    terms = check_may_assess(session, actor, call, org.id, "open_assessment", now)
    stored = held_assessment(session, submission_id, actor.id)
    marks, comment = (stored.marks, stored.comment) if stored else ({}, "")
    return AssessmentForm(submission_id, call, org, list(terms.criteria), dict(marks), comment)
