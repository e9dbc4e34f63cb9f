"""The tables. Times are timezone-aware UTC; enums are stored as plain strings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from models.types import JSONDocument, UTCDateTime


class OrgKind(StrEnum):
    kommune = "kommune"
    nettverk = "nettverk"
    fylkeskommune = "fylkeskommune"
    privat = "privat"
    uh = "uh"


class Language(StrEnum):
    nb = "nb"
    nn = "nn"


class CallKind(StrEnum):
    application = "application"
    report = "report"


class SubmissionStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    withdrawn = "withdrawn"
    reopened = "reopened"
    declined = "declined"  # the org said it will not apply this time


# Each table whose rows a draft reads has a plain-data base class with the same fields: the draft
# reads them with one Core select and builds these (no ORM identity map, no unit of work), while
# everything else uses the table classes, which are subclasses and so fit wherever the data is asked.


class OrganisationData(SQLModel):
    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    kind: OrgKind = Field(sa_type=String(20))
    language: Language = Field(sa_type=String(2))


class Organisation(OrganisationData, table=True):
    pass


class ContactData(SQLModel):
    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    name: str = Field(max_length=200)
    email: str = Field(unique=True, max_length=254)
    slack_user_id: str | None = Field(default=None, unique=True, max_length=32)


class Contact(ContactData, table=True):
    pass


class CallData(SQLModel):
    """A call without its form document, which is large and parsed once per version (intake.calls.form_of)."""

    id: str = Field(primary_key=True, max_length=64)
    title: dict[str, str] = Field(sa_type=JSONDocument)
    kind: CallKind = Field(sa_type=String(20))
    form_ref: str = Field(max_length=500)
    case_number: str = Field(max_length=32)
    opens: datetime = Field(sa_type=UTCDateTime)
    deadline: datetime = Field(sa_type=UTCDateTime)
    reminders: list[int] = Field(default_factory=list, sa_type=JSONDocument)
    reminder_time: str = Field(default="09:00", max_length=5, description="Local time (Europe/Oslo) of reminders")
    digest: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDocument, description="Digest schedule")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Call(CallData, table=True):
    form: dict[str, Any] = Field(sa_type=JSONDocument, description="The form spec as loaded")


class Eligibility(SQLModel, table=True):
    call_id: str = Field(foreign_key="call.id", primary_key=True, max_length=64)
    org_id: str = Field(foreign_key="organisation.id", primary_key=True, max_length=32)
    frame: int | None = None


class SubmissionData(SQLModel):
    """One org's application or report in one call; shared by all the org's contacts."""

    id: int | None = Field(default=None, primary_key=True)
    call_id: str = Field(foreign_key="call.id", index=True, max_length=64)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    kind: CallKind = Field(sa_type=String(20))
    status: SubmissionStatus = Field(default=SubmissionStatus.draft, sa_type=String(20))
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDocument)
    version: int = Field(default=1, description="Bumped on every update (optimistic locking)")
    revision: int = Field(default=0, description="How many times it has been submitted")
    started_by: int = Field(foreign_key="contact.id")
    submitted_by: int | None = Field(default=None, foreign_key="contact.id")
    submitted_at: datetime | None = Field(
        default=None, sa_type=UTCDateTime, description="When the contact sent it (Slack's time of the action)"
    )
    received_at: datetime | None = Field(
        default=None, sa_type=UTCDateTime, description="When Frist got it (later than submitted_at after a retry)"
    )
    receipt_number: str | None = Field(default=None, max_length=80)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Submission(SubmissionData, table=True):
    __table_args__ = (UniqueConstraint("call_id", "org_id"),)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        """An update of a stale copy fails (StaleDataError) instead of overwriting another's answers."""
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class ConversationData(SQLModel):
    """Where one contact stands in one submission: the field being asked, or the review."""

    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", primary_key=True)
    position: str | None = Field(default=None, max_length=64)
    seen_version: int = Field(default=0, description="The submission version this contact last saw")
    updated_at: datetime = Field(sa_type=UTCDateTime, index=True)


class Conversation(ConversationData, table=True):
    pass


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor: str = Field(max_length=120)
    action: str = Field(max_length=64, index=True)
    call_id: str | None = Field(default=None, max_length=64)
    org_id: str | None = Field(default=None, max_length=32)
    submission_id: int | None = Field(default=None, index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDocument)


class ProcessedDelivery(SQLModel, table=True):
    """A Slack event or interaction already handled; a retried delivery finds its key here."""

    key: str = Field(primary_key=True, max_length=200)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
