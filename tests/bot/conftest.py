"""Fixtures for driving the real Bolt app in-process against the fake Slack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.bot.slack_app import InProcessApp, in_process_app
from tests.e2e.conftest import fake_slack, seeded  # noqa: F401 - the same seeded database and fake Slack
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def slack_app_with(seeded: Engine, fake_slack: FakeSlack) -> Callable[..., InProcessApp]:  # noqa: F811
    """The app with the e2e bot's settings, and `extra` environment variables on top."""

    def build(**extra: Any) -> InProcessApp:
        return in_process_app(seeded, fake_slack.base_url, **extra)

    return build


@pytest.fixture
def slack_app(slack_app_with: Callable[..., InProcessApp]) -> InProcessApp:
    return slack_app_with()
