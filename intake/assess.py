"""Assessing a submitted application against the call's criteria, and declaring oneself disqualified.

The secretariat may assess every org, a listed assessor the orgs their group covers; an assessor who
declared themselves disqualified (inhabil) for an org is refused it, secretariat or not. Each
assessor has one assessment per submission, which they may change; several assessors' assessments
stand side by side. Each use case commits what it did with its audit entry; `store_assessment` is
the part that stores, for the use cases that commit several at once (intake.assessments_import).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from intake.actors import Actor, RefusalReason, call_or_fail, refuse
from intake.audit import record
from intake.call_terms import CallTerms, terms_of
from intake.import_errors import DataImportError
from intake.standing import IN
from intake.text import normalise
from models import Assessment, Call, Disqualification, Mark, Submission

COMMENT_MAX = 2000


@dataclass(frozen=True)
class Marked:
    """One criterion as an assessor marked it."""

    mark: Mark
    comment: str = ""


def is_disqualified(session: Session, call_id: str, org_id: str, assessor: str) -> bool:
    return session.get(Disqualification, (call_id, org_id, assessor)) is not None


def refusal(session: Session, actor: Actor, call_id: str, terms: CallTerms, org_id: str) -> RefusalReason | None:
    """Why `actor` may not assess `org_id`, or None if they may."""
    if is_disqualified(session, call_id, org_id, actor.id):
        return RefusalReason.disqualified
    if not (actor.secretariat or terms.may_assess(actor.id, org_id)):
        return RefusalReason.not_assessor
    return None


def check_may_assess(session: Session, actor: Actor, call: Call, org_id: str, action: str, now: datetime) -> CallTerms:
    """The call's terms, or a refusal (audited) if `actor` may not assess `org_id`."""
    terms = terms_of(call)
    reason = refusal(session, actor, call.id, terms, org_id)
    if reason is not None:
        refuse(session, actor, action, reason, now, call_id=call.id, org_id=org_id)
    return terms


def mark_problems(terms: CallTerms, marks: Mapping[str, Marked], comment: str) -> list[str]:
    known = [criterion.id for criterion in terms.criteria]
    problems = [
        f"criterion {criterion!r}: one of the call's criteria ({', '.join(known) or 'the call has none'})"
        for criterion in marks
        if criterion not in known
    ]
    problems += [
        f"criterion {criterion!r}: a comment of at most {COMMENT_MAX} characters"
        for criterion, marked in marks.items()
        if len(marked.comment) > COMMENT_MAX
    ]
    if len(comment) > COMMENT_MAX:
        problems.append(f"comment: at most {COMMENT_MAX} characters")
    return problems


def sent_in(session: Session, call_id: str, org_id: str) -> Submission | None:
    """The org's submission to the call, if it has sent it in: what there is to assess."""
    found = session.exec(select(Submission).where(Submission.call_id == call_id, Submission.org_id == org_id)).first()
    return found if found is not None and found.status in IN else None


def submitted(session: Session, call_id: str, org_id: str) -> Submission:
    found = sent_in(session, call_id, org_id)
    if found is None:
        raise DataImportError([f"{org_id}: has not sent in an application to {call_id}, so there is nothing to assess"])
    return found


def assess(
    session: Session,
    actor: Actor,
    call_id: str,
    org_id: str,
    marks: Mapping[str, Marked],
    comment: str,
    now: datetime,
) -> Assessment:
    """Store (or replace) `actor`'s assessment of the org's submission. Commits."""
    call = call_or_fail(session, call_id)
    terms = check_may_assess(session, actor, call, org_id, "assess", now)
    marks = {criterion: Marked(marked.mark, normalise(marked.comment)) for criterion, marked in marks.items()}
    comment = normalise(comment)
    problems = mark_problems(terms, marks, comment)
    if problems:
        raise DataImportError(problems)
    submission = submitted(session, call_id, org_id)
    assessment = store_assessment(session, actor.id, submission, terms, marks, comment, now)
    session.commit()
    return assessment


def stored_marks(marks: Mapping[str, Marked]) -> dict[str, dict[str, str]]:
    """`marks` as `Assessment.marks` holds them."""
    return {criterion: {"mark": marked.mark.value, "comment": marked.comment} for criterion, marked in marks.items()}


def held_assessment(session: Session, submission_id: int, assessor: str) -> Assessment | None:
    return session.exec(
        select(Assessment).where(Assessment.submission_id == submission_id, Assessment.assessor == assessor)
    ).first()


def store_assessment(
    session: Session,
    assessor: str,
    submission: Submission,
    terms: CallTerms,
    marks: Mapping[str, Marked],
    comment: str,
    now: datetime,
    **detail: Any,
) -> Assessment:
    """Store (or replace) `assessor`'s assessment of `submission` with its audit entry (and `detail`
    in it). The caller has checked who may assess and the marks (normalised, `mark_problems`). No commit."""
    assert submission.id is not None
    stored = stored_marks(marks)
    assessment = held_assessment(session, submission.id, assessor)
    before = None if assessment is None else {"marks": assessment.marks, "comment": assessment.comment}
    if assessment is None:
        assessment = Assessment(
            submission_id=submission.id,
            call_id=submission.call_id,
            org_id=submission.org_id,
            assessor=assessor,
            submission_revision=submission.revision,
            created_at=now,
            updated_at=now,
        )
    assessment.assessor_group = terms.group_of(assessor)
    assessment.marks, assessment.comment = stored, comment
    assessment.submission_revision, assessment.updated_at = submission.revision, now
    session.add(assessment)
    record(
        session,
        assessor,
        "assessed",
        now,
        call_id=submission.call_id,
        org_id=submission.org_id,
        submission_id=submission.id,
        marks={criterion: value["mark"] for criterion, value in stored.items()},
        before=before,
        **detail,
    )
    return assessment


def declare_disqualified(session: Session, actor: Actor, call_id: str, org_id: str, reason: str, now: datetime) -> bool:
    """`actor` is disqualified (inhabil) for the org from now on; their assessment of it, if any, is
    kept for the record but no longer counted. Returns False if they had declared it already. Commits."""
    call = call_or_fail(session, call_id)
    if not (actor.secretariat or terms_of(call).may_assess(actor.id, org_id)):
        refuse(session, actor, "declare_disqualified", RefusalReason.not_assessor, now, call_id=call_id, org_id=org_id)
    if is_disqualified(session, call_id, org_id, actor.id):
        return False
    reason = normalise(reason)[:500]
    session.add(Disqualification(call_id=call_id, org_id=org_id, assessor=actor.id, reason=reason, declared_at=now))
    record(session, actor.id, "disqualified", now, call_id=call_id, org_id=org_id, reason=reason)
    session.commit()
    return True


def counted_assessments(session: Session, call_id: str) -> dict[str, list[Assessment]]:
    """Per org, the assessments that count (not by an assessor disqualified for that org), oldest first."""
    barred = {
        (row.org_id, row.assessor)
        for row in session.exec(select(Disqualification).where(Disqualification.call_id == call_id))
    }
    found: dict[str, list[Assessment]] = {}
    rows = session.exec(select(Assessment).where(Assessment.call_id == call_id).order_by(col(Assessment.created_at)))
    for row in rows:
        if (row.org_id, row.assessor) not in barred:
            found.setdefault(row.org_id, []).append(row)
    return found
