"""`frist reminders ...`: see what would go out before it does."""

from __future__ import annotations

from datetime import datetime

import typer
from sqlmodel import Session

from bot.database import migrated_engine
from models import Contact, Organisation
from models.clock import OSLO, system_clock
from reminders.tick import preview as preview_at

reminders_app = typer.Typer(help="Reminders, deadline notices and digests.", no_args_is_help=True)


def _moment(text: str | None) -> datetime:
    if text is None:
        return system_clock()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"expected a time like 2026-03-20T09:00 (Europe/Oslo), got {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=OSLO)


@reminders_app.command("preview")
def preview(
    at: str = typer.Option(None, "--at", help="When, e.g. 2026-03-20T09:00 (Europe/Oslo); default now."),
) -> None:
    """List every message that would go out at that moment, without sending anything."""
    moment = _moment(at)
    engine = migrated_engine()
    rows = preview_at(engine, moment)
    typer.echo(f"at {moment.astimezone(OSLO):%Y-%m-%d %H:%M} Europe/Oslo: {len(rows)} message(s)")
    with Session(engine) as session:
        for row in rows:
            intent = row.intent
            org = session.get(Organisation, intent.org_id) if intent.org_id else None
            contact = session.get(Contact, intent.contact_id) if intent.contact_id else None
            who = f"{org.name if org else 'secretariat'}\t{contact.email if contact else '-'}"
            state = f"already {row.already}" if row.already else "new"
            typer.echo(f"{intent.call_id}\t{who}\t{intent.kind}\t{intent.data.get('slot', '')}\t{state}")
