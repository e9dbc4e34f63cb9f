"""End-to-end fixtures: a seeded database, the fake Slack, and `frist serve` in its own process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tests.e2e.bot_process import BotServer, Output, bot_env, fail_on_traceback, free_port, start, stop
from tests.fakes.slack_api import FakeSlack
from tests.intake.seed import seed

KARI, PER, ODA, STRANGER = "U0KARI", "U0PER", "U0ODA", "U0STRANGER"


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    with Session(engine) as session:
        seed(session, now=datetime.now(UTC))
    return engine


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        # Kari's Slack id is in the org import; Per and Oda are found by e-mail on first contact.
        fake.users_by_email = {
            "kari@leka.example.no": KARI,
            "per@leka.example.no": PER,
            "oda@osen.example.no": ODA,
            "stranger@example.org": STRANGER,
        }
        yield fake
        fake.assert_no_violations()


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
