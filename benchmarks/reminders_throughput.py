"""Reminder delivery throughput: 5 000 reminders through the outbox to a Slack that enforces a rate limit.

A fresh database: tests/support/seed.py plus 2 500 orgs x 2 contacts, all with Slack ids (no lookups),
languages alternating nb/nn. The seeded call's one reminder is made due now; reminders.policy gives
5 000 intents, written with reminders.outbox.enqueue. The real SlackNotifier and Worker deliver them
to a FakeSlack on loopback that answers chat.postMessage with 429 + Retry-After beyond --limit/s.
Each worker is paced at per_minute = limit * 60 (per channel 100/s: each contact is its own DM).
--workers N runs N Workers in threads, each with its own engine, WebClient (no 429 retry handler,
as in bot/slack/background.py) and RateLimiter, as N bot processes would. Baseline, same run: the
same fake without a limit, the same number of unpaced workers (per_minute 1e9), a fresh database.

    .venv/bin/python benchmarks/reminders_throughput.py            # 5 000 reminders, SQLite file
    .venv/bin/python benchmarks/reminders_throughput.py --quick    # 500 reminders
    .venv/bin/python benchmarks/reminders_throughput.py --workers 2 \\
        --database-url postgresql://postgres@127.0.0.1:5432/frist_bench

WARNING: --database-url DROPS the public schema of that database and recreates it (before each run).

Rate = (accepted posts - 1) / (last - first accepted post), at the fake. Exits 1 if a target is missed:
rate >= 90 % of --limit; no DM channel reminded twice; all rows sent, every contact reminded in their language.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from common import TOKEN, machine
from slack_sdk import WebClient
from sqlalchemy import Engine, func, text
from sqlmodel import Session, select

from bot.settings import Settings
from bot.slack.outbox_notifier import SlackNotifier
from models import Contact, Eligibility, Language, Organisation, OrgKind, OutboxMessage, OutboxStatus, enqueue
from models.clock import OSLO, system_clock
from models.db import make_engine
from models.migrate import upgrade
from reminders.policy import reminders
from reminders.tick import plan_of, recipients_of
from reminders.worker import Worker, WorkerSettings
from tests.fakes.slack_api import FakeSlack
from tests.support.seed import seed

MIN_SHARE = 0.90
UNPACED = 1e9  # messages per minute: the limiter never waits
PER_CHANNEL = 100.0
POST = "chat.postMessage"
HEAD = ("run", "wall s", "rows sent", "posts", "429s", "dup", "lost", "rate/s", "ms/msg", "cpu ms", "rounds", "empty")


class CountingWorker(Worker):
    """The real Worker; counts its rounds, and those that sent nothing (waiting out a Retry-After)."""

    rounds = 0
    empty_rounds = 0

    def run_once(self) -> int:
        sent = super().run_once()
        self.rounds, self.empty_rounds = self.rounds + 1, self.empty_rounds + (sent == 0)
        return sent


@dataclass
class Result:
    wall: float
    cpu: float  # this process's CPU seconds (workers and the fake; not PostgreSQL's)
    sent_rows: int
    posts: int
    rejected: int  # 429s answered by the fake
    duplicates: int  # posts beyond the first to a DM channel
    lost: int  # contacts never reminded, or rows not `sent`
    wrong_language: int
    rate: float  # accepted posts per second, first to last
    rounds: int
    empty_rounds: int
    violations: list[str]


def fresh_engine(url: str | None, tmp: Path, name: str) -> tuple[Engine, str]:
    url = url or f"sqlite:///{tmp / f'{name}.db'}"
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    return engine, url


def seed_reminders(engine: Engine, count: int) -> dict[str, Language]:
    """Seed, add count/2 orgs with two contacts each, and queue one reminder per contact, due now.
    Returns each contact's Slack user id and the language their reminder must be in."""
    now = datetime.now(UTC)
    users: dict[str, Language] = {}
    with Session(engine) as session:
        call = seed(session, now=now)
        tomorrow = now.astimezone(OSLO).date() + timedelta(days=1)
        call.deadline = datetime.combine(tomorrow, clock_time(23, 59), tzinfo=OSLO)
        call.reminders, call.reminder_time = [1], "00:00"  # the one slot: today (or Friday) at 00:00
        call.digest = {"from_days": 0, "at": "08:00", "after_deadline": False}
        session.add(call)
        orgs = [(f"R{i:05d}", Language.nn if i % 2 else Language.nb) for i in range(count // 2)]
        for i, (org_id, language) in enumerate(orgs):
            session.add(Organisation(id=org_id, name=f"Rask {i} kommune", kind=OrgKind.kommune, language=language))
        session.flush()
        for i, (org_id, language) in enumerate(orgs):
            session.add(Eligibility(call_id=call.id, org_id=org_id, frame=1_000_000))
            for person in "AB":
                users[user := f"U0R{i:05d}{person}"] = language
                session.add(
                    Contact(org_id=org_id, name=f"{person} {i}", email=f"{person}@r{i}.example.no", slack_user_id=user)
                )
        session.commit()
        wanted = [r for r in recipients_of(session, call) if r.org_id.startswith("R")]
        written = len(enqueue(session, reminders(plan_of(call), wanted, now), now))
        session.commit()
    if written != len(users):
        raise SystemExit(f"queued {written} reminders, expected {len(users)}")
    return users


def rows(engine: Engine, status: OutboxStatus) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).where(OutboxMessage.status == status)).one()


def deliver(
    url: str, api: str, workers: int, per_minute: float, timeout: float
) -> tuple[float, float, list[CountingWorker]]:
    settings = Settings(_env_file=None, DATABASE_URL=url, SLACK_BOT_TOKEN=TOKEN, SLACK_API_URL=api)  # type: ignore[call-arg]
    # This measures chat.postMessage: the fake does not limit conversations.open (Tier 3 at Slack, which
    # the notifier paces at FRIST_RATE_LOOKUPS_PER_MINUTE), so the first DM to each contact is not held back.
    settings = settings.model_copy(update={"rate_lookups_per_minute": per_minute})
    pool: list[CountingWorker] = []
    for n in range(workers):
        engine = make_engine(url)
        client = WebClient(token=TOKEN, base_url=api, timeout=10)
        notifier = SlackNotifier(engine, client, settings, system_clock)
        config = WorkerSettings(per_minute=per_minute, per_channel_per_second=PER_CHANNEL)
        pool.append(CountingWorker(engine, notifier, system_clock, f"bench-{n}", config))
    errors: list[BaseException] = []

    def run(worker: Worker) -> None:
        try:  # as the scheduler's deliver job, run again (every 2 s there, 0.1 s here) while rows wait
            worker.run_until_idle()
            while rows(worker.engine, OutboxStatus.pending):  # e.g. rows waiting out a Retry-After
                time.sleep(0.1)
                worker.run_until_idle()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(w,), name=w.name, daemon=True) for w in pool]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, timeout - (time.perf_counter() - started)))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    if any(thread.is_alive() for thread in threads):
        raise SystemExit(f"TARGET MISSED: workers still running after {timeout:.0f} s")
    if errors:
        raise SystemExit(f"TARGET MISSED: a worker crashed: {errors[0]!r}")
    for worker in pool:
        worker.engine.dispose()
    return wall, cpu, pool


def measure(args: argparse.Namespace, fake: FakeSlack, tmp: Path, limit: float | None) -> Result:
    engine, url = fresh_engine(args.database_url, tmp, "paced" if limit else "baseline")
    users = seed_reminders(engine, args.reminders)
    fake.reset()
    fake.rate_limit(POST, limit)
    per_minute = limit * 60 if limit else UNPACED
    timeout = 60 + (10 * len(users) / limit if limit else 0.5 * len(users))
    wall, cpu, pool = deliver(url, fake.base_url, args.workers, per_minute, timeout)
    posts = fake.calls_to(POST)
    per_channel = Counter(str(call.args["channel"]) for call in posts)
    language = {channel: users.get(user) for user, channel in fake.workspace.dm_channels.items()}
    word = {Language.nb: "Påminnelse", Language.nn: "Påminning"}  # first word of bot/templates/*/reminder.j2
    wrong = sum(word.get(language.get(str(c.args["channel"])), "?") not in str(c.args.get("text")) for c in posts)
    sent = rows(engine, OutboxStatus.sent)
    engine.dispose()
    reminded = {user for user, channel in fake.workspace.dm_channels.items() if channel in per_channel}
    times = sorted(call.at for call in posts)
    return Result(
        wall=wall,
        cpu=cpu,
        sent_rows=sent,
        posts=len(posts),
        rejected=len(fake.rejected_to(POST)),
        duplicates=sum(n - 1 for n in per_channel.values()),
        lost=max(len(set(users) - reminded), len(users) - sent),
        wrong_language=wrong,
        rate=(len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0,
        rounds=sum(w.rounds for w in pool),
        empty_rounds=sum(w.empty_rounds for w in pool),
        violations=fake.violations,
    )


def database_label(url: str | None) -> str:
    if url is None:
        return "SQLite file (WAL), fresh per run"
    with make_engine(url).connect() as connection:
        return f"PostgreSQL {connection.execute(text('SHOW server_version')).scalar()}, schema recreated per run"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reminders", type=int, default=5000, help="reminders to deliver, even (default 5000)")
    parser.add_argument("--limit", type=float, default=50.0, help="chat.postMessage per second allowed (default 50)")
    parser.add_argument("--workers", type=int, default=1, help="Worker instances in threads (default 1)")
    parser.add_argument("--database-url", help="PostgreSQL URL: its public schema is DROPPED (default: SQLite)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 500 reminders")
    args = parser.parse_args()
    if args.quick:
        args.reminders = 500
    logging.basicConfig(level=logging.WARNING)
    print(machine())
    print(f"database: {database_label(args.database_url)}; load average {os.getloadavg()[0]:.2f}")
    print(f"{args.reminders} reminders, {args.workers} worker(s), {args.limit:g}/s = per_minute {args.limit * 60:g}")
    with tempfile.TemporaryDirectory(prefix="frist-bench-") as tmp, FakeSlack() as fake:
        paced = measure(args, fake, Path(tmp), args.limit)
        base = measure(args, fake, Path(tmp), None)

    print()
    table: list[list[object]] = [list(HEAD)]
    for name, r in ((f"paced ({args.limit:g}/s limit)", paced), ("baseline (no limit)", base)):
        per_msg = [f"{1000 * seconds / max(1, r.sent_rows):.2f}" for seconds in (r.wall, r.cpu)]
        counts = [r.sent_rows, r.posts, r.rejected, r.duplicates, r.lost, f"{r.rate:.1f}", *per_msg]
        table.append([name, f"{r.wall:.1f}", *counts, r.rounds, r.empty_rounds])
    for row in table:
        print(f"{row[0]!s:<22}" + "".join(f"{cell!s:>{len(h) + 3}}" for cell, h in zip(row[1:], HEAD[1:], strict=True)))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    share = paced.rate / args.limit
    cost = (paced.wall / max(1, paced.sent_rows)) / (base.wall / max(1, base.sent_rows))
    print(f"achieved {paced.rate:.1f}/s = {100 * share:.1f} % of the limit; pacing cost {cost:.1f}x unpaced time/msg")

    failures = []
    if share < MIN_SHARE:
        failures.append(f"achieved {100 * share:.1f} % of the limit (target at least {100 * MIN_SHARE:.0f} %)")
    for name, r in (("paced", paced), ("baseline", base)):
        if r.duplicates:
            failures.append(f"{name}: {r.duplicates} duplicate reminders")
        if r.lost:
            failures.append(f"{name}: {r.lost} reminders lost ({r.sent_rows} of {args.reminders} rows sent)")
        if r.wrong_language:
            failures.append(f"{name}: {r.wrong_language} reminders not in the org's language")
        if r.violations:
            failures.append(f"{name}: fake Slack saw problems: {r.violations[:3]}")
    for failure in failures:
        print(f"TARGET MISSED: {failure}")
    if not failures:
        print(f"targets met: rate >= {100 * MIN_SHARE:.0f} % of the limit, 0 duplicates, 0 lost")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
