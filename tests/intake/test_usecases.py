"""Use cases against a real database: every answer is stored before the reply comes back."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.messages import render_turn
from intake import usecases
from intake.replies import Notice, Question, Review
from intake.usecases import IntakeRefusal, Submitted
from models import AuditEntry, Conversation, Submission, SubmissionStatus
from tests.support.forms import HAPPY
from tests.support.seed import CALL_ID, NOW, contact, seed


@pytest.fixture
def call(session: Session):
    return seed(session)


def stored(engine: Engine) -> Submission:
    with Session(engine) as fresh:
        return fresh.exec(select(Submission)).one()


def test_each_answer_is_committed_before_the_reply(engine: Engine, session: Session, call) -> None:
    kari = contact(session, "kari@leka.example.no")
    turn = usecases.open_submission(session, kari, CALL_ID, NOW)
    assert isinstance(turn.replies[-1], Question) and turn.lang == "nb"
    usecases.answer(session, kari, CALL_ID, "Bedre leseopplæring", NOW)
    assert stored(engine).answers == {"mal": "Bedre leseopplæring"}
    usecases.answer(session, kari, CALL_ID, "ikke sikker", NOW)
    assert stored(engine).answers == {"mal": "Bedre leseopplæring"}


def test_a_whole_submission_gets_a_receipt_and_can_be_reopened_before_the_deadline(
    engine: Engine, session: Session, call
) -> None:
    kari = contact(session, "kari@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    for line in HAPPY:
        usecases.answer(session, kari, CALL_ID, line, NOW)
    turn = usecases.answer(session, kari, CALL_ID, "send inn", NOW + timedelta(minutes=5))
    receipt = turn.replies[0]
    assert isinstance(receipt, Submitted) and turn.submitted
    assert receipt.receipt_number == f"2026/8140-5052-{stored(engine).id}-1"
    row = stored(engine)
    assert row.status == SubmissionStatus.submitted
    assert row.submitted_at == NOW + timedelta(minutes=5) and row.submitted_by == kari.id
    again = usecases.answer(session, kari, CALL_ID, "send inn", NOW + timedelta(minutes=6))
    assert isinstance(again.replies[0], Notice) and again.replies[0].kind == "already_submitted"
    reopened = usecases.answer(session, kari, CALL_ID, "gjenåpne", NOW + timedelta(minutes=7))
    assert isinstance(reopened.replies[-1], Review)
    assert stored(engine).status == SubmissionStatus.reopened
    resubmitted = usecases.answer(session, kari, CALL_ID, "send inn", NOW + timedelta(minutes=8))
    assert isinstance(resubmitted.replies[0], Submitted)
    assert resubmitted.replies[0].receipt_number == f"2026/8140-5052-{stored(engine).id}-2"
    actions = [entry.action for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))]
    assert actions.count("submit") == 2 and "reopen" in actions and actions[0] == "start"


def test_two_contacts_share_one_draft_and_the_one_behind_is_told_what_changed(
    engine: Engine, session: Session, call
) -> None:
    kari, per = contact(session, "kari@leka.example.no"), contact(session, "per@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    usecases.open_submission(session, per, CALL_ID, NOW)
    usecases.answer(session, kari, CALL_ID, "Kari sitt mål", NOW)
    turn = usecases.answer(session, per, CALL_ID, "Per sitt mål", NOW)
    notice, question = turn.replies
    assert isinstance(notice, Notice) and notice.kind == "changed_by_other"
    assert notice.data["changes"] == [{"who": "Kari Leka", "fields": ["mal"]}]
    # the question that conflicted, with the answer that stands now: "answer again" means this one
    assert isinstance(question, Question) and question.field.id == "mal" and question.current == "Kari sitt mål"
    text = render_turn(turn)[0]
    assert "siden sist:\n• Kari Leka endret «Mål og tiltak»" in text
    assert stored(engine).answers["mal"] == "Kari sitt mål"
    usecases.answer(session, per, CALL_ID, "neste", NOW)
    usecases.answer(session, per, CALL_ID, "ja", NOW)
    assert stored(engine).answers == {"mal": "Kari sitt mål", "ekstern": "ja"}
    assert len(session.exec(select(Submission)).all()) == 1


def test_a_contact_who_never_started_is_not_welcomed_back(session: Session, call) -> None:
    kari, per = contact(session, "kari@leka.example.no"), contact(session, "per@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    usecases.answer(session, kari, CALL_ID, "Kari sitt mål", NOW)
    turn = usecases.open_submission(session, per, CALL_ID, NOW)
    notice = turn.replies[0]
    assert isinstance(notice, Notice) and notice.kind == "joined" and notice.data["starter"] == "Kari Leka"
    text = render_turn(turn)[0]
    assert "Velkommen tilbake" not in text and "Kari Leka fra Leka kommune har allerede begynt" in text
    again = usecases.open_submission(session, per, CALL_ID, NOW)
    assert isinstance(again.replies[0], Notice) and again.replies[0].kind == "resumed"


def test_after_the_deadline_nothing_changes_and_the_answers_stay(engine: Engine, session: Session, call) -> None:
    kari = contact(session, "kari@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    usecases.answer(session, kari, CALL_ID, "Mål", NOW)
    late = call.deadline + timedelta(minutes=1)
    turn = usecases.answer(session, kari, CALL_ID, "nei", late)
    assert isinstance(turn.replies[0], Notice) and turn.replies[0].kind == "deadline_passed"
    assert stored(engine).answers == {"mal": "Mål"}


def test_an_org_outside_the_call_and_a_call_not_yet_open_are_refused(session: Session, call) -> None:
    ola = contact(session, "ola@utenfor.example.no")
    with pytest.raises(IntakeRefusal) as refused:
        usecases.open_submission(session, ola, CALL_ID, NOW)
    assert refused.value.kind == "not_eligible"
    with pytest.raises(IntakeRefusal) as early:
        usecases.open_submission(
            session, contact(session, "kari@leka.example.no"), CALL_ID, call.opens - timedelta(seconds=1)
        )
    assert early.value.kind == "not_open_yet"


def test_a_nynorsk_org_gets_nynorsk(session: Session, call) -> None:
    turn = usecases.open_submission(session, contact(session, "oda@osen.example.no"), CALL_ID, NOW)
    assert turn.lang == "nn"


def test_contacts_starting_at_the_same_moment_share_one_draft(engine: Engine, session: Session, call) -> None:
    ids = [contact(session, "kari@leka.example.no"), contact(session, "per@leka.example.no")]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(ids))

    def open_one(person) -> None:
        try:
            with Session(engine, expire_on_commit=False) as own:
                barrier.wait()
                usecases.answer(own, person, CALL_ID, "Samtidig", NOW)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_one, args=(person,)) for person in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    with Session(engine) as fresh:
        assert len(fresh.exec(select(Submission)).all()) == 1


def test_the_conversation_always_records_the_version_the_contact_has_seen(
    engine: Engine, session: Session, call
) -> None:
    kari = contact(session, "kari@leka.example.no")

    def versions() -> tuple[int, int]:
        with Session(engine) as fresh:
            submission = fresh.exec(select(Submission)).one()
            conversation = fresh.exec(select(Conversation).where(Conversation.contact_id == kari.id)).one()
            return conversation.seen_version, submission.version

    usecases.open_submission(session, kari, CALL_ID, NOW)
    for line in [*HAPPY, "send inn", "gjenåpne", "se over", "send inn"]:
        usecases.answer(session, kari, CALL_ID, line, NOW)
        seen, version = versions()
        assert seen == version, line
    usecases.decline(session, kari, CALL_ID, NOW)
    assert versions()[0] == versions()[1]
