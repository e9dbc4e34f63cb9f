"""Shared fixtures: a migrated database per test, on a real SQLite file and, when
FRIST_TEST_DATABASE_URL points at one, on PostgreSQL too."""

from __future__ import annotations

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

# Speed belongs in benchmarks/, not in unit tests: no per-example time limit on a busy CI machine.
settings.register_profile("frist", deadline=None)
settings.load_profile("frist")

POSTGRES_URL = os.environ.get("FRIST_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])

# A fixed "now" inside the demo-style calls the tests build: Monday 2 March 2026, 10:00 Oslo.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "engine" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)
