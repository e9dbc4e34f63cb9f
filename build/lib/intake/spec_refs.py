"""Checks across a form's fields: conditions, sums, rules and `amount` name fields that exist and fit.

Every problem is collected, so a form author sees all of them at once (`frist forms check`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intake.spec import FormField, FormSpec

TEXT_TYPES = ("text", "longtext")
AMOUNT_TYPES = ("money", "integer")


def reference_problems(spec: FormSpec) -> list[str]:
    problems: list[str] = []
    position = {field.id: index for index, field in enumerate(spec.fields)}
    for index, field in enumerate(spec.fields):
        problems += _when_problems(spec, field, index, position)
        problems += [
            f"field {field.id!r}: column {column.id!r} cannot carry `sum_of`"
            for column in field.columns
            if column.sum_of
        ]
        for ref in field.sum_of:
            problem = ref_problem(spec, f"field {field.id!r}: sum_of", ref)
            if problem is None and position[ref.partition(".")[0]] >= index:
                problem = f"field {field.id!r}: `sum_of` must name earlier fields, not {ref!r}"
            problems += [problem] if problem else []
    for rule in spec.rules:
        problems += [p for p in (ref_problem(spec, rule.type, ref) for ref in rule_refs(rule)) if p]
        if rule.type == "max_of_frame" and rule.explain and rule.explain not in spec.fields_by_id:
            problems.append(f"max_of_frame: no field {rule.explain!r} to explain in")
    if spec.amount:
        problems += [p for p in [ref_problem(spec, "amount", spec.amount)] if p]
    return problems


def _when_problems(spec: FormSpec, field: FormField, index: int, position: dict[str, int]) -> list[str]:
    if field.when is None:
        return []
    if field.when.field not in position or position[field.when.field] >= index:
        return [f"field {field.id!r}: `when` must name an earlier field, not {field.when.field!r}"]
    possible = answer_values(spec.fields[position[field.when.field]])
    equals = field.when.equals
    if isinstance(equals, bool):
        equals = "ja" if equals else "nei"
    if possible is not None and str(equals) not in possible:
        return [
            f"field {field.id!r}: `when.equals` {field.when.equals!r} can never match "
            f"{field.when.field!r}; use one of {', '.join(sorted(possible))}"
        ]
    return []


def ref_problem(spec: FormSpec, rule_type: str, ref: str) -> str | None:
    """What is wrong with `ref` (a field id or `TABLE.COLUMN`) where `rule_type` uses it."""
    field_id, _, column_id = ref.partition(".")
    field = spec.fields_by_id.get(field_id)
    if field is None:
        return f"{rule_type}: no field {field_id!r}"
    if column_id and (field.type != "table" or column_id not in {c.id for c in field.columns}):
        return f"{rule_type}: {field_id!r} has no column {column_id!r}"
    target = field.column(column_id) if column_id else field
    wanted = TEXT_TYPES if rule_type == "forbidden_terms" else AMOUNT_TYPES
    if rule_type == "forbidden_terms" and not column_id and field.type == "table":
        return None
    if target.type not in wanted:
        return f"{rule_type}: {ref!r} is a {target.type} field; it needs {' or '.join(wanted)}"
    return None


def answer_values(field: FormField) -> set[str] | None:
    """Every value an answer to `field` can hold, where that is a closed set."""
    if field.type == "yesno":
        return {"ja", "nei", "vet_ikke"} if field.allow_unknown else {"ja", "nei"}
    if field.type in ("choice", "multichoice"):
        return {choice.id for choice in field.choices}
    return None


def rule_refs(rule: Any) -> list[str]:
    """The amounts or texts a rule names."""
    if rule.type == "forbidden_terms":
        return [f"{rule.field}.{rule.column}" if rule.column else rule.field]
    if rule.type in ("min_ratio", "part_of"):
        return [rule.field, rule.of]
    return [rule.field]
