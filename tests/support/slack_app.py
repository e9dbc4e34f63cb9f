"""The real Bolt app in-process: requests signed as Slack signs them go straight to `App.dispatch`,
and the app talks to the fake Slack over loopback. Listeners run before `dispatch` returns, as they
run before Slack gets its 200; the replies they stored are posted by the app's poster threads
(`drain` waits for them)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltRequest
from sqlalchemy import Engine

from bot.settings import Settings
from bot.slack.app import build
from bot.slack.deps import Deps
from models.clock import Clock, system_clock
from reminders.worker import Worker
from tests.fakes.signing import SlackSigner
from tests.support.bot_process import SIGNING_SECRET, BotServer, Response, bot_env


class InProcessApp(BotServer):
    """`BotServer`'s requests (dm, command, interaction, event), dispatched without a socket."""

    def __init__(self, app: App, deps: Deps) -> None:
        self.app, self.deps = app, deps
        self.signer = SlackSigner(SIGNING_SECRET)

    def post(
        self,
        body: str | bytes,
        content_type: str,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        signed = self.signed_headers(body, content_type, timestamp, signature, headers)
        text = body.decode() if isinstance(body, bytes) else body
        reply = self.app.dispatch(BoltRequest(body=text, headers=dict(signed)))
        return Response(reply.status, reply.body)

    def drain(self) -> None:
        """Wait until every reply the listeners stored has been tried."""
        self.deps.poster.drain()

    def deliver_due(self) -> int:
        """What a bot process's outbox worker does on its next rounds: send every message that is due
        (announcements, notices, retries); returns how many were sent."""
        poster = self.deps.poster
        worker = Worker(self.deps.engine, poster.notifier, self.deps.clock, "in-process-worker", poster.settings)
        return worker.run_until_idle()


def in_process_app(engine: Engine, slack_url: str, clock: Clock = system_clock, **extra: Any) -> InProcessApp:
    """The app with the e2e bot's settings, and `extra` environment variables on top."""
    env: dict[str, Any] = {name: value for name, value in bot_env(engine, slack_url, **extra).items() if value}
    return InProcessApp(*build(Settings(_env_file=None, **env), engine, clock))
