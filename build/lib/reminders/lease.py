"""Keeping a worker's claims on outbox rows alive for as long as the process is (reminders.outbox)."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import Engine

from models.clock import Clock
from reminders.outbox import LEASE, renew

log = logging.getLogger("frist.outbox")


class LeaseKeeper:
    """A daemon thread that renews `worker`'s claims every `lease / 3`. It runs beside the sending
    threads, so a post that waits a long time on a slow or rate-limiting Slack keeps its claim."""

    def __init__(self, engine: Engine, worker: str, clock: Clock, lease: timedelta = LEASE) -> None:
        self.engine, self.worker, self.clock = engine, worker, clock
        self.every = lease.total_seconds() / 3
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease:{worker}", daemon=True)

    def start(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopped.wait(self.every):
            try:
                renew(self.engine, self.worker, self.clock())
            except Exception:  # the database is away for a moment: try again at the next beat
                log.exception("renewing the outbox claims of %s failed", self.worker)
