"""What an assessor sees when they open a submission to assess it: the call's criteria and what they
stored before, and the whole submission. Refused (audited) when they may not assess that
organisation (intake.assess)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from intake.actors import Actor
from intake.assess import check_may_assess, held_assessment
from intake.call_terms import Criterion
from intake.import_errors import NotFound
from intake.overview import SubmissionView, submission_view
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


def readable_submission(session: Session, actor: Actor, submission_id: int, now: datetime) -> SubmissionView:
    """The whole submission for the secretariat, or for an assessor who may assess the org (a
    disqualified one may not read it either); refused (audited) for anyone else."""
    shown = submission_view(session, submission_id)
    if shown is None:
        raise NotFound(f"no submission {submission_id}")
    if not actor.secretariat:
        check_may_assess(session, actor, shown.call, shown.org.id, "view_submission", now)
    return shown
