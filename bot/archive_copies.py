"""Making and finding the archive copy of each sending-in (models.ArchiveCopy).

The outbox worker makes a copy from its row (intake.archive_copy), in the org's language form and
dated when Frist received it, and stores it once: a redelivered row, or a second process that took
the same row after a crash, finds the copy there and stores nothing.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.pdf.submission import archive_title, view_pdf
from intake.archive_copy import as_sent
from intake.overview import view_of
from models import ArchiveCopy, OutboxMessage, Submission
from models.clock import Clock, fixed_clock


def make_archive_copy(engine: Engine, message: OutboxMessage, clock: Clock) -> bool:
    """Store the copy `message` asks for; False if it is there already (or its submission is gone)."""
    submission_id, revision = int(message.data["submission_id"]), int(message.data["revision"])
    with Session(engine, expire_on_commit=False) as session:
        if _stored(session, submission_id, revision):
            return False
        current = session.get(Submission, submission_id)
        if current is None:
            return False
        session.add(copy_of(session, as_sent(current, message.data), clock))
        try:
            session.commit()
        except IntegrityError:  # another process stored the same copy a moment ago
            return False
    return True


def copy_of(session: Session, sent: Submission, clock: Clock) -> ArchiveCopy:
    """The archive copy of `sent` (a submission as it was sent in), not yet stored."""
    assert sent.id is not None and sent.received_at is not None and sent.receipt_number is not None
    shown = view_of(session, sent)
    lang = str(shown.org.language)
    content = view_pdf(session, shown, lang, fixed_clock(sent.received_at))
    return ArchiveCopy(
        submission_id=sent.id,
        call_id=sent.call_id,
        org_id=sent.org_id,
        revision=sent.revision,
        receipt_number=sent.receipt_number,
        title=archive_title(shown, lang)[:300],
        sender=shown.org.name[:200],
        received_at=sent.received_at,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        made_at=clock(),
    )


def _stored(session: Session, submission_id: int, revision: int) -> bool:
    found = session.exec(
        select(ArchiveCopy.id).where(ArchiveCopy.submission_id == submission_id, ArchiveCopy.revision == revision)
    ).first()
    return found is not None


def newest_copies(session: Session, call_id: str) -> dict[int, ArchiveCopy]:
    """Per submission of the call, its newest archive copy: a resubmission replaces the one before."""
    rows = session.exec(
        select(ArchiveCopy).where(ArchiveCopy.call_id == call_id).order_by(col(ArchiveCopy.revision))
    ).all()
    return {row.submission_id: row for row in rows}
