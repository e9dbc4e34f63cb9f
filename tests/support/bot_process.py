"""`frist serve` / `frist run` as a real process against a real database and the fake Slack."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.fakes.signing import FORM, JSON, SlackSigner, event_body, interaction_body, slash_command_body
from tests.support.waiting import wait_until

ROOT = Path(__file__).parents[2]
SIGNING_SECRET = "e2e-signing-secret-0123456789"
SECRETARIAT_CHANNEL = "C0SEKRETAR"
SECRETARIAT_USER = "U0SEKRETAR"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bot_env(engine: Engine, slack_api_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "SLACK_BOT_TOKEN": "xoxb-e2e-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": slack_api_url,
        "FRIST_SECRETARIAT_CHANNEL": SECRETARIAT_CHANNEL,
        "FRIST_SECRETARIAT_USERS": SECRETARIAT_USER,
        # Slack's pace for e-mail lookups and DMs (Tier 3) is 50 a minute: 26 contacts would take half a minute.
        "FRIST_RATE_LOOKUPS_PER_MINUTE": "600",
        **extra,
    }


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import main; main()", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen[bytes]) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output.decode(errors="replace")


def fail_on_traceback(output: str) -> str:
    """A bug the bot survived is still a bug: a traceback in its log fails the test that caused it."""
    if "Traceback (most recent call last)" in output:
        pytest.fail(f"the bot process logged a traceback:\n{output}", pytrace=False)
    return output


def stop_clean(process: subprocess.Popen[bytes]) -> str:
    """Stop the process; fail the test if it logged a traceback."""
    return fail_on_traceback(stop(process))


class Output:
    """The output of a started process, read as it comes, so a test can wait for a line in its log."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self._lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, name="bot-output", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self._lines.append(line.decode(errors="replace"))
                self._changed.notify_all()

    @property
    def text(self) -> str:
        with self._changed:
            return "".join(self._lines)

    def wait_for(self, pattern: str, timeout: float = 10) -> re.Match[str]:
        """The first match of the regular expression `pattern` in the output, once it is there."""
        found: list[re.Match[str]] = []

        def seen() -> bool:
            found[:] = [m for m in [re.search(pattern, "".join(self._lines))] if m]
            return bool(found) or self.process.poll() is not None

        with self._changed:
            self._changed.wait_for(seen, timeout)
        if not found:
            raise AssertionError(f"no {pattern!r} in the output within {timeout}s:\n{self.text}")
        return found[0]

    def stop(self) -> str:
        """Stop the process (if it still runs) and return everything it wrote."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=10)
        return self.text


@dataclass
class Response:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class BotServer:
    """Sends requests to `frist serve` signed exactly as Slack signs them."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.signer = SlackSigner(SIGNING_SECRET)

    def wait_until_healthy(self, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
        def healthy() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"frist serve exited: {stop(process)}")
            try:
                return self.get("/healthz").status == 200
            except OSError:
                return False

        wait_until(healthy, timeout, "frist serve did not become healthy")

    def get(self, path: str) -> Response:
        return self._send(urllib.request.Request(self.url + path))

    def post(
        self,
        body: str | bytes,
        content_type: str,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        request = urllib.request.Request(
            self.url + "/slack/events",
            data=body.encode() if isinstance(body, str) else body,
            method="POST",
            headers=self.signed_headers(body, content_type, timestamp, signature, headers),
        )
        return self._send(request)

    def signed_headers(
        self,
        body: str | bytes,
        content_type: str,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, str]:
        """The headers Slack sends with `body`; `signature` overrides the real one, `headers` add to them."""
        signed = self.signer.headers(body, timestamp=timestamp, content_type=content_type)
        if signature is not None:
            signed["X-Slack-Signature"] = signature
        return {**signed, **(headers or {})}

    def event(self, event: dict[str, Any], event_id: str | None = None, retry: int = 0) -> Response:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.post(event_body(event, event_id=event_id), JSON, headers=headers)

    def dm(
        self, user: str, text: str, event_id: str | None = None, retry: int = 0, typed_at: float | None = None
    ) -> Response:
        """A DM; `typed_at` is the message's own ts in Unix seconds (now by default)."""
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": f"D{user[1:]}",
            "user": user,
            "text": text,
            "ts": f"{time.time() if typed_at is None else typed_at:.6f}",
        }
        return self.event(event, event_id, retry)

    def command(self, user: str, text: str, trigger_id: str | None = None) -> Response:
        fields = {"user_id": user}
        if trigger_id:
            fields["trigger_id"] = trigger_id
        return self.post(slash_command_body("/frist", text, **fields), FORM)

    def interaction(self, payload: dict[str, Any]) -> Response:
        return self.post(interaction_body(payload), FORM)

    @staticmethod
    def _send(request: urllib.request.Request) -> Response:
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return Response(reply.status, reply.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read().decode())
