"""Deliveries of several posts that fail part-way: the retry goes on after the last post that went
out (the real SlackNotifier behind the real outbox worker, and the posting helper itself)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.settings import Settings
from bot.slack.blocks import Message
from bot.slack.client import post_in_order
from bot.slack.digest_blocks import digest_messages
from bot.slack.outbox_notifier import SlackNotifier
from models import Intent, OutboxMessage, OutboxStatus, enqueue
from reminders.worker import Worker, WorkerSettings
from tests.bot.test_digest_blocks import CALL, build
from tests.fakes.slack_api import FakeSlack
from tests.support.seed import CALL_ID, NOW, contact, seed

CHANNEL = "C0SEKRETAR"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def digest_row(engine: Engine) -> OutboxMessage:
    with Session(engine) as session:
        return session.exec(select(OutboxMessage).where(OutboxMessage.kind == "digest")).one()


@pytest.mark.parametrize("status", [500, 429])
def test_a_digest_whose_thread_fails_part_way_goes_on_under_the_same_message(
    engine: Engine, session: Session, status: int
) -> None:
    digest = build(session)
    main, thread = digest_messages(digest, "nb")
    assert len(main) == 1 and thread
    enqueue(session, [Intent(f"digest:{CALL}:test", "digest", CALL, NOW, None)], NOW)
    session.commit()
    clock = Clock()
    with FakeSlack() as fake:
        settings = Settings(
            _env_file=None,
            SLACK_BOT_TOKEN="xoxb-test",
            SLACK_API_URL=fake.base_url,
            FRIST_SECRETARIAT_CHANNEL=CHANNEL,
        )
        notifier = SlackNotifier(engine, WebClient(token="xoxb-test", base_url=fake.base_url), settings, clock)
        worker = Worker(engine, notifier, clock, "w1", WorkerSettings(per_minute=60_000, per_channel_per_second=1_000))
        fake.fail("chat.postMessage", status=status, retry_after=0, after=1)  # the main message goes out, then not

        worker.run_once()
        row = digest_row(engine)
        kept = row.data["progress"]
        assert row.status == OutboxStatus.pending and "posted" not in kept and len(kept["messages"]) == len(thread)
        assert row.attempts == (1 if status == 500 else 0)

        clock.now += timedelta(minutes=5)
        worker.run_once()
        posts = [call.args for call in fake.calls_to("chat.postMessage")]
        assert fake.violations == []

    assert digest_row(engine).status == OutboxStatus.sent
    top = [args for args in posts if not args.get("thread_ts")]
    replies = [args for args in posts if args.get("thread_ts")]
    assert len(top) == 1, "the main message was posted again"
    assert len(replies) == len(thread) and {args["thread_ts"] for args in replies} == {kept["ts"]}
    assert [args["text"] for args in replies] == [message.text for message in thread]


def test_posting_in_order_resumes_with_the_rest_of_the_same_messages() -> None:
    messages = [
        Message(f"del {n}", [{"type": "section", "text": {"type": "mrkdwn", "text": f"del {n}"}}]) for n in (1, 2, 3)
    ]
    progress: dict[str, Any] = {}
    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        fake.fail("chat.postMessage", status=500, after=1)
        with pytest.raises(SlackApiError):
            post_in_order(client, "D0KARI", messages, progress)
        assert progress["posted"] == 1 and len(progress["messages"]) == 3
        rendered_again = [Message("ny 1", []), Message("ny 2", [])]  # e.g. a digest built a minute later
        post_in_order(client, "D0KARI", rendered_again, progress)
        texts = [call.args["text"] for call in fake.calls_to("chat.postMessage")]
    assert texts == ["del 1", "del 2", "del 3"] and progress["posted"] == 3


def test_a_contacts_dm_channel_is_opened_once_for_all_their_reminders(engine: Engine, session: Session) -> None:
    seed(session)
    kari = contact(session, "kari@leka.example.no")
    intents = [
        Intent(f"reminder:{CALL_ID}:5052:{kari.id}:d{days}", "reminder", CALL_ID, NOW, None, "5052", kari.id)
        for days in (7, 2)
    ]
    enqueue(session, intents, NOW)
    session.commit()
    clock = Clock()
    with FakeSlack() as fake:
        settings = Settings(_env_file=None, SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=fake.base_url)
        notifier = SlackNotifier(engine, WebClient(token="xoxb-test", base_url=fake.base_url), settings, clock)
        worker = Worker(engine, notifier, clock, "w1", WorkerSettings(per_minute=60_000, per_channel_per_second=1_000))
        assert worker.run_until_idle() == 2
        opened = fake.calls_to("conversations.open")
        posts = fake.calls_to("chat.postMessage")
        assert fake.violations == []
    assert [call.args["users"] for call in opened] == ["U0KARI"]
    assert len(posts) == 2 and len({call.args["channel"] for call in posts}) == 1
