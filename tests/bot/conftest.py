"""Fixtures for driving the real Bolt app in-process against the fake Slack."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.fakes.slack_api import FakeSlack
from tests.support.slack_app import InProcessApp, in_process_app


@pytest.fixture
def slack_app_with(seeded: Engine, fake_slack: FakeSlack) -> Iterator[Callable[..., InProcessApp]]:
    """The app with the e2e bot's settings, and `extra` environment variables on top. Its replies
    still on their way are sent before the fake Slack stops, not into the next test."""
    built: list[InProcessApp] = []

    def build(**extra: Any) -> InProcessApp:
        built.append(in_process_app(seeded, fake_slack.base_url, **extra))
        return built[-1]

    yield build
    for app in built:
        app.drain()


@pytest.fixture
def slack_app(slack_app_with: Callable[..., InProcessApp]) -> InProcessApp:
    return slack_app_with()
