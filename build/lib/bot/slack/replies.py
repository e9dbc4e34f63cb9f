"""What the bot says in answer goes out through the outbox. A reply is rendered and stored in the
transaction that stores what it answers (intake.requests), already claimed by this process, then
posted at once, in order per channel. If the process dies first, the claim's lease runs out and
any worker posts the row (reminders.outbox). So an acknowledged answer always gets its reply."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.slack.blocks import Message
from intake.drafts import Turn
from models import Intent, OutboxKind, OutboxMessage, enqueue
from models.clock import Clock
from models.deliveries import AlreadyHandled, record
from reminders.notifier import Notifier
from reminders.worker import WorkerSettings, settle

log = logging.getLogger("frist.slack")
Render = Callable[[Turn], list[Message]]


class Poster:
    """Sends rows this process has just stored, now. One thread per lane, and a channel always
    goes to the same lane: a contact's replies arrive in the order their answers were stored."""

    def __init__(
        self, engine: Engine, notifier: Notifier, clock: Clock, worker: str, settings: WorkerSettings, lanes: int = 8
    ) -> None:
        self.engine, self.notifier, self.clock, self.worker, self.settings = engine, notifier, clock, worker, settings
        self._lanes = [ThreadPoolExecutor(1, thread_name_prefix=f"post-{n}") for n in range(lanes)]

    def claimed(self, intent: Intent) -> Intent:
        """The intent, stored as claimed by this process, which sends it at once."""
        return replace(intent, claimed_by=self.worker)

    def queue(self, intents: list[Intent], now: datetime, delivery: str | None = None) -> bool:
        """Store `delivery` (unless None) and the intents, claimed, in one commit, then send the new
        rows now. False, with nothing stored, when the delivery was handled before (a retry)."""
        with Session(self.engine) as session:
            try:
                if delivery is not None:
                    record(session.connection(), delivery, now)
            except AlreadyHandled:
                session.rollback()
                return False
            stored = []
            for intent in map(self.claimed, intents):  # one by one: a key stored before is skipped
                stored += [(intent, row_id) for row_id in enqueue(session, [intent], now)]
            session.commit()
        for intent, row_id in stored:
            self.send(intent, row_id)
        return True

    def send(self, intent: Intent, row_id: int) -> None:
        row = OutboxMessage(
            id=row_id,
            key=intent.key,
            kind=OutboxKind(intent.kind),
            call_id=intent.call_id,
            org_id=intent.org_id,
            contact_id=intent.contact_id,
            data=intent.data,
            due_at=intent.due_at,
            expires_at=intent.expires_at,
            created_at=intent.due_at,
        )
        lane = zlib.crc32(str(intent.data.get("channel") or intent.data.get("user") or "").encode())
        self._lanes[lane % len(self._lanes)].submit(self._post, row)

    def _post(self, row: OutboxMessage) -> None:
        try:
            delivery = self.notifier.deliver(row)
            outcome = settle(self.engine, row, delivery, self.clock(), self.settings)
        except Exception:  # the row stays claimed: a worker takes it over when the lease runs out
            log.exception("sending %s failed", row.key)
            return
        if outcome != "sent":
            log.warning("%s not sent yet (%s): the outbox worker tries again", row.key, delivery.error)

    def drain(self, timeout: float = 10) -> None:
        """Wait until everything handed over so far has been tried (tests, and shutting down)."""
        for lane in self._lanes:
            lane.submit(lambda: None).result(timeout)


@dataclass
class SlackReplies:
    """One request's reply queue (intake.requests.ReplyQueue): renders a Turn into an outbox row
    addressed to `channel` (or the user's DM when it is not known); `sent` posts it after the commit."""

    poster: Poster
    key: str  # the reply's outbox key: `reply:` and the delivery it answers
    user: str
    channel: str | None
    render: Render
    built: list[Intent] = field(default_factory=list)

    def intent(self, turn: Turn, now: datetime) -> Intent:
        return self.of_messages(now, self.render(turn), turn.call.id, turn.org.id, turn.contact.id)

    def of_messages(
        self,
        now: datetime,
        messages: list[Message],
        call_id: str | None = None,
        org_id: str | None = None,
        contact_id: int | None = None,
    ) -> Intent:
        data = {
            "channel": self.channel,
            "user": self.user,
            "messages": [{"text": m.text, "blocks": m.blocks} for m in messages],
        }
        intent = self.poster.claimed(Intent(self.key, OutboxKind.reply, call_id, now, None, org_id, contact_id, data))
        self.built.append(intent)
        return intent

    def queue_alone(
        self, messages: list[Message], now: datetime, delivery: str | None, contact_id: int | None = None
    ) -> bool:
        """A reply that changes nothing else (a stranger, a refusal, a list of calls), stored with
        `delivery` unless the caller recorded it already. False for a delivery handled before."""
        return self.poster.queue([self.of_messages(now, messages, contact_id=contact_id)], now, delivery)

    def sent(self, reply_id: int | None) -> None:
        """After the commit: send the row the use case stored for this request."""
        if reply_id is not None and self.built:
            self.poster.send(self.built[-1], reply_id)
