"""What the bot says next, as data. Adapters render each reply with the template of the same name."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from intake.parsers import ParseError
from intake.rules import Problem
from intake.spec import Choice, FormField
from intake.sums import Sum


@dataclass(frozen=True)
class Reply:
    template: ClassVar[str]


@dataclass(frozen=True)
class Question(Reply):
    """Ask `field` (for a matrix: its `row`); `current` is the answer already given, if any."""

    template = "question"
    field: FormField
    number: int
    total: int
    current: Any = None
    row: Choice | None = None
    row_number: int = 0
    needed: bool = False  # optional in the form, but a rule needs an answer now (over the frame)
    sum: Sum | None = None  # a `sum_of` field: the sum to confirm and what it is made of


@dataclass(frozen=True)
class Invalid(Reply):
    template = "invalid"
    field: FormField
    error: ParseError


@dataclass(frozen=True)
class RuleBroken(Reply):
    """An answer was refused because it breaks a form rule (e.g. a forbidden budget line)."""

    template = "rule_broken"
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class RowAdded(Reply):
    template = "row_added"
    field: FormField
    row: dict[str, Any]
    count: int


@dataclass(frozen=True)
class RowRemoved(Reply):
    template = "row_removed"
    field: FormField
    row: dict[str, Any]
    count: int


@dataclass(frozen=True)
class ReviewItem:
    number: int
    field: FormField
    value: Any
    answered: bool
    totals: tuple[tuple[FormField, int], ...] = ()  # a table: (money column, its sum)


@dataclass(frozen=True)
class Review(Reply):
    template = "review"
    items: tuple[ReviewItem, ...]
    problems: tuple[Problem, ...]
    amount: int | None = None  # the form's `amount`: what is asked for
    frame: int | None = None  # the org's frame in the call

    @property
    def can_submit(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class SubmitRefused(Reply):
    template = "submit_refused"
    problems: tuple[Problem, ...]
    at_review: bool = False  # then this is all that is shown: the review would list the problems again


class NoticeKind(StrEnum):
    """Every short fixed message; each has its text in the `notice` template, in nb and nn."""

    already_submitted = "already_submitted"
    at_start = "at_start"
    cannot_skip = "cannot_skip"
    changed_by_other = "changed_by_other"
    changed_in_modal = "changed_in_modal"
    deadline_passed = "deadline_passed"
    declined = "declined"
    joined = "joined"
    no_such_row = "no_such_row"
    not_a_table = "not_a_table"
    not_editable = "not_editable"
    nothing_to_keep = "nothing_to_keep"
    paused = "paused"
    reopened = "reopened"
    resumed = "resumed"
    review_hint = "review_hint"
    stale_button = "stale_button"
    started = "started"
    table_needs_rows = "table_needs_rows"
    unknown_field = "unknown_field"
    unknown_field_number = "unknown_field_number"
    which_row = "which_row"
    yesno_rest_dropped = "yesno_rest_dropped"


@dataclass(frozen=True)
class Notice(Reply):
    """A short fixed message: `kind` names the text in the `notice` template."""

    template = "notice"
    kind: NoticeKind
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", NoticeKind(self.kind))  # a kind without a text is a bug: now


@dataclass(frozen=True)
class Help(Reply):
    template = "help"
    field: FormField | None
    at_review: bool


@dataclass(frozen=True)
class Status(Reply):
    """`answered` counts what needs no more typing (answered, or skipped on purpose); `filled` only
    what has an answer. `missing`: required and not answered; `optional_open`: optional, not reached."""

    template = "status"
    answered: int
    total: int
    missing: tuple[FormField, ...]
    skipped: int = 0
    optional_open: int = 0

    @property
    def filled(self) -> int:
        return self.answered - self.skipped
