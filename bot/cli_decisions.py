"""`frist recommendation CALL`, `frist recommendation import CALL FILE`, `frist recommendation default
CALL`, `frist recommendation letter CALL ORG` and `frist decide CALL`: the recommendation table, a
draft letter and the decision, at the command line.

Mounted by bot/cli.py. The command line acts as the secretariat (intake.actors.CLI). The table is
rendered in the secretariat's language form (FRIST_SECRETARIAT_LANGUAGE).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from sqlmodel import Session
from typer.core import TyperGroup

from bot.cli_data import in_session
from bot.formatting import NBSP
from bot.letter_data import draft_letter_pdf
from bot.render import render
from bot.settings import settings
from intake.actors import CLI, Refused
from intake.decide import decide as decide_call
from intake.recommend import apply_default
from intake.recommendation_import import import_recommendations
from intake.recommendation_table import recommendation_table
from models.clock import system_clock

T = TypeVar("T")


class _ShowByDefault(TyperGroup):
    """`frist recommendation CALL` is `frist recommendation show CALL`."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args.insert(0, "show")
        return super().resolve_command(ctx, args)


recommendation_app = typer.Typer(
    cls=_ShowByDefault,
    help="The recommendation (innstilling): show the table, import the forum's, apply the default.",
    no_args_is_help=True,
    add_completion=False,
)
CallArgument = Annotated[str, typer.Argument(help="The call id (see `frist calls list`).")]


def run_reported(work: Callable[[Session], T]) -> T:
    try:
        return in_session(work)
    except Refused as refused:
        typer.echo(f"error: {refused}", err=True)
        raise typer.Exit(1) from None


def _plain(text: str) -> str:
    return text.replace(NBSP, " ")


@recommendation_app.command("show")
def show(call_id: CallArgument) -> None:
    """The table: frame, asked, recommended, outcome and comment per org; totals, budget, withheld, unassessed."""
    table = run_reported(lambda session: recommendation_table(session, call_id))
    typer.echo(_plain(render(settings().secretariat_language, "recommendation_table", table=table)))


@recommendation_app.command("import")
def import_(
    call_id: CallArgument,
    file: Annotated[Path, typer.Argument(help="CSV: org_id,outcome,amount,comment,withhold[,conditions].")],
) -> None:
    """Import the forum's table; a file with one bad row writes nothing."""
    report = run_reported(lambda session: import_recommendations(session, CLI, call_id, file, system_clock()))
    typer.echo(report.summary())


@recommendation_app.command("default")
def default(call_id: CallArgument) -> None:
    """Recommend what was asked, capped at the frame, for every org that sent in and has no recommendation."""
    done = run_reported(lambda session: apply_default(session, CLI, call_id, system_clock()))
    typer.echo(
        f"default recommendation set for {len(done.set)} orgs; {len(done.kept)} kept their own; "
        f"{len(done.without)} did not send in"
    )


@recommendation_app.command("letter")
def letter(
    call_id: CallArgument,
    org_id: Annotated[str, typer.Argument(help="The org whose letter to preview.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="The PDF (default: utkast-CALL-ORG.pdf).")
    ] = None,
) -> None:
    """The decision letter the org's recommendation would give, as a PDF marked as a draft, to read
    before deciding."""
    target = output or Path(f"utkast-{call_id}-{org_id}.pdf")
    _, pdf = run_reported(lambda session: draft_letter_pdf(session, call_id, org_id, settings(), system_clock()))
    target.write_bytes(pdf)
    typer.echo(f"wrote the draft letter to {target}", err=True)


def decide(
    call_id: CallArgument,
    yes: bool = typer.Option(False, "--yes", help="Decide without asking."),
) -> None:
    """Fix the recommendations as decisions and queue a decision letter to every org."""
    table = run_reported(lambda session: recommendation_table(session, call_id))
    typer.echo(_plain(render(settings().secretariat_language, "decide_confirm", table=table)))
    if not yes and not typer.confirm("Decide now?"):
        raise typer.Exit(1)
    decided = run_reported(lambda session: decide_call(session, CLI, call_id, system_clock()))
    typer.echo(f"decided {len(decided.decisions)} orgs; {decided.letters} decision letters queued")
