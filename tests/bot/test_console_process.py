"""The real `frist console` process: a whole conversation, and a kill -9 between two answers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models import Submission, SubmissionStatus
from tests.support.forms import HAPPY
from tests.support.seed import CALL_ID, seed

FRIST = [sys.executable, "-c", "from bot.cli import main; main()"]


def env_for(engine: Engine) -> dict[str, str]:
    url = engine.url.render_as_string(hide_password=False)
    return {**os.environ, "DATABASE_URL": url, "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": ""}


def console(engine: Engine, email: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*FRIST, "console", "--as", email, "--call", CALL_ID],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_for(engine),
        cwd=Path(__file__).parents[2],
    )


def read_until(process: subprocess.Popen[str], marker: str, timeout: float = 20) -> str:
    """Read the bot's output until `marker` appears (the bot prints a blank line after each message)."""
    assert process.stdout is not None
    seen = ""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"waited for {marker!r}; got:\n{seen}")
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"console ended before {marker!r}; got:\n{seen}")
        seen += line
    return seen


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    with Session(engine) as session:
        seed(session, now=datetime.now(UTC))  # the console runs on the real clock
    return engine


def test_a_whole_conversation_through_the_console_ends_in_a_submission(seeded: Engine) -> None:
    lines = [*HAPPY, "send inn"]
    result = subprocess.run(
        [*FRIST, "console", "--as", "kari@leka.example.no", "--call", CALL_ID],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env_for(seeded),
        timeout=120,
        cwd=Path(__file__).parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert "Kvitteringsnummer: *2026/8140-5052-" in result.stdout
    with Session(seeded) as session:
        submission = session.exec(select(Submission)).one()
    assert submission.status == SubmissionStatus.submitted
    assert submission.answers["egen"] == 60_000


def test_killing_the_console_between_two_answers_loses_nothing(seeded: Engine) -> None:
    first = console(seeded, "kari@leka.example.no")
    assert first.stdin is not None
    read_until(first, "Spørsmål 1 av")
    first.stdin.write("Bedre leseopplæring\n")
    first.stdin.flush()
    read_until(first, "Spørsmål 2 av")
    first.stdin.write("nei\n")
    first.stdin.flush()
    read_until(first, "Spørsmål 3 av 9:* Oppstart")
    first.send_signal(signal.SIGKILL)
    first.wait(10)

    second = console(seeded, "kari@leka.example.no")
    output, _ = second.communicate("28.08.2027\n", timeout=60)
    assert "Velkommen tilbake" in output and "2 av 9 spørsmål er besvart" in output
    resumed_at = output.index("Velkommen tilbake")
    assert "Spørsmål 3 av 9:* Oppstart" in output[resumed_at:]
    assert "Spørsmål 4 av 9" in output
    with Session(seeded) as session:
        answers = session.exec(select(Submission)).one().answers
    assert answers == {"mal": "Bedre leseopplæring", "ekstern": "nei", "start": "2027-08-28"}


def test_awkward_input_is_answered_and_bytes_that_are_not_utf8_do_not_stop_the_console(seeded: Engine) -> None:
    result = subprocess.run(
        [*FRIST, "console", "--as", "kari@leka.example.no", "--call", CALL_ID],
        input=b"endre \xc2\xb2\n\x00\nBedre \xe6 lesing\x00\n",  # endre ², a NUL alone, Latin-1 æ and a NUL
        capture_output=True,
        env={**env_for(seeded), "PYTHONIOENCODING": "utf-8:strict"},
        timeout=120,
        cwd=Path(__file__).parents[2],
    )
    output = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert "Det finnes ikke noe spørsmål nummer «²»" in output and "Du skrev ikke noe" in output
    with Session(seeded) as session:
        assert session.exec(select(Submission)).one().answers == {"mal": "Bedre \ufffd lesing"}
