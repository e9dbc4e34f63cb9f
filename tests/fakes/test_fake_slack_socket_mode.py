"""Tests for FakeSlack's Socket Mode server and for the request-signing helpers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import websocket
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from tests.fakes.signing import (
    FORM,
    JSON,
    SlackSigner,
    event_body,
    event_callback,
    interaction_body,
    slash_command_body,
    slash_command_payload,
)
from tests.fakes.slack_api import FakeSlack
from tests.support.waiting import wait_until

WRAPPER_SCHEMA = (
    Path(__file__).resolve().parents[3] / "shared" / "slack-api-specs" / "slack_common_event_wrapper_schema.json"
)
APP_TOKEN = "xapp-1-A0FAKE0001-1-secret"
MENTION = {"type": "app_mention", "user": "U123", "text": "<@U0FAKEBOT1> frister", "channel": "C1"}
SUBMISSION = {"type": "view_submission", "user": {"id": "U123"}, "view": {"id": "V1", "state": {"values": {}}}}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def test_socket_mode_client_round_trip(fake: FakeSlack) -> None:
    client = SocketModeClient(
        app_token=APP_TOKEN, web_client=WebClient(base_url=fake.base_url), auto_reconnect_enabled=False
    )
    seen: list[dict] = []
    requests: list[SocketModeRequest] = []

    def listener(client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        requests.append(request)
        payload = {"text": "Mottatt"} if request.type == "slash_commands" else None
        client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id, payload=payload))

    client.socket_mode_request_listeners.append(listener)
    client.on_message_listeners.append(lambda message: seen.append(json.loads(message)))
    try:
        client.connect()
        fake.wait_for_socket_connection()
        event_id = fake.send_envelope("events_api", event_callback(MENTION))
        assert fake.wait_for_ack(event_id) == {"envelope_id": event_id}
        command_id = fake.send_envelope("slash_commands", slash_command_payload("/frist", "neste"))
        assert fake.wait_for_ack(command_id) == {"envelope_id": command_id, "payload": {"text": "Mottatt"}}
    finally:
        client.close()

    assert seen[0]["type"] == "hello" and seen[0]["connection_info"] == {"app_id": "A0FAKE0001"}
    assert [r.type for r in requests] == ["events_api", "slash_commands"]
    assert requests[0].payload["event"]["text"] == MENTION["text"]
    assert requests[0].retry_attempt == 0 and requests[1].accepts_response_payload
    (call,) = fake.calls_to("apps.connections.open")
    assert call.token == APP_TOKEN
    fake.assert_no_violations()


def test_raw_websocket_sees_slack_shapes(fake: FakeSlack) -> None:
    url = WebClient(base_url=fake.base_url).apps_connections_open(app_token=APP_TOKEN)["url"]
    assert url.startswith("ws://127.0.0.1:") and "/link/?ticket=" in url
    ws = websocket.create_connection(url, timeout=5)
    try:
        hello = json.loads(ws.recv())
        assert set(hello) == {"type", "num_connections", "debug_info", "connection_info"}
        assert hello["type"] == "hello" and hello["num_connections"] == 1

        envelope_id = fake.send_envelope("interactive", SUBMISSION)
        envelope = json.loads(ws.recv())
        assert envelope == {
            "envelope_id": envelope_id,
            "payload": SUBMISSION,
            "type": "interactive",
            "accepts_response_payload": True,  # a view_submission ack may carry response_action
        }
        ack = {"envelope_id": envelope_id, "payload": {"response_action": "clear"}}
        ws.send(json.dumps(ack))
        assert fake.wait_for_ack(envelope_id) == ack
        ws.send(json.dumps({"envelope_id": "never-sent"}))
        fake.send_disconnect()
        assert json.loads(ws.recv())["type"] == "disconnect"
    finally:
        ws.close()
    wait_until(lambda: fake.violations, 5, "no violation recorded")  # the server reads the stray ack on its own thread
    assert fake.violations == ["socket mode: ack for unknown envelope never-sent"]


def test_connecting_without_a_ticket_is_a_violation(fake: FakeSlack) -> None:
    ws = websocket.create_connection(f"ws://127.0.0.1:{fake.socket_mode.port}/link/?ticket=guess", timeout=5)
    try:
        assert json.loads(ws.recv())["type"] == "hello"
    finally:
        ws.close()
    assert fake.violations == ["socket mode: connected without a ticket from apps.connections.open"]


def test_unacknowledged_envelope_times_out(fake: FakeSlack) -> None:
    ws = websocket.create_connection(fake.socket_mode.issue_url(), timeout=5)
    try:
        envelope_id = fake.send_envelope("events_api", event_callback(MENTION))
        with pytest.raises(AssertionError, match="not acknowledged"):
            fake.wait_for_ack(envelope_id, timeout=0.2)
    finally:
        ws.close()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (slash_command_body("/frist", "neste uke"), FORM),
        (interaction_body({"type": "block_actions", "actions": [{"action_id": "ok"}]}), FORM),
        (event_body(MENTION), JSON),
    ],
)
def test_signed_bodies_verify(body: str, content_type: str) -> None:
    signer = SlackSigner("hemmelig")
    headers = signer.headers(body, content_type=content_type)
    assert headers["Content-Type"] == content_type
    assert SignatureVerifier("hemmelig").is_valid_request(body, headers)
    assert not SignatureVerifier("annen").is_valid_request(body, headers)
    old = signer.headers(body, timestamp=int(headers["X-Slack-Request-Timestamp"]) - 6 * 60)
    assert not SignatureVerifier("hemmelig").is_valid_request(body, old)


def test_form_bodies_decode_like_slack_sends_them() -> None:
    command = parse_qs(slash_command_body("/frist", "neste uke", user_id="U9"))
    assert command["command"] == ["/frist"] and command["text"] == ["neste uke"] and command["user_id"] == ["U9"]
    payload = json.loads(parse_qs(interaction_body(SUBMISSION))["payload"][0])
    assert payload == SUBMISSION


def test_event_wrapper_matches_slack_schema() -> None:
    if not WRAPPER_SCHEMA.exists():
        pytest.skip("Slack's event wrapper schema is not checked out next to the project")
    schema = json.loads(WRAPPER_SCHEMA.read_text())
    wrapper = json.loads(event_body(MENTION, event_id="Ev1", event_time=1_700_000_000))
    types = {"string": str, "integer": int, "array": list, "object": dict}
    assert set(schema["required"]) <= wrapper.keys()
    for name, rule in schema["properties"].items():
        if name in wrapper and "type" in rule:
            assert isinstance(wrapper[name], types[rule["type"]]), name
    assert set(schema["properties"]["event"]["required"]) <= wrapper["event"].keys()
    assert len(wrapper["authed_users"]) >= schema["properties"]["authed_users"]["minItems"]
    assert (wrapper["type"], wrapper["event_id"], wrapper["event_time"]) == ("event_callback", "Ev1", 1_700_000_000)
