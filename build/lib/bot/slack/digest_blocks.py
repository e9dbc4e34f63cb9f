"""The secretariat's digest in Slack: one main message with the summary (bot/digest_text.py keeps
it inside one message), the long lists in its thread, split into as many messages as it takes."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.digest_text import digest_texts
from bot.settings import Settings
from bot.slack.blocks import Message, chunk, text_blocks
from bot.slack.client import post_in_order, web_client
from intake.digest import Digest


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


class NotPosted(Exception):
    """Slack refused the digest or could not be reached; the message says which."""


def post_digest_to_channel(settings: Settings, channel: str, digest: Digest, lang: str) -> str:
    """`frist digest --post`: post to the channel now, with the bot's token; returns the main ts."""
    client = web_client(settings.slack_bot_token, settings.slack_api_url)
    try:
        return post_digest(client, channel, digest, lang)
    except SlackApiError as error:
        raise NotPosted(f"Slack refused the digest: {error.response.get('error')}") from None
    except OSError as error:
        raise NotPosted(f"could not reach Slack: {error}") from None
