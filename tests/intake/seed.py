"""Rows the use-case and console tests start from: two orgs (one nynorsk), three contacts, one call."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from models import Call, CallKind, Contact, Eligibility, Language, Organisation, OrgKind
from tests.conftest import NOW
from tests.intake.forms import SAMPLE

CALL_ID = "proveordning-2026"


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
