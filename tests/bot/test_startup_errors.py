"""What stops `frist` at start-up is said in one line on stderr, with exit code 2 and no traceback:
a database it cannot use, and a Slack it cannot reach or that refuses a token."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.test_settings import CLEAN
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import free_port

HTTP = {"SLACK_BOT_TOKEN": "xoxb-startup", "SLACK_SIGNING_SECRET": "startup-signing-secret"}


def frist(*args: str, cwd: Path, **env: str) -> str:
    """Runs `frist`, which must stop with exit code 2; the one line it wrote on stderr."""
    result = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", *args],
        env={**CLEAN, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def test_a_postgresql_that_does_not_answer(tmp_path: Path) -> None:
    port = free_port()
    line = frist("migrate", cwd=tmp_path, DATABASE_URL=f"postgresql://frist:secret@127.0.0.1:{port}/frist")
    assert line.startswith(f"database error: cannot use postgresql+psycopg://frist:***@127.0.0.1:{port}/frist: ")
    assert "Connection refused" in line and "secret" not in line


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://frist@localhost/frist", "unsupported database 'mysql'; Frist runs on SQLite or PostgreSQL"),
        ("postgresql+psycopg2://frist@localhost/frist", "unsupported driver 'psycopg2' for postgresql"),
        ("frist.db", "not a database URL; expected e.g. sqlite:///frist.db or postgresql://user@host/db"),
    ],
)
def test_a_database_url_frist_cannot_use(tmp_path: Path, url: str, expected: str) -> None:
    line = frist("calls", "list", cwd=tmp_path, DATABASE_URL=url)
    assert line.startswith(f"configuration error: DATABASE_URL: {expected}")


def test_a_sqlite_file_in_a_directory_that_does_not_exist_is_refused_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such"
    line = frist("migrate", cwd=tmp_path, DATABASE_URL=f"sqlite:///{missing / 'frist.db'}")
    assert line == (
        f"configuration error: DATABASE_URL: the directory {missing} of the SQLite database does not exist; "
        "create it first"
    )
    assert not (tmp_path / "no").exists()


def test_serve_when_slack_cannot_be_reached(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{free_port()}/api/"
    line = frist("serve", "--port", "0", cwd=tmp_path, SLACK_API_URL=api, **HTTP)
    assert line.startswith(f"Slack error: cannot reach {api} (auth.test): ") and "Connection refused" in line


def test_serve_when_slack_refuses_the_bot_token(tmp_path: Path, fake: FakeSlack) -> None:
    fake.fail("auth.test", status=200, error="invalid_auth")
    line = frist("serve", "--port", "0", cwd=tmp_path, SLACK_API_URL=fake.base_url, **HTTP)
    assert line == f"Slack error: auth.test at {fake.base_url} refused SLACK_BOT_TOKEN: invalid_auth"


def test_run_when_slack_refuses_the_app_token(tmp_path: Path, fake: FakeSlack) -> None:
    fake.fail("apps.connections.open", status=200, error="invalid_auth")
    env = {"SLACK_BOT_TOKEN": "xoxb-startup", "SLACK_APP_TOKEN": "xapp-1-A0FAKE0001-startup"}
    line = frist("run", cwd=tmp_path, SLACK_API_URL=fake.base_url, FRIST_SCHEDULER="false", **env)
    assert line == f"Slack error: apps.connections.open at {fake.base_url} refused SLACK_APP_TOKEN: invalid_auth"


def test_serve_on_a_port_that_is_taken(tmp_path: Path, fake: FakeSlack) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = frist(
            "serve", "--host", "127.0.0.1", "--port", str(port), cwd=tmp_path, SLACK_API_URL=fake.base_url, **HTTP
        )
    assert line == f"cannot listen on 127.0.0.1:{port}: Address already in use"
