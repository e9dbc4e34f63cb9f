"""`/frist`: help, søk, rapport and status for contacts; utlys, oversikt, eksport, innstilling and
vedtak for the secretariat.

Every answer is ephemeral and comes with the acknowledgement; what takes longer (the first
question, the digest, the announcement's summary) follows through the outbox.
"""

from __future__ import annotations

from typing import Any

from bot.render import render
from bot.slack.blocks import text_message
from bot.slack.deps import Deps
from bot.slack.export_upload import queue_export
from bot.slack.messages import calls_messages, decide_prompt, turn_messages
from bot.slack.people import Who
from bot.slack.recommendation_post import queue_recommendation
from bot.slack.respond import opening, queue_overview, refuse, reply_alone, run_use_case
from intake import directory
from intake.announce import announce_call
from intake.recommendation_table import recommendation_table
from intake.text import normalise
from models import Call, CallKind, Organisation

CONTACT_COMMANDS = {"søk": CallKind.application, "sok": CallKind.application, "rapport": CallKind.report}
SECRETARIAT_COMMANDS = ("utlys", "oversikt", "eksport", "innstilling", "vedtak")
HELP_WORDS = ("", "hjelp", "help")


def _ephemeral(ack: Any, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
    ack(response_type="ephemeral", text=text, blocks=blocks)


def on_command(ack: Any, body: dict[str, Any], who: Who, deps: Deps) -> None:
    word, _, argument = normalise(body.get("text") or "").strip().partition(" ")
    word, argument = word.casefold(), argument.strip()
    delivery = deps.first_time(body, "command")
    if delivery is None:
        ack()
        return
    if word in SECRETARIAT_COMMANDS:
        _secretariat_command(ack, who, deps, word, argument, delivery)
        return
    contact = who.contact()
    if contact is None:
        _not_a_contact(ack, who, deps, word)
        return
    with deps.session() as session:
        org = session.get(Organisation, contact.org_id)
        assert org is not None
        calls = directory.org_calls(session, org, deps.now()) if word == "status" or word in CONTACT_COMMANDS else []
    picked = directory.pick_call(calls, CONTACT_COMMANDS[word], argument) if word in CONTACT_COMMANDS else None
    lang = org.language
    if word in HELP_WORDS:
        _ephemeral(ack, render(lang, "slash_help", "mrkdwn", secretariat=who.is_secretariat))
    elif word == "status":
        message = calls_messages(org, calls)[0]
        _ephemeral(ack, message.text, message.blocks)
    elif picked is not None and picked.call_id is None:
        blocks = calls_messages(org, calls)[0].blocks
        _ephemeral(ack, render(lang, "choose_call", "mrkdwn", count=len(picked.calls)), blocks)
    elif picked is not None:
        _ephemeral(ack, render(lang, "see_dm", "mrkdwn"))
        run_use_case(who, None, delivery, picked.call_id, opening(deps), claimed=True)
    else:
        _ephemeral(ack, render(lang, "slash_help", "mrkdwn", secretariat=who.is_secretariat, unknown=word))


def _not_a_contact(ack: Any, who: Who, deps: Deps, word: str) -> None:
    """A secretariat member who is no contact gets the secretariat's help, and is told that the
    contacts' commands are for contacts; anyone else is told whom to ask."""
    if not who.is_secretariat:
        _ephemeral(ack, who.stranger()[0].text)
        return
    lang = deps.settings.secretariat_language
    if word in CONTACT_COMMANDS or word == "status":
        _ephemeral(ack, render(lang, "contacts_only", "mrkdwn", word=word))
    else:
        unknown = "" if word in HELP_WORDS else word
        _ephemeral(ack, render(lang, "slash_help", "mrkdwn", secretariat=True, contact=False, unknown=unknown))


def _secretariat_command(ack: Any, who: Who, deps: Deps, word: str, call_id: str, delivery: str) -> None:
    lang = deps.settings.secretariat_language
    if not who.is_secretariat:
        _ephemeral(ack, refuse(deps, who.user_id, f"/frist {word}"))
        return
    if not call_id:
        _ephemeral(ack, render(lang, "slash_help", "mrkdwn", secretariat=True, unknown=word))
        return
    if word == "vedtak":
        _decision_prompt(ack, deps, call_id)
        return
    _ephemeral(ack, render(lang, "working", "mrkdwn", word=word, call_id=call_id))
    replies = deps.replies(who.user_id, None, delivery, turn_messages)
    if word == "utlys":
        with deps.session() as session:
            announced = announce_call(session, call_id, f"slack:{who.user_id}", deps.now())
        if announced is None:
            summary = render(lang, "unknown_call", "mrkdwn", call_id=call_id)
        else:
            summary = render(
                lang,
                "announce_summary",
                "mrkdwn",
                call=announced.call,
                queued=announced.queued,
                already=announced.already,
            )
        reply_alone(replies, deps, text_message(summary), None)
    elif word == "eksport":
        queue_export(deps, call_id, replies)
    elif word == "innstilling":
        queue_recommendation(deps, call_id, replies)
    else:
        queue_overview(deps, call_id, replies)


def _decision_prompt(ack: Any, deps: Deps, call_id: str) -> None:
    """`/frist vedtak ID`: the totals and a button that asks once more before it decides."""
    lang = deps.settings.secretariat_language
    with deps.session() as session:
        if session.get(Call, call_id) is None:
            _ephemeral(ack, render(lang, "unknown_call", "mrkdwn", call_id=call_id))
            return
        table = recommendation_table(session, call_id)
    if table.decided:
        _ephemeral(ack, render(lang, "decide_result", "mrkdwn", refused="already_decided", call_id=call_id))
        return
    message = decide_prompt(render(lang, "decide_confirm", "mrkdwn", table=table), call_id, lang)
    _ephemeral(ack, message.text, message.blocks)
