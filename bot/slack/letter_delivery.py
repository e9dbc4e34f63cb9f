"""Sending a decision letter (an outbox row of kind `letter`): the PDF to every contact of the org,
each in their DM with a short summary (files_upload_v2), then a notice in the secretariat channel
with `Endre vedtak`, which opens the amendment of that decision.

The row's progress records, per contact, that the letter went out (or why it cannot: no Slack user,
or a Slack error that trying again cannot mend), and it is stored after every upload (`keep_progress`),
so a retry after a 429, a 5xx or a crash never sends a contact the same letter twice. (Slack has no
idempotency key for uploads: a process that dies between Slack completing an upload and the
progress being stored would still send that one contact the letter again.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ActionsBlock
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.letter_data import decision_letter_pdf, draft_letter_pdf
from bot.pdf.letter import letter_title
from bot.render import render
from bot.settings import Settings
from bot.slack.blocks import text_message
from bot.slack.client import post_in_order
from bot.slack.messages import amend_button
from intake.import_errors import NotFound
from models import Contact, OutboxMessage
from reminders.notifier import NO_USER
from reminders.outbox import keep_progress

log = logging.getLogger("frist.outbox")
SENT = "sent"


@dataclass(frozen=True)
class LetterPorts:
    """What the notifier lends: finding a contact's Slack user (paced), opening a DM (paced), and
    whether a Slack error code is final."""

    find_user: Callable[[Session, Contact], str | None]
    dm_channel: Callable[[str], str]
    permanent: Callable[[str | None], bool]


def send_letter(
    engine: Engine,
    client: WebClient,
    settings: Settings,
    message: OutboxMessage,
    sent: dict[str, Any],
    ports: LetterPorts,
) -> None:
    with Session(engine, expire_on_commit=False) as session:
        letter, pdf = decision_letter_pdf(session, int(message.data["decision_id"]), settings)
        contacts = session.exec(select(Contact).where(Contact.org_id == message.org_id).order_by(col(Contact.id))).all()
        done: dict[str, str] = sent.setdefault("contacts", {})
        summary = render(letter.lang, "letter_summary", "mrkdwn", letter=letter)
        filename = f"vedtak-{message.call_id}-{message.org_id}-v{letter.version}.pdf"
        for contact in contacts:
            key = str(contact.id)
            if key in done:
                continue
            try:
                user = ports.find_user(session, contact)
                if user is None:
                    done[key] = NO_USER
                    continue
                client.files_upload_v2(
                    channel=ports.dm_channel(user),
                    file=pdf,
                    filename=filename,
                    title=letter_title(letter),
                    initial_comment=summary,
                )
            except SlackApiError as error:
                code = error.response.get("error") if hasattr(error.response, "get") else None
                if not ports.permanent(code):
                    raise
                log.info("decision letter %s: contact %s cannot get it in Slack (%s)", message.key, contact.id, code)
                done[key] = str(code)
                keep_progress(engine, message, sent)
                continue
            done[key] = SENT
            keep_progress(engine, message, sent)
        reached = [contact.name for contact in contacts if done.get(str(contact.id)) == SENT]
        missed = [f"{contact.name} ({contact.email})" for contact in contacts if done.get(str(contact.id)) != SENT]
    channel = settings.secretariat_channel
    if not channel:
        log.info("decision letter %s sent; no secretariat channel for the notice", message.key)
        return
    lang = settings.secretariat_language
    notice = render(lang, "letter_notice", "mrkdwn", letter=letter, reached=reached, missed=missed)
    buttons = [ActionsBlock(elements=[amend_button(str(message.call_id), str(message.org_id), lang)])]
    post_in_order(client, channel, text_message(notice, buttons), sent.setdefault("notice", {}))


def send_draft_letter(
    engine: Engine, client: WebClient, settings: Settings, message: OutboxMessage, channel: str, now: datetime
) -> None:
    """The draft letter of an org's recommendation, as the recommendation stands when it is sent, to
    the DM of the one who asked; if the call was decided meanwhile, a word that there is none."""
    lang = settings.secretariat_language
    org_id = str(message.data["org"])
    with Session(engine, expire_on_commit=False) as session:
        try:
            letter, pdf = draft_letter_pdf(session, str(message.call_id), org_id, settings, now)
        except NotFound:
            text = render(lang, "letter_draft", "mrkdwn", letter=None, org_id=org_id)
            post_in_order(client, channel, text_message(text), {})
            return
    client.files_upload_v2(
        channel=channel,
        file=pdf,
        filename=f"utkast-{message.call_id}-{org_id}.pdf",
        title=letter_title(letter),
        initial_comment=render(lang, "letter_draft", "mrkdwn", letter=letter, org_id=org_id),
    )
