"""End-to-end fixtures: `frist serve` in its own process, on the seeded database and the fake Slack."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine

from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import BotServer, Output, bot_env, fail_on_traceback, free_port, start, stop


@pytest.fixture
def bot(seeded: Engine, fake_slack: FakeSlack) -> Iterator[BotServer]:
    port = free_port()
    process = start(
        ["serve", "--port", str(port), "--host", "127.0.0.1", "--threads", "8"], bot_env(seeded, fake_slack.base_url)
    )
    server = BotServer(port)
    try:
        server.wait_until_healthy(process)
        yield server
    finally:
        fail_on_traceback(stop(process))


Serve = Callable[..., tuple[BotServer, Output]]


@pytest.fixture
def serve(seeded: Engine, fake_slack: FakeSlack) -> Iterator[Serve]:
    """Starts `frist serve` with the given options and settings; a test can wait on its log."""
    outputs: list[Output] = []

    def start_serving(*options: str, **settings: str) -> tuple[BotServer, Output]:
        port = free_port()
        args = ["serve", "--port", str(port), "--host", "127.0.0.1", *options]
        output = Output(start(args, bot_env(seeded, fake_slack.base_url, **settings)))
        outputs.append(output)
        server = BotServer(port)
        server.wait_until_healthy(output.process)
        return server, output

    yield start_serving
    for output in outputs:
        fail_on_traceback(output.stop())
