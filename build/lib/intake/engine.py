"""The conversation engine: pure. (spec, state, one line of input) -> (new state, what to say next).

A state is the answers so far and a position: a field id, `FIELD#N` for row N of a matrix, or
REVIEW. Nothing here does I/O; the use cases in `intake.usecases` store what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from intake import parsers, sums
from intake.commands import Command, read_command
from intake.parse_base import DIGITS
from intake.parsers import ParseError
from intake.positions import (
    REVIEW,
    Context,
    State,
    current_position,
    following,
    next_position,
    position_of,
    split,
)
from intake.replies import (
    Help,
    Invalid,
    Notice,
    NoticeKind,
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

__all__ = ["REVIEW", "Context", "Outcome", "State", "ask", "current_position", "review", "start", "step"]

TEXT_TYPES = ("text", "longtext")


@dataclass(frozen=True)
class Outcome:
    state: State
    replies: tuple[Reply, ...]
    action: Literal["submit", "pause"] | None = None

    @property
    def at_review(self) -> bool:
        return self.state.position == REVIEW


def ask(spec: FormSpec, state: State, context: Context) -> Reply:
    """The question at the state's position, or the review."""
    position = current_position(spec, state, context)
    if position == REVIEW:
        return review(spec, state.answers, context)
    field_id, row = split(position)
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
    done = [field for field in fields if is_answered(field, answers)]
    skipped = sum(1 for field in done if not has_value(answers.get(field.id)))
    optional_open = sum(1 for field in fields if not field.required and not is_answered(field, answers))
    missing = tuple(missing_required(spec, answers, context.frame))
    return Status(len(done), len(fields), missing, skipped, optional_open)


def start(spec: FormSpec, state: State, context: Context) -> Outcome:
    """Resume where the state stands (a pause ends here)."""
    moved = State(state.answers, current_position(spec, state, context))
    return Outcome(moved, (ask(spec, moved, context),))


def step(spec: FormSpec, state: State, text: str, context: Context) -> Outcome:
    """Take one line of input and return the new state and the replies."""
    state = replace(state, position=current_position(spec, state, context))
    if state.paused:  # "type anything to continue": this line resumes and is never an answer
        moved = replace(state, paused=False)
        resumed = Notice(NoticeKind.resumed, {"status": progress(spec, state.answers, context), "frame": context.frame})
        return Outcome(moved, (resumed, ask(spec, moved, context)))
    command = read_command(text)
    if command is not None:
        return _command(spec, state, command, context)
    if state.position == REVIEW:
        return Outcome(state, (Notice(NoticeKind.review_hint),))
    return _answer(spec, state, text, context)


def _answer(spec: FormSpec, state: State, text: str, context: Context) -> Outcome:
    field_id, row = split(state.position)
    field = spec.field(field_id or "")
    if field.type == "table":
        return _table_row(spec, state, field, text, context)
    notes: tuple[Reply, ...] = ()
    try:
        if field.sum_of:
            value: Any = sums.confirmed(spec, state.answers, field, text)
        elif field.type == "yesno":
            value, rest = parsers.parse_yesno_start(text, allow_unknown=field.allow_unknown)
            notes = (Notice(NoticeKind.yesno_rest_dropped, {"value": value, "rest": rest}),) if rest else ()
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
    outcome = _advance(spec, state, field, value, context=context)
    return replace(outcome, replies=notes + outcome.replies)


def _advance(spec: FormSpec, state: State, field: FormField, value: Any, row: int = 0, *, context: Context) -> Outcome:
    answers = settle(spec, {**state.answers, field.id: value})
    if field.type == "matrix" and value is not None and row + 1 < len(field.rows):
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
    field_id, _ = split(state.position)
    return None if state.position == REVIEW else spec.field(field_id or "")


def _refuse(spec: FormSpec, state: State, context: Context, kind: NoticeKind, **data: Any) -> Outcome:
    """A command that could not be done: why, and the same question again. Nothing changes."""
    return Outcome(state, (Notice(kind, data), ask(spec, state, context)))


def _command(spec: FormSpec, state: State, command: Command, context: Context) -> Outcome:
    field = _current_field(spec, state)
    name = command.name
    if name == "back":
        return _back(spec, state, context)
    if name == "skip":
        if field is None or field.required:
            return _refuse(spec, state, context, NoticeKind.cannot_skip)
        return _advance(spec, state, field, None, context=context)
    if name == "keep":
        return _keep(spec, state, field, context)
    if name == "edit":
        return _edit(spec, state, command, context)
    if name == "review":
        return Outcome(replace(state, position=REVIEW), (review(spec, state.answers, context),))
    if name == "status":
        return Outcome(state, (progress(spec, state.answers, context), ask(spec, state, context)))
    if name == "help":
        return Outcome(state, (Help(field, state.position == REVIEW),))
    if name == "pause":
        return Outcome(replace(state, paused=True), (Notice(NoticeKind.paused),), action="pause")
    if name == "submit":
        found = problems(spec, state.answers, context)
        if not found:
            return Outcome(replace(state, position=REVIEW), (), action="submit")
        refused = SubmitRefused(tuple(found), at_review=field is None)
        return Outcome(state, (refused,) if field is None else (refused, ask(spec, state, context)))
    if field is None or field.type != "table":
        return _refuse(spec, state, context, NoticeKind.not_a_table, reserved=_reserved(field, command))
    if name == "done":
        rows = state.answers.get(field.id) or []
        if field.required and not rows:
            return _refuse(spec, state, context, NoticeKind.table_needs_rows)
        return _advance(spec, state, field, rows, context=context)
    return _remove_row(spec, state, field, command.argument, context)


def _reserved(field: FormField | None, command: Command) -> str:
    """The reserved first word to explain, when the line might have been meant as a text answer."""
    return command.word if field is not None and field.type in TEXT_TYPES else ""


def _keep(spec: FormSpec, state: State, field: FormField | None, context: Context) -> Outcome:
    """`neste`: keep the answer given here and go one step on (in a matrix: the next row)."""
    if field is None and missing_required(spec, state.answers, context.frame):
        moved = replace(state, position=next_position(spec, state.answers, context))
        return Outcome(moved, (ask(spec, moved, context),))
    if field is not None and field.type == "matrix":
        _, row = split(state.position)
        if field.rows[row].id not in (state.answers.get(field.id) or {}):
            return _refuse(spec, state, context, NoticeKind.nothing_to_keep)
        if row + 1 < len(field.rows):
            moved = replace(state, position=f"{field.id}#{row + 1}")
            return Outcome(moved, (ask(spec, moved, context),))
    elif field is None or not has_value(state.answers.get(field.id)):
        return _refuse(spec, state, context, NoticeKind.nothing_to_keep)
    moved = replace(state, position=following(spec, state.answers, context, field))
    return Outcome(moved, (ask(spec, moved, context),))


def _back(spec: FormSpec, state: State, context: Context) -> Outcome:
    fields = applicable_fields(spec, state.answers, context.frame)
    field_id, row = split(state.position)
    if state.position != REVIEW and row > 0:
        moved = replace(state, position=f"{field_id}#{row - 1}")
        return Outcome(moved, (ask(spec, moved, context),))
    ids = [f.id for f in fields]
    index = len(ids) if state.position == REVIEW else ids.index(field_id or "")
    if index == 0:
        return _refuse(spec, state, context, NoticeKind.at_start)
    previous = fields[index - 1]
    row_of_last = len(previous.rows) - 1 if previous.type == "matrix" else None
    moved = replace(state, position=position_of(previous, state.answers, row_of_last))
    return Outcome(moved, (ask(spec, moved, context),))


def _edit(spec: FormSpec, state: State, command: Command, context: Context) -> Outcome:
    argument = command.argument
    if not argument:
        return Outcome(replace(state, position=REVIEW), (review(spec, state.answers, context),))
    field = find_field(spec, state.answers, argument, context.frame)
    if field is not None:
        moved = replace(state, position=position_of(field, state.answers))
        return Outcome(moved, (ask(spec, moved, context),))
    reserved = _reserved(_current_field(spec, state), command)
    if argument.isnumeric():  # `endre 12` of 10, `endre ²`
        count = len(applicable_fields(spec, state.answers, context.frame))
        return _refuse(
            spec, state, context, NoticeKind.unknown_field_number, name=argument, count=count, reserved=reserved
        )
    return _refuse(spec, state, context, NoticeKind.unknown_field, name=_shortened(argument), reserved=reserved)


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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


def _remove_row(spec: FormSpec, state: State, field: FormField, argument: str, context: Context) -> Outcome:
    rows = list(state.answers.get(field.id) or [])
    if not argument and rows:
        return _refuse(spec, state, context, NoticeKind.which_row, count=len(rows))
    number = int(argument) if DIGITS.fullmatch(argument) and len(argument) <= 6 else 0
    if not 1 <= number <= len(rows):
        return _refuse(spec, state, context, NoticeKind.no_such_row, count=len(rows), name=_shortened(argument, 20))
    removed = rows.pop(number - 1)
    moved = State(settle(spec, {**state.answers, field.id: rows}), state.position)
    return Outcome(moved, (RowRemoved(field, removed, len(rows)),))
