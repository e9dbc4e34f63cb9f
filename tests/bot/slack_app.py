"""The real Bolt app in-process: requests signed as Slack signs them go straight to `App.dispatch`,
and the app talks to the fake Slack over loopback."""

from __future__ import annotations

from slack_bolt import App, BoltRequest

from tests.e2e.bot_process import SIGNING_SECRET, BotServer, Response
from tests.fakes.signing import SlackSigner


class InProcessApp(BotServer):
    """`BotServer`'s requests (dm, command, interaction, event), dispatched without a socket."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.signer = SlackSigner(SIGNING_SECRET)

    def post(
        self,
        body: str,
        content_type: str,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        signed = self.signer.headers(body, timestamp=timestamp, content_type=content_type)
        if signature is not None:
            signed["X-Slack-Signature"] = signature
        reply = self.app.dispatch(BoltRequest(body=body, headers={**signed, **(headers or {})}))
        return Response(reply.status, reply.body)
