"""`/frist`: help, søk, rapport and status for contacts; utlys, oversikt and eksport for the secretariat."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.render import render
from bot.slack import secretariat
from bot.slack.blocks import text_message
from bot.slack.conversation import calls_messages, opening, run_use_case, turn_messages
from bot.slack.deps import Deps
from bot.slack.export_upload import queue_export
from bot.slack.identity import contact_for_user
from intake import directory
from intake.text import normalise
from models import CallKind, Organisation

CONTACT_COMMANDS = {"søk": CallKind.application, "sok": CallKind.application, "rapport": CallKind.report}
SECRETARIAT_COMMANDS = ("utlys", "oversikt", "eksport")
HELP_WORDS = ("", "hjelp", "help")


def _ephemeral(ack: Any, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
    ack(response_type="ephemeral", text=text, blocks=blocks)


def on_command(ack: Any, body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    user_id = body["user_id"]
    word, _, argument = normalise(body.get("text") or "").strip().partition(" ")
    word, argument = word.casefold(), argument.strip()
    delivery = deps.first_time(body, "command")
    if delivery is None:
        ack()
        return
    if word in SECRETARIAT_COMMANDS:
        _secretariat_command(ack, client, deps, user_id, word, argument, delivery)
        return
    with deps.session() as session:
        contact = contact_for_user(session, client, user_id)
        if contact is None:
            _not_a_contact(ack, deps, user_id, word)
            return
        org = session.get(Organisation, contact.org_id)
        assert org is not None
        lang = org.language
        if word in CONTACT_COMMANDS:
            kind = CONTACT_COMMANDS[word]
            calls = [c for c in directory.org_calls(session, org, deps.now()) if c.call.kind == kind]
            call_id = argument or (calls[0].call.id if len(calls) == 1 else None)
    if word in HELP_WORDS:
        _ephemeral(ack, render(lang, "slash_help", "mrkdwn", secretariat=deps.is_secretariat(user_id)))
    elif word == "status":
        message = calls_messages(deps, contact)[0]
        _ephemeral(ack, message.text, message.blocks)
    elif word in CONTACT_COMMANDS:
        if call_id is None:
            message = calls_messages(deps, contact)[0]
            _ephemeral(ack, render(lang, "choose_call", "mrkdwn", count=len(calls)), message.blocks)
            return
        _ephemeral(ack, render(lang, "see_dm", "mrkdwn"))
        run_use_case(client, deps, user_id, None, delivery, call_id, opening(deps), claimed=True)
    else:
        _ephemeral(ack, render(lang, "slash_help", "mrkdwn", secretariat=deps.is_secretariat(user_id), unknown=word))


def _not_a_contact(ack: Any, deps: Deps, user_id: str, word: str) -> None:
    """A secretariat member who is no contact gets the secretariat's help, and is told that the
    contacts' commands are for contacts; anyone else is told whom to ask."""
    if not deps.is_secretariat(user_id):
        _ephemeral(ack, render("nb", "stranger", "mrkdwn", contact_email=deps.settings.secretariat_email))
        return
    lang = deps.settings.secretariat_language
    if word in CONTACT_COMMANDS or word == "status":
        _ephemeral(ack, render(lang, "contacts_only", "mrkdwn", word=word))
    else:
        unknown = "" if word in HELP_WORDS else word
        _ephemeral(ack, render(lang, "slash_help", "mrkdwn", secretariat=True, contact=False, unknown=unknown))


def _secretariat_command(
    ack: Any, client: WebClient, deps: Deps, user_id: str, word: str, call_id: str, delivery: str
) -> None:
    lang = deps.settings.secretariat_language
    if not deps.is_secretariat(user_id):
        _ephemeral(ack, secretariat.refuse(deps, user_id, f"/frist {word}"))
        return
    if not call_id:
        _ephemeral(ack, render(lang, "slash_help", "mrkdwn", secretariat=True, unknown=word))
        return
    _ephemeral(ack, render(lang, "working", "mrkdwn", word=word, call_id=call_id))
    replies = deps.replies(user_id, None, delivery, turn_messages)
    if word == "utlys":
        summary = secretariat.announce(deps, call_id, user_id)
        replies.queue_alone(text_message(summary), deps.now(), None)
    elif word == "eksport":
        queue_export(deps, call_id, replies)
    else:
        secretariat.post_overview(deps, call_id, replies)
