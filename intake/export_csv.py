"""The export as CSV, for machines: ids as column names, statuses and choices as ids, tables and
matrices as JSON in one cell. Answers to fields the form no longer has follow, as `hidden:ID`.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
apostrophe (`'`), so that a spreadsheet opening the file shows it as text instead of running it as
a formula (CSV injection). Numbers are never changed. An import of such a file takes it off again
(`undefuse`).
"""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from sqlmodel import Session

from intake.export import CallExport, call_export
from intake.spec import FormField
from models.clock import OSLO

FIXED_COLUMNS = [
    "org_id",
    "org_name",
    "status",
    "frame",
    "amount",
    "submitted_at",
    "submitted_by",
    "receipt_number",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = (",", ";", "\t", "|")
HIDDEN_PREFIX = "hidden:"
Cell = str | int


def export_rows(session: Session, call_id: str) -> tuple[list[str], list[list[Cell]]]:
    """The header and the rows, ordered by org id; empty cells are ""."""
    return csv_rows(call_export(session, call_id))


def csv_rows(export: CallExport) -> tuple[list[str], list[list[Cell]]]:
    fields, hidden = export.spec.fields, export.hidden_ids
    header = FIXED_COLUMNS + [field.id for field in fields] + [f"{HIDDEN_PREFIX}{key}" for key in hidden]
    rows: list[list[Cell]] = []
    for entry in export.entries:
        submitted_at = entry.submitted_at.astimezone(OSLO).isoformat(timespec="seconds") if entry.submitted_at else ""
        row: list[Cell] = [entry.org_id, entry.org_name, entry.status, _blank(entry.frame), _blank(entry.amount)]
        row += [submitted_at, entry.submitted_by, entry.receipt_number]
        row += [_cell(field, entry.answers.get(field.id)) for field in fields]
        row += [_loose(entry.hidden.get(key)) for key in hidden]
        rows.append(row)
    return header, rows


def write_csv(session: Session, call_id: str, out: TextIO, delimiter: str = ",") -> int:
    """Write the export as UTF-8 text; returns the number of rows (without the header)."""
    header, rows = export_rows(session, call_id)
    write_table(out, header, rows, delimiter)
    return len(rows)


def write_table(out: TextIO, header: list[str], rows: list[list[Cell]], delimiter: str = ",") -> None:
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter {delimiter!r} is not one of {', '.join(map(repr, DELIMITERS))}")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[defuse(cell) for cell in row] for row in rows])


def defuse(cell: Cell) -> Cell:
    """A text that a spreadsheet would read as a formula, with a leading apostrophe; else as it is."""
    return f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


def undefuse(text: str) -> str:
    """A cell read back from a file Frist wrote: the apostrophe `defuse` added taken off again. (A text
    that itself began with an apostrophe and a formula character loses its apostrophe.)"""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _blank(value: int | None) -> Cell:
    return "" if value is None else value


def _loose(value: Any) -> Cell:
    """An answer whose field the form no longer describes: as it was stored."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _cell(field: FormField, value: Any) -> Cell:
    if value is None:
        return ""
    kind = field.type
    if kind in ("money", "integer"):
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
    if kind == "multichoice" and isinstance(value, list):
        return "|".join(str(item) for item in value)
    if kind in ("table", "matrix"):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)
