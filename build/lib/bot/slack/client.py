"""The Slack Web API client: Slack's own retry handlers for 429 (Retry-After), 5xx and lost connections;
and the check at start-up that Slack answers and accepts the tokens."""

from __future__ import annotations

import logging
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.slack.blocks import Message
from bot.startup import StartupError

TOKEN_REFUSED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
# The start-up check says in one line what failed; the client's own log of every attempt would repeat it.
_quiet = logging.getLogger("frist.slack.startup_check")
_quiet.setLevel(logging.CRITICAL)


def web_client(token: str | None, base_url: str, timeout: int = 10, logger: logging.Logger | None = None) -> WebClient:
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        logger=logger,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=3),
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=3),
        ],
    )


def verify_tokens(base_url: str, bot_token: str | None, app_token: str | None = None) -> None:
    """auth.test with the bot token and, for Socket Mode, apps.connections.open with the app token
    (both with the usual retries), so that a Slack out of reach or a refused token stops start-up
    in one line instead of surfacing as a traceback from inside Bolt."""
    checks = [("auth.test", "SLACK_BOT_TOKEN", bot_token)] + (
        [("apps.connections.open", "SLACK_APP_TOKEN", app_token)] if app_token else []
    )
    for method, setting, token in checks:
        try:
            web_client(token, base_url, logger=_quiet).api_call(method)
        except (SlackApiError, OSError) as error:
            raise _startup_error(method, setting, base_url, error) from None


def _startup_error(method: str, setting: str, base_url: str, error: Exception) -> StartupError:
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        code = " ".join(code.split())[:200]
        if code in TOKEN_REFUSED:
            return StartupError(f"Slack error: {method} at {base_url} refused {setting}: {code}")
        return StartupError(f"Slack error: {method} at {base_url} failed: {code}")
    reason = error.reason if isinstance(error, URLError) else error
    return StartupError(f"Slack error: cannot reach {base_url} ({method}): {reason}")


def post_in_order(
    client: WebClient, channel: str, messages: list[Message], progress: dict[str, Any], thread_ts: str | None = None
) -> None:
    """Post `messages` in order, so that an attempt that fails part-way can be resumed: `progress`
    keeps the messages of the first attempt and how many went out, and a later call with it posts
    the rest of those same messages (a digest rendered again a minute later could split otherwise)."""
    kept = progress.setdefault("messages", [{"text": m.text, "blocks": m.blocks} for m in messages])
    extra: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
    for index in range(progress.get("posted", 0), len(kept)):
        client.chat_postMessage(channel=channel, text=kept[index]["text"], blocks=kept[index]["blocks"], **extra)
        progress["posted"] = index + 1
