"""`frist serve` over real HTTP, requests signed as Slack signs them, against the fake Slack: a whole
application, and Slack's signature checked at the door. What the listeners do is tested in-process
(tests/bot/test_listeners.py), where it runs in milliseconds."""

from __future__ import annotations

import time

from sqlalchemy import Engine

from bot.formatting import NBSP
from models import SubmissionStatus
from tests.fakes.signing import JSON, event_body
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import SECRETARIAT_CHANNEL, SECRETARIAT_USER, BotServer
from tests.support.forms import HAPPY
from tests.support.seed import KARI, the_submission
from tests.support.slack_views import answer_all, block_action, button, posts, text_of, wait_posts, wait_settled

DM = "D0KARI"


def test_a_whole_application_from_the_slash_command_to_the_receipt(
    bot: BotServer, fake_slack: FakeSlack, seeded: Engine
) -> None:
    reply = bot.command(KARI, "søk")
    assert reply.status == 200 and "meldingene dine" in reply.json()["text"]
    first = wait_posts(fake_slack, 1)[-1]
    assert "Spørsmål 1 av 9" in text_of(first)
    count = answer_all(bot, fake_slack, HAPPY)
    review = posts(fake_slack)[-1]
    assert "Oppsummering" in text_of(review) and f"kr{NBSP}120{NBSP}000" in text_of(review)
    submit = button(review, "frist_submit")
    trigger = fake_slack.new_trigger_id()
    assert bot.interaction(block_action(KARI, DM, trigger, submit)).status == 200
    assert bot.interaction(block_action(KARI, DM, fake_slack.new_trigger_id(), submit)).status == 200  # double click
    wait_posts(fake_slack, count + 2)
    wait_settled(seeded)
    receipts = [c for c in posts(fake_slack) if "Kvitteringsnummer" in text_of(c)]
    assert len(receipts) == 1 and "2026/8140-5052-1-1" in text_of(receipts[0])
    notices = posts(fake_slack, SECRETARIAT_CHANNEL)
    assert len(notices) == 1
    assert "Leka kommune" in text_of(notices[0]) and f"kr{NBSP}200{NBSP}000" in text_of(notices[0])
    row = the_submission(seeded)
    assert row.status == SubmissionStatus.submitted and row.revision == 1

    view_button = button(notices[0], "frist_view_submission")
    bot.interaction(block_action(SECRETARIAT_USER, SECRETARIAT_CHANNEL, fake_slack.new_trigger_id(), view_button))
    modal = fake_slack.wait_for("views.open")[-1]
    assert "Frikjøp av ressurslærer" in text_of(modal)


def test_a_bad_signature_or_an_old_timestamp_is_refused(bot: BotServer, fake_slack: FakeSlack, seeded: Engine) -> None:
    body = event_body({"type": "message", "channel_type": "im", "channel": DM, "user": KARI, "text": "hei"})
    assert bot.post(body, JSON, signature="v0=" + "0" * 64).status == 401
    assert bot.post(body, JSON, timestamp=int(time.time()) - 600).status == 401
    assert bot.get("/healthz").json() == {"status": "ok"}
    assert bot.post(body, JSON).status == 200  # the same message, signed: answered, once
    wait_posts(fake_slack, 1)
    wait_settled(seeded)
    assert len(posts(fake_slack)) == 1
