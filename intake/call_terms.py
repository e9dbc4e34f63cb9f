"""What a call file says about assessing and deciding: the criteria, the budget, who may assess, and
what a decision carries (reporting duty, conditions for all, which kinds of org get an enkeltvedtak).

Validated with the rest of the call file (intake.calls_load) and stored with the call as one JSON
document (`Call.terms`); `terms_of` reads it back. A call without these keys gets the defaults: no
criteria, no budget, only the secretariat assesses, and `privat` orgs get an individual decision.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from intake.call_yaml import plain_amount
from intake.spec import LocalText
from models import Call, OrgKind

SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,31}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Criterion(_Strict):
    """One assessment question: `a` and «Hvem er prioritert i nettverkets ulike tiltak?»."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
    label: LocalText

    @field_validator("id", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _slack_user(value: str) -> str:
    if not SLACK_USER.match(value):
        raise ValueError(f"a Slack user id like U012AB3CD (got {value!r})")
    return value


class AssessorGroup(_Strict):
    """A named group of assessors (one of the forum's groups), optionally for some orgs only.

    A plain Slack user id in the call file is a group of one, without a name, for every org.
    """

    group: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    members: Annotated[list[str], Field(min_length=1)]
    orgs: list[str] | None = None  # None: every eligible org

    @field_validator("members")
    @classmethod
    def _members(cls, value: list[str]) -> list[str]:
        return [_slack_user(member) for member in value]

    @field_validator("orgs", mode="before")
    @classmethod
    def _org_text(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [str(item) if isinstance(item, int) and not isinstance(item, bool) else item for item in value]
        return value


class ReportingDuty(_Strict):
    """The report that follows a grant: which report call, and by when."""

    call: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
    due: date


class DecisionTerms(_Strict):
    report: ReportingDuty | None = None
    conditions: list[LocalText] = []
    unspent: LocalText | None = None  # what happens to unspent funds (restmidler)
    appeal_to: LocalText | None = None  # who an appeal is sent to, when the decision is an enkeltvedtak
    individual_decision_for: list[OrgKind] = [OrgKind.privat]


class CallTerms(_Strict):
    criteria: list[Criterion] = []
    budget: Annotated[int, Field(ge=0)] | None = None
    assessors: list[AssessorGroup] = []
    decision: DecisionTerms = DecisionTerms()

    @field_validator("budget", mode="before")
    @classmethod
    def _kroner(cls, value: Any) -> Any:
        return plain_amount(value)

    @field_validator("assessors", mode="before")
    @classmethod
    def _plain_users(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"members": [item]} if isinstance(item, str) else item for item in value]
        return value

    @field_validator("assessors")
    @classmethod
    def _assessors(cls, value: list[AssessorGroup]) -> list[AssessorGroup]:
        names = [item.group for item in value if item.group is not None]
        if len(names) != len(set(names)):
            raise ValueError("each group name once")
        return value

    @model_validator(mode="after")
    def _unique_criteria(self) -> CallTerms:
        ids = [criterion.id for criterion in self.criteria]
        twice = sorted({one for one in ids if ids.count(one) > 1})
        if twice:
            raise ValueError(f"criteria: each id once ({', '.join(twice)} more than once)")
        return self

    def org_problems(self, eligible: set[str]) -> list[str]:
        """Orgs a group names that are not eligible in the call."""
        problems = []
        for index, item in enumerate(self.assessors):
            for org in item.orgs or []:
                if org not in eligible:
                    problems.append(f"assessors[{index}].orgs: {org!r} is not in `eligible`")
        return problems

    def may_assess(self, user: str, org_id: str) -> bool:
        """Whether `user` is listed as an assessor of `org_id` (the secretariat always may)."""
        return any(user in item.members and (item.orgs is None or org_id in item.orgs) for item in self.assessors)

    def group_of(self, user: str) -> str | None:
        return next((item.group for item in self.assessors if user in item.members and item.group), None)

    def individual_decision(self, kind: str) -> bool:
        """Whether a decision towards an org of this kind is an enkeltvedtak with a right of appeal."""
        return kind in self.decision.individual_decision_for


TERM_KEYS = tuple(CallTerms.model_fields)


def terms_of(call: Call) -> CallTerms:
    return CallTerms.model_validate(call.terms or {})
