"""What Slack got a 200 for is stored, with its reply and what it caused; deadlines are judged by
when the contact acted. The real Bolt app in this process, against the fake Slack on loopback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.formatting import format_datetime
from bot.slack.client import web_client
from bot.slack.outbox_notifier import SlackNotifier
from intake import usecases
from models import ArchiveCopy, Call, OutboxKind, OutboxMessage, OutboxStatus, Submission, SubmissionStatus
from reminders.outbox import LEASE
from reminders.worker import Worker
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import SECRETARIAT_CHANNEL
from tests.support.forms import HAPPY
from tests.support.seed import CALL_ID, NOW, contact, seed
from tests.support.slack_app import InProcessApp, in_process_app


@dataclass
class Clock:
    """A clock the test moves by hand."""

    at: datetime

    def __call__(self) -> datetime:
        return self.at


KARI = "U0KARI"


@pytest.fixture
def at_review(engine: Engine) -> Call:
    """Kari of Leka has answered everything and is looking at the review."""
    with Session(engine, expire_on_commit=False) as session:
        call = seed(session)
        kari = contact(session, "kari@leka.example.no")
        usecases.open_submission(session, kari, CALL_ID, NOW)
        for line in HAPPY:
            usecases.answer(session, kari, CALL_ID, line, NOW)
    return call


def texts(fake_slack: FakeSlack, channel: str) -> list[str]:
    return [
        call.args.get("text", "") for call in fake_slack.calls_to("chat.postMessage") if call.args["channel"] == channel
    ]


def submission(engine: Engine) -> Submission:
    with Session(engine) as session:
        return session.exec(select(Submission)).one()


def test_send_inn_typed_before_the_deadline_but_delivered_after_it_is_in_time(
    engine: Engine, fake_slack: FakeSlack, at_review: Call
) -> None:
    deadline = at_review.deadline
    bot = in_process_app(engine, fake_slack.base_url, Clock(deadline + timedelta(seconds=20)))  # Slack's retry
    typed = deadline - timedelta(seconds=50)
    assert bot.dm(KARI, "send inn", typed_at=typed.timestamp()).status == 200
    bot.drain()
    stored = submission(engine)
    assert stored.status == SubmissionStatus.submitted
    assert abs(stored.submitted_at - typed) < timedelta(milliseconds=1)  # type: ignore[operator]
    assert stored.received_at == deadline + timedelta(seconds=20)
    receipt = [text for text in texts(fake_slack, "D0KARI") if "Kvitteringsnummer" in text]
    assert len(receipt) == 1 and f"Sendt: {format_datetime(typed, 'nb')}" in receipt[0]
    assert format_datetime(typed, "nb") != format_datetime(deadline + timedelta(seconds=20), "nb")


def test_send_inn_typed_after_the_deadline_is_late_however_it_arrives(
    engine: Engine, fake_slack: FakeSlack, at_review: Call
) -> None:
    deadline = at_review.deadline
    bot = in_process_app(engine, fake_slack.base_url, Clock(deadline + timedelta(seconds=20)))
    assert bot.dm(KARI, "send inn", typed_at=(deadline + timedelta(seconds=1)).timestamp()).status == 200
    bot.drain()
    assert submission(engine).status == SubmissionStatus.draft
    assert any("ingen åpne utlysninger" in text for text in texts(fake_slack, "D0KARI"))


def test_a_time_slack_could_not_have_sent_is_not_believed(
    engine: Engine, fake_slack: FakeSlack, at_review: Call
) -> None:
    """A ts from long before the delivery (a replayed or broken payload) counts as the time it came."""
    deadline = at_review.deadline
    bot = in_process_app(engine, fake_slack.base_url, Clock(deadline + timedelta(hours=3)))
    assert bot.dm(KARI, "send inn", typed_at=(deadline - timedelta(hours=1)).timestamp()).status == 200
    bot.drain()
    assert submission(engine).status == SubmissionStatus.draft


def outbox(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def crashed_after_commit(bot: InProcessApp) -> None:
    """The process dies right after each commit: nothing it stored is posted by it."""
    bot.deps.poster.send = lambda *args: None  # type: ignore[method-assign]


def take_over(engine: Engine, bot: InProcessApp, clock: Clock) -> Worker:
    """Another bot process with the same settings, once the dead one's lease has run out."""
    settings = bot.deps.settings
    notifier = SlackNotifier(engine, web_client(settings.slack_bot_token, settings.slack_api_url), settings, clock)
    return Worker(engine, notifier, clock, "another-process")


def test_the_receipt_and_the_notice_are_stored_before_slack_gets_its_200_and_sent_once_after_a_crash(
    engine: Engine, fake_slack: FakeSlack, at_review: Call
) -> None:
    clock = Clock(NOW + timedelta(hours=1))
    bot = in_process_app(engine, fake_slack.base_url, clock)
    crashed_after_commit(bot)
    assert bot.dm(KARI, "send inn").status == 200
    assert fake_slack.calls_to("chat.postMessage") == []
    rows = {row.kind: row for row in outbox(engine)}
    assert rows[OutboxKind.reply].status == OutboxStatus.sending  # claimed by the process that died
    assert rows[OutboxKind.notice].status == rows[OutboxKind.archive].status == OutboxStatus.pending
    assert "Kvitteringsnummer" in rows[OutboxKind.reply].data["messages"][0]["text"]

    clock.at += LEASE - timedelta(seconds=1)
    worker = take_over(engine, bot, clock)
    assert worker.run_until_idle() == 2  # the notice and the archive copy; the reply may still be on its way
    clock.at += timedelta(seconds=2)
    assert worker.run_until_idle() == 1  # the dead process's lease has run out: the receipt
    assert worker.run_until_idle() == 0
    receipts = [text for text in texts(fake_slack, "D0KARI") if "Kvitteringsnummer" in text]
    assert len(receipts) == 1 and "2026/8140-5052-1-1" in receipts[0]
    assert len(texts(fake_slack, SECRETARIAT_CHANNEL)) == 1
    with Session(engine) as session:
        assert [copy.receipt_number for copy in session.exec(select(ArchiveCopy))] == ["2026/8140-5052-1-1"]


def test_every_answer_and_its_reply_are_in_before_the_ack_and_a_retry_changes_nothing(
    engine: Engine, fake_slack: FakeSlack, at_review: Call
) -> None:
    clock = Clock(NOW + timedelta(hours=1))
    bot = in_process_app(engine, fake_slack.base_url, clock)
    crashed_after_commit(bot)
    assert bot.dm(KARI, "endre 1", event_id="EvEdit").status == 200
    assert bot.dm(KARI, "Bedre lesing i alle fag", event_id="EvAnswer").status == 200
    assert bot.dm(KARI, "Bedre lesing i alle fag", event_id="EvAnswer").status == 200  # Slack's retry
    assert submission(engine).answers["mal"] == "Bedre lesing i alle fag"
    replies = [row for row in outbox(engine) if row.kind == OutboxKind.reply]
    assert [row.key for row in replies] == ["reply:event:EvEdit", "reply:event:EvAnswer"]
    clock.at += LEASE + timedelta(seconds=1)
    assert take_over(engine, bot, clock).run_until_idle() == 2
    assert len(texts(fake_slack, "D0KARI")) == 2


def test_a_stranger_is_answered_through_the_outbox_too(engine: Engine, fake_slack: FakeSlack, at_review: Call) -> None:
    clock = Clock(NOW)
    fake_slack.users = {"U0NOBODY": {"id": "U0NOBODY", "profile": {"email": "nobody@example.org"}}}
    bot = in_process_app(engine, fake_slack.base_url, clock)
    assert bot.dm("U0NOBODY", "hei", event_id="EvStranger").status == 200
    assert bot.dm("U0NOBODY", "hei", event_id="EvStranger").status == 200  # Slack's retry
    bot.drain()
    assert len(texts(fake_slack, "D0NOBODY")) == 1
    assert [row.status for row in outbox(engine)] == [OutboxStatus.sent]


def test_a_reply_slack_refuses_for_now_is_sent_by_the_worker_later(
    engine: Engine, fake_slack: FakeSlack, at_review: Call
) -> None:
    clock = Clock(NOW + timedelta(hours=1))
    bot = in_process_app(engine, fake_slack.base_url, clock)
    fake_slack.fail("chat.postMessage", status=503, times=20)  # beyond the client's own retries
    assert bot.dm(KARI, "status").status == 200
    bot.drain()
    (row,) = outbox(engine)
    assert row.status == OutboxStatus.pending and row.attempts == 1
    fake_slack.reset()
    clock.at += timedelta(minutes=5)
    assert take_over(engine, bot, clock).run_until_idle() == 1
    assert len(texts(fake_slack, "D0KARI")) == 1
