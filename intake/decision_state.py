"""How far a call has come after its deadline: assessed, recommended, decided, letters sent, payment
withheld. What the digest and App Home show beside the submission counts. One query, whatever the
number of orgs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from models import Assessment, Decision, OutboxKind, OutboxMessage, OutboxStatus, Recommendation


@dataclass(frozen=True)
class DecisionState:
    assessed: int  # submissions with at least one assessment
    recommended: int  # orgs with a recommendation
    decided: int  # orgs with a decision
    letters: int  # decision letters queued (every version)
    letters_sent: int
    withheld: int  # orgs whose payment is held back: by the latest decision, or before it the recommendation

    @property
    def started(self) -> bool:
        """Anything to show: someone has assessed, recommended or decided."""
        return bool(self.assessed or self.recommended or self.decided)


def decision_state(session: Session, call_id: str) -> DecisionState:
    later = aliased(Decision)
    latest = sa_select(func.max(col(later.version))).where(
        col(later.call_id) == col(Decision.call_id), col(later.org_id) == col(Decision.org_id)
    )
    letters = sa_select(func.count()).where(
        col(OutboxMessage.call_id) == call_id, col(OutboxMessage.kind) == OutboxKind.letter
    )
    row = session.execute(
        sa_select(
            sa_select(func.count(distinct(col(Assessment.submission_id))))
            .where(col(Assessment.call_id) == call_id)
            .scalar_subquery(),
            sa_select(func.count()).where(col(Recommendation.call_id) == call_id).scalar_subquery(),
            sa_select(func.count(distinct(col(Decision.org_id))))
            .where(col(Decision.call_id) == call_id)
            .scalar_subquery(),
            letters.scalar_subquery(),
            letters.where(col(OutboxMessage.status) == OutboxStatus.sent).scalar_subquery(),
            sa_select(func.count())
            .where(
                col(Decision.call_id) == call_id,
                col(Decision.withhold).is_not(None),
                col(Decision.version) == latest.scalar_subquery(),
            )
            .scalar_subquery(),
            sa_select(func.count())
            .where(col(Recommendation.call_id) == call_id, col(Recommendation.withhold).is_not(None))
            .scalar_subquery(),
        )
    ).one()
    assessed, recommended, decided, queued, sent, withheld_decided, withheld_recommended = (int(n or 0) for n in row)
    withheld = withheld_decided if decided else withheld_recommended
    return DecisionState(assessed, recommended, decided, queued, sent, withheld)
