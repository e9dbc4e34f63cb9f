"""A reminder's buttons, through the real Bolt app in-process: snooze it, or say the org will not
apply. The reminders themselves come from the tick and the outbox worker, as in a bot process
(sending them from real processes is tests/e2e/test_reminder_delivery.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from models import Contact, Snooze, Submission, SubmissionStatus
from reminders.tick import tick
from tests.fakes.slack_api import FakeSlack
from tests.support.seed import KARI, ODA, make_reminder_due
from tests.support.slack_app import InProcessApp
from tests.support.slack_views import block_action, button, text_of

SEEDED_CONTACTS = 3  # Kari and Per of Leka, Oda of Osen


def test_a_reminder_can_be_snoozed_and_an_org_can_decline(
    slack_app: InProcessApp, fake_slack: FakeSlack, seeded: Engine
) -> None:
    now = datetime.now(UTC)
    with Session(seeded) as session:
        make_reminder_due(session, now)
    assert tick(seeded, now) >= SEEDED_CONTACTS
    assert slack_app.deliver_due() >= SEEDED_CONTACTS  # what the bot process's outbox worker does
    reminders = [c for c in fake_slack.calls_to("chat.postMessage") if "Påminn" in text_of(c)]
    assert len(reminders) == SEEDED_CONTACTS
    by_channel = {c.args["channel"]: c for c in reminders}
    kari_channel = fake_slack.workspace.dm_channel(KARI)[0]
    oda_channel = fake_slack.workspace.dm_channel(ODA)[0]
    snooze = button(by_channel[kari_channel], "frist_snooze")
    slack_app.interaction(block_action(KARI, kari_channel, fake_slack.new_trigger_id(), snooze))
    decline = button(by_channel[oda_channel], "frist_decline")
    assert decline["confirm"]["confirm"]["text"] == "Ja, vi står over"
    slack_app.interaction(block_action(ODA, oda_channel, fake_slack.new_trigger_id(), decline))
    replies = fake_slack.wait_for("chat.postMessage", count=SEEDED_CONTACTS + 2)
    texts = [text_of(c) for c in replies[SEEDED_CONTACTS:]]
    assert any("Greit! Jeg minner deg på det igjen" in t for t in texts)
    assert any("Osen kommune søkjer ikkje" in t for t in texts)
    with Session(seeded) as session:
        assert (
            session.exec(select(Snooze)).one().contact_id
            == session.exec(select(Contact).where(Contact.slack_user_id == KARI)).one().id
        )
        osen = session.exec(select(Submission).where(Submission.org_id == "5020")).one()
    assert osen.status == SubmissionStatus.declined
