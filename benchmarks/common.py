"""What both answer benchmarks share: seeded contacts and their lines, the bare echo app and server, statistics."""

from __future__ import annotations

import http.client
import logging
import math
import os
import platform
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `tests` (tests/support and the fake Slack) is not an installed package
    sys.path.insert(0, str(ROOT))

from slack_bolt import App  # noqa: E402
from sqlalchemy import Engine  # noqa: E402
from sqlmodel import Session, col, func, select  # noqa: E402

from bot.slack.app import finish_startup  # noqa: E402
from bot.slack.client import web_client  # noqa: E402
from intake import usecases  # noqa: E402
from models import AuditEntry, Contact, Eligibility, Language, Organisation, OrgKind, ProcessedDelivery  # noqa: E402
from tests.support.seed import CALL_ID, seed  # noqa: E402

TOKEN = "xoxb-benchmark-token"
SIGNING_SECRET = "benchmark-signing-secret-0123456789"
SECRETARIAT_CHANNEL = "C0SEKRETAR"
SECRETARIAT_USER = "U0SEKRETAR"

# What a municipality contact types for the first questions of the sample form, then one budget
# line per message: every line below changes the stored answers, so each one is audited once.
GOALS = [
    "Bedre leseopplæring på småtrinnet",
    "Styrke det profesjonelle læringsfellesskapet i barnehagene",
    "Inkludering og tilpasset opplæring i ungdomsskolen",
    "Vurdering for læring i alle fag, med felles utviklingstid",
    "Kompetanseheving for ledere og PPT i regionen",
]
FIRST_ANSWERS = ["nei", "28.8.27", "25", "2", "1, 3"]
BUDGET = [
    "Frikjøp av ressurslærer; 120 000",
    "Kurs med UH; kr 80 000,-",
    "Vikarutgifter under samlinger; 45 000",
    "Reiseutgifter nettverkssamlinger; 12 500",
    "Veiledning fra PPT; 30 000",
    "Lisenser til digitale læremidler; 18 000",
]


def line(contact: int, k: int) -> str:
    """The k-th message (0-based) of contact number `contact`."""
    if k == 0:
        return GOALS[contact % len(GOALS)]
    if k <= len(FIRST_ANSWERS):
        return FIRST_ANSWERS[k - 1]
    row = k - len(FIRST_ANSWERS) - 1
    return BUDGET[(contact + row) % len(BUDGET)].replace(";", f" (del {row + 1});", 1)


def user_id(contact: int) -> str:
    return f"U0B{contact:06d}"


def dm_channel(user: str) -> str:
    return "D" + user[1:]


def messages(contacts: int, total: int) -> list[tuple[str, str]]:
    """(user, text) in sending order: round robin over the contacts, each walking through the form."""
    return [(user_id(i % contacts), line(i % contacts, i // contacts)) for i in range(total)]


def seed_contacts(engine: Engine, contacts: int) -> None:
    """The test seed plus `contacts` orgs, each with one contact on Slack, eligible and already started."""
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session:
        seed(session, now=now)
        for i in range(contacts):
            language = Language.nn if i % 5 == 4 else Language.nb
            session.add(Organisation(id=f"B{i:05d}", name=f"Benk {i} kommune", kind=OrgKind.kommune, language=language))
        session.flush()
        for i in range(contacts):
            org_id = f"B{i:05d}"
            email = f"k{i}@b{i}.example.no"
            session.add(Contact(org_id=org_id, name=f"Kontakt {i}", email=email, slack_user_id=user_id(i)))
            session.add(Eligibility(call_id=CALL_ID, org_id=org_id, frame=5_000_000))
        session.commit()
        users = session.exec(select(Contact).where(col(Contact.org_id).startswith("B"))).all()
        for contact in users:  # as if each had pressed "Start": every message measured is an answer
            usecases.open_submission(session, contact, CALL_ID, now)


def echo_app(api_url: str, process_before_response: bool) -> App:
    """The baseline: a bare Bolt app, same WebClient kind and signing, whose listener only echoes."""
    app = App(
        client=web_client(TOKEN, api_url),
        signing_secret=SIGNING_SECRET,
        name="echo",
        process_before_response=process_before_response,
    )

    @app.event("message")
    def echo(event: dict[str, Any], say: Any) -> None:
        say(text=event.get("text") or "")

    return app


def serve_echo(port: int, api_url: str, threads: int, log_file: str) -> None:
    """The baseline server process: a bare Bolt echo app behind waitress, like bot.slack.server."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from waitress import serve

    logging.basicConfig(level=logging.INFO, filename=log_file)
    slack = SlackRequestHandler(echo_app(api_url, process_before_response=False), path="/slack/events")
    finish_startup()  # as `frist serve` does

    def application(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Length", "2")])
            return [b"ok"]
        return slack(environ, start_response)

    serve(application, host="127.0.0.1", port=port, threads=threads, ident="echo")


def wait_healthy(port: int, alive: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not become healthy")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def saved_counts(engine: Engine) -> tuple[int, int]:
    """(AuditEntry rows with action "answer", ProcessedDelivery rows of events)."""
    with Session(engine) as session:
        audited = session.exec(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "answer")).one()
        claimed = session.exec(
            select(func.count()).select_from(ProcessedDelivery).where(col(ProcessedDelivery.key).startswith("event:"))
        ).one()
    return int(audited), int(claimed)


def claimed_keys(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return set(session.exec(select(ProcessedDelivery.key)).all())


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[rank]


def summary(values_ms: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values_ms),
        "p99": percentile(values_ms, 99),
        "max": max(values_ms),
        "mean": statistics.fmean(values_ms),
    }


def machine() -> str:
    return (
        f"machine: {os.cpu_count()} CPUs ({platform.machine()}, {platform.system()} {platform.release()}), "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"slack_bolt {version('slack_bolt')}, slack_sdk {version('slack_sdk')}, SQLAlchemy {version('sqlalchemy')}"
    )
