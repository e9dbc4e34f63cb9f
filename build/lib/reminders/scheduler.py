"""APScheduler 3 inside the bot process: a tick that fills the outbox, and the delivery worker."""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from models.clock import Clock
from models.deliveries import forget_before
from reminders.notifier import Notifier
from reminders.tick import tick
from reminders.worker import Worker, WorkerSettings

log = logging.getLogger("frist.scheduler")
# Slack retries a delivery for minutes, not days: older event ids need not be remembered.
DELIVERY_MEMORY = timedelta(days=7)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def start_scheduler(
    engine: Engine,
    notifier: Notifier,
    clock: Clock,
    settings: WorkerSettings,
    tick_seconds: float = 60,
    deliver_seconds: float = 2,
) -> BackgroundScheduler:
    """Both jobs run at once at start-up, so anything missed while the bot was down goes out now."""
    worker = Worker(engine, notifier, clock, worker_name(), settings)

    def tick_job() -> None:
        try:
            written = tick(engine, clock())
            if written:
                log.info("queued %d messages", written)
            forget_before(engine, clock() - DELIVERY_MEMORY)
        except Exception:
            log.exception("tick failed")

    def deliver_job() -> None:
        try:
            worker.run_until_idle(max_rounds=100)
        except Exception:
            log.exception("delivery failed")

    scheduler = BackgroundScheduler(timezone="Europe/Oslo")
    scheduler.add_job(
        tick_job, "interval", seconds=tick_seconds, id="tick", max_instances=1, coalesce=True, next_run_time=clock()
    )
    scheduler.add_job(
        deliver_job,
        "interval",
        seconds=deliver_seconds,
        id="deliver",
        max_instances=1,
        coalesce=True,
        next_run_time=clock(),
    )
    scheduler.start()
    return scheduler
