"""Finding contacts in Slack by e-mail while Slack is busy: the real SlackNotifier behind the real
outbox worker, against the fake Slack over loopback HTTP.

A rate limit, a 5xx or a timeout from users.lookupByEmail or conversations.open is temporary; only
Slack's "no such user" is final, and the digest names those contacts. One fake time runs the
worker's clock, both rate limiters and the fake Slack's per-minute limits: waiting moves it on, so
four minutes of Slack's Tier 3 pace pass in a few seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.render import render
from bot.settings import Settings
from bot.slack.digest_blocks import digest_messages
from bot.slack.outbox_notifier import SlackNotifier
from intake.digest import UnknownContact, build_digest
from models import Contact, Eligibility, Intent, Language, Organisation, OrgKind, OutboxMessage, OutboxStatus, enqueue
from reminders.rate import RateLimiter
from reminders.worker import Worker, WorkerSettings
from tests.fakes.slack_api import FakeSlack
from tests.support.seed import CALL_ID, NOW, contact, seed

TIER_3 = 50  # calls a minute: users.lookupByEmail and conversations.open at Slack


class FakeTime:
    """The worker's wall clock and the limiters' monotonic clock in one: sleeping moves both on."""

    def __init__(self, at: datetime) -> None:
        self.now, self.elapsed = at, 0.0
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.elapsed

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.elapsed += seconds
            self.now += timedelta(seconds=seconds)

    def advance_to(self, at: datetime) -> None:
        if at > self.now:
            self.sleep((at - self.now).total_seconds())


@pytest.fixture
def time() -> FakeTime:
    return FakeTime(NOW)


@pytest.fixture
def fake(time: FakeTime) -> Iterator[FakeSlack]:
    with FakeSlack(monotonic=time.monotonic) as fake:
        yield fake


def deliverer(
    engine: Engine, fake: FakeSlack, time: FakeTime, lookups_per_minute: float = TIER_3, timeout: float = 10
) -> Worker:
    settings = Settings(
        _env_file=None,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_API_URL=fake.base_url,
        FRIST_RATE_LOOKUPS_PER_MINUTE=str(lookups_per_minute),
    )
    # A real HTTP timeout (the clock above is fake): by default long enough that a busy CI machine never
    # hits it by accident; the timeout tests ask for a short one.
    client = WebClient(token="xoxb-test", base_url=fake.base_url, timeout=timeout)  # type: ignore[arg-type]
    notifier = SlackNotifier(engine, client, settings, time, time.monotonic, time.sleep)
    config = WorkerSettings(per_minute=6000, per_channel_per_second=100, backoff_seconds=30, batch=10)
    limiter = RateLimiter(config.per_minute, config.per_channel_per_second, time.monotonic, time.sleep)
    return Worker(engine, notifier, time, "w1", config, limiter)


def deliver_all(engine: Engine, worker: Worker, time: FakeTime) -> None:
    """What the scheduler's deliver job does every few seconds: run while rows are due, and move
    the clock to the next retry while rows wait for one."""
    for _ in range(100):
        worker.run_until_idle()
        with Session(engine) as session:
            waiting = session.exec(
                select(OutboxMessage.next_attempt_at)
                .where(OutboxMessage.status == OutboxStatus.pending)
                .order_by(col(OutboxMessage.next_attempt_at))
            ).first()
        if waiting is None:
            return
        time.advance_to(waiting)
    raise AssertionError("the outbox did not empty")


def remind(session: Session, contacts: list[Contact]) -> None:
    intents = [
        Intent(f"reminder:{CALL_ID}:{c.org_id}:{c.id}:d7", "reminder", CALL_ID, NOW, None, c.org_id, c.id)
        for c in contacts
    ]
    enqueue(session, intents, NOW)
    session.commit()


def rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def without_slack_ids(session: Session, orgs: int) -> list[Contact]:
    """`orgs` more eligible orgs with two contacts each, imported with no Slack id."""
    seed(session)
    people = []
    for n in range(orgs):
        org_id = f"T{n:03d}"
        session.add(Organisation(id=org_id, name=f"Testkommune {n}", kind=OrgKind.kommune, language=Language.nb))
        session.flush()
        session.add(Eligibility(call_id=CALL_ID, org_id=org_id, frame=100_000))
        for person in "ab":
            people.append(Contact(org_id=org_id, name=f"{person.upper()} {n}", email=f"{person}{n}@t{n}.example.no"))
    session.add_all(people)
    session.commit()
    return people


@pytest.mark.parametrize(
    ("lookups_per_minute", "orgs"), [(TIER_3, 100), (4 * TIER_3, 25)], ids=["paced-as-slack", "faster-than-slack"]
)
def test_reminders_to_contacts_found_by_email_all_arrive_while_slack_rate_limits_lookups(
    engine: Engine, session: Session, fake: FakeSlack, time: FakeTime, lookups_per_minute: int, orgs: int
) -> None:
    """The issue's case: 200 reminders to contacts imported without a Slack id, and Slack's Tier 3
    limit on users.lookupByEmail and conversations.open. Before, 192 of them failed for good."""
    people = without_slack_ids(session, orgs)
    fake.users_by_email = {person.email: f"U0T{n:03d}" for n, person in enumerate(people)}
    for method in ("users.lookupByEmail", "conversations.open"):
        fake.rate_limit(method, per_second=TIER_3 / 60)
    remind(session, people)

    deliver_all(engine, deliverer(engine, fake, time, lookups_per_minute), time)

    assert {row.status for row in rows(engine)} == {OutboxStatus.sent}
    assert {row.attempts for row in rows(engine)} == {0}  # a 429 never counts as an attempt
    lookups = fake.calls_to("users.lookupByEmail")
    assert sorted(call.args["email"] for call in lookups) == sorted(person.email for person in people)
    assert len(fake.calls_to("chat.postMessage")) == len(people) and fake.violations == []
    with Session(engine) as check:  # each one found is remembered: the next reminder needs no lookup
        assert all(check.get(Contact, person.id).slack_user_id for person in people)  # type: ignore[union-attr]
    # The lookups take as long as Tier 3 makes them, whatever pace was asked for: Slack decides.
    assert time.elapsed >= (len(people) - 1) * 60 / TIER_3 - 1
    if lookups_per_minute == TIER_3:
        assert fake.rejected == [], "paced at Slack's own tier, no lookup is refused"
    else:
        assert fake.rejected_to("users.lookupByEmail"), "paced too fast: Slack said 429, and it was honoured"


@pytest.mark.parametrize("method", ["users.lookupByEmail", "conversations.open"])
@pytest.mark.parametrize("fault", ["429", "500", "503", "timeout"])
def test_a_lookup_or_dm_that_fails_for_a_while_is_retried_and_delivered(
    engine: Engine, session: Session, fake: FakeSlack, time: FakeTime, method: str, fault: str
) -> None:
    seed(session)
    per = contact(session, "per@leka.example.no")
    fake.users_by_email = {per.email: "U0PER"}
    if fault == "timeout":
        fake.stall(method, seconds=5)  # the client gives up after 0.5 s
    else:
        fake.fail(method, status=int(fault), retry_after=7)
    remind(session, [per])

    deliver_all(engine, deliverer(engine, fake, time, timeout=0.5), time)

    (row,) = rows(engine)
    assert row.status == OutboxStatus.sent
    assert row.attempts == (0 if fault == "429" else 1)
    assert time.elapsed >= (7 if fault == "429" else 30)  # Retry-After, or the first backoff
    assert len(fake.rejected_to(method)) == 1
    assert len(fake.calls_to("users.lookupByEmail")) == 1  # found once, remembered for the retry
    (post,) = fake.calls_to("chat.postMessage")
    assert post.args["channel"] == fake.workspace.dm_channel("U0PER")[0]


def test_a_contact_slack_has_no_user_for_fails_for_good_and_is_named_in_the_digest(
    engine: Engine, session: Session, fake: FakeSlack, time: FakeTime
) -> None:
    seed(session)
    per, oda = contact(session, "per@leka.example.no"), contact(session, "oda@osen.example.no")
    fake.users_by_email = {oda.email: "U0ODA"}  # nobody in Slack has Per's address
    remind(session, [per, oda])
    enqueue(
        session, [Intent(f"announcement:{CALL_ID}:{per.id}", "announcement", CALL_ID, NOW, None, "5052", per.id)], NOW
    )
    session.commit()

    deliver_all(engine, deliverer(engine, fake, time), time)

    outcome = {row.key: (row.status, row.attempts, row.last_error) for row in rows(engine)}
    assert outcome == {
        f"reminder:{CALL_ID}:5052:{per.id}:d7": (OutboxStatus.failed, 0, "no_slack_user"),
        f"reminder:{CALL_ID}:5020:{oda.id}:d7": (OutboxStatus.sent, 0, None),
        f"announcement:{CALL_ID}:{per.id}": (OutboxStatus.failed, 0, "no_slack_user"),
    }
    assert [call.args["email"] for call in fake.calls_to("users.lookupByEmail")].count(per.email) == 2

    digest = build_digest(session, CALL_ID, time())
    assert digest is not None
    assert digest.unknown_contacts == (UnknownContact("Per Leka", "per@leka.example.no", "Leka kommune", 2),)
    assert digest.failed_deliveries.count == 0  # not listed twice
    main, _ = digest_messages(digest, "nb")
    summary = main[0].text
    assert "*Finnes ikke i Slack* (1): ingen Slack-bruker har e-postadressen deres" in summary
    assert "• Per Leka, per@leka.example.no (Leka kommune): 2 meldinger kom ikke fram" in summary
    nynorsk = render("nn", "digest", "mrkdwn", digest=digest, limit=10)
    assert "*Finst ikkje i Slack* (1): ingen Slack-brukar har e-postadressa deira" in nynorsk
    assert "• Per Leka, per@leka.example.no (Leka kommune): 2 meldingar kom ikkje fram" in nynorsk

    # The secretariat adds Per's Slack id: nothing left to fix, and the two old failures are listed as such.
    per.slack_user_id = "U0PER"
    session.add(per)
    session.commit()
    fixed = build_digest(session, CALL_ID, time())
    assert fixed is not None and fixed.unknown_contacts == ()
    assert [item.error for item in fixed.failed_deliveries.items] == ["no_slack_user", "no_slack_user"]
