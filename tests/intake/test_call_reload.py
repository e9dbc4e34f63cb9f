"""Reloading a call never hides stored answers without saying so, and never deletes them."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlmodel import Session, select

from bot.export_xlsx import xlsx_bytes
from intake import engine
from intake.call_reload import HiddenAnswers
from intake.calls_load import load_call, load_call_file
from intake.export import call_export
from intake.export_csv import export_rows
from intake.orgs_import import import_orgs
from intake.spec import parse_form
from models import AuditEntry, Call, CallKind, Contact, Submission, SubmissionStatus
from tests.support.files import CALL_YAML, NOW, ORGS_CSV, counts, write_call, write_form
from tests.support.forms import SAMPLE

CALL_ID = "lesekampanje-2027"
Change = Callable[[dict[str, Any]], None]  # changes a form in place
LEKA_ANSWERS: dict[str, Any] = {
    "mal": "Flere gode lesere",
    "budsjett": [{"post": "Kurs", "belop": 80_000}],
    "nivaer": {"leder": "ja", "ansatte": "nei"},
}
OSEN_ANSWERS: dict[str, Any] = {"mal": "Lesing i alle fag", "egen": 20_000}


@pytest.fixture
def loaded(session: Session, tmp_path: Path) -> Session:
    """The call, with Leka's submitted application and Osen's draft."""
    import_orgs(session, ORGS_CSV)
    load_call(session, write_call(tmp_path), NOW)
    for org_id, status, answers in (
        ("5052", SubmissionStatus.submitted, LEKA_ANSWERS),
        ("5020", SubmissionStatus.draft, OSEN_ANSWERS),
    ):
        starter = session.exec(select(Contact).where(Contact.org_id == org_id)).first()
        assert starter is not None and starter.id is not None
        session.add(
            Submission(
                call_id=CALL_ID,
                org_id=org_id,
                kind=CallKind.application,
                status=status,
                answers=answers,
                started_by=starter.id,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    session.commit()
    return session


def new_form(tmp_path: Path, change: Change) -> None:
    form = copy.deepcopy(SAMPLE)
    change(form)
    write_form(tmp_path, form)


def fields(form: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {field["id"]: field for field in form["fields"]}


def drop_field(field_id: str) -> Change:
    """Drops the field and the rules that name it, as an author must for the form to stay valid."""

    def named(rule: dict[str, Any]) -> set[str]:
        return {str(rule.get(key, "")).split(".")[0] for key in ("field", "of", "explain")}

    def change(form: dict[str, Any]) -> None:
        form["fields"] = [f for f in form["fields"] if f["id"] != field_id]
        form["rules"] = [rule for rule in form["rules"] if field_id not in named(rule)]

    return change


def rename_column(form: dict[str, Any]) -> None:
    """`budsjett.post` becomes `budsjett.tiltak`, in the rule that names it too."""
    fields(form)["budsjett"]["columns"][0]["id"] = "tiltak"
    (forbidden,) = [rule for rule in form["rules"] if rule.get("column") == "post"]
    forbidden["column"] = "tiltak"


def drop_matrix_row(form: dict[str, Any]) -> None:
    fields(form)["nivaer"]["rows"] = fields(form)["nivaer"]["rows"][:1]


def stored_answers(session: Session) -> dict[str, dict[str, Any]]:
    session.expire_all()
    return {row.org_id: row.answers for row in session.exec(select(Submission))}


def refused(session: Session, path: Path) -> list[str]:
    before, form_before = counts(session), session.get(Call, CALL_ID).form  # type: ignore[union-attr]
    with pytest.raises(HiddenAnswers) as caught:
        load_call(session, path, NOW)
    session.rollback()
    assert counts(session) == before and session.get(Call, CALL_ID).form == form_before  # type: ignore[union-attr]
    assert stored_answers(session) == {"5052": LEKA_ANSWERS, "5020": OSEN_ANSWERS}
    return caught.value.problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            drop_field("mal"),
            "form.mal: the form no longer has the field 'mal' (dropped or renamed), "
            "and 5020 (Osen kommune), 5052 (Leka kommune) have answered it",
        ),
        (
            drop_field("egen"),
            "form.egen: the form no longer has the field 'egen' (dropped or renamed), "
            "and 5020 (Osen kommune) has answered it",
        ),
        (
            rename_column,
            "form.budsjett.post: the field 'budsjett' no longer has the column or row 'post' (dropped or renamed), "
            "and 5052 (Leka kommune) has answered it",
        ),
        (
            drop_matrix_row,
            "form.nivaer.ansatte: the field 'nivaer' no longer has the column or row 'ansatte' (dropped or renamed), "
            "and 5052 (Leka kommune) has answered it",
        ),
    ],
)
def test_a_form_that_drops_or_renames_an_answered_field_is_refused_with_the_list(
    loaded: Session, tmp_path: Path, change: Change, expected: str
) -> None:
    new_form(tmp_path, change)
    assert refused(loaded, write_call(tmp_path)) == [expected]


def test_an_eligible_list_that_drops_an_org_with_a_submission_is_refused(loaded: Session, tmp_path: Path) -> None:
    text = CALL_YAML.replace('  - {org: "5052", frame: 300000}\n', "").replace("  - {org: 5020}\n", "")
    assert refused(loaded, write_call(tmp_path, text)) == [
        "eligible: 5020 (Osen kommune) is left out, but has a submission (draft, 2 answers)",
        "eligible: 5052 (Leka kommune) is left out, but has a submission (submitted, 3 answers)",
    ]


def test_what_hides_nothing_loads_as_before(loaded: Session, tmp_path: Path) -> None:
    new_form(tmp_path, drop_field("partner"))  # nobody answered it
    text = CALL_YAML.replace("  - {org: nett-fosen, frame: 1 200 000}\n", "")  # never started
    loaded_call = load_call_file(loaded, write_call(tmp_path, text), NOW)
    assert loaded_call.hidden == []
    assert "partner" not in {field["id"] for field in loaded_call.call.form["fields"]}


def test_an_allowed_reload_keeps_every_stored_answer_and_is_audited(loaded: Session, tmp_path: Path) -> None:
    new_form(tmp_path, drop_field("mal"))
    text = CALL_YAML.replace('  - {org: "5052", frame: 300000}\n', "")
    result = load_call_file(loaded, write_call(tmp_path, text), NOW, allow_hidden=True)
    loaded.commit()
    assert [line.split(":")[0] for line in result.hidden] == ["form.mal", "eligible"]
    assert "mal" not in {field["id"] for field in loaded.get(Call, CALL_ID).form["fields"]}  # type: ignore[union-attr]
    assert stored_answers(loaded) == {"5052": LEKA_ANSWERS, "5020": OSEN_ANSWERS}
    audit = loaded.exec(select(AuditEntry).where(AuditEntry.action == "reload_hiding")).one()
    assert (audit.call_id, audit.detail) == (CALL_ID, {"hidden": result.hidden})


def test_answering_on_after_an_allowed_reload_keeps_the_hidden_answers(loaded: Session, tmp_path: Path) -> None:
    new_form(tmp_path, drop_field("mal"))
    call = load_call(loaded, write_call(tmp_path), NOW, allow_hidden=True)
    spec = parse_form(call.form)
    outcome = engine.start(spec, engine.State(dict(OSEN_ANSWERS)), engine.Context("nn"))
    for line in ("nei", "2027-02-01", "120"):
        outcome = engine.step(spec, outcome.state, line, engine.Context("nn"))
    assert outcome.state.answers == {**OSEN_ANSWERS, "ekstern": "nei", "start": "2027-02-01", "deltakere": 120}


def test_the_export_shows_the_answers_a_forced_reload_hid(loaded: Session, tmp_path: Path) -> None:
    """The form loses `mal`, the table column `post` and the matrix row `ansatte`; both exports still
    carry every one of those answers, after the form's own columns."""

    def shrink(form: dict[str, Any]) -> None:
        drop_field("mal")(form)
        rename_column(form)
        drop_matrix_row(form)

    new_form(tmp_path, shrink)
    load_call(loaded, write_call(tmp_path), NOW, allow_hidden=True)
    loaded.commit()

    header, rows = export_rows(loaded, CALL_ID)
    by_org = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert header[-3:] == ["hidden:budsjett.post", "hidden:mal", "hidden:nivaer.ansatte"]
    assert by_org["5052"]["hidden:mal"] == "Flere gode lesere" and by_org["5020"]["hidden:mal"] == "Lesing i alle fag"
    assert by_org["5052"]["hidden:budsjett.post"] == '["Kurs"]' and by_org["5052"]["hidden:nivaer.ansatte"] == "nei"

    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(call_export(loaded, CALL_ID), "nb")))
    sheet = book.worksheets[0]
    keys = [cell.value for cell in sheet[2]]
    headers = [cell.value for cell in sheet[1]]
    leka = next(row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] == "5052")
    assert headers[keys.index("hidden:mal")] == "mal (ikke lenger i skjemaet)"
    assert leka[keys.index("hidden:mal")] == "Flere gode lesere"
    assert leka[keys.index("hidden:nivaer.ansatte")] == "nei"
