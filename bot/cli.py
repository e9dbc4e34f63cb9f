"""The `frist` command."""

from __future__ import annotations

import logging
import os
import sys

import typer

from bot import cli_amend, cli_assessments, cli_data, cli_decisions, cli_digest, cli_export
from bot.cli_archive import archive_app
from bot.cli_forms import forms_app
from bot.cli_reminders import reminders_app
from bot.console import ConsoleError, run_console
from bot.database import migrated_engine
from bot.settings import settings
from bot.startup import StartupError

app = typer.Typer(
    help="Frist: grant calls, applications and reports for the county governor.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(cli_data.orgs_app, name="orgs", help="Organisations and their contacts.")
app.add_typer(cli_data.calls_app, name="calls", help="Calls for applications and reports.")
app.add_typer(forms_app, name="forms", help="Form files: check one before a call uses it.")
app.command("demo", help="Load the sample organisations and calls from the seed documents.")(cli_data.demo)
app.command("export", help="Export a call as CSV or XLSX, one row per eligible org.")(cli_export.export)
app.add_typer(reminders_app, name="reminders")
app.command("digest")(cli_digest.digest)
app.add_typer(cli_decisions.recommendation_app, name="recommendation")
app.command("decide")(cli_decisions.decide)
app.command("amend")(cli_amend.amend_decision)
app.add_typer(cli_assessments.assessments_app, name="assessments")
app.add_typer(archive_app, name="archive")

DEMO_CONTACT = "demo@leka.example.no"
DEMO_CALL = "oppfolging-2020"


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (also done at every start)."""
    engine = migrated_engine()
    typer.echo(f"database at {engine.url.render_as_string(hide_password=True)} is up to date")


@app.command()
def console(
    email: str = typer.Option(..., "--as", help="The contact's e-mail address."),
    call: str = typer.Option(..., "--call", help="The call id (see `frist calls list`)."),
) -> None:
    """Answer a call as a contact, in the terminal: the same bot as in Slack."""
    try:
        code = run_console(migrated_engine(), email, call)
    except ConsoleError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(code)


@app.command()
def run() -> None:
    """Slack in Socket Mode (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN)."""
    current = settings()
    if not (current.slack_bot_token and current.slack_app_token):
        typer.echo("configuration error: SLACK_BOT_TOKEN and SLACK_APP_TOKEN are needed for Socket Mode", err=True)
        raise typer.Exit(2)
    from bot.slack.start import run_socket_mode

    run_socket_mode(current, current.slack_app_token)


@app.command()
def serve(
    port: int = typer.Option(3000, envvar="PORT", help="Port to listen on."),
    host: str = typer.Option("0.0.0.0", help="Interface to listen on."),
    threads: int = typer.Option(16, help="Worker threads of the HTTP server."),
) -> None:
    """Slack over HTTP: POST /slack/events and GET /healthz (needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)."""
    current = settings()
    if not (current.slack_bot_token and current.slack_signing_secret):
        typer.echo("configuration error: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are needed for HTTP mode", err=True)
        raise typer.Exit(2)
    from bot.slack.start import serve_http

    serve_http(current, host, port, threads)


@app.command()
def start() -> None:
    """What `make run` starts: Socket Mode with an app token, HTTP with a signing secret, else the console."""
    mode = settings().mode
    if mode == "socket":
        run()
    elif mode == "http":
        serve(port=int(os.environ.get("PORT", "3000")), host="0.0.0.0", threads=16)
    else:
        typer.echo("No Slack tokens set: starting the local console with the demo data.", err=True)
        typer.echo(f"You are {DEMO_CONTACT} of Leka kommune. Type `hjelp` for help; Ctrl-D to stop.\n", err=True)
        cli_data.demo()
        console(email=DEMO_CONTACT, call=DEMO_CALL)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # some 40 lines a PDF at INFO, about subsetting
    try:
        settings()
        app()
    except StartupError as error:
        print(error, file=sys.stderr)
        sys.exit(2)
