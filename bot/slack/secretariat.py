"""The secretariat's side: a notice per submission, a submission in a modal, `utlys` and `oversikt`."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.models.blocks import ActionsBlock, ButtonElement
from slack_sdk.models.views import View
from sqlmodel import Session

from bot.render import render
from bot.slack.blocks import Message, chunk, label, text_blocks, text_message
from bot.slack.deps import Deps, channel_of
from bot.slack.digest_blocks import digest_texts
from bot.slack.ids import Action
from bot.slack.ids import View as ViewId
from bot.slack.replies import SlackReplies
from intake import audit, directory
from intake.calls import form_of
from intake.overview import submission_view
from intake.values import sum_ref
from models import Call, Contact, Intent, OutboxKind
from reminders.announce import announce as queue_announcement
from reminders.digest import build_digest

log = logging.getLogger("frist.slack")
MODAL_BLOCK_LIMIT = 100


def _lang(deps: Deps) -> str:
    return deps.settings.secretariat_language


def notice_message(session: Session, submission_id: int, lang: str) -> list[Message]:
    """A short notice for the secretariat channel, with a button that opens the whole submission."""
    shown = submission_view(session, submission_id)
    assert shown is not None
    form = form_of(shown.call)
    submission = shown.submission
    amount = sum_ref(form, submission.answers, form.amount) if form.amount else None
    contact = session.get(Contact, submission.submitted_by) if submission.submitted_by else None
    text = render(
        lang,
        "secretariat_notice",
        "mrkdwn",
        org=shown.org,
        call=shown.call,
        contact=contact,
        submission=submission,
        amount=amount,
        frame=shown.frame,
    )
    button = ButtonElement(
        text=label(lang, "view_submission"), action_id=Action.view_submission, value=str(submission_id)
    )
    return chunk(text, [*text_blocks(text), ActionsBlock(elements=[button])])


def refuse(deps: Deps, user_id: str, what: str) -> str:
    """Refuse a secretariat-only action for someone else, and audit it. Returns the text for them."""
    with deps.session() as session:
        audit.record(session, f"slack:{user_id}", "refused", deps.now(), attempted=what)
    log.warning("refused %s for %s", what, user_id)
    return render(_lang(deps), "not_allowed", "mrkdwn", what=what)


def on_view_submission(ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps) -> None:
    ack()
    user_id = body["user"]["id"]
    channel = channel_of(body)
    if not deps.is_secretariat(user_id):
        text = refuse(deps, user_id, "view_submission")
        if channel:
            client.chat_postEphemeral(channel=channel, user=user_id, text=text)
        return
    with deps.session() as session:
        shown = submission_view(session, int(action["value"]))
    if shown is None:
        return
    lang = _lang(deps)
    text = render(lang, "submission_view", "mrkdwn", shown=shown, form=shown.review, reply=shown.review)
    blocks = text_blocks(text)[:MODAL_BLOCK_LIMIT]
    view = View(
        type="modal",
        callback_id=ViewId.submission,
        title=label(lang, "submission_title")[:24],
        close=label(lang, "close"),
        blocks=blocks,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def announce(deps: Deps, call_id: str, user_id: str) -> str:
    """Queue a DM about the call to every contact of every eligible org. Nobody is looked up here:
    the outbox finds each contact in Slack when it sends, paced, and the digest names those Slack
    has no user for."""
    with deps.session() as session:
        call = session.get(Call, call_id)
        if call is None:
            return render(_lang(deps), "unknown_call", "mrkdwn", call_id=call_id)
        contacts = [contact for _, contact in directory.contacts_of_call(session, call_id)]
        queued = queue_announcement(session, call, contacts, deps.now())
        audit.record(session, f"slack:{user_id}", "announce", deps.now(), call_id=call_id, queued=queued)
    already = len(contacts) - queued
    return render(_lang(deps), "announce_summary", "mrkdwn", call=call, queued=queued, already=already)


def post_overview(deps: Deps, call_id: str, replies: SlackReplies) -> None:
    """Queue the digest of a call for the secretariat channel now, and tell the one who asked; both
    go out at once through the outbox. Without a channel, the one who asked gets the digest."""
    lang = _lang(deps)
    now = deps.now()
    with deps.session() as session:
        digest = build_digest(session, call_id, now)
    if digest is None:
        replies.queue_alone(text_message(render(lang, "unknown_call", "mrkdwn", call_id=call_id)), now, None)
        return
    if not deps.settings.secretariat_channel:
        replies.queue_alone(text_message(digest_texts(digest, lang)[0]), now, None)
        return
    told = replies.of_messages(now, text_message(render(lang, "overview_posted", "mrkdwn", call_id=call_id)))
    asked = Intent(f"digest:{call_id}:asked:{replies.key}", OutboxKind.digest, call_id, now, None)
    deps.poster.queue([asked, told], now)
