"""Running one use case for a Slack request and posting what it returned: the toolkit's other half.

A use case stores the request's delivery id and its reply in the commit that stores its changes
(intake.requests), so a retried delivery finds it there and is dropped, and a reply is never lost
to a crash. Replies that change nothing (a stranger, a refusal, the list of calls) are stored with
the delivery too. After the commit the reply is posted at once by the Poster.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.digest_text import digest_texts
from bot.messages import refusal_to
from bot.render import render
from bot.slack.blocks import Message, text_message
from bot.slack.deps import Deps, channel_of
from bot.slack.messages import calls_messages, turn_messages
from bot.slack.people import Who
from bot.slack.replies import SlackReplies
from intake import audit, directory, usecases
from intake.actors import Actor, Refused
from intake.digest import build_digest
from intake.import_errors import NotFound
from intake.usecases import IntakeRefusal, Request, Turn
from models import Call, Contact, Intent, Organisation, OutboxKind
from models.deliveries import AlreadyHandled

log = logging.getLogger("frist.slack")
UseCase = Callable[[Session, Contact, str, Request], Turn | None]


def deliver(replies: SlackReplies, turn: Turn) -> None:
    """The turn is stored, its reply with it: post the reply now."""
    replies.sent(turn.reply_id)


def reply_alone(
    replies: SlackReplies, deps: Deps, messages: list[Message], delivery: str | None, contact_id: int | None = None
) -> None:
    """Store a reply that changes nothing else, with `delivery` unless it is None, and post it."""
    if not replies.queue_alone(messages, deps.now(), delivery, contact_id):
        log.info("duplicate delivery %s ignored", replies.key)


def org_calls_messages(deps: Deps, contact: Contact) -> list[Message]:
    """The contact's org's open calls, each with its start button."""
    with deps.session() as session:
        org = session.get(Organisation, contact.org_id)
        assert org is not None
        calls = directory.org_calls(session, org, deps.now())
    return calls_messages(org, calls)


def run_use_case(
    who: Who,
    channel: str | None,
    delivery: str,
    call: str | None,
    use_case: UseCase,
    acted: datetime | None = None,
    claimed: bool = False,
) -> None:
    """Resolve the contact and the call, run one use case, post what it returned in the DM.

    The use case stores `delivery` (unless the caller has `claimed` it already) with its reply.
    Without a call named, the one the contact was last in is meant; if that is unclear, the
    contact gets the list of their open calls.
    """
    deps = who.deps
    replies = deps.replies(who.user_id, channel, delivery, turn_messages)
    stored_delivery = None if claimed else delivery
    contact = who.contact()
    if contact is None:
        reply_alone(replies, deps, who.stranger(), stored_delivery)
        return
    try:
        with deps.session() as session:
            call_id = call
            if call_id is None:
                active = directory.active_call(session, contact, deps.now())
                call_id = active.id if active else None
            if call_id is None:
                reply_alone(replies, deps, org_calls_messages(deps, contact), stored_delivery, contact.id)
                return
            try:
                turn = use_case(session, contact, call_id, Request(stored_delivery, acted, replies))
            except IntakeRefusal as refusal:
                text = refusal_to(session, contact, refusal, "mrkdwn")
                reply_alone(replies, deps, text_message(text), stored_delivery, contact.id)
                return
    except AlreadyHandled:
        log.info("duplicate delivery %s ignored", delivery)
        return
    if turn is not None:
        deliver(replies, turn)


def opening(deps: Deps) -> UseCase:
    """Start or resume the call's draft."""
    return lambda session, contact, call_id, request: usecases.open_submission(
        session, contact, call_id, deps.now(), request
    )


def answering(deps: Deps, text: str, position: str | None = None) -> UseCase:
    """Answer the current question (or the one at `position`, for a click on its control)."""
    return lambda session, contact, call_id, request: usecases.answer(
        session, contact, call_id, text, deps.now(), position, request
    )


def refuse(deps: Deps, user_id: str, what: str) -> str:
    """Refuse a secretariat-only action for someone else, and audit it. Returns the text for them."""
    with deps.session() as session:
        audit.refused(session, f"slack:{user_id}", what, deps.now())
    log.warning("refused %s for %s", what, user_id)
    return render(deps.settings.secretariat_language, "not_allowed", "mrkdwn", what=what)


def queue_secretariat_work(deps: Deps, call_id: str, replies: SlackReplies, kind: OutboxKind, **detail: str) -> bool:
    """Queue slow work for the secretariat (an export, the recommendation, a draft letter) as an
    outbox row of `kind` with `detail` in its data, claimed by this process and sent at once, to the
    secretariat channel or else the asker's DM. False, with the asker told, when there is no such call."""
    now = deps.now()
    with deps.session() as session:
        known = session.get(Call, call_id) is not None
    if not known:
        text = render(deps.settings.secretariat_language, "unknown_call", "mrkdwn", call_id=call_id)
        reply_alone(replies, deps, text_message(text), None)
        return False
    data = {"channel": deps.settings.secretariat_channel, "user": replies.user, **detail}
    deps.poster.queue([Intent(f"{kind}:{call_id}:{replies.key}", kind, call_id, now, None, data=data)], now)
    return True


def queue_overview(deps: Deps, call_id: str, replies: SlackReplies) -> None:
    """Queue the digest of a call for the secretariat channel now, and tell the one who asked; both
    go out at once through the outbox. Without a channel, the one who asked gets the digest."""
    lang = deps.settings.secretariat_language
    now = deps.now()
    with deps.session() as session:
        digest = build_digest(session, call_id, now)
    if digest is None:
        reply_alone(replies, deps, text_message(render(lang, "unknown_call", "mrkdwn", call_id=call_id)), None)
        return
    if not deps.settings.secretariat_channel:
        reply_alone(replies, deps, text_message(digest_texts(digest, lang)[0]), None)
        return
    told = replies.of_messages(now, text_message(render(lang, "overview_posted", "mrkdwn", call_id=call_id)))
    asked = Intent(f"digest:{call_id}:asked:{replies.key}", OutboxKind.digest, call_id, now, None)
    deps.poster.queue([asked, told], now)


def run_confirmed(
    body: dict[str, Any],
    action: dict[str, Any],
    who: Who,
    deps: Deps,
    template: str,
    work: Callable[[Session, Actor, str], dict[str, Any]],
) -> None:
    """A secretariat's button that Slack has confirmed, whose value is a call id: `work` once per
    interaction (a retry is dropped), then what it returned, or its refusal, rendered with
    `template` (context `call_id`, and what `work` returned or `refused`) to the one who clicked."""
    delivery = deps.first_time(body)
    if delivery is None:
        return
    call_id, lang = str(action["value"]), deps.settings.secretariat_language
    actor = Actor(who.user_id, secretariat=who.is_secretariat)
    context: dict[str, Any] = {"call_id": call_id}
    with deps.session() as session:
        try:
            context |= work(session, actor, call_id)
        except Refused as refused:
            context["refused"] = refused.reason.value
        except NotFound:
            template = "unknown_call"
    replies = deps.replies(who.user_id, channel_of(body), delivery, turn_messages)
    reply_alone(replies, deps, text_message(render(lang, template, "mrkdwn", **context)), None)
