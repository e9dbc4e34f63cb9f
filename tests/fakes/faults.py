"""Fault injection for FakeSlack: scripted failures and a per-method rate limiter."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

ANY_METHOD = "*"
ROUNDING = 1e-9  # a client paced exactly at the limit adds its intervals up in floating point


@dataclass(frozen=True)
class Fault:
    """What FakeSlack answers instead of the real response."""

    status: int  # 0 with `stall`: no answer at all
    headers: dict[str, str]
    body: dict
    stall: float = 0.0  # seconds to hold the request before dropping it unanswered


@dataclass
class _Scripted:
    status: int
    retry_after: int | None
    remaining: int
    error: str
    passes: int = 0  # calls still let through before the failures start
    stall: float = 0.0


@dataclass
class _Bucket:
    """Token bucket: bursts up to max(1, per_second) calls, refilled at per_second."""

    per_second: float
    tokens: float
    updated: float

    @property
    def capacity(self) -> float:
        return max(1.0, self.per_second)

    def take(self, now: float) -> float | None:
        """None when a call may pass, else the seconds until it would."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens >= 1.0 - ROUNDING:
            self.tokens = max(0.0, self.tokens - 1.0)
            return None
        return (1.0 - self.tokens) / self.per_second


def _default_error(status: int) -> str:
    if status == 429:
        return "ratelimited"
    return "service_unavailable" if status == 503 else "internal_error"


class Faults:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic  # the rate limiter's clock
        self._lock = threading.Lock()
        self._scripted: dict[str, list[_Scripted]] = {}
        self._buckets: dict[str, _Bucket] = {}

    def fail(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        error: str | None = None,
        after: int = 0,
    ) -> None:
        """Answer ``times`` calls to ``method`` (or "*" for any) with HTTP ``status``, once ``after``
        calls have gone through normally.

        A 429 carries ``Retry-After: retry_after`` (whole seconds, as Slack sends).
        """
        if times < 1 or after < 0:
            raise ValueError("times must be at least 1 and after at least 0")
        failure = _Scripted(
            status, retry_after if status == 429 else None, times, error or _default_error(status), after
        )
        with self._lock:
            self._scripted.setdefault(method, []).append(failure)

    def stall(self, method: str, seconds: float, times: int = 1, after: int = 0) -> None:
        """Hold ``times`` calls to ``method`` for ``seconds`` and drop them unanswered, once ``after``
        calls have gone through normally: a client with a shorter timeout sees a timeout."""
        if times < 1 or seconds <= 0 or after < 0:
            raise ValueError("times must be at least 1, seconds more than 0 and after at least 0")
        with self._lock:
            self._scripted.setdefault(method, []).append(_Scripted(0, None, times, "", after, stall=seconds))

    def rate_limit(self, method: str, per_second: float | None) -> None:
        """Answer 429 + Retry-After to calls beyond ``per_second`` (None removes the limit)."""
        with self._lock:
            if per_second is None:
                self._buckets.pop(method, None)
                return
            if per_second <= 0:
                raise ValueError("per_second must be positive")
            self._buckets[method] = _Bucket(per_second, max(1.0, per_second), self.monotonic())

    def clear(self) -> None:
        with self._lock:
            self._scripted.clear()
            self._buckets.clear()

    def check(self, method: str) -> Fault | None:
        """The fault to answer this call with, if any (consumes one scripted failure)."""
        with self._lock:
            for key in (method, ANY_METHOD):
                queue = self._scripted.get(key)
                if queue and queue[0].passes > 0:
                    queue[0].passes -= 1  # this script lets the call through; others may still apply
                    continue
                if queue:
                    failure = queue[0]
                    failure.remaining -= 1
                    if failure.remaining == 0:
                        queue.pop(0)
                    headers = {} if failure.retry_after is None else {"Retry-After": str(failure.retry_after)}
                    return Fault(failure.status, headers, {"ok": False, "error": failure.error}, failure.stall)
            bucket = self._buckets.get(method) or self._buckets.get(ANY_METHOD)
            if bucket is not None:
                wait = bucket.take(self.monotonic())
                if wait is not None:
                    retry_after = str(max(1, math.ceil(wait)))
                    return Fault(429, {"Retry-After": retry_after}, {"ok": False, "error": "ratelimited"})
        return None
