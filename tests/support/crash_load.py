"""Load against `frist serve` while it is killed and restarted: signed DMs from several threads,
each line a new budget row, replayed as Slack retries them until each has had its 200. Shared by the
crash test in the suite and the longer run in benchmarks/."""

from __future__ import annotations

import random
import signal
import subprocess
import threading
import urllib.error
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from intake import usecases
from models import Contact, Eligibility, Language, Organisation, OrgKind, OutboxKind, OutboxMessage, Submission
from tests.support.bot_process import BotServer, bot_env, free_port, start, stop
from tests.support.seed import CALL_ID
from tests.support.waiting import wait_until

BEFORE_THE_TABLE = ["Bedre leseopplæring", "nei", "28.8.27", "25", "2", "1, 3"]


def load_contacts(engine: Engine, count: int, now: datetime) -> list[str]:
    """`count` orgs in the call, each with one contact (a Slack user) standing at the budget table."""
    users = []
    with Session(engine, expire_on_commit=False) as session:
        for n in range(count):
            org_id = f"L{n:03d}"
            session.add(Organisation(id=org_id, name=f"Last {n} kommune", kind=OrgKind.kommune, language=Language.nb))
            session.flush()
            session.add(
                Contact(org_id=org_id, name=f"Kontakt {n}", email=f"k{n}@last.example.no", slack_user_id=f"U0L{n:03d}")
            )
            session.add(Eligibility(call_id=CALL_ID, org_id=org_id, frame=10_000_000))
            users.append(f"U0L{n:03d}")
        session.commit()
        for user in users:
            contact = session.exec(select(Contact).where(Contact.slack_user_id == user)).one()
            usecases.open_submission(session, contact, CALL_ID, now)
            for line in BEFORE_THE_TABLE:
                usecases.answer(session, contact, CALL_ID, line, now)
    return users


@dataclass
class Load:
    users: list[str]
    lines_per_user: int
    acknowledged: set[str] = field(default_factory=set)  # event ids that got a 200
    answered: Counter[str] = field(default_factory=Counter)  # status codes and errors seen
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def events(self, user: str) -> list[tuple[str, str]]:
        return [(f"Ev{user}x{n:04d}", f"Kurs {user}-{n}; 1 000") for n in range(self.lines_per_user)]

    def send_all(self, server: BotServer, stop_at: threading.Event, retry: int = 0) -> None:
        """Each user in a thread of its own, one line at a time, until all are in or `stop_at` is set."""

        def send(user: str) -> None:
            for event_id, text in self.events(user):
                while event_id not in self.acknowledged and not stop_at.is_set():
                    try:
                        status = server.dm(user, text, event_id=event_id, retry=retry).status
                    except (OSError, urllib.error.URLError) as error:
                        status, outcome = 0, type(error).__name__
                    else:
                        outcome = str(status)
                    with self._lock:
                        self.answered[outcome] += 1
                        if status == 200:
                            self.acknowledged.add(event_id)
                    if status != 200:
                        return  # the process is gone or shedding: Slack retries it later

        threads = [threading.Thread(target=send, args=(user,)) for user in self.users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def all_events(self) -> dict[str, str]:
        return {event_id: text for user in self.users for event_id, text in self.events(user)}


def stored_rows(engine: Engine) -> Counter[str]:
    """Every budget row stored, counted (a row stored twice would count 2)."""
    with Session(engine) as session:
        rows: Counter[str] = Counter()
        for answers in session.exec(select(Submission.answers)).all():
            for row in answers.get("budsjett", []):
                rows[row["post"]] += 1
        return rows


def replies(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        found = session.exec(
            select(OutboxMessage.key, OutboxMessage.status).where(OutboxMessage.kind == OutboxKind.reply)
        )
        return {key: status for key, status in found.all()}


def serve(engine: Engine, slack_url: str, **env: str) -> tuple[subprocess.Popen[bytes], BotServer]:
    port = free_port()
    process = start(
        ["serve", "--port", str(port), "--host", "127.0.0.1", "--threads", "8"],
        bot_env(engine, slack_url, FRIST_OUTBOX_LEASE_SECONDS="2", FRIST_TICK_SECONDS="1", **env),
    )
    server = BotServer(port)
    server.wait_until_healthy(process)
    return process, server


def kill(process: subprocess.Popen[bytes]) -> str:
    process.send_signal(signal.SIGKILL)
    output, _ = process.communicate(timeout=10)
    return output.decode(errors="replace")


def crash_rounds(engine: Engine, slack_url: str, load: Load, rounds: int, seed: int) -> list[str]:
    """`rounds` times: start, send, kill -9 once a random number of lines has had its 200. Then a
    last start in which every line without a 200 is sent again as Slack's retry. Returns each
    process's output."""
    chance = random.Random(seed)
    outputs: list[str] = []
    for _ in range(rounds):
        process, server = serve(engine, slack_url)
        stop_at = threading.Event()
        sender = threading.Thread(target=load.send_all, args=(server, stop_at))
        target = len(load.acknowledged) + chance.randint(1, 4 * len(load.users))
        sender.start()

        def reached(target: int = target, sender: threading.Thread = sender) -> bool:
            return len(load.acknowledged) >= target or not sender.is_alive()

        wait_until(reached, 30, "the load was not sent")
        outputs.append(kill(process))
        stop_at.set()
        sender.join()
    process, server = serve(engine, slack_url)
    load.send_all(server, threading.Event(), retry=1)
    outputs.append(_wait_and_stop(process, engine, load))
    return outputs


def _wait_and_stop(process: subprocess.Popen[bytes], engine: Engine, load: Load, timeout: float = 60) -> str:
    """Until every acknowledged line's reply is sent (the dead processes' by this one's worker)."""
    wanted = {f"reply:event:{event_id}" for event_id in load.acknowledged}

    def all_sent() -> bool:
        found = replies(engine)
        return all(found.get(key) == "sent" for key in wanted)

    try:
        wait_until(all_sent, timeout, "not every acknowledged line's reply was sent")
    except AssertionError as error:
        raise AssertionError(f"{error}; the bot's log:\n{stop(process)}") from None
    return stop(process)
