"""The Socket Mode side of FakeSlack: a WebSocket server on loopback that behaves like Slack's.

On connect it sends ``hello``; tests push envelopes with ``send_envelope`` and read the app's
acknowledgements with ``wait_for_ack``. Shapes follow docs.slack.dev/apis/events-api/using-socket-mode.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

ACK_DEADLINE = 3.0  # Slack expects an acknowledgement within 3 seconds
PAYLOAD_TYPES = {"events_api", "slash_commands", "interactive"}
# Interactive payloads whose acknowledgement may carry a response (response_action, options).
RESPONDING_INTERACTIONS = {"view_submission", "block_suggestion"}


def default_accepts_response_payload(payload_type: str, payload: dict) -> bool:
    if payload_type == "slash_commands":
        return True
    return payload_type == "interactive" and payload.get("type") in RESPONDING_INTERACTIONS


class FakeSocketMode:
    def __init__(self, app_id: str, report: Callable[[str], None]) -> None:
        self.app_id = app_id
        self._report = report  # records a violation on the owning FakeSlack
        self._cond = threading.Condition()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._tickets: set[str] = set()
        self.connections: list[ServerConnection] = []
        self.sent: dict[str, tuple[dict, float]] = {}
        self.acks: dict[str, dict] = {}
        self.messages: list[dict] = []  # everything the app sent, acks included

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        self._server = serve(self._handle, "127.0.0.1", 0, close_timeout=1)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-slack-ws", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        with self._cond:
            connections = list(self.connections)
        for connection in connections:
            connection.close(1001, "server shutting down")
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    @property
    def port(self) -> int:
        assert self._server is not None, "socket mode server not started"
        return self._server.socket.getsockname()[1]

    def issue_url(self) -> str:
        """A fresh wss-like URL, as apps.connections.open returns."""
        ticket = str(uuid.uuid4())
        with self._cond:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    def reset(self) -> None:
        with self._cond:
            self.sent.clear()
            self.acks.clear()
            self.messages.clear()

    # --- per connection --------------------------------------------------------------------
    def _handle(self, connection: ServerConnection) -> None:
        request = connection.request
        query = parse_qs(urlsplit(request.path if request else "").query)
        if query.get("ticket", [""])[0] not in self._tickets:
            self._report("socket mode: connected without a ticket from apps.connections.open")
        with self._cond:
            self.connections.append(connection)
            count = len(self.connections)
            self._cond.notify_all()
        hello = {
            "type": "hello",
            "num_connections": count,
            "debug_info": {"host": "applink-fake-1", "build_number": 1, "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.app_id},
        }
        try:
            connection.send(json.dumps(hello))
            for raw in connection:
                self._received(raw)
        except ConnectionClosed:
            pass
        finally:
            with self._cond:
                self.connections.remove(connection)
                self._cond.notify_all()

    def _received(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            self._report(f"socket mode: app sent non-JSON {raw!r:.200}")
            return
        with self._cond:
            self.messages.append(message)
            envelope_id = message.get("envelope_id") if isinstance(message, dict) else None
            if envelope_id is None:
                self._report(f"socket mode: app sent a message without envelope_id: {message!r:.200}")
            elif envelope_id not in self.sent:
                self._report(f"socket mode: ack for unknown envelope {envelope_id}")
            elif envelope_id in self.acks:
                self._report(f"socket mode: envelope {envelope_id} acknowledged twice")
            else:
                envelope, sent_at = self.sent[envelope_id]
                late = time.monotonic() - sent_at
                if late > ACK_DEADLINE:
                    self._report(f"socket mode: envelope {envelope_id} acknowledged after {late:.1f}s")
                if "payload" in message and not envelope["accepts_response_payload"]:
                    self._report(f"socket mode: ack for {envelope_id} has a payload Slack would ignore")
                self.acks[envelope_id] = message
            self._cond.notify_all()

    # --- test API --------------------------------------------------------------------------
    def wait_for_connection(self, timeout: float = 5.0) -> ServerConnection:
        with self._cond:
            if not self._cond.wait_for(lambda: self.connections, timeout):
                raise AssertionError(f"no Socket Mode client connected within {timeout}s")
            return self.connections[-1]

    def send_envelope(
        self,
        payload_type: str,
        payload: dict,
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = 5.0,
    ) -> str:
        if payload_type not in PAYLOAD_TYPES:
            raise ValueError(f"payload_type must be one of {sorted(PAYLOAD_TYPES)}")
        connection = self.wait_for_connection(timeout)
        envelope_id = str(uuid.uuid4())
        envelope: dict = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": payload_type,
            "accepts_response_payload": (
                default_accepts_response_payload(payload_type, payload)
                if accepts_response_payload is None
                else accepts_response_payload
            ),
        }
        if payload_type == "events_api":
            envelope |= {"retry_attempt": retry_attempt, "retry_reason": retry_reason}
        with self._cond:
            self.sent[envelope_id] = (envelope, time.monotonic())
        connection.send(json.dumps(envelope))
        return envelope_id

    def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Slack asks clients to reconnect (reason: warning, refresh_requested, link_disabled)."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake-1"}}
        self.wait_for_connection().send(json.dumps(message))

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict:
        with self._cond:
            if not self._cond.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(
                    f"envelope {envelope_id} not acknowledged within {timeout}s; app sent: {self.messages!r:.2000}"
                )
            return self.acks[envelope_id]
