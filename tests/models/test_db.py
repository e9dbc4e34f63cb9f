"""DATABASE_URL: the forms Frist accepts, and what it refuses before connecting to anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from models.db import CONNECT_TIMEOUT_SECONDS, DatabaseUrlError, make_engine, parse_url


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("sqlite:///frist.db", "sqlite:///frist.db"),
        ("sqlite+pysqlite:///frist.db", "sqlite+pysqlite:///frist.db"),
        ("postgres://frist@db/frist", "postgresql+psycopg://frist@db/frist"),
        ("postgresql://frist:pw@db:5432/frist", "postgresql+psycopg://frist:pw@db:5432/frist"),
        ("postgresql+psycopg://frist@db/frist", "postgresql+psycopg://frist@db/frist"),
    ],
)
def test_the_urls_frist_runs_on(url: str, normalised: str) -> None:
    assert parse_url(url).render_as_string(hide_password=False) == normalised


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://frist@db/frist", "unsupported database 'mysql'"),
        ("oracle://frist@db/frist", "unsupported database 'oracle'"),
        ("postgresql+psycopg2://frist@db/frist", "unsupported driver 'psycopg2' for postgresql"),
        ("sqlite+aiosqlite:///frist.db", "unsupported driver 'aiosqlite' for sqlite"),
        ("/var/lib/frist/frist.db", "not a database URL"),
    ],
)
def test_a_url_frist_cannot_use_is_refused_before_any_driver_is_imported(url: str, expected: str) -> None:
    with pytest.raises(DatabaseUrlError, match=expected):
        make_engine(url)


def test_a_sqlite_file_may_be_new_but_its_directory_must_exist(tmp_path: Path) -> None:
    make_engine(f"sqlite:///{tmp_path / 'new.db'}").dispose()
    missing = tmp_path / "missing"
    with pytest.raises(DatabaseUrlError, match=f"the directory {missing} of the SQLite database does not exist"):
        make_engine(f"sqlite:///{missing / 'frist.db'}")
    assert not missing.exists()
    make_engine("sqlite://").dispose()  # in memory: no directory at all


class Connecting(Exception):
    """Raised instead of connecting, once the connection's parameters are known."""


def connect_parameters(url: str) -> dict[str, Any]:
    """What the driver would be called with, read from SQLAlchemy's do_connect event."""
    engine = make_engine(url)
    seen: dict[str, Any] = {}

    def record(_dialect: object, _record: object, _args: object, parameters: dict[str, Any]) -> None:
        seen.update(parameters)
        raise Connecting

    event.listen(engine, "do_connect", record)
    with pytest.raises(Connecting):
        engine.connect()
    return seen


def test_postgresql_waits_a_bounded_time_for_a_host_that_does_not_answer() -> None:
    assert connect_parameters("postgresql://frist@db/frist")["connect_timeout"] == CONNECT_TIMEOUT_SECONDS
    assert connect_parameters("postgresql://frist@db/frist?connect_timeout=3")["connect_timeout"] == "3"
