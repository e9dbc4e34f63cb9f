"""The recommendation table as the forum knows it: per org the frame, what it asked, what is
recommended, the outcome and the comment; the totals, the budget and what is left of it; who has
payment withheld; which submissions nobody has assessed yet. Read from intake.standing (where each
org stands, what it asked) and the recommendations, assessments and decisions of the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from intake.actors import call_or_fail
from intake.assess import counted_assessments
from intake.call_terms import CallTerms, terms_of
from intake.recommend import asked
from intake.standing import IN, OrgStanding, call_standings
from models import Call, Decision, Recommendation


class Deviation(StrEnum):
    """How the recommended amount differs from what the org asked for."""

    above_asked = "above_asked"  # more than asked (Ytre Namdal filled up to its frame)
    capped = "capped"  # less than asked, at the frame (Indre Namdal)
    below_asked = "below_asked"  # less than asked, for other reasons
    above_frame = "above_frame"  # more than the frame


@dataclass(frozen=True)
class TableRow:
    standing: OrgStanding
    recommendation: Recommendation | None
    decision: Decision | None  # the latest version, once decided
    assessments: int

    @property
    def asked(self) -> int | None:
        return asked(self.standing)

    @property
    def recommended(self) -> int | None:
        return self.recommendation.amount if self.recommendation else None

    @property
    def sent_in(self) -> bool:
        return self.standing.standing in IN

    @property
    def deviation(self) -> Deviation | None:
        amount, wanted, frame = self.recommended, self.asked, self.standing.frame
        if amount is None or self.recommendation is None or self.recommendation.outcome == "rejected":
            return None
        if frame is not None and amount > frame:
            return Deviation.above_frame
        if wanted is not None and amount > wanted:
            return Deviation.above_asked
        if wanted is not None and amount < wanted:
            return Deviation.capped if amount == frame else Deviation.below_asked
        return None


@dataclass(frozen=True)
class Totals:
    frames: int
    asked: int
    recommended: int


@dataclass(frozen=True)
class RecommendationTable:
    call: Call
    terms: CallTerms
    rows: list[TableRow]
    totals: Totals
    decided: bool

    @property
    def budget(self) -> int | None:
        return self.terms.budget

    @property
    def left(self) -> int | None:
        """The budget minus what is recommended (negative: over budget)."""
        return None if self.budget is None else self.budget - self.totals.recommended

    @property
    def withheld(self) -> list[TableRow]:
        return [row for row in self.rows if row.recommendation and row.recommendation.withhold]

    @property
    def unassessed(self) -> list[TableRow]:
        return [row for row in self.rows if row.sent_in and not row.assessments]

    @property
    def without_recommendation(self) -> list[TableRow]:
        """Orgs that sent in and have no recommendation yet: `decide` needs one for each."""
        return [row for row in self.rows if row.sent_in and row.recommendation is None]

    @property
    def deviations(self) -> list[TableRow]:
        return [row for row in self.rows if row.deviation is not None]


def latest_decisions(session: Session, call_id: str) -> dict[str, Decision]:
    latest: dict[str, Decision] = {}
    for row in session.exec(select(Decision).where(Decision.call_id == call_id).order_by(col(Decision.version))):
        latest[row.org_id] = row
    return latest


def recommendation_table(session: Session, call_id: str) -> RecommendationTable:
    call = call_or_fail(session, call_id)
    standings = call_standings(session, call)
    recommendations = {
        row.org_id: row for row in session.exec(select(Recommendation).where(Recommendation.call_id == call_id))
    }
    decisions = latest_decisions(session, call_id)
    assessed = counted_assessments(session, call_id)
    rows = [
        TableRow(s, recommendations.get(s.org.id), decisions.get(s.org.id), len(assessed.get(s.org.id, [])))
        for s in standings
    ]
    totals = Totals(
        frames=sum(row.standing.frame or 0 for row in rows),
        asked=sum(row.asked or 0 for row in rows),
        recommended=sum(row.recommended or 0 for row in rows),
    )
    return RecommendationTable(call, terms_of(call), rows, totals, decided=bool(decisions))
