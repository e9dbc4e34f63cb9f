"""Configuration: a missing or malformed setting stops start-up with one line that names it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).parents[2]
CLEAN = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FRIST_", "DATABASE_URL"))}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("SLACK_", "FRIST_")) or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SLACK_BOT_TOKEN", "xoxp-user-token"),
        ("SLACK_APP_TOKEN", "xoxb-not-an-app-token"),
        ("SLACK_API_URL", "slack.com/api"),
        ("FRIST_SECRETARIAT_CHANNEL", "#sekretariat"),
        ("FRIST_SECRETARIAT_USERS", "U123, kari"),
        ("FRIST_SECRETARIAT_LANGUAGE", "en"),
        ("DATABASE_URL", "mysql://frist@localhost/frist"),
        ("FRIST_HTTP_CONNECTION_LIMIT", "many"),
        ("FRIST_HTTP_IDLE_TIMEOUT", "0"),
        ("FRIST_HTTP_QUEUE_LIMIT", "-1"),
    ],
)
def test_a_malformed_setting_is_named(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith(f"configuration error: {name}:") and "\n" not in message
    assert "Value error" not in message  # a validator's own words, without pydantic's prefix


def test_the_mode_follows_the_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().mode == "console"
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "0123456789abcdef")
    assert Settings().mode == "http"
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert Settings().mode == "socket"
    monkeypatch.setenv("FRIST_SECRETARIAT_USERS", "U1, W2 ,")
    assert Settings().secretariat_users == {"U1", "W2"}


def test_the_command_stops_with_one_clear_line(tmp_path: Path) -> None:
    env = {**CLEAN, "SLACK_BOT_TOKEN": "not-a-token", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "start"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "configuration error: SLACK_BOT_TOKEN: String should match pattern '^xoxb-'"
    ]


def test_serve_without_a_signing_secret_says_what_is_missing(tmp_path: Path) -> None:
    env = {**CLEAN, "SLACK_BOT_TOKEN": "xoxb-1", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "serve", "--port", "0"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr
