"""The plain way to say where every org stands in a call: the ORM rows and the engine's own
progress, per org. The digest (reminders.digest) computes the same from columns, much faster; the
tests and benchmarks/digest_render.py check it against this."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from intake import engine
from intake.calls import form_of
from intake.values import sum_ref
from models import Call, Eligibility, Organisation, Submission
from reminders.digest import OrgRef, OrgRow


@dataclass(frozen=True)
class CallOverview:
    call: Call
    orgs: tuple[OrgRow, ...]


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
            OrgRow(
                OrgRef(org.id, org.name, str(org.language)),
                eligibility.frame,
                submission.status if submission else "not_started",
                progress.answered,
                progress.total,
                amount,
                submission.submitted_at if submission else None,
            )
        )
    return CallOverview(call, tuple(standings))
