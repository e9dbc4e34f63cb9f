"""The PDF toolkit: the block markup, the fonts, and characters the fonts cannot draw."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

import bot.pdf.layout
from bot.pdf.blocks import AmountRow, AmountTable, Bullets, Fields, Heading, Paragraph, parse_blocks, pdf_literal
from bot.pdf.layout import FONT_DIR, REPLACEMENT, MissingGlyphError, PdfDocument, drawable, render_pdf
from tests.support.pdf_checks import check_archive_pdf, one_line

MADE = datetime(2025, 3, 20, 9, 30, tzinfo=UTC)


def document(*lines: str, replace_missing: bool = False) -> PdfDocument:
    return PdfDocument(
        title="Prøve",
        lang="nb",
        author="Statsforvalteren i Trøndelag",
        subject="Prøve",
        created=MADE,
        blocks=(Paragraph(lines),),
        replace_missing=replace_missing,
    )


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def warnings_fail() -> Iterator[None]:
    """Any warning fpdf2 logs (a dropped glyph) fails: caplog cannot be used under Hypothesis."""
    handler = _Collect()
    records = handler.records
    logger = logging.getLogger("fpdf")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert not records, [record.getMessage() for record in records]


def test_the_markup_gives_each_kind_of_block() -> None:
    text = "\n".join(
        [
            "# Vedtak",
            ": Vår referanse | 2025/1234",
            ": Vår dato | 20.03.2025",
            "",
            "Første linje",
            "*andre* linje med _ikke besvart_",
            "",
            "| Søkt | kr 980 000",
            "|= Innvilget | kr 1 200 000",
            "- ett",
            "- to",
            "\\# bokstavelig",
            "### Mindre",
        ]
    )
    assert parse_blocks(text) == (
        Heading("Vedtak", 1),
        Fields((("Vår referanse", "2025/1234"), ("Vår dato", "20.03.2025"))),
        Paragraph(("Første linje", "andre linje med ikke besvart")),
        AmountTable((AmountRow("Søkt", "kr 980 000"), AmountRow("Innvilget", "kr 1 200 000", total=True))),
        Bullets(("ett", "to")),
        Paragraph(("# bokstavelig",)),
        Heading("Mindre", 3),
    )


def test_a_field_row_without_a_value_says_what_was_expected() -> None:
    with pytest.raises(ValueError, match=re.escape("needs `label | value`")):
        parse_blocks(": Vår referanse")


@given(st.text())
def test_literal_text_is_one_paragraph_of_its_own_lines_whatever_it_holds(text: str) -> None:
    assert parse_blocks(pdf_literal(text)) == (Paragraph(tuple(line.rstrip() for line in text.split("\n"))),)


def test_the_fonts_draw_norwegian_sami_and_the_punctuation_letters_use() -> None:
    needed = "æøåÆØÅéüö čđŋšŧžČĐŊŠŦŽ ïÏ «»“”‘’–—…•§€½ ±×÷"
    assert {ord(c) for c in needed if c != " "} <= drawable()
    assert sorted(path.name for path in FONT_DIR.iterdir()) == [
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique.ttf",
        "DejaVuSans.ttf",
        "LICENSE",
        "README.md",
    ]


def test_fpdf_itself_only_warns_when_a_glyph_is_missing(caplog: pytest.LogCaptureFixture) -> None:
    """The behaviour the toolkit guards against: fpdf2 drops the glyph and logs on `fpdf.output`."""
    pdf = FPDF(enforce_compliance="PDF/A-2B")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(text="Fly ✈ til Værnes")
    with caplog.at_level(logging.WARNING, logger="fpdf.output"):
        pdf.output()
    assert any("missing" in r.getMessage() and r.name == "fpdf.output" for r in caplog.records)


def test_a_character_the_fonts_lack_stops_the_pdf_and_is_named(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="fpdf.output"), pytest.raises(MissingGlyphError) as raised:
        render_pdf(document("Fly ✈ til Værnes", "og 漢"))
    assert raised.value.characters == "✈漢"
    assert "U+2708 AIRPLANE" in str(raised.value)
    assert not [r for r in caplog.records if r.name.startswith("fpdf")], "stopped before fpdf2 drew anything"


def test_should_fpdf_drop_a_glyph_all_the_same_its_warning_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second line of defence: with the check before drawing switched off, fpdf2's warning raises."""
    monkeypatch.setattr(bot.pdf.layout, "missing_characters", lambda _document: "")
    with pytest.raises(MissingGlyphError, match="missing the following glyphs"):
        render_pdf(document("Fly ✈ til Værnes"))


def test_with_replace_missing_the_character_is_marked_and_the_rest_kept(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="fpdf.output"):
        text = check_archive_pdf(render_pdf(document("Lesing 📚 hver dag", replace_missing=True)))
    assert f"Lesing {REPLACEMENT} hver dag" in text
    assert not [r for r in caplog.records if r.name.startswith("fpdf")]


def test_a_decomposed_letter_is_composed_before_it_is_drawn() -> None:
    text = check_archive_pdf(render_pdf(document("Va\u0308rnes og a\u030a")))
    assert "Värnes og å" in text


LETTERS = sorted(chr(c) for c in drawable() if unicodedata.category(chr(c)).startswith("L"))


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.sampled_from([*LETTERS, " "]), min_size=1, max_size=50))
def test_any_text_of_letters_the_fonts_have_is_drawn_and_extracts_as_typed(text: str) -> None:
    with warnings_fail():
        extracted = check_archive_pdf(render_pdf(document(text)))
    assert one_line(text) in one_line(extracted)
