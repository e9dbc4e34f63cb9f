"""Every archive document of a call, for `frist archive export`: the newest archive copy of each
submission (incoming; sender the org; received when Frist got it; made when it came in, see
bot/archive_copies.py) and each version of each decision letter (outgoing; recipient the org; sent
when it was decided), in the org's language form.

File names say what each is: `2025-4417-5052-soknad-r2` (case 2025/4417, org 5052, the second
revision sent in) and `2025-4417-5052-vedtak-v1`. The PDFs are made as of the submission's and the
decision's time, so an export made twice holds the same files as the letters that went out.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.archive import ArchiveDocument, Direction
from bot.archive_copies import copy_of, newest_copies
from bot.letter_data import decision_letter_pdf
from bot.pdf.letter import letter_title
from bot.settings import Settings
from intake.actors import call_or_fail
from models import ArchiveCopy, Decision, Organisation, Submission, SubmissionStatus
from models.clock import OSLO, Clock, system_clock


def _prefix(case_number: str, org_id: str) -> str:
    return f"{case_number.strip().replace('/', '-')}-{org_id}"


def _incoming(case_number: str, copy: ArchiveCopy) -> ArchiveDocument:
    return ArchiveDocument(
        direction=Direction.incoming,
        case_number=case_number,
        title=copy.title,
        document_date=copy.received_at.astimezone(OSLO).date(),
        registered_at=copy.received_at,
        correspondent=copy.sender,
        name=f"{_prefix(case_number, copy.org_id)}-soknad-r{copy.revision}",
        content=copy.content,
    )


def _submission_copies(session: Session, call_id: str, clock: Clock) -> list[ArchiveCopy]:
    """The newest archive copy of every submission that has been sent in, by org. One the worker has
    not made yet (or made before Frist kept copies) is made now, from the submission as it stands."""
    stored = newest_copies(session, call_id)
    found = session.exec(select(Submission).where(Submission.call_id == call_id, col(Submission.revision) > 0)).all()
    copies = []
    for submission in found:
        assert submission.id is not None
        copy = stored.get(submission.id)
        if (copy is None or copy.revision < submission.revision) and submission.status == SubmissionStatus.submitted:
            copy = copy_of(session, submission, clock)
        if copy is not None:
            copies.append(copy)
    return sorted(copies, key=lambda copy: copy.org_id)


def call_archive(
    session: Session, call_id: str, settings: Settings, clock: Clock = system_clock
) -> list[ArchiveDocument]:
    """The call's documents, submissions first, each org in id order; NotFound for an unknown call."""
    call = call_or_fail(session, call_id)
    documents = [_incoming(call.case_number, copy) for copy in _submission_copies(session, call.id, clock)]
    decisions = session.exec(
        select(Decision).where(Decision.call_id == call_id).order_by(col(Decision.org_id), col(Decision.version))
    ).all()
    for decision in decisions:
        assert decision.id is not None
        letter, pdf = decision_letter_pdf(session, decision.id, settings)
        org = session.get(Organisation, decision.org_id)
        assert org is not None
        documents.append(
            ArchiveDocument(
                direction=Direction.outgoing,
                case_number=call.case_number,
                title=letter_title(letter),
                document_date=letter.letter_date,
                registered_at=decision.decided_at,
                correspondent=org.name,
                name=f"{_prefix(call.case_number, decision.org_id)}-vedtak-v{decision.version}",
                content=pdf,
            )
        )
    return documents
