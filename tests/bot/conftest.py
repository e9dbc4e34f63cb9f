"""Fixtures for driving the real Bolt app in-process against the fake Slack."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from bot.settings import Settings
from bot.slack.app import build_app
from tests.bot.slack_app import InProcessApp
from tests.e2e.bot_process import bot_env
from tests.e2e.conftest import fake_slack, seeded  # noqa: F401 - the same seeded database and fake Slack
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def slack_app_with(seeded: Engine, fake_slack: FakeSlack) -> Callable[..., InProcessApp]:  # noqa: F811
    """The app with the e2e bot's settings, and `extra` environment variables on top."""

    def build(**extra: str) -> InProcessApp:
        env = {name: value for name, value in bot_env(seeded, fake_slack.base_url, **extra).items() if value}
        return InProcessApp(build_app(Settings(_env_file=None, **env), seeded))  # type: ignore[call-arg]

    return build


@pytest.fixture
def slack_app(slack_app_with: Callable[..., InProcessApp]) -> InProcessApp:
    return slack_app_with()
