"""Whatever a contact types, against a real database: a reply every time, and nothing already saved
is lost (an answer only ever changes at its own question)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete
from sqlmodel import Session, select

from intake import usecases
from models import AuditEntry, Conversation, Submission
from tests.conftest import fresh_engine
from tests.support.forms import COMMANDS, HAPPY
from tests.support.seed import CALL_ID, NOW, contact, seed


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = fresh_engine("sqlite", Path(tmp_path_factory.mktemp("props")))
    with Session(engine) as session:
        seed(session)
    return engine


def stored_answers(engine: Engine) -> dict:
    with Session(engine) as session:
        row = session.exec(select(Submission)).first()
        return dict(row.answers) if row else {}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(st.text(max_size=60), st.sampled_from(HAPPY + COMMANDS + ["send inn"])), max_size=30))
def test_nothing_saved_is_ever_lost(database: Engine, lines: list[str]) -> None:
    with Session(database) as session:
        for table in (AuditEntry, Conversation, Submission):
            session.exec(delete(table))  # type: ignore[call-overload]
        session.commit()
    with Session(database, expire_on_commit=False) as session:
        kari = contact(session, "kari@leka.example.no")
        turn = usecases.open_submission(session, kari, CALL_ID, NOW)
        for line in lines:
            before = stored_answers(database)
            position = (turn.position or "").partition("#")[0]
            turn = usecases.answer(session, kari, CALL_ID, line, NOW)
            assert turn.replies
            after = stored_answers(database)
            assert after == turn.submission.answers
            for key, value in before.items():
                if after.get(key) != value:
                    assert key == position, (line, key, before, after)
