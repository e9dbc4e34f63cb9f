"""Two workers on one database and a slow Slack: a claim lives as long as its worker does."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from models import Intent, OutboxKind, OutboxMessage, enqueue
from models.clock import system_clock
from reminders.lease import LeaseKeeper
from reminders.notifier import Delivery
from reminders.worker import Worker, WorkerSettings
from tests.support.waiting import wait_until

LEASE = timedelta(seconds=1.5)  # renewed every 0.5 s: a starved CI machine needs over 1 s of pause to break it
ROWS = 24
SEND_SECONDS = 0.2  # the first worker's batch of all 24 takes 4.8 s: over three times the lease


class SlowSlack:
    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self._lock = threading.Lock()

    def deliver(self, message: OutboxMessage) -> Delivery:
        time.sleep(SEND_SECONDS)  # stands in for a Slack that takes its time answering
        with self._lock:
            self.sent[message.key] += 1
        return Delivery(ok=True)


def queue_rows(engine: Engine) -> None:
    now = system_clock()
    with Session(engine) as session:
        intents = [
            Intent(f"reply:r{n}", OutboxKind.reply, None, now, None, data={"user": f"U{n}"}) for n in range(ROWS)
        ]
        enqueue(session, intents, now)
        session.commit()


def run_two_workers(engine: Engine, keep_leases: bool) -> SlowSlack:
    queue_rows(engine)
    slack = SlowSlack()
    settings = WorkerSettings(per_minute=60_000, per_channel_per_second=50, batch=ROWS, lease=LEASE)
    keepers = [LeaseKeeper(engine, name, system_clock, LEASE).start() for name in ("a", "b")] if keep_leases else []

    def work(name: str) -> None:
        worker = Worker(engine, slack, system_clock, name, settings)
        deadline = time.monotonic() + 20
        if name == "b":  # comes in while "a" is busy with every row
            wait_until(lambda: slack.sent, 20, "worker a sent nothing")
        while len(slack.sent) < ROWS and time.monotonic() < deadline:
            worker.run_once()

    threads = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for keeper in keepers:
        keeper.stop()
    return slack


def test_a_slow_slack_never_makes_two_workers_send_the_same_row(engine: Engine) -> None:
    slack = run_two_workers(engine, keep_leases=True)
    assert set(slack.sent) == {f"reply:r{n}" for n in range(ROWS)}
    assert max(slack.sent.values()) == 1


def test_without_renewing_its_claims_a_slow_worker_loses_rows_it_is_still_sending(engine: Engine) -> None:
    """The control: the same run with no lease keeper sends rows twice, so the test above can fail."""
    slack = run_two_workers(engine, keep_leases=False)
    assert set(slack.sent) == {f"reply:r{n}" for n in range(ROWS)}
    assert max(slack.sent.values()) > 1
