"""Open a PDF as an archive would and check what can be checked without veraPDF.

Checked, with pikepdf: the XMP identification says PDF/A-2B (pdfaid:part 2, conformance B); the
catalog has a GTS_PDFA1 OutputIntent whose ICC profile is embedded (a real profile: `acsp` at byte
36); the trailer has an /ID; the file is not encrypted; every font on every page is embedded
(FontFile2, TrueType); no page is a transparency group and no graphics state sets a soft mask, a
constant alpha below 1 or a blend mode other than Normal; no images. Then the text, extracted with
pypdf.

Not checked (that takes a PDF/A validator such as veraPDF, which needs Java): the full rule set of
ISO 19005-2, e.g. that the XMP packet and the document info agree in every field, the glyph widths
in the font dictionaries match the embedded programs, and the content streams use only allowed
operators. fpdf2 writes those parts; its own test suite runs veraPDF on them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pikepdf
import pypdf

from bot.formatting import NBSP


def _fonts(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Object]]:
    for page in pdf.pages:
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        for name, font in resources.get("/Font", pikepdf.Dictionary()).items():
            descendants = font.get("/DescendantFonts")
            for part in descendants if descendants is not None else [font]:
                yield str(name), part


def _graphics_states(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    for page in pdf.pages:
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        yield from resources.get("/ExtGState", pikepdf.Dictionary()).values()


def check_archive_pdf(data: bytes) -> str:
    """Assert what is listed above and return the text of all pages, no-break spaces made plain."""
    assert data.startswith(b"%PDF-1.7"), data[:8]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert not pdf.is_encrypted and "/Encrypt" not in pdf.trailer
        assert "/ID" in pdf.trailer
        assert pdf.open_metadata().pdfa_status == "2B"
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1"
        profile = intents[0].DestOutputProfile.read_bytes()
        assert profile[36:40] == b"acsp", "the OutputIntent's ICC profile is not embedded"
        fonts = list(_fonts(pdf))
        assert fonts
        for name, font in fonts:
            assert "/FontFile2" in font.FontDescriptor, f"font {name} ({font.get('/BaseFont')}) is not embedded"
        for page in pdf.pages:
            group = page.obj.get("/Group")
            assert group is None or group.get("/S") != "/Transparency"
            xobjects = page.obj.get("/Resources", pikepdf.Dictionary()).get("/XObject", pikepdf.Dictionary())
            assert not list(xobjects.keys()), "no images expected"
        for state in _graphics_states(pdf):
            assert state.get("/SMask", pikepdf.Name.None_) == pikepdf.Name.None_
            assert float(state.get("/CA", 1)) == 1 and float(state.get("/ca", 1)) == 1
            assert state.get("/BM", pikepdf.Name.Normal) in (pikepdf.Name.Normal, pikepdf.Name.Compatible)
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages).replace(NBSP, " ")


def one_line(text: str) -> str:
    """Extracted text with its line breaks (where a paragraph wrapped) made spaces."""
    return " ".join(text.split())
