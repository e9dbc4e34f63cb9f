"""A contact's conversation in the DM: typed answers, clicked answers, starting a call, submitting."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.models.blocks import ActionsBlock
from sqlmodel import Session

from bot.messages import refusal_to, render_turn
from bot.render import render
from bot.slack.blocks import (
    Message,
    chunk,
    question_controls,
    read_block_id,
    review_controls,
    start_button,
    text_blocks,
    text_message,
)
from bot.slack.deps import Deps, action_key, channel_of, slack_time
from bot.slack.identity import contact_for_user
from bot.slack.replies import SlackReplies
from intake import directory, usecases
from intake.replies import Question, Review
from intake.usecases import IntakeRefusal, Request, Turn
from models import Contact, Organisation
from models.deliveries import AlreadyHandled

log = logging.getLogger("frist.slack")


def turn_messages(turn: Turn) -> list[Message]:
    texts = render_turn(turn, "mrkdwn")
    blocks: list[Any] = []
    for reply, text in zip(turn.replies, texts, strict=True):
        blocks += text_blocks(text)
        if isinstance(reply, Question):
            blocks += question_controls(reply, turn.call.id, turn.position, turn.lang)
        elif isinstance(reply, Review) and turn.submission.status in usecases.EDITABLE:
            blocks += review_controls(reply, turn.call.id, turn.submission.revision, turn.lang)
    return chunk("\n\n".join(texts), blocks)


def stranger_messages(deps: Deps) -> list[Message]:
    return text_message(render("nb", "stranger", "mrkdwn", contact_email=deps.settings.secretariat_email))


def calls_messages(deps: Deps, contact: Contact) -> list[Message]:
    """The org's open calls with a start button each: the answer when it is unclear which call is meant."""
    with deps.session() as session:
        org = session.get(Organisation, contact.org_id)
        assert org is not None
        calls = directory.org_calls(session, org, deps.now())
    text = render(org.language, "org_calls", "mrkdwn", org=org, calls=calls)
    buttons = [
        start_button(item.call.id, org.language, "start" if item.status == "not_started" else "resume")
        for item in calls
        if item.status != "submitted"
    ]
    return text_message(text, [ActionsBlock(elements=buttons[:25])] if buttons else [])


def deliver(replies: SlackReplies, turn: Turn) -> None:
    """The turn is stored, its reply with it: post the reply now."""
    replies.sent(turn.reply_id)


UseCase = Callable[[Session, Contact, str, Request], Turn | None]


def run_use_case(
    client: WebClient,
    deps: Deps,
    user_id: str,
    channel: str | None,
    delivery: str,
    call: str | None,
    use_case: UseCase,
    acted: datetime | None = None,
    claimed: bool = False,
) -> None:
    """Resolve the contact and the call, run one use case, post what it returned in the DM.

    The use case stores `delivery` (unless the caller has `claimed` it already) and its reply in
    the same commit as its changes, so a retried delivery finds it there and is dropped, and a
    reply is never lost to a crash; replies that change nothing are stored with the delivery too.
    """
    replies = deps.replies(user_id, channel, delivery, turn_messages)
    request = Request(None if claimed else delivery, acted, replies)

    def reply_alone(messages: list[Message], contact_id: int | None = None) -> None:
        if not replies.queue_alone(messages, deps.now(), None if claimed else delivery, contact_id):
            log.info("duplicate delivery %s ignored", delivery)

    try:
        with deps.session() as session:
            contact = contact_for_user(session, client, user_id)
            if contact is None:
                reply_alone(stranger_messages(deps))
                return
            call_id = call
            if call_id is None:
                active = directory.active_call(session, contact, deps.now())
                call_id = active.id if active else None
            if call_id is None:
                reply_alone(calls_messages(deps, contact), contact.id)
                return
            try:
                turn = use_case(session, contact, call_id, request)
            except IntakeRefusal as refusal:
                reply_alone(text_message(refusal_to(session, contact, refusal, "mrkdwn")), contact.id)
                return
    except AlreadyHandled:
        log.info("duplicate delivery %s ignored", delivery)
        return
    if turn is not None:
        deliver(replies, turn)


def opening(deps: Deps) -> UseCase:
    return lambda session, contact, call_id, request: usecases.open_submission(
        session, contact, call_id, deps.now(), request
    )


def answering(deps: Deps, text: str, position: str | None = None) -> UseCase:
    return lambda session, contact, call_id, request: usecases.answer(
        session, contact, call_id, text, deps.now(), position, request
    )


def on_message(body: dict[str, Any], event: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """A message in the DM with the bot: one answer, almost always to the draft the contact was in.
    Judged by when it was typed (the message's own ts), however late Slack delivers it."""
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
        run_use_case(client, deps, event["user"], event["channel"], delivery, None, answering(deps, text), acted)
    else:
        deliver(replies, turn)


def on_answer_action(ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """A button, select or date picker answering the question it was shown with."""
    ack()
    delivery = action_key(body)
    call_id, position = read_block_id(action["block_id"])
    if "selected_options" in action:
        text = ", ".join(option["value"] for option in action["selected_options"])
    elif "selected_option" in action:
        text = action["selected_option"]["value"]
    elif "selected_date" in action:
        text = action["selected_date"] or ""
    else:
        text = action.get("value", "")
    run_use_case(
        client,
        deps,
        body["user"]["id"],
        channel_of(body),
        delivery,
        call_id,
        answering(deps, text, position),
        slack_time(action.get("action_ts")),
    )


def on_start_action(ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Start or resume a call from an announcement, the App Home or a status list."""
    ack()
    delivery = action_key(body)
    channel = channel_of(body) if (body.get("container") or {}).get("type") == "message" else None
    if channel is not None and not channel.startswith("D"):
        channel = None  # a button in a channel: the conversation still belongs in the DM
    run_use_case(
        client,
        deps,
        body["user"]["id"],
        channel,
        delivery,
        action["value"],
        opening(deps),
        slack_time(action.get("action_ts")),
    )


def on_submit_action(ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """`Send inn`: a second click of the same button finds the submission already in and does nothing.
    In time if it was clicked before the deadline (the action's own timestamp)."""
    ack()
    delivery = action_key(body)
    value = json.loads(action["value"])
    revision = int(value["r"])

    def submitting(session: Session, contact: Contact, call_id: str, request: Request) -> Turn | None:
        return usecases.submit(session, contact, call_id, deps.now(), revision, request)

    acted = slack_time(action.get("action_ts"))
    run_use_case(client, deps, body["user"]["id"], channel_of(body), delivery, value["c"], submitting, acted)
