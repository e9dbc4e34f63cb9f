"""How reminders speak to the world without knowing Slack: `bot/` implements this protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from models import OutboxMessage
from models.outbox import NO_USER

__all__ = ["NO_USER", "Delivery", "Notifier"]


@dataclass(frozen=True)
class Delivery:
    """The outcome of one attempt. `retry_after` (seconds) means rate limited: try again, no harm done.

    A message sent as several posts (a digest and its thread) can fail part-way: `progress` is what
    had gone out by then. The worker keeps it on the row, and the next attempt finds it in
    `message.data["progress"]` and goes on from there instead of posting the first part again.
    """

    ok: bool
    retry_after: float | None = None
    error: str | None = None
    permanent: bool = False  # retrying cannot help (e.g. the user left the workspace)
    progress: dict[str, Any] | None = None


class Notifier(Protocol):
    def deliver(self, message: OutboxMessage) -> Delivery:
        """Render and send one outbox message (to a contact, or to the secretariat channel)."""
        ...
