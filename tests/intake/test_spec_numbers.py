"""The form schema's number features: date bounds, `sum_of`, `part_of`, and every problem listed."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from intake.spec import FormSpec, FormSpecError, parse_form
from tests.support.forms import SAMPLE


def with_changes(fields: dict[int, dict[str, Any]] | None = None, rules: list[dict[str, Any]] | None = None) -> Any:
    data = copy.deepcopy(SAMPLE)
    for index, change in (fields or {}).items():
        data["fields"][index].update(change)
    data["rules"] += rules or []
    return data


def problems_of(data: Any) -> list[str]:
    with pytest.raises(FormSpecError) as error:
        parse_form(data, "sample.yaml")
    return error.value.problems


def test_a_date_field_takes_fixed_and_relative_bounds_and_they_survive_storage_as_json() -> None:
    form = parse_form(with_changes({3: {"min": dt.date(2026, 1, 1), "max": "deadline + 1 year"}}))
    start = form.field("start")
    assert (start.min, start.max) == ("2026-01-01", "deadline + 1 year")
    stored = FormSpec.model_validate(form.model_dump(mode="json"))  # how a call keeps its form
    assert stored.field("start").min == "2026-01-01"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({3: {"min": "soon"}}, "'soon' is not a date bound"),
        ({3: {"min": "2027-01-01", "max": "2026-01-01"}}, "`min` is later than `max`"),
        ({3: {"min": 5}}, "a date bound is text"),
        ({4: {"min": "opens"}}, "`min`/`max` of integer fields are whole numbers"),
        ({0: {"max": 3}}, "`min`/`max` are for money, integer and date fields"),
        ({0: {"sum_of": ["egen"]}}, "`sum_of` is for money fields"),
        ({8: {"sum_of": ["budsjett.belop"], "required": False}}, "a `sum_of` field is always confirmed"),
        ({8: {"sum_of": ["nivaer"]}}, "sum_of: 'nivaer' is a matrix field"),
        ({8: {"sum_of": ["egen"]}}, "`sum_of` must name earlier fields, not 'egen'"),
    ],
)
def test_a_wrong_bound_or_sum_is_named(change: dict[int, dict[str, Any]], expected: str) -> None:
    assert any(expected in problem for problem in problems_of(with_changes(change)))


def test_part_of_names_two_amounts() -> None:
    rule = {"type": "part_of", "field": "egen", "of": "budsjett.belop"}
    assert parse_form(with_changes(rules=[rule])).rules[-1].type == "part_of"
    problems = problems_of(with_changes(rules=[{**rule, "of": "mal"}]))
    assert problems == ["(top): Value error, part_of: 'mal' is a longtext field; it needs money or integer"]


def test_every_problem_across_the_form_is_listed_on_its_own() -> None:
    data = with_changes(
        {2: {"when": {"field": "later", "equals": "ja"}}},
        rules=[
            {"type": "part_of", "field": "egen", "of": "nothing"},
            {"type": "min_ratio", "field": "mal", "of": "egen", "ratio": 0.3},
        ],
    )
    problems = problems_of(data)
    assert problems == [
        "(top): Value error, field 'partner': `when` must name an earlier field, not 'later'",
        "(top): Value error, part_of: no field 'nothing'",
        "(top): Value error, min_ratio: 'mal' is a longtext field; it needs money or integer",
    ]
    with pytest.raises(FormSpecError, match=r"^sample\.yaml: .*later.*; .*nothing"):
        parse_form(data, "sample.yaml")
