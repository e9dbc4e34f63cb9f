"""The Slack app manifests ask for the scopes of every method the bot calls, the same in both."""

from __future__ import annotations

from pathlib import Path

import yaml

SLACK_DIR = Path(__file__).resolve().parents[2] / "slack"


def bot_scopes(name: str) -> list[str]:
    manifest = yaml.safe_load((SLACK_DIR / name).read_text(encoding="utf-8"))
    return manifest["oauth_config"]["scopes"]["bot"]


def test_both_manifests_ask_for_the_same_scopes_and_files_write_for_the_export() -> None:
    http, socket = bot_scopes("manifest.yaml"), bot_scopes("manifest.socket-mode.yaml")
    assert http == socket
    assert "files:write" in http  # files.getUploadURLExternal and files.completeUploadExternal
    assert {"chat:write", "im:write", "im:history", "users:read", "users:read.email", "commands"} <= set(http)
