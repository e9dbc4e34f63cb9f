"""400 decision letters decided, queued and delivered, against a baseline in the same run.

A fresh database (SQLite file, or PostgreSQL) with the call of benchmarks/letters_seed.py: the demo's
Kompetanseløftet 2025 and 400 more orgs (networks and private owners, a third in nynorsk, 500 contacts),
all sent in and recommended with `apply_default` and `recommend`. Measured:

(a) `intake.decide.decide`: 400 decisions, 400 letter intents in the outbox, one commit;
(b) the real outbox Worker and SlackNotifier sending every letter to the fake Slack on loopback
    (the PDF rendered, files_upload_v2 to each contact's DM, the secretariat's notice), unpaced
    (with --paced: at the default FRIST_RATE_* pace, as `frist serve` sends).

Baseline, same run, on the same decisions: each letter's text (`decision_letter` + `letter_text`)
written to a .txt file, and, for reference, its PDF (`decision_letter_pdf`) written to a .pdf file, as
benchmarks/letters.py does; a batch of 50 letters of baseline, then one worker round (50 letters), and so on.

    .venv/bin/python benchmarks/letters_queued.py             # 400 orgs, decide 5 times on fresh files
    .venv/bin/python benchmarks/letters_queued.py --quick     # 40 orgs, decide twice
    .venv/bin/python benchmarks/letters_queued.py --quick --paced   # the worker at the default pace
    .venv/bin/python benchmarks/letters_queued.py --postgres postgresql://postgres@127.0.0.1:5432/bench

WARNING: --postgres DROPS the public schema of that database and recreates it (before each run).

Exits 1 unless: every letter row is sent, every contact got exactly one DM with its org's PDF (the same
bytes as the baseline's PDF), the secretariat one notice per org, and a second worker run sends nothing.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from statistics import median
from typing import Any

from common import TOKEN, machine, percentile
from letters_seed import NOW, Seeded, seed
from reminders_throughput import database_label, fresh_engine
from slack_sdk import WebClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from bot.letter_data import decision_letter, decision_letter_pdf
from bot.pdf.letter import letter_text
from bot.settings import Settings
from bot.slack.outbox_notifier import SlackNotifier
from intake.actors import CLI
from intake.decide import decide
from models import Decision, OutboxKind, OutboxMessage, OutboxStatus
from models.clock import system_clock
from reminders.notifier import Delivery
from reminders.worker import Worker, WorkerSettings
from tests.fakes.slack_api import FakeSlack
from tests.support.kompetanse import CALL

DECIDED_AT = NOW + timedelta(days=12)
CHANNEL = "C0SEKRETAR"
UNPACED = 1e9  # per minute: no limiter ever waits


class Timings:
    """Wall time and this thread's CPU time (ms) per piece of work: the fake Slack's threads and the
    database server are not in the CPU time, nor is waiting for the CPU while other work runs."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    @contextmanager
    def timed(self) -> Iterator[None]:
        wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
        yield
        self.cpu.append((time.thread_time_ns() - cpu) / 1e6)
        self.wall.append((time.perf_counter_ns() - wall) / 1e6)


def decide_once(url: str | None, tmp: Path, run: int, count: int, times: Timings) -> tuple[Seeded, Engine, str]:
    engine, url = fresh_engine(url, tmp, f"run-{run}")
    seeded = seed(engine, count)
    gc.collect()
    with Session(engine) as session, times.timed():
        decided = decide(session, CLI, CALL, DECIDED_AT)
    if len(decided.decisions) != count or decided.letters != count:
        raise SystemExit(f"FAILED: decide fixed {len(decided.decisions)} and queued {decided.letters}, not {count}")
    return seeded, engine, url


@dataclass
class Baseline:
    text: Timings = field(default_factory=Timings)  # decision_letter + letter_text -> .txt file
    read: Timings = field(default_factory=Timings)  # decision_letter alone: the rows a letter is made of
    words: Timings = field(default_factory=Timings)  # letter_text -> .txt file alone (text less read)
    pdf: Timings = field(default_factory=Timings)  # decision_letter_pdf -> .pdf file
    pdfs: dict[str, bytes] = field(default_factory=dict)  # by org


def baseline(engine: Engine, settings: Settings, directory: Path, decision: Decision, base: Baseline) -> None:
    """One letter as text to a .txt file, then as PDF to a .pdf file."""
    decision_id, org_id = int(decision.id or 0), decision.org_id
    with Session(engine) as session, base.text.timed():
        with base.read.timed():
            letter = decision_letter(session, decision_id, settings)
        (directory / f"{org_id}.txt").write_text(letter_text(letter), encoding="utf-8")
    with Session(engine) as session, base.pdf.timed():
        _letter, base.pdfs[org_id] = decision_letter_pdf(session, decision_id, settings)
        (directory / f"{org_id}.pdf").write_bytes(base.pdfs[org_id])


def interleaved(engine: Engine, settings: Settings, directory: Path, sender: Worker) -> tuple[Baseline, float, int]:
    """The baseline for one batch of letters, then the worker's round (one batch), and so on, so that
    both see the same machine load. Returns the baseline, the worker's seconds and the letters it sent."""
    base, seconds, sent = Baseline(), 0.0, 0
    with Session(engine) as session:
        decisions = session.exec(select(Decision).where(Decision.call_id == CALL)).all()
    for decision in decisions[:2]:  # a warm-up (imports, templates, fonts): an nn and an nb letter
        baseline(engine, settings, directory, decision, Baseline())
    gc.collect()
    for start in range(0, len(decisions), sender.settings.batch):
        for decision in decisions[start : start + sender.settings.batch]:
            baseline(engine, settings, directory, decision, base)
        started = time.perf_counter()
        sent += sender.run_once()
        seconds += time.perf_counter() - started
    started = time.perf_counter()
    sent += sender.run_until_idle()  # nothing should be left, but a retry would be
    base.words.wall = [t - r for t, r in zip(base.text.wall, base.read.wall, strict=True)]
    base.words.cpu = [t - r for t, r in zip(base.text.cpu, base.read.cpu, strict=True)]
    return base, seconds + time.perf_counter() - started, sent


class TimedNotifier(SlackNotifier):
    """The real notifier; times each letter (render, upload to each contact, notice)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.times = Timings()

    def deliver(self, message: OutboxMessage) -> Delivery:
        with self.times.timed():
            return super().deliver(message)


def worker(engine: Engine, settings: Settings, api: str, paced: bool) -> tuple[Worker, TimedNotifier]:
    """Unpaced, or paced by the settings' defaults (FRIST_RATE_*), as `frist serve` would send."""
    notifier = TimedNotifier(engine, WebClient(token=TOKEN, base_url=api, timeout=30), settings, system_clock)
    config = settings.worker if paced else WorkerSettings(per_minute=UNPACED, per_channel_per_second=UNPACED)
    return Worker(engine, notifier, system_clock, "bench", config), notifier


def letter_rows(engine: Engine, status: OutboxStatus) -> int:
    with Session(engine) as session:
        query = select(func.count()).where(OutboxMessage.kind == OutboxKind.letter, OutboxMessage.status == status)
        return session.exec(query).one()


def problems(fake: FakeSlack, users: dict[str, list[str]], pdfs: dict[str, bytes], engine: Engine) -> list[str]:
    found = []
    if (sent := letter_rows(engine, OutboxStatus.sent)) != len(users):
        found.append(f"{sent} letter rows sent, expected {len(users)}")
    user_of = {channel: user for user, channel in fake.workspace.dm_channels.items()}
    files = fake.uploaded_files()
    per_user = Counter(user_of.get(file["channel_id"]) for file in files)
    for org_id, contacts in users.items():
        for user in contacts:
            if per_user[user] != 1:
                found.append(f"{org_id}: {user} got {per_user[user]} letters, expected 1")
    for file in files:
        org_id = str(file["name"]).split("-")[-2]
        if user_of.get(file["channel_id"]) not in users.get(org_id, []) or file["data"] != pdfs.get(org_id):
            found.append(f"{file['name']} in {file['channel_id']}: not its org's contact, or not the same PDF")
    notices = Counter(c.args["channel"] for c in fake.calls_to("chat.postMessage"))
    if notices != Counter({CHANNEL: len(users)}):
        found.append(f"posts by channel {dict(notices)}, expected one notice per org in {CHANNEL}")
    return found + [f"fake Slack: {v}" for v in fake.violations[:5]]


def row(label: str, t: Timings) -> str:
    wall = f"{sum(t.wall) / 1000:>9.2f} s{median(t.wall):>10.2f}{percentile(t.wall, 95):>9.2f}"
    return f"{label:<44}{wall}{median(t.cpu):>11.2f}"


def ratios(label: str, t: Timings, base: Timings) -> str:
    wall = f"{median(t.wall) / median(base.wall):>11.1f}{sum(t.wall) / sum(base.wall):>10.1f}"
    return f"{label:<44}{wall}{median(t.cpu) / median(base.cpu):>11.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=400, help="orgs decided and sent a letter (default 400)")
    parser.add_argument("--runs", type=int, default=5, help="decide on this many freshly seeded databases")
    parser.add_argument("--postgres", help="PostgreSQL URL: its public schema is DROPPED (default: SQLite file)")
    parser.add_argument("--paced", action="store_true", help="the worker at the default FRIST_RATE_* pace (slow)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 40 orgs, 2 runs")
    args = parser.parse_args()
    if args.quick:
        args.orgs, args.runs = 40, 2
    if args.orgs < 1 or args.runs < 1:
        parser.error(f"--orgs and --runs: 1 or more (got {args.orgs} and {args.runs})")
    logging.basicConfig(level=logging.WARNING)
    print(machine())
    print(f"database: {database_label(args.postgres)}; load average at start {os.getloadavg()[0]:.2f}")
    decided = Timings()
    with tempfile.TemporaryDirectory(prefix="frist-letters-queued-") as tmp, FakeSlack() as fake:
        for run in range(args.runs):
            seeded, engine, url = decide_once(args.postgres, Path(tmp), run, args.orgs, decided)
            if run < args.runs - 1:
                engine.dispose()
        users = seeded.users
        fake.users_by_email = seeded.emails
        settings = Settings(
            _env_file=None,
            DATABASE_URL=url,
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_API_URL=fake.base_url,
            FRIST_SECRETARIAT_CHANNEL=CHANNEL,
            FRIST_SECRETARIAT_EMAIL="sftlpost@statsforvalteren.no",
            FRIST_LETTER_AUTHORITY="Statsforvalteren i Trøndelag",
            FRIST_LETTER_AUTHORITY_NN="Statsforvaltaren i Trøndelag",
            FRIST_LETTER_DEPARTMENT="Oppvekst- og utdanningsavdelingen",
            FRIST_LETTER_DEPARTMENT_NN="Oppvekst- og utdanningsavdelinga",
        )
        if not args.paced:
            settings = settings.model_copy(update={"rate_lookups_per_minute": UNPACED})
        first, notifier = worker(engine, settings, fake.base_url, args.paced)
        base, seconds, delivered = interleaved(engine, settings, Path(tmp), first)
        calls = len(fake.calls)
        again, _ = worker(engine, settings, fake.base_url, args.paced)
        resent = again.run_until_idle()
        found = problems(fake, users, base.pdfs, engine)
        if resent or len(fake.calls) != calls:
            found.append(f"a second worker run sent {resent} rows, {len(fake.calls) - calls} Slack calls")
        uploads, contacts = len(fake.uploaded_files()), sum(len(x) for x in users.values())
        engine.dispose()
    nynorsk = sum(1 for i in range(args.orgs) if i % 3 == 0)
    print(f"{args.orgs} orgs ({seeded.private} private, {nynorsk} nn), {contacts} contacts, as many letters queued")
    print(f"\n{'decide() for all, one commit (ms)':<44}{'median':>11}{'min':>10}{'max':>9}{'cpu median':>11}")
    label = f"on fresh databases: {args.runs}"
    print(f"{label:<44}{median(decided.wall):>11.1f}{min(decided.wall):>10.1f}{max(decided.wall):>9.1f}"
          f"{median(decided.cpu):>11.1f}")  # fmt: skip
    print(f"\n{'per letter (ms)':<44}{'total':>11}{'median':>10}{'p95':>9}{'cpu median':>11}")
    print(row("baseline: letter, as text -> .txt file", base.text))
    print(row("  of which decision_letter (the DB read)", base.read))
    print(row("  of which letter_text -> .txt file", base.words))
    print(row("reference: letter, as PDF -> .pdf file", base.pdf))
    print(row("worker: deliver (PDF, uploads, notice)", notifier.times))
    mean = 1000 * seconds / max(1, delivered)
    print(f"{'worker: its rounds (claim, deliver, finish)':<44}{seconds:>9.2f} s{mean:>10.2f} (mean)")
    pace = "default FRIST_RATE_* pace" if args.paced else "unpaced"
    print(f"{uploads} uploads, {delivered} letters sent ({pace}); a second run sent {resent}")
    print(f"\n{'ratio to the text baseline':<44}{'median':>11}{'total':>10}{'cpu median':>11}")
    print(ratios("letter PDF -> file", base.pdf, base.text))
    print(ratios("worker deliver", notifier.times, base.text))
    print(ratios("letter PDF -> file, to letter_text alone", base.pdf, base.words))
    print(ratios("worker deliver, to letter_text alone", notifier.times, base.words))
    per_org = f"{median(decided.wall) / args.orgs / median(base.text.wall):>11.2f}"
    print(f"{'decide() per org':<44}{per_org}{'':>10}{median(decided.cpu) / args.orgs / median(base.text.cpu):>11.2f}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    for problem in found[:20]:
        print(f"FAILED: {problem}")
    if found:
        return 1
    print(f"checks met: {delivered} letters sent once, each contact one DM with its org's PDF, nothing sent again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
