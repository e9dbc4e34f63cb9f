"""The secretariat's digest in Slack: one main message with the summary, the long lists in its thread.

The main message shows at most MAIN_LIMIT deviations, late submissions and failed deliveries (with
"… og N til i tråden"), so that it stays one message well inside Slack's 50 blocks; the thread has
every org, split into as many messages as it takes.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.render import render
from bot.slack.blocks import Message, chunk, text_blocks
from bot.slack.client import post_in_order
from reminders.digest import Digest

MAIN_LIMIT = 10


def digest_texts(digest: Digest, lang: str, flavour: str = "mrkdwn", limit: int = MAIN_LIMIT) -> tuple[str, str]:
    """The main message's text and the thread's (empty when there is nothing to list)."""
    main = render(lang, "digest", flavour, digest=digest, limit=limit)
    thread = render(lang, "digest_thread", flavour, digest=digest, limit=limit)
    return main, thread


def digest_messages(digest: Digest, lang: str) -> tuple[list[Message], list[Message]]:
    """(main messages, thread messages). The main part is one message by construction (see MAIN_LIMIT)."""
    main_text, thread_text = digest_texts(digest, lang)
    main = chunk(main_text, text_blocks(main_text))
    thread = chunk(thread_text, text_blocks(thread_text)) if thread_text.strip() else []
    return main, thread


def post_digest(
    client: WebClient, channel: str, digest: Digest, lang: str, progress: dict[str, Any] | None = None
) -> str:
    """Post the main message, then the thread under it; returns the main message's ts.

    Slack errors propagate (SlackApiError): the outbox worker decides whether to retry. `progress`
    records the main message's ts and how much of the thread went out; given back on a retry, the
    digest goes on under the message already in the channel instead of posting a second one.
    """
    progress = {} if progress is None else progress
    main, thread = digest_messages(digest, lang)
    first, *rest = main
    if "ts" not in progress:
        progress["ts"] = str(client.chat_postMessage(channel=channel, text=first.text, blocks=first.blocks)["ts"])
    post_in_order(client, channel, [*rest, *thread], progress, thread_ts=progress["ts"])
    return str(progress["ts"])
