"""Reading a call: its form, whether it is open, and what the engine needs to know about an org."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from intake.engine import Context
from intake.spec import FormSpec
from models import Call, Eligibility, Organisation

_forms: dict[tuple[str, datetime], FormSpec] = {}


def form_of(call: Call) -> FormSpec:
    """The call's form as stored when the call was loaded (later edits to the file do not leak in).

    Parsed once per version of the call: a reload bumps `updated_at`.
    """
    key = (call.id, call.updated_at)
    form = _forms.get(key)
    if form is None:
        form = _forms[key] = FormSpec.model_validate(call.form)
    return form


def is_open(call: Call, now: datetime) -> bool:
    return call.opens <= now <= call.deadline


def frame_of(session: Session, call_id: str, org_id: str) -> int | None:
    eligibility = session.get(Eligibility, (call_id, org_id))
    return eligibility.frame if eligibility else None


def call_context(session: Session, call: Call, org_id: str, org: Organisation) -> Context:
    return Context(lang=org.language, frame=frame_of(session, call.id, org_id))
