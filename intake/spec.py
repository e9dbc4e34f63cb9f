"""The form spec: what a YAML form file may say, validated with pydantic.

A form is a list of fields asked in order, plus form-level rules checked at the review.
See docs/forms.md for the complete description and an example.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Lang = Literal["nb", "nn"]
LANGS: tuple[Lang, ...] = ("nb", "nn")
FieldType = Literal["text", "longtext", "money", "integer", "date", "choice", "multichoice", "yesno", "table", "matrix"]
SHIPPED_FORMS_DIR = Path(__file__).parent / "forms"
TEXT_TYPES = ("text", "longtext")
AMOUNT_TYPES = ("money", "integer")


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
    min: int | None = None
    max: int | None = None
    choices: list[Choice] = []
    allow_unknown: bool = False
    columns: list[FormField] = []
    rows: list[Choice] = []
    when: When | None = None

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
        if (self.min is not None or self.max is not None) and kind not in ("money", "integer"):
            raise ValueError(f"field {self.id!r}: `min`/`max` are for money and integer fields")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"field {self.id!r}: `min` is larger than `max`")
        return self

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


Rule = Annotated[ForbiddenTermsRule | MinRatioRule | MaxOfFrameRule, Field(discriminator="type")]


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
        position = {field.id: index for index, field in enumerate(self.fields)}
        for index, field in enumerate(self.fields):
            if field.when is None:
                continue
            if field.when.field not in position or position[field.when.field] >= index:
                raise ValueError(f"field {field.id!r}: `when` must name an earlier field, not {field.when.field!r}")
            possible = _answer_values(self.fields[position[field.when.field]])
            equals = field.when.equals
            if isinstance(equals, bool):
                equals = "ja" if equals else "nei"
            if possible is not None and str(equals) not in possible:
                raise ValueError(
                    f"field {field.id!r}: `when.equals` {field.when.equals!r} can never match "
                    f"{field.when.field!r}; use one of {', '.join(sorted(possible))}"
                )
        for rule in self.rules:
            for ref in _rule_refs(rule):
                self._check_ref(rule.type, ref)
            if isinstance(rule, MaxOfFrameRule) and rule.explain and rule.explain not in self.fields_by_id:
                raise ValueError(f"max_of_frame: no field {rule.explain!r} to explain in")
        if self.amount:
            self._check_ref("amount", self.amount)
        return self

    def _check_ref(self, rule_type: str, ref: str) -> None:
        field_id, _, column_id = ref.partition(".")
        field = self.fields_by_id.get(field_id)
        if field is None:
            raise ValueError(f"{rule_type}: no field {field_id!r}")
        if column_id and (field.type != "table" or column_id not in {c.id for c in field.columns}):
            raise ValueError(f"{rule_type}: {field_id!r} has no column {column_id!r}")
        target = field.column(column_id) if column_id else field
        wanted = TEXT_TYPES if rule_type == "forbidden_terms" else AMOUNT_TYPES
        if rule_type == "forbidden_terms" and not column_id and field.type == "table":
            return
        if rule_type != "explain" and target.type not in wanted:
            raise ValueError(f"{rule_type}: {ref!r} is a {target.type} field; it needs {' or '.join(wanted)}")

    @cached_property
    def fields_by_id(self) -> dict[str, FormField]:
        return {field.id: field for field in self.fields}

    def field(self, field_id: str) -> FormField:
        return self.fields_by_id[field_id]


def _answer_values(field: FormField) -> set[str] | None:
    """Every value an answer to `field` can hold, where that is a closed set."""
    if field.type == "yesno":
        return {"ja", "nei", "vet_ikke"} if field.allow_unknown else {"ja", "nei"}
    if field.type in ("choice", "multichoice"):
        return {choice.id for choice in field.choices}
    return None


def _rule_refs(rule: ForbiddenTermsRule | MinRatioRule | MaxOfFrameRule) -> list[str]:
    if isinstance(rule, ForbiddenTermsRule):
        return [f"{rule.field}.{rule.column}" if rule.column else rule.field]
    if isinstance(rule, MinRatioRule):
        return [rule.field, rule.of]
    return [rule.field]


class FormSpecError(ValueError):
    """A form file is not valid; the message names the file and the key that is wrong."""


def parse_form(data: Any, source: str = "<form>") -> FormSpec:
    try:
        return FormSpec.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or '(top)'}: {item['msg']}" for item in error.errors()
        )
        raise FormSpecError(f"{source}: {problems}") from None


def load_form(path: Path) -> FormSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise FormSpecError(f"{path}: not valid YAML: {error}") from None
    except OSError as error:
        raise FormSpecError(f"{path}: cannot read: {error.strerror}") from None
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
        raise FormSpecError(f"form {ref!r} is neither a shipped form ({known}) nor an existing file")
    return load_form(path)
