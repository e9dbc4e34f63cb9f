"""A message in the DM with the bot: one typed answer, almost always to the draft the contact was in."""

from __future__ import annotations

import logging
from typing import Any

from bot.slack.deps import Deps, slack_time
from bot.slack.messages import turn_messages
from bot.slack.people import Who
from bot.slack.respond import answering, deliver, run_use_case
from intake import usecases
from intake.usecases import IntakeRefusal, Request
from models.deliveries import AlreadyHandled

log = logging.getLogger("frist.slack")


def on_message(body: dict[str, Any], event: dict[str, Any], who: Who, deps: Deps) -> None:
    """Judged by when it was typed (the message's own ts), however late Slack delivers it.

    The fast path finds the contact and the draft in one query; only when that finds nothing (a
    first message, a new call) is the contact looked up the longer way."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    delivery = f"event:{body.get('event_id') or event.get('client_msg_id') or event.get('ts')}"
    text = event.get("text") or ""
    acted = slack_time(event.get("ts") or body.get("event_time"))
    replies = deps.replies(event["user"], event["channel"], delivery, turn_messages)
    try:
        with deps.session() as session:
            turn = usecases.answer_latest(session, event["user"], text, deps.now(), Request(delivery, acted, replies))
    except AlreadyHandled:
        log.info("duplicate delivery %s ignored", delivery)
        return
    except IntakeRefusal:
        turn = None  # the org left the call in between: the longer way below says so
    if turn is None:
        run_use_case(who, event["channel"], delivery, None, answering(deps, text), acted)
    else:
        deliver(replies, turn)
