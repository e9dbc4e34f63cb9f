"""The archive copy of a submission is made when it comes in (the outbox row its submit queued) and
holds what was sent, however late the worker makes it; a resubmission adds a new copy that replaces
the old one in the archive export; a row handled twice, or by two processes, stores one copy."""

from __future__ import annotations

import hashlib
import threading
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.archive_copies import make_archive_copy, newest_copies
from bot.archive_export import call_archive
from bot.settings import Settings
from intake import usecases
from intake.edits import edit_answers
from models import ArchiveCopy, OutboxKind, OutboxMessage, Submission
from models.clock import fixed_clock
from models.db import make_engine
from models.migrate import upgrade
from tests.support.forms import HAPPY
from tests.support.pdf_checks import check_archive_pdf, one_line
from tests.support.seed import CALL_ID, NOW, contact, seed

LATER = NOW + timedelta(hours=1)


def submit_all(session: Session, at=NOW) -> None:
    kari = contact(session, "kari@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, at)
    for line in HAPPY:
        usecases.answer(session, kari, CALL_ID, line, at)
    assert usecases.answer(session, kari, CALL_ID, "send inn", at).submitted


def archive_rows(session: Session) -> list[OutboxMessage]:
    found = select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.archive).order_by(col(OutboxMessage.id))
    return list(session.exec(found))


def reopen_and_change_the_goal(session: Session, goal: str) -> None:
    kari = contact(session, "kari@leka.example.no")
    usecases.answer(session, kari, CALL_ID, "gjenåpne", NOW + timedelta(minutes=1))
    version = session.exec(select(Submission)).one().version
    result = edit_answers(session, kari, CALL_ID, {"mal": goal}, NOW + timedelta(minutes=2), version)
    assert not result.errors and not result.conflict


def test_the_copy_is_what_was_sent_even_when_made_after_the_contact_reopened_and_edited(
    engine: Engine, session: Session
) -> None:
    seed(session)
    submit_all(session)
    [first] = archive_rows(session)
    assert first.key == "archive:proveordning-2026:5052:r1" and first.data["revision"] == 1
    reopen_and_change_the_goal(session, "Et nytt mål skrevet etterpå")
    assert make_archive_copy(engine, first, fixed_clock(LATER))
    [copy] = session.exec(select(ArchiveCopy)).all()
    text = one_line(check_archive_pdf(copy.content))
    assert "Bedre leseopplæring" in text and "Et nytt mål" not in text
    assert copy.receipt_number in text and "Leka kommune" in text and copy.sender == "Leka kommune"
    assert copy.revision == 1 and copy.received_at == NOW and copy.made_at == LATER
    assert copy.sha256 == hashlib.sha256(copy.content).hexdigest()


def test_a_resubmission_gets_its_own_copy_which_replaces_the_first_in_the_export(
    engine: Engine, session: Session
) -> None:
    seed(session)
    submit_all(session)
    reopen_and_change_the_goal(session, "Et nytt mål")
    kari = contact(session, "kari@leka.example.no")
    assert usecases.answer(session, kari, CALL_ID, "send inn", NOW + timedelta(minutes=3)).submitted
    rows = archive_rows(session)
    assert [row.key for row in rows] == ["archive:proveordning-2026:5052:r1", "archive:proveordning-2026:5052:r2"]
    for row in rows:
        assert make_archive_copy(engine, row, fixed_clock(LATER))
    session.expire_all()
    newest = newest_copies(session, CALL_ID)
    assert [copy.revision for copy in newest.values()] == [2]
    [document] = call_archive(session, CALL_ID, Settings(), fixed_clock(LATER))
    assert document.name == "2026-8140-5052-soknad-r2" and document.content == next(iter(newest.values())).content
    assert "Et nytt mål" in one_line(check_archive_pdf(document.content))
    assert len(session.exec(select(ArchiveCopy)).all()) == 2  # the first is kept in the database


def test_a_row_handled_again_stores_nothing_more(engine: Engine, session: Session) -> None:
    seed(session)
    submit_all(session)
    [row] = archive_rows(session)
    assert make_archive_copy(engine, row, fixed_clock(LATER))
    assert not make_archive_copy(engine, row, fixed_clock(LATER + timedelta(minutes=5)))
    assert len(session.exec(select(ArchiveCopy)).all()) == 1


def test_two_processes_making_the_same_copy_at_once_store_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'two.db'}"
    engines = [make_engine(url), make_engine(url)]
    upgrade(engines[0])
    with Session(engines[0]) as session:
        seed(session)
        submit_all(session)
        [row] = archive_rows(session)
    start, results = threading.Barrier(2), []

    def make(engine: Engine) -> None:
        start.wait(10)
        results.append(make_archive_copy(engine, row, fixed_clock(LATER)))

    threads = [threading.Thread(target=make, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == [False, True]
    with Session(engines[1]) as session:
        assert len(session.exec(select(ArchiveCopy)).all()) == 1
    for engine in engines:
        engine.dispose()
