"""Where an org stands in a call: one model, read in one query, measured by the engine itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session

from intake import engine as form_engine
from intake.calls import form_of
from intake.directory import org_calls
from intake.standing import ASKING, CLOSED, EDITABLE, IN, Standing, call_standings, org_standing, standing_of
from models import Call, CallKind, Eligibility, Organisation, SubmissionStatus
from tests.support.seed import CALL_ID, NOW, add_submission, contact, seed

DRAFT = {"mal": "Bedre lesing", "ekstern": "ja", "budsjett": [{"post": "Kurs", "belop": 600_000}]}


def add(
    session: Session, org_id: str, status: SubmissionStatus, answers: dict[str, Any], call_id: str = CALL_ID
) -> None:
    submitted = status == SubmissionStatus.submitted
    add_submission(
        session,
        org_id,
        status,
        answers,
        by=contact(session, "kari@leka.example.no"),
        call_id=call_id,
        submitted_at=NOW if submitted else None,
        receipt_number="2026/8140-5052-1-1" if submitted else None,
    )


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_every_submission_status_is_a_standing_and_the_groups_say_what_they_mean() -> None:
    assert {status.value for status in SubmissionStatus} < {standing.value for standing in Standing}
    assert standing_of(None) is Standing.not_started and standing_of("reopened") is Standing.reopened
    assert SubmissionStatus.draft in EDITABLE and SubmissionStatus.submitted not in EDITABLE
    assert Standing.declined not in ASKING and Standing.withdrawn not in ASKING
    assert {"submitted", "reopened"} == IN and Standing.not_started not in CLOSED


def test_a_call_is_read_in_one_query_with_the_engines_own_progress(engine: Engine, session: Session) -> None:
    call = seed(session)
    add(session, "5052", SubmissionStatus.draft, DRAFT)
    add(session, "5020", SubmissionStatus.declined, {"budsjett": [{"post": "Kurs", "belop": 90_000}]})
    add(session, "9999", SubmissionStatus.submitted, {"mal": "Ikke med"})  # not eligible: not in the call

    with Session(engine) as fresh, statements(engine) as seen:
        loaded = fresh.get(Call, CALL_ID)
        assert loaded is not None
        before = len(seen)
        standings = call_standings(fresh, loaded)
        assert len(seen) - before == 1

    assert [(s.org.name, s.standing) for s in standings] == [
        ("Leka kommune", Standing.draft),
        ("Osen kommune", Standing.declined),
    ]
    leka, osen = standings
    expected = form_engine.progress(form_of(call), DRAFT, form_engine.Context("nb", 500_000))
    assert (leka.answered, leka.total, leka.progress.missing) == (expected.answered, expected.total, expected.missing)
    assert leka.progress.total > 0 and leka.progress.missing  # a draft: some questions left
    assert (leka.frame, leka.amount, leka.difference) == (500_000, 600_000, 100_000)
    assert (osen.frame, osen.amount, osen.org.language) == (150_000, None, "nn")  # declined: asks for nothing


def test_an_org_that_never_started_and_one_no_longer_eligible(session: Session) -> None:
    call = seed(session)
    add(session, "9999", SubmissionStatus.draft, {"mal": "Fra før"})
    leka = org_standing(session, call, "5052")
    assert (leka.standing, leka.answered, leka.amount, leka.receipt_number) == (Standing.not_started, 0, None, None)
    assert leka.total == form_engine.progress(form_of(call), {}, form_engine.Context("nb", 500_000)).total
    outside = org_standing(session, call, "9999")
    assert (outside.standing, outside.frame, outside.answered) == (Standing.draft, None, 1)


def test_an_orgs_calls_are_read_at_once_soonest_deadline_first(engine: Engine, session: Session) -> None:
    seed(session)
    later = Call(
        id="senere-2026",
        title={"nb": "Senere", "nn": "Seinare"},
        kind=CallKind.application,
        form_ref="sample",
        form=session.get(Call, CALL_ID).form,  # type: ignore[union-attr]
        case_number="2026/9000",
        opens=NOW - timedelta(days=1),
        deadline=NOW + timedelta(days=40),
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(later)
    session.add(Eligibility(call_id=later.id, org_id="5052", frame=None))
    session.commit()
    add(session, "5052", SubmissionStatus.submitted, DRAFT, call_id=later.id)
    leka = session.get(Organisation, "5052")
    assert leka is not None
    with statements(engine) as seen:
        calls = org_calls(session, leka, NOW)
    assert len(seen) == 1
    assert [(item.call.id, item.status, item.frame, item.receipt_number) for item in calls] == [
        (CALL_ID, "not_started", 500_000, None),
        ("senere-2026", "submitted", None, "2026/8140-5052-1-1"),
    ]
