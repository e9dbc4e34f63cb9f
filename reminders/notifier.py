"""How reminders speak to the world without knowing Slack: `bot/` implements this protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from models import OutboxMessage


@dataclass(frozen=True)
class Delivery:
    """The outcome of one attempt. `retry_after` (seconds) means rate limited: try again, no harm done."""

    ok: bool
    retry_after: float | None = None
    error: str | None = None
    permanent: bool = False  # retrying cannot help (e.g. the user left the workspace)


class Notifier(Protocol):
    def deliver(self, message: OutboxMessage) -> Delivery:
        """Render and send one outbox message (to a contact, or to the secretariat channel)."""
        ...
