"""A modal submitted: the edit modal's answers, validated input by input. On errors Slack keeps the
modal open and shows each message under its input."""

from __future__ import annotations

from typing import Any

from bot.messages import refusal_to
from bot.render import render
from bot.slack import limits
from bot.slack.deps import Deps, action_key
from bot.slack.messages import turn_messages
from bot.slack.modal import read_modal
from bot.slack.people import Who
from bot.slack.respond import deliver
from intake.edits import edit_answers
from intake.replies import Notice, NoticeKind
from intake.usecases import IntakeRefusal, Request


def on_edit_submission(ack: Any, body: dict[str, Any], view: dict[str, Any], who: Who, deps: Deps) -> None:
    meta, texts = read_modal(view)
    first_input = next(iter(texts), "")
    replies = deps.replies(who.user_id, meta.channel, action_key(body, "view"), turn_messages)
    contact = who.contact()
    if contact is None:
        ack()
        return
    with deps.session() as session:
        try:
            request = Request(None, None, replies)
            result = edit_answers(session, contact, meta.call_id, texts, deps.now(), meta.version, request)
        except IntakeRefusal as refusal:  # the org left the call while the modal was open
            message = limits.clip(refusal_to(session, contact, refusal), limits.INPUT_ERROR)
            ack(response_action="errors", errors={first_input: message})
            return
    if result.errors:
        errors = {}
        for field_id, reply in result.errors.items():
            block_ids = [b for b in texts if b == field_id or b.startswith(f"{field_id}#")]
            message = limits.clip(render(result.lang, reply.template, reply=reply), limits.INPUT_ERROR)
            errors[block_ids[0] if block_ids else field_id] = message
        ack(response_action="errors", errors=errors)
        return
    if result.conflict:
        message = render(result.lang, "notice", reply=Notice(NoticeKind.changed_in_modal, {"changes": result.conflict}))
        ack(response_action="errors", errors={first_input: limits.clip(message, limits.INPUT_ERROR)})
        return
    ack()
    assert result.turn is not None
    deliver(replies, result.turn)
