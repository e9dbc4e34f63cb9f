"""Where a contact stands in a form: the state the engine works on, and how positions move.

A position is a field id, `FIELD#N` for row N of a matrix, or REVIEW. A paused state is stored
with PAUSED in front of its position (field ids start with a letter, so nothing else does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake.date_bounds import CallDates
from intake.spec import FormField, FormSpec
from intake.values import applicable_fields, is_answered

REVIEW = "@review"
PAUSED = "~"


@dataclass(frozen=True)
class State:
    answers: dict[str, Any]
    position: str | None = None
    paused: bool = False  # the contact typed `avbryt`: the next line resumes, whatever it says

    @property
    def stored_position(self) -> str | None:
        """The position as the conversation row keeps it."""
        return PAUSED + (self.position or "") if self.paused else self.position

    @classmethod
    def restore(cls, answers: dict[str, Any], stored: str | None) -> State:
        if stored is not None and stored.startswith(PAUSED):
            return cls(answers, stored.removeprefix(PAUSED) or None, paused=True)
        return cls(answers, stored)


@dataclass(frozen=True)
class Context:
    """What the engine needs beyond the form: the contact's language, the org's frame, the call's dates."""

    lang: str = "nb"
    frame: int | None = None
    dates: CallDates | None = None


def split(position: str | None) -> tuple[str | None, int]:
    """(field id, matrix row); row 0 for a field that is not a matrix."""
    if position is None or "#" not in position:
        return position, 0
    field_id, _, row = position.partition("#")
    return field_id, int(row)


def first_open_row(field: FormField, answers: dict[str, Any]) -> int:
    value = answers.get(field.id) or {}
    return next((i for i, row in enumerate(field.rows) if row.id not in value), 0)


def position_of(field: FormField, answers: dict[str, Any], row: int | None = None) -> str:
    """The position of `field`; for a matrix row `row`, or its first unanswered row."""
    if field.type != "matrix":
        return field.id
    return f"{field.id}#{first_open_row(field, answers) if row is None else row}"


def next_position(spec: FormSpec, answers: dict[str, Any], context: Context, after: str | None = None) -> str:
    """The first unanswered field after `after` (wrapping round to the start); REVIEW if none."""
    fields = applicable_fields(spec, answers, context.frame)
    ids = [f.id for f in fields]
    start = ids.index(after) + 1 if after in ids else 0
    for field in fields[start:] + fields[:start]:
        if not is_answered(field, answers):
            return position_of(field, answers)
    return REVIEW


def following(spec: FormSpec, answers: dict[str, Any], context: Context, field: FormField) -> str:
    """The field right after `field`, answered or not: `neste` walks forward one question."""
    fields = applicable_fields(spec, answers, context.frame)
    index = [f.id for f in fields].index(field.id)
    if index + 1 < len(fields):
        return position_of(fields[index + 1], answers, 0)
    return next_position(spec, answers, context, after=field.id)


def current_position(spec: FormSpec, state: State, context: Context) -> str:
    """The stored position, corrected if the field it names no longer applies."""
    field_id, _ = split(state.position)
    if state.position == REVIEW:
        return REVIEW
    if field_id in {f.id for f in applicable_fields(spec, state.answers, context.frame)}:
        return state.position or next_position(spec, state.answers, context)
    return next_position(spec, state.answers, context)
