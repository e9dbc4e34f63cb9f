"""The real Bolt app in this process, against the fake Slack: signed requests go in through
`App.dispatch`, exactly as the HTTP adapter hands them over, and come back when the listener is done."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy import Engine

from bot.settings import Settings
from bot.slack.app import build
from bot.slack.deps import Deps
from tests.fakes.signing import FORM, JSON, SlackSigner, event_body, interaction_body

SIGNING_SECRET = "in-process-signing-secret"
SECRETARIAT_CHANNEL = "C0SEKRETAR"
SECRETARIAT_USER = "U0SEKRETAR"


@dataclass
class Clock:
    """A clock a test moves by hand."""

    at: datetime

    def __call__(self) -> datetime:
        return self.at


@dataclass
class InProcessBot:
    app: App
    deps: Deps
    signer: SlackSigner = field(default_factory=lambda: SlackSigner(SIGNING_SECRET))
    events: int = 0

    def dispatch(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> BoltResponse:
        signed = {k.lower(): v for k, v in self.signer.headers(body, content_type=content_type).items()}
        return self.app.dispatch(BoltRequest(body=body, headers={**signed, **(headers or {})}))

    def dm(self, user: str, text: str, typed_at: datetime | None = None, event_id: str | None = None) -> BoltResponse:
        """A DM as Slack delivers it; `typed_at` is the message's own ts (now by default)."""
        self.events += 1
        ts = (typed_at.timestamp() if typed_at else time.time()) + self.events / 1e6
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": f"D{user[1:]}",
            "user": user,
            "text": text,
            "ts": f"{ts:.6f}",
        }
        return self.dispatch(event_body(event, event_id=event_id or f"EvIn{self.events:06d}"), JSON)

    def interaction(self, payload: dict[str, Any]) -> BoltResponse:
        return self.dispatch(interaction_body(payload), FORM)

    def drain(self) -> None:
        """Wait until every reply handed to the poster has been tried."""
        self.deps.poster.drain()


def settings_for(fake_url: str, **extra: Any) -> Settings:
    return Settings(
        SLACK_BOT_TOKEN="xoxb-in-process",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_url,
        FRIST_SECRETARIAT_CHANNEL=SECRETARIAT_CHANNEL,
        FRIST_SECRETARIAT_USERS=SECRETARIAT_USER,
        **extra,
    )


def in_process_bot(engine: Engine, fake_url: str, clock: Clock, **extra: Any) -> InProcessBot:
    app, deps = build(settings_for(fake_url, **extra), engine, clock)
    return InProcessBot(app, deps)
