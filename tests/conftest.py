"""Shared fixtures: a migrated database per test, on a real SQLite file and, when
FRIST_TEST_DATABASE_URL points at one, on PostgreSQL too; the seeded database and the fake Slack;
and a guard that fails a test whose in-process Bolt app hit an unhandled listener error.

Shared test code other than fixtures lives in tests/support (see its docstring)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlmodel import Session

from intake.calls import forget_forms
from models.db import make_engine
from models.migrate import upgrade
from tests.fakes.slack_api import FakeSlack
from tests.support.seed import SLACK_IDS_BY_EMAIL, seed

# Speed belongs in benchmarks/, not in unit tests: no per-example time limit on a busy CI machine.
settings.register_profile("frist", deadline=None)
settings.load_profile("frist")

POSTGRES_URL = os.environ.get("FRIST_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def fresh_engine(backend: str, tmp_path: Path) -> Engine:
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'frist.db'}")
    else:
        engine = make_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    return engine


@pytest.fixture(autouse=True)
def _fresh_form_cache() -> None:
    """Parsed forms are cached per call id and load time: tests reuse both across databases."""
    forget_forms()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A freshly migrated database; tests using it are marked `db`."""
    request.node.add_marker(pytest.mark.db)
    engine = fresh_engine(request.param, tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    """The seeded orgs, contacts and call (tests/support/seed.py), open now."""
    with Session(engine) as session:
        seed(session, now=datetime.now(UTC))
    return engine


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Slack Web API on loopback; a call that breaks Slack's rules fails the test."""
    with FakeSlack() as fake:
        fake.users_by_email = dict(SLACK_IDS_BY_EMAIL)
        yield fake
        fake.assert_no_violations()


class _UnhandledErrors(logging.Handler):
    """Collects what Bolt's error handler (bot/slack/errors.py) logs for an exception no listener handled."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("unhandled error"):
            self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_unhandled_listener_error(request: pytest.FixtureRequest) -> Iterator[None]:
    """The in-process counterpart of the e2e tests' `fail_on_traceback`: a bug the app survived is
    still a bug. A test that plants one on purpose says so with `@pytest.mark.unhandled_error`."""
    handler = _UnhandledErrors()
    logger = logging.getLogger("frist.slack")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    expected = request.node.get_closest_marker("unhandled_error") is not None
    if handler.records and not expected:
        logged = "\n".join(handler.format(record) for record in handler.records)
        pytest.fail(f"the Bolt app logged an unhandled listener error:\n{logged}", pytrace=False)
    if expected and not handler.records:
        pytest.fail("the test expects an unhandled listener error, and none was logged", pytrace=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "engine" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)
