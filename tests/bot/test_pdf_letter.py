"""The decision letter as PDF/A-2b, read back with pikepdf and pypdf (tests/support/pdf_checks.py says
what is checked and what only a PDF/A validator could check)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime

import pikepdf
import pytest

from bot.pdf.letter import (
    Appeal,
    ContactPerson,
    DecisionLetter,
    Outcome,
    Payment,
    Reason,
    Recipient,
    ReportingDuty,
    Sender,
    Signatory,
    UnspentRule,
    letter_pdf,
    letter_sender,
    letter_text,
)
from bot.settings import Settings
from models.clock import fixed_clock
from tests.support.pdf_checks import check_archive_pdf, one_line

MADE = datetime(2025, 3, 20, 9, 30, tzinfo=UTC)
CLOCK = fixed_clock(MADE)


@pytest.fixture(autouse=True)
def no_dropped_glyphs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """fpdf2 drops a glyph its font lacks with only a warning on `fpdf.output`: here that fails."""
    caplog.set_level(logging.WARNING, logger="fpdf.output")
    yield
    dropped = [r.getMessage() for r in caplog.records if r.name.startswith("fpdf")]
    assert not dropped, dropped


def seed_002_letter(lang: str = "nb", **changes: object) -> DecisionLetter:
    """Værnes in seed 002: its full frame, payment withheld until a dialogue with SF and UH."""
    nynorsk = lang == "nn"
    letter = DecisionLetter(
        lang=lang,
        sender=Sender(
            "Statsforvaltaren i Trøndelag" if nynorsk else "Statsforvalteren i Trøndelag",
            "Oppvekst- og utdanningsavdelinga" if nynorsk else "Oppvekst- og utdanningsavdelingen",
            "Postboks 2600, 7734 Steinkjer",
        ),
        recipient=Recipient("Værnes kompetansenettverk", "vaernes", attention="Gunhild Warø"),
        case_number="2025/1234",
        letter_date=date(2025, 3, 20),
        scheme="Kompetanseløftet 2025",
        outcome=Outcome.full,
        amount=1_200_000,
        asked=980_000,
        frame=1_200_000,
        contact=ContactPerson("Åse Øvrebø", "sfoaase@statsforvalteren.no", "74 16 80 00"),
        comment="Nettverket har søkt om mindre enn ramma og får heile ramma."
        if nynorsk
        else "Nettverket har søkt om mindre enn rammen og får hele rammen.",
        reasons=(Reason("j) Plan for ubrukte midlar" if nynorsk else "j) Plan for ubrukte midler", "Følg opp."),),
        conditions=("Samarbeidet med UH skal halde fram." if nynorsk else "Samarbeidet med UH skal fortsette.",),
        payment=Payment(withheld_until="nettverket har hatt dialog med SF og UH"),
        reporting=ReportingDuty("Rapport for Kompetanseløftet 2025", date(2026, 3, 1)),
        unspent=UnspentRule.carry_over,
        signatories=(Signatory("Kari Ås", "direktør"),),
    )
    return replace(letter, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_letter_is_pdfa_2b_with_embedded_fonts_and_says_what_was_decided(lang: str) -> None:
    text = one_line(check_archive_pdf(letter_pdf(seed_002_letter(lang), CLOCK)))
    assert "Værnes kompetansenettverk" in text and "v/ Gunhild Warø" in text
    assert "2025/1234" in text and "20.03.2025" in text
    assert "kr 1 200 000" in text and "kr 980 000" in text
    assert "Kompetanseløftet 2025" in text and "Trøndelag" in text
    assert "nettverket har hatt dialog med SF og UH" in text
    assert "Åse Øvrebø" in text and "Kari Ås" in text
    assert ("søndag 1. mars 2026" if lang == "nb" else "sundag 1. mars 2026") in text


def test_bokmal_and_nynorsk_letters_differ_and_each_is_its_own_language_form() -> None:
    nb = one_line(check_archive_pdf(letter_pdf(seed_002_letter("nb"), CLOCK)))
    nn = one_line(check_archive_pdf(letter_pdf(seed_002_letter("nn"), CLOCK)))
    assert nb != nn
    assert "Vedtak om tilskudd – Kompetanseløftet 2025" in nb and "Vi innvilger søknaden." in nb
    assert "Vedtak om tilskot – Kompetanseløftet 2025" in nn and "Vi innvilgar søknaden." in nn
    assert "Vi held tilbake utbetalinga" in nn and "Vi holder tilbake utbetalingen" in nb
    for bokmal in ("tilskudd", "ikke", "Deres referanse", "Saksbehandler", "Med hilsen"):
        assert bokmal not in nn
    for nynorsk in ("tilskot", "ikkje", "Dykkar referanse", "Sakshandsamar", "Med helsing"):
        assert nynorsk not in nb


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_appeal_paragraph_is_there_only_for_an_individual_decision(lang: str) -> None:
    without = one_line(check_archive_pdf(letter_pdf(seed_002_letter(lang), CLOCK)))
    appealable = seed_002_letter(lang, appeal=Appeal("Utdanningsdirektoratet"))
    with_appeal = one_line(check_archive_pdf(letter_pdf(appealable, CLOCK)))
    assert "Klagerett" in with_appeal and "Klagerett" not in without
    assert "§§ 28 og 29" in with_appeal and "§§ 28" not in without
    assert ("innan tre veker" if lang == "nn" else "innen tre uker") in with_appeal
    assert "Utdanningsdirektoratet" in with_appeal and "Utdanningsdirektoratet" not in without
    where = "Klaga skal sendast til Statsforvaltaren" if lang == "nn" else "Klagen skal sendes til Statsforvalteren"
    assert where in with_appeal


def test_a_partial_grant_and_a_rejection_read_as_such() -> None:
    partial = seed_002_letter(outcome=Outcome.partial, amount=900_000, asked=1_000_000, payment=Payment())
    text = one_line(check_archive_pdf(letter_pdf(partial, CLOCK)))
    assert "Vi innvilger søknaden delvis." in text and "kr 900 000, av kr 1 000 000 som dere søkte om" in text
    assert "Vi betaler ut tilskuddet så snart som mulig." in text
    rejected = seed_002_letter(outcome=Outcome.rejected, amount=0, reporting=None, conditions=())
    text = one_line(check_archive_pdf(letter_pdf(rejected, CLOCK)))
    assert "Vi avslår søknaden fra Værnes kompetansenettverk om tilskudd." in text
    assert "Innvilget tilskudd kr 0" in text
    assert "Utbetaling" not in text and "Rapportering" not in text and "Midler som ikke blir brukt" not in text


def test_unspent_funds_and_an_amended_letter() -> None:
    rules = {
        UnspentRule.repay: "skal betales tilbake",
        UnspentRule.carry_over: "kan brukes til samme formål året etter",
        UnspentRule.deduct: "blir trukket fra tilskuddet neste år",
    }
    for rule, words in rules.items():
        assert words in one_line(letter_text(seed_002_letter(unspent=rule)))
    amended = one_line(check_archive_pdf(letter_pdf(seed_002_letter(version=2), CLOCK)))
    assert "Endret vedtak om tilskudd" in amended and "erstatter vedtaket vi sendte tidligere" in amended


def test_text_from_the_data_is_never_read_as_markup() -> None:
    letter = seed_002_letter(comment="# Ikke en overskrift\n- ikke et punkt\n: ikke | et felt\n| ikke | en tabell")
    text = check_archive_pdf(letter_pdf(letter, CLOCK))
    for line in ("# Ikke en overskrift", "- ikke et punkt", ": ikke | et felt", "| ikke | en tabell"):
        assert line in text


def test_the_pdf_metadata_comes_from_the_letter_and_the_clock() -> None:
    data = letter_pdf(seed_002_letter("nn"), CLOCK)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "Vedtak om tilskot – Kompetanseløftet 2025"
        assert meta["dc:creator"] == ["Statsforvaltaren i Trøndelag"]
        for date_key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            assert meta[date_key] == "2025-03-20T09:30:00+00:00"
        assert meta["pdf:Keywords"] == "2025/1234, Værnes kompetansenettverk"
        assert pdf.Root.Lang == "nn-NO"
    assert letter_pdf(seed_002_letter("nn"), CLOCK) == data, "the same letter at the same time: the same file"


def test_the_sender_comes_from_the_settings_in_each_language_form() -> None:
    settings = Settings(
        FRIST_LETTER_AUTHORITY="Statsforvalteren i Trøndelag",
        FRIST_LETTER_AUTHORITY_NN="Statsforvaltaren i Trøndelag",
        FRIST_LETTER_DEPARTMENT="Utdanningsavdelingen",
        FRIST_LETTER_ADDRESS="Postboks 2600, 7734 Steinkjer",
        FRIST_SECRETARIAT_EMAIL="sftlpost@statsforvalteren.no",
    )
    nb, nn = letter_sender(settings, "nb"), letter_sender(settings, "nn")
    assert nb == Sender(
        "Statsforvalteren i Trøndelag",
        "Utdanningsavdelingen",
        "Postboks 2600, 7734 Steinkjer",
        "sftlpost@statsforvalteren.no",
    )
    assert nn.authority == "Statsforvaltaren i Trøndelag" and nn.department == "Utdanningsavdelingen"
    text = one_line(check_archive_pdf(letter_pdf(seed_002_letter("nn", sender=nn), CLOCK)))
    assert "Statsforvaltaren i Trøndelag" in text and "E-post: sftlpost@statsforvalteren.no" in text
