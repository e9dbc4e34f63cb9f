"""Requests Bolt cannot read get 400 or 401 from `frist serve`, and a warning without a traceback."""

from __future__ import annotations

from urllib.parse import quote

from tests.e2e.conftest import Serve
from tests.fakes.signing import FORM, JSON, event_body
from tests.fakes.slack_api import FakeSlack
from tests.support.seed import KARI
from tests.support.slack_views import wait_posts

SIGNED_BUT_UNREADABLE = {
    "broken JSON": (b'{"type": "event_callback", "event": {', JSON, "the body must be a JSON object"),
    "a JSON array": (b'[{"type": "event_callback"}]', JSON, "the body must be a JSON object"),
    "a JSON string": (b'"event_callback"', JSON, "the body must be a JSON object"),
    "payload not JSON": (
        b"payload=" + quote("{not json").encode(),
        FORM,
        "the form field `payload` must be a JSON object",
    ),
    "payload a JSON array": (
        b"payload=" + quote("[1, 2]").encode(),
        FORM,
        "the form field `payload` must be a JSON object",
    ),
    "not UTF-8": (b'{"text": "\xff\xfe"}', JSON, "the body must be UTF-8"),
}


def test_a_signed_body_bolt_cannot_read_gets_400_saying_what_was_expected(serve: Serve) -> None:
    bot, output = serve("--threads", "2")
    for case, (body, content_type, expected) in SIGNED_BUT_UNREADABLE.items():
        reply = bot.post(body, content_type)
        assert (reply.status, reply.body.strip()) == (400, expected), case
    assert bot.get("/healthz").status == 200
    log = output.stop()
    assert log.count("refused a request to /slack/events with 400") == len(SIGNED_BUT_UNREADABLE)
    assert "Traceback" not in log


def test_a_timestamp_that_is_not_a_number_gets_401_and_so_does_a_bad_body_that_is_not_signed(
    serve: Serve, fake_slack: FakeSlack
) -> None:
    bot, output = serve("--threads", "2")
    body = event_body({"type": "message", "channel_type": "im", "channel": "D0KARI", "user": KARI, "text": "hei"})
    forged = {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": bot.signer.signature(body, "soon")}
    reply = bot.post(body, JSON, headers=forged)
    assert reply.status == 401 and "whole seconds" in reply.body
    assert bot.post(b"[1, 2", JSON, signature="v0=" + "0" * 64).status == 401
    assert bot.dm(KARI, "hei").status == 200  # and a good request is still served
    wait_posts(fake_slack, 1)
    log = output.stop()
    assert log.count("refused a request to /slack/events with 401") == 2
    assert "Traceback" not in log
