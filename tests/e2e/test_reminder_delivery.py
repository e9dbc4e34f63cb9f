"""Reminders sent by real bot processes: two of them on one database, and a Slack that says 429 and 500.
What the reminder's buttons do is tested in-process (tests/bot/test_reminder_buttons.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models import (
    Contact,
    Eligibility,
    Language,
    Organisation,
    OrgKind,
    OutboxMessage,
    OutboxStatus,
)
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import bot_env, fail_on_traceback, free_port, start, stop, stop_clean
from tests.support.seed import CALL_ID, make_reminder_due
from tests.support.slack_views import text_of
from tests.support.waiting import wait_until

EXTRA_ORGS = 12  # two contacts each, on top of the three seeded contacts


@pytest.fixture
def reminders_due(seeded: Engine, fake_slack: FakeSlack) -> int:
    """Make the seeded call's one-day reminder due now, and add orgs; returns how many contacts get one."""
    with Session(seeded) as session:
        make_reminder_due(session, datetime.now(UTC))
        emails = {}
        for n in range(EXTRA_ORGS):
            org_id = f"90{n:02d}"
            session.add(
                Organisation(
                    id=org_id,
                    name=f"Testkommune {n}",
                    kind=OrgKind.kommune,
                    language=Language.nn if n % 2 else Language.nb,
                )
            )
            session.flush()
            session.add(Eligibility(call_id=CALL_ID, org_id=org_id, frame=100_000))
            for person in ("a", "b"):
                email = f"{person}{n}@test{n}.example.no"
                session.add(Contact(org_id=org_id, name=f"{person.upper()} {n}", email=email))
                emails[email] = f"U0T{n:02d}{person.upper()}"
        session.commit()
    fake_slack.users_by_email = {**fake_slack.users_by_email, **emails}
    return 3 + 2 * EXTRA_ORGS


def reminders_posted(fake: FakeSlack) -> list:
    return [c for c in fake.calls_to("chat.postMessage") if "Påminn" in text_of(c)]


def wait_for_reminders(fake: FakeSlack, engine: Engine, count: int, timeout: float = 60) -> None:
    """Until `count` reminders were posted and every reminder row is marked sent.

    A row marked sent is never claimed again, so once all are sent the count of posts is final: the
    check for duplicates that follows needs no grace period.
    """

    def all_sent() -> bool:
        with Session(engine) as session:
            statuses = session.exec(select(OutboxMessage.status).where(OutboxMessage.kind == "reminder")).all()
        return len(reminders_posted(fake)) >= count and len(statuses) >= count and set(statuses) == {OutboxStatus.sent}

    wait_until(all_sent, timeout, lambda: f"{len(reminders_posted(fake))} of {count} reminders posted")


@pytest.fixture
def two_bots(seeded: Engine, fake_slack: FakeSlack, reminders_due: int) -> Iterator[None]:
    env = bot_env(
        seeded,
        fake_slack.base_url,
        FRIST_TICK_SECONDS="1",
        FRIST_RATE_PER_MINUTE="3000",
        FRIST_RATE_PER_CHANNEL_PER_SECOND="5",
    )
    processes = [start(["serve", "--port", str(free_port()), "--host", "127.0.0.1"], env) for _ in range(2)]
    try:
        yield
    finally:
        for output in [stop(process) for process in processes]:
            fail_on_traceback(output)


def assert_each_contact_reminded_once(fake: FakeSlack, engine: Engine, expected: int) -> None:
    per_channel = Counter(call.args["channel"] for call in reminders_posted(fake))
    assert len(per_channel) == expected, per_channel
    assert set(per_channel.values()) == {1}, per_channel
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reminder")).all()
    assert len(rows) == expected and {row.status for row in rows} == {OutboxStatus.sent}


def test_two_bot_processes_send_every_reminder_exactly_once(
    two_bots: None, fake_slack: FakeSlack, seeded: Engine, reminders_due: int
) -> None:
    wait_for_reminders(fake_slack, seeded, reminders_due)
    assert_each_contact_reminded_once(fake_slack, seeded, reminders_due)
    nynorsk = [c for c in reminders_posted(fake_slack) if "Påminning" in text_of(c)]
    assert len(nynorsk) == 1 + EXTRA_ORGS  # Oda in Osen, and the odd-numbered test municipalities


def test_reminders_arrive_once_through_429s_and_500s(seeded: Engine, fake_slack: FakeSlack, reminders_due: int) -> None:
    fake_slack.fail("chat.postMessage", status=429, retry_after=1, times=3)
    fake_slack.fail("chat.postMessage", status=500, times=3)
    env = bot_env(seeded, fake_slack.base_url, FRIST_TICK_SECONDS="1", FRIST_RETRY_BACKOFF_SECONDS="1")
    process = start(["serve", "--port", str(free_port()), "--host", "127.0.0.1"], env)
    try:
        wait_for_reminders(fake_slack, seeded, reminders_due, timeout=120)
    finally:
        stop_clean(process)
    assert len(fake_slack.rejected_to("chat.postMessage")) == 6
    assert_each_contact_reminded_once(fake_slack, seeded, reminders_due)


def test_reminders_to_contacts_found_by_email_arrive_through_a_busy_slack(
    seeded: Engine, fake_slack: FakeSlack, reminders_due: int
) -> None:
    """Every contact but Kari was imported without a Slack id: each is looked up by e-mail while Slack
    rate-limits lookups and DMs at the bot's own pace and answers some with 429, 500 and 503."""
    for method in ("users.lookupByEmail", "conversations.open"):
        fake_slack.rate_limit(method, per_second=10)  # what FRIST_RATE_LOOKUPS_PER_MINUTE=600 asks for
    fake_slack.fail("users.lookupByEmail", status=429, retry_after=1, times=3)
    fake_slack.fail("users.lookupByEmail", status=500, times=2)
    fake_slack.fail("conversations.open", status=503, times=2)
    env = bot_env(seeded, fake_slack.base_url, FRIST_TICK_SECONDS="1", FRIST_RETRY_BACKOFF_SECONDS="1")
    process = start(["serve", "--port", str(free_port()), "--host", "127.0.0.1"], env)
    try:
        wait_for_reminders(fake_slack, seeded, reminders_due, timeout=120)
    finally:
        stop_clean(process)
    assert len(fake_slack.rejected_to("users.lookupByEmail")) >= 5
    assert len(fake_slack.rejected_to("conversations.open")) >= 2
    assert_each_contact_reminded_once(fake_slack, seeded, reminders_due)
    found = [call.args["email"] for call in fake_slack.calls_to("users.lookupByEmail")]
    assert len(found) == len(set(found)) == reminders_due - 1  # everyone but Kari, once each
