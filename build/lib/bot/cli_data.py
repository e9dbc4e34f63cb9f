"""Data commands of the `frist` CLI: importing orgs, loading and listing calls, the demo.

Mounted by bot/cli.py. Bad input never shows a traceback: every problem goes to stderr, exit code 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlmodel import Session

from bot.database import migrated_engine
from intake.call_reload import ALLOW_FLAG, HiddenAnswers
from intake.calls_load import load_call_file
from intake.calls_query import list_calls
from intake.demo import load_demo
from intake.import_errors import DataImportError
from intake.orgs_import import import_orgs
from models.clock import OSLO, system_clock
from models.db import session_scope

orgs_app = typer.Typer(help="Organisations and their contacts.", no_args_is_help=True, add_completion=False)
calls_app = typer.Typer(help="Calls for applications and reports.", no_args_is_help=True, add_completion=False)

T = TypeVar("T")


@contextmanager
def reported() -> Iterator[None]:
    """Turn bad input into a list of problems on stderr and exit code 1; nothing is written."""
    try:
        yield
    except DataImportError as error:
        where = f"{error.source}: " if error.source else ""
        count = len(error.problems)
        if count > 1 or where:
            typer.echo(f"error: {where}{count} problem{'s' if count != 1 else ''}; nothing was written", err=True)
            for problem in error.problems:
                typer.echo(f"  {problem}", err=True)
        else:
            typer.echo(f"error: {error.problems[0]}", err=True)
        if isinstance(error, HiddenAnswers):
            typer.echo(
                "The reload would hide these answers from the contacts' conversation and review. "
                f"Nothing stored is ever deleted: to load anyway, pass {ALLOW_FLAG}.",
                err=True,
            )
        raise typer.Exit(1) from None


def in_session(work: Callable[[Session], T]) -> T:
    with reported(), session_scope(migrated_engine()) as session:
        return work(session)


@orgs_app.command("import")
def orgs_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: org_id,name,kind,language,contact_name,contact_email,"
            "slack_user_id (one row per contact; `,` or `;`)."
        ),
    ],
) -> None:
    """Import or update organisations and contacts from a CSV file."""
    report = in_session(lambda session: import_orgs(session, file))
    typer.echo(report.summary())


@calls_app.command("load")
def calls_load(
    file: Annotated[Path, typer.Argument(help="The call's YAML file.")],
    allow_hidden: Annotated[
        bool,
        typer.Option(
            ALLOW_FLAG,
            help="Load even if the new form drops fields that have answers, or the eligible list drops "
            "orgs with a submission. The stored answers stay in the database and in the export.",
        ),
    ] = False,
) -> None:
    """Create or update a call from a YAML file (its eligibility list is replaced).

    A reload that would hide stored answers is refused, with a list of them, unless allowed.
    """
    loaded = in_session(lambda session: load_call_file(session, file, system_clock(), allow_hidden=allow_hidden))
    call = loaded.call
    for hidden in loaded.hidden:
        typer.echo(f"warning: hidden but kept in the database: {hidden}", err=True)
    typer.echo(
        f"loaded call {call.id} ({call.kind}, case {call.case_number}): "
        f"open {_oslo(call.opens)} to {_oslo(call.deadline)} Oslo time"
    )


@calls_app.command("list")
def calls_list() -> None:
    """List the calls with their deadlines and how many orgs have submitted."""
    calls = in_session(list_calls)
    if not calls:
        typer.echo("no calls yet: load one with `frist calls load FILE.yaml` (or run `frist demo`)")
        return
    rows = [("ID", "KIND", "CASE", "OPENS", "DEADLINE", "ELIGIBLE", "SUBMITTED", "DRAFTS", "TITLE")]
    rows += [
        (
            c.id,
            c.kind,
            c.case_number,
            _oslo(c.opens),
            _oslo(c.deadline),
            str(c.eligible),
            str(c.submitted),
            str(c.drafts),
            c.title,
        )
        for c in calls
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])


def demo() -> None:
    """Load the sample organisations and calls from the seed documents (safe to run again)."""
    report = in_session(lambda session: load_demo(session, system_clock()))
    typer.echo(report.summary())


def _oslo(moment: datetime) -> str:
    return f"{moment.astimezone(OSLO):%Y-%m-%d %H:%M}"
