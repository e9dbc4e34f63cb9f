"""Every archive document of a call, for `frist archive export`: the archive copy of each submitted
submission (incoming; sender the org; received when Frist got it) and each version of each
decision letter (outgoing; recipient the org; sent when it was decided), in the org's language form.

File names say what each is: `2025-4417-5052-soknad-r2` (case 2025/4417, org 5052, the second
revision sent in) and `2025-4417-5052-vedtak-v1`. The PDFs are made as of the submission's and the
decision's time, so an export made twice holds the same files as the letters that went out.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.archive import ArchiveDocument, Direction
from bot.letter_data import decision_letter_pdf
from bot.pdf.letter import letter_title
from bot.pdf.submission import submission_pdf
from bot.render import render
from bot.settings import Settings
from intake.actors import call_or_fail
from intake.calls import form_of
from intake.overview import submission_view
from models import Decision, Organisation, Submission, SubmissionStatus
from models.clock import OSLO, fixed_clock


def _prefix(case_number: str, org_id: str) -> str:
    return f"{case_number.strip().replace('/', '-')}-{org_id}"


def call_archive(session: Session, call_id: str, settings: Settings) -> list[ArchiveDocument]:
    """The call's documents, submissions first, each org in id order; NotFound for an unknown call."""
    call = call_or_fail(session, call_id)
    documents = []
    submissions = session.exec(
        select(Submission)
        .where(Submission.call_id == call_id, Submission.status == SubmissionStatus.submitted)
        .order_by(col(Submission.org_id))
    ).all()
    for submission in submissions:
        assert submission.id is not None
        shown = submission_view(session, submission.id)
        received = submission.received_at or submission.submitted_at
        assert shown is not None and received is not None
        lang = str(shown.org.language)
        title = render(lang, "archive_submission_title", shown=shown, form=form_of(call))
        documents.append(
            ArchiveDocument(
                direction=Direction.incoming,
                case_number=call.case_number,
                title=title,
                document_date=received.astimezone(OSLO).date(),
                registered_at=received,
                correspondent=shown.org.name,
                name=f"{_prefix(call.case_number, submission.org_id)}-soknad-r{submission.revision}",
                content=submission_pdf(session, submission.id, lang, fixed_clock(received)),
            )
        )
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
