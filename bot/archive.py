"""Documents for the archive (Noark 5): each PDF/A file with a metadata file beside it, in the terms of
the Noark 5 metadata catalogue, so the county governor's archive system can import them as journal
entries (journalposter) in the case (saksmappe) the call's case number names.

One document is one journal entry with one main document: `<name>.pdf` and `<name>.xml`. The XML is
for machines (element names are Noark 5's own); what a person reads is in the PDF.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from models.clock import OSLO

PDF_A_2B = "PDF/A-2b (ISO 19005-2:2011)"


class Direction(StrEnum):
    """Noark 5 journalposttype: an application in, a decision letter out."""

    incoming = "Inngående dokument"
    outgoing = "Utgående dokument"


@dataclass(frozen=True)
class ArchiveDocument:
    direction: Direction
    case_number: str  # `2019/8140`: saksår/sakssekvensnummer
    title: str
    document_date: date
    registered_at: datetime  # received (incoming) or sent (outgoing), aware
    correspondent: str  # the sender of an incoming document, the recipient of an outgoing one
    name: str  # the file name without suffix, unique within the export
    content: bytes
    format: str = PDF_A_2B


@dataclass(frozen=True)
class Written:
    pdf: Path
    metadata: Path
    sha256: str


def case_parts(case_number: str) -> tuple[str, str]:
    """`2019/8140` -> ("2019", "8140"); refused when it is not a Noark case number."""
    match = re.fullmatch(r"(\d{4})/(\d+)", case_number.strip())
    if match is None:
        raise ValueError(f"case number {case_number!r} is not saksår/sekvensnummer, e.g. 2019/8140")
    return match.group(1), match.group(2)


def metadata(document: ArchiveDocument, checksum: str) -> ET.Element:
    year, sequence = case_parts(document.case_number)
    entry = ET.Element("journalpost")
    case = ET.SubElement(entry, "saksmappe")
    ET.SubElement(case, "saksaar").text = year
    ET.SubElement(case, "sakssekvensnummer").text = sequence
    ET.SubElement(entry, "journalposttype").text = document.direction.value
    ET.SubElement(entry, "tittel").text = document.title
    ET.SubElement(entry, "dokumentetsDato").text = document.document_date.isoformat()
    when = "mottattDato" if document.direction is Direction.incoming else "sendtDato"
    ET.SubElement(entry, when).text = document.registered_at.astimezone(OSLO).isoformat(timespec="seconds")
    party = ET.SubElement(entry, "korrespondansepart")
    kind = "Avsender" if document.direction is Direction.incoming else "Mottaker"
    ET.SubElement(party, "korrespondanseparttype").text = kind
    ET.SubElement(party, "korrespondansepartNavn").text = document.correspondent
    description = ET.SubElement(entry, "dokumentbeskrivelse")
    ET.SubElement(description, "tilknyttetRegistreringSom").text = "Hoveddokument"
    ET.SubElement(description, "tittel").text = document.title
    item = ET.SubElement(description, "dokumentobjekt")
    ET.SubElement(item, "format").text = document.format
    ET.SubElement(item, "referanseDokumentfil").text = f"{document.name}.pdf"
    ET.SubElement(item, "sjekksum").text = checksum
    ET.SubElement(item, "sjekksumAlgoritme").text = "SHA-256"
    ET.SubElement(item, "filstoerrelse").text = str(len(document.content))
    ET.indent(entry)
    return entry


def write_archive(directory: Path, documents: Iterable[ArchiveDocument]) -> list[Written]:
    """Write each document and its metadata into `directory` (made if missing); refuses two documents
    of one name rather than letting the second replace the first."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Written] = []
    seen: set[str] = set()
    for document in documents:
        if document.name in seen or not re.fullmatch(r"[A-Za-z0-9._-]+", document.name):
            raise ValueError(f"document name {document.name!r} is taken or not a plain file name")
        seen.add(document.name)
        checksum = hashlib.sha256(document.content).hexdigest()
        pdf, xml = directory / f"{document.name}.pdf", directory / f"{document.name}.xml"
        pdf.write_bytes(document.content)
        ET.ElementTree(metadata(document, checksum)).write(xml, encoding="utf-8", xml_declaration=True)
        written.append(Written(pdf, xml, checksum))
    return written
