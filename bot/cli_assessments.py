"""`frist assessments export CALL [-o FILE] [--delimiter ';']`: every assessment of a call as CSV, for
a forum that works on paper or in a spreadsheet. Mounted by bot/cli.py."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.cli_decisions import CallArgument, run_reported
from bot.settings import settings
from intake.actors import CLI
from intake.assessments_export import COLUMNS, assessment_rows
from intake.assessments_import import import_assessments
from intake.export_csv import DELIMITERS, write_table
from models.clock import system_clock

assessments_app = typer.Typer(help="The assessors' assessments of a call's submissions.", no_args_is_help=True)


@assessments_app.command("export")
def export(
    call_id: CallArgument,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="The CSV file (default: stdout).")] = None,
    delimiter: Annotated[str, typer.Option("--delimiter", help="',' for programs, ';' for Excel.")] = ",",
) -> None:
    """One row per assessor, organisation and criterion (and the overall comment), with the mark, the
    comment and whether it counts."""
    if delimiter not in DELIMITERS:
        typer.echo(f"error: --delimiter must be one of {' '.join(DELIMITERS)} (got {delimiter!r})", err=True)
        raise typer.Exit(2)
    rows = run_reported(lambda session: assessment_rows(session, call_id))
    if output is None:
        write_table(sys.stdout, COLUMNS, rows, delimiter)
        return
    with output.open("w", encoding="utf-8-sig", newline="") as out:  # the BOM lets Excel read æøå
        write_table(out, COLUMNS, rows, delimiter)
    typer.echo(f"wrote {len(rows)} rows to {output}", err=True)


@assessments_app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(help="CSV as the export writes it: call_id,org_id,assessor,criterion,mark,comment."),
    ],
    call_id: Annotated[
        str | None,
        typer.Option("--call", help="The call, for a file without call_id; rows that name a call must name this one."),
    ] = None,
) -> None:
    """Store the assessments in the file; each assessor's rows for an org replace their assessment
    of it. A file with one bad row writes nothing."""
    secretariat = settings().secretariat_users
    report = run_reported(
        lambda session: import_assessments(session, CLI, file, system_clock(), call_id=call_id, secretariat=secretariat)
    )
    typer.echo(report.summary())
