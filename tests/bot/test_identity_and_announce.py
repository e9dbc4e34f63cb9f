"""Who a Slack user is when Slack is busy, and `/frist utlys`, which no longer asks Slack anything itself."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.slack.identity import contact_for_user, user_for_contact
from models import AuditEntry, OutboxMessage
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import SECRETARIAT_USER
from tests.support.seed import CALL_ID, contact, seed
from tests.support.slack_app import InProcessApp
from tests.support.slack_views import posts, text_of


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_contact_is_not_taken_for_a_stranger_while_users_info_fails(
    engine: Engine, session: Session, status: int
) -> None:
    seed(session)
    with FakeSlack() as fake:
        fake.users_by_email = {"per@leka.example.no": "U0PER", "someone@else.example.no": "U0ELSE"}
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        fake.fail("users.info", status=status, retry_after=0)
        with pytest.raises(SlackApiError):
            contact_for_user(session, client, "U0PER")
        found = contact_for_user(session, client, "U0PER")  # Slack answers again
        assert found is not None and found.email == "per@leka.example.no" and found.slack_user_id == "U0PER"
        assert contact_for_user(session, client, "U0ELSE") is None  # in Slack, not a contact
        assert contact_for_user(session, client, "U0NOBODY") is None  # users.info: user_not_found
        assert fake.violations == []


@pytest.mark.parametrize("status", [429, 500])
def test_a_failed_lookup_by_email_is_not_taken_for_no_such_user(engine: Engine, session: Session, status: int) -> None:
    seed(session)
    oda = contact(session, "oda@osen.example.no")
    with FakeSlack() as fake:
        fake.users_by_email = {"oda@osen.example.no": "U0ODA"}
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        fake.fail("users.lookupByEmail", status=status, retry_after=0)
        with pytest.raises(SlackApiError):
            user_for_contact(session, client, oda)
        assert oda.slack_user_id is None
        assert user_for_contact(session, client, oda) == "U0ODA"
        assert user_for_contact(session, client, contact(session, "per@leka.example.no")) is None  # users_not_found
    assert contact(session, "oda@osen.example.no").slack_user_id == "U0ODA"


@pytest.mark.parametrize(
    ("lang", "first", "again"),
    [
        ("nb", "er lagt i kø til 3 kontaktpersoner.", "er lagt i kø til 0 kontaktpersoner (3 har fått den før"),
        ("nn", "er lagd i kø til 3 kontaktpersonar.", "er lagd i kø til 0 kontaktpersonar (3 har fått henne før"),
    ],
)
def test_announce_queues_every_contact_and_leaves_finding_them_in_slack_to_the_outbox(
    slack_app_with: Callable[..., InProcessApp],
    fake_slack: FakeSlack,
    seeded: Engine,
    lang: str,
    first: str,
    again: str,
) -> None:
    app = slack_app_with(FRIST_SECRETARIAT_LANGUAGE=lang)

    assert app.command(SECRETARIAT_USER, f"utlys {CALL_ID}").status == 200
    app.drain()
    summary = text_of(posts(fake_slack)[-1])

    assert first in summary and f"/frist oversikt {CALL_ID}" in summary
    assert not fake_slack.calls_to("users.lookupByEmail") and not fake_slack.calls_to("users.info")
    with Session(seeded) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "announcement")).all()
        # Kari (with a Slack id), Per and Oda (without one); not Ola, whose org is not eligible.
        emails = {"kari@leka.example.no", "per@leka.example.no", "oda@osen.example.no"}
        assert {row.contact_id for row in rows} == {contact(session, email).id for email in emails}
    assert app.command(SECRETARIAT_USER, f"utlys {CALL_ID}").status == 200
    app.drain()
    assert again in text_of(posts(fake_slack)[-1])
    with Session(seeded) as session:
        audited = session.exec(select(AuditEntry).where(AuditEntry.action == "announce")).all()
    assert [entry.detail["queued"] for entry in audited] == [3, 0]
