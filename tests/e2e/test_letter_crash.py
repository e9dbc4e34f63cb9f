"""Decision letters sent by two real `frist serve` processes on one database and one fake Slack,
the one sending killed with SIGKILL in the middle of a letter: every contact gets each version of
their org's letter exactly once, and the secretariat one notice per letter.

Both processes poll the outbox; one claims the eleven letters of Kompetanseløftet (seed 002) and
stalls on an upload. While it is alive (past one lease, so only its renewals hold its claims), the
other takes the letter of an amendment and sends it. Then the stalled one is killed; once its lease
has run out, the other or a restarted process sends the rest, the cut-off letter only to the
contact it had not reached. On a SQLite file, and on PostgreSQL when FRIST_TEST_DATABASE_URL is set.

The kill comes while that process waits on files.getUploadURLExternal, the first of the three calls
of files_upload_v2: nothing of that upload exists in Slack yet, and the contacts before it are
stored as sent (`keep_progress`). That is before the window bot/slack/letter_delivery.py documents
(a process that dies after Slack completed an upload and before the progress is stored sends that
one contact the letter again), which no test can close: Slack has no idempotency key for uploads."""

from __future__ import annotations

import re
import socket
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from intake.actors import CLI
from intake.decide import amend, decide
from intake.recommend import Proposal
from intake.recommendation_import import import_recommendations
from models import Contact, Decision, Organisation, OutboxKind, OutboxMessage, OutboxStatus
from tests.fakes.slack_api import Call, FakeSlack
from tests.support.bot_process import (
    SECRETARIAT_CHANNEL,
    BotServer,
    Output,
    bot_env,
    fail_on_traceback,
    free_port,
    start,
)
from tests.support.kompetanse import CALL, FORUM_TABLE, NETWORKS, seed_kompetanse
from tests.support.seed import NOW
from tests.support.waiting import wait_until

LEASE = timedelta(seconds=2)  # FRIST_OUTBOX_LEASE_SECONDS: a dead process's letters are taken over soon
# Every letter row shares one pacing channel (the call's secretariat): let them go out quickly.
PACE = {"FRIST_RATE_PER_MINUTE": "6000", "FRIST_RATE_PER_CHANNEL_PER_SECOND": "50"}
STALLED = "files.getUploadURLExternal"
# The outbox's WebClient timeout (bot/slack/background.py): by then the stalled process would give
# up the upload and go on, so it is killed well before.
SLACK_TIMEOUT = 10
Version = tuple[str, int]  # (org id, decision version)


@dataclass
class Bot:
    """A `frist serve` process with its own Slack token, so the fake tells whose calls are whose.
    Its log is read as it comes (`Output`): a letter's PDF logs enough to fill a pipe nobody reads."""

    token: str
    output: Output
    server: BotServer

    @classmethod
    def start(cls, engine: Engine, fake: FakeSlack, token: str) -> Bot:
        port = free_port()
        lease = str(int(LEASE.total_seconds()))
        env = bot_env(engine, fake.base_url, SLACK_BOT_TOKEN=token, FRIST_OUTBOX_LEASE_SECONDS=lease, **PACE)
        process = start(["serve", "--port", str(port), "--host", "127.0.0.1"], env)
        return cls(token, Output(process), BotServer(port))

    @property
    def worker(self) -> str:
        """Its outbox worker's name (reminders.scheduler.worker_name)."""
        return f"{socket.gethostname()}:{self.output.process.pid}"

    def healthy(self) -> None:
        self.server.wait_until_healthy(self.output.process)

    def kill(self) -> str:
        """SIGKILL, as when the machine or the container dies: no clean-up of any kind."""
        self.output.process.kill()
        return self.output.stop()


def networks_to_decide(engine: Engine, fake: FakeSlack) -> dict[str, list[str]]:
    """Seed 002's Kompetanseløftet with the forum's table imported, ready to decide. Each network
    has its coordinator (found by e-mail) and a deputy (with a Slack id). Returns each network's
    contacts' Slack users."""
    with Session(engine) as session:
        seed_kompetanse(session, NOW)
        for n, org_id in enumerate(NETWORKS):
            email = f"nestleder@{org_id}.example.no"
            session.add(Contact(org_id=org_id, name=f"Nestleder {n}", email=email, slack_user_id=f"U0NEST{n:02d}"))
        session.commit()
        import_recommendations(session, CLI, CALL, FORUM_TABLE, NOW)
        contacts = session.exec(select(Contact).where(col(Contact.org_id).in_(NETWORKS))).all()
        found = {c.email: f"U0KOORD{n:02d}" for n, c in enumerate(contacts) if c.slack_user_id is None}
    fake.users_by_email = {**fake.users_by_email, **found}
    users: dict[str, list[str]] = {org_id: [] for org_id in NETWORKS}
    for contact in contacts:
        users[contact.org_id].append(contact.slack_user_id or found[contact.email])
    return users


def letters(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.letter).order_by(col(OutboxMessage.id))
        return list(session.exec(query).all())


def filename(version: Version) -> str:
    return f"vedtak-{CALL}-{version[0]}-v{version[1]}.pdf"


def uploads(fake: FakeSlack) -> Counter[tuple[str, str]]:
    """(user, file name) of every letter shared in a DM, counted."""
    users = {channel: user for user, channel in fake.workspace.dm_channels.items()}
    return Counter((users[file["channel_id"]], file["name"]) for file in fake.uploaded_files())


def expected(users: dict[str, list[str]], versions: list[Version]) -> Counter[tuple[str, str]]:
    return Counter((user, filename(version)) for version in versions for user in users[version[0]])


def shared_by(fake: FakeSlack, bot: Bot) -> list[str]:
    """The files a process shared (files.completeUploadExternal), in order."""
    calls = [call for call in fake.calls_to("files.completeUploadExternal") if call.token == bot.token]
    return [fake.workspace.uploads[file["id"]]["name"] for call in calls for file in call.args["files"]]


def notices(fake: FakeSlack, names: dict[str, str]) -> Counter[Version]:
    """The secretariat's notices, counted by the org and version they are about."""
    by_name = {name: org_id for org_id, name in names.items()}
    found: Counter[Version] = Counter()
    for call in fake.calls_to("chat.postMessage"):
        match = re.search(r"\(v(\d+)\) er sendt til \*(.+?)\*", call.args.get("text", ""))
        if call.args["channel"] == SECRETARIAT_CHANNEL and match:
            found[(by_name[match[2]], int(match[1]))] += 1
    return found


def amend_comment(engine: Engine, org_id: str, comment: str) -> Version:
    """A new version of the org's decision: the same outcome and amount, another comment."""
    with Session(engine, expire_on_commit=False) as session:
        latest = session.exec(
            select(Decision).where(Decision.call_id == CALL, Decision.org_id == org_id).order_by(col(Decision.version))
        ).all()[-1]
        proposal = Proposal(latest.outcome, latest.amount, comment, latest.conditions, latest.withhold)
        reason = "Nettverket har sendt plan for restmidlene"
        return org_id, amend(session, CLI, CALL, org_id, proposal, reason, datetime.now(UTC)).version


def held_by_one(engine: Engine) -> list[OutboxMessage]:
    """The letters one worker has claimed, once one has claimed all that are not sent yet."""
    rows = letters(engine)
    held = [row for row in rows if row.status == OutboxStatus.sending]
    if not held or len({row.claimed_by for row in held}) > 1:
        return []
    return held if all(row.status in (OutboxStatus.sending, OutboxStatus.sent) for row in rows) else []


def claims(engine: Engine) -> list[tuple[str, str, str | None]]:
    return [(row.key, row.status, row.claimed_by) for row in letters(engine)]


def wait_sent(engine: Engine, count: int, timeout: float = 20) -> None:
    """Until `count` letter rows exist and all are sent: a sent row is never claimed again, so what
    Slack has got then is final."""

    def all_sent() -> bool:
        rows = letters(engine)
        return len(rows) == count and {row.status for row in rows} == {OutboxStatus.sent}

    wait_until(all_sent, timeout, lambda: f"not all {count} letters sent: {claims(engine)}")


def check_cut_off(engine: Engine, fake: FakeSlack, dying: Bot, stalled: Call, done: str, mid: str) -> None:
    """The first letter went out whole; the second reached its first contact, stored as sent, and
    waits on the upload for its second."""
    rows = {row.org_id: row for row in letters(engine)}
    assert rows[done].status == OutboxStatus.sent and stalled.args["filename"] == filename((mid, 1))
    assert list(rows[mid].data["progress"]["contacts"].values()) == ["sent"]
    assert shared_by(fake, dying) == [filename((done, 1))] * 2 + [filename((mid, 1))]


def renewed_since(engine: Engine, bot: Bot, since: datetime) -> bool:
    held = [row for row in letters(engine) if row.claimed_by == bot.worker]
    return bool(held) and all(row.claimed_at is not None and row.claimed_at > since for row in held)


def test_two_processes_and_a_kill_mid_letter_send_each_letter_version_once_to_each_contact(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    # Whichever process takes the letters shares the first with both its contacts and the second
    # with its first contact; its upload for the second letter's second contact gets no answer.
    fake_slack.stall(STALLED, seconds=60, after=3)
    bots = [Bot.start(engine, fake_slack, token) for token in ("xoxb-e2e-one", "xoxb-e2e-two")]
    try:
        users = networks_to_decide(engine, fake_slack)  # while they start
        with Session(engine) as session:
            names = {org.id: org.name for org in session.exec(select(Organisation)).all()}
        for bot in bots:
            bot.healthy()
        with Session(engine) as session:
            decide(session, CLI, CALL, datetime.now(UTC))
        claimed = wait_until(
            lambda: held_by_one(engine), 20, lambda: f"no one process took the letters: {claims(engine)}"
        )
        [stalled] = wait_until(lambda: fake_slack.rejected_to(STALLED), 20, f"no stalled {STALLED}")
        [dying] = [bot for bot in bots if bot.worker == claimed[0].claimed_by]
        [other] = [bot for bot in bots if bot is not dying]
        assert stalled.token == dying.token
        done, mid = (str(row.org_id) for row in letters(engine)[:2])
        check_cut_off(engine, fake_slack, dying, stalled, done, mid)

        # The dying process stays alive past its lease: only its renewals keep its letters from the other.
        since = min(row.claimed_at for row in claimed if row.claimed_at)
        wait_until(lambda: renewed_since(engine, dying, since + LEASE), 10, "the claims were not renewed")
        # The other process takes letters too: the amended decision's, while the dying one holds the rest.
        amended = amend_comment(engine, done, "Plan for bruk av restmidler er mottatt.")
        wait_until(
            lambda: shared_by(fake_slack, other) == [filename(amended)] * 2,
            10,
            lambda: f"the other process shared {shared_by(fake_slack, other)}",
        )
        held = [row for row in letters(engine) if row.org_id != done]
        assert {(row.status, row.claimed_by) for row in held} == {(OutboxStatus.sending, dying.worker)}
        assert time.monotonic() - stalled.at < SLACK_TIMEOUT - 2, "too slow: the stalled upload nearly timed out"
        bots.remove(dying)
        fail_on_traceback(dying.kill())

        # Once the lease has run out, the other process or the dead one started again takes over.
        bots.append(Bot.start(engine, fake_slack, "xoxb-e2e-restarted"))
        wait_sent(engine, len(NETWORKS) + 1)
        bots[-1].healthy()
        versions = [(org_id, 1) for org_id in NETWORKS] + [amended]
        assert uploads(fake_slack) == expected(users, versions)
        assert notices(fake_slack, names) == Counter(versions)
        assert fake_slack.violations == []

        # An amendment of the letter that was cut off: its v2 goes to both contacts once, v1 not again.
        versions.append(amend_comment(engine, mid, "Restmidlene kan brukes til høsten."))
        wait_sent(engine, len(NETWORKS) + 2)
        assert uploads(fake_slack) == expected(users, versions)
        assert notices(fake_slack, names) == Counter(versions)
        assert fake_slack.violations == []
        assert len(fake_slack.rejected) == 1  # the stalled call: nothing else failed or was retried
    finally:
        outputs = [bot.output.stop() for bot in bots]
        for output in outputs:
            fail_on_traceback(output)
