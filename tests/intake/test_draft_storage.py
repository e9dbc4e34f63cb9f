"""How a draft is written: the delivery id goes in the same commit as the answer, a copy read
before another contact's save is never written over it, and a failed write leaves nothing behind."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func
from sqlmodel import Session, col, select

from intake import drafts, usecases
from intake.calls import form_of
from intake.edits import edit_form
from intake.replies import Notice, Question
from intake.requests import Request
from intake.usecases import IntakeRefusal
from models import AuditEntry, Call, CallData, Conversation, Eligibility, ProcessedDelivery, Submission
from models.deliveries import AlreadyHandled, claim
from tests.support.seed import CALL_ID, NOW, contact, seed


@pytest.fixture
def call(session: Session):
    return seed(session)


def stored(engine: Engine) -> tuple[dict[str, Any], int, list[str]]:
    """(answers, version, audited actions) as another connection sees them."""
    with Session(engine) as fresh:
        submission = fresh.exec(select(Submission)).one()
        actions = list(fresh.exec(select(AuditEntry.action).order_by(col(AuditEntry.id))))
        return submission.answers, submission.version, actions


def delivered(engine: Engine) -> set[str]:
    with Session(engine) as fresh:
        return set(fresh.exec(select(ProcessedDelivery.key)))


@contextmanager
def failing_once(engine: Engine, table: str) -> Iterator[None]:
    """The next INSERT into `table` fails, as a lost connection would make it."""
    state = {"armed": True}

    def fail(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if state["armed"] and statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()}"):
            state["armed"] = False
            raise ConnectionError(f"lost the database while writing {table}")

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)


def test_the_delivery_is_stored_with_the_answer_and_a_retry_changes_nothing(
    engine: Engine, session: Session, call
) -> None:
    kari = contact(session, "kari@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW, request=Request("event:Ev1"))
    usecases.answer(session, kari, CALL_ID, "Bedre lesing", NOW, request=Request("event:Ev2"))
    before = stored(engine)
    with pytest.raises(AlreadyHandled):
        usecases.answer(session, kari, CALL_ID, "nei", NOW, request=Request("event:Ev2"))
    assert stored(engine) == before
    assert before[0] == {"mal": "Bedre lesing"} and before[2] == ["start", "answer"]
    assert delivered(engine) == {"event:Ev1", "event:Ev2"}
    usecases.answer(session, kari, CALL_ID, "nei", NOW, request=Request("event:Ev3"))  # the session is still usable
    assert stored(engine)[0] == {"mal": "Bedre lesing", "ekstern": "nei"}


def test_a_write_that_fails_half_way_leaves_nothing_so_the_retry_does_it_all(
    engine: Engine, session: Session, call
) -> None:
    kari = contact(session, "kari@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    before = stored(engine)
    with failing_once(engine, "auditentry"), pytest.raises(ConnectionError):
        usecases.answer(session, kari, CALL_ID, "Bedre lesing", NOW, request=Request("event:Ev9"))
    assert stored(engine) == before and "event:Ev9" not in delivered(engine)
    turn = usecases.answer(session, kari, CALL_ID, "Bedre lesing", NOW, request=Request("event:Ev9"))
    assert isinstance(turn.replies[-1], Question) and turn.replies[-1].field.id == "ekstern"
    answers, version, actions = stored(engine)
    assert answers == {"mal": "Bedre lesing"} and version == before[1] + 1 and actions == ["start", "answer"]
    assert "event:Ev9" in delivered(engine)


def test_a_draft_read_before_another_contact_saved_is_not_written_over_it(
    engine: Engine, session: Session, call
) -> None:
    kari, per = contact(session, "kari@leka.example.no"), contact(session, "per@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    usecases.open_submission(session, per, CALL_ID, NOW)
    behind = drafts.load(session, per, CALL_ID, NOW, request=Request("event:EvPer"))
    session.rollback()  # ends the read (and its row lock on PostgreSQL): Kari's save gets in between
    with Session(engine, expire_on_commit=False) as other:
        usecases.answer(other, kari, CALL_ID, "Kari sitt mål", NOW)
    turn = usecases.answer_draft(behind, "Per sitt mål")
    notice = turn.replies[0]
    assert isinstance(notice, Notice) and notice.kind == "changed_by_other"
    assert notice.data["changes"] == [{"who": "Kari Leka", "fields": ["mal"]}]
    answers, version, actions = stored(engine)
    assert answers == {"mal": "Kari sitt mål"} and actions.count("answer") == 1
    assert "event:EvPer" in delivered(engine)  # the second attempt stored the delivery
    with Session(engine) as fresh:
        seen = fresh.exec(select(Conversation.seen_version).where(Conversation.contact_id == per.id)).one()
    assert seen == version


def test_the_latest_draft_of_a_slack_user_comes_in_one_query(engine: Engine, session: Session, call) -> None:
    assert drafts.latest(session, "U0KARI", NOW) is None  # Kari has not started anything yet
    kari = contact(session, "kari@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        draft = drafts.latest(session, "U0KARI", NOW)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert draft is not None and draft.contact.id == kari.id and draft.call.id == CALL_ID
    assert draft.spec.id and draft.context.frame == 500_000 and not draft.fresh
    assert len(statements) == 1, statements
    session.rollback()
    assert drafts.latest(session, "U0NOBODY", NOW) is None
    assert drafts.latest(session, "U0KARI", call.deadline + timedelta(seconds=1)) is None  # closed: ask again


def test_an_answer_typed_in_slack_finds_the_draft_and_stores_once(engine: Engine, session: Session, call) -> None:
    kari = contact(session, "kari@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    turn = usecases.answer_latest(session, "U0KARI", "Bedre lesing", NOW, Request("event:EvA"))
    assert turn is not None and turn.contact.id == kari.id
    with pytest.raises(AlreadyHandled):
        usecases.answer_latest(session, "U0KARI", "Bedre lesing", NOW, Request("event:EvA"))
    with Session(engine) as fresh:
        count = fresh.exec(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "answer")).one()
    assert count == 1


def test_one_delivery_handled_twice_at_the_same_moment_is_stored_once(engine: Engine, session: Session, call) -> None:
    kari = contact(session, "kari@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def handle() -> None:
        with Session(engine, expire_on_commit=False) as own:
            barrier.wait()
            try:
                usecases.answer_latest(own, "U0KARI", "Bedre lesing", NOW, Request("event:EvTwice"))
                outcomes.append("answered")
            except AlreadyHandled:
                outcomes.append("dropped")

    threads = [threading.Thread(target=handle) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["answered", "dropped"]
    answers, _, actions = stored(engine)
    assert answers == {"mal": "Bedre lesing"} and actions == ["start", "answer"]


def test_a_reloaded_call_brings_its_new_form_to_the_next_answer(engine: Engine, session: Session, call) -> None:
    kari = contact(session, "kari@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    reloaded = session.get(Call, CALL_ID)
    assert reloaded is not None
    form = copy.deepcopy(reloaded.form)
    form["fields"][0]["label"]["nb"] = "Mål, tiltak og målgruppe"
    reloaded.form, reloaded.updated_at = form, NOW + timedelta(minutes=1)
    session.add(reloaded)
    session.commit()
    draft = drafts.latest(session, "U0KARI", NOW + timedelta(minutes=2))
    assert draft is not None and draft.spec.field("mal").label.nb == "Mål, tiltak og målgruppe"


def test_the_form_of_a_call_read_without_it_needs_a_session(session: Session, call) -> None:
    light = CallData.model_construct(id="ny-ordning", updated_at=NOW)
    with pytest.raises(ValueError, match="form of call ny-ordning is not loaded"):
        form_of(light)


def test_a_message_of_the_same_contact_handled_in_between_is_not_undone(engine: Engine, session: Session, call) -> None:
    kari = contact(session, "kari@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    usecases.answer(session, kari, CALL_ID, "Bedre lesing", NOW)  # now asked: ekstern
    behind = drafts.latest(session, "U0KARI", NOW)
    assert behind is not None and behind.conversation.position == "ekstern"
    session.rollback()
    with Session(engine, expire_on_commit=False) as other:  # "back" was handled first: mal is asked again
        turn = usecases.answer_latest(other, "U0KARI", "tilbake", NOW)
        assert turn is not None and turn.position == "mal"
    usecases.answer_draft(behind, "Lesing for alle")
    answers, _, _ = stored(engine)
    assert answers == {"mal": "Lesing for alle"}  # the answer went where the contact had gone back to
    with Session(engine) as fresh:
        position = fresh.exec(select(Conversation.position).where(Conversation.contact_id == kari.id)).one()
    assert position == "ekstern"


def test_an_org_taken_out_of_the_call_is_not_answered_in_it(engine: Engine, session: Session, call) -> None:
    kari = contact(session, "kari@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    eligibility = session.get(Eligibility, (CALL_ID, kari.org_id))
    session.delete(eligibility)
    session.commit()
    assert drafts.latest(session, "U0KARI", NOW) is None
    with pytest.raises(IntakeRefusal):
        usecases.answer(session, kari, CALL_ID, "Bedre lesing", NOW)


def test_a_refused_delivery_leaves_no_new_draft_behind(engine: Engine, session: Session, call) -> None:
    kari = contact(session, "kari@leka.example.no")
    assert claim(engine, "event:EvSeen", NOW)
    with pytest.raises(AlreadyHandled):
        usecases.open_submission(session, kari, CALL_ID, NOW, request=Request("event:EvSeen"))
    with Session(engine) as fresh:
        assert fresh.exec(select(func.count()).select_from(Submission)).one() == 0


def test_opening_the_edit_form_of_a_new_draft_keeps_it_with_its_audit_row(
    engine: Engine, session: Session, call
) -> None:
    kari = contact(session, "kari@leka.example.no")
    form = edit_form(session, kari, CALL_ID, NOW)
    assert form.editable and form.answers == {}
    assert stored(engine)[2] == ["start"]


def test_a_busy_draft_is_tried_again_until_the_answer_goes_in(engine: Engine, session: Session, call) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL the row lock makes the other saves wait instead of getting in between")
    kari, per = contact(session, "kari@leka.example.no"), contact(session, "per@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    usecases.open_submission(session, per, CALL_ID, NOW)

    def per_answers(other: Session) -> None:
        usecases.answer(other, per, CALL_ID, "Per sitt mål", NOW)

    def kari_asks_for_status_in_another_message(other: Session) -> None:
        usecases.answer_latest(other, "U0KARI", "status", NOW)

    in_between = [per_answers, kari_asks_for_status_in_another_message]

    def someone_gets_in_first(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO processeddelivery") and in_between:
            with Session(engine, expire_on_commit=False) as other:
                in_between.pop(0)(other)

    event.listen(engine, "before_cursor_execute", someone_gets_in_first)
    try:
        turn = usecases.answer(session, kari, CALL_ID, "Kari sitt mål", NOW, request=Request("event:EvBusy"))
    finally:
        event.remove(engine, "before_cursor_execute", someone_gets_in_first)
    assert not in_between  # both saves got in before Kari's answer: it took three attempts
    assert turn.contact.id == kari.id
    answers, _, _ = stored(engine)
    assert answers == {"mal": "Kari sitt mål"}  # caught up, she was shown the same question again
    assert "event:EvBusy" in delivered(engine)
