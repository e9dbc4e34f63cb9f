"""Any text a contact sends, on SQLite and on PostgreSQL: the use cases never raise, and what they
store is the normalised text they answered with (no NUL, no lone surrogate: PostgreSQL's JSONB
would refuse the write)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete
from sqlmodel import Session, select

from intake import usecases
from intake.edits import edit_answers, edit_form
from intake.requests import Request
from models import AuditEntry, Conversation, ProcessedDelivery, Submission
from tests.intake.test_text import ANY_TEXT
from tests.support.forms import HAPPY
from tests.support.seed import CALL_ID, NOW, contact, seed

EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
MODAL_INPUTS = ["mal", "partner", "start", "deltakere", "niva", "malgrupper", "budsjett", "egen", "nivaer#leder"]


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    with Session(engine) as session:
        seed(session)
    return engine


def _fresh_draft(engine: Engine) -> None:
    with Session(engine) as session:
        for table in (AuditEntry, Conversation, Submission, ProcessedDelivery):
            session.exec(delete(table))
        session.commit()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _stored(engine: Engine) -> dict[str, Any]:
    with Session(engine) as session:
        row = session.exec(select(Submission)).first()
        answers = dict(row.answers) if row else {}
    for text in _strings(answers):
        text.encode("utf-8")
        assert "\x00" not in text
    return answers


@EXAMPLES
@given(lines=st.lists(st.one_of(ANY_TEXT, st.sampled_from(HAPPY)), max_size=14))
def test_any_typed_text_gets_a_reply_and_only_storable_text_is_stored(seeded: Engine, lines: list[str]) -> None:
    _fresh_draft(seeded)
    with Session(seeded, expire_on_commit=False) as session:
        kari = contact(session, "kari@leka.example.no")
        usecases.open_submission(session, kari, CALL_ID, NOW)
        for number, line in enumerate(lines):
            turn = usecases.answer(session, kari, CALL_ID, line, NOW, request=Request(f"event:Ev{number}"))
            assert turn.replies
            assert _stored(seeded) == turn.submission.answers  # the normaliser did it, not the storage guard


@EXAMPLES
@given(texts=st.dictionaries(st.sampled_from(MODAL_INPUTS), ANY_TEXT, min_size=1))
def test_any_text_in_the_edit_modal_is_saved_or_refused_and_only_storable_text_is_stored(
    seeded: Engine, texts: dict[str, str]
) -> None:
    _fresh_draft(seeded)
    with Session(seeded, expire_on_commit=False) as session:
        kari = contact(session, "kari@leka.example.no")
        for line in HAPPY[:2]:
            usecases.answer(session, kari, CALL_ID, line, NOW)
        form = edit_form(session, kari, CALL_ID, NOW)
        result = edit_answers(session, kari, CALL_ID, dict(texts), NOW, form.version)
        assert result.errors or result.turn is not None
        expected = result.turn.submission.answers if result.turn else form.answers
        assert _stored(seeded) == expected


def test_a_json_column_stores_what_postgresql_would_refuse_as_storable_text(engine: Engine) -> None:
    """The guard under the normaliser: whatever path a string takes to a JSON column."""
    with Session(engine) as session:
        session.add(AuditEntry(at=NOW, actor="test", action="probe", detail={"k\x00": ["a\x00b", "c\ud800d"]}))
        session.commit()
    with Session(engine) as session:
        assert session.exec(select(AuditEntry)).one().detail == {"k": ["ab", "cd"]}
