"""Build signed HTTP requests the way Slack sends them to an app's Request URL.

Signature: ``v0=`` + hex HMAC-SHA256(signing_secret, ``v0:{timestamp}:{body}``), see
docs.slack.dev/authentication/verifying-requests-from-slack.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import urlencode

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

TEAM_ID = "T0FAKE0001"
TEAM_DOMAIN = "frist-test"
API_APP_ID = "A0FAKE0001"
USER_ID = "U0FAKEUSR1"
BOT_USER_ID = "U0FAKEBOT1"  # the same ids FakeSlack's auth.test answers with
CHANNEL_ID = "C0FAKECHN1"
VERIFICATION_TOKEN = "fake-verification-token"  # deprecated by Slack, but still sent


class SlackSigner:
    def __init__(self, signing_secret: str) -> None:
        self.signing_secret = signing_secret

    def signature(self, body: str | bytes, timestamp: int | str) -> str:
        raw = body.encode("utf-8") if isinstance(body, str) else body
        base = b"v0:" + str(timestamp).encode() + b":" + raw
        return "v0=" + hmac.new(self.signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()

    def headers(
        self, body: str | bytes, *, timestamp: int | None = None, content_type: str | None = None
    ) -> dict[str, str]:
        """X-Slack-Request-Timestamp and X-Slack-Signature for ``body``.

        ``timestamp`` overrides "now" (e.g. ``int(time.time()) - 600`` for a replay test);
        ``content_type`` adds a Content-Type header (FORM or JSON).
        """
        ts = int(time.time()) if timestamp is None else timestamp
        headers = {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": self.signature(body, ts)}
        if content_type:
            headers["Content-Type"] = content_type
        return headers


def slash_command_payload(
    command: str,
    text: str = "",
    *,
    user_id: str = USER_ID,
    user_name: str = "kari",
    channel_id: str = CHANNEL_ID,
    channel_name: str = "general",
    team_id: str = TEAM_ID,
    api_app_id: str = API_APP_ID,
    response_url: str = "https://hooks.slack.com/commands/T0FAKE0001/1/fakehook",
    trigger_id: str | None = None,
    **extra: str,
) -> dict[str, str]:
    """A slash command's fields, in the order Slack sends them (Socket Mode sends this dict)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(),
        **extra,
    }


def slash_command_body(command: str, text: str = "", **fields: str) -> str:
    """A form-encoded slash command as POSTed to the Request URL (fields as slash_command_payload)."""
    return urlencode(slash_command_payload(command, text, **fields))


def interaction_body(payload: dict) -> str:
    """A form-encoded interaction (block_actions, view_submission, shortcut ...): payload=<json>."""
    return urlencode({"payload": json.dumps(payload, separators=(",", ":"))})


def event_callback(
    event: dict,
    *,
    team_id: str = TEAM_ID,
    api_app_id: str = API_APP_ID,
    event_id: str | None = None,
    event_time: int | None = None,
    authed_users: list[str] | None = None,
) -> dict:
    """An Events API ``event_callback`` wrapper (slack_common_event_wrapper_schema.json)."""
    now = time.time()
    event = {"event_ts": f"{now:.6f}", **event}
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or "Ev" + uuid.uuid4().hex[:10].upper(),
        "event_time": int(now) if event_time is None else event_time,
        "authed_users": authed_users if authed_users is not None else [BOT_USER_ID],
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-" + uuid.uuid4().hex,
    }


def event_body(event: dict, **wrapper: object) -> str:
    """The JSON body of an Events API request."""
    return json.dumps(event_callback(event, **wrapper), separators=(",", ":"))  # type: ignore[arg-type]


def new_trigger_id() -> str:
    return f"{int(time.time() * 1000)}.{TEAM_ID[1:]}.{uuid.uuid4().hex}"
