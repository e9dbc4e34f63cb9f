"""Pacing sends to what Slack allows: about one message a second per channel and a few hundred a
minute per workspace (both settable), and a pause for everyone after a 429."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

CATCH_UP = 0.5  # seconds


class RateLimiter:
    def __init__(
        self,
        per_minute: float,
        per_channel_per_second: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 60.0 / per_minute
        self.channel_interval = 1.0 / per_channel_per_second
        self.monotonic, self.sleep = monotonic, sleep
        self._next = 0.0
        self._paused_until = 0.0
        self._channels: dict[str, float] = {}
        self._lock = threading.Lock()

    def pause(self, seconds: float) -> None:
        """Slack said 429 with Retry-After: nobody sends until it has passed."""
        with self._lock:
            self._paused_until = max(self._paused_until, self.monotonic() + seconds)

    def wait(self, channel: str) -> None:
        """Block until one more message to `channel` is allowed, and book it."""
        with self._lock:
            now = self.monotonic()
            # A slot missed while the sender was busy may be made up, but never more than CATCH_UP of them.
            base = max(now - CATCH_UP, self._next)
            start = max(base, self._paused_until, self._channels.get(channel, 0.0))
            self._next = start + self.interval
            self._channels[channel] = max(start, now) + self.channel_interval
            if len(self._channels) > 10_000:
                self._channels = {key: at for key, at in self._channels.items() if at > now}
        if start > now:
            self.sleep(start - now)
