"""Buttons, selects and date pickers: answering, starting, submitting, editing; the reminder's
snooze and decline; the secretariat's button that opens a submission."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.messages import refusal_to
from bot.render import render
from bot.slack.assess_modal import assess_modal
from bot.slack.blocks import text_message
from bot.slack.deps import Deps, action_key, channel_of, slack_time
from bot.slack.ids import AssessRef, QuestionRef, ReviewRef
from bot.slack.messages import turn_messages
from bot.slack.modal import edit_modal
from bot.slack.people import Who
from bot.slack.respond import answering, opening, reply_alone, run_confirmed, run_use_case
from bot.slack.views import submission_modal
from intake import usecases
from intake.actors import Actor, Refused
from intake.assess_form import assessment_form, readable_submission
from intake.decide import NotReady, decide
from intake.edits import edit_form
from intake.import_errors import NotFound
from intake.replies import Notice, NoticeKind
from intake.usecases import IntakeRefusal, Request, Turn
from models import Contact, Organisation, Submission
from reminders.preferences import snooze


def _answer_text(action: dict[str, Any]) -> str:
    """What the click means, as the text the contact could have typed."""
    if "selected_options" in action:
        return ", ".join(option["value"] for option in action["selected_options"])
    if "selected_option" in action:
        return str(action["selected_option"]["value"])
    if "selected_date" in action:
        return action["selected_date"] or ""
    return str(action.get("value", ""))


def on_answer_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    """A button, select or date picker answering the question it was shown with."""
    ack()
    question = QuestionRef.decode(action["block_id"])
    use_case = answering(deps, _answer_text(action), question.position)
    acted = slack_time(action.get("action_ts"))
    run_use_case(who, channel_of(body), action_key(body), question.call_id, use_case, acted)


def on_start_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    """Start or resume a call from an announcement, the App Home or a status list."""
    ack()
    channel = channel_of(body) if (body.get("container") or {}).get("type") == "message" else None
    if channel is not None and not channel.startswith("D"):
        channel = None  # a button in a channel: the conversation still belongs in the DM
    acted = slack_time(action.get("action_ts"))
    run_use_case(who, channel, action_key(body), action["value"], opening(deps), acted)


def on_submit_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    """`Send inn`: a second click of the same button finds the submission already in and does nothing.
    In time if it was clicked before the deadline (the action's own timestamp)."""
    ack()
    review = ReviewRef.decode(action["value"])

    def submitting(session: Session, contact: Contact, call_id: str, request: Request) -> Turn | None:
        return usecases.submit(session, contact, call_id, deps.now(), review.revision, request)

    acted = slack_time(action.get("action_ts"))
    run_use_case(who, channel_of(body), action_key(body), review.call_id, submitting, acted)


def on_edit_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    """`Endre`: the edit modal with every answer pre-filled."""
    ack()
    delivery, channel = action_key(body), channel_of(body)
    call_id = ReviewRef.decode(action["value"]).call_id
    replies = deps.replies(who.user_id, channel, delivery, turn_messages)
    contact = who.contact()
    if contact is None:
        reply_alone(replies, deps, who.stranger(), delivery)
        return
    with deps.session() as session:
        try:
            form = edit_form(session, contact, call_id, deps.now())
        except IntakeRefusal as refusal:
            reply_alone(
                replies, deps, text_message(refusal_to(session, contact, refusal, "mrkdwn")), delivery, contact.id
            )
            return
    if not form.editable:
        text = render(form.lang, "notice", "mrkdwn", reply=Notice(NoticeKind.not_editable), form=form.form)
        reply_alone(replies, deps, text_message(text), delivery, contact.id)
        return
    who.client.views_open(trigger_id=body["trigger_id"], view=edit_modal(form, call_id, channel))


def on_snooze_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    """A reminder's `remind me tomorrow`. A snooze is the same whenever it is stored again, so the
    delivery is recorded with the reply rather than with the snooze."""
    ack()
    delivery = action_key(body)
    replies = deps.replies(who.user_id, channel_of(body), delivery, turn_messages)
    contact = who.contact()
    if contact is None:
        reply_alone(replies, deps, who.stranger(), delivery)
        return
    with deps.session() as session:
        until = snooze(session, contact, action["value"], deps.now())
        org = session.get(Organisation, contact.org_id)
        lang = org.language if org else "nb"
    reply_alone(replies, deps, text_message(render(lang, "snoozed", "mrkdwn", until=until)), delivery, contact.id)


def on_decline_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    """A reminder's `we will not apply this time`; Slack has already asked `are you sure?`."""
    ack()

    def declining(session: Session, contact: Contact, call_id: str, request: Request) -> Turn:
        return usecases.decline(session, contact, call_id, deps.now(), request)

    run_use_case(who, channel_of(body), action_key(body), action["value"], declining)


def _not_assessor(session: Session, lang: str, submission_id: int, refused: Refused) -> str:
    """What someone refused a submission's assessment (or reading) is told."""
    submission = session.get(Submission, submission_id)
    org = session.get(Organisation, submission.org_id) if submission else None
    name = org.name if org else str(submission_id)
    return render(lang, "assess_result", "mrkdwn", result="refused", reason=refused.reason.value, org=name)


def on_view_submission(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    """`Vis innsending` on a submission notice or in the assessment modal: the whole submission in a
    modal (pushed on top of the assessment), for the secretariat and the org's assessors."""
    ack()
    actor = Actor(who.user_id, secretariat=who.is_secretariat)
    lang = deps.settings.secretariat_language
    with deps.session() as session:
        try:
            shown = readable_submission(session, actor, int(action["value"]), deps.now())
        except Refused as refused:  # audited by the use case
            text = _not_assessor(session, lang, int(action["value"]), refused)
            channel = channel_of(body)
            if channel:
                who.client.chat_postEphemeral(channel=channel, user=who.user_id, text=text)
            return
        except NotFound:
            return
    view = submission_modal(shown, lang)
    if (body.get("container") or {}).get("type") == "view":
        who.client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        who.client.views_open(trigger_id=body["trigger_id"], view=view)


def on_decide_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    """`Fatt vedtak`, confirmed in Slack's dialog: the recommendations become decisions and the
    letters are queued (intake.decide), or the secretariat is told why not."""
    ack()

    def deciding(session: Session, actor: Actor, call_id: str) -> dict[str, Any]:
        try:
            return {"decided": decide(session, actor, call_id, deps.now())}
        except NotReady as not_ready:
            return {"not_ready": not_ready}

    run_confirmed(body, action, who, deps, "decide_result", deciding)


def on_assess_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    """`Vurder` on a submission notice or in App Home (a button's value, or the org chosen in a
    select): the criteria in a modal, for someone who may assess the org."""
    ack()
    lang = deps.settings.secretariat_language
    actor = Actor(who.user_id, secretariat=who.is_secretariat)
    submission_id = int((action.get("selected_option") or {}).get("value") or action["value"])
    with deps.session() as session:
        try:
            form = assessment_form(session, actor, submission_id, deps.now())
        except Refused as refused:
            text = _not_assessor(session, lang, submission_id, refused)
            channel = channel_of(body)
            if channel:
                who.client.chat_postEphemeral(channel=channel, user=who.user_id, text=text)
            return
    heading = f"*{form.org.name}* – {form.call.title.get(lang) or form.call.id}"
    view = assess_modal(form.criteria, AssessRef(form.submission_id), form.marks, form.comment, heading, lang)
    who.client.views_open(trigger_id=body["trigger_id"], view=view)
