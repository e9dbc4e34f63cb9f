"""Sending outbox rows to Slack: announcements, reminders and deadline notices in the org's
language form, digests to the secretariat channel, decision letters (bot/slack/letter_delivery.py);
and, with no Slack in it, the archive copy of each sending-in (bot/archive_copies.py).
Implements reminders.notifier.Notifier.

Finding a contact's Slack user by e-mail and opening the DM are Tier 3 methods (about 50 calls a
minute each, against a few hundred for chat.postMessage): each is paced on its own, here, and a
429, a 5xx or a timeout from them is as temporary as from a post. Only Slack's "no such user" is
final (NO_USER), and the digest names those contacts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from sqlalchemy import Engine
from sqlmodel import Session

from bot.archive_copies import make_archive_copy
from bot.outbox_text import contact_text
from bot.settings import Settings
from bot.slack.blocks import Message
from bot.slack.client import post_in_order
from bot.slack.deps import dm_channel
from bot.slack.export_upload import upload_export
from bot.slack.identity import user_for_contact
from bot.slack.letter_delivery import LetterPorts, send_draft_letter, send_letter
from bot.slack.messages import contact_message, notice_message
from bot.slack.recommendation_post import post_recommendation
from intake.calls import form_of
from intake.overview import submission_view
from intake.values import sum_ref
from models import Call, Contact, Organisation, OutboxKind, OutboxMessage
from models.clock import Clock
from reminders.notifier import NO_USER, Delivery
from reminders.rate import RateLimiter

log = logging.getLogger("frist.outbox")
T = TypeVar("T")
LOOKUP, OPEN = "users.lookupByEmail", "conversations.open"
TIER_3 = (LOOKUP, OPEN)
# Errors where trying again cannot help: the person or channel is gone, or the bot may not post there.
PERMANENT = {
    "user_not_found",
    "users_not_found",
    "channel_not_found",
    "account_inactive",
    "cannot_dm_bot",
    "not_in_channel",
    "is_archived",
    "user_disabled",
    "invalid_auth",
    NO_USER,
}


class SlackNotifier:
    def __init__(
        self,
        engine: Engine,
        client: WebClient,
        settings: Settings,
        clock: Clock,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.engine, self.client, self.settings, self.clock = engine, client, settings, clock
        # The bot's DM channel with a user never changes: asked once per user and process, which
        # spares conversations.open on every reminder. A user found by e-mail is stored on the contact.
        self._dm_channels: dict[str, str] = {}
        # One limiter per Tier 3 method, each with a single "channel": the method itself.
        pace = settings.rate_lookups_per_minute
        self._tier_3 = {method: RateLimiter(pace, pace / 60, monotonic, sleep) for method in TIER_3}

    def deliver(self, message: OutboxMessage) -> Delivery:
        sent: dict[str, Any] = dict(message.data.get("progress") or {})  # what an earlier attempt posted
        try:
            if message.kind == OutboxKind.digest:
                self._digest(message, sent)
            elif message.kind == OutboxKind.notice:
                self._notice(message, sent)
            elif message.kind == OutboxKind.reply:
                self._reply(message, sent)
            elif message.kind == OutboxKind.export:
                self._export(message)
            elif message.kind == OutboxKind.recommendation:
                channel = self.settings.secretariat_channel or self._dm_channel(str(message.data["user"]))
                post_recommendation(
                    self.engine, self.client, self.settings.secretariat_language, message, channel, sent
                )
            elif message.kind == OutboxKind.draft_letter:  # a draft is the asker's alone: to their DM
                channel = self._dm_channel(str(message.data["user"]))
                send_draft_letter(self.engine, self.client, self.settings, message, channel, self.clock())
            elif message.kind == OutboxKind.archive:  # no Slack in it: the PDF is stored for the archive
                make_archive_copy(self.engine, message, self.clock)
            elif message.kind == OutboxKind.letter:
                ports = LetterPorts(self._user_of, self._dm_channel, lambda code: code in PERMANENT)
                send_letter(self.engine, self.client, self.settings, message, sent, ports)
            else:
                self._to_contact(message, sent)
        except SlackApiError as error:
            return _outcome(error, sent)
        except OSError as error:
            return Delivery(ok=False, error=f"connection: {error}", progress=sent or None)
        except SlackRequestError as error:  # e.g. an upload URL that did not answer 200
            return Delivery(ok=False, error=f"request: {error}"[:300], progress=sent or None)
        except Exception as error:  # a bug, or a reply Slack's client could not read: keep what went out
            log.exception("delivering %s failed", message.key)
            return Delivery(ok=False, error=f"internal error: {error!r}", progress=sent or None)
        return Delivery(ok=True)

    def _to_contact(self, message: OutboxMessage, sent: dict[str, Any]) -> None:
        with Session(self.engine, expire_on_commit=False) as session:
            contact = session.get(Contact, message.contact_id)
            call = session.get(Call, message.call_id)
            assert contact is not None and call is not None
            org = session.get(Organisation, contact.org_id)
            assert org is not None
            user = self._user_of(session, contact)
            if user is None:
                raise SlackApiError("no Slack user", {"ok": False, "error": NO_USER})
            written = contact_text(
                session, message.kind, call, contact, org, self.clock(), self.settings.secretariat_email, "mrkdwn"
            )
        messages = contact_message(message.kind, call, written.lang, written.status, written.text)
        post_in_order(self.client, self._dm_channel(user), messages, sent)

    def _reply(self, message: OutboxMessage, sent: dict[str, Any]) -> None:
        """A reply as it was rendered when its answer was stored."""
        data = message.data
        channel = data.get("channel") or self._dm_channel(str(data["user"]))
        post_in_order(self.client, channel, [Message(m["text"], m["blocks"]) for m in data["messages"]], sent)

    def _export(self, message: OutboxMessage) -> None:
        """To the secretariat channel; without one, to the DM of the one who asked."""
        channel = self.settings.secretariat_channel or self._dm_channel(str(message.data["user"]))
        upload_export(self.engine, self.client, self.clock, self.settings.secretariat_language, message, channel)

    def _user_of(self, session: Session, contact: Contact) -> str | None:
        return contact.slack_user_id or self._paced(LOOKUP, lambda: user_for_contact(session, self.client, contact))

    def _dm_channel(self, user: str) -> str:
        channel = self._dm_channels.get(user)
        if channel is None:
            channel = self._dm_channels[user] = self._paced(OPEN, lambda: dm_channel(self.client, user))
        return channel

    def _paced(self, method: str, call: Callable[[], T]) -> T:
        """Make a Tier 3 call in its turn; its 429 holds back the next calls to it for Retry-After."""
        limiter = self._tier_3[method]
        limiter.wait(method)
        try:
            return call()
        except SlackApiError as error:
            wait = retry_after(error)
            if wait is not None:
                limiter.pause(wait)
            raise

    def _notice(self, message: OutboxMessage, sent: dict[str, Any]) -> None:
        channel = self._channel()
        with Session(self.engine, expire_on_commit=False) as session:
            shown = submission_view(session, int(message.data["submission_id"]))
            assert shown is not None
            submission, form = shown.submission, form_of(shown.call)
            contact = session.get(Contact, submission.submitted_by) if submission.submitted_by else None
        amount = sum_ref(form, submission.answers, form.amount) if form.amount else None
        messages = notice_message(shown, contact, amount, self.settings.secretariat_language)
        post_in_order(self.client, channel, messages, sent)

    def _channel(self) -> str:
        if not self.settings.secretariat_channel:
            raise SlackApiError("no channel", {"ok": False, "error": "channel_not_found"})
        return self.settings.secretariat_channel

    def _digest(self, message: OutboxMessage, sent: dict[str, Any]) -> None:
        from bot.slack.digest_blocks import post_digest
        from intake.digest import build_digest

        channel = self._channel()
        assert message.call_id is not None  # a digest is always of one call
        with Session(self.engine, expire_on_commit=False) as session:
            digest = build_digest(session, message.call_id, self.clock())
        if digest is not None:
            post_digest(self.client, channel, digest, self.settings.secretariat_language, sent)


def retry_after(error: SlackApiError) -> float | None:
    """Seconds Slack asked to wait when it rate-limited the call (1 if it did not say); else None."""
    response = error.response
    code = response.get("error") if hasattr(response, "get") else None
    if getattr(response, "status_code", 200) != 429 and code != "ratelimited":
        return None
    headers = getattr(response, "headers", {}) or {}
    return float(headers.get("Retry-After", headers.get("retry-after", 1)) or 1)


def _outcome(error: SlackApiError, sent: dict[str, Any]) -> Delivery:
    response = error.response
    code = response.get("error") if hasattr(response, "get") else None
    status = getattr(response, "status_code", 200)
    wait = retry_after(error)
    if wait is not None:
        return Delivery(ok=False, retry_after=wait, error="ratelimited", progress=sent or None)
    if code in PERMANENT:
        return Delivery(ok=False, permanent=True, error=str(code))
    return Delivery(ok=False, error=str(code or f"HTTP {status}"), progress=sent or None)
