"""Who sent a request: resolved once per request, in Bolt middleware, and only when a listener asks.

Every listener takes `who` as an argument. A typed DM answer never asks: its use case finds the
contact by Slack id in the same query that loads the draft (the fast path). Everyone else asks
`who.contact()`, which looks the user up once (by Slack id, else by e-mail through users.info, and
remembers the match), and `who.stranger` answers those who are no contact, in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.blocks import Message
from bot.slack.deps import Deps
from bot.slack.identity import contact_for_user
from bot.slack.messages import stranger_messages
from models import Contact

_UNKNOWN: Any = object()


@dataclass
class Who:
    user_id: str
    deps: Deps
    client: WebClient
    _contact: Contact | None = field(default=_UNKNOWN, repr=False)

    def contact(self) -> Contact | None:
        """The contact behind this Slack user, or None for a stranger. Looked up once per request."""
        if self._contact is _UNKNOWN:
            with self.deps.session() as session:
                self._contact = contact_for_user(session, self.client, self.user_id)
        return self._contact

    @property
    def is_secretariat(self) -> bool:
        return self.deps.is_secretariat(self.user_id)

    def stranger(self) -> list[Message]:
        """What a Slack user who is no contact is told."""
        return stranger_messages(self.deps.settings.secretariat_email)


def user_id_of(body: dict[str, Any]) -> str | None:
    """The Slack user behind an event, an interaction or a slash command."""
    event = body.get("event") or {}
    user = event.get("user") or body.get("user") or body.get("user_id")
    if isinstance(user, dict):
        user = user.get("id")
    return user if isinstance(user, str) else None


def who_middleware(deps: Deps) -> Callable[..., None]:
    def resolve_who(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> None:
        user_id = user_id_of(body)
        if user_id is not None:
            context["who"] = Who(user_id, deps, context.client)
        next()

    return resolve_who
