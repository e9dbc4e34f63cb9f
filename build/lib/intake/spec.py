"""The form spec: what a YAML form file may say, validated with pydantic.

A form is a list of fields asked in order, plus form-level rules checked at the review.
See docs/forms.md for the complete description and an example.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from intake.date_bounds import bound_problem, fixed_date
from intake.spec_refs import AMOUNT_TYPES, reference_problems

Lang = Literal["nb", "nn"]
LANGS: tuple[Lang, ...] = ("nb", "nn")
FieldType = Literal["text", "longtext", "money", "integer", "date", "choice", "multichoice", "yesno", "table", "matrix"]
SHIPPED_FORMS_DIR = Path(__file__).parent / "forms"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(Strict):
    """A text in bokmål and nynorsk. YAML may give one plain string for both."""

    nb: str
    nn: str

    @model_validator(mode="before")
    @classmethod
    def _plain_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"nb": value, "nn": value}
        return value

    def __call__(self, lang: str) -> str:
        return self.nn if lang == "nn" else self.nb

    @property
    def all(self) -> tuple[str, ...]:
        return (self.nb,) if self.nb == self.nn else (self.nb, self.nn)


class Choice(Strict):
    id: str
    label: LocalText


class When(Strict):
    """Ask a field only when an earlier answer equals `equals` (or, for multichoice, contains it)."""

    field: str
    equals: str | int | bool


class FormField(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    type: FieldType
    label: LocalText
    help: LocalText | None = None
    required: bool = True
    max_length: Annotated[int, Field(gt=0)] | None = None
    min: int | str | None = None  # a number; for a date field a date bound (intake.date_bounds)
    max: int | str | None = None
    sum_of: list[str] = []  # money fields only: the value is this sum, which the contact confirms
    choices: list[Choice] = []
    allow_unknown: bool = False
    columns: list[FormField] = []
    rows: list[Choice] = []
    when: When | None = None

    @field_validator("min", "max", mode="before")
    @classmethod
    def _date_as_text(cls, value: Any) -> Any:
        """YAML reads `2026-08-01` as a date; a bound is kept as text so it survives JSON."""
        return value.isoformat() if isinstance(value, dt.date) else value

    @model_validator(mode="after")
    def _per_type(self) -> FormField:
        kind = self.type
        if kind in ("choice", "multichoice", "matrix") and not self.choices:
            raise ValueError(f"field {self.id!r}: a {kind} field needs `choices`")
        if kind == "matrix" and not self.rows:
            raise ValueError(f"field {self.id!r}: a matrix field needs `rows`")
        if kind == "table":
            if not self.columns:
                raise ValueError(f"field {self.id!r}: a table field needs `columns`")
            for column in self.columns:
                if column.type in ("table", "matrix", "multichoice", "longtext") or column.when:
                    raise ValueError(
                        f"field {self.id!r}: column {column.id!r} cannot be a {column.type} "
                        "or carry `when`; use text, money, integer, date, choice or yesno"
                    )
        for name, items in (("choices", self.choices), ("rows", self.rows), ("columns", self.columns)):
            ids = [item.id for item in items]
            if len(ids) != len(set(ids)):
                raise ValueError(f"field {self.id!r}: the ids in `{name}` must be unique")
        if self.allow_unknown and kind != "yesno":
            raise ValueError(f"field {self.id!r}: `allow_unknown` is for yesno fields")
        if self.max_length is not None and kind not in ("text", "longtext"):
            raise ValueError(f"field {self.id!r}: `max_length` is for text and longtext fields")
        self._bounds()
        if self.sum_of and kind != "money":
            raise ValueError(f"field {self.id!r}: `sum_of` is for money fields")
        if self.sum_of and not self.required:
            raise ValueError(f"field {self.id!r}: a `sum_of` field is always confirmed; drop `required: false`")
        return self

    def _bounds(self) -> None:
        bounds = [bound for bound in (self.min, self.max) if bound is not None]
        if not bounds:
            return
        if self.type in AMOUNT_TYPES:
            if any(not isinstance(bound, int) or isinstance(bound, bool) for bound in bounds):
                raise ValueError(f"field {self.id!r}: `min`/`max` of {self.type} fields are whole numbers")
            if self.min is not None and self.max is not None and self.min > self.max:  # type: ignore[operator]
                raise ValueError(f"field {self.id!r}: `min` is larger than `max`")
            return
        if self.type != "date":
            raise ValueError(f"field {self.id!r}: `min`/`max` are for money, integer and date fields")
        for bound in bounds:
            problem = bound_problem(str(bound)) if isinstance(bound, str) else "a date bound is text"
            if problem:
                raise ValueError(f"field {self.id!r}: {problem}")
        low, high = (fixed_date(str(b)) if b is not None else None for b in (self.min, self.max))
        if low and high and low > high:
            raise ValueError(f"field {self.id!r}: `min` is later than `max`")

    def choice_options(self) -> list[tuple[str, tuple[str, ...]]]:
        """Choices as the parsers take them: (id, every label)."""
        return [(choice.id, choice.label.all) for choice in self.choices]

    def choice_label(self, choice_id: str, lang: str) -> str:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice.label(lang)
        return choice_id

    def column(self, column_id: str) -> FormField:
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)


class ForbiddenTermsRule(Strict):
    """No answer in `field` (a table: any cell of `column`, or of any text column) may contain a term."""

    type: Literal["forbidden_terms"]
    field: str
    column: str | None = None
    terms: list[Annotated[str, Field(min_length=2)]]
    reason: LocalText | None = None


class MinRatioRule(Strict):
    """`field` must be at least `ratio` x `of`. Each side is a money field or `TABLE.COLUMN` (summed)."""

    type: Literal["min_ratio"]
    field: str
    of: str
    ratio: Annotated[float, Field(gt=0)]
    reason: LocalText | None = None


class MaxOfFrameRule(Strict):
    """`field` may not exceed the org's frame in the call unless `explain` is answered."""

    type: Literal["max_of_frame"]
    field: str
    explain: str | None = None
    reason: LocalText | None = None


class DocumentName(Strict):
    """What a form sends in, as the receipt and the header name it: `søknad` and `søknaden`,
    `melding om behov` and `meldingen om behov`. Without it, the call's kind decides."""

    indefinite: LocalText
    definite: LocalText


class PartOfRule(Strict):
    """`field` is a part of `of` and may not exceed it (the UH share of the whole grant)."""

    type: Literal["part_of"]
    field: str
    of: str
    reason: LocalText | None = None


AnyRule = ForbiddenTermsRule | MinRatioRule | MaxOfFrameRule | PartOfRule
Rule = Annotated[AnyRule, Field(discriminator="type")]


class FormSpec(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    title: LocalText
    intro: LocalText | None = None
    document: DocumentName | None = None
    amount: str | None = None
    fields: Annotated[list[FormField], Field(min_length=1)]
    rules: list[Rule] = []

    @field_validator("fields")
    @classmethod
    def _unique_ids(cls, fields: list[FormField]) -> list[FormField]:
        seen: set[str] = set()
        for field in fields:
            if field.id in seen:
                raise ValueError(f"field id {field.id!r} is used twice")
            seen.add(field.id)
        return fields

    @model_validator(mode="after")
    def _references(self) -> FormSpec:
        problems = reference_problems(self)
        if problems:
            raise ValueError("\n".join(problems))  # parse_form lists each line as a problem of its own
        return self

    @cached_property
    def fields_by_id(self) -> dict[str, FormField]:
        return {field.id: field for field in self.fields}

    def field(self, field_id: str) -> FormField:
        return self.fields_by_id[field_id]


class FormSpecError(ValueError):
    """A form file is not valid; the message names the file and the key that is wrong.

    `problems` holds each problem on its own, for a caller that lists them one per line.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}{': ' if source else ''}{'; '.join(problems)}")
        self.source = source
        self.problems = problems


def parse_form(data: Any, source: str = "<form>") -> FormSpec:
    try:
        return FormSpec.model_validate(data)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in item['loc']) or '(top)'}: {'Value error, ' if index else ''}{line}"
            for item in error.errors()
            for index, line in enumerate(str(item["msg"]).splitlines())
        ]
        raise FormSpecError(source, problems) from None


def load_form(path: Path) -> FormSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise FormSpecError(str(path), [f"not valid YAML: {error}"]) from None
    except OSError as error:
        raise FormSpecError(str(path), [f"cannot read: {error.strerror}"]) from None
    return parse_form(data, str(path))


def shipped_form_ids() -> list[str]:
    return sorted(path.stem for path in SHIPPED_FORMS_DIR.glob("*.yaml"))


def resolve_form(ref: str, base: Path | None = None) -> FormSpec:
    """A shipped form id (`oppfolging-soknad`) or a path to a YAML file, relative to `base`."""
    if ref in shipped_form_ids():
        return load_form(SHIPPED_FORMS_DIR / f"{ref}.yaml")
    path = Path(ref)
    if not path.is_absolute() and base is not None:
        path = base / path
    if not path.exists():
        known = ", ".join(shipped_form_ids()) or "none"
        raise FormSpecError("", [f"form {ref!r} is neither a shipped form ({known}) nor an existing file"])
    return load_form(path)
