"""The archive copy of a submission, made from the database rows and read back with pikepdf and pypdf
(tests/support/pdf_checks.py says what is checked and what only a PDF/A validator could check)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.pdf.layout import REPLACEMENT
from bot.pdf.submission import NotSubmittedError, submission_pdf
from intake.overview import submission_view
from models import Submission
from models.clock import fixed_clock
from tests.support.export_data import CALL, FULL, add_submission, prepare_call
from tests.support.pdf_checks import check_archive_pdf, one_line

RECEIVED = datetime(2026, 11, 20, 13, 5, 2, tzinfo=UTC)
CLOCK = fixed_clock(datetime(2026, 11, 20, 13, 6, tzinfo=UTC))


@pytest.fixture(autouse=True)
def no_dropped_glyphs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """fpdf2 drops a glyph its font lacks with only a warning on `fpdf.output`: here that fails."""
    caplog.set_level(logging.WARNING, logger="fpdf.output")
    yield
    dropped = [r.getMessage() for r in caplog.records if r.name.startswith("fpdf")]
    assert not dropped, dropped


def submitted(session: Session, tmp_path: Path, org_id: str = "nett-fosen", **answers: Any) -> int:
    prepare_call(session, tmp_path)
    budget = [{"post": "Kurs for lærere på 1.–4. trinn", "belop": 1_100_000}, {"post": "Bøker", "belop": 100_000}]
    add_submission(session, org_id, FULL | {"budsjett": budget} | answers, submitted=True)
    submission = session.exec(select(Submission).where(Submission.org_id == org_id)).one()
    submission.received_at, submission.revision = RECEIVED, 1
    session.add(submission)
    session.commit()
    assert submission.id is not None
    return submission.id


def test_the_archive_copy_is_pdfa_2b_and_holds_who_sent_what_and_when(session: Session, tmp_path: Path) -> None:
    submission_id = submitted(session, tmp_path)
    text = one_line(check_archive_pdf(submission_pdf(session, submission_id, "nb", CLOCK)))
    assert "Søknad fra Fosennettverket, Trøndelag – Tilskudd til lesekampanje 2027" in text
    assert "Saksnummer 2026/1234" in text and "Kvitteringsnummer 2026/1234-5052-1" in text
    assert "Mottatt fredag 20. november 2026 kl. 14.05" in text
    assert "Sendt inn av Mona Rissa, mona@fosen.example.no" in text
    assert "Rammen deres kr 1 200 000" in text
    assert "Beløp dere søker om: kr 1 200 000" in text and "Beløp dere søker om: kr 1 200 000*" not in text
    assert "Kurs for lærere på 1.–4. trinn; kr 1 100 000" in text and "Sum: kr 1 200 000" in text
    assert "Alle elever leser, hver dag." in text and "mandag 4. januar 2027" in text
    assert "Leder: Ja" in text and "Ledere, PPT" in text


def test_every_answer_is_there_as_the_review_shows_it(session: Session, tmp_path: Path) -> None:
    """Each numbered question of the review, in its order, with its label, is a heading of the copy."""
    submission_id = submitted(session, tmp_path)
    text = one_line(check_archive_pdf(submission_pdf(session, submission_id, "nb", CLOCK)))
    shown = submission_view(session, submission_id)
    assert shown is not None
    positions = [text.index(f"{item.number}. {item.field.label('nb')}") for item in shown.review.items]
    assert positions == sorted(positions) and len(positions) == len(shown.review.items) >= 8


def test_in_nynorsk_the_copy_is_in_nynorsk(session: Session, tmp_path: Path) -> None:
    submission_id = submitted(session, tmp_path, elever=None)
    nb = one_line(check_archive_pdf(submission_pdf(session, submission_id, "nb", CLOCK)))
    nn = one_line(check_archive_pdf(submission_pdf(session, submission_id, "nn", CLOCK)))
    assert "Søknad frå Fosennettverket, Trøndelag – Tilskot til lesekampanje 2027" in nn
    assert "Motteke fredag 20. november 2026 kl. 14.05" in nn and "Avsendar Fosennettverket" in nn
    assert "Ramma dykkar kr 1 200 000" in nn and "Beløp de søkjer om: kr 1 200 000" in nn
    assert "Mottatt" not in nn and "Avsender" not in nn and nb != nn


def test_what_people_typed_is_never_read_as_markup(session: Session, tmp_path: Path) -> None:
    mal = "# Ikke en overskrift\n- ikke et punkt\n| ikke | en tabell\n\\ikke en skråstrek borte"
    submission_id = submitted(session, tmp_path, mal=mal)
    text = check_archive_pdf(submission_pdf(session, submission_id, "nb", CLOCK))
    for line in mal.split("\n"):
        assert line in text


def test_an_emoji_in_an_answer_is_marked_not_fatal(session: Session, tmp_path: Path) -> None:
    submission_id = submitted(session, tmp_path, mal="Lesing 📚 hver dag")
    text = check_archive_pdf(submission_pdf(session, submission_id, "nb", CLOCK))
    assert f"Lesing {REPLACEMENT} hver dag" in text


def test_an_unanswered_question_reads_as_the_review_says_it_without_slack_marks(
    session: Session, tmp_path: Path
) -> None:
    submission_id = submitted(session, tmp_path, nivaer={"leder": "ja"})
    text = one_line(check_archive_pdf(submission_pdf(session, submission_id, "nb", CLOCK)))
    assert "Ansatte: ikke besvart" in text and "_ikke besvart_" not in text


def test_only_what_was_sent_in_has_an_archive_copy(session: Session, tmp_path: Path) -> None:
    prepare_call(session, tmp_path)
    add_submission(session, "5020", {"mal": "Lesing"}, submitted=False)
    draft = session.exec(select(Submission).where(Submission.call_id == CALL)).one()
    assert draft.id is not None
    with pytest.raises(NotSubmittedError, match="is draft, not submitted"):
        submission_pdf(session, draft.id, "nn", CLOCK)
    with pytest.raises(LookupError, match="no submission 9999"):
        submission_pdf(session, 9999, "nb", CLOCK)
