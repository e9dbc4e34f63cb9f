"""`frist archive export CALL DIR`: the call's submissions and decision letters as PDF/A files, each
with its Noark 5 metadata file (bot/archive.py), for the county governor's archive to import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.archive import Direction, write_archive
from bot.archive_export import call_archive
from bot.cli_data import in_session
from bot.settings import settings

archive_app = typer.Typer(help="Documents for the archive (Noark 5).", no_args_is_help=True, add_completion=False)


@archive_app.command("export")
def export(
    call_id: Annotated[str, typer.Argument(help="The call id (see `frist calls list`).")],
    directory: Annotated[Path, typer.Argument(help="Where to write the files (made if missing).")],
) -> None:
    """Every submission sent in and every decision letter of the call: `<name>.pdf` and `<name>.xml`."""
    if directory.exists() and not directory.is_dir():
        typer.echo(f"error: {directory} is a file; give a directory to write the archive files into", err=True)
        raise typer.Exit(1)
    documents = in_session(lambda session: call_archive(session, call_id, settings()))  # an unknown call: exit 1
    written = write_archive(directory, documents)
    incoming = sum(1 for document in documents if document.direction is Direction.incoming)
    typer.echo(
        f"archived {call_id}: {incoming} submissions and {len(documents) - incoming} decision letters "
        f"({len(written)} PDF files, each with a Noark 5 metadata file) in {directory}"
    )
