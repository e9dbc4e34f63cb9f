"""Archive export: each PDF with a Noark 5 metadata file that the archive can check the file against."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.archive import ArchiveDocument, Direction, case_parts, write_archive

RECEIVED = datetime(2025, 3, 14, 22, 58, 30, tzinfo=UTC)  # 23.58.30 in Oslo, two minutes before a deadline


def document(
    name: str, direction: Direction = Direction.incoming, content: bytes = b"%PDF-1.7 soknad"
) -> ArchiveDocument:
    return ArchiveDocument(
        direction=direction,
        case_number="2025/4417",
        title="Søknad om midler – Kompetanseløftet 2025 – Fosennettverket",
        document_date=date(2025, 3, 14),
        registered_at=RECEIVED,
        correspondent="Fosennettverket, Trøndelag",
        name=name,
        content=content,
    )


def test_each_document_gets_its_file_and_its_metadata(tmp_path: Path) -> None:
    incoming = document("2025-4417-nett-fosen-soknad")
    outgoing = document("2025-4417-nett-fosen-vedtak", Direction.outgoing, b"%PDF-1.7 vedtak")
    written = write_archive(tmp_path / "arkiv", [incoming, outgoing])

    assert [w.pdf.read_bytes() for w in written] == [incoming.content, outgoing.content]
    entry = ET.parse(written[0].metadata).getroot()
    assert entry.tag == "journalpost"
    assert (entry.findtext("saksmappe/saksaar"), entry.findtext("saksmappe/sakssekvensnummer")) == ("2025", "4417")
    assert entry.findtext("journalposttype") == "Inngående dokument"
    assert entry.findtext("tittel") == incoming.title and entry.findtext("dokumentetsDato") == "2025-03-14"
    assert entry.findtext("mottattDato") == "2025-03-14T23:58:30+01:00" and entry.find("sendtDato") is None
    assert entry.findtext("korrespondansepart/korrespondanseparttype") == "Avsender"
    assert entry.findtext("korrespondansepart/korrespondansepartNavn") == "Fosennettverket, Trøndelag"
    item = entry.find("dokumentbeskrivelse/dokumentobjekt")
    assert item is not None
    assert item.findtext("referanseDokumentfil") == "2025-4417-nett-fosen-soknad.pdf"
    assert item.findtext("sjekksum") == hashlib.sha256(written[0].pdf.read_bytes()).hexdigest() == written[0].sha256
    assert item.findtext("sjekksumAlgoritme") == "SHA-256" and item.findtext("filstoerrelse") == str(
        len(b"%PDF-1.7 soknad")
    )
    assert item.findtext("format") == "PDF/A-2b (ISO 19005-2:2011)"

    letter = ET.parse(written[1].metadata).getroot()
    assert letter.findtext("journalposttype") == "Utgående dokument" and letter.findtext("sendtDato")
    assert letter.findtext("korrespondansepart/korrespondanseparttype") == "Mottaker"


def test_a_name_used_twice_or_a_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="taken or not a plain file name"):
        write_archive(tmp_path, [document("same"), document("same")])
    with pytest.raises(ValueError, match="taken or not a plain file name"):
        write_archive(tmp_path, [document("../elsewhere")])


@pytest.mark.parametrize("bad", ["8140", "19/8140", "2019-8140", ""])
def test_a_case_number_must_be_year_and_sequence(bad: str) -> None:
    assert case_parts(" 2019/8140 ") == ("2019", "8140")
    with pytest.raises(ValueError, match="saksår/sekvensnummer"):
        case_parts(bad)
