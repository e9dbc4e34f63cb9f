"""Waiting for something to happen: poll a condition until it holds or a deadline passes.

Never sleep a fixed time to let something happen; a check that nothing (more) happened first waits
for a positive signal that everything due has happened (for the outbox: `slack_views.wait_settled`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
POLL_SECONDS = 0.02


def wait_until(condition: Callable[[], T], timeout: float = 15, what: str | Callable[[], str] = "the condition") -> T:
    """The first truthy value of `condition()`, polled until `timeout` seconds have passed; then an
    AssertionError that says `what` did not happen (a callable `what` is asked then, for the details)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what() if callable(what) else what} within {timeout}s")
        time.sleep(POLL_SECONDS)
