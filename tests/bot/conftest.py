"""Fixtures for driving the real Bolt app in-process against the fake Slack."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.settings import Settings
from bot.slack.app import build_app
from tests.bot.slack_app import InProcessApp
from tests.e2e.bot_process import bot_env
from tests.e2e.conftest import fake_slack, seeded  # noqa: F401 - the same seeded database and fake Slack
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def slack_app(seeded: Engine, fake_slack: FakeSlack) -> InProcessApp:  # noqa: F811
    env = {name: value for name, value in bot_env(seeded, fake_slack.base_url).items() if value}
    return InProcessApp(build_app(Settings(_env_file=None, **env), seeded))  # type: ignore[call-arg]
