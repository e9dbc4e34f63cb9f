"""Assessments, recommendations (innstilling) and decisions (vedtak): the tables.

An assessment is one assessor's reading of one submission (several per submission). A
recommendation is the secretariat's current proposal per org and call, edited freely before the
decision; its `version` counts the edits. A decision is fixed: a row is never updated, and an
amendment is a new row with the next `version` and a reason. The letter intent in the outbox is
keyed by the decision version, so each version is sent once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import JSONDocument, UTCDateTime

# The reasons a letter gives: the criterion comments the secretariat chose, as they read when chosen.
REASONS_DOC = '[{"criterion": id, "text": the comment}], in the order given'


class Mark(StrEnum):
    ok = "ok"
    merknad = "merknad"  # a remark to follow up
    mangler = "mangler"  # missing or not met


class Outcome(StrEnum):
    full = "full"  # innstilt
    partial = "partial"  # delvis innstilt
    rejected = "rejected"  # avslått


class Assessment(SQLModel, table=True):
    """One assessor's assessment of one submission: `marks` maps a criterion id to
    `{"mark": "ok" | "merknad" | "mangler", "comment": str}`."""

    __table_args__ = (UniqueConstraint("submission_id", "assessor"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    call_id: str = Field(foreign_key="call.id", index=True, max_length=64)
    org_id: str = Field(foreign_key="organisation.id", max_length=32)
    assessor: str = Field(max_length=120, description="Slack user id, or `cli` for an import")
    assessor_group: str | None = Field(default=None, max_length=100)
    marks: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDocument)
    comment: str = Field(default="", sa_type=Text)
    submission_revision: int = Field(description="The revision of the submission that was assessed")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Disqualification(SQLModel, table=True):
    """An assessor declared themselves disqualified (inhabil, forvaltningsloven § 6) for an org in a call."""

    call_id: str = Field(foreign_key="call.id", primary_key=True, max_length=64)
    org_id: str = Field(foreign_key="organisation.id", primary_key=True, max_length=32)
    assessor: str = Field(primary_key=True, max_length=120)
    reason: str = Field(default="", max_length=500)
    declared_at: datetime = Field(sa_type=UTCDateTime)


class Recommendation(SQLModel, table=True):
    call_id: str = Field(foreign_key="call.id", primary_key=True, max_length=64)
    org_id: str = Field(foreign_key="organisation.id", primary_key=True, max_length=32)
    outcome: Outcome = Field(sa_type=String(20))
    amount: int = Field(ge=0)
    comment: str = Field(default="", sa_type=Text)
    conditions: str = Field(default="", sa_type=Text, description="Conditions for this org only")
    withhold: str | None = Field(default=None, sa_type=Text, description="Payment withheld until this is met")
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONDocument, description=REASONS_DOC)
    set_by: str = Field(max_length=120)
    set_at: datetime = Field(sa_type=UTCDateTime)
    version: int = Field(default=1, description="Bumped on every change")


class Decision(SQLModel, table=True):
    """A fixed decision for one org in one call. Never updated: an amendment adds the next version."""

    __table_args__ = (UniqueConstraint("call_id", "org_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: str = Field(foreign_key="call.id", index=True, max_length=64)
    org_id: str = Field(foreign_key="organisation.id", max_length=32)
    version: int
    outcome: Outcome = Field(sa_type=String(20))
    amount: int = Field(ge=0)
    comment: str = Field(default="", sa_type=Text)
    conditions: str = Field(default="", sa_type=Text)
    withhold: str | None = Field(default=None, sa_type=Text)
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONDocument, description=REASONS_DOC)
    individual: bool = Field(description="An enkeltvedtak with a right of appeal (the call's setting for the org kind)")
    reason: str | None = Field(default=None, sa_type=Text, description="Why it was amended (None: the first version)")
    decided_by: str = Field(max_length=120)
    decided_at: datetime = Field(sa_type=UTCDateTime)
