"""The data commands: orgs import, calls load/list, demo and export, on a temporary SQLite file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import typer
from sqlmodel import Session, select
from typer.testing import CliRunner

from bot import cli_data, cli_export
from bot.database import migrated_engine
from bot.settings import settings
from models import CallKind, Contact, Eligibility, Submission
from tests.support.files import CALL_YAML, NOW, ORGS_CSV, write_call

runner = CliRunner()


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    settings.cache_clear()
    migrated_engine.cache_clear()
    yield path
    for engine in [migrated_engine()] if path.exists() else []:
        engine.dispose()
    settings.cache_clear()
    migrated_engine.cache_clear()


def top_app() -> typer.Typer:
    """Like bot/cli.py mounts them."""
    app = typer.Typer()
    app.add_typer(cli_data.orgs_app, name="orgs")
    app.add_typer(cli_data.calls_app, name="calls")
    app.command("demo")(cli_data.demo)
    app.command("export")(cli_export.export)
    return app


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(top_app(), list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_orgs_import(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(ORGS_CSV, encoding="utf-8")
    code, out, _ = run("orgs", "import", str(path))
    assert code == 0
    assert out.strip() == (
        "imported 3 organisations (3 new, 0 updated, 0 unchanged), 4 contacts (4 new, 0 updated, 0 unchanged)"
    )
    assert "3 unchanged" in run("orgs", "import", str(path))[1]


def test_orgs_import_with_problems_lists_them_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(ORGS_CSV.replace(",nn,", ",nynorsk,").replace("U0KARI", "kari"), encoding="utf-8")
    code, out, err = run("orgs", "import", str(path))
    assert (code, out) == (1, "")
    assert f"error: {path}: 2 problems; nothing was written" in err
    assert "  line 2: column slack_user_id: a Slack user id like U012AB3CD, or nothing (got 'kari')" in err
    assert "  line 4: column language: nb or nn (got 'nynorsk')" in err
    assert "Traceback" not in err
    code, _, err = run("orgs", "import", str(tmp_path / "missing.csv"))
    assert code == 1 and "cannot read the file" in err


def test_calls_load_and_list(tmp_path: Path) -> None:
    (tmp_path / "orgs.csv").write_text(ORGS_CSV, encoding="utf-8")
    run("orgs", "import", str(tmp_path / "orgs.csv"))
    assert run("calls", "list")[1].startswith("no calls yet")
    code, out, _ = run("calls", "load", str(write_call(tmp_path)))
    assert code == 0
    assert out.strip() == (
        "loaded call lesekampanje-2027 (application, case 2026/1234): "
        "open 2026-11-01 08:00 to 2027-01-15 23:59 Oslo time"
    )
    code, out, _ = run("calls", "list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == [
        "ID", "KIND", "CASE", "OPENS", "DEADLINE", "ELIGIBLE", "SUBMITTED", "DRAFTS", "TITLE"
    ]  # fmt: skip
    assert lines[1].split()[:9] == [
        "lesekampanje-2027", "application", "2026/1234", "2026-11-01", "08:00", "2027-01-15", "23:59", "3", "0"
    ]  # fmt: skip
    assert lines[1].endswith("Tilskudd til lesekampanje 2027")


def test_calls_load_with_problems(tmp_path: Path) -> None:
    path = write_call(tmp_path, CALL_YAML.replace("{org: 5020}", "{org: 5021}"))
    code, out, err = run("calls", "load", str(path))
    assert (code, out) == (1, "")
    assert "eligible[0].org: no organisation '5052' (import orgs first)" in err
    assert "eligible[1].org: no organisation '5021' (import orgs first)" in err


def test_demo_then_export(tmp_path: Path) -> None:
    code, out, _ = run("demo")
    assert code == 0 and out.startswith("demo data: imported 21 organisations") and "4 calls" in out
    assert "0 updated" in run("demo")[1]
    assert len(run("calls", "list")[1].splitlines()) == 5
    code, out, _ = run("export", "kompetanseloftet-2025")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 11 and {row["status"] for row in rows} == {"not_started"}
    assert sum(int(row["frame"]) for row in rows) == 11_400_000
    target = tmp_path / "out" / "export.csv"
    target.parent.mkdir()
    code, out, err = run("export", "oppfolging-2020", "-o", str(target))
    assert (code, out) == (0, "") and f"wrote 10 rows to {target}" in err
    assert target.read_bytes().startswith(b"\xef\xbb\xbforg_id,org_name,status,frame")


def test_export_errors(tmp_path: Path) -> None:
    run("demo")
    code, out, err = run("export", "nope")
    assert (code, out) == (1, "")
    assert err.startswith("error: no call 'nope' (known calls: dekom-2018, kompetanseloftet-2025,")
    code, _, err = run("export", "dekom-2018", "--format", "pdf")
    assert code == 1 and "error: format 'pdf' is not supported; use csv or xlsx" in err
    code, _, err = run("export", "dekom-2018", "--format", "csv", "-o", str(tmp_path / "x.xlsx"))
    assert code == 1 and "--format csv does not match the file name x.xlsx" in err
    code, _, err = run("export", "dekom-2018", "--delimiter", ":")
    assert code == 1 and "--delimiter ':' is not supported" in err
    code, _, err = run("export", "dekom-2018", "-o", str(tmp_path / "x.xlsx"), "--delimiter", ";")
    assert code == 1 and "--delimiter is for csv" in err
    assert not (tmp_path / "x.xlsx").exists()
    code, _, err = run("export", "dekom-2018", "-o", str(tmp_path / "no" / "such" / "dir.csv"))
    assert code == 1 and "cannot write" in err


def test_export_xlsx_by_suffix_or_format(tmp_path: Path) -> None:
    run("demo")
    target = tmp_path / "oppfolging.xlsx"
    code, out, err = run("export", "oppfolging-2020", "-o", str(target))
    assert (code, out) == (0, "") and f"wrote {target}" in err
    book = openpyxl.load_workbook(target)
    sheet = book.worksheets[0]
    assert sheet.title == "Søknader" and sheet["A1"].value == "Org.nr./ID" and sheet["A2"].value == "org_id"
    assert sheet.max_row == 2 + 10  # two header rows, ten eligible orgs
    result = runner.invoke(top_app(), ["export", "oppfolging-2020", "--format", "xlsx"])
    assert result.exit_code == 0
    assert openpyxl.load_workbook(io.BytesIO(result.stdout_bytes)).sheetnames == book.sheetnames


def test_export_csv_with_semicolons_for_excel(tmp_path: Path) -> None:
    run("demo")
    code, out, _ = run("export", "kompetanseloftet-2025", "--delimiter", ";")
    assert code == 0 and out.startswith("org_id;org_name;status;frame;")
    rows = list(csv.DictReader(io.StringIO(out), delimiter=";"))
    assert len(rows) == 11 and all(row["status"] == "not_started" for row in rows)


def test_a_report_without_an_amount_exports_to_a_sheet_of_reports(tmp_path: Path) -> None:
    run("demo")
    target = tmp_path / "rapport.xlsx"
    assert run("export", "oppfolging-rapport", "-o", str(target))[0] == 0
    sheet = openpyxl.load_workbook(target).worksheets[0]
    keys = [cell.value for cell in sheet[2]]
    assert sheet.title == "Rapporter" and "amount" not in keys and keys[:4] == ["org_id", "org_name", "status", "frame"]


def test_calls_load_refuses_a_reload_that_hides_answers_unless_allowed(tmp_path: Path) -> None:
    (tmp_path / "orgs.csv").write_text(ORGS_CSV, encoding="utf-8")
    run("orgs", "import", str(tmp_path / "orgs.csv"))
    assert run("calls", "load", str(write_call(tmp_path)))[0] == 0
    engine = migrated_engine()
    with Session(engine) as session:
        kari = session.exec(select(Contact).where(Contact.org_id == "5052")).first()
        assert kari is not None and kari.id is not None
        session.add(
            Submission(
                call_id="lesekampanje-2027", org_id="5052", kind=CallKind.application, answers={"mal": "Lese mer"},
                started_by=kari.id, created_at=NOW, updated_at=NOW,
            )
        )  # fmt: skip
        session.commit()
    smaller = CALL_YAML.replace('  - {org: "5052", frame: 300000}\n', "")
    code, out, err = run("calls", "load", str(write_call(tmp_path, smaller)))
    assert (code, out) == (1, "")
    assert "  eligible: 5052 (Leka kommune) is left out, but has a submission (draft, 1 answer)" in err
    assert "pass --allow-hidden-answers" in err
    with Session(engine) as session:
        assert len(session.exec(select(Eligibility).where(Eligibility.org_id == "5052")).all()) == 1
    code, out, err = run("calls", "load", str(write_call(tmp_path, smaller)), "--allow-hidden-answers")
    assert code == 0 and out.startswith("loaded call lesekampanje-2027")
    assert "warning: hidden but kept in the database: eligible: 5052 (Leka kommune) is left out" in err
    with Session(engine) as session:
        assert session.exec(select(Eligibility).where(Eligibility.org_id == "5052")).all() == []
        assert session.exec(select(Submission.answers)).one() == {"mal": "Lese mer"}
