"""Rows the tests and benchmarks start from: two orgs (one nynorsk) eligible for one call, an org that
is not, their contacts, and the Slack ids the fake Slack knows them by."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from models import Call, CallKind, Contact, Eligibility, Language, Organisation, OrgKind, Submission, SubmissionStatus
from models.clock import OSLO
from tests.support.forms import SAMPLE

CALL_ID = "proveordning-2026"
# A fixed "now" inside the calls the tests build: Monday 2 March 2026, 10:00 Oslo.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# Kari's Slack id is in the seeded contacts; Per and Oda are found by e-mail on first contact.
KARI, PER, ODA, STRANGER = "U0KARI", "U0PER", "U0ODA", "U0STRANGER"
SLACK_IDS_BY_EMAIL = {
    "kari@leka.example.no": KARI,
    "per@leka.example.no": PER,
    "oda@osen.example.no": ODA,
    "stranger@example.org": STRANGER,
}


def seed(session: Session, form: dict[str, Any] = SAMPLE, now: datetime = NOW) -> Call:
    session.add(Organisation(id="5052", name="Leka kommune", kind=OrgKind.kommune, language=Language.nb))
    session.add(Organisation(id="5020", name="Osen kommune", kind=OrgKind.kommune, language=Language.nn))
    session.add(Organisation(id="9999", name="Utenfor kommune", kind=OrgKind.kommune, language=Language.nb))
    session.flush()
    session.add(Contact(org_id="5052", name="Kari Leka", email="kari@leka.example.no", slack_user_id="U0KARI"))
    session.add(Contact(org_id="5052", name="Per Leka", email="per@leka.example.no"))
    session.add(Contact(org_id="5020", name="Oda Osen", email="oda@osen.example.no"))
    session.add(Contact(org_id="9999", name="Ola Utenfor", email="ola@utenfor.example.no"))
    call = Call(
        id=CALL_ID,
        title={"nb": "Prøveordningen 2026", "nn": "Prøveordninga 2026"},
        kind=CallKind.application,
        form_ref="sample",
        form=form,
        case_number="2026/8140",
        opens=now - timedelta(days=7),
        deadline=now + timedelta(days=25),
        reminders=[14, 7, 2, 0],
        created_at=now,
        updated_at=now,
    )
    session.add(call)
    session.flush()
    session.add(Eligibility(call_id=CALL_ID, org_id="5052", frame=500_000))
    session.add(Eligibility(call_id=CALL_ID, org_id="5020", frame=150_000))
    session.commit()
    return call


def contact(session: Session, email: str) -> Contact:
    return session.exec(select(Contact).where(Contact.email == email)).one()


def add_submission(
    session: Session,
    org_id: str,
    status: SubmissionStatus,
    answers: dict[str, Any] | None = None,
    *,
    by: Contact,
    call_id: str = CALL_ID,
    at: datetime = NOW,
    **columns: Any,
) -> Submission:
    """A submission as the use cases would have stored it, started by `by`; committed."""
    assert by.id is not None
    row = Submission(
        call_id=call_id,
        org_id=org_id,
        kind=CallKind.application,
        status=status,
        answers=answers or {},
        started_by=by.id,
        created_at=at,
        updated_at=at,
        **columns,
    )
    session.add(row)
    session.commit()
    return row


def the_submission(engine: Engine) -> Submission:
    """The one submission in the database."""
    with Session(engine) as session:
        return session.exec(select(Submission)).one()


def make_reminder_due(session: Session, now: datetime) -> None:
    """Move the seeded call's deadline to tomorrow 23:59 with one reminder a day before at 00:00:
    due `now`, for every eligible contact (the daily digest starts at 08:00)."""
    tomorrow = now.astimezone(OSLO).date() + timedelta(days=1)
    call = session.get(Call, CALL_ID)
    assert call is not None
    call.deadline = datetime.combine(tomorrow, datetime.min.time(), tzinfo=OSLO).replace(hour=23, minute=59)
    call.reminders, call.reminder_time = [1], "00:00"
    call.digest = {"from_days": 0, "at": "08:00", "after_deadline": False}
    call.updated_at = now
    session.add(call)
    session.commit()
