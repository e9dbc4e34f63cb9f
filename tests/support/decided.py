"""A small decided call: the seeded call (tests/support/seed.py) with decision terms, Leka (bokmål,
two contacts) and Osen (nynorsk, one contact) sent in, recommended and decided at the CLI."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from intake.actors import CLI
from intake.decide import decide
from intake.recommend import Proposal, recommend
from models import Decision, Outcome, SubmissionStatus
from tests.support.export_data import FULL
from tests.support.seed import CALL_ID, NOW, add_submission, contact, seed

ASKED = 125_500  # FULL's budget
TERMS = {
    "decision": {
        "report": {"call": "proveordning-rapport-2026", "due": "2027-03-01"},
        "conditions": [
            {
                "nb": "Tiltakene skal forankres i skoleeiers plan.",
                "nn": "Tiltaka skal forankrast i planen til skuleeigaren.",
            }
        ],
        "unspent": {"nb": "Ubrukte midler meldes i rapporten.", "nn": "Ubrukte midlar skal meldast i rapporten."},
        "appeal_to": {"nb": "Utdanningsdirektoratet", "nn": "Klagenemnda for tilskot"},
        "individual_decision_for": ["kommune"],
    }
}
DECIDED_AT = NOW + timedelta(days=30)


def decided_call(session: Session, terms: dict[str, Any] = TERMS) -> dict[str, Decision]:
    """Seed, send in, recommend and decide; the decisions by org id. Commits."""
    call = seed(session)
    call.terms = terms
    session.add(call)
    session.commit()
    for org_id, email, revision in (("5052", "kari@leka.example.no", 2), ("5020", "oda@osen.example.no", 1)):
        by = contact(session, email)
        add_submission(
            session,
            org_id,
            SubmissionStatus.submitted,
            FULL,
            by=by,
            submitted_by=by.id,
            submitted_at=NOW,
            received_at=NOW + timedelta(seconds=3),
            revision=revision,
            receipt_number=f"2026/8140-{org_id}-{revision}",
        )
    leka = Proposal(
        Outcome.partial,
        100_000,
        "Deler av budsjettet er ordinær drift.",
        "Rapporter innen juni.",
        "ny plan er sendt inn",
    )
    recommend(session, CLI, CALL_ID, "5052", leka, NOW)
    recommend(session, CLI, CALL_ID, "5020", Proposal(Outcome.full, ASKED, "Godt gjennomarbeidd."), NOW)
    decide(session, CLI, CALL_ID, DECIDED_AT)
    rows = session.exec(select(Decision).where(Decision.call_id == CALL_ID)).all()
    return {row.org_id: row for row in rows}
