"""The listeners through the real Bolt app in-process (tests/support/slack_app.py): requests signed as
Slack signs them go straight to `App.dispatch`, and the app talks to the fake Slack on loopback. The
whole application over real HTTP is tests/e2e/test_http_bot.py."""

from __future__ import annotations

import json

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.formatting import NBSP
from models import AuditEntry, Contact
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import SECRETARIAT_CHANNEL, SECRETARIAT_USER
from tests.support.forms import HAPPY
from tests.support.seed import CALL_ID, KARI, PER, STRANGER, the_submission
from tests.support.slack_app import InProcessApp
from tests.support.slack_views import (
    answer_all,
    block_action,
    button,
    posts,
    text_of,
    view_submission,
    wait_posts,
    wait_settled,
)
from tests.support.waiting import wait_until

DM = "D0KARI"


def test_an_edit_through_the_modal_validates_and_saves(
    slack_app: InProcessApp, fake_slack: FakeSlack, seeded: Engine
) -> None:
    slack_app.command(KARI, "søk")
    wait_posts(fake_slack, 1)
    answer_all(slack_app, fake_slack, HAPPY)
    edit = button(posts(fake_slack)[-1], "frist_edit")
    slack_app.interaction(block_action(KARI, DM, fake_slack.new_trigger_id(), edit))
    opened = fake_slack.wait_for("views.open")[-1]
    view = opened.args["view"] if isinstance(opened.args["view"], dict) else json.loads(opened.args["view"])
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["egen"]["element"]["initial_value"] == "kr 60 000"
    assert inputs["start"]["element"]["initial_date"] == "2027-08-28"

    refused = slack_app.interaction(view_submission(KARI, view, {"egen": "sytti tusen"}))
    assert refused.status == 200
    errors = refused.json()
    assert errors["response_action"] == "errors" and "beløp" in errors["errors"]["egen"]
    assert the_submission(seeded).answers["egen"] == 60_000

    before = len(posts(fake_slack))
    accepted = slack_app.interaction(view_submission(KARI, view, {"egen": "70 000", "mal": "Bedre lesing"}))
    assert accepted.status == 200 and not accepted.body
    review = wait_posts(fake_slack, before + 1)[-1]
    assert f"kr{NBSP}70{NBSP}000" in text_of(review) and "Bedre lesing" in text_of(review)
    assert the_submission(seeded).answers["egen"] == 70_000


def test_a_stranger_is_told_who_to_ask_and_a_contact_cannot_run_secretariat_commands(
    slack_app: InProcessApp, fake_slack: FakeSlack, seeded: Engine
) -> None:
    slack_app.dm(STRANGER, "hei")
    reply = wait_posts(fake_slack, 1)[-1]
    assert "finner deg ikke" in text_of(reply)
    refused = slack_app.command(KARI, f"utlys {CALL_ID}")
    assert "bare sekretariatet" in refused.json()["text"]
    wait_settled(seeded)
    assert not [c for c in posts(fake_slack) if c.args.get("channel") != reply.args.get("channel")]
    with Session(seeded) as session:
        audited = session.exec(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    assert [entry.actor for entry in audited] == [f"slack:{KARI}"]


def test_the_secretariat_announces_a_call_to_every_contact(slack_app: InProcessApp, fake_slack: FakeSlack) -> None:
    reply = slack_app.command(SECRETARIAT_USER, f"utlys {CALL_ID}")
    assert reply.status == 200
    slack_app.deliver_due()  # what the bot process's outbox worker does
    sent = wait_posts(fake_slack, 4)  # Kari, Per, Oda, and the summary to the secretariat
    announcements = [c for c in sent if "har åpnet" in text_of(c) or "har opna" in text_of(c)]
    assert len(announcements) == 3
    assert any("har opna" in text_of(c) and "Osen kommune" in text_of(c) for c in announcements)  # nynorsk
    assert fake_slack.calls_to("users.lookupByEmail")


def test_a_retried_event_is_answered_once(slack_app: InProcessApp, fake_slack: FakeSlack, seeded: Engine) -> None:
    slack_app.command(KARI, "søk")
    wait_posts(fake_slack, 1)
    assert slack_app.dm(KARI, "Bedre leseopplæring", event_id="Ev0RETRY01").status == 200
    assert slack_app.dm(KARI, "Bedre leseopplæring", event_id="Ev0RETRY01", retry=1).status == 200
    wait_posts(fake_slack, 2)
    wait_settled(seeded)
    assert len(posts(fake_slack)) == 2
    with Session(seeded) as session:
        answers = session.exec(select(AuditEntry).where(AuditEntry.action == "answer")).all()
    assert len(answers) == 1


def test_user_text_is_escaped_so_it_cannot_ping_or_fake_a_link(slack_app: InProcessApp, fake_slack: FakeSlack) -> None:
    slack_app.command(KARI, "søk")
    wait_posts(fake_slack, 1)
    answer_all(slack_app, fake_slack, ["<!channel> se <https://evil.example|her> & nå", "se over"])
    review = text_of(posts(fake_slack)[-1])
    assert "&lt;!channel&gt; se &lt;https://evil.example|her&gt; &amp; nå" in review
    assert "<!channel>" not in review


def test_slack_errors_are_retried_and_a_lost_reply_never_loses_the_answer(
    slack_app: InProcessApp, fake_slack: FakeSlack, seeded: Engine
) -> None:
    slack_app.command(KARI, "søk")
    wait_posts(fake_slack, 1)
    fake_slack.fail("chat.postMessage", status=429, retry_after=0, times=2)
    slack_app.dm(KARI, "Første svar")
    assert "Spørsmål 2 av 9" in text_of(wait_posts(fake_slack, 2)[-1])
    assert len(fake_slack.rejected_to("chat.postMessage")) == 2

    fake_slack.fail("chat.postMessage", status=500, times=4)  # the first try and all three retries
    slack_app.dm(KARI, "nei")
    wait_until(lambda: len(fake_slack.rejected_to("chat.postMessage")) >= 6, 15, "fewer than 6 posts refused")
    assert len(fake_slack.rejected_to("chat.postMessage")) == 6
    assert the_submission(seeded).answers == {"mal": "Første svar", "ekstern": "nei"}
    slack_app.dm(KARI, "28.08.2027")
    assert "Spørsmål 4 av 9" in text_of(wait_posts(fake_slack, 3)[-1])


def test_app_home_shows_the_contacts_calls_and_the_secretariats_counts(
    slack_app: InProcessApp, fake_slack: FakeSlack
) -> None:
    slack_app.event({"type": "app_home_opened", "user": KARI, "channel": "D0KARI", "tab": "home"})
    home = fake_slack.wait_for("views.publish")[-1]
    assert "Prøveordningen 2026" in text_of(home) and "Ikke påbegynt" in text_of(home)
    assert button(home, "frist_start")["value"] == CALL_ID
    slack_app.event({"type": "app_home_opened", "user": SECRETARIAT_USER, "channel": "D0SEKR", "tab": "home"})
    secretariat_home = fake_slack.wait_for("views.publish", count=2)[-1]
    assert "Sendt inn 0 av 2" in text_of(secretariat_home)


def test_buttons_answer_their_own_question_and_an_old_button_is_refused(
    slack_app: InProcessApp, fake_slack: FakeSlack, seeded: Engine
) -> None:
    slack_app.dm(PER, "hei")  # Per has no Slack id in the import: found by e-mail and remembered
    first = wait_posts(fake_slack, 1)[-1]
    assert "Spørsmål 1 av 9" in text_of(first)
    slack_app.dm(PER, "Mål")
    yesno = wait_posts(fake_slack, 2)[-1]
    no = button(yesno, "frist_answer:1")
    assert no["value"] == "nei"
    slack_app.interaction(block_action(PER, "D0PER", fake_slack.new_trigger_id(), no))
    assert "Spørsmål 3 av 9" in text_of(wait_posts(fake_slack, 3)[-1])
    slack_app.interaction(block_action(PER, "D0PER", fake_slack.new_trigger_id(), no))  # the same button again
    stale = wait_posts(fake_slack, 4)[-1]
    assert "hører til et tidligere spørsmål" in text_of(stale) and "Spørsmål 3 av 9" in text_of(stale)
    date_picker = button(stale, "frist_answer_date")
    slack_app.interaction(
        block_action(PER, "D0PER", fake_slack.new_trigger_id(), date_picker, selected_date="2027-08-28")
    )
    assert "Spørsmål 4 av 9" in text_of(wait_posts(fake_slack, 5)[-1])
    assert the_submission(seeded).answers == {"mal": "Mål", "ekstern": "nei", "start": "2027-08-28"}
    with Session(seeded) as session:
        per = session.exec(select(Contact).where(Contact.email == "per@leka.example.no")).one()
    assert per.slack_user_id == PER
    assert len(fake_slack.calls_to("users.info")) == 1


def test_the_secretariat_posts_the_digest_to_its_channel(slack_app: InProcessApp, fake_slack: FakeSlack) -> None:
    slack_app.dm(KARI, "hei")
    wait_posts(fake_slack, 1)
    reply = slack_app.command(SECRETARIAT_USER, f"oversikt {CALL_ID}")
    assert reply.status == 200
    in_channel = fake_slack.wait_for(
        "chat.postMessage", count=2, predicate=lambda c: c.args.get("channel") == SECRETARIAT_CHANNEL
    )
    main, thread = in_channel[0], in_channel[1]
    assert "Sendt inn: *0* av 2 · utkast: 1 · ikke påbegynt: 1" in text_of(main)
    assert "thread_ts" not in main.args and thread.args["thread_ts"]
    assert "Leka kommune" in text_of(thread) and "Osen kommune" in text_of(thread)
