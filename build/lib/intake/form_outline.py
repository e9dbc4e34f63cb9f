"""A form in a few lines, for its author (`frist forms check`): questions, conditions and rules.

English, like the CLI around it; labels are shown in bokmål.
"""

from __future__ import annotations

from intake.spec import (
    AnyRule,
    ForbiddenTermsRule,
    FormField,
    FormSpec,
    MaxOfFrameRule,
    MinRatioRule,
)
from intake.values import explains_frame

_SHOWN_TERMS = 6


def outline(spec: FormSpec) -> list[str]:
    lines = [f"{spec.id}: {spec.title.nb}"]
    always = sum(1 for field in spec.fields if field.when is None and not explains_frame(spec, field))
    amount = f"; amount: {spec.amount}" if spec.amount else "; no amount"
    lines.append(f"{len(spec.fields)} questions ({always} always asked){amount}")
    lines += [f"  {number}. {_field(spec, field)}" for number, field in enumerate(spec.fields, start=1)]
    lines.append(f"{len(spec.rules)} rule{'' if len(spec.rules) == 1 else 's'}" + (":" if spec.rules else ""))
    lines += [f"  - {_rule(rule)}" for rule in spec.rules]
    return lines


def _field(spec: FormSpec, field: FormField) -> str:
    parts = [field.id, _kind(field)]
    over = [rule.field for rule in spec.rules if isinstance(rule, MaxOfFrameRule) and rule.explain == field.id]
    if over:
        parts.append(f"asked, and needed, when {' or '.join(over)} is over the frame")
    elif not field.required:
        parts.append("optional")
    if field.when is not None:
        parts.append(f"asked when {field.when.field} = {field.when.equals}")
    return f"{'  '.join(parts)}  «{field.label.nb}»"


def _kind(field: FormField) -> str:
    kind: str = field.type
    if field.max_length:
        kind += f" ≤{field.max_length}"
    if field.min is not None or field.max is not None:
        low, high = (_bound(bound) for bound in (field.min, field.max))
        kind += f" [{low} .. {high}]"
    if field.sum_of:
        kind += " = " + " + ".join(field.sum_of) + " (confirmed, not typed)"
    if field.choices:
        kind += " (" + ", ".join(choice.id for choice in field.choices) + ")"
    if field.rows:
        kind += " rows (" + ", ".join(row.id for row in field.rows) + ")"
    if field.columns:
        kind += " columns (" + "; ".join(f"{column.id}: {_kind(column)}" for column in field.columns) + ")"
    return kind


def _rule(rule: AnyRule) -> str:
    if isinstance(rule, ForbiddenTermsRule):
        where = f"{rule.field}.{rule.column}" if rule.column else rule.field
        shown = ", ".join(rule.terms[:_SHOWN_TERMS]) + (", …" if len(rule.terms) > _SHOWN_TERMS else "")
        return f"forbidden_terms in {where}: {len(rule.terms)} terms ({shown})"
    if isinstance(rule, MinRatioRule):
        return f"min_ratio: {rule.field} ≥ {rule.ratio * 100:g} % of {rule.of}"
    if isinstance(rule, MaxOfFrameRule):
        unless = f", unless {rule.explain} is answered" if rule.explain else ""
        return f"max_of_frame: {rule.field} ≤ the org's frame{unless}"
    return f"part_of: {rule.field} ≤ {rule.of}"


def _bound(bound: int | str | None) -> str:
    if bound is None:
        return ""
    return f"{bound:,}".replace(",", " ") if isinstance(bound, int) else bound
