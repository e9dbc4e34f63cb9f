"""`frist digest CALL_ID [--post]`: the secretariat's digest of a call, in the terminal or in Slack.

Mounted by bot/cli.py. Prints the main message and then the thread as plain text, in the
secretariat's language form (FRIST_SECRETARIAT_LANGUAGE); with --post, also posts them to
FRIST_SECRETARIAT_CHANNEL, the thread under the main message.
"""

from __future__ import annotations

from typing import Annotated

import typer
from sqlmodel import Session

from bot.database import migrated_engine
from bot.digest_text import digest_texts
from bot.settings import settings
from intake.digest import build_digest
from models.clock import system_clock


def digest(
    call_id: Annotated[str, typer.Argument(help="The call id (see `frist calls list`).")],
    post: bool = typer.Option(False, "--post", help="Also post it to FRIST_SECRETARIAT_CHANNEL."),
) -> None:
    """Where a call stands: counts, amounts against frames, late submissions, failed deliveries."""
    current = settings()
    if post:
        missing = [
            name
            for name, value in (
                ("SLACK_BOT_TOKEN", current.slack_bot_token),
                ("FRIST_SECRETARIAT_CHANNEL", current.secretariat_channel),
            )
            if not value
        ]
        if missing:
            typer.echo(f"configuration error: {' and '.join(missing)} must be set to post the digest", err=True)
            raise typer.Exit(2)
    lang = current.secretariat_language
    with Session(migrated_engine(), expire_on_commit=False) as session:
        built = build_digest(session, call_id, system_clock())
    if built is None:
        typer.echo(f"error: no call {call_id!r} (see `frist calls list`)", err=True)
        raise typer.Exit(1)
    main, thread = digest_texts(built, lang, "plain")
    typer.echo(main)
    if thread:
        typer.echo("\n--- thread ---\n")
        typer.echo(thread)
    if not post:
        return
    from bot.slack.digest_blocks import NotPosted, post_digest_to_channel  # only posting needs Slack

    assert current.secretariat_channel is not None
    try:
        ts = post_digest_to_channel(current, current.secretariat_channel, built, lang)
    except NotPosted as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"posted to {current.secretariat_channel} (ts {ts})", err=True)
