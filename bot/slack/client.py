"""The Slack Web API client: Slack's own retry handlers for 429 (Retry-After), 5xx and lost connections."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.slack.blocks import Message


def web_client(token: str | None, base_url: str, timeout: int = 10) -> WebClient:
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=3),
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=3),
        ],
    )


def post_in_order(
    client: WebClient, channel: str, messages: list[Message], progress: dict[str, Any], thread_ts: str | None = None
) -> None:
    """Post `messages` in order, so that an attempt that fails part-way can be resumed: `progress`
    keeps the messages of the first attempt and how many went out, and a later call with it posts
    the rest of those same messages (a digest rendered again a minute later could split otherwise)."""
    kept = progress.setdefault("messages", [{"text": m.text, "blocks": m.blocks} for m in messages])
    extra = {"thread_ts": thread_ts} if thread_ts else {}
    for index in range(progress.get("posted", 0), len(kept)):
        client.chat_postMessage(channel=channel, text=kept[index]["text"], blocks=kept[index]["blocks"], **extra)
        progress["posted"] = index + 1
