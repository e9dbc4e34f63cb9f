"""After the deadline the digest and App Home tell how far the call has come: assessed,
recommended, decided, letters sent, payment withheld."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from bot.render import render
from intake.actors import CLI, Actor
from intake.assess import Marked, assess
from intake.calls_query import calls_in_progress
from intake.decide import decide
from intake.decision_state import DecisionState
from intake.digest import build_digest
from intake.recommendation_import import import_recommendations
from models import Call, Mark, OutboxKind, OutboxMessage, OutboxStatus
from tests.support.kompetanse import CALL, FORUM_TABLE, seed_kompetanse
from tests.support.seed import NOW

SECRETARIAT = Actor("U0SEKR", secretariat=True)


def state(session: Session) -> DecisionState:
    digest = build_digest(session, CALL, NOW)
    assert digest is not None
    return digest.decisions


def test_the_digest_counts_each_step_of_the_decision(session: Session) -> None:
    seed_kompetanse(session, NOW)
    assert not state(session).started

    assess(session, SECRETARIAT, CALL, "nett-ytre-namdal", {"j": Marked(Mark.merknad, "Plan mangler")}, "", NOW)
    import_recommendations(session, CLI, CALL, FORUM_TABLE, NOW)
    before = state(session)
    assert (before.assessed, before.recommended, before.decided, before.withheld) == (1, 11, 0, 1)

    decide(session, CLI, CALL, NOW)
    letter = session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.letter)).first()
    assert letter is not None
    letter.status = OutboxStatus.sent
    session.add(letter)
    session.commit()
    after = state(session)
    assert (after.decided, after.letters, after.letters_sent, after.withheld) == (11, 11, 1, 1)

    digest = build_digest(session, CALL, NOW)
    text = render("nb", "digest", digest=digest, limit=10)
    assert "Vurdering og vedtak" in text and "vedtaksbrev sendt: 1 av 11" in text
    assert "utbetaling holdes tilbake: 1" in text
    assert "vedtaksbrev sende: 1 av 11" in render("nn", "digest", digest=digest, limit=10)


def test_a_call_past_its_deadline_stays_in_progress_for_the_secretariat(session: Session) -> None:
    seed_kompetanse(session, NOW)
    call = session.get(Call, CALL)
    assert call is not None
    assert CALL in {c.id for c in calls_in_progress(session, call.deadline + timedelta(days=30))}
    assert CALL not in {c.id for c in calls_in_progress(session, call.deadline + timedelta(days=400))}
