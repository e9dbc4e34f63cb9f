"""Whatever a contact types, against a real database: a reply every time, nothing already saved is
lost (an answer only ever changes at its own question), only what parsed for a field is stored
under it, and a line after a pause changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete
from sqlmodel import Session, select

from intake import usecases
from intake.commands import read_command
from intake.parsers import ParseError, parse_yesno_start
from intake.replies import Notice
from intake.spec import FormField
from intake.text import normalise
from intake.values import parse_row, parse_value
from models import AuditEntry, Conversation, Submission
from tests.conftest import fresh_engine
from tests.support.forms import COMMANDS, HAPPY, sample_form
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
            session.exec(delete(table))
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


# Lines that reach every corner of issue 9: answers good, natural and ambiguous, pauses, commands
# that fail, and walking back and forth in the table and the matrix.
TRICKY = [
    "avbryt",
    "pause",
    "hei",
    "fortsett",
    "endre 99",
    "endre xyz",
    "endre 8",
    "endre 10",
    "endre nivaer",
    "fjern",
    "fjern 9",
    "slett to",
    "tilbake",
    "neste",
    "ca. 15",
    "omtrent 15",
    "Ja, lærerne bruker det.",
    "Nei, ikke ennå",
    "ja?",
    "5-",
    "-1",
    "1.1.99",
    "1.1.0001",
    "kr 100 000 000 000",
    "Kurs; 10 000",
    "Bøker; 5-",
]


def readings(field: FormField, line: str) -> list[Any]:
    """Every value `line` can be read as at `field` (a table: one row; a matrix: one cell). A line
    that is a command (`endre xyz` included) is never an answer."""
    if read_command(line) is not None:
        return []
    try:
        if field.type == "table":
            return [parse_row(field, line)]
        if field.type == "yesno":
            return [parse_yesno_start(line, allow_unknown=field.allow_unknown)[0]]
        return [parse_value(field, line)]
    except ParseError:
        return []


def parsed_for_its_field(field: FormField, value: Any, typed: list[str]) -> bool:
    """A stored value is one that some typed line parsed to, for this very field."""
    if value is None:
        return not field.required or field.type == "table"
    allowed = [reading for line in typed for reading in readings(field, line)]
    if field.type == "table":
        return all(row in allowed for row in value)
    if field.type == "matrix":
        return set(value) <= {row.id for row in field.rows} and all(cell in allowed for cell in value.values())
    return value in allowed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(
        st.one_of(st.sampled_from(HAPPY + COMMANDS + TRICKY), st.sampled_from(HAPPY), st.text(max_size=30)),
        max_size=40,
    )
)
def test_only_what_parsed_for_a_field_is_stored_and_a_line_after_a_pause_changes_nothing(
    database: Engine, lines: list[str]
) -> None:
    with Session(database) as session:
        for table in (AuditEntry, Conversation, Submission):
            session.exec(delete(table))
        session.commit()
    spec = sample_form()
    typed: list[str] = []
    with Session(database, expire_on_commit=False) as session:
        kari = contact(session, "kari@leka.example.no")
        turn = usecases.open_submission(session, kari, CALL_ID, NOW)
        for line in lines:
            paused = any(isinstance(reply, Notice) and reply.kind == "paused" for reply in turn.replies)
            before = stored_answers(database)
            turn = usecases.answer(session, kari, CALL_ID, line, NOW)
            typed.append(normalise(line))
            after = stored_answers(database)
            if paused:
                assert after == before, (line, before, after)
                assert isinstance(turn.replies[0], Notice) and turn.replies[0].kind == "resumed"
            for field_id, value in after.items():
                assert parsed_for_its_field(spec.field(field_id), value, typed), (field_id, value, lines)
