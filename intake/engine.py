"""The conversation engine: pure. (spec, state, one line of input) -> (new state, what to say next).

A state is the answers so far and a position: a field id, `FIELD#N` for row N of a matrix, or
REVIEW. Nothing here does I/O; the use cases in `intake.usecases` store what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from intake import sums
from intake.commands import Command, read_command
from intake.date_bounds import CallDates
from intake.parse_base import DIGITS
from intake.parsers import ParseError
from intake.replies import (
    Help,
    Invalid,
    Notice,
    Question,
    Reply,
    Review,
    ReviewItem,
    RowAdded,
    RowRemoved,
    RuleBroken,
    Status,
    SubmitRefused,
)
from intake.rules import Problem, answer_problems, forbidden_term_problems, rule_problems
from intake.spec import FormField, FormSpec
from intake.values import (
    applicable_fields,
    explains_frame,
    has_value,
    is_answered,
    missing_required,
    parse_row,
    parse_value,
    settle,
    sum_ref,
)

REVIEW = "@review"


@dataclass(frozen=True)
class State:
    answers: dict[str, Any]
    position: str | None = None


@dataclass(frozen=True)
class Context:
    """What the engine needs beyond the form: the contact's language, the org's frame, the call's dates."""

    lang: str = "nb"
    frame: int | None = None
    dates: CallDates | None = None


@dataclass(frozen=True)
class Outcome:
    state: State
    replies: tuple[Reply, ...]
    action: Literal["submit", "pause"] | None = None

    @property
    def at_review(self) -> bool:
        return self.state.position == REVIEW


def _split(position: str | None) -> tuple[str | None, int]:
    if position is None or "#" not in position:
        return position, 0
    field_id, _, row = position.partition("#")
    return field_id, int(row)


def _first_open_row(field: FormField, answers: dict[str, Any]) -> int:
    value = answers.get(field.id) or {}
    return next((i for i, row in enumerate(field.rows) if row.id not in value), 0)


def _position_of(field: FormField, answers: dict[str, Any], row: int | None = None) -> str:
    if field.type != "matrix":
        return field.id
    return f"{field.id}#{_first_open_row(field, answers) if row is None else row}"


def next_position(spec: FormSpec, answers: dict[str, Any], context: Context, after: str | None = None) -> str:
    """The first unanswered field after `after` (wrapping round to the start); REVIEW if none."""
    fields = applicable_fields(spec, answers, context.frame)
    ids = [f.id for f in fields]
    start = ids.index(after) + 1 if after in ids else 0
    for field in fields[start:] + fields[:start]:
        if not is_answered(field, answers):
            return _position_of(field, answers)
    return REVIEW


def _following(spec: FormSpec, answers: dict[str, Any], context: Context, field: FormField) -> str:
    """The field right after `field`, answered or not: `neste` walks forward one question."""
    fields = applicable_fields(spec, answers, context.frame)
    index = [f.id for f in fields].index(field.id)
    if index + 1 < len(fields):
        return _position_of(fields[index + 1], answers, 0)
    return next_position(spec, answers, context, after=field.id)


def current_position(spec: FormSpec, state: State, context: Context) -> str:
    """The stored position, corrected if the field it names no longer applies."""
    field_id, _ = _split(state.position)
    if state.position == REVIEW:
        return REVIEW
    if field_id in {f.id for f in applicable_fields(spec, state.answers, context.frame)}:
        return state.position or next_position(spec, state.answers, context)
    return next_position(spec, state.answers, context)


def ask(spec: FormSpec, state: State, context: Context) -> Reply:
    """The question at the state's position, or the review."""
    position = current_position(spec, state, context)
    if position == REVIEW:
        return review(spec, state.answers, context)
    field_id, row = _split(position)
    fields = applicable_fields(spec, state.answers, context.frame)
    field = spec.field(field_id or "")
    number = next(i for i, f in enumerate(fields, start=1) if f.id == field.id)
    current = state.answers.get(field.id)
    if field.type == "matrix":
        cell = (current or {}).get(field.rows[row].id)
        return Question(field, number, len(fields), cell, field.rows[row], row + 1)
    total = sums.sum_of(spec, state.answers, field, fields) if field.sum_of else None
    return Question(field, number, len(fields), current, needed=explains_frame(spec, field), sum=total)


def review(spec: FormSpec, answers: dict[str, Any], context: Context) -> Review:
    fields = applicable_fields(spec, answers, context.frame)
    items = tuple(
        ReviewItem(number, field, answers.get(field.id), is_answered(field, answers), _totals(field, answers))
        for number, field in enumerate(fields, start=1)
    )
    amount = sum_ref(spec, answers, spec.amount) if spec.amount else None
    return Review(items, tuple(problems(spec, answers, context)), amount, context.frame)


def _totals(field: FormField, answers: dict[str, Any]) -> tuple[tuple[FormField, int], ...]:
    rows = answers.get(field.id)
    if field.type != "table" or not isinstance(rows, list) or not rows:
        return ()
    money = [column for column in field.columns if column.type == "money"]
    return tuple((column, sum(int(row.get(column.id) or 0) for row in rows)) for column in money)


def problems(spec: FormSpec, answers: dict[str, Any], context: Context) -> list[Problem]:
    missing = [Problem("missing", field) for field in missing_required(spec, answers, context.frame)]
    return missing + rule_problems(spec, answers, context.frame)


def progress(spec: FormSpec, answers: dict[str, Any], context: Context) -> Status:
    fields = applicable_fields(spec, answers, context.frame)
    answered = sum(1 for field in fields if is_answered(field, answers))
    return Status(answered, len(fields), tuple(missing_required(spec, answers, context.frame)))


def start(spec: FormSpec, state: State, context: Context) -> Outcome:
    """Resume where the state stands."""
    position = current_position(spec, state, context)
    moved = replace(state, position=position)
    return Outcome(moved, (ask(spec, moved, context),))


def step(spec: FormSpec, state: State, text: str, context: Context) -> Outcome:
    """Take one line of input and return the new state and the replies."""
    state = replace(state, position=current_position(spec, state, context))
    command = read_command(text)
    if command is not None:
        return _command(spec, state, command, context)
    if state.position == REVIEW:
        return Outcome(state, (Notice("review_hint"),))
    return _answer(spec, state, text, context)


def _answer(spec: FormSpec, state: State, text: str, context: Context) -> Outcome:
    field_id, row = _split(state.position)
    field = spec.field(field_id or "")
    if field.type == "table":
        return _table_row(spec, state, field, text, context)
    try:
        if field.sum_of:
            value = sums.confirmed(spec, state.answers, field, text)
        else:
            value = parse_value(field, text, context.dates)
    except ParseError as error:
        return Outcome(state, (Invalid(field, error), ask(spec, state, context)))
    if field.type == "matrix":
        cells = dict(state.answers.get(field.id) or {})
        cells[field.rows[row].id] = value
        return _advance(spec, state, field, cells, row, context=context)
    broken = answer_problems(spec, state.answers, field.id, value)
    if broken:
        return Outcome(state, (RuleBroken(tuple(broken)), ask(spec, state, context)))
    return _advance(spec, state, field, value, context=context)


def _advance(spec: FormSpec, state: State, field: FormField, value: Any, row: int = 0, *, context: Context) -> Outcome:
    answers = settle(spec, {**state.answers, field.id: value})
    if field.type == "matrix" and row + 1 < len(field.rows):
        position = f"{field.id}#{row + 1}"
    else:
        position = next_position(spec, answers, context, after=field.id)
    moved = State(answers, position)
    return Outcome(moved, (ask(spec, moved, context),))


def _table_row(spec: FormSpec, state: State, field: FormField, text: str, context: Context) -> Outcome:
    try:
        row = parse_row(field, text, context.dates)
    except ParseError as error:
        return Outcome(state, (Invalid(field, error),))
    rows = list(state.answers.get(field.id) or [])
    broken = forbidden_term_problems(spec, field.id, row, row_number=len(rows) + 1)
    if broken:
        return Outcome(state, (RuleBroken(tuple(broken)),))
    rows.append(row)
    answers = settle(spec, {**state.answers, field.id: rows})
    return Outcome(State(answers, state.position), (RowAdded(field, row, len(rows)),))


def _current_field(spec: FormSpec, state: State) -> FormField | None:
    field_id, _ = _split(state.position)
    return None if state.position == REVIEW else spec.field(field_id or "")


def _command(spec: FormSpec, state: State, command: Command, context: Context) -> Outcome:
    field = _current_field(spec, state)
    name = command.name
    if name == "back":
        return _back(spec, state, context)
    if name == "skip":
        if field is None or field.required:
            return Outcome(state, (Notice("cannot_skip"), ask(spec, state, context)))
        return _advance(spec, state, field, None, context=context)
    if name == "keep":
        if field is None and missing_required(spec, state.answers, context.frame):
            moved = replace(state, position=next_position(spec, state.answers, context))
            return Outcome(moved, (ask(spec, moved, context),))
        if field is None or not has_value(state.answers.get(field.id)):
            return Outcome(state, (Notice("nothing_to_keep"), ask(spec, state, context)))
        moved = replace(state, position=_following(spec, state.answers, context, field))
        return Outcome(moved, (ask(spec, moved, context),))
    if name == "edit":
        return _edit(spec, state, command, context)
    if name == "review":
        return Outcome(replace(state, position=REVIEW), (review(spec, state.answers, context),))
    if name == "status":
        return Outcome(state, (progress(spec, state.answers, context), ask(spec, state, context)))
    if name == "help":
        return Outcome(state, (Help(field, state.position == REVIEW),))
    if name == "pause":
        return Outcome(state, (Notice("paused"),), action="pause")
    if name == "submit":
        found = problems(spec, state.answers, context)
        if found:
            return Outcome(state, (SubmitRefused(tuple(found)), ask(spec, state, context)))
        return Outcome(replace(state, position=REVIEW), (), action="submit")
    if name in ("done", "remove") and (field is None or field.type != "table"):
        return Outcome(state, (Notice("not_a_table"), ask(spec, state, context)))
    if name == "done":
        assert field is not None
        rows = state.answers.get(field.id) or []
        if field.required and not rows:
            return Outcome(state, (Notice("table_needs_rows"), ask(spec, state, context)))
        return _advance(spec, state, field, rows, context=context)
    assert field is not None and name == "remove"
    return _remove_row(spec, state, field, command.argument)


def _back(spec: FormSpec, state: State, context: Context) -> Outcome:
    fields = applicable_fields(spec, state.answers, context.frame)
    field_id, row = _split(state.position)
    if state.position != REVIEW and row > 0:
        moved = replace(state, position=f"{field_id}#{row - 1}")
        return Outcome(moved, (ask(spec, moved, context),))
    ids = [f.id for f in fields]
    index = len(ids) if state.position == REVIEW else ids.index(field_id or "")
    if index == 0:
        return Outcome(state, (Notice("at_start"), ask(spec, state, context)))
    previous = fields[index - 1]
    row_of_last = len(previous.rows) - 1 if previous.type == "matrix" else None
    moved = replace(state, position=_position_of(previous, state.answers, row_of_last))
    return Outcome(moved, (ask(spec, moved, context),))


def _edit(spec: FormSpec, state: State, command: Command, context: Context) -> Outcome:
    argument = command.argument
    if not argument:
        return Outcome(replace(state, position=REVIEW), (review(spec, state.answers, context),))
    field = find_field(spec, state.answers, argument, context.frame)
    if field is None and argument.strip().isnumeric():  # `endre 12` of 10, `endre ²`: never an answer
        count = len(applicable_fields(spec, state.answers, context.frame))
        notice = Notice("unknown_field_number", {"name": argument.strip(), "count": count})
        return Outcome(state, (notice, ask(spec, state, context)))
    current = _current_field(spec, state)
    if field is None and current is not None and current.type in ("text", "longtext"):
        return _answer(spec, state, command.text, context)
    if field is None:
        return Outcome(state, (Notice("unknown_field", {"name": argument}), ask(spec, state, context)))
    moved = replace(state, position=_position_of(field, state.answers, 0))
    return Outcome(moved, (ask(spec, moved, context),))


def find_field(spec: FormSpec, answers: dict[str, Any], name: str, frame: int | None) -> FormField | None:
    """A field by its number in the review, its id, or the start of its label."""
    fields = applicable_fields(spec, answers, frame)
    wanted = name.strip().casefold()
    if DIGITS.fullmatch(wanted):  # 0-9 only: `²` and `①` are digits to str.isdigit() but not to int()
        number = int(wanted)
        return fields[number - 1] if 1 <= number <= len(fields) else None
    for field in fields:
        if field.id.casefold() == wanted:
            return field
    matches = [f for f in fields if any(label.casefold().startswith(wanted) for label in f.label.all)]
    return matches[0] if len(matches) == 1 else None


def _remove_row(spec: FormSpec, state: State, field: FormField, argument: str) -> Outcome:
    rows = list(state.answers.get(field.id) or [])
    number = int(argument) if DIGITS.fullmatch(argument or "") else 0
    if not 1 <= number <= len(rows):
        return Outcome(state, (Notice("no_such_row", {"count": len(rows)}),))
    removed = rows.pop(number - 1)
    moved = State(settle(spec, {**state.answers, field.id: rows}), state.position)
    return Outcome(moved, (RowRemoved(field, removed, len(rows)),))
