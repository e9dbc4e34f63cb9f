"""`frist run` in Socket Mode: the fake Slack hands out a loopback WebSocket and delivers an envelope."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.fakes.signing import event_callback, slash_command_payload
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import bot_env, start, stop_clean
from tests.support.seed import KARI
from tests.support.slack_views import text_of, wait_posts


@pytest.fixture
def socket_bot(seeded: Engine, fake_slack: FakeSlack) -> Iterator[None]:
    env = bot_env(seeded, fake_slack.base_url, SLACK_APP_TOKEN="xapp-1-A0FAKE0001-e2e", SLACK_SIGNING_SECRET="")
    process = start(["run"], env)
    try:
        fake_slack.wait_for_socket_connection(timeout=30)
        yield
    finally:
        stop_clean(process)


def test_an_envelope_is_acknowledged_and_answered(socket_bot: None, fake_slack: FakeSlack) -> None:
    command = fake_slack.send_envelope("slash_commands", slash_command_payload("/frist", "søk", user_id=KARI))
    ack = fake_slack.wait_for_ack(command, timeout=10)
    assert "meldingene dine" in ack["payload"]["text"]
    assert "Spørsmål 1 av 9" in text_of(wait_posts(fake_slack, 1)[-1])

    message = {"type": "message", "channel_type": "im", "channel": "D0KARI", "user": KARI, "text": "Mål"}
    envelope = fake_slack.send_envelope("events_api", event_callback(message))
    fake_slack.wait_for_ack(envelope, timeout=10)
    assert "Spørsmål 2 av 9" in text_of(wait_posts(fake_slack, 2)[-1])
