"""A money field whose value is the sum of other answers (`sum_of`): shown, confirmed, never typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake.parsers import ParseError, parse_yesno
from intake.spec import FormField, FormSpec
from intake.values import computed_value, sum_ref


@dataclass(frozen=True)
class SumPart:
    """One term of the sum: a field, or a column of a table summed over its rows."""

    field: FormField
    column: FormField | None
    number: int | None  # the question number of `field`, when it is asked
    value: int | None


@dataclass(frozen=True)
class Sum:
    value: int | None  # None while a required part is unanswered
    parts: tuple[SumPart, ...]


def sum_of(spec: FormSpec, answers: dict[str, Any], field: FormField, asked: list[FormField]) -> Sum:
    """What the contact is shown at a `sum_of` field; `asked` are the fields that apply, in order."""
    numbers = {f.id: number for number, f in enumerate(asked, start=1)}
    parts = []
    for ref in field.sum_of:
        field_id, _, column_id = ref.partition(".")
        part = spec.field(field_id)
        column = part.column(column_id) if column_id else None
        parts.append(SumPart(part, column, numbers.get(field_id), sum_ref(spec, answers, ref)))
    return Sum(computed_value(spec, answers, field), tuple(parts))


def confirmed(spec: FormSpec, answers: dict[str, Any], field: FormField, text: str) -> int:
    """The sum, when `text` confirms it; raises ParseError saying why it cannot be stored."""
    value = computed_value(spec, answers, field)
    if value is None:
        raise ParseError("sum_incomplete")
    try:
        answer = parse_yesno(text, allow_unknown=False)
    except ParseError:
        raise ParseError("sum_confirm", value=value) from None
    if answer == "nei":
        raise ParseError("sum_declined", value=value)
    low, high = (bound if isinstance(bound, int) else None for bound in (field.min, field.max))
    if (low is not None and value < low) or (high is not None and value > high):
        raise ParseError("money_range", min=low, max=high)
    return value
