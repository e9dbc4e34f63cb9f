"""Setting one org's recommendation from a form (the Slack modal): what the secretariat sees, and
reading back what it typed.

The form shows where the org stands (frame, asked), every assessment that counts side by side, the
recommendation so far (else the quick default), and the criterion comments it may give in the
letter as reasons. What comes back is text as people type it (`449 418`, `kr 1,2 mill`) and the
chosen comments by reference; each problem is a recommend.Problem under its field. Refused
(audited) for anyone but the secretariat, and once the call is decided.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from intake.actors import Actor, call_or_fail
from intake.assess import counted_assessments
from intake.call_terms import Criterion, terms_of
from intake.import_errors import NotFound
from intake.money import parse_money
from intake.parse_base import ParseError
from intake.recommend import (
    GivenReason,
    Problem,
    Proposal,
    ProposalRefused,
    Stale,
    asked,
    check_may_recommend,
    checked_store,
    default_proposal,
    standing_in,
)
from intake.standing import OrgStanding, call_standings
from models import Assessment, Call, Outcome, Recommendation

KEPT = "kept"  # the ref of a chosen reason whose comment has changed since: kept as it was chosen


def _digest(text: str) -> str:
    """A short hash of a comment, in its ref: a comment edited while the form is open no longer
    matches, so the letter never gives words the secretariat did not see."""
    return hashlib.sha256(text.encode()).hexdigest()[:10]


@dataclass(frozen=True)
class ReasonChoice:
    ref: str  # `{assessment id}:{criterion}:{hash of the text}`, or `kept:{criterion}:{hash}`
    reason: GivenReason
    assessor: str
    chosen: bool


@dataclass(frozen=True)
class RecommendationForm:
    call: Call
    standing: OrgStanding
    criteria: list[Criterion]
    assessments: list[Assessment]  # those that count, oldest first
    current: Proposal | None  # stored, else the default; None for an org that asked for nothing
    stored: bool
    choices: list[ReasonChoice]
    version: int  # of the stored recommendation; 0 when there is none

    @property
    def asked(self) -> int | None:
        return asked(self.standing)


@dataclass(frozen=True)
class TypedRecommendation:
    """What the secretariat typed and chose in the form."""

    outcome: str | None
    amount: str
    comment: str = ""
    conditions: str = ""
    withhold: str = ""
    reasons: tuple[str, ...] = ()  # ReasonChoice refs


def proposal_of(typed: TypedRecommendation, org_id: str, by_ref: dict[str, GivenReason] | None) -> Proposal:
    """The proposal `typed` stands for, or ProposalRefused naming each field that does not parse.
    `by_ref` None: the form offers no reasons to choose (an amendment keeps the decision's)."""
    problems: list[Problem] = []
    outcome = Outcome(typed.outcome) if typed.outcome in set(Outcome) else None
    if outcome is None:
        problems.append(Problem("outcome", "choose_outcome"))
    amount = 0
    if typed.amount.strip() or outcome != Outcome.rejected:
        try:
            amount = parse_money(typed.amount, min=0)
        except ParseError:
            problems.append(Problem("amount", "amount_format", {"got": typed.amount[:60]}))
    known = by_ref or {}
    if any(ref not in known for ref in typed.reasons):
        problems.append(Problem("reasons", "reason_gone"))
    if problems or outcome is None:
        raise ProposalRefused(org_id, problems)
    reasons = None if by_ref is None else tuple(dict.fromkeys(known[ref] for ref in typed.reasons))  # each once
    return Proposal(outcome, amount, typed.comment, typed.conditions, typed.withhold or None, reasons)


def _choices(assessments: list[Assessment], stored: Recommendation | None) -> list[ReasonChoice]:
    given = [GivenReason.of(item) for item in (stored.reasons if stored else [])]
    choices = []
    for assessment in assessments:
        for criterion, marked in assessment.marks.items():
            reason = GivenReason(criterion, str(marked.get("comment") or ""))
            if reason.text:
                ref = f"{assessment.id}:{criterion}:{_digest(reason.text)}"
                choices.append(ReasonChoice(ref, reason, assessment.assessor, reason in given))
    offered = {choice.reason for choice in choices}
    choices += [
        ReasonChoice(f"{KEPT}:{reason.criterion}:{_digest(reason.text)}", reason, "", True)
        for reason in given
        if reason not in offered
    ]
    return choices


def _form(session: Session, call: Call, org_id: str) -> RecommendationForm:
    standing = standing_in(call_standings(session, call), org_id, call.id)
    assessments = counted_assessments(session, call.id).get(org_id, [])
    stored = session.get(Recommendation, (call.id, org_id))
    current = default_proposal(standing)
    if stored is not None:
        reasons = tuple(GivenReason.of(item) for item in stored.reasons)
        current = Proposal(
            Outcome(stored.outcome), stored.amount, stored.comment, stored.conditions, stored.withhold, reasons
        )
    criteria = list(terms_of(call).criteria)
    version = stored.version if stored is not None else 0
    choices = _choices(assessments, stored)
    return RecommendationForm(call, standing, criteria, assessments, current, stored is not None, choices, version)


def recommendation_form(session: Session, actor: Actor, call_id: str, org_id: str, now: datetime) -> RecommendationForm:
    call = call_or_fail(session, call_id)
    check_may_recommend(session, actor, call, "open_recommendation", now, org_id)
    return _form(session, call, org_id)


def recommend_typed(
    session: Session,
    actor: Actor,
    call_id: str,
    org_id: str,
    typed: TypedRecommendation,
    now: datetime,
    seen_version: int | None = None,
) -> bool:
    """Store what was typed as the org's recommendation; False if nothing changed. Commits.

    Raises ProposalRefused (every problem, each under its field) and writes nothing when a field is
    wrong; Stale when the recommendation is no longer the `seen_version` the form showed; Refused
    (audited) for anyone but the secretariat and once the call is decided.
    """
    call = call_or_fail(session, call_id)
    check_may_recommend(session, actor, call, "recommend", now, org_id)
    form = _form(session, call, org_id)
    if seen_version is not None and form.version != seen_version:
        raise Stale(org_id, seen_version, form.version)
    by_ref = {choice.ref: choice.reason for choice in form.choices}
    return checked_store(session, actor, call_id, form.standing, proposal_of(typed, org_id, by_ref), now)


def check_may_preview(session: Session, actor: Actor, call_id: str, org_id: str, now: datetime) -> None:
    """The secretariat may see the draft letter of an org's recommendation until the call is decided;
    refused (audited) for anyone else, NotFound without a recommendation."""
    call = call_or_fail(session, call_id)
    check_may_recommend(session, actor, call, "preview_letter", now, org_id)
    if session.get(Recommendation, (call_id, org_id)) is None:
        raise NotFound(f"{org_id} has no recommendation in {call_id}")
