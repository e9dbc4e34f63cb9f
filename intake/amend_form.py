"""Amending one org's decision from a form (the Slack modal): the decision as it stands, and reading
back the change and why it is made. The amendment itself is intake.decide.amend: the next version,
its reason in the audit log and the letter, and its own letter. The reasons the letter gives are
kept from the decision amended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from intake.actors import Actor, RefusalReason, call_or_fail, refuse
from intake.decide import amend
from intake.recommend import Problem, Proposal, ProposalRefused, Stale, standing_in
from intake.recommend_form import TypedRecommendation, proposal_of
from intake.recommendation_table import latest_decisions
from intake.standing import OrgStanding, call_standings
from intake.text import normalise
from models import Call, Decision, Outcome


@dataclass(frozen=True)
class AmendmentForm:
    call: Call
    standing: OrgStanding
    decision: Decision  # the version in force

    @property
    def current(self) -> Proposal:
        d = self.decision
        return Proposal(Outcome(d.outcome), d.amount, d.comment, d.conditions, d.withhold)


def _in_force(session: Session, actor: Actor, call: Call, org_id: str, action: str, now: datetime) -> Decision:
    """The org's decision in force; refused (audited) for anyone but the secretariat, and for an org
    with no decision yet."""
    if not actor.secretariat:
        refuse(session, actor, action, RefusalReason.not_secretariat, now, call_id=call.id, org_id=org_id)
    decision = latest_decisions(session, call.id).get(org_id)
    if decision is None:
        refuse(session, actor, action, RefusalReason.not_decided, now, call_id=call.id, org_id=org_id)
    return decision


def amendment_form(session: Session, actor: Actor, call_id: str, org_id: str, now: datetime) -> AmendmentForm:
    call = call_or_fail(session, call_id)
    decision = _in_force(session, actor, call, org_id, "open_amendment", now)
    return AmendmentForm(call, standing_in(call_standings(session, call), org_id, call_id), decision)


def amend_typed(
    session: Session,
    actor: Actor,
    call_id: str,
    org_id: str,
    typed: TypedRecommendation,
    reason: str,
    now: datetime,
    seen_version: int | None = None,
) -> Decision:
    """The next version of the org's decision from what was typed. Commits. Raises ProposalRefused
    (each problem under its field, `reason` included) and writes nothing when something is wrong;
    Stale when the decision in force is no longer the `seen_version` the form showed."""
    in_force = _in_force(session, actor, call_or_fail(session, call_id), org_id, "amend", now)
    if seen_version is not None and in_force.version != seen_version:
        raise Stale(org_id, seen_version, in_force.version)
    try:
        proposal = proposal_of(typed, org_id, None)
    except ProposalRefused as refused:  # say a missing reason along with the rest
        if normalise(reason):
            raise
        raise ProposalRefused(org_id, [*refused.found, Problem("reason", "why_amended")]) from None
    return amend(session, actor, call_id, org_id, proposal, reason, now)
