"""A call with answers to export: the sample form (tests/support/forms.py), three orgs, and answers
of every field type."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from intake.calls_load import load_call
from intake.orgs_import import import_orgs
from models import CallKind, Contact, Submission, SubmissionStatus
from tests.support.files import NOW, ORGS_CSV, write_call, write_form
from tests.support.forms import SAMPLE

CALL = "lesekampanje-2027"
SUBMITTED_AT = datetime(2026, 11, 20, 13, 5, tzinfo=UTC)
FULL: dict[str, Any] = {
    "mal": "Alle elever leser, hver dag.",
    "ekstern": "ja",
    "partner": "Nord universitet",
    "start": "2027-01-04",
    "deltakere": 120,
    "niva": "skole",
    "malgrupper": ["ledere", "ppt"],
    "budsjett": [{"post": "Forfatterbesøk", "belop": 40_000}, {"post": "Bøker", "belop": 85_500}],
    "egen": 37_650,
    "nivaer": {"leder": "ja", "ansatte": "nei"},
}


def prepare_call(session: Session, tmp_path: Path, form: dict[str, Any] = SAMPLE) -> Session:
    """The orgs and the call on the form (the sample form unless a test gives a variant), committed."""
    import_orgs(session, ORGS_CSV)
    write_form(tmp_path, form)
    load_call(session, write_call(tmp_path), NOW)
    session.commit()
    return session


def add_submission(session: Session, org_id: str, answers: dict[str, Any], submitted: bool) -> None:
    contact = session.exec(select(Contact).where(Contact.org_id == org_id)).first()
    assert contact is not None and contact.id is not None
    sub = Submission(
        call_id=CALL,
        org_id=org_id,
        kind=CallKind.application,
        status=SubmissionStatus.submitted if submitted else SubmissionStatus.draft,
        answers=answers,
        started_by=contact.id,
        created_at=NOW,
        updated_at=NOW,
    )
    if submitted:
        sub.submitted_by, sub.submitted_at, sub.receipt_number = contact.id, SUBMITTED_AT, "2026/1234-5052-1"
    session.add(sub)
    session.commit()
