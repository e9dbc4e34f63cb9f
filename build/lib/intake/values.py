"""Reading one typed answer for one field, and what counts as answered."""

from __future__ import annotations

from typing import Any

from intake import parsers
from intake.date_bounds import CallDates, resolve
from intake.money import DEFAULT_MAX
from intake.parsers import ParseError
from intake.spec import FormField, FormSpec, MaxOfFrameRule, When

ROW_SEPARATOR = ";"


def parse_value(field: FormField, text: str, dates: CallDates | None = None) -> Any:
    """The stored value for `text` typed at `field` (not a table or matrix); raises ParseError.

    `dates` are the call's, for a date field bounded relative to them.
    """
    kind = field.type
    if kind in ("text", "longtext"):
        return parsers.parse_text(text, max_length=field.max_length)
    if kind == "money":
        money_max = _number(field.max)
        return parsers.parse_money(text, min=_number(field.min), max=DEFAULT_MAX if money_max is None else money_max)
    if kind == "integer":
        return parsers.parse_integer(text, min=_number(field.min), max=_number(field.max))
    if kind == "date":
        day = parsers.parse_date(text)
        low, high = date_bounds(field, dates)
        if (low is not None and day < low) or (high is not None and day > high):
            raise ParseError("date_range", min=low, max=high)
        return day.isoformat()
    if kind == "yesno":
        return parsers.parse_yesno(text, allow_unknown=field.allow_unknown)
    if kind in ("choice", "matrix"):
        return parsers.parse_choice(text, field.choice_options())
    if kind == "multichoice":
        return parsers.parse_multichoice(text, field.choice_options())
    raise ValueError(f"field {field.id!r} of type {kind} is not answered with one value")


def _number(bound: int | str | None) -> int | None:
    return bound if isinstance(bound, int) else None


def date_bounds(field: FormField, dates: CallDates | None) -> tuple[Any, Any]:
    """The first and last day a date field accepts in a call with `dates` (None: no bound known)."""
    return (resolve(_text(field.min), dates), resolve(_text(field.max), dates))


def _text(bound: int | str | None) -> str | None:
    return bound if isinstance(bound, str) else None


def parse_row(table: FormField, text: str, dates: CallDates | None = None) -> dict[str, Any]:
    """One table row typed as `cell; cell; ...`, in column order. Optional columns may be left empty."""
    parts = [part.strip() for part in text.split(ROW_SEPARATOR)] if len(table.columns) > 1 else [text]
    required = sum(1 for column in table.columns if column.required)
    if len(parts) > len(table.columns) or len(parts) < required:
        raise ParseError("table_columns", expected=len(table.columns), got=len(parts))
    row: dict[str, Any] = {}
    for column, part in zip(table.columns, parts + [""] * (len(table.columns) - len(parts)), strict=True):
        if not part and not column.required:
            row[column.id] = None
            continue
        try:
            row[column.id] = parse_value(column, part, dates)
        except ParseError as error:
            raise ParseError("table_cell", column=column.id, cause=error) from None
    return row


def when_matches(when: When, answer: Any) -> bool:
    expected = when.equals
    if isinstance(expected, bool):
        expected = "ja" if expected else "nei"
    if isinstance(answer, list):
        return any(str(item) == str(expected) for item in answer)
    return answer is not None and str(answer) == str(expected)


def applies(spec: FormSpec, field: FormField, answers: dict[str, Any], frame: int | None = None) -> bool:
    """A field is asked when it has no `when`, or the field it names applies and matches.

    The `explain` field of a max_of_frame rule is asked only when the amount exceeds the frame.
    """
    for rule in spec.rules:
        if isinstance(rule, MaxOfFrameRule) and rule.explain == field.id:
            asked = sum_ref(spec, answers, rule.field)
            if frame is None or asked is None or asked <= frame:
                return False
    if field.when is None:
        return True
    source = spec.field(field.when.field)
    return applies(spec, source, answers, frame) and when_matches(field.when, answers.get(source.id))


def is_answered(field: FormField, answers: dict[str, Any]) -> bool:
    """Answered, or skipped on purpose (stored as None). A matrix needs every row."""
    if field.id not in answers:
        return False
    value = answers[field.id]
    if field.type == "matrix" and value is not None:
        return all(row.id in value for row in field.rows)
    return True


def has_value(value: Any) -> bool:
    return value not in (None, "", [], {})


def applicable_fields(spec: FormSpec, answers: dict[str, Any], frame: int | None = None) -> list[FormField]:
    return [field for field in spec.fields if applies(spec, field, answers, frame)]


def missing_required(spec: FormSpec, answers: dict[str, Any], frame: int | None = None) -> list[FormField]:
    return [
        field
        for field in applicable_fields(spec, answers, frame)
        if field.required and not (is_answered(field, answers) and has_value(answers.get(field.id)))
    ]


def sum_ref(spec: FormSpec, answers: dict[str, Any], ref: str) -> int | None:
    """The amount a rule or `amount` names: a money field, or a table column summed. None if unanswered."""
    field_id, _, column_id = ref.partition(".")
    field = spec.field(field_id)
    if not applies(spec, field, answers):
        return None
    value = answers.get(field_id)
    if column_id:
        if not isinstance(value, list):
            return None
        return sum(int(row.get(column_id) or 0) for row in value)
    return int(value) if isinstance(value, int) else None


def explains_frame(spec: FormSpec, field: FormField) -> bool:
    """The field is a max_of_frame rule's `explain`: optional, but needed whenever it is asked."""
    return any(isinstance(rule, MaxOfFrameRule) and rule.explain == field.id for rule in spec.rules)


def computed_value(spec: FormSpec, answers: dict[str, Any], field: FormField) -> int | None:
    """The sum a `sum_of` field stands for; None while a required part that applies is unanswered.

    Parts that are skipped or not asked count as 0.
    """
    total = 0
    for ref in field.sum_of:
        value = sum_ref(spec, answers, ref)
        if value is None:
            part = spec.field(ref.partition(".")[0])
            if part.required and applies(spec, part, answers) and not has_value(answers.get(part.id)):
                return None
            continue
        total += value
    return total


def settle(spec: FormSpec, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers without a confirmed sum that no longer adds up: it must be confirmed again.

    A `sum_of` field stores the sum the contact confirmed, so two numbers that must agree never
    disagree: when a part changes, the confirmation goes and the question is asked again.
    """
    settled = dict(answers)
    for field in spec.fields:
        if field.sum_of and field.id in settled and settled[field.id] != computed_value(spec, settled, field):
            del settled[field.id]
    return settled
