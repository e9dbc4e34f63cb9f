"""`frist archive export CALL DIR` on a small decided call, on a temporary SQLite file: the files are
there, each metadata file's checksum is its PDF's, each PDF is PDF/A-2b and says what it should."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.database import migrated_engine
from bot.settings import settings
from tests.support.decided import decided_call
from tests.support.pdf_checks import check_archive_pdf, one_line

runner = CliRunner()
NAMES = ["2026-8140-5020-soknad-r1", "2026-8140-5052-soknad-r2", "2026-8140-5020-vedtak-v1", "2026-8140-5052-vedtak-v1"]


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    settings.cache_clear()
    migrated_engine.cache_clear()
    with Session(migrated_engine()) as session:
        decided_call(session)
    yield tmp_path
    migrated_engine().dispose()
    settings.cache_clear()
    migrated_engine.cache_clear()


def run(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_every_submission_and_letter_is_archived_with_its_metadata(database: Path) -> None:
    out = database / "arkiv"
    result = run("archive", "export", "proveordning-2026", str(out))
    assert result.exit_code == 0, result.output
    assert "archived proveordning-2026: 2 submissions and 2 decision letters" in result.stdout
    assert sorted(path.name for path in out.iterdir()) == sorted(f"{n}.{ext}" for n in NAMES for ext in ("pdf", "xml"))
    texts = {}
    for name in NAMES:
        pdf = (out / f"{name}.pdf").read_bytes()
        entry = ET.parse(out / f"{name}.xml").getroot()
        assert entry.findtext("dokumentbeskrivelse/dokumentobjekt/sjekksum") == hashlib.sha256(pdf).hexdigest()
        assert entry.findtext("saksmappe/saksaar") == "2026" and entry.findtext("saksmappe/sakssekvensnummer") == "8140"
        texts[name] = (entry, one_line(check_archive_pdf(pdf)))
    leka_in, leka_text = texts["2026-8140-5052-soknad-r2"]
    assert leka_in.findtext("journalposttype") == "Inngående dokument"
    assert leka_in.findtext("mottattDato") == "2026-03-02T10:00:03+01:00"
    assert leka_in.findtext("korrespondansepart/korrespondansepartNavn") == "Leka kommune"
    assert "Leka kommune" in leka_text and "2026/8140" in leka_text
    osen_out, osen_text = texts["2026-8140-5020-vedtak-v1"]
    assert osen_out.findtext("journalposttype") == "Utgående dokument"
    assert osen_out.findtext("sendtDato") == "2026-04-01T11:00:00+02:00"
    assert osen_out.findtext("korrespondansepart/korrespondanseparttype") == "Mottaker"
    assert osen_out.findtext("tittel") == "Vedtak om tilskot – Prøveordninga 2026"
    assert "Osen kommune" in osen_text and "kr 125 500" in osen_text


def test_an_unknown_call_or_a_file_for_a_directory_is_refused_in_one_line(database: Path) -> None:
    unknown = run("archive", "export", "nope", str(database / "arkiv"))
    assert unknown.exit_code == 1 and unknown.stderr.strip() == "error: no call 'nope' (see `frist calls list`)"
    a_file = database / "arkiv.txt"
    a_file.write_text("x", encoding="utf-8")
    refused = run("archive", "export", "proveordning-2026", str(a_file))
    assert refused.exit_code == 1 and refused.stderr.strip().startswith(f"error: {a_file} is a file")
    assert a_file.read_text(encoding="utf-8") == "x"
