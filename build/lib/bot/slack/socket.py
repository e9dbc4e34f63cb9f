"""Socket Mode: Slack connects out over a WebSocket, so no public URL is needed."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    """`apps.connections.open` goes through the app's own client, so SLACK_API_URL applies to it too."""
    return SocketModeHandler(app, app_token, web_client=app.client)
