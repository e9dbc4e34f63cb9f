"""`/frist eksport` through the real Bolt app: the workbook is uploaded to the secretariat channel
with files_upload_v2 against the fake Slack, and the bytes Slack received open with openpyxl."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models import AuditEntry, CallKind, Contact, OutboxMessage, Submission, SubmissionStatus
from reminders.worker import Worker
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import SECRETARIAT_CHANNEL, SECRETARIAT_USER
from tests.support.seed import CALL_ID, KARI
from tests.support.slack_app import InProcessApp
from tests.support.slack_views import text_of, wait_posts

FORMULA = '=HYPERLINK("http://x","klikk")'
ANSWERS: dict[str, Any] = {
    "mal": FORMULA,
    "ekstern": "ja",
    "partner": "+47 Nord universitet",
    "start": "2026-09-01",
    "niva": "skole",
    "malgrupper": ["ledere", "ppt"],
    "budsjett": [{"post": "-kurs", "belop": 200_000}, {"post": "Veiledning", "belop": 100_000}],
    "egen": 90_000,
    "nivaer": {"leder": "ja", "ansatte": "vet_ikke"},
}


@pytest.fixture
def answered(seeded: Engine) -> Engine:
    """Leka kommune has sent in an application with a formula-looking answer, a table and a matrix."""
    with Session(seeded) as session:
        kari = session.exec(select(Contact).where(Contact.email == "kari@leka.example.no")).one()
        assert kari.id is not None
        now = datetime.now(UTC)
        session.add(
            Submission(
                call_id=CALL_ID,
                org_id="5052",
                kind=CallKind.application,
                status=SubmissionStatus.submitted,
                answers=ANSWERS,
                started_by=kari.id,
                submitted_by=kari.id,
                submitted_at=now,
                receipt_number="2026/8140-5052-1",
                created_at=now,
                updated_at=now,
            )
        )
        session.commit()
    return seeded


def uploaded_workbook(fake: FakeSlack) -> tuple[dict[str, Any], openpyxl.Workbook]:
    fake.wait_for("files.completeUploadExternal", timeout=15)
    (upload,) = fake.uploaded_files()
    return upload, openpyxl.load_workbook(io.BytesIO(upload["data"]))


def export_rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "export")))


def test_the_secretariat_gets_the_workbook_in_its_channel(
    answered: Engine, slack_app: InProcessApp, fake_slack: FakeSlack
) -> None:
    reply = slack_app.command(SECRETARIAT_USER, f"eksport {CALL_ID}")
    assert reply.status == 200
    assert reply.json()["text"].startswith(f"Lager eksporten av `{CALL_ID}`")
    upload, book = uploaded_workbook(fake_slack)
    assert (upload["channel_id"], upload["name"], upload["title"]) == (
        SECRETARIAT_CHANNEL,
        f"{CALL_ID}.xlsx",
        "Prøveordningen 2026",
    )
    assert upload["initial_comment"].startswith("Eksport av *Prøveordningen 2026*")
    assert "2 organisasjoner, 1 sendt inn" in upload["initial_comment"]
    assert book.sheetnames == ["Søknader", "Budsjett"]
    sheet = book["Søknader"]
    keys = [cell.value for cell in sheet[2]]
    leka = {key: cell for key, cell in zip(keys, sheet[4], strict=True)}  # row 3 is Osen (5020)
    assert (leka["org_name"].value, leka["status"].value) == ("Leka kommune", "Sendt inn")
    assert (leka["mal"].value, leka["mal"].data_type) == (FORMULA, "s")
    assert (leka["partner"].value, leka["partner"].data_type) == ("+47 Nord universitet", "s")
    assert (leka["niva"].value, leka["malgrupper"].value, leka["ekstern"].value) == ("Skole", "Ledere, PPT", "Ja")
    assert (leka["nivaer.leder"].value, leka["nivaer.ansatte"].value) == ("Ja", "Vet ikke")
    assert (leka["amount"].value, leka["amount"].number_format) == (300_000, '"kr "#,##0')
    assert leka["start"].value == datetime(2026, 9, 1)
    assert sheet["C3"].value == "Ikke påbegynt"
    rows = list(book["Budsjett"].iter_rows(min_row=3, values_only=True))
    assert rows == [("5052", "Leka kommune", 1, "-kurs", 200_000), ("5052", "Leka kommune", 2, "Veiledning", 100_000)]
    assert book["Budsjett"]["D3"].data_type == "s"
    slack_app.drain()
    assert [row.status for row in export_rows(answered)] == ["sent"]
    with Session(answered) as session:
        audited = session.exec(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (audited.actor, audited.call_id) == (f"slack:{SECRETARIAT_USER}", CALL_ID)


def test_the_command_is_acknowledged_before_the_upload_is_done(
    answered: Engine, slack_app: InProcessApp, fake_slack: FakeSlack
) -> None:
    fake_slack.stall("files.getUploadURLExternal", seconds=2)  # Slack is slow to hand out the URL
    started = time.monotonic()
    reply = slack_app.command(SECRETARIAT_USER, f"eksport {CALL_ID}")
    acknowledged = time.monotonic() - started
    assert reply.status == 200 and acknowledged < 1.5
    assert fake_slack.uploaded_files() == []
    upload, book = uploaded_workbook(fake_slack)  # the client tried again after the lost request
    assert upload["channel_id"] == SECRETARIAT_CHANNEL and book.sheetnames[0] == "Søknader"


def test_a_failed_upload_is_tried_again_by_the_outbox_worker(
    answered: Engine, slack_app: InProcessApp, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("upload", status=500)  # the upload URL answers 500 once
    slack_app.command(SECRETARIAT_USER, f"eksport {CALL_ID}")
    slack_app.drain()
    (row,) = export_rows(answered)
    assert (row.status, row.attempts, fake_slack.uploaded_files()) == ("pending", 1, [])
    assert row.last_error is not None and "500" in row.last_error
    later = datetime.now(UTC) + timedelta(hours=1)  # past the back-off
    notifier = slack_app.deps.poster.notifier
    worker = Worker(answered, notifier, lambda: later, "retrying-worker", slack_app.deps.settings.worker)
    assert worker.run_until_idle() == 1
    upload, book = uploaded_workbook(fake_slack)
    assert upload["channel_id"] == SECRETARIAT_CHANNEL and book["Søknader"]["A4"].value == "5052"
    assert [call.status for call in fake_slack.rejected_to("upload")] == [500]
    assert [row.status for row in export_rows(answered)] == ["sent"]


def test_a_rate_limited_completion_waits_for_retry_after_and_goes_through(
    answered: Engine, slack_app: InProcessApp, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("files.completeUploadExternal", status=429, retry_after=1)
    slack_app.command(SECRETARIAT_USER, f"eksport {CALL_ID}")
    upload, _ = uploaded_workbook(fake_slack)
    rejected = fake_slack.rejected_to("files.completeUploadExternal")
    assert [call.status for call in rejected] == [429]
    completed = fake_slack.calls_to("files.completeUploadExternal")[0]
    assert completed.at - rejected[0].at >= 1.0  # Slack's Retry-After was honoured
    assert upload["channel_id"] == SECRETARIAT_CHANNEL


def test_without_a_secretariat_channel_the_one_who_asked_gets_it_in_their_dm(
    answered: Engine, slack_app_with: Callable[..., InProcessApp], fake_slack: FakeSlack
) -> None:
    app = slack_app_with(FRIST_SECRETARIAT_CHANNEL="")
    app.command(SECRETARIAT_USER, f"eksport {CALL_ID}")
    upload, _ = uploaded_workbook(fake_slack)
    (opened,) = fake_slack.calls_to("conversations.open")
    assert opened.args["users"] == SECRETARIAT_USER and upload["channel_id"].startswith("D")


def test_someone_outside_the_secretariat_is_refused(
    answered: Engine, slack_app: InProcessApp, fake_slack: FakeSlack
) -> None:
    reply = slack_app.command(KARI, f"eksport {CALL_ID}").json()
    assert reply["text"].startswith("Dette kan bare sekretariatet hos Statsforvalteren gjøre")
    slack_app.drain()
    assert export_rows(answered) == [] and fake_slack.calls_to("files.getUploadURLExternal") == []
    with Session(answered) as session:
        refused = session.exec(select(AuditEntry).where(AuditEntry.action == "refused")).one()
    assert refused.detail == {"attempted": "/frist eksport"}


def test_an_unknown_call_is_named(answered: Engine, slack_app: InProcessApp, fake_slack: FakeSlack) -> None:
    slack_app.command(SECRETARIAT_USER, "eksport finnes-ikke")
    (post,) = wait_posts(fake_slack, 1)
    assert "finnes-ikke" in text_of(post)
    assert export_rows(answered) == [] and fake_slack.calls_to("files.getUploadURLExternal") == []
