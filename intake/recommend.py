"""The recommendation (innstilling): per org an outcome, an amount, a comment, conditions and a
condition payment waits for. Only the secretariat sets it, and only until the call is decided.

An amount above what the org asked is allowed (Ytre Namdal was filled up to its frame) but needs a
comment that says why; a rejection is kr 0. The quick default recommends what was asked, capped at
the frame, for every org that sent in and has no recommendation yet, so the secretariat can apply
it and edit the exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from intake.actors import Actor, RefusalReason, call_or_fail, refuse
from intake.audit import record
from intake.import_errors import DataImportError
from intake.standing import IN, OrgStanding, call_standings
from intake.text import normalise
from models import Call, Decision, Outcome, Recommendation

TEXT_MAX = 2000


@dataclass(frozen=True)
class Proposal:
    """What the secretariat recommends for one org."""

    outcome: Outcome
    amount: int
    comment: str = ""
    conditions: str = ""
    withhold: str | None = None  # payment waits until this is met

    def cleaned(self) -> Proposal:
        withhold = normalise(self.withhold) if self.withhold else None
        return Proposal(
            self.outcome, self.amount, normalise(self.comment), normalise(self.conditions), withhold or None
        )


def asked(standing: OrgStanding) -> int | None:
    """What the org asked for in what it sent in (None: it has not sent in, or the form has no amount)."""
    return standing.amount if standing.standing in IN else None


def proposal_problems(proposal: Proposal, standing: OrgStanding) -> list[str]:
    """What is wrong with `proposal` for this org; each problem says what was expected."""
    problems = []
    if proposal.amount < 0:
        problems.append(f"amount: kr 0 or more (got {proposal.amount})")
    if proposal.outcome == Outcome.rejected and proposal.amount != 0:
        problems.append(f"amount: kr 0 or nothing for a rejection (got {proposal.amount})")
    if proposal.outcome != Outcome.rejected and proposal.amount <= 0:
        problems.append(f"amount: more than kr 0 for a {proposal.outcome.value} recommendation, or outcome rejected")
    wanted = asked(standing)
    if wanted is not None and proposal.amount > wanted and not proposal.comment:
        problems.append(f"comment: why more than the kr {wanted} asked for is recommended")
    if proposal.outcome == Outcome.partial and wanted is not None and proposal.amount >= wanted:
        problems.append(f"outcome: full, as kr {proposal.amount} is not less than the kr {wanted} asked for")
    for name in ("comment", "conditions", "withhold"):
        if len(getattr(proposal, name) or "") > TEXT_MAX:
            problems.append(f"{name}: at most {TEXT_MAX} characters")
    return problems


def is_decided(session: Session, call_id: str) -> bool:
    return session.exec(select(Decision.id).where(Decision.call_id == call_id).limit(1)).first() is not None


def check_may_recommend(session: Session, actor: Actor, call: Call, action: str, now: datetime) -> None:
    if not actor.secretariat:
        refuse(session, actor, action, RefusalReason.not_secretariat, now, call_id=call.id)
    if is_decided(session, call.id):
        refuse(session, actor, action, RefusalReason.already_decided, now, call_id=call.id)


def store(session: Session, actor: Actor, call_id: str, org_id: str, proposal: Proposal, now: datetime) -> bool:
    """Set the org's recommendation and audit it; False if it was already exactly this. No commit."""
    row = session.get(Recommendation, (call_id, org_id))
    values: dict[str, Any] = {
        "outcome": proposal.outcome,
        "amount": proposal.amount,
        "comment": proposal.comment,
        "conditions": proposal.conditions,
        "withhold": proposal.withhold,
    }
    before = None if row is None else {name: getattr(row, name) for name in values}
    if before == values:
        return False
    if row is None:
        row = Recommendation(call_id=call_id, org_id=org_id, set_by=actor.id, set_at=now, version=0, **values)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    row.set_by, row.set_at, row.version = actor.id, now, row.version + 1
    session.add(row)
    record(session, actor.id, "recommended", now, call_id=call_id, org_id=org_id, before=before, after=values)
    return True


def standing_in(standings: list[OrgStanding], org_id: str, call_id: str) -> OrgStanding:
    for standing in standings:
        if standing.org.id == org_id:
            return standing
    raise DataImportError([f"org_id: {org_id!r} is not eligible in {call_id}"])


def recommend(session: Session, actor: Actor, call_id: str, org_id: str, proposal: Proposal, now: datetime) -> bool:
    """Set one org's recommendation. Returns False if nothing changed. Commits."""
    call = call_or_fail(session, call_id)
    check_may_recommend(session, actor, call, "recommend", now)
    proposal = proposal.cleaned()
    standing = standing_in(call_standings(session, call), org_id, call_id)
    problems = proposal_problems(proposal, standing)
    if problems:
        raise DataImportError([f"{org_id}: {problem}" for problem in problems])
    changed = store(session, actor, call_id, org_id, proposal, now)
    session.commit()
    return changed


def default_proposal(standing: OrgStanding) -> Proposal | None:
    """What was asked, capped at the frame; None for an org that did not send in an amount."""
    wanted = asked(standing)
    if wanted is None:
        return None
    if wanted == 0:
        return Proposal(Outcome.rejected, 0)
    if standing.frame is not None and wanted > standing.frame:
        return Proposal(Outcome.partial, standing.frame)
    return Proposal(Outcome.full, wanted)


@dataclass(frozen=True)
class Defaulted:
    set: list[str]  # org ids given the default
    kept: list[str]  # org ids that already had a recommendation
    without: list[str]  # org ids that did not send in, so have no default


def apply_default(session: Session, actor: Actor, call_id: str, now: datetime) -> Defaulted:
    """The quick default for every org that sent in and has no recommendation yet. Commits."""
    call = call_or_fail(session, call_id)
    check_may_recommend(session, actor, call, "recommend_default", now)
    existing = set(session.exec(select(Recommendation.org_id).where(Recommendation.call_id == call_id)))
    done: list[str] = []
    kept: list[str] = []
    without: list[str] = []
    for standing in call_standings(session, call):
        proposal = default_proposal(standing)
        if standing.org.id in existing:
            kept.append(standing.org.id)
        elif proposal is None:
            without.append(standing.org.id)
        else:
            store(session, actor, call_id, standing.org.id, proposal, now)
            done.append(standing.org.id)
    session.commit()
    return Defaulted(done, kept, without)
