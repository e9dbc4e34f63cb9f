"""The buttons on a reminder: remind me tomorrow, and we will not apply this time."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.render import render
from bot.slack.blocks import text_message
from bot.slack.conversation import run_use_case, stranger_messages, turn_messages
from bot.slack.deps import Deps, action_key, channel_of
from bot.slack.identity import contact_for_user
from intake import usecases
from intake.usecases import Request, Turn
from models import Contact, Organisation
from reminders.preferences import snooze


def on_snooze_action(ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps) -> None:
    ack()
    delivery = action_key(body)
    user_id = body["user"]["id"]
    replies = deps.replies(user_id, channel_of(body), delivery, turn_messages)
    with deps.session() as session:
        contact = contact_for_user(session, client, user_id)
        if contact is None:
            replies.queue_alone(stranger_messages(deps), deps.now(), delivery)
            return
        until = snooze(session, contact, action["value"], deps.now())
        org = session.get(Organisation, contact.org_id)
        lang = org.language if org else "nb"
    # A snooze is the same whenever it is stored again, so the delivery is recorded with the reply.
    replies.queue_alone(text_message(render(lang, "snoozed", "mrkdwn", until=until)), deps.now(), delivery, contact.id)


def on_decline_action(ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Slack has already asked `are you sure?` (the button's confirm dialog)."""
    ack()
    delivery = action_key(body)
    channel = channel_of(body)

    def declining(session: Session, contact: Contact, call_id: str, request: Request) -> Turn:
        return usecases.decline(session, contact, call_id, deps.now(), request)

    run_use_case(client, deps, body["user"]["id"], channel, delivery, action["value"], declining)
