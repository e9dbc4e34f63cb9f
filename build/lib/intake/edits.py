"""Changing several answers at once (the Slack edit modal): all valid, or nothing saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from intake import engine
from intake.date_bounds import CallDates
from intake.drafts import Draft, Turn, load
from intake.parsers import ParseError
from intake.replies import Invalid, Reply, RuleBroken
from intake.requests import NO_REQUEST, Request
from intake.rules import answer_problems
from intake.spec import FormField, FormSpec
from intake.text import normalise
from intake.usecases import changes_since
from intake.values import applicable_fields, parse_row, parse_value, settle
from models import ContactData


@dataclass(frozen=True)
class EditResult:
    """Either `turn` (saved; the review follows), or why not: per-field `errors` or a `conflict`."""

    lang: str
    turn: Turn | None = None
    errors: dict[str, Reply] = field(default_factory=dict)
    conflict: list[dict[str, Any]] = field(default_factory=list)


def _read(form_field: FormField, text: str | None, cells: dict[str, str | None], dates: CallDates | None) -> Any:
    """The value for one field from the modal; raises ParseError."""
    if form_field.type == "matrix":
        return {row.id: parse_value(form_field, cells[row.id] or "") for row in form_field.rows if cells.get(row.id)}
    if not (text or "").strip():
        if form_field.required:
            raise ParseError("empty")
        return None
    if form_field.type == "table":
        return [parse_row(form_field, line, dates) for line in (text or "").splitlines() if line.strip()]
    return parse_value(form_field, text or "", dates)


def edit_answers(
    session: Session,
    contact: ContactData,
    call_id: str,
    texts: dict[str, str | None],
    now: datetime,
    seen_version: int,
    request: Request = NO_REQUEST,
) -> EditResult:
    """`texts` holds the typed or chosen text per field id, and `FIELD#ROW` per matrix row."""
    texts = {key: None if text is None else normalise(text) for key, text in texts.items()}
    draft: Draft = load(session, contact, call_id, now, request)
    if not draft.editable:
        return EditResult(
            draft.org.language, turn=draft.finish((engine.review(draft.spec, draft.submission.answers, draft.context),))
        )
    if draft.submission.version != seen_version:
        session.rollback()
        return EditResult(draft.org.language, conflict=changes_since(session, draft.submission, seen_version))
    answers = dict(draft.submission.answers)
    errors: dict[str, Reply] = {}
    for form_field in _editable(draft.spec, answers, draft.context.frame):
        cells = {key.partition("#")[2]: value for key, value in texts.items() if key.startswith(f"{form_field.id}#")}
        if form_field.id not in texts and not cells:
            continue
        try:
            value = _read(form_field, texts.get(form_field.id), cells, draft.context.dates)
        except ParseError as error:
            errors[form_field.id] = Invalid(form_field, error)
            continue
        broken = answer_problems(draft.spec, answers, form_field.id, value)
        if broken:
            errors[form_field.id] = RuleBroken(tuple(broken))
            continue
        answers[form_field.id] = value
    if errors:
        session.rollback()
        return EditResult(draft.org.language, errors=errors)
    answers = settle(draft.spec, answers)  # a changed part: its sum is confirmed again in the chat
    draft.save_answers(answers)
    draft.conversation.position = engine.REVIEW
    return EditResult(draft.org.language, turn=draft.finish((engine.review(draft.spec, answers, draft.context),)))


def _editable(spec: FormSpec, answers: dict[str, Any], frame: int | None) -> list[FormField]:
    """The fields asked now, but a sum: it is never typed, only confirmed in the conversation."""
    return [field for field in applicable_fields(spec, answers, frame) if not field.sum_of]


@dataclass(frozen=True)
class EditForm:
    """What the edit modal shows: the fields asked for this org now, with their answers."""

    lang: str
    form: FormSpec
    fields: tuple[FormField, ...]
    answers: dict[str, Any]
    version: int
    editable: bool


def edit_form(session: Session, contact: ContactData, call_id: str, now: datetime) -> EditForm:
    draft = load(session, contact, call_id, now)
    result = EditForm(
        draft.org.language,
        draft.spec,
        tuple(_editable(draft.spec, draft.submission.answers, draft.context.frame)),
        dict(draft.submission.answers),
        draft.submission.version,
        draft.editable,
    )
    draft.finish(())  # keeps a draft created just now, with its audit row; the contact has seen this version
    return result
