"""Importing organisations and contacts from CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from intake.import_errors import DataImportError
from intake.orgs_import import import_orgs
from models import Contact, Organisation
from tests.support.files import ORGS_CSV, counts

HEADER = "org_id,name,kind,language,contact_name,contact_email,slack_user_id\n"


def contacts_of(session: Session, org_id: str) -> list[Contact]:
    query = select(Contact).where(Contact.org_id == org_id).order_by(Contact.email)
    return list(session.exec(query))


def test_imports_orgs_with_several_contacts(session: Session) -> None:
    report = import_orgs(session, ORGS_CSV)
    session.commit()
    assert (report.orgs_created, report.contacts_created) == (3, 4)
    assert [c.email for c in contacts_of(session, "5052")] == ["kari@leka.example.no", "per@leka.example.no"]
    osen = session.get(Organisation, "5020")
    assert osen is not None and osen.language == "nn" and osen.kind == "kommune"
    fosen = session.get(Organisation, "nett-fosen")
    assert fosen is not None and fosen.name == "Fosennettverket, Trøndelag"
    assert contacts_of(session, "5052")[0].slack_user_id == "U0KARI"
    assert "3 organisations (3 new, 0 updated, 0 unchanged)" in report.summary()


def test_reimport_updates_without_duplicates(session: Session) -> None:
    import_orgs(session, ORGS_CSV)
    session.commit()
    changed = ORGS_CSV.replace("Osen kommune,kommune,nn,Oda Osen", "Osen kommune,kommune,nb,Oda Osen-Vik")
    changed = changed.replace("U0KARI", "")  # an empty slack_user_id keeps the stored one
    report = import_orgs(session, changed)
    session.commit()
    assert counts(session)["Organisation"] == 3 and counts(session)["Contact"] == 4
    assert (report.orgs_created, report.orgs_updated, report.orgs_unchanged) == (0, 1, 2)
    assert (report.contacts_created, report.contacts_updated, report.contacts_unchanged) == (0, 1, 3)
    assert session.get(Organisation, "5020").language == "nb"  # type: ignore[union-attr]
    assert contacts_of(session, "5020")[0].name == "Oda Osen-Vik"
    assert contacts_of(session, "5052")[0].slack_user_id == "U0KARI"


def test_a_contact_moves_org_when_reimported_elsewhere(session: Session) -> None:
    import_orgs(session, ORGS_CSV)
    import_orgs(session, HEADER + "5020,Osen kommune,kommune,nn,Per Leka,per@leka.example.no,\n")
    session.commit()
    assert [c.email for c in contacts_of(session, "5020")] == ["oda@osen.example.no", "per@leka.example.no"]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("5052,Leka kommune,kommun,nb,Kari,kari@leka.no,", "line 2: column kind: one of kommune|nettverk"),
        ("5052,Leka kommune,kommune,en,Kari,kari@leka.no,", "line 2: column language: nb or nn (got 'en')"),
        ("5052,Leka kommune,kommune,nb,Kari,kari-at-leka.no,", "line 2: column contact_email: an e-mail"),
        ("5052,Leka kommune,kommune,nb,Kari,kari@leka.no,X123", "line 2: column slack_user_id: a Slack user id"),
        ("5052,,kommune,nb,Kari,kari@leka.no,", "line 2: column name: a value (got '')"),
        ("50 52,Leka,kommune,nb,Kari,kari@leka.no,", "line 2: column org_id: letters, digits"),
        ("301,Oslo kommune,kommune,nb,Kari,kari@oslo.no,", "line 2: column org_id: a kommunenummer of 4 digits"),
        ("5052,Leka, kommune,kommune,nb,Kari,kari@leka.no,", "line 2: column language: nb or nn (got 'kommune')"),
        ("5052,Leka,kommune,nb,Kari,kari@leka.no,,extra", "line 2: column 8: at most 7 values"),
        ("5052,Leka,kommune,nb,Kari", "line 2: column contact_email: a value (got '')"),
    ],
)
def test_a_bad_row_names_line_and_column_and_writes_nothing(session: Session, row: str, expected: str) -> None:
    text = HEADER + row + "\n"
    with pytest.raises(DataImportError) as caught:
        import_orgs(session, text)
    assert any(problem.startswith(expected) for problem in caught.value.problems), caught.value.problems
    assert all(problem.startswith("line ") for problem in caught.value.problems)
    assert counts(session)["Organisation"] == 0 and counts(session)["Contact"] == 0


def test_every_problem_is_listed_and_good_rows_are_not_written(session: Session) -> None:
    import_orgs(session, ORGS_CSV)
    session.commit()
    before = counts(session)
    text = (
        HEADER
        + "5060,Nærøysund kommune,kommune,nb,Ny,ny@naroysund.no,\n"  # fine on its own
        + "5052,Leka kommune,kommune,nn,Kari,kari2@leka.no,\n"  # disagrees with line 4 on language...
        + "5052,Leka kommune,kommune,nb,Kari,kari3@leka.no,\n"
        + "5033,Tydal kommune,kommune,nb,Sigrid,SIGRID@tydal.no,\n"
        + "5022,Rennebu kommune,kommune,nn,Sigrid,sigrid@tydal.no,\n"  # same e-mail, another org
        + "5014,Frøya kommune,kommune,nb,Eva,eva@froya.no,U0KARI\n"  # slack id of kari@leka in the db
        + "5014,Frøya kommune,kommune,nb,Liv,liv@froya.no,W0LIV\n"
        + "5014,Frøya kommune,kommune,nb,Ola,ola@froya.no,W0LIV\n"  # same slack id as line 8
    )
    with pytest.raises(DataImportError) as caught:
        import_orgs(session, text)
    problems = caught.value.problems
    assert any(p.startswith("line 4: column language: nn as on line 3 for org 5052 (got 'nb')") for p in problems)
    assert any(p.startswith("line 6: column contact_email: an address not already given to org 5033") for p in problems)
    assert any(p.startswith("line 7: column slack_user_id: a user not already linked to kari@leka") for p in problems)
    assert any(p.startswith("line 9: column slack_user_id: a user not already given to liv@froya") for p in problems)
    assert len(problems) == 4
    session.rollback()
    assert counts(session) == before
    assert session.get(Organisation, "5060") is None


def test_header_problems(session: Session) -> None:
    with pytest.raises(DataImportError) as caught:
        import_orgs(session, "org_id,navn,kind,language,contact_name,contact_email\n5052,Leka,kommune,nb,K,k@l.no\n")
    assert caught.value.problems == [
        "line 1: column navn: one of org_id, name, kind, language, contact_name, contact_email, "
        "slack_user_id (got 'navn')",
        "line 1: column name: this column in the header (got 'org_id,navn,kind,language,contact_name,contact_email')",
    ]


@pytest.mark.parametrize("text", ["", "\n\n", HEADER])
def test_empty_files(session: Session, text: str) -> None:
    with pytest.raises(DataImportError, match="line"):
        import_orgs(session, text)


def test_excel_bom_and_semicolons(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    semicolons = ORGS_CSV.replace('"Fosennettverket, Trøndelag"', "Fosennettverket; Trøndelag").replace(",", ";")
    semicolons = semicolons.replace("Fosennettverket; Trøndelag", '"Fosennettverket; Trøndelag"')
    path.write_bytes(semicolons.replace("\n", "\r\n").encode("utf-8-sig"))
    report = import_orgs(session, path)
    assert (report.orgs_created, report.contacts_created) == (3, 4)
    assert session.get(Organisation, "nett-fosen").name == "Fosennettverket; Trøndelag"  # type: ignore[union-attr]
    assert import_orgs(session, str(path)).orgs_unchanged == 3
    assert import_orgs(session, path.read_bytes()).contacts_unchanged == 4


def test_unreadable_input(session: Session, tmp_path: Path) -> None:
    with pytest.raises(DataImportError, match="cannot read the file"):
        import_orgs(session, tmp_path / "missing.csv")
    with pytest.raises(DataImportError, match="not UTF-8"):
        import_orgs(session, (HEADER + "5052,Lekå,kommune,nb,K,k@l.no,\n").encode("latin-1"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(), st.binary(), st.text().map(lambda tail: HEADER + tail)))
def test_any_input_fails_only_with_data_import_error(session: Session, data: str | bytes) -> None:
    try:
        import_orgs(session, data)
    except DataImportError as error:
        assert error.problems
    finally:
        session.rollback()
