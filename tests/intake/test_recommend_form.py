"""Whatever the secretariat types in the recommendation form, against a real database: it is stored
as it parses, or refused with problems that each name a field and say in both language forms what
was expected, and a refused form leaves the stored recommendation as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from bot.render import render
from intake.actors import CLI, Actor
from intake.assess import Marked, assess
from intake.money import parse_money
from intake.parse_base import ParseError
from intake.recommend import ENGLISH, Proposal, ProposalRefused, recommend
from intake.recommend_form import TypedRecommendation, recommend_typed, recommendation_form
from models import Mark, Outcome, Recommendation
from tests.conftest import fresh_engine
from tests.support.kompetanse import CALL, seed_kompetanse
from tests.support.seed import NOW

ORG = "nett-indre-namdal"  # asked kr 380 000 of a frame of kr 379 221
FIELDS = {"outcome", "amount", "comment", "conditions", "withhold", "reasons"}
SECRETARIAT = Actor("U0SEKRETAR", secretariat=True)
STANDING = Proposal(Outcome.partial, 379_221, "Begrenset til rammen.")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = fresh_engine("sqlite", Path(tmp_path_factory.mktemp("recommend")))
    with Session(engine) as session:
        seed_kompetanse(session, NOW)
        assess(session, Actor("U0GRP1NTNU"), CALL, ORG, {"a": Marked(Mark.ok, "Godt forankret.")}, "", NOW)
    return engine


def columns(row: Recommendation | None) -> tuple[object, ...]:
    assert row is not None
    return (row.outcome, row.amount, row.comment, row.conditions, row.withhold, row.reasons, row.version)


amounts = st.one_of(
    st.text(max_size=30),
    st.integers(-10, 5_000_000).map(str),
    st.sampled_from(["", "379 221", "kr 380 000,-", "1,2 mill", "0", "  ", "-5", "350k", "kr"]),
)
texts = st.one_of(st.just(""), st.text(max_size=80), st.text(min_size=1995, max_size=2010))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    outcome=st.one_of(st.none(), st.sampled_from(["full", "partial", "rejected"]), st.text(max_size=10)),
    amount=amounts,
    comment=texts,
    withhold=texts,
    reasons=st.lists(st.sampled_from(["REF", "999:a", "kept:3", "x"]), max_size=3),
)
def test_a_form_is_stored_as_it_parses_or_refused_with_each_problem_said(
    database: Engine, outcome: str | None, amount: str, comment: str, withhold: str, reasons: list[str]
) -> None:
    with Session(database, expire_on_commit=False) as session:
        recommend(session, CLI, CALL, ORG, STANDING, NOW)
        before = session.get(Recommendation, (CALL, ORG))
        assert before is not None
        kept = columns(before)
        valid = recommendation_form(session, SECRETARIAT, CALL, ORG, NOW).choices[0].ref
        refs = tuple(valid if ref == "REF" else ref for ref in reasons)
        typed = TypedRecommendation(outcome, amount, comment, "", withhold, refs)
        try:
            recommend_typed(session, SECRETARIAT, CALL, ORG, typed, NOW)
        except ProposalRefused as refused:
            assert refused.found
            for problem in refused.found:
                assert problem.field in FIELDS and problem.code in ENGLISH
                for lang in ("nb", "nn"):
                    said = render(lang, "recommend_result", "mrkdwn", result="problem", problem=problem, org="")
                    assert said.strip()
            session.expire_all()
            assert columns(session.get(Recommendation, (CALL, ORG))) == kept
            return
        session.expire_all()
        stored = session.get(Recommendation, (CALL, ORG))
        assert stored is not None and stored.outcome == outcome
        if outcome == "rejected" and not amount.strip():
            assert stored.amount == 0
        else:
            try:
                assert stored.amount == parse_money(amount, min=0)
            except ParseError:  # pragma: no cover - a stored amount always parsed
                pytest.fail(f"stored {stored.amount} from {amount!r}")
        assert [reason["text"] for reason in stored.reasons] == ["Godt forankret."] * len(set(refs))
