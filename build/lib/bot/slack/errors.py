"""The last resort for a bug: the person who was using Frist is still answered, in their language
form, and the log names the delivery (event id or trigger id) with the traceback.

Bolt calls `on_error` for any exception a listener or middleware did not handle. It must not
raise itself, so everything it does is guarded.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.render import render
from bot.slack.blocks import chunk, text_blocks
from bot.slack.client import post_in_order
from bot.slack.deps import Deps, dm_channel
from bot.slack.people import user_id_of
from intake import directory
from models import Organisation

log = logging.getLogger("frist.slack")


def delivery_of(body: dict[str, Any]) -> str:
    """What identifies the request in the logs: the event id, else the interaction's trigger id."""
    if body.get("event_id"):
        return f"event:{body['event_id']}"
    kind = "command" if "command" in body else body.get("type") or "request"
    return f"{kind}:{body.get('trigger_id') or (body.get('view') or {}).get('id')}"


def language_of(deps: Deps | None, user_id: str) -> str:
    """The contact's org's language form; the secretariat's for its members; bokmål otherwise.

    Only the database is asked (no Slack call): whatever failed may be the Slack API.
    """
    if deps is None:
        return "nb"
    try:
        with deps.session() as session:
            contact = directory.contact_by_slack_user(session, user_id)
            org = session.get(Organisation, contact.org_id) if contact else None
            if org is not None:
                return str(org.language)
    except Exception:  # the database may be what failed
        log.warning("no language for %s: the database did not answer", user_id, exc_info=True)
    return deps.settings.secretariat_language if deps.is_secretariat(user_id) else "nb"


def _in_band(body: dict[str, Any], text: str) -> BoltResponse | None:
    """The reply as the HTTP response, for what Slack shows that way: a slash command (ephemeral)
    or a modal (an error under its first input, so nothing typed in it is lost)."""
    if "command" in body:
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
    inputs = list(((body.get("view") or {}).get("state") or {}).get("values") or {})
    if body.get("type") == "view_submission" and inputs:
        return BoltResponse(status=200, body={"response_action": "errors", "errors": {inputs[0]: text[:2000]}})
    return None


def on_error(
    error: Exception,
    body: dict[str, Any],
    request: BoltRequest,
    response: BoltResponse | None,
    context: BoltContext,
    client: WebClient,
) -> BoltResponse | None:
    """Log the failure, then tell the person: in the HTTP response while Slack still waits for it,
    else in their DM. Once they are told, Slack is not asked to retry (a retry that worked would
    answer a message they are about to type again). A retry by Slack is only logged."""
    delivery = delivery_of(body)
    log.error("unhandled error in %s: %r", delivery, error, exc_info=error)
    user_id = user_id_of(body)
    if user_id is None or (request.headers.get("x-slack-retry-num") or ["0"])[0] != "0":
        return None
    try:
        deps: Deps | None = context.get("deps")
        email = deps.settings.secretariat_email if deps else None
        text = render(language_of(deps, user_id), "something_went_wrong", "mrkdwn", contact_email=email)
        reply = _in_band(body, text) if response is not None else None
        if reply is not None:
            return reply
        event = body.get("event") or {}
        channel = event["channel"] if event.get("channel_type") == "im" else dm_channel(client, user_id)
        # Straight to Slack, not through the outbox: the database may be what failed.
        post_in_order(client, channel, chunk(text, text_blocks(text)), {})
    except Exception:
        log.exception("could not tell %s that %s failed", user_id, delivery)
        return None
    return BoltResponse(status=200) if response is not None else None
