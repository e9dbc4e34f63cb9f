"""Receipt numbers: unique across calls that share a case number, new for each sending-in, and
never changed once stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from intake import usecases
from intake.usecases import Submitted
from models import AuditEntry, Call, CallKind, Eligibility, Submission
from tests.support.forms import HAPPY, SAMPLE
from tests.support.seed import CALL_ID, NOW, contact, seed

REPORT_ID = "proveordning-rapport"


@pytest.fixture
def two_calls(session: Session) -> Session:
    """The application of the seed and an annual report under the same case number."""
    application = seed(session)
    report = Call(
        id=REPORT_ID,
        title={"nb": "Årsrapport 2026", "nn": "Årsrapport 2026"},
        kind=CallKind.report,
        form_ref="sample",
        form=SAMPLE,
        case_number=application.case_number,
        opens=application.opens,
        deadline=application.deadline,
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(report)
    session.flush()
    session.add(Eligibility(call_id=REPORT_ID, org_id="5052"))
    session.add(Eligibility(call_id=REPORT_ID, org_id="5020"))
    session.commit()
    return session


def send_in(session: Session, email: str, call_id: str, minutes: int) -> str:
    who = contact(session, email)
    usecases.open_submission(session, who, call_id, NOW)
    for line in HAPPY:
        usecases.answer(session, who, call_id, line, NOW)
    turn = usecases.answer(session, who, call_id, "send inn", NOW + timedelta(minutes=minutes))
    receipt = turn.replies[0]
    assert isinstance(receipt, Submitted), turn.replies
    return receipt.receipt_number


def stored_receipts(session: Session) -> dict[tuple[str, str], str | None]:
    session.expire_all()
    return {(row.call_id, row.org_id): row.receipt_number for row in session.exec(select(Submission))}


def test_an_application_and_a_report_under_one_case_number_get_different_receipts(two_calls: Session) -> None:
    application = send_in(two_calls, "kari@leka.example.no", CALL_ID, 1)
    report = send_in(two_calls, "kari@leka.example.no", REPORT_ID, 2)
    osen = send_in(two_calls, "oda@osen.example.no", REPORT_ID, 3)
    assert len({application, report, osen}) == 3
    assert all(number.startswith("2026/8140-") for number in (application, report, osen))
    assert application.startswith("2026/8140-5052-") and osen.startswith("2026/8140-5020-")
    assert stored_receipts(two_calls) == {
        (CALL_ID, "5052"): application,
        (REPORT_ID, "5052"): report,
        (REPORT_ID, "5020"): osen,
    }


def test_each_sending_in_gets_its_own_number_and_stored_numbers_never_change(two_calls: Session) -> None:
    kari = contact(two_calls, "kari@leka.example.no")
    first = send_in(two_calls, "kari@leka.example.no", CALL_ID, 1)
    report = send_in(two_calls, "kari@leka.example.no", REPORT_ID, 2)
    usecases.answer(two_calls, kari, CALL_ID, "gjenåpne", NOW + timedelta(minutes=3))
    second = usecases.answer(two_calls, kari, CALL_ID, "send inn", NOW + timedelta(minutes=4)).replies[0]
    usecases.answer(two_calls, kari, REPORT_ID, "gjenåpne", NOW + timedelta(minutes=5))
    report_again = usecases.answer(two_calls, kari, REPORT_ID, "send inn", NOW + timedelta(minutes=6)).replies[0]
    assert isinstance(second, Submitted) and isinstance(report_again, Submitted)
    numbers = [first, report, second.receipt_number, report_again.receipt_number]
    assert len(set(numbers)) == 4, numbers
    audited = [
        entry.detail["receipt"]
        for entry in two_calls.exec(
            select(AuditEntry).where(AuditEntry.action == "submit").order_by(col(AuditEntry.id))
        )
    ]
    assert audited == numbers  # each number is kept in the audit trail of its sending-in
    # A call reloaded with another case number later leaves the receipts already given alone.
    application = two_calls.get(Call, CALL_ID)
    assert application is not None
    application.case_number = "2027/1"
    two_calls.commit()
    assert stored_receipts(two_calls) == {(CALL_ID, "5052"): numbers[2], (REPORT_ID, "5052"): numbers[3]}


def test_the_same_sending_in_always_gets_the_same_number(two_calls: Session) -> None:
    number = send_in(two_calls, "kari@leka.example.no", CALL_ID, 1)
    row = two_calls.exec(select(Submission).where(Submission.call_id == CALL_ID)).one()
    call = two_calls.get(Call, CALL_ID)
    assert call is not None
    assert usecases.receipt_number(call, row) == number
