"""What asked for a use case, and how its reply is queued with what it stored.

An adapter (Slack) describes the request: the delivery's id, stored in the same commit so a
retried delivery changes nothing twice; when the contact acted, by Slack's own signed clock, so a
message typed before the deadline counts as before it however late it arrives; and how to turn
the use case's reply into an outbox row, which is stored in the same commit too. "Acknowledged"
then means "stored": the answer, the delivery id and the reply are in, or none of them is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from models import Intent

if TYPE_CHECKING:
    from intake.drafts import Turn

log = logging.getLogger("frist.intake")
# Slack retries a delivery for a few minutes; a time further back than this is not believed.
BELIEVABLE_DELAY = timedelta(hours=1)


class ReplyQueue(Protocol):
    """Renders a use case's reply into the outbox row that carries it (bot/ implements this)."""

    def intent(self, turn: Turn, now: datetime) -> Intent: ...


@dataclass(frozen=True)
class Request:
    key: str | None = None  # the delivery's id (Slack event or interaction), stored with the work
    acted_at: datetime | None = None  # when the contact acted, by Slack's clock
    replies: ReplyQueue | None = None  # queues the reply in the use case's own transaction

    def acted(self, received: datetime) -> datetime:
        """When the contact acted: never later than the delivery was received (clocks differ), and
        the time it was received when the delivery says something unbelievable."""
        if self.acted_at is None:
            return received
        if received - self.acted_at > BELIEVABLE_DELAY:
            log.warning("%s says it was made at %s, received %s: judged as received", self.key, self.acted_at, received)
            return received
        return min(self.acted_at, received)


NO_REQUEST = Request()
