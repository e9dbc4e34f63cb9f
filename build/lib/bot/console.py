"""The bot without Slack: the contact's lines come from stdin, the bot's messages go to stdout.

Exactly the same use cases and templates as Slack. End of input leaves the draft saved.
"""

from __future__ import annotations

import io
import sys
from typing import TextIO

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from bot.messages import render_refusal, render_turn
from intake import usecases
from intake.usecases import IntakeRefusal, Turn
from models import Contact, Organisation
from models.clock import Clock, system_clock


class ConsoleError(Exception):
    """The console cannot start (unknown contact); the message says what to do."""


def find_contact(session: Session, email: str) -> Contact:
    contact = session.exec(select(Contact).where(func.lower(Contact.email) == email.strip().lower())).first()
    if contact is None:
        raise ConsoleError(
            f"no contact with e-mail {email!r}; import the organisations first "
            "(`frist orgs import FILE.csv`, or `frist demo` for the sample data)"
        )
    return contact


def _write(out: TextIO, texts: list[str]) -> None:
    for text in texts:
        out.write(text + "\n\n")
    out.flush()


def run_console(
    engine: Engine,
    email: str,
    call_id: str,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    clock: Clock = system_clock,
) -> int:
    """Talk to the bot as `email` in `call_id` until end of input. Returns the exit code."""
    if isinstance(stdin, io.TextIOWrapper):
        stdin.reconfigure(errors="replace")  # bytes that are not UTF-8 show as "�" instead of stopping the console
    with Session(engine, expire_on_commit=False) as session:
        contact = find_contact(session, email)
        org = session.get(Organisation, contact.org_id)
        lang = org.language if org else "nb"
        prompt = "> " if stdin.isatty() else ""
        try:
            turn: Turn = usecases.open_submission(session, contact, call_id, clock())
            _write(stdout, render_turn(turn))
            while True:
                if prompt:
                    stdout.write(prompt)
                    stdout.flush()
                line = stdin.readline()
                if not line:
                    return 0
                if not line.strip():
                    continue
                turn = usecases.answer(session, contact, call_id, line.rstrip("\r\n"), clock())
                _write(stdout, render_turn(turn))
        except IntakeRefusal as refusal:
            _write(stdout, [render_refusal(refusal, lang)])
            return 1
