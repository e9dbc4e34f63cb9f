"""The export as an Excel workbook, for the secretariat to read: one sheet with a row per eligible
org and a column per question, and one sheet per table question with a row per table row.

Headers are the questions' labels in the secretariat's language form, with the field ids in a
second header row (what the CSV calls the columns); statuses, choices and yes/no are words, not
ids; money is a number shown as `kr 1 200 000`, dates are dates. Every text is written as text,
never as a formula, whatever it starts with (`=HYPERLINK(...)` stays a string).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from bot.render import render
from intake.export import CallExport, OrgEntry
from intake.spec import FormField
from models.clock import OSLO

# Stored with a comma for "thousands": Excel shows it with the locale's separator, in Norwegian
# Excel a space, so the secretariat sees `kr 1 200 000` and the format as `kr # ##0`.
MONEY_FORMAT = '"kr "#,##0'
DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
MIN_WIDTH, MAX_WIDTH, HEADER_WIDTH = 8, 60, 30
SHEET_NAME_LIMIT = 31
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str  # what people read
    key: str  # the field id (the second header row)
    kind: str  # text, money, integer, date or datetime
    # From the row's source (an OrgEntry, or a table row) to the cell's value. `...`: the lambdas that
    # build it bind loop variables as defaulted parameters, which mypy cannot fit to Callable[[Any], Any].
    value: Callable[..., Any]


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: list[Column]
    rows: list[Any]


@cache
def export_label(lang: str, name: str) -> str:
    return render(lang, "export_label", name=name)


@cache
def _yes_no(lang: str, value: str) -> str:
    return render(lang, "label", name=value) if value in ("ja", "nei", "vet_ikke") else value


def xlsx_bytes(export: CallExport, lang: str, extra: Sequence[Sheet] = ()) -> bytes:
    """The workbook, as the bytes of an .xlsx file; `extra` sheets (the recommendation) at the end."""
    out = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    with xlsxwriter.Workbook(out, options) as book:
        formats = {
            "header": book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7"}),
            "key": book.add_format({"italic": True, "font_color": "#666666", "font_size": 9}),
            "money": book.add_format({"num_format": MONEY_FORMAT}),
            "integer": book.add_format({"num_format": "0"}),
            "date": book.add_format({"num_format": DATE_FORMAT}),
            "datetime": book.add_format({"num_format": DATETIME_FORMAT}),
        }
        used: set[str] = set()
        for sheet in [*sheets(export, lang), *extra]:
            _write_sheet(book.add_worksheet(_sheet_name(sheet.name, used)), sheet, formats)
    return out.getvalue()


def xlsx_filename(export: CallExport) -> str:
    return f"{export.call.id}.xlsx"


def sheets(export: CallExport, lang: str) -> list[Sheet]:
    """The main sheet, then one per table question that someone answered."""
    spec, entries = export.spec, export.entries
    main = [_fixed(lang, name, kind) for name, kind in FIXED if name != "amount" or spec.amount]
    tables: list[Sheet] = []
    for field in spec.fields:
        main += _answer_columns(field, lang)
        if field.type == "table":
            rows = [
                (entry, number, row)
                for entry in entries
                for number, row in enumerate(entry.answers.get(field.id) or [], start=1)
                if isinstance(row, dict)
            ]
            if rows:
                tables.append(Sheet(field.label(lang), _table_columns(field, lang), rows))
    hidden_word = export_label(lang, "hidden")
    for key in export.hidden_ids:
        main.append(
            Column(
                f"{key} ({hidden_word})", f"hidden:{key}", "text", lambda entry, key=key: _loose(entry.hidden.get(key))
            )
        )
    main_name = export_label(lang, "sheet_report" if export.call.kind == "report" else "sheet_application")
    return [Sheet(main_name, main, entries), *tables]


FIXED = [
    ("org_id", "text"),
    ("org_name", "text"),
    ("status", "text"),
    ("frame", "money"),
    ("amount", "money"),
    ("submitted_at", "datetime"),
    ("submitted_by", "text"),
    ("receipt_number", "text"),
]


def _fixed(lang: str, name: str, kind: str) -> Column:
    if name == "status":
        return Column(export_label(lang, name), name, kind, lambda entry: export_label(lang, entry.status))
    return Column(export_label(lang, name), name, kind, lambda entry: getattr(entry, name) or None)


def _answer_columns(field: FormField, lang: str) -> list[Column]:
    label = field.label(lang)

    def answer(entry: OrgEntry) -> Any:
        return entry.answers.get(field.id)

    if field.type == "matrix":
        return [
            Column(
                f"{label}: {row.label(lang)}",
                f"{field.id}.{row.id}",
                "text",
                lambda entry, row_id=row.id: _matrix_cell(field, lang, answer(entry), row_id),
            )
            for row in field.rows
        ]
    if field.type == "table":
        rows_word = export_label(lang, "rows")
        return [Column(f"{label} ({rows_word})", field.id, "integer", lambda entry: len(answer(entry) or []) or None)]
    kind, convert = _cell_kind(field, lang)
    return [Column(label, field.id, kind, lambda entry: convert(answer(entry)))]


def _table_columns(field: FormField, lang: str) -> list[Column]:
    columns = [
        Column(export_label(lang, "org_id"), "org_id", "text", lambda item: item[0].org_id),
        Column(export_label(lang, "org_name"), "org_name", "text", lambda item: item[0].org_name),
        Column(export_label(lang, "row_number"), "row", "integer", lambda item: item[1]),
    ]
    for column in field.columns:
        kind, convert = _cell_kind(column, lang)
        columns.append(
            Column(
                column.label(lang),
                f"{field.id}.{column.id}",
                kind,
                lambda item, column_id=column.id, convert=convert: convert(item[2].get(column_id)),
            )
        )
    return columns


def _cell_kind(field: FormField, lang: str) -> tuple[str, Callable[[Any], Any]]:
    """How one answer of `field` (not a table or matrix) is written: its kind, and the value."""
    kind = field.type
    if kind in ("money", "integer"):
        return kind, _number
    if kind == "date":
        return "date", _date
    if kind == "yesno":
        return "text", lambda value: None if value is None else _yes_no(lang, str(value))
    if kind == "choice":
        return "text", lambda value: None if value is None else field.choice_label(str(value), lang)
    if kind == "multichoice":
        return "text", lambda value: _choices(field, lang, value)
    return "text", _text


def _choices(field: FormField, lang: str, value: Any) -> str | None:
    if not isinstance(value, list):
        return _text(value)
    return ", ".join(field.choice_label(str(item), lang) for item in value) or None


def _matrix_cell(field: FormField, lang: str, value: Any, row_id: str) -> str | None:
    if not isinstance(value, dict) or value.get(row_id) is None:
        return None
    return field.choice_label(str(value[row_id]), lang)


def _number(value: Any) -> int | float | str | None:
    if value is None or isinstance(value, bool):
        return _text(value)
    return value if isinstance(value, int | float) else str(value)


def _date(value: Any) -> date | str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return str(value)


def _loose(value: Any) -> str | None:
    """An answer to a field the form no longer has, as it was stored (a reload kept it)."""
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _write_sheet(sheet: Worksheet, spec: Sheet, formats: dict[str, Any]) -> None:
    widths = [min(max(len(column.header), MIN_WIDTH), HEADER_WIDTH) for column in spec.columns]
    for index, column in enumerate(spec.columns):
        sheet.write_string(0, index, column.header, formats["header"])
        sheet.write_string(1, index, column.key, formats["key"])
    for row_index, source in enumerate(spec.rows, start=2):
        for index, column in enumerate(spec.columns):
            shown = _write_cell(sheet, row_index, index, column.kind, column.value(source), formats)
            widths[index] = max(widths[index], min(shown, MAX_WIDTH))
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width + 2)
    sheet.freeze_panes(2, 2)
    sheet.autofilter(1, 0, max(1, len(spec.rows) + 1), max(0, len(spec.columns) - 1))


def _write_cell(sheet: Worksheet, row: int, col: int, kind: str, value: Any, formats: dict[str, Any]) -> int:
    """Write one cell as what it is; returns about how many characters it shows."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        sheet.write_datetime(row, col, value.astimezone(OSLO).replace(tzinfo=None), formats["datetime"])
        return len(DATETIME_FORMAT)
    if isinstance(value, date):
        sheet.write_datetime(row, col, value, formats["date"])
        return len(DATE_FORMAT)
    if isinstance(value, int | float) and not isinstance(value, bool) and kind in ("money", "integer"):
        sheet.write_number(row, col, value, formats[kind])
        return len(f"{value:,.0f}") + (3 if kind == "money" else 0)
    text = str(value)
    sheet.write_string(row, col, text)
    return max((len(line) for line in text.splitlines()), default=0)


def _sheet_name(name: str, used: set[str]) -> str:
    """A name Excel accepts (no []:*?/\\, at most 31 characters, no leading or trailing
    apostrophe) and that no other sheet of the workbook has."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip().strip("'").strip() or "Ark"
    candidate, number = base[:SHEET_NAME_LIMIT], 1
    while candidate.casefold() in used or candidate.casefold() == "history":
        number += 1
        suffix = f" ({number})"
        candidate = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
    used.add(candidate.casefold())
    return candidate
