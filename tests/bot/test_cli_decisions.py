"""`frist recommendation CALL`, `frist recommendation import|default`, `frist decide` and `frist
assessments export|import` on seed 002's Kompetanseløftet, on a temporary SQLite file; the table is
read as the secretariat reads it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.database import migrated_engine
from bot.settings import settings
from intake.actors import Actor
from intake.assess import Marked, assess, declare_disqualified
from models import Assessment, AuditEntry, Mark, OutboxKind, OutboxMessage
from tests.support.kompetanse import CALL, FORUM_TABLE, seed_kompetanse
from tests.support.pdf_checks import check_archive_pdf, one_line
from tests.support.seed import NOW

runner = CliRunner()


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("FRIST_SECRETARIAT_LANGUAGE", raising=False)
    settings.cache_clear()
    migrated_engine.cache_clear()
    with Session(migrated_engine()) as session:
        seed_kompetanse(session, NOW)
    yield tmp_path
    migrated_engine().dispose()
    settings.cache_clear()
    migrated_engine.cache_clear()


def run(*args: str, input: str | None = None) -> Result:
    result = runner.invoke(app, list(args), input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_the_forum_table_imported_and_shown_as_the_forum_knows_it(database: Path) -> None:
    (database / "forum.csv").write_text(FORUM_TABLE, encoding="utf-8")
    imported = run("recommendation", "import", CALL, str(database / "forum.csv"))
    assert imported.exit_code == 0 and "imported 11 recommendations (11 changed" in imported.stdout
    shown = run("recommendation", CALL).stdout
    assert (
        "Nettverket Ytre Namdal: ramme kr 449 418, meldt kr 349 418, innstilt kr 449 418 (innstilt, mer enn søkt)"
        in shown
    )
    assert (
        "Nettverket Indre Namdal: ramme kr 379 221, meldt kr 380 000, innstilt kr 379 221"
        " (delvis innstilt, begrenset til rammen)" in shown
    )
    assert "Sum rammer: kr 11 400 000\nSum meldt behov: kr 11 136 898\nSum innstilt: kr 11 400 000" in shown
    assert "Tilgjengelig: kr 11 400 000, igjen: kr 0" in shown
    assert "• Værnes-nettverket: til Værnes går i dialog med SF og UH" in shown
    assert "Ikke vurdert ennå (11)" in shown


def test_a_bad_file_is_refused_line_by_line(database: Path) -> None:
    (database / "bad.csv").write_text("org_id,outcome,amount\nnett-fosen,full,mange\n", encoding="utf-8")
    result = run("recommendation", "import", CALL, str(database / "bad.csv"))
    assert result.exit_code == 1
    assert "line 2: column amount: an amount in kroner like 449 418 or kr 1,2 mill (got 'mange')" in result.stderr


def test_decide_shows_the_totals_asks_and_decides_once(database: Path) -> None:
    assert "set for 11 orgs" in run("recommendation", "default", CALL).stdout
    declined = run("decide", CALL, input="n\n")  # what was asked, Indre Namdal capped: 11 136 898 - 779
    assert declined.exit_code == 1 and "11 organisasjoner, til sammen kr 11 136 119 av kr 11 400 000" in declined.stdout
    with Session(migrated_engine()) as session:
        assert not session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.letter)).all()
    decided = run("decide", CALL, "--yes")
    assert decided.exit_code == 0 and "decided 11 orgs; 11 decision letters queued" in decided.stdout
    again = run("decide", CALL, "--yes")
    assert again.exit_code == 1 and "already_decided" in again.stderr
    assert "vedtatt" in run("recommendation", CALL).stdout.splitlines()[0]


def test_a_draft_letter_is_previewed_before_the_decision_and_not_after(database: Path) -> None:
    missing = run("recommendation", "letter", CALL, "nett-varnes")
    assert missing.exit_code == 1 and "has no recommendation" in missing.stderr
    (database / "forum.csv").write_text(FORUM_TABLE, encoding="utf-8")
    assert run("recommendation", "import", CALL, str(database / "forum.csv")).exit_code == 0
    target = database / "varnes.pdf"
    done = run("recommendation", "letter", CALL, "nett-varnes", "-o", str(target))
    assert done.exit_code == 0 and f"wrote the draft letter to {target}" in done.stderr
    text = one_line(check_archive_pdf(target.read_bytes()))
    assert "UTKAST – ikke vedtatt, ikke sendt" in text and "Værnes-nettverket" in text and "kr 793 881" in text
    assert "Værnes går i dialog med SF og UH" in text and "2025/" in text
    with Session(migrated_engine()) as session:
        assert not session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.letter)).all()
    assert run("decide", CALL, "--yes").exit_code == 0
    after = run("recommendation", "letter", CALL, "nett-varnes", "-o", str(target))
    assert after.exit_code == 1 and "is decided" in after.stderr


def test_amend_releases_a_withheld_payment_with_its_own_letter(database: Path) -> None:
    (database / "forum.csv").write_text(FORUM_TABLE, encoding="utf-8")
    assert run("recommendation", "import", CALL, str(database / "forum.csv")).exit_code == 0
    assert run("decide", CALL, "--yes").exit_code == 0

    refused = run("amend", CALL, "nett-varnes", "--reason", "", "--release")
    assert refused.exit_code == 1 and "reason" in refused.stderr
    bad = run("amend", CALL, "nett-varnes", "--reason", "Dialog holdt", "--amount", "mange penger")
    assert bad.exit_code == 2 and "whole kroner" in bad.stderr

    done = run("amend", CALL, "nett-varnes", "--reason", "Dialogen med SF og UH er holdt", "--release")
    assert done.exit_code == 0 and "version 2" in done.stdout and "kr 793 881" in done.stdout
    with Session(migrated_engine()) as session:
        letters = session.exec(select(OutboxMessage.key).where(OutboxMessage.kind == OutboxKind.letter)).all()
    assert f"letter:{CALL}:nett-varnes:v2" in letters and len(letters) == 12
    assert run("amend", CALL, "nett-ukjent", "--reason", "x").exit_code == 1


def test_the_assessments_are_exported_one_row_per_criterion_and_the_disqualified_do_not_count(
    database: Path,
) -> None:
    group_1, group_2 = Actor("U0GRP1NTNU"), Actor("U0GRP2NORD")
    with Session(migrated_engine()) as session:
        marks = {"j": Marked(Mark.merknad, "=Plan for restmidler mangler"), "a": Marked(Mark.ok, "")}
        assess(session, group_1, CALL, "nett-fosen", marks, "Godt forankret", NOW)
        assess(session, group_2, CALL, "nett-fosen", {"a": Marked(Mark.mangler, "Uklart")}, "", NOW)
        declare_disqualified(session, group_2, CALL, "nett-fosen", "Tidligere ansatt", NOW)
    out = run("assessments", "export", CALL, "--delimiter", ";").stdout.splitlines()
    assert out[0] == "call_id;org_id;assessor;group;criterion;mark;comment;counts;assessed_at"
    rows = [line.split(";") for line in out[1:]]
    assert {r[0] for r in rows} == {CALL}
    assert [(r[2], r[4], r[5], r[7]) for r in rows] == [
        ("U0GRP1NTNU", "a", "ok", "ja"),
        ("U0GRP1NTNU", "j", "merknad", "ja"),
        ("U0GRP1NTNU", "samlet", "", "ja"),
        ("U0GRP2NORD", "a", "mangler", "nei"),  # disqualified afterwards: shown, not counted
    ]
    assert rows[1][6] == "'=Plan for restmidler mangler"  # a spreadsheet never runs it as a formula
    assert rows[0][3] == "Gruppe 1"


def test_the_exported_sheet_edited_goes_back_in_and_a_bad_one_is_refused_line_by_line(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRIST_SECRETARIAT_USERS", "U0SEKR")
    settings.cache_clear()
    with Session(migrated_engine()) as session:
        marks = {"j": Marked(Mark.merknad, "- Plan for restmidler mangler")}
        assess(session, Actor("U0GRP1NTNU"), CALL, "nett-fosen", marks, "Godt forankret", NOW)
    sheet = database / "vurderinger.csv"
    assert run("assessments", "export", CALL, "-o", str(sheet), "--delimiter", ";").exit_code == 0
    exported = sheet.read_text(encoding="utf-8-sig")
    assert ";j;merknad;'- Plan for restmidler mangler;ja;" in exported
    # The forum edits it in Excel: Gruppe 1's remark is settled, and the secretariat adds its own.
    edited = exported.replace(";j;merknad;", ";j;ok;") + f"{CALL};nett-gauldal;U0SEKR;;a;mangler;Ingen UH;;\n"
    sheet.write_text(edited, encoding="utf-8-sig")
    done = run("assessments", "import", str(sheet))
    assert (done.exit_code, done.stdout) == (0, "imported 2 assessments of 2 orgs (2 changed, 0 unchanged)\n")
    with Session(migrated_engine()) as session:
        stored = {(row.org_id, row.assessor): (row.marks, row.comment) for row in session.exec(select(Assessment))}
    assert stored == {
        ("nett-fosen", "U0GRP1NTNU"): (
            {"j": {"mark": "ok", "comment": "- Plan for restmidler mangler"}},
            "Godt forankret",
        ),
        ("nett-gauldal", "U0SEKR"): ({"a": {"mark": "mangler", "comment": "Ingen UH"}}, ""),
    }

    bad = database / "papir.csv"
    bad.write_text("org_id,assessor,criterion,mark\nnett-vgs,U0NOBODY,a,ok\nnett-vgs,cli,b,godt\n", encoding="utf-8")
    refused = run("assessments", "import", str(bad), "--call", CALL)
    assert refused.exit_code == 1 and refused.stderr.splitlines() == [
        f"error: {bad}: 2 problems; nothing was written",
        "  line 2: column assessor: cli, a member of the secretariat or an assessor the call lists for nett-vgs"
        " (got 'U0NOBODY')",
        "  line 3: column mark: ok, merknad, mangler (got 'godt')",
    ]
    with Session(migrated_engine()) as session:
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "refused")).one()
        assert (audit.actor, audit.org_id, audit.detail["assessor"]) == ("cli", "nett-vgs", "U0NOBODY")
        assert len(session.exec(select(Assessment)).all()) == 2
    unknown = run("assessments", "import", str(bad), "--call", "ukjent")
    assert unknown.exit_code == 1 and "no call 'ukjent'" in unknown.stderr


def test_the_example_sheet_of_docs_forms_md_imports_as_documented(database: Path) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "forms.md").read_text(encoding="utf-8")
    section = docs[docs.index("### Assessments on paper (CSV)") :]
    sheet = section.split("```csv\n", 1)[1].split("```", 1)[0]
    command, said = section.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    (database / "vurderinger.csv").write_text(sheet, encoding="utf-8")
    done = run(*command.removeprefix("$ frist ").replace("vurderinger.csv", str(database / "vurderinger.csv")).split())
    assert (done.exit_code, done.stdout) == (0, said + "\n")
