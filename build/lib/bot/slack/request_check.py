"""What a request to /slack/events must be before Bolt sees it: signed by Slack, with a body Bolt can read.

Bolt parses the body before it checks the signature and answers a body or a timestamp it cannot
read with a traceback and HTTP 500. Checked here first, such a request gets 401 (not signed, or
not in time) or 400 (signed but unreadable) and one line in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

TIMESTAMP = "HTTP_X_SLACK_REQUEST_TIMESTAMP"
SIGNATURE = "HTTP_X_SLACK_SIGNATURE"


@dataclass(frozen=True)
class Refusal:
    status: int  # 400 or 401
    reason: str  # what was expected, for the log and the answer


class RequestCheck:
    def __init__(self, signing_secret: str) -> None:
        self.verifier = SignatureVerifier(signing_secret)

    def __call__(self, environ: dict[str, Any], raw: bytes) -> Refusal | None:
        """None when Bolt can take the request as it is."""
        timestamp, signature = environ.get(TIMESTAMP), environ.get(SIGNATURE)
        if not timestamp or not signature:
            return Refusal(401, "X-Slack-Request-Timestamp and X-Slack-Signature are required")
        if not (timestamp.isascii() and timestamp.isdigit()):
            return Refusal(401, "X-Slack-Request-Timestamp must be whole seconds since 1970")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(400, "the body must be UTF-8")
        if not self.verifier.is_valid(body, timestamp, signature):
            return Refusal(401, "the signature does not match, or the timestamp is more than 5 minutes off")
        return _body_problem(body, environ.get("CONTENT_TYPE"))


def _body_problem(body: str, content_type: str | None) -> Refusal | None:
    """Bolt's own parser decides how to read the body (JSON, or a form with a JSON `payload`);
    whatever it yields must be an object."""
    media_type = content_type.split(";")[0] if content_type else None
    try:
        parsed = parse_body(body, media_type)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        parsed = None
    if isinstance(parsed, dict):
        return None
    if media_type == "application/json" or body.startswith("{"):
        return Refusal(400, "the body must be a JSON object")
    return Refusal(400, "the form field `payload` must be a JSON object")
