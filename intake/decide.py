"""The decision (vedtak): the recommendations fixed as decisions, and amendments to one of them.

`decide` fixes every recommendation of a call as version 1 of the org's decision, once: a second
`decide` is refused, and so is the loser of two at the same moment (the unique version). A decision
is then changed only by `amend`, which adds the next version with a reason. Each version queues one
decision letter in the outbox under `letter:{call}:{org}:v{version}`, so a version's letter is never
queued (and so never sent) twice. Whether a decision is an enkeltvedtak with a right of appeal is
the call's setting for the org's kind, fixed with the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from intake.actors import Actor, RefusalReason, call_or_fail, refuse
from intake.audit import record
from intake.call_terms import terms_of
from intake.import_errors import DataImportError
from intake.recommend import TEXT_MAX, Problem, Proposal, ProposalRefused, proposal_problems, standing_in
from intake.recommendation_table import latest_decisions, recommendation_table
from intake.standing import OrgRef, call_standings
from intake.text import normalise
from models import Decision, Intent, Organisation, OutboxKind, Recommendation, enqueue


def letter_key(call_id: str, org_id: str, version: int) -> str:
    return f"letter:{call_id}:{org_id}:v{version}"


def letter_intent(decision: Decision, now: datetime) -> Intent:
    return Intent(
        key=letter_key(decision.call_id, decision.org_id, decision.version),
        kind=OutboxKind.letter,
        call_id=decision.call_id,
        org_id=decision.org_id,
        due_at=now,
        expires_at=None,
        data={"decision_id": decision.id, "version": decision.version},
    )


def first_decision(recommendation: Recommendation, individual: bool, by: str, at: datetime) -> Decision:
    """Version 1 of the org's decision: its recommendation fixed (not stored; the draft letter uses it
    as it is)."""
    return Decision(
        call_id=recommendation.call_id,
        org_id=recommendation.org_id,
        version=1,
        outcome=recommendation.outcome,
        amount=recommendation.amount,
        comment=recommendation.comment,
        conditions=recommendation.conditions,
        withhold=recommendation.withhold,
        reasons=recommendation.reasons,
        individual=individual,
        decided_by=by,
        decided_at=at,
    )


class NotReady(DataImportError):
    """Nothing is decided while an org that sent in has no recommendation, or there is none at all."""

    def __init__(self, call_id: str, without: list[OrgRef]) -> None:
        problems = [f"{org.id} ({org.name}): sent in, but has no recommendation" for org in without]
        super().__init__(problems or [f"{call_id}: no recommendations to decide (import or set them first)"])
        self.without = without


@dataclass(frozen=True)
class Decided:
    decisions: list[Decision]
    letters: int  # letter intents queued


def decide(session: Session, actor: Actor, call_id: str, now: datetime) -> Decided:
    """Fix every recommendation of the call as a decision and queue the letters. Commits.

    Refused (audited) for anyone but the secretariat and for a call already decided. Raises
    NotReady, writing nothing, while an org that sent in has no recommendation.
    """
    call = call_or_fail(session, call_id)
    if not actor.secretariat:
        refuse(session, actor, "decide", RefusalReason.not_secretariat, now, call_id=call_id)
    table = recommendation_table(session, call_id)
    if table.decided:
        refuse(session, actor, "decide", RefusalReason.already_decided, now, call_id=call_id)
    without = [row.standing.org for row in table.without_recommendation]
    if without or not any(row.recommendation for row in table.rows):
        raise NotReady(call_id, without)
    terms = terms_of(call)
    kinds = dict(session.exec(select(Organisation.id, Organisation.kind)).all())
    decisions = []
    for row in table.rows:
        recommendation = row.recommendation
        if recommendation is None:
            continue
        individual = terms.individual_decision(kinds[recommendation.org_id])
        decision = first_decision(recommendation, individual, actor.id, now)
        session.add(decision)
        decisions.append(decision)
    try:
        session.flush()
    except IntegrityError:  # another `decide` of the same call committed first
        refuse(session, actor, "decide", RefusalReason.already_decided, now, call_id=call_id)
    letters = enqueue(session, [letter_intent(decision, now) for decision in decisions], now)
    for decision in decisions:
        record(
            session,
            actor.id,
            "decided",
            now,
            call_id=call_id,
            org_id=decision.org_id,
            version=1,
            outcome=decision.outcome,
            amount=decision.amount,
            withhold=decision.withhold,
        )
    record(
        session,
        actor.id,
        "call_decided",
        now,
        call_id=call_id,
        orgs=len(decisions),
        total=sum(decision.amount for decision in decisions),
    )
    try:
        session.commit()
    except IntegrityError:
        refuse(session, actor, "decide", RefusalReason.already_decided, now, call_id=call_id)
    return Decided(decisions, len(letters))


def amend(
    session: Session, actor: Actor, call_id: str, org_id: str, proposal: Proposal, reason: str, now: datetime
) -> Decision:
    """A new version of the org's decision, with the reason it changed, and its letter. Commits.
    Raises ProposalRefused, writing nothing, for a proposal with problems or no reason.

    Used, for one, when a withheld payment is released: the same amount without `withhold`.
    """
    call = call_or_fail(session, call_id)
    if not actor.secretariat:
        refuse(session, actor, "amend", RefusalReason.not_secretariat, now, call_id=call_id, org_id=org_id)
    latest = latest_decisions(session, call_id).get(org_id)
    if latest is None:
        refuse(session, actor, "amend", RefusalReason.not_decided, now, call_id=call_id, org_id=org_id)
    proposal, reason = proposal.cleaned(), normalise(reason)
    problems = [] if reason else [Problem("reason", "why_amended")]
    problems += proposal_problems(proposal, standing_in(call_standings(session, call), org_id, call_id))
    if len(reason) > TEXT_MAX:
        problems.append(Problem("reason", "too_long", {"max": TEXT_MAX}))
    if problems:
        raise ProposalRefused(org_id, problems)
    decision = Decision(
        call_id=call_id,
        org_id=org_id,
        version=latest.version + 1,
        outcome=proposal.outcome,
        amount=proposal.amount,
        comment=proposal.comment,
        conditions=proposal.conditions,
        withhold=proposal.withhold,
        reasons=latest.reasons if proposal.reasons is None else [reason.stored() for reason in proposal.reasons],
        individual=latest.individual,
        reason=reason,
        decided_by=actor.id,
        decided_at=now,
    )
    session.add(decision)
    try:
        session.flush()
    except IntegrityError:  # another amendment took this version number first
        session.rollback()
        raise DataImportError([f"{org_id}: the decision was amended at the same moment; look again"]) from None
    enqueue(session, [letter_intent(decision, now)], now)
    before = {
        "version": latest.version,
        "outcome": latest.outcome,
        "amount": latest.amount,
        "withhold": latest.withhold,
    }
    after = {
        "version": decision.version,
        "outcome": decision.outcome,
        "amount": decision.amount,
        "withhold": decision.withhold,
    }
    record(session, actor.id, "amended", now, call_id=call_id, org_id=org_id, reason=reason, before=before, after=after)
    session.commit()
    return decision
