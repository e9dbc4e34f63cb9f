"""The recommendation (innstilling): per org an outcome, an amount, a comment, conditions and a
condition payment waits for. Only the secretariat sets it, and only until the call is decided.

An amount above what the org asked is allowed (Ytre Namdal was filled up to its frame) but needs a
comment that says why; a rejection is kr 0. The quick default recommends what was asked, capped at
the frame, for every org that sent in and has no recommendation yet, so the secretariat can apply
it and edit the exceptions.
"""

from __future__ import annotations

import dataclasses
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
REASONS_MAX = 30  # criterion comments one letter gives


@dataclass(frozen=True)
class GivenReason:
    """A criterion comment the letter gives as a reason, as it read when the secretariat chose it."""

    criterion: str
    text: str

    def stored(self) -> dict[str, str]:
        return {"criterion": self.criterion, "text": self.text}

    @classmethod
    def of(cls, stored: dict[str, Any]) -> GivenReason:
        return cls(str(stored["criterion"]), str(stored["text"]))


@dataclass(frozen=True)
class Proposal:
    """What the secretariat recommends for one org. `reasons` None keeps the reasons chosen before
    (the forum's table and the default choose none)."""

    outcome: Outcome
    amount: int
    comment: str = ""
    conditions: str = ""
    withhold: str | None = None  # payment waits until this is met
    reasons: tuple[GivenReason, ...] | None = None

    def cleaned(self) -> Proposal:
        withhold = normalise(self.withhold) if self.withhold else None
        reasons = None
        if self.reasons is not None:
            reasons = tuple(GivenReason(r.criterion, normalise(r.text)) for r in self.reasons if normalise(r.text))
        return Proposal(
            self.outcome, self.amount, normalise(self.comment), normalise(self.conditions), withhold or None, reasons
        )


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field of a proposal: `code` for the templates that tell a person in
    their language form, `str()` for the command line and the import's report."""

    field: str
    code: str
    data: dict[str, Any] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.field}: " + ENGLISH[self.code].format(**self.data)


ENGLISH = {
    "negative": "kr 0 or more (got {amount})",
    "rejected_not_zero": "kr 0 or nothing for a rejection (got {amount})",
    "zero_not_rejected": "more than kr 0 for a {outcome} recommendation, or outcome rejected",
    "why_more": "why more than the kr {asked} asked for is recommended",
    "partial_not_less": "full, as kr {amount} is not less than the kr {asked} asked for",
    "too_long": "at most {max} characters",
    "too_many": "at most {max}",
    "choose_outcome": "one of full, partial or rejected",
    "amount_format": "an amount in kroner like 449 418 or kr 1,2 mill (got {got!r})",
    "why_amended": "why the decision is changed (it goes in the audit log and the letter)",
    "reason_gone": "comments that are still there (an assessment changed while the form was open)",
}


def asked(standing: OrgStanding) -> int | None:
    """What the org asked for in what it sent in (None: it has not sent in, or the form has no amount)."""
    return standing.amount if standing.standing in IN else None


def proposal_problems(proposal: Proposal, standing: OrgStanding) -> list[Problem]:
    """What is wrong with `proposal` for this org; each problem says what was expected."""
    problems = []
    amount, outcome = proposal.amount, Outcome(proposal.outcome).value
    if amount < 0:
        problems.append(Problem("amount", "negative", {"amount": amount}))
    if proposal.outcome == Outcome.rejected and amount != 0:
        problems.append(Problem("amount", "rejected_not_zero", {"amount": amount}))
    if proposal.outcome != Outcome.rejected and amount <= 0:
        problems.append(Problem("amount", "zero_not_rejected", {"outcome": outcome}))
    wanted = asked(standing)
    if wanted is not None and amount > wanted and not proposal.comment:
        problems.append(Problem("comment", "why_more", {"asked": wanted}))
    if proposal.outcome == Outcome.partial and wanted is not None and amount >= wanted:
        problems.append(Problem("outcome", "partial_not_less", {"amount": amount, "asked": wanted}))
    for name in ("comment", "conditions", "withhold"):
        if len(getattr(proposal, name) or "") > TEXT_MAX:
            problems.append(Problem(name, "too_long", {"max": TEXT_MAX}))
    reasons = proposal.reasons or ()
    if len(reasons) > REASONS_MAX:
        problems.append(Problem("reasons", "too_many", {"max": REASONS_MAX}))
    if any(len(reason.text) > TEXT_MAX for reason in reasons):
        problems.append(Problem("reasons", "too_long", {"max": TEXT_MAX}))
    return problems


def is_decided(session: Session, call_id: str) -> bool:
    return session.exec(select(Decision.id).where(Decision.call_id == call_id).limit(1)).first() is not None


def check_may_recommend(
    session: Session, actor: Actor, call: Call, action: str, now: datetime, org_id: str | None = None
) -> None:
    if not actor.secretariat:
        refuse(session, actor, action, RefusalReason.not_secretariat, now, call_id=call.id, org_id=org_id)
    if is_decided(session, call.id):
        refuse(session, actor, action, RefusalReason.already_decided, now, call_id=call.id, org_id=org_id)


def store(session: Session, actor: Actor, call_id: str, org_id: str, proposal: Proposal, now: datetime) -> bool:
    """Set the org's recommendation and audit it; False if it was already exactly this. No commit."""
    row = session.get(Recommendation, (call_id, org_id))
    kept = [] if row is None else row.reasons
    values: dict[str, Any] = {
        "outcome": proposal.outcome,
        "amount": proposal.amount,
        "comment": proposal.comment,
        "conditions": proposal.conditions,
        "withhold": proposal.withhold,
        "reasons": kept if proposal.reasons is None else [reason.stored() for reason in proposal.reasons],
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


class ProposalRefused(DataImportError):
    """A proposal with problems, each kept as a Problem so the adapter can say it under its field."""

    def __init__(self, org_id: str, problems: list[Problem]) -> None:
        super().__init__([f"{org_id}: {problem}" for problem in problems])
        self.found = problems


class Stale(DataImportError):
    """The form was filled in on a version someone else has changed since: nothing is stored."""

    def __init__(self, org_id: str, seen: int, now_at: int) -> None:
        super().__init__([f"{org_id}: changed since the form was opened (version {seen}, now {now_at}); look again"])


def standing_in(standings: list[OrgStanding], org_id: str, call_id: str) -> OrgStanding:
    for standing in standings:
        if standing.org.id == org_id:
            return standing
    raise DataImportError([f"org_id: {org_id!r} is not eligible in {call_id}"])


def recommend(session: Session, actor: Actor, call_id: str, org_id: str, proposal: Proposal, now: datetime) -> bool:
    """Set one org's recommendation. Returns False if nothing changed. Commits."""
    call = call_or_fail(session, call_id)
    check_may_recommend(session, actor, call, "recommend", now, org_id)
    standing = standing_in(call_standings(session, call), org_id, call_id)
    return checked_store(session, actor, call_id, standing, proposal, now)


def checked_store(
    session: Session, actor: Actor, call_id: str, standing: OrgStanding, proposal: Proposal, now: datetime
) -> bool:
    """Store `proposal` for the org `standing` is of, once it is found to have no problems, for an
    actor already found to be allowed (check_may_recommend). Commits."""
    proposal = proposal.cleaned()
    problems = proposal_problems(proposal, standing)
    if problems:
        raise ProposalRefused(standing.org.id, problems)
    changed = store(session, actor, call_id, standing.org.id, proposal, now)
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
