"""Archive copies: the PDF/A file of each submission as it was sent in, made when it came in.

One row per sending-in (submission and revision): a resubmission adds the next, and the archive
export takes the newest of each submission. A row is written once and never changed, so a copy is
what the secretariat received, whatever the contact edits afterwards.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class ArchiveCopy(SQLModel, table=True):
    __tablename__ = "archive_copy"
    __table_args__ = (UniqueConstraint("submission_id", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    call_id: str = Field(foreign_key="call.id", index=True, max_length=64)
    org_id: str = Field(foreign_key="organisation.id", max_length=32)
    revision: int = Field(description="Which sending-in of the submission this is a copy of")
    receipt_number: str = Field(max_length=120)
    title: str = Field(max_length=300)
    sender: str = Field(max_length=200, description="The org's name when it sent this in")
    received_at: datetime = Field(sa_type=UTCDateTime)
    content: bytes = Field(sa_type=LargeBinary, repr=False)
    sha256: str = Field(max_length=64)
    made_at: datetime = Field(sa_type=UTCDateTime)
