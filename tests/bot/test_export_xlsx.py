"""The XLSX export, written to a file and read back with openpyxl as Excel would open it."""

from __future__ import annotations

import copy
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session

from bot.export_xlsx import MONEY_FORMAT, _sheet_name, xlsx_bytes
from intake.export import call_export
from tests.support.export_data import CALL, FULL, add_submission, prepare_call
from tests.support.forms import SAMPLE

FORMULA = '=HYPERLINK("http://x","klikk")'
# The sample form with `ekstern` also taking "vet ikke", to show how a yes/no's third answer is exported.
UNKNOWN_ALLOWED = copy.deepcopy(SAMPLE)
next(field for field in UNKNOWN_ALLOWED["fields"] if field["id"] == "ekstern")["allow_unknown"] = True


@pytest.fixture
def call_session(session: Session, tmp_path: Path) -> Session:
    prepare_call(session, tmp_path, UNKNOWN_ALLOWED)
    answers = FULL | {
        "mal": FORMULA,
        "partner": "+47 22 00 00 00",
        "budsjett": [{"post": "@SUM(A1)", "belop": 40_000}, {"post": "-bøker", "belop": 85_500}],
    }
    add_submission(session, "5052", answers, submitted=True)
    add_submission(session, "5020", {"mal": "Lesing", "ekstern": "vet_ikke", "nivaer": {"leder": "nei"}}, False)
    return session


def workbook(session: Session, lang: str = "nb") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(call_export(session, CALL), lang)))


def rows_by_id(sheet: Worksheet) -> list[dict[str, Any]]:
    """Data rows keyed by the second header row (the ids)."""
    keys = [str(cell.value) for cell in sheet[2]]
    return [dict(zip(keys, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_the_main_sheet_has_a_row_per_org_and_a_column_per_question(call_session: Session) -> None:
    book = workbook(call_session)
    assert book.sheetnames == ["Søknader", "Budsjett"]
    sheet = book["Søknader"]
    labels = [cell.value for cell in sheet[1]]
    assert labels[:8] == [
        "Org.nr./ID",
        "Organisasjon",
        "Status",
        "Ramme",
        "Søkt beløp",
        "Sendt inn",
        "Sendt inn av",
        "Kvitteringsnummer",
    ]
    assert labels[8:] == [
        "Mål og tiltak",
        "Ekstern partner?",
        "Hvilken partner?",
        "Oppstart",
        "Antall deltakere",
        "Nivå",
        "Målgrupper",
        "Budsjett (antall rader)",
        "Egenfinansiering",
        "Nivåer: Leder",
        "Nivåer: Ansatte",
        "Hvorfor over rammen?",
    ]
    osen, leka, fosen = rows_by_id(sheet)
    assert (leka["org_id"], leka["status"], leka["frame"], leka["amount"]) == ("5052", "Sendt inn", 300_000, 125_500)
    assert leka["submitted_at"] == datetime(2026, 11, 20, 14, 5)  # Oslo time: Excel has no time zones
    assert (leka["start"], leka["deltakere"], leka["egen"]) == (datetime(2027, 1, 4), 120, 37_650)
    assert (leka["niva"], leka["malgrupper"], leka["ekstern"]) == ("Skole", "Ledere, PPT", "Ja")
    assert (leka["budsjett"], leka["nivaer.leder"], leka["nivaer.ansatte"]) == (2, "Ja", "Nei")
    assert (osen["status"], osen["ekstern"], osen["nivaer.leder"], osen["nivaer.ansatte"]) == (
        "Utkast",
        "Vet ikke",
        "Nei",
        None,
    )
    assert fosen["status"] == "Ikke påbegynt" and fosen["frame"] == 1_200_000 and fosen["mal"] is None


def test_text_that_looks_like_a_formula_stays_text(call_session: Session) -> None:
    book = workbook(call_session)
    sheet = book["Søknader"]
    keys = [cell.value for cell in sheet[2]]
    leka = sheet[4]
    mal, partner = leka[keys.index("mal")], leka[keys.index("partner")]
    assert (mal.value, mal.data_type) == (FORMULA, "s")
    assert (partner.value, partner.data_type) == ("+47 22 00 00 00", "s")
    posts = [row[3] for row in book["Budsjett"].iter_rows(min_row=3)]
    assert [(cell.value, cell.data_type) for cell in posts] == [("@SUM(A1)", "s"), ("-bøker", "s")]


def test_money_dates_and_the_header_are_formatted_for_excel(call_session: Session) -> None:
    sheet = workbook(call_session)["Søknader"]
    keys = [cell.value for cell in sheet[2]]
    leka = sheet[4]
    assert leka[keys.index("frame")].number_format == MONEY_FORMAT == '"kr "#,##0'
    assert leka[keys.index("egen")].number_format == MONEY_FORMAT
    start = leka[keys.index("start")]
    assert isinstance(start, Cell) and start.is_date and start.number_format == "dd.mm.yyyy"
    assert leka[keys.index("submitted_at")].number_format == "dd.mm.yyyy hh:mm"
    assert sheet.freeze_panes == "C3"
    assert sheet.auto_filter.ref == f"A2:{get_column_letter(len(keys))}5"
    assert sheet[1][0].font.bold
    dimensions = list(sheet.column_dimensions.values())  # adjacent columns of one width share a dimension
    assert all(8 <= dimension.width <= 62 for dimension in dimensions)
    spans = [(dimension.min, dimension.max) for dimension in dimensions]
    widened = sorted(column for low, high in spans if low and high for column in range(low, high + 1))
    assert widened == list(range(1, len(keys) + 1))


def test_a_table_has_its_own_sheet_with_a_row_per_table_row(call_session: Session) -> None:
    sheet = workbook(call_session)["Budsjett"]
    assert [cell.value for cell in sheet[1]] == ["Org.nr./ID", "Organisasjon", "Rad", "Post", "Beløp"]
    assert [cell.value for cell in sheet[2]] == ["org_id", "org_name", "row", "budsjett.post", "budsjett.belop"]
    assert list(sheet.iter_rows(min_row=3, values_only=True)) == [
        ("5052", "Leka kommune", 1, "@SUM(A1)", 40_000),
        ("5052", "Leka kommune", 2, "-bøker", 85_500),
    ]
    assert sheet["E3"].number_format == MONEY_FORMAT


def test_nynorsk_headers_and_words(call_session: Session) -> None:
    sheet = workbook(call_session, "nn")["Søknader"]
    labels = [cell.value for cell in sheet[1]]
    assert "Budsjett (tal på rader)" in labels
    osen, _, fosen = rows_by_id(sheet)
    assert (osen["ekstern"], fosen["status"]) == ("Veit ikkje", "Ikkje påbyrja")


def test_a_call_nobody_answered_still_opens(session: Session, tmp_path: Path) -> None:
    prepare_call(session, tmp_path)
    book = workbook(session)
    assert book.sheetnames == ["Søknader"]
    assert [row["status"] for row in rows_by_id(book["Søknader"])] == ["Ikke påbegynt"] * 3


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Budsjett", "budsjett"], ["Budsjett", "budsjett (2)"]),
        (["Kostnader: lønn/drift [kr]?"], ["Kostnader  lønn drift  kr"]),
        (["x" * 40, "x" * 40], ["x" * 31, "x" * 27 + " (2)"]),
        (["'sitat'", "History"], ["sitat", "History (2)"]),
    ],
)
def test_sheet_names_are_ones_excel_accepts(names: list[str], expected: list[str]) -> None:
    used: set[str] = set()
    assert [_sheet_name(name, used) for name in names] == expected
