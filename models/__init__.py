"""Storage: SQLModel tables, the database engine and migrations."""

from models.tables import (
    AuditEntry,
    Call,
    CallKind,
    Contact,
    Conversation,
    Eligibility,
    Language,
    Organisation,
    OrgKind,
    ProcessedDelivery,
    Submission,
    SubmissionStatus,
)

__all__ = [
    "AuditEntry",
    "Call",
    "CallKind",
    "Contact",
    "Conversation",
    "Eligibility",
    "Language",
    "OrgKind",
    "Organisation",
    "ProcessedDelivery",
    "Submission",
    "SubmissionStatus",
]
