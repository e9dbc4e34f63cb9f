"""The buttons on a reminder: remind me tomorrow, and we will not apply this time."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.render import render
from bot.slack.conversation import run_use_case, stranger_messages, text_message
from bot.slack.deps import Deps, action_key, channel_of, dm_channel, post
from bot.slack.identity import contact_for_user
from intake import usecases
from intake.usecases import Turn
from models import Contact, Organisation
from reminders.preferences import snooze


def on_snooze_action(ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps) -> None:
    ack()
    delivery = deps.first_time(body)
    if delivery is None:
        return
    user_id = body["user"]["id"]
    channel = channel_of(body) or dm_channel(client, user_id)
    with deps.session() as session:
        contact = contact_for_user(session, client, user_id)
        if contact is None:
            post(client, channel, stranger_messages(deps), delivery)
            return
        until = snooze(session, contact, action["value"], deps.now())
        org = session.get(Organisation, contact.org_id)
        lang = org.language if org else "nb"
    post(client, channel, text_message(render(lang, "snoozed", "mrkdwn", until=until)), delivery)


def on_decline_action(ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Slack has already asked `are you sure?` (the button's confirm dialog)."""
    ack()
    delivery = action_key(body)
    channel = channel_of(body)

    def declining(session: Session, contact: Contact, call_id: str, request: str | None) -> Turn:
        return usecases.decline(session, contact, call_id, deps.now(), request)

    run_use_case(client, deps, body["user"]["id"], channel, delivery, action["value"], declining)
