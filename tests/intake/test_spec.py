"""The form schema: every shipped form loads, and each mistake in a form file is named."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from intake.spec import FormSpecError, load_form, parse_form, resolve_form, shipped_form_ids
from tests.support.forms import SAMPLE

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("form_id", shipped_form_ids())
def test_every_shipped_form_loads_with_bokmal_and_nynorsk(form_id: str) -> None:
    form = resolve_form(form_id)
    assert form.id == form_id
    for field in form.fields:
        assert field.label.nb and field.label.nn


def test_the_shipped_forms_are_the_four_of_the_seeds() -> None:
    assert shipped_form_ids() == [
        "dekom-behov",
        "kompetanseloftet-grunnlag",
        "oppfolging-arsrapport",
        "oppfolging-soknad",
    ]


def test_the_documented_example_loads() -> None:
    assert load_form(ROOT / "docs" / "examples" / "lesekampanje.yaml").id == "lesekampanje"


def broken(change: dict[str, Any]) -> str:
    data = copy.deepcopy(SAMPLE)
    for path, value in change.items():
        target: Any = data
        *parents, last = path.split("/")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    with pytest.raises(FormSpecError) as error:
        parse_form(data, "sample.yaml")
    return str(error.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"fields/1/type": "slider"}, "fields.1.type"),
        ({"fields/2/when": {"field": "ekstern", "equals": "kanskje"}}, "can never match 'ekstern'; use one of ja, nei"),
        ({"fields/2/when": {"field": "budsjett", "equals": "ja"}}, "must name an earlier field"),
        (
            {"fields/5/choices": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]},
            "ids in `choices` must be unique",
        ),
        ({"fields/0/allow_unknown": True}, "`allow_unknown` is for yesno fields"),
        ({"fields/0/min": 1}, "`min`/`max` are for money, integer and date fields"),
        ({"rules/1/field": "mal"}, "min_ratio: 'mal' is a longtext field; it needs money or integer"),
        ({"rules/2/explain": "finnes_ikke"}, "no field 'finnes_ikke'"),
        ({"rules/0/column": "belop"}, "forbidden_terms: 'budsjett.belop' is a money field"),
        ({"amount": "budsjett.post"}, "amount: 'budsjett.post' is a text field"),
        ({"fields/1/id": "mal"}, "field id 'mal' is used twice"),
        (
            {
                "fields/7/columns": [
                    {"id": "a", "type": "table", "label": "A", "columns": [{"id": "b", "type": "text", "label": "B"}]}
                ]
            },
            "cannot be a table",
        ),
    ],
)
def test_a_mistake_is_named_with_where_it_is(change: dict[str, Any], expected: str) -> None:
    message = broken(change)
    assert message.startswith("sample.yaml: ") and expected in message


def test_a_plain_string_label_serves_both_languages_and_bad_yaml_is_reported(tmp_path: Path) -> None:
    form = parse_form(SAMPLE)
    assert form.field("start").label("nn") == "Oppstart"
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nfields: [\n", encoding="utf-8")
    with pytest.raises(FormSpecError, match=r"bad\.yaml: not valid YAML"):
        load_form(path)
    with pytest.raises(FormSpecError, match="neither a shipped form"):
        resolve_form("no-such-form")
