"""`frist forms`: form files, checked without a call or a database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from intake.form_outline import outline
from intake.spec import FormSpecError, load_form

forms_app = typer.Typer(help="Form files.", no_args_is_help=True, add_completion=False)


@forms_app.command("check")
def check(file: Annotated[Path, typer.Argument(help="The form's YAML file.")]) -> None:
    """Validate a form and print its questions, conditions and rules; exit code 2 if it is not valid."""
    try:
        spec = load_form(file)
    except FormSpecError as error:
        count = len(error.problems)
        typer.echo(f"error: {error.source}: {count} problem{'s' if count != 1 else ''}", err=True)
        for problem in error.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(2) from None
    for line in outline(spec):
        typer.echo(line)
