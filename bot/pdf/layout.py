"""Lay out blocks as an archive-ready PDF: PDF/A-2b, DejaVu Sans embedded, text that extracts.

fpdf2 with `enforce_compliance="PDF/A-2B"` writes the XMP identification (pdfaid part 2, conformance
B), an sRGB OutputIntent with its ICC profile, the file /ID, and refuses the non-embedded core fonts;
we add no images, no transparency and no encryption. The fonts in bot/pdf/fonts are DejaVu Sans cut
down to the Latin scripts (Norwegian, Sami and the rest of Latin Extended), general punctuation, € and
a few symbols, which makes a letter about three times as fast to make (bot/pdf/fonts/README.md).

fpdf2 draws nothing for a character its font lacks and only logs a warning (logger `fpdf.output`). Here
that is an error: every text is checked against the fonts before anything is drawn, and the warning,
should it come all the same, is raised as `MissingGlyphError` too.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from fontTools.ttLib import TTFont
from fpdf import FPDF

from bot.pdf.blocks import AmountTable, Block, Bullets, Fields, Heading, Paragraph

FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
# fpdf2 parses a font for every document (a sixth of a letter's time): only the styles the layout
# draws are added. The oblique is shipped (and checked by `drawable`) for when a block needs it.
_STYLES_DRAWN = ("", "B")
REPLACEMENT = "\ufffd"
_LANG_TAGS = {"nb": "nb-NO", "nn": "nn-NO"}

_BODY, _SMALL, _LINE = 10.5, 8.5, 5.2  # font sizes (pt) and the body's line height (mm)
_HEADINGS = {1: 15.0, 2: 12.0, 3: 10.5}
_LABEL_WIDTH, _AMOUNT_WIDTH = 48.0, 42.0  # mm


class MissingGlyphError(ValueError):
    """The text holds characters the embedded fonts cannot draw (fpdf2 would drop them silently)."""

    def __init__(self, characters: str, detail: str = "") -> None:
        self.characters = characters
        names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in characters)
        super().__init__(f"the PDF fonts cannot draw: {names or detail}")


@dataclass(frozen=True)
class PdfDocument:
    """What one PDF holds. `footer` is shown on every page, `{page}` and `{pages}` filled in.

    `created` (aware) is the PDF's creation date, from the caller's clock. With `replace_missing`,
    characters the fonts lack become U+FFFD (visibly marked) instead of failing: for text people typed.
    """

    title: str
    lang: str
    author: str
    subject: str
    created: datetime
    blocks: tuple[Block, ...]
    footer: str = ""
    keywords: tuple[str, ...] = ()
    replace_missing: bool = False


@cache
def drawable() -> frozenset[int]:
    """The code points every style of the embedded font has a glyph for."""
    maps = [set(TTFont(FONT_DIR / name, lazy=True).getBestCmap()) for name in _FONT_FILES.values()]
    return frozenset(set.intersection(*maps))


def _texts(document: PdfDocument) -> Iterator[str]:
    yield from (document.title, document.author, document.subject, document.footer, *document.keywords)
    for block in document.blocks:
        if isinstance(block, Heading):
            yield block.text
        elif isinstance(block, Paragraph):
            yield from block.lines
        elif isinstance(block, Fields):
            yield from (text for row in block.rows for text in row)
        elif isinstance(block, AmountTable):
            yield from (text for row in block.rows for text in (row.label, row.amount))
        else:
            yield from block.items


def missing_characters(document: PdfDocument) -> str:
    """The characters of the document the fonts lack, each once, in order of appearance."""
    have = drawable()
    seen: dict[str, None] = {}
    for text in _texts(document):
        for char in text:
            if ord(char) not in have and char not in "\n\t":
                seen[char] = None
    return "".join(seen)


def _clean(text: str, missing: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\t", "    ")
    return "".join(REPLACEMENT if char in missing else char for char in text) if missing else text


def _map_block(block: Block, clean: Callable[[str], str]) -> Block:
    if isinstance(block, Heading):
        return replace(block, text=clean(block.text))
    if isinstance(block, Paragraph):
        return Paragraph(tuple(clean(line) for line in block.lines))
    if isinstance(block, Fields):
        return Fields(tuple((clean(label), clean(value)) for label, value in block.rows))
    if isinstance(block, AmountTable):
        return AmountTable(tuple(replace(row, label=clean(row.label), amount=clean(row.amount)) for row in block.rows))
    return Bullets(tuple(clean(item) for item in block.items))


def _cleaned(document: PdfDocument, missing: str) -> PdfDocument:
    def clean(text: str) -> str:
        return _clean(text, missing)

    return replace(
        document,
        title=clean(document.title),
        author=clean(document.author),
        subject=clean(document.subject),
        footer=clean(document.footer),
        keywords=tuple(clean(keyword) for keyword in document.keywords),
        blocks=tuple(_map_block(block, clean) for block in document.blocks),
    )


def _normalised(document: PdfDocument) -> PdfDocument:
    """NFC first (a decomposed å is two characters, the second not in the fonts), then the check."""
    document = _cleaned(document, "")
    missing = missing_characters(document)
    if missing and not document.replace_missing:
        raise MissingGlyphError(missing)
    return _cleaned(document, missing) if missing else document


def _xmp(document: PdfDocument) -> str:
    """The XMP packet fpdf2 would write for PDF/A, with every date from the document's clock (fpdf2
    takes ModifyDate and MetadataDate from the system clock) and the language added."""
    at = escape(document.created.isoformat(timespec="seconds"))
    lang = escape(_LANG_TAGS.get(document.lang, document.lang))
    keywords = escape(", ".join(document.keywords), {'"': "&quot;"})
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="fpdf2">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
    <rdf:Description rdf:about="" xmp:CreatorTool="Frist" xmp:CreateDate="{at}" xmp:ModifyDate="{at}"
      xmp:MetadataDate="{at}" pdf:Keywords="{keywords}">
      <pdfaid:part>2</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
      <dc:format>application/pdf</dc:format>
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(document.title)}</rdf:li></rdf:Alt></dc:title>
      <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(document.subject)}</rdf:li></rdf:Alt>
      </dc:description>
      <dc:creator><rdf:Seq><rdf:li>{escape(document.author)}</rdf:li></rdf:Seq></dc:creator>
      <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>"""


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        if not self.footer_text:
            return
        self.set_y(-14)
        self.set_font(FAMILY, "", _SMALL)
        text = self.footer_text.replace("{page}", str(self.page_no())).replace("{pages}", self.str_alias_nb_pages)
        self.cell(0, 5, text, align="R")


def _new_pdf(document: PdfDocument) -> _Pdf:
    pdf = _Pdf(format="A4", unit="mm", enforce_compliance="PDF/A-2B")
    pdf.allow_images_transparency = False
    pdf.set_creation_date(document.created)
    for style in _STYLES_DRAWN:
        pdf.add_font(FAMILY, style, str(FONT_DIR / _FONT_FILES[style]))
    pdf.set_title(document.title)
    pdf.set_author(document.author)
    pdf.set_subject(document.subject)
    pdf.set_creator("Frist")
    if document.keywords:
        pdf.set_keywords(", ".join(document.keywords))
    pdf.set_lang(_LANG_TAGS.get(document.lang, document.lang))
    pdf.set_xmp_metadata(_xmp(document))
    pdf.set_margins(left=25, top=20, right=20)
    pdf.set_auto_page_break(True, margin=22)
    pdf.footer_text = document.footer
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, block: Heading) -> None:
    if pdf.get_y() > pdf.page_break_trigger - 25:  # never a heading alone at the foot of a page
        pdf.add_page()
    pdf.ln(3 if block.level > 1 else 5)
    pdf.set_font(FAMILY, "B", _HEADINGS.get(block.level, _BODY))
    pdf.multi_cell(0, _HEADINGS.get(block.level, _BODY) * 0.5, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _fields(pdf: FPDF, block: Fields) -> None:
    for label, value in block.rows:
        pdf.set_font(FAMILY, "B", _SMALL)
        pdf.cell(_LABEL_WIDTH, _LINE, label)
        pdf.set_font(FAMILY, "", _BODY)
        pdf.multi_cell(0, _LINE, value, align="L", new_x="LMARGIN", new_y="NEXT")


def _amounts(pdf: FPDF, block: AmountTable) -> None:
    label_width = pdf.epw - _AMOUNT_WIDTH
    for row in block.rows:
        pdf.set_font(FAMILY, "B" if row.total else "", _BODY)
        border: Literal[0, 1] | str = "T" if row.total else 0
        pdf.cell(label_width, _LINE + 1, row.label, border=border)
        pdf.cell(_AMOUNT_WIDTH, _LINE + 1, row.amount, border=border, align="R", new_x="LMARGIN", new_y="NEXT")


def _bullets(pdf: FPDF, block: Bullets) -> None:
    pdf.set_font(FAMILY, "", _BODY)
    for item in block.items:
        pdf.cell(5, _LINE, "•")
        pdf.multi_cell(0, _LINE, item, align="L", new_x="LMARGIN", new_y="NEXT")


def _lay_out(pdf: FPDF, blocks: tuple[Block, ...]) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            _heading(pdf, block)
            continue
        if isinstance(block, Paragraph):
            pdf.set_font(FAMILY, "", _BODY)
            pdf.multi_cell(0, _LINE, "\n".join(block.lines), align="L", new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, Fields):
            _fields(pdf, block)
        elif isinstance(block, AmountTable):
            _amounts(pdf, block)
        else:
            _bullets(pdf, block)
        pdf.ln(_LINE * 0.6)


class _GlyphWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "missing" in record.getMessage():
            self.messages.append(record.getMessage())


@contextmanager
def _glyph_warnings_fail() -> Iterator[None]:
    logger = logging.getLogger("fpdf.output")
    handler = _GlyphWarnings()
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.messages:
        raise MissingGlyphError("", "; ".join(handler.messages))


def render_pdf(document: PdfDocument) -> bytes:
    """The document as PDF/A-2b bytes; `MissingGlyphError` when a character cannot be drawn."""
    document = _normalised(document)
    pdf = _new_pdf(document)
    _lay_out(pdf, document.blocks)
    with _glyph_warnings_fail():
        return bytes(pdf.output())
