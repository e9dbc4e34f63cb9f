"""`frist reminders ...`: see what would go out before it does, word for word."""

from __future__ import annotations

from datetime import datetime

import typer
from sqlmodel import Session

from bot.database import migrated_engine
from bot.outbox_text import contact_text
from bot.settings import settings
from bot.slack.digest_blocks import digest_texts
from intake.digest import build_digest
from models import Call, Contact, Organisation, OutboxKind
from models.clock import OSLO, system_clock
from reminders.tick import Preview
from reminders.tick import preview as preview_at

reminders_app = typer.Typer(help="Reminders, deadline notices and digests.", no_args_is_help=True)
INDENT = "    "


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
    """List every message that would go out at that moment, with its text, without sending anything.

    A message to a contact is shown in the language form of the contact's organisation; a digest in
    the secretariat's (FRIST_SECRETARIAT_LANGUAGE).
    """
    moment = _moment(at)
    engine = migrated_engine()
    rows = preview_at(engine, moment)
    typer.echo(f"at {moment.astimezone(OSLO):%Y-%m-%d %H:%M} Europe/Oslo: {len(rows)} message(s)")
    with Session(engine) as session:
        for row in rows:
            head, text = _describe(session, row, moment)
            typer.echo(f"\n{head}")
            typer.echo("\n".join(f"{INDENT}{line}" if line else "" for line in text.splitlines()))


def _describe(session: Session, row: Preview, moment: datetime) -> tuple[str, str]:
    """The message's line (call, recipient, kind, slot, language, new or already queued) and its text."""
    intent = row.intent
    state = f"already {row.already}" if row.already else "new"
    slot = intent.data.get("slot", "")
    call = session.get(Call, intent.call_id)
    assert call is not None
    if intent.kind == OutboxKind.digest:
        lang = settings().secretariat_language
        built = build_digest(session, call.id, moment)
        text = digest_texts(built, lang, "plain")[0] if built is not None else ""
        return f"{intent.call_id}\tsecretariat\t-\t{intent.kind}\t{slot}\t{lang}\t{state}", text
    contact = session.get(Contact, intent.contact_id)
    org = session.get(Organisation, intent.org_id)
    assert contact is not None and org is not None
    message = contact_text(session, intent.kind, call, contact, org, moment, settings().secretariat_email)
    head = f"{intent.call_id}\t{org.name}\t{contact.email}\t{intent.kind}\t{slot}\t{message.lang}\t{state}"
    return head, message.text
