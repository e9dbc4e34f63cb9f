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
    """Post `messages` in order, skipping the first `progress["posted"]` that an earlier attempt sent,
    and counting each one that goes out, so an attempt that fails part-way can be resumed."""
    for index, message in enumerate(messages):
        if index < progress.get("posted", 0):
            continue
        extra = {"thread_ts": thread_ts} if thread_ts else {}
        client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks, **extra)
        progress["posted"] = index + 1
