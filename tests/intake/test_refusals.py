"""Every assessment, recommendation and decision action, tried by the three who may not take it: an
assessor the call does not list, a municipality contact, and a listed assessor who declared
themselves disqualified (for the org in question, and the secretariat's actions anyway). Each try
is refused with its reason, audited in its own entry, and writes nothing else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from intake.actors import CLI, Actor, RefusalReason, Refused
from intake.amend_form import amend_typed, amendment_form
from intake.assess import Marked, assess, declare_disqualified
from intake.assess_form import assessment_form, readable_submission
from intake.assessments_import import import_assessments
from intake.decide import amend, decide
from intake.recommend import Proposal, apply_default
from intake.recommend_form import TypedRecommendation, recommend_typed, recommendation_form
from intake.recommendation_import import import_recommendations
from models import Assessment, AuditEntry, Decision, Mark, Outcome, Recommendation, Submission
from tests.support.kompetanse import CALL, FORUM_TABLE, seed_kompetanse
from tests.support.seed import NOW

ORG = "nett-fosen"
OUTSIDER = Actor("U0NOBODY")
CONTACT = Actor("U0KARI")
DISQUALIFIED = Actor("U0GRP1NTNU")  # Gruppe 1 in the call, inhabil for Fosen
TYPED = TypedRecommendation("full", "643 042")
PROPOSAL = Proposal(Outcome.full, 643_042)
Attempt = Callable[[Session, Actor, int, datetime], Any]

ASSESSING: dict[str, Attempt] = {
    "assess": lambda s, a, sid, now: assess(s, a, CALL, ORG, {"a": Marked(Mark.ok)}, "", now),
    "open_assessment": lambda s, a, sid, now: assessment_form(s, a, sid, now),
    "view_submission": lambda s, a, sid, now: readable_submission(s, a, sid, now),
}
RECOMMENDING: dict[str, Attempt] = {
    "open_recommendation": lambda s, a, sid, now: recommendation_form(s, a, CALL, ORG, now),
    "recommend": lambda s, a, sid, now: recommend_typed(s, a, CALL, ORG, TYPED, now),
    "recommendation_import": lambda s, a, sid, now: import_recommendations(s, a, CALL, FORUM_TABLE, now),
    "recommend_default": lambda s, a, sid, now: apply_default(s, a, CALL, now),
    "assessments_import": lambda s, a, sid, now: import_assessments(
        s, a, f"call_id,org_id,assessor,criterion,mark\n{CALL},{ORG},cli,a,ok\n", now
    ),
    "decide": lambda s, a, sid, now: decide(s, a, CALL, now),
}
AMENDING: dict[str, Attempt] = {
    "open_amendment": lambda s, a, sid, now: amendment_form(s, a, CALL, ORG, now),
    "amend": lambda s, a, sid, now: amend_typed(s, a, CALL, ORG, TYPED, "Fordi", now),
}


@pytest.fixture
def prepared(session: Session) -> tuple[Session, int]:
    seed_kompetanse(session, NOW)
    declare_disqualified(session, DISQUALIFIED, CALL, ORG, "Sitter i styringsgruppa", NOW)
    submission_id = session.exec(select(Submission.id).where(Submission.org_id == ORG)).one()
    assert submission_id is not None
    return session, submission_id


def written(session: Session) -> tuple[int, ...]:
    return tuple(
        session.exec(select(func.count()).select_from(table)).one() for table in (Assessment, Recommendation, Decision)
    )


def last_refusal(session: Session) -> tuple[str, str, str]:
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.action == "refused").order_by(col(AuditEntry.id).desc())
    ).first()
    assert entry is not None
    return entry.actor, entry.detail["attempted"], entry.detail["reason"]


def check(
    session: Session, actor: Actor, action: str, attempt: Attempt, submission_id: int, reason: RefusalReason
) -> None:
    before, refusals = written(session), session.exec(select(func.count()).where(AuditEntry.action == "refused")).one()
    with pytest.raises(Refused) as caught:
        attempt(session, actor, submission_id, NOW)
    assert caught.value.reason == reason, action
    assert written(session) == before
    assert session.exec(select(func.count()).where(AuditEntry.action == "refused")).one() == refusals + 1
    assert last_refusal(session) == (actor.id, action, reason.value)


@pytest.mark.parametrize("actor", [OUTSIDER, CONTACT, DISQUALIFIED], ids=["outsider", "contact", "disqualified"])
def test_every_action_is_refused_and_audited_before_the_decision(prepared: tuple[Session, int], actor: Actor) -> None:
    session, submission_id = prepared
    for action, attempt in ASSESSING.items():
        reason = RefusalReason.disqualified if actor is DISQUALIFIED else RefusalReason.not_assessor
        check(session, actor, action, attempt, submission_id, reason)
    for action, attempt in RECOMMENDING.items():
        check(session, actor, action, attempt, submission_id, RefusalReason.not_secretariat)


@pytest.mark.parametrize("actor", [OUTSIDER, CONTACT, DISQUALIFIED], ids=["outsider", "contact", "disqualified"])
def test_every_amendment_action_is_refused_and_audited_after_the_decision(
    prepared: tuple[Session, int], actor: Actor
) -> None:
    session, submission_id = prepared
    apply_default(session, CLI, CALL, NOW)
    decide(session, CLI, CALL, NOW)
    attempts = {**AMENDING, "amend_cli": lambda s, a, sid, now: amend(s, a, CALL, ORG, PROPOSAL, "Fordi", now)}
    for action, attempt in attempts.items():
        check(session, actor, action.removesuffix("_cli"), attempt, submission_id, RefusalReason.not_secretariat)
