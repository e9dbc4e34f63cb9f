"""Storage: SQLModel tables, the database engine and migrations."""

from models.outbox import OutboxKind, OutboxMessage, OutboxStatus, Snooze
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
    "OutboxKind",
    "OutboxMessage",
    "OutboxStatus",
    "ProcessedDelivery",
    "Snooze",
    "Submission",
    "SubmissionStatus",
]
