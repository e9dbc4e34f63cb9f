"""A modal submitted: the edit modal's answers, validated input by input, and an assessment page by
page. On errors Slack keeps the modal open and shows each message under its input."""

from __future__ import annotations

from typing import Any

from bot.messages import refusal_to
from bot.render import render
from bot.slack import limits
from bot.slack.assess_modal import assess_modal, pages, read_assessment
from bot.slack.blocks import text_message
from bot.slack.deps import Deps, action_key
from bot.slack.ids import AssessRef
from bot.slack.messages import turn_messages
from bot.slack.modal import read_modal
from bot.slack.people import Who
from bot.slack.respond import deliver, reply_alone
from intake.actors import Actor, Refused
from intake.assess import Marked, assess, declare_disqualified
from intake.assess_form import assessment_form
from intake.edits import edit_answers
from intake.import_errors import DataImportError
from intake.replies import Notice, NoticeKind
from intake.usecases import IntakeRefusal, Request
from models import Mark


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


def on_assess_submission(ack: Any, body: dict[str, Any], view: dict[str, Any], who: Who, deps: Deps) -> None:
    """One page of an assessment: stored at once (merged with what this assessor stored before), then
    the next page, or a word in the DM that it is saved. Ticking `inhabil` declares it instead."""
    ref, found, overall, disqualified = read_assessment(view)
    lang, now = deps.settings.secretariat_language, deps.now()
    actor = Actor(who.user_id, secretariat=who.is_secretariat)
    missing = [criterion for criterion, (mark, comment) in found.items() if comment.strip() and not mark]
    if missing:
        message = render(lang, "assess_result", "mrkdwn", result="missing_mark", org="")
        ack(response_action="errors", errors={f"mark:{criterion}": message for criterion in missing})
        return
    with deps.session() as session:
        try:
            form = assessment_form(session, actor, ref.submission_id, now)
            if disqualified:
                declare_disqualified(session, actor, form.call.id, form.org.id, "", now)
                result = "disqualified"
            else:
                marks = {k: Marked(Mark(v["mark"]), v.get("comment") or "") for k, v in form.marks.items()}
                marks |= {k: Marked(Mark(mark), comment) for k, (mark, comment) in found.items() if mark}
                comment = form.comment if overall is None else overall
                saved = assess(session, actor, form.call.id, form.org.id, marks, comment, now)
                result = "saved"
        except Refused as refused:
            text = render(lang, "assess_result", "mrkdwn", result="refused", reason=refused.reason.value, org="")
            ack(response_action="errors", errors={next(iter(view["state"]["values"]), ""): text})
            return
        except DataImportError:  # reopened, or the call's criteria changed, while the modal was open
            text = render(lang, "assess_result", "mrkdwn", result="changed", org="")
            ack(response_action="errors", errors={next(iter(view["state"]["values"]), ""): text})
            return
    if result == "saved" and ref.page + 1 < pages(form.criteria):
        heading = f"*{form.org.name}* – {form.call.title.get(lang) or form.call.id}"
        page = AssessRef(ref.submission_id, ref.page + 1)
        ack(response_action="push", view=assess_modal(form.criteria, page, saved.marks, saved.comment, heading, lang))
        return
    ack(response_action="clear")
    text = render(lang, "assess_result", "mrkdwn", result=result, org=form.org.name)
    replies = deps.replies(who.user_id, None, action_key(body, "view"), turn_messages)
    reply_alone(replies, deps, text_message(text), None)
