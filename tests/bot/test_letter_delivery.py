"""Decision letters through the outbox: the real SlackNotifier behind the real outbox worker against
the fake Slack; the uploaded PDFs read back with pypdf."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.formatting import NBSP
from bot.settings import Settings
from bot.slack.outbox_notifier import SlackNotifier
from models import Contact, OutboxKind, OutboxMessage, OutboxStatus
from reminders.worker import Worker, WorkerSettings
from tests.fakes.slack_api import FakeSlack
from tests.support.decided import DECIDED_AT, decided_call
from tests.support.pdf_checks import check_archive_pdf, one_line
from tests.support.seed import KARI, ODA, PER, SLACK_IDS_BY_EMAIL

CHANNEL = "C0SEKRETAR"


class Clock:
    def __init__(self) -> None:
        self.now = DECIDED_AT + timedelta(minutes=1)

    def __call__(self) -> datetime:
        return self.now


def setup(engine: Engine, fake: FakeSlack, client: WebClient | None = None) -> tuple[Worker, Clock]:
    fake.users_by_email = SLACK_IDS_BY_EMAIL
    settings = Settings(
        _env_file=None,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_API_URL=fake.base_url,
        FRIST_SECRETARIAT_CHANNEL=CHANNEL,
        FRIST_SECRETARIAT_EMAIL="post@sf.example.no",
        FRIST_LETTER_AUTHORITY="Statsforvalteren i Trøndelag",
        FRIST_LETTER_AUTHORITY_NN="Statsforvaltaren i Trøndelag",
    )
    clock = Clock()
    client = client or WebClient(token="xoxb-test", base_url=fake.base_url)
    notifier = SlackNotifier(engine, client, settings, clock)
    return Worker(engine, notifier, clock, "w1", WorkerSettings(per_minute=60_000, per_channel_per_second=1_000)), clock


def dm_users(fake: FakeSlack) -> dict[str, str]:
    """DM channel id -> user, from the conversations.open calls."""
    return {channel: users for users, channel in fake.workspace.dm_channels.items()}


def letters(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.letter)).all())


def notices(fake: FakeSlack) -> list[str]:
    return [call.args["text"] for call in fake.calls_to("chat.postMessage") if call.args["channel"] == CHANNEL]


def test_every_contact_gets_the_letter_in_their_orgs_language_and_the_secretariat_a_notice(
    engine: Engine, session: Session
) -> None:
    decided_call(session)
    with FakeSlack() as fake:
        worker, _clock = setup(engine, fake)
        assert worker.run_until_idle() == 2
        files, users = fake.uploaded_files(), dm_users(fake)
        posted = notices(fake)
        buttons = [
            element
            for call in fake.calls_to("chat.postMessage")
            if call.args["channel"] == CHANNEL
            for block in call.args["blocks"]
            if block["type"] == "actions"
            for element in block["elements"]
        ]
        assert fake.violations == []
    assert sorted(json.loads(button["value"])["o"] for button in buttons) == ["5020", "5052"]
    assert {button["action_id"] for button in buttons} == {"frist_amend"}  # `Endre vedtak` under each notice
    assert all(row.status == OutboxStatus.sent for row in letters(engine))
    by_user = {users[file["channel_id"]]: file for file in files}
    assert sorted(by_user) == sorted([KARI, PER, ODA]) and len(files) == 3
    leka = one_line(check_archive_pdf(by_user[KARI]["data"]))
    assert by_user[KARI]["data"] == by_user[PER]["data"]
    assert "Leka kommune" in leka and "2026/8140" in leka and "Statsforvalteren i Trøndelag" in leka
    assert "Vi innvilger søknaden delvis" in leka and "kr 100 000" in leka and "kr 125 500" in leka
    assert "ny plan er sendt inn" in leka
    osen = one_line(check_archive_pdf(by_user[ODA]["data"]))
    assert "Osen kommune" in osen and "2026/8140" in osen and "Statsforvaltaren i Trøndelag" in osen
    assert "kr 125 500" in osen and "tilskot" in osen and "Vi innvilgar søknaden" in osen
    assert by_user[KARI]["name"] == "vedtak-proveordning-2026-5052-v1.pdf"
    assert "delvis innvilget: kr 100 000" in by_user[KARI]["initial_comment"].replace(NBSP, " ")
    assert "Se vedtaksbrevet" in by_user[KARI]["initial_comment"].replace(NBSP, " ")
    assert "Sjå vedtaksbrevet" in by_user[ODA]["initial_comment"]
    assert len(posted) == 2
    [leka_notice] = [text for text in posted if "Leka kommune" in text]
    assert (
        "kr 100 000" in leka_notice.replace(NBSP, " ")
        and "Kari Leka, Per Leka" in leka_notice
        and "Ikke nådd" not in leka_notice
    )


def test_a_429_halfway_through_the_contacts_and_the_retry_send_each_contact_one_letter(
    engine: Engine, session: Session
) -> None:
    decided_call(session)
    session.add(Contact(org_id="5052", name="Nils Uten", email="nils@leka.example.no"))  # no Slack user
    session.commit()
    with FakeSlack() as fake:
        worker, clock = setup(engine, fake)
        fake.fail("files.completeUploadExternal", status=429, retry_after=1, after=1)
        worker.run_once()
        [leka] = [row for row in letters(engine) if row.org_id == "5052"]
        assert leka.status == OutboxStatus.pending and len(fake.uploaded_files()) == 1
        assert list(leka.data["progress"]["contacts"].values()) == ["sent"]
        clock.now += timedelta(minutes=1)
        worker.run_until_idle()
        files, users, posted = fake.uploaded_files(), dm_users(fake), notices(fake)
        assert fake.violations == []
    assert all(row.status == OutboxStatus.sent for row in letters(engine))
    got = sorted(users[file["channel_id"]] for file in files)
    assert got == sorted([KARI, PER, ODA]), "a contact got the letter twice, or not at all"
    assert len(posted) == 2
    [leka_notice] = [text for text in posted if "Leka kommune" in text]
    assert "Ikke nådd i Slack" in leka_notice and "Nils Uten (nils@leka.example.no)" in leka_notice


class DiesBeforeTheSecondUpload(WebClient):
    """The process stops (as when it is killed) after one letter went out."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.uploads = 0

    def files_upload_v2(self, **kwargs: Any) -> Any:
        if self.uploads == 1:
            raise SystemExit("killed")
        self.uploads += 1
        return super().files_upload_v2(**kwargs)


def test_after_a_crash_mid_send_another_worker_sends_only_to_the_rest(engine: Engine, session: Session) -> None:
    decided_call(session)
    with FakeSlack() as fake:
        dying = DiesBeforeTheSecondUpload(token="xoxb-test", base_url=fake.base_url)
        first, clock = setup(engine, fake, dying)
        with pytest.raises(SystemExit):
            first.run_once()
        assert len(fake.uploaded_files()) == 1
        second, _ = setup(engine, fake)
        second.clock = clock
        clock.now += timedelta(minutes=5)  # the first worker's lease has run out
        second.run_until_idle()
        files, users, posted = fake.uploaded_files(), dm_users(fake), notices(fake)
    assert sorted(users[file["channel_id"]] for file in files) == sorted([KARI, PER, ODA])
    assert len(posted) == 2
