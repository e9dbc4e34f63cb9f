"""The recommendation as a sheet of the workbook, once there is one."""

from __future__ import annotations

import io

import openpyxl
from sqlmodel import Session

from bot.export_recommendation import recommendation_sheet
from bot.export_xlsx import xlsx_bytes
from intake.actors import CLI
from intake.export import call_export
from intake.recommendation_import import import_recommendations
from tests.support.kompetanse import CALL, FORUM_TABLE, NETWORKS, seed_kompetanse
from tests.support.seed import NOW


def workbook(session: Session, lang: str = "nb") -> openpyxl.Workbook:
    data = xlsx_bytes(call_export(session, CALL), lang, recommendation_sheet(session, CALL, lang))
    return openpyxl.load_workbook(io.BytesIO(data))


def test_the_workbook_gains_the_recommendation_sheet_when_there_is_one(session: Session) -> None:
    seed_kompetanse(session, NOW)
    assert "Innstilling" not in workbook(session).sheetnames

    import_recommendations(session, CLI, CALL, FORUM_TABLE, NOW)
    sheet = workbook(session)["Innstilling"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:6] == ["Org.nr./ID", "Organisasjon", "Ramme", "Meldt / søkt", "Innstilt beløp", "Utfall"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == set(NETWORKS)
    key = [cell.value for cell in sheet[2]]
    ytre = rows["nett-ytre-namdal"]
    frame, need, _ = NETWORKS["nett-ytre-namdal"]
    assert ytre[key.index("frame")] == frame and ytre[key.index("asked")] == need
    assert ytre[key.index("recommended")] == frame and ytre[key.index("outcome")] in ("Innstilt", "Delvis innstilt")
    assert sum(int(str(row[key.index("recommended")])) for row in rows.values()) == 11_400_000
    assert any(row[key.index("withhold")] for row in rows.values())  # Værnes: after a dialogue
    assert workbook(session, "nn")["Innstilling"].cell(1, 8).value == "Utbetalinga blir halden tilbake til"
