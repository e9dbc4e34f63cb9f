"""Reading a call: its form, whether it is open, and what the engine needs to know about an org."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from intake.engine import Context
from intake.spec import FormSpec
from models import Call, CallData, Eligibility, Organisation

_forms: dict[tuple[str, datetime], FormSpec] = {}


def forget_forms() -> None:
    """Empty the cache of parsed forms. A process has one database, where a call's `updated_at`
    changes with every reload; tests, which give many databases the same call ids and fixed clocks,
    start each test with an empty cache."""
    _forms.clear()


def form_of(call: CallData, session: Session | None = None) -> FormSpec:
    """The call's form as stored when the call was loaded (later edits to the file do not leak in).

    Parsed once per version of the call: a reload bumps `updated_at`. A `Call` row carries its form;
    the lighter `CallData` a draft reads does not, and the form is then read from `session`, once.
    """
    key = (call.id, call.updated_at)
    form = _forms.get(key)
    if form is not None:
        return form
    document: Mapping[str, Any]
    if isinstance(call, Call):
        document = call.form
    else:
        if session is None:
            raise ValueError(f"the form of call {call.id} is not loaded and there is no session to read it")
        document, updated_at = session.exec(select(Call.form, Call.updated_at).where(Call.id == call.id)).one()
        key = (call.id, updated_at)  # a reload in between: this is the form of that version
    form = _forms[key] = FormSpec.model_validate(document)
    return form


def is_open(call: CallData, now: datetime) -> bool:
    return call.opens <= now <= call.deadline


def frame_of(session: Session, call_id: str, org_id: str) -> int | None:
    eligibility = session.get(Eligibility, (call_id, org_id))
    return eligibility.frame if eligibility else None


def call_context(session: Session, call: Call, org_id: str, org: Organisation) -> Context:
    return Context(lang=org.language, frame=frame_of(session, call.id, org_id))
