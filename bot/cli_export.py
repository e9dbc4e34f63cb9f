"""`frist export`: a call's answers as CSV (for machines) or as an Excel workbook (for people).

The format is `--format`, or else the suffix of `-o` (`.xlsx`), or else CSV.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from bot.cli_data import in_session, reported
from bot.export_recommendation import recommendation_sheet
from bot.export_xlsx import xlsx_bytes
from bot.settings import settings
from intake.export import call_export
from intake.export_csv import DELIMITERS, csv_rows, write_table
from intake.import_errors import DataImportError

FORMATS = ("csv", "xlsx")


def export(
    call_id: Annotated[str, typer.Argument(help="The call id (see `frist calls list`).")],
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="csv or xlsx; by default the suffix of --output, else csv."),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; stdout if left out.")] = None,
    delimiter: Annotated[
        str, typer.Option("--delimiter", "-d", help="CSV only: `,` (default, for programs) or `;` (for Excel).")
    ] = ",",
) -> None:
    """Export a call: one row per eligible org (also those that never started), one column per question."""
    chosen = _format(format, output)
    if delimiter not in DELIMITERS:
        _fail(f"--delimiter {delimiter!r} is not supported; use one of {' '.join(map(repr, DELIMITERS))}")
    if chosen == "xlsx":
        if delimiter != ",":
            _fail("--delimiter is for csv; an xlsx workbook has no delimiter")
        _write_xlsx(call_id, output)
        return
    header, rows = in_session(lambda session: csv_rows(call_export(session, call_id)))
    if output is None:
        write_table(sys.stdout, header, rows, delimiter)
        return
    with reported():
        try:  # with a BOM, so that Excel reads æøå right
            with output.open("w", encoding="utf-8-sig", newline="") as out:
                write_table(out, header, rows, delimiter)
        except OSError as error:
            raise DataImportError([f"cannot write {output}: {error.strerror or error}"]) from None
    typer.echo(f"wrote {len(rows)} rows to {output}", err=True)


def _format(format: str | None, output: Path | None) -> str:
    if format is not None:
        chosen = format.lower()
        if chosen not in FORMATS:
            _fail(f"format {format!r} is not supported; use csv or xlsx")
        if output is not None and output.suffix.lower() in (".csv", ".xlsx") and output.suffix.lower() != f".{chosen}":
            _fail(f"--format {chosen} does not match the file name {output.name}")
        return chosen
    return "xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "csv"


def _write_xlsx(call_id: str, output: Path | None) -> None:
    lang = settings().secretariat_language
    data = in_session(
        lambda session: xlsx_bytes(call_export(session, call_id), lang, recommendation_sheet(session, call_id, lang))
    )
    if output is None:
        if sys.stdout.isatty():
            _fail("an xlsx workbook is not for a terminal: give -o FILE.xlsx, or send stdout to a file")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    with reported():
        try:
            output.write_bytes(data)
        except OSError as error:
            raise DataImportError([f"cannot write {output}: {error.strerror or error}"]) from None
    typer.echo(f"wrote {output} ({len(data)} bytes)", err=True)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)
