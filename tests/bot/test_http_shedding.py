"""The WSGI app of `frist serve` sheds Slack requests while too many wait for a worker (the real
Bolt app against the fake Slack; the waiting queue is a plain list standing in for waitress's)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from sqlalchemy import Engine

from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.server import RETRY_AFTER_SECONDS, WsgiApp, wsgi_app
from tests.fakes.signing import FORM, JSON, SlackSigner, event_body, interaction_body, slash_command_body
from tests.fakes.slack_api import FakeSlack

SECRET = "shedding-signing-secret"
LIMIT = 2


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake
        fake.assert_no_violations()


@pytest.fixture
def waiting() -> list[object]:
    return []


@pytest.fixture
def application(engine: Engine, fake: FakeSlack, waiting: list[object]) -> WsgiApp:
    settings = Settings(
        _env_file=None,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.base_url,
        FRIST_HTTP_QUEUE_LIMIT=LIMIT,
    )
    return wsgi_app(build_app(settings, engine), engine, settings, waiting)


def call(
    application: WsgiApp, method: str, path: str, body: str = "", content_type: str = JSON, **headers: str
) -> tuple[str, dict[str, str], str]:
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path}
    setup_testing_defaults(environ)
    raw = body.encode()
    environ.update({"wsgi.input": io.BytesIO(raw), "CONTENT_LENGTH": str(len(raw)), "CONTENT_TYPE": content_type})
    signed = SlackSigner(SECRET).headers(body) | headers
    environ.update({"HTTP_" + name.upper().replace("-", "_"): value for name, value in signed.items()})
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        answer.update(status=status, headers=dict(response_headers))

    payload = b"".join(application(environ, start_response))
    return answer["status"], answer["headers"], payload.decode()


CHALLENGE = json.dumps({"type": "url_verification", "token": "t", "challenge": "c0ffee"})


def test_a_slack_request_finding_too_many_waiting_gets_503_before_bolt_sees_it(
    application: WsgiApp, waiting: list[object], fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    waiting.extend(range(LIMIT))
    status, _, body = call(application, "POST", "/slack/events", CHALLENGE)
    assert status == "200 OK" and json.loads(body) == {"challenge": "c0ffee"}  # at the limit: Bolt answers

    waiting.append("one more")
    with caplog.at_level(logging.WARNING, logger="frist.http"):
        status, headers, _ = call(application, "POST", "/slack/events", CHALLENGE)
    assert status == "503 Service Unavailable" and headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert caplog.messages == [
        f"overloaded: 3 requests wait for a worker (FRIST_HTTP_QUEUE_LIMIT={LIMIT}); shed a request with 503"
    ]
    assert [c.method for c in fake.calls] == ["auth.test"]  # Bolt's own check at start-up, nothing since


def test_the_warning_names_what_was_shed(
    application: WsgiApp, waiting: list[object], caplog: pytest.LogCaptureFixture
) -> None:
    waiting.extend(range(LIMIT + 5))
    event = event_body({"type": "message", "channel_type": "im", "user": "U1", "text": "hei"}, event_id="Ev0SHED01")
    with caplog.at_level(logging.WARNING, logger="frist.http"):
        call(application, "POST", "/slack/events", event, **{"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "x"})
        call(application, "POST", "/slack/events", event)
        call(application, "POST", "/slack/events", slash_command_body("/frist", "status"), FORM)
        call(application, "POST", "/slack/events", interaction_body({"type": "block_actions"}), FORM)
    prefix = f"overloaded: 7 requests wait for a worker (FRIST_HTTP_QUEUE_LIMIT={LIMIT}); shed "
    assert caplog.messages == [
        prefix + "event Ev0SHED01, Slack's retry 2 (x); Slack will retry it with 503",
        prefix + "event Ev0SHED01; Slack will retry it with 503",
        prefix + "a slash command (Slack does not retry it; the user sees an error and can try again) with 503",
        prefix + "an interaction (Slack does not retry it; the user sees an error and can try again) with 503",
    ]


def test_the_health_check_is_never_shed(application: WsgiApp, waiting: list[object]) -> None:
    waiting.extend(range(100))
    status, _, body = call(application, "GET", "/healthz")
    assert status == "200 OK" and json.loads(body) == {"status": "ok"}
