"""Form-level rules, checked at the review and (forbidden terms) as each answer comes in."""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any

from intake.spec import (
    ForbiddenTermsRule,
    FormField,
    FormSpec,
    LocalText,
    MaxOfFrameRule,
    MinRatioRule,
    PartOfRule,
)
from intake.values import applicable_fields, applies, has_value, sum_ref


@dataclass(frozen=True)
class Problem:
    """One reason the submission cannot go in yet. `kind` picks the template text."""

    kind: str  # missing | forbidden_term | min_ratio | max_of_frame | part_of
    field: FormField
    reason: LocalText | None = None
    data: dict[str, Any] = dataclasses.field(default_factory=dict)  # the attribute `field` hides the function


def _term_pattern(term: str) -> re.Pattern[str]:
    """A term matches at the start of a word, so `iPad` catches `iPader` but not `skipadresse`."""
    return re.compile(r"(?<!\w)" + re.escape(term.casefold()))


def forbidden_in(rule: ForbiddenTermsRule, text: str) -> str | None:
    folded = text.casefold()
    for term in rule.terms:
        if _term_pattern(term).search(folded):
            return term
    return None


def word_of(term: str, text: str) -> str:
    """The word in `text` that `term` caught, as the contact wrote it: `Studietur` for `studietur`,
    `Kjøregodtgjørelse` for `kjøregodtgj`. The term itself if it cannot be found again."""
    found = re.search(r"(?<!\w)" + re.escape(term) + r"\w*", text, re.IGNORECASE)
    return found.group() if found else term


def _cells(spec: FormSpec, rule: ForbiddenTermsRule, value: Any) -> list[tuple[int | None, str]]:
    """(row number or None, text) for every text the rule looks at."""
    field_spec = spec.field(rule.field)
    if field_spec.type != "table":
        return [(None, value)] if isinstance(value, str) else []
    columns = [rule.column] if rule.column else [c.id for c in field_spec.columns if c.type == "text"]
    return [
        (index, row[column])
        for index, row in enumerate(value or [], start=1)
        for column in columns
        if isinstance(row.get(column), str)
    ]


def forbidden_term_problems(
    spec: FormSpec, field_id: str, value: Any, *, row_number: int | None = None
) -> list[Problem]:
    """Forbidden terms in one answer (or one new table row, when `row_number` is given)."""
    problems = []
    for rule in spec.rules:
        if not isinstance(rule, ForbiddenTermsRule) or rule.field != field_id:
            continue
        cells = _cells(spec, rule, [value] if row_number is not None else value)
        for index, text in cells:
            term = forbidden_in(rule, text)
            if term is not None:
                number = row_number if row_number is not None else index
                problems.append(
                    Problem(
                        "forbidden_term",
                        spec.field(rule.field),
                        rule.reason,
                        {"term": term, "word": word_of(term, text), "row": number, "text": text},
                    )
                )
    return problems


def _min_ratio(spec: FormSpec, rule: MinRatioRule, answers: dict[str, Any]) -> Problem | None:
    own = sum_ref(spec, answers, rule.field)
    base = sum_ref(spec, answers, rule.of)
    if own is None or base is None:
        return None
    needed = math.ceil(base * rule.ratio - 1e-9)
    if own >= needed:
        return None
    return Problem(
        "min_ratio",
        spec.field(rule.field.partition(".")[0]),
        rule.reason,
        {
            "own": own,
            "base": base,
            "needed": needed,
            "percent": round(rule.ratio * 100, 1),
            "of": spec.field(rule.of.partition(".")[0]),
        },
    )


def _part_of(spec: FormSpec, rule: PartOfRule, answers: dict[str, Any], part: int | None = None) -> Problem | None:
    """The part is larger than the whole. `part` is a value just typed, not yet among `answers`."""
    part = sum_ref(spec, answers, rule.field) if part is None else part
    whole = sum_ref(spec, answers, rule.of)
    if part is None or whole is None or part <= whole:
        return None
    return Problem(
        "part_of",
        spec.field(rule.field.partition(".")[0]),
        rule.reason,
        {"part": part, "whole": whole, "over": part - whole, "of": spec.field(rule.of.partition(".")[0])},
    )


def answer_problems(spec: FormSpec, answers: dict[str, Any], field_id: str, value: Any) -> list[Problem]:
    """What makes one answer (not a table row) unacceptable as it is typed, given the others."""
    problems = forbidden_term_problems(spec, field_id, value)
    for rule in spec.rules:
        if isinstance(rule, PartOfRule) and rule.field == field_id and isinstance(value, int):
            problems += [p for p in [_part_of(spec, rule, answers, value)] if p]
    return problems


def _max_of_frame(spec: FormSpec, rule: MaxOfFrameRule, answers: dict[str, Any], frame: int | None) -> Problem | None:
    asked = sum_ref(spec, answers, rule.field)
    if frame is None or asked is None or asked <= frame:
        return None
    explain = spec.field(rule.explain) if rule.explain else None
    if explain is not None and has_value(answers.get(explain.id)):
        return None
    fields = applicable_fields(spec, answers, frame)
    number = next((i for i, f in enumerate(fields, start=1) if explain is not None and f.id == explain.id), None)
    return Problem(
        "max_of_frame",
        spec.field(rule.field.partition(".")[0]),
        rule.reason,
        {"asked": asked, "frame": frame, "over": asked - frame, "explain": explain, "explain_number": number},
    )


def rule_problems(spec: FormSpec, answers: dict[str, Any], frame: int | None) -> list[Problem]:
    problems: list[Problem] = []
    for rule in spec.rules:
        if isinstance(rule, ForbiddenTermsRule):
            field_spec = spec.field(rule.field)
            if applies(spec, field_spec, answers):
                problems += forbidden_term_problems(spec, rule.field, answers.get(rule.field))
        elif isinstance(rule, MinRatioRule):
            problems += [p for p in [_min_ratio(spec, rule, answers)] if p]
        elif isinstance(rule, PartOfRule):
            problems += [p for p in [_part_of(spec, rule, answers)] if p]
        else:
            problems += [p for p in [_max_of_frame(spec, rule, answers, frame)] if p]
    return problems
