"""Exporting a call: one row per eligible org, one column per field."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from intake.calls_load import load_call
from intake.export_csv import FIXED_COLUMNS, export_rows, write_csv
from intake.import_errors import DataImportError, NotFound
from tests.support.export_data import FULL, add_submission, prepare_call
from tests.support.files import NOW, write_call
from tests.support.forms import SAMPLE


@pytest.fixture
def call_session(session: Session, tmp_path: Path) -> Session:
    return prepare_call(session, tmp_path)


def by_org(call_session: Session) -> tuple[list[str], dict[str, dict[str, Any]]]:
    header, rows = export_rows(call_session, "lesekampanje-2027")
    return header, {row[0]: dict(zip(header, row, strict=True)) for row in rows}  # type: ignore[misc]


def test_one_row_per_eligible_org_including_not_started(call_session: Session) -> None:
    add_submission(call_session, "5052", FULL, submitted=True)
    add_submission(call_session, "5020", {"mal": "Lesing", "ekstern": "nei", "partner": "stale"}, False)
    header, rows = by_org(call_session)
    assert header == FIXED_COLUMNS + [field["id"] for field in SAMPLE["fields"]]
    assert list(rows) == ["5020", "5052", "nett-fosen"]
    fosen = rows["nett-fosen"]
    assert (fosen["status"], fosen["frame"], fosen["org_name"]) == (
        "not_started",
        1_200_000,
        "Fosennettverket, Trøndelag",
    )
    assert all(fosen[column] == "" for column in header[4:])
    osen = rows["5020"]
    assert (osen["status"], osen["mal"], osen["frame"], osen["amount"]) == ("draft", "Lesing", "", "")
    assert osen["partner"] == ""  # not asked when ekstern is nei: a stale answer is not exported


def test_values_are_typed_for_a_spreadsheet(call_session: Session) -> None:
    add_submission(call_session, "5052", FULL, submitted=True)
    leka = by_org(call_session)[1]["5052"]
    assert leka["status"] == "submitted" and leka["frame"] == 300_000
    assert leka["amount"] == 125_500  # spec.amount is budsjett.belop, summed
    assert leka["submitted_at"] == "2026-11-20T14:05:00+01:00"
    assert leka["submitted_by"] == "kari@leka.example.no"
    assert leka["receipt_number"] == "2026/1234-5052-1"
    assert (leka["deltakere"], leka["egen"]) == (120, 37_650)
    assert (leka["start"], leka["niva"], leka["malgrupper"], leka["ekstern"], leka["partner"]) == (
        "2027-01-04",
        "skole",
        "ledere|ppt",
        "ja",
        "Nord universitet",
    )
    assert leka["budsjett"] == '[{"post":"Forfatterbesøk","belop":40000},{"post":"Bøker","belop":85500}]'
    assert json.loads(leka["nivaer"]) == {"leder": "ja", "ansatte": "nei"}


def test_write_csv_round_trips(call_session: Session) -> None:
    add_submission(call_session, "5052", FULL, submitted=True)
    out = io.StringIO()
    assert write_csv(call_session, "lesekampanje-2027", out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["org_id"] for row in rows] == ["5020", "5052", "nett-fosen"]
    assert rows[1]["mal"] == "Alle elever leser, hver dag." and rows[1]["amount"] == "125500"


def test_an_org_dropped_from_the_call_keeps_its_submission_in_the_export(call_session: Session, tmp_path: Path) -> None:
    add_submission(call_session, "nett-fosen", {"mal": "Nettverk"}, submitted=False)
    text = (tmp_path / "call.yaml").read_text(encoding="utf-8").replace("  - {org: nett-fosen, frame: 1 200 000}\n", "")
    load_call(call_session, write_call(tmp_path, text), NOW, allow_hidden=True)
    _, rows = export_rows(call_session, "lesekampanje-2027")
    assert [row[0] for row in rows] == ["5020", "5052", "nett-fosen"]
    assert rows[-1][2:4] == ["draft", ""]


def test_unknown_call(call_session: Session) -> None:
    with pytest.raises(NotFound, match="no call 'nope' \\(known calls: lesekampanje-2027\\)") as caught:
        export_rows(call_session, "nope")
    assert isinstance(caught.value, DataImportError)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(call_session: Session, start: str) -> None:
    answers = FULL | {"mal": f'{start}HYPERLINK("http://x","klikk")', "partner": "Nord universitet"}
    add_submission(call_session, "5052", answers, submitted=True)
    out = io.StringIO()
    write_csv(call_session, "lesekampanje-2027", out)
    leka = list(csv.DictReader(io.StringIO(out.getvalue())))[1]
    assert leka["mal"] == f'\'{start}HYPERLINK("http://x","klikk")'
    assert leka["partner"] == "Nord universitet" and leka["egen"] == "37650"


def test_csv_with_semicolons(call_session: Session) -> None:
    add_submission(call_session, "5052", FULL | {"mal": "Les; skriv, regn"}, submitted=True)
    out = io.StringIO()
    write_csv(call_session, "lesekampanje-2027", out, delimiter=";")
    assert out.getvalue().startswith("org_id;org_name;status;frame;amount;")
    leka = list(csv.DictReader(io.StringIO(out.getvalue()), delimiter=";"))[1]
    assert leka["mal"] == "Les; skriv, regn" and leka["org_name"] == "Leka kommune"
    with pytest.raises(ValueError, match="delimiter ':' is not one of"):
        write_csv(call_session, "lesekampanje-2027", io.StringIO(), delimiter=":")


def test_the_explanation_asked_for_an_amount_over_the_frame_is_exported(call_session: Session) -> None:
    over = [{"post": "Forfattarbesøk", "belop": 400_000}]  # Leka's frame is 300 000
    add_submission(call_session, "5052", FULL | {"budsjett": over, "forklaring": "Stort behov"}, submitted=True)
    add_submission(call_session, "nett-fosen", FULL | {"forklaring": "Ikke spurt"}, submitted=False)  # within 1 200 000
    header, rows = export_rows(call_session, "lesekampanje-2027")
    explained = {row[0]: row[header.index("forklaring")] for row in rows}
    assert explained == {"5020": "", "5052": "Stort behov", "nett-fosen": ""}
