"""What every handler needs, built once by the app factory: the database, the clock, the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import Session

from bot.settings import Settings
from bot.slack.replies import Poster, Render, SlackReplies
from models.clock import Clock
from models.deliveries import claim

log = logging.getLogger("frist.slack")


@dataclass(frozen=True)
class Deps:
    engine: Engine
    clock: Clock
    settings: Settings
    poster: Poster

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def now(self) -> datetime:
        return self.clock()

    def is_secretariat(self, user_id: str) -> bool:
        return user_id in self.settings.secretariat_users

    def replies(self, user_id: str, channel: str | None, delivery: str, render: Render) -> SlackReplies:
        """The reply queue of one request: its reply goes to `channel`, or the user's DM."""
        return SlackReplies(self.poster, f"reply:{delivery}", user_id, channel, render)

    def first_time(self, body: dict[str, Any], prefix: str = "action") -> str | None:
        """The delivery key of this interaction, or None when it was handled already (a retry)."""
        delivery = action_key(body, prefix)
        return delivery if claim(self.engine, delivery, self.now()) else None


def channel_of(body: dict[str, Any]) -> str | None:
    """The channel an interaction came from: a message's channel, or the container's."""
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


def slack_time(ts: Any) -> datetime | None:
    """A Slack timestamp (`"1733079599.000200"`, or whole seconds) as an aware datetime."""
    try:
        return datetime.fromtimestamp(float(ts), UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def action_key(body: dict[str, Any], prefix: str = "action") -> str:
    """What identifies one interaction across Slack's retries: its trigger id."""
    return f"{prefix}:{body.get('trigger_id')}"


def dm_channel(client: WebClient, user_id: str) -> str:
    """The bot's DM channel with a user."""
    return str(client.conversations_open(users=user_id)["channel"]["id"])
