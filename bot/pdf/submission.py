"""The archive copy of a submission (an incoming document, journal type I): who sent what, when, and
every answer as the contact saw it in the review before sending, as a PDF/A-2b file.

The text is `<lang>/archive_submission.j2`, which shows the answers with the review's own macros
(`macros.j2`, the same items `intake.engine.review` gives the review and the secretariat's view).
"""

from __future__ import annotations

from sqlmodel import Session

from bot.pdf.blocks import parse_blocks
from bot.pdf.layout import PdfDocument, render_pdf
from bot.render import render
from intake.calls import form_of
from intake.overview import SubmissionView, submission_view
from models import Contact, SubmissionStatus
from models.clock import Clock, system_clock


class NotSubmittedError(ValueError):
    """Only what was sent in has an archive copy: a draft, a reopened or a withdrawn one has none."""


def archive_text(session: Session, shown: SubmissionView, lang: str) -> str:
    submitter = session.get(Contact, shown.submission.submitted_by) if shown.submission.submitted_by else None
    form = form_of(shown.call)
    return render(lang, "archive_submission", shown=shown, form=form, reply=shown.review, submitter=submitter)


def submission_pdf(session: Session, submission_id: int, lang: str, clock: Clock = system_clock) -> bytes:
    """The archive copy of submission `submission_id` in language form `lang` (the secretariat's, or
    the organisation's). Characters the fonts lack in what people typed (an emoji) become U+FFFD, so
    an answer never stops the archive copy."""
    shown = submission_view(session, submission_id)
    if shown is None:
        raise LookupError(f"there is no submission {submission_id}")
    if shown.submission.status != SubmissionStatus.submitted:
        raise NotSubmittedError(
            f"submission {submission_id} is {shown.submission.status}, not submitted: only what was sent in is archived"
        )
    return view_pdf(session, shown, lang, clock)


def archive_title(shown: SubmissionView, lang: str) -> str:
    return render(lang, "archive_submission_title", shown=shown, form=form_of(shown.call))


def view_pdf(session: Session, shown: SubmissionView, lang: str, clock: Clock) -> bytes:
    """The archive copy of the submission `shown` (as it was sent in)."""
    title = archive_title(shown, lang)
    receipt = shown.submission.receipt_number or shown.call.case_number
    document = PdfDocument(
        title=title,
        lang=lang,
        author=shown.org.name,
        subject=shown.call.title.get(lang) or next(iter(shown.call.title.values())),
        created=clock(),
        blocks=parse_blocks(archive_text(session, shown, lang)),
        footer=render(lang, "pdf_footer", reference=receipt),
        keywords=(shown.call.case_number, receipt, shown.org.name),
        replace_missing=True,
    )
    return render_pdf(document)
