"""FakeSlack: a real HTTP (and Socket Mode WebSocket) server on loopback that behaves like Slack.

    with FakeSlack() as fake:
        client = WebClient(base_url=fake.base_url, token="xoxb-test")
        client.chat_postMessage(channel="C1", text="hi")
        fake.wait_for("chat.postMessage")
        fake.assert_no_violations()

Every Web API call is checked against Slack's published spec (tests/fakes/slack_web_api_methods.json)
and Block Kit limits (block_kit_limits.py); problems are collected in ``violations`` and answered
like Slack does (``ok: false``). With ``reject_invalid=False`` Block Kit problems are still recorded
but the call is answered as if it succeeded; unknown methods and missing arguments are always refused.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakes import block_kit_limits
from tests.fakes.faults import Faults
from tests.fakes.http_io import Handler, Server, bearer_token, parse_args
from tests.fakes.socket_mode import FakeSocketMode
from tests.fakes.web_responses import SlackWorkspace
from tests.fakes.web_spec import load_methods, missing_args

RESPONSE_URL_METHOD = "response_url"  # Call.method for POSTs to a response_url from new_response_url()
UPLOAD_METHOD = "upload"  # Call.method for the bytes POSTed to an upload URL from files.getUploadURLExternal


@dataclass(frozen=True)
class Call:
    method: str
    args: dict
    token: str | None
    at: float  # the fake's monotonic clock (time.monotonic unless given) when the request arrived
    status: int = 200  # HTTP status answered (rejected calls: 429, 500, ...)


class FakeSlack:
    def __init__(self, *, reject_invalid: bool = True, monotonic: Callable[[], float] = time.monotonic) -> None:
        """`monotonic` is the clock of `rate_limit` and of `Call.at`: a test's fake time makes
        Slack's per-minute limits hold in that time."""
        self.reject_invalid = reject_invalid
        self.monotonic = monotonic
        self.workspace = SlackWorkspace()
        self.methods = load_methods()
        self.faults = Faults(monotonic)
        self.socket_mode = FakeSocketMode(self.workspace.app_id, self._violation)
        self.workspace.open_socket_url = self.socket_mode.issue_url
        self._lock = threading.Condition()
        self._calls: list[Call] = []
        self._rejected: list[Call] = []
        self._violations: list[str] = []
        self._hooks = itertools.count(1)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()  # ends stalled requests

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.dispatch = self._dispatch
        self.workspace.http_root = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-slack-http", daemon=True
        )
        self._thread.start()
        self.socket_mode.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.socket_mode.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "FakeSlack not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """What slack_sdk's WebClient(base_url=...) and Bolt's App(client=...) take."""
        return f"{self.workspace.http_root}/api/"

    # --- seeded state ----------------------------------------------------------------------
    @property
    def users_by_email(self) -> dict[str, str]:
        return self.workspace.users_by_email

    @users_by_email.setter
    def users_by_email(self, value: dict[str, str]) -> None:
        self.workspace.users_by_email = dict(value)

    @property
    def users(self) -> dict[str, dict]:
        return self.workspace.users

    @users.setter
    def users(self, value: dict[str, dict]) -> None:
        self.workspace.users = dict(value)

    def new_trigger_id(self) -> str:
        """A trigger_id that, like Slack's, views.open/push reject after 3 seconds."""
        return self.workspace.new_trigger_id()

    def new_response_url(self) -> str:
        """A response_url; POSTs to it are recorded as calls to method "response_url"."""
        return f"{self.workspace.http_root}/commands/{self.workspace.team_id}/{next(self._hooks)}/fakehook"

    # --- recorded traffic ------------------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    @property
    def rejected(self) -> list[Call]:
        with self._lock:
            return list(self._rejected)

    @property
    def violations(self) -> list[str]:
        with self._lock:
            return list(self._violations)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def rejected_to(self, method: str) -> list[Call]:
        return [call for call in self.rejected if call.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Wait until ``count`` calls to ``method`` (matching ``predicate``) arrived; returns them all."""

        def matching() -> list[Call]:
            return [c for c in self._calls if c.method == method and (predicate is None or predicate(c))]

        with self._lock:
            if self._lock.wait_for(lambda: len(matching()) >= count, timeout):
                return matching()
            seen = "\n  ".join(f"{c.method} {c.args!r:.300}" for c in self._calls) or "(none)"
        raise AssertionError(f"expected {count} call(s) to {method} within {timeout}s; calls so far:\n  {seen}")

    def reset(self) -> None:
        """Forget recorded calls, violations, faults and socket traffic (seeded users stay)."""
        with self._lock:
            self._calls.clear()
            self._rejected.clear()
            self._violations.clear()
        self.faults.clear()
        self.socket_mode.reset()

    def assert_no_violations(self) -> None:
        problems = self.violations
        if problems:
            raise AssertionError("Slack spec violations:\n  " + "\n  ".join(problems))

    def _violation(self, problem: str) -> None:
        with self._lock:
            self._violations.append(problem)

    def _record(self, call: Call, *, rejected: bool = False) -> None:
        with self._lock:
            (self._rejected if rejected else self._calls).append(call)
            self._lock.notify_all()

    # --- fault injection -------------------------------------------------------------------
    def fail(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        error: str | None = None,
        after: int = 0,
    ) -> None:
        """Answer ``times`` calls to ``method`` ("*" = any) with HTTP ``status``, after ``after`` normal ones."""
        self.faults.fail(method, status=status, retry_after=retry_after, times=times, error=error, after=after)

    def rate_limit(self, method: str, per_second: float | None) -> None:
        """Answer 429 + Retry-After to calls to ``method`` beyond ``per_second`` (None: no limit)."""
        self.faults.rate_limit(method, per_second)

    def stall(self, method: str, seconds: float, times: int = 1, after: int = 0) -> None:
        """Leave ``times`` calls to ``method`` unanswered for ``seconds``, then drop them (a timeout),
        after ``after`` normal ones."""
        self.faults.stall(method, seconds, times, after)

    # --- Socket Mode -----------------------------------------------------------------------
    def send_envelope(self, payload_type: str, payload: dict, **options: Any) -> str:
        """Push an events_api / slash_commands / interactive envelope; returns its envelope_id."""
        return self.socket_mode.send_envelope(payload_type, payload, **options)

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict:
        return self.socket_mode.wait_for_ack(envelope_id, timeout)

    def wait_for_socket_connection(self, timeout: float = 5.0) -> None:
        self.socket_mode.wait_for_connection(timeout)

    def send_disconnect(self, reason: str = "refresh_requested") -> None:
        self.socket_mode.send_disconnect(reason)

    # --- request handling ------------------------------------------------------------------
    def _dispatch(self, request: Handler) -> None:
        arrived = self.monotonic()
        path, _, query = request.path.partition("?")
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length)
        if len(body) < length:  # the client went away mid-request (a process stopped): no call was made
            request.close_connection = True
            return None
        if path.startswith("/upload/v1/"):
            return self._upload(request, path.rsplit("/", 1)[-1], body)
        if path.startswith("/commands/") and request.command == "POST":
            url = self.workspace.http_root + path
            try:
                args = json.loads(body or b"{}") | {"response_url": url}
            except (ValueError, TypeError):
                self._violation(f"response_url: body is not a JSON object: {body!r:.200}")
                return request.reply(400, "invalid_payload")
            self._record(Call(RESPONSE_URL_METHOD, args, None, arrived))
            return request.reply(200, "ok")
        if not path.startswith("/api/") or len(path) <= len("/api/"):
            return request.reply(404, "not found")
        method = path[len("/api/") :]
        try:
            args = parse_args(query, request.headers.get("Content-Type", ""), body)
        except (ValueError, UnicodeDecodeError) as error:
            self._violation(f"{method}: unreadable request body ({error})")
            return request.reply(200, {"ok": False, "error": "invalid_form_data"})
        token = bearer_token(request.headers.get("Authorization")) or args.get("token")
        args.pop("token", None)

        fault = self.faults.check(method)
        if fault is not None:
            self._record(Call(method, args, token, arrived, fault.status), rejected=True)
            if fault.stall:
                self._stopping.wait(fault.stall)
                request.close_connection = True
                return None
            return request.reply(fault.status, fault.body, fault.headers)
        self._record(Call(method, args, token, arrived))
        request.reply(200, self._answer(method, args, token))

    def _answer(self, method: str, args: dict, token: str | None) -> dict:
        spec = self.methods.get(method)
        if spec is None:
            self._violation(f"{method}: not a method in Slack's Web API spec")
            return {"ok": False, "error": "unknown_method"}
        if spec.needs_token and not token:
            self._violation(f"{method}: no token (neither Authorization header nor token arg)")
            return {"ok": False, "error": "not_authed"}
        app_token = bool(token and token.startswith("xapp-"))
        if spec.needs_token and app_token != (method == "apps.connections.open"):
            kind = "an app-level" if app_token else "a bot/user"
            self._violation(f"{method}: called with {kind} token")
            return {"ok": False, "error": "not_allowed_token_type"}
        problems = missing_args(spec, args, token)
        if problems:  # Slack cannot act on these at all, so they are always refused
            for problem in problems:
                self._violation(problem)
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
        problems = block_kit_limits.check_call(method, args)
        for problem in problems:
            self._violation(f"{method}: {problem}")
        if problems and self.reject_invalid:
            error = "invalid_arguments"
            if method in block_kit_limits.MESSAGE_METHODS:
                too_long = all(p.startswith("message: text is") for p in problems)
                error = "msg_too_long" if too_long else "invalid_blocks"
            return {"ok": False, "error": error, "response_metadata": {"messages": problems}}
        try:
            return self.workspace.answer(method, args, token)
        except Exception as error:  # a bug in the fake, or input it was told not to reject
            self._violation(f"{method}: fake could not answer ({error!r})")
            return {"ok": False, "error": "fatal_error"}

    def _upload(self, request: Handler, file_id: str, body: bytes) -> None:
        """The upload URL files.getUploadURLExternal hands out: Slack takes the file's bytes as the
        body of a POST, and only as many as were announced in `length`. Faults scripted for the
        method "upload" (``fail("upload", 500)``) apply here."""
        arrived = self.monotonic()
        fault = self.faults.check(UPLOAD_METHOD)
        if fault is not None:
            self._record(
                Call(UPLOAD_METHOD, {"file_id": file_id, "size": len(body)}, None, arrived, fault.status), rejected=True
            )
            return request.reply(fault.status, fault.body, fault.headers)
        with self.workspace.lock:
            upload = self.workspace.uploads.get(file_id)
            if upload is not None and request.command == "POST" and len(body) == upload["length"]:
                upload["data"] = body
        self._record(Call(UPLOAD_METHOD, {"file_id": file_id, "size": len(body)}, None, arrived))
        if upload is None:
            self._violation(f"upload: unknown file id {file_id}")
            return request.reply(404, "not found")
        if request.command != "POST":
            self._violation(f"upload: {request.command} instead of POST for {file_id}")
            return request.reply(405, "method not allowed")
        if len(body) != upload["length"]:
            self._violation(f"upload: {len(body)} bytes for {file_id}, announced {upload['length']} (`length`)")
            return request.reply(400, "length mismatch")
        request.reply(200, f"OK - {len(body)}")

    def uploaded_files(self) -> list[dict[str, Any]]:
        """The files completed with files.completeUploadExternal, in order: id, name, title,
        channel_id, initial_comment, thread_ts and data (the bytes received at the upload URL)."""
        with self.workspace.lock:
            return [dict(upload) for upload in self.workspace.completed_uploads]
