"""What the conversation shows without changing anything: the question at a position, the review,
the problems that stop a submission, and how far a draft has come. Pure, like the engine, which
uses these and re-exports them (`engine.ask`, `engine.review`, `engine.problems`, `engine.progress`).
"""

from __future__ import annotations

from typing import Any

from intake import sums
from intake.positions import REVIEW, Context, State, current_position, split
from intake.replies import Question, Reply, Review, ReviewItem, Status
from intake.rules import Problem, rule_problems
from intake.spec import FormField, FormSpec
from intake.values import (
    applicable_fields,
    date_bounds,
    explains_frame,
    has_value,
    is_answered,
    missing_required,
    sum_ref,
)


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
    first, last = date_bounds(field, context.dates) if field.type == "date" else (None, None)
    needed = explains_frame(spec, field)
    return Question(field, number, len(fields), current, needed=needed, sum=total, first_day=first, last_day=last)


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
