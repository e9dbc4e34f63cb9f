"""`Endre`: the edit modal with every answer pre-filled; errors shown under the right input."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk import WebClient

from bot.messages import refusal_to
from bot.render import render
from bot.slack.blocks import text_message
from bot.slack.conversation import deliver, stranger_messages, turn_messages
from bot.slack.deps import Deps, action_key, channel_of
from bot.slack.identity import contact_for_user
from bot.slack.modal import edit_modal, read_modal
from intake.edits import edit_answers, edit_form
from intake.replies import Notice
from intake.usecases import IntakeRefusal, Request


def on_edit_action(ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps) -> None:
    ack()
    delivery = action_key(body)
    call_id = json.loads(action["value"])["c"]
    user_id = body["user"]["id"]
    channel = channel_of(body)
    replies = deps.replies(user_id, channel, delivery, turn_messages)
    with deps.session() as session:
        contact = contact_for_user(session, client, user_id)
        if contact is None:
            replies.queue_alone(stranger_messages(deps), deps.now(), delivery)
            return
        try:
            form = edit_form(session, contact, call_id, deps.now())
        except IntakeRefusal as refusal:
            text = refusal_to(session, contact, refusal, "mrkdwn")
            replies.queue_alone(text_message(text), deps.now(), delivery, contact.id)
            return
    if not form.editable:
        text = render(form.lang, "notice", "mrkdwn", reply=Notice("not_editable"), form=form.form)
        replies.queue_alone(text_message(text), deps.now(), delivery, contact.id)
        return
    client.views_open(trigger_id=body["trigger_id"], view=edit_modal(form, call_id, channel))


def on_edit_submission(ack: Any, body: dict[str, Any], view: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Validate every input; on errors Slack keeps the modal open and shows each under its input."""
    meta, texts = read_modal(view)
    user_id = body["user"]["id"]
    replies = deps.replies(user_id, meta.get("ch"), action_key(body, "view"), turn_messages)
    with deps.session() as session:
        contact = contact_for_user(session, client, user_id)
        if contact is None:
            ack()
            return
        try:
            request = Request(None, None, replies)
            result = edit_answers(session, contact, meta["c"], texts, deps.now(), int(meta["v"]), request)
        except IntakeRefusal as refusal:  # the org left the call while the modal was open
            ack(response_action="errors", errors={next(iter(texts), ""): refusal_to(session, contact, refusal)[:2000]})
            return
    lang = result.lang
    if result.errors:
        errors = {}
        for field_id, reply in result.errors.items():
            block_ids = [b for b in texts if b == field_id or b.startswith(f"{field_id}#")]
            errors[block_ids[0] if block_ids else field_id] = render(lang, reply.template, reply=reply)[:2000]
        ack(response_action="errors", errors=errors)
        return
    if result.conflict:
        first = next(iter(texts), "")
        message = render(lang, "notice", reply=Notice("changed_in_modal", {"changes": result.conflict}))
        ack(response_action="errors", errors={first: message[:2000]})
        return
    ack()
    assert result.turn is not None
    deliver(replies, result.turn)
