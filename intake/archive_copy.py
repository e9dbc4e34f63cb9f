"""The archive copy of a sending-in, asked for in the same commit as the submission itself.

The submit use case queues one outbox row per sending-in (`archive:{call}:{org}:r{revision}`) that
holds what was sent: the answers, who sent them and when, and the receipt number. The worker makes
the PDF from that, not from the submission row, which may have been reopened and edited by then;
so the copy is what came in, however late the worker gets to it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models import Intent, OutboxKind, Submission, SubmissionData, SubmissionStatus

SENT_FIELDS = ("answers", "submitted_by", "receipt_number")
SENT_TIMES = ("submitted_at", "received_at")


def archive_copy_key(call_id: str, org_id: str, revision: int) -> str:
    return f"archive:{call_id}:{org_id}:r{revision}"


def archive_copy_intent(submission: SubmissionData, now: datetime) -> Intent:
    sent: dict[str, Any] = {name: getattr(submission, name) for name in SENT_FIELDS}
    sent |= {name: getattr(submission, name).isoformat() for name in SENT_TIMES}
    return Intent(
        key=archive_copy_key(submission.call_id, submission.org_id, submission.revision),
        kind=OutboxKind.archive,
        call_id=submission.call_id,
        org_id=submission.org_id,
        due_at=now,
        expires_at=None,
        data={"submission_id": submission.id, "revision": submission.revision, "sent": sent},
    )


def as_sent(current: Submission, data: dict[str, Any]) -> Submission:
    """The submission as it was sent in, from the row `current` and an archive row's data; not in
    any session, so nothing about it is ever written back."""
    sent = data["sent"]
    fields = {name: getattr(current, name) for name in SubmissionData.model_fields}
    fields |= {name: sent[name] for name in SENT_FIELDS}
    fields |= {name: datetime.fromisoformat(sent[name]) for name in SENT_TIMES}
    fields |= {"revision": int(data["revision"]), "status": SubmissionStatus.submitted}
    return Submission.model_validate(fields)
