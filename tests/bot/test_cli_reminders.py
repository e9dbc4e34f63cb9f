"""`frist reminders preview`: every message due at a moment, with the text it would carry in its
recipient's language form, on a temporary SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot import cli_data
from bot.cli_reminders import reminders_app
from bot.database import migrated_engine
from bot.settings import settings
from tests.support.files import ORGS_CSV, write_call

runner = CliRunner()


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("FRIST_SECRETARIAT_LANGUAGE", "nn")
    settings.cache_clear()
    migrated_engine.cache_clear()
    yield path
    migrated_engine().dispose()
    settings.cache_clear()
    migrated_engine.cache_clear()


def run(*args: str) -> str:
    app = typer.Typer()
    app.add_typer(cli_data.orgs_app, name="orgs")
    app.add_typer(cli_data.calls_app, name="calls")
    app.add_typer(reminders_app, name="reminders")
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture
def call(tmp_path: Path) -> None:
    (tmp_path / "orgs.csv").write_text(ORGS_CSV, encoding="utf-8")
    run("orgs", "import", str(tmp_path / "orgs.csv"))
    run("calls", "load", str(write_call(tmp_path)))  # deadline Friday 15 January 2027


def messages(out: str) -> dict[tuple[str, str], str]:
    """(recipient, kind) -> the indented text under its line."""
    found: dict[tuple[str, str], list[str]] = {}
    current: list[str] = []
    for line in out.splitlines()[1:]:
        if line and not line.startswith("    "):
            cells = line.split("\t")
            current = found.setdefault((cells[2], cells[3]), [])
        else:
            current.append(line)
    return {key: "\n".join(lines).strip("\n") for key, lines in found.items()}


def test_preview_shows_each_reminder_in_the_language_of_the_recipient(call: None) -> None:
    # 14 days before is New Year's Day: the reminder goes out on Thursday 31 December instead.
    assert run("reminders", "preview", "--at", "2027-01-01T09:00").splitlines()[0].endswith(": 4 message(s)")
    out = run("reminders", "preview", "--at", "2026-12-31T09:00")
    lines = out.splitlines()
    assert lines[0] == "at 2026-12-31 09:00 Europe/Oslo: 4 message(s)"
    assert "lesekampanje-2027\tOsen kommune\toda@osen.example.no\treminder\td14\tnn\tnew" in lines
    found = messages(out)
    assert set(found) == {
        (email, "reminder")
        for email in ("kari@leka.example.no", "per@leka.example.no", "oda@osen.example.no", "mona@fosen.example.no")
    }
    kari, oda = found[("kari@leka.example.no", "reminder")], found[("oda@osen.example.no", "reminder")]
    assert kari.startswith(
        "    Påminnelse: *Tilskudd til lesekampanje 2027* har frist *fredag 15. januar 2027 kl. 23.59*."
    )
    assert "    Leka kommune har ikke begynt ennå." in kari
    assert oda.startswith(
        "    Påminning: *Tilskot til lesekampanje 2027* har frist *fredag 15. januar 2027 kl. 23.59*."
    )
    assert "    Osen kommune har ikkje byrja enno." in oda


def test_preview_shows_the_digest_in_the_secretariats_language(call: None) -> None:
    found = messages(run("reminders", "preview", "--at", "2027-01-04T08:30"))
    digest = found[("-", "digest")]
    assert digest.startswith("    *Oversikt: Tilskot til lesekampanje 2027* (`lesekampanje-2027`, sak 2026/1234)")
    assert len(found) == 5  # and the reminder of 31 December is still due to the four contacts
