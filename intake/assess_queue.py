"""What there is for one person to assess: per call in progress, every submission sent in that they
may assess (the secretariat all, a listed assessor the orgs their group covers), whether they have
assessed it and when, and the orgs they declared themselves disqualified for. App Home shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from intake.actors import Actor, RefusalReason
from intake.assess import refusal
from intake.call_terms import terms_of
from intake.calls_query import calls_in_progress
from intake.standing import IN
from models import Assessment, Call, Organisation, Submission


@dataclass(frozen=True)
class ToAssess:
    submission_id: int
    org: Organisation
    assessed_at: datetime | None  # when this person last saved their assessment of it
    disqualified: bool


@dataclass(frozen=True)
class CallToAssess:
    call: Call
    items: list[ToAssess]  # by org name

    @property
    def assessable(self) -> int:
        return sum(1 for item in self.items if not item.disqualified)

    @property
    def assessed(self) -> int:
        return sum(1 for item in self.items if item.assessed_at is not None and not item.disqualified)


def assessment_queue(session: Session, actor: Actor, now: datetime) -> list[CallToAssess]:
    """The calls in progress where `actor` has something they may assess, soonest deadline first."""
    queue = []
    for call in calls_in_progress(session, now):
        terms = terms_of(call)
        if not (actor.secretariat or any(actor.id in group.members for group in terms.assessors)):
            continue
        rows = session.exec(
            select(Submission, Organisation)
            .join(Organisation, col(Organisation.id) == col(Submission.org_id))
            .where(Submission.call_id == call.id, col(Submission.status).in_(IN))
            .order_by(col(Organisation.name))
        ).all()
        mine = {
            row.org_id: row.updated_at
            for row in session.exec(
                select(Assessment).where(Assessment.call_id == call.id, Assessment.assessor == actor.id)
            )
        }
        items = []
        for submission, org in rows:
            reason = refusal(session, actor, call.id, terms, org.id)  # the one rule of who may assess
            if submission.id is not None and reason != RefusalReason.not_assessor:
                items.append(ToAssess(submission.id, org, mine.get(org.id), reason == RefusalReason.disqualified))
        if items:
            queue.append(CallToAssess(call, items))
    return queue
