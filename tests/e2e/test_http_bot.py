"""`frist serve` over real HTTP, requests signed as Slack signs them, against the fake Slack."""

from __future__ import annotations

import json
import time

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.formatting import NBSP
from models import AuditEntry, Contact, Submission, SubmissionStatus
from tests.e2e.bot_process import SECRETARIAT_CHANNEL, SECRETARIAT_USER, BotServer
from tests.e2e.conftest import KARI, PER, STRANGER
from tests.e2e.slack_views import block_action, button, posts, text_of, view_submission, wait_posts, wait_settled
from tests.fakes.signing import JSON, event_body
from tests.fakes.slack_api import FakeSlack
from tests.intake.seed import CALL_ID
from tests.intake.test_engine import HAPPY

DM = "D0KARI"


def answer_all(bot: BotServer, fake: FakeSlack, lines: list[str]) -> int:
    """Type each line in the DM, waiting for the bot's reply before the next one."""
    count = len(fake.calls_to("chat.postMessage"))
    for line in lines:
        assert bot.dm(KARI, line).status == 200
        count += 1
        wait_posts(fake, count)
    return count


def stored(engine: Engine) -> Submission:
    with Session(engine) as session:
        return session.exec(select(Submission)).one()


def test_a_whole_application_from_the_slash_command_to_the_receipt(
    bot: BotServer, fake_slack: FakeSlack, seeded: Engine
) -> None:
    reply = bot.command(KARI, "søk")
    assert reply.status == 200 and "meldingene dine" in reply.json()["text"]
    first = wait_posts(fake_slack, 1)[-1]
    assert "Spørsmål 1 av 9" in text_of(first)
    count = answer_all(bot, fake_slack, HAPPY)
    review = posts(fake_slack)[-1]
    assert "Oppsummering" in text_of(review) and f"kr{NBSP}120{NBSP}000" in text_of(review)
    submit = button(review, "frist_submit")
    trigger = fake_slack.new_trigger_id()
    assert bot.interaction(block_action(KARI, DM, trigger, submit)).status == 200
    assert bot.interaction(block_action(KARI, DM, fake_slack.new_trigger_id(), submit)).status == 200  # double click
    wait_posts(fake_slack, count + 2)
    wait_settled(seeded)
    receipts = [c for c in posts(fake_slack) if "Kvitteringsnummer" in text_of(c)]
    assert len(receipts) == 1 and "2026/8140-5052-1-1" in text_of(receipts[0])
    notices = posts(fake_slack, SECRETARIAT_CHANNEL)
    assert len(notices) == 1
    assert "Leka kommune" in text_of(notices[0]) and f"kr{NBSP}200{NBSP}000" in text_of(notices[0])
    row = stored(seeded)
    assert row.status == SubmissionStatus.submitted and row.revision == 1

    view_button = button(notices[0], "frist_view_submission")
    bot.interaction(block_action(SECRETARIAT_USER, SECRETARIAT_CHANNEL, fake_slack.new_trigger_id(), view_button))
    modal = fake_slack.wait_for("views.open")[-1]
    assert "Frikjøp av ressurslærer" in text_of(modal)


def test_an_edit_through_the_modal_validates_and_saves(bot: BotServer, fake_slack: FakeSlack, seeded: Engine) -> None:
    bot.command(KARI, "søk")
    wait_posts(fake_slack, 1)
    answer_all(bot, fake_slack, HAPPY)
    edit = button(posts(fake_slack)[-1], "frist_edit")
    bot.interaction(block_action(KARI, DM, fake_slack.new_trigger_id(), edit))
    opened = fake_slack.wait_for("views.open")[-1]
    view = opened.args["view"] if isinstance(opened.args["view"], dict) else json.loads(opened.args["view"])
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["egen"]["element"]["initial_value"] == "kr 60 000"
    assert inputs["start"]["element"]["initial_date"] == "2027-08-28"

    refused = bot.interaction(view_submission(KARI, view, {"egen": "sytti tusen"}))
    assert refused.status == 200
    errors = refused.json()
    assert errors["response_action"] == "errors" and "beløp" in errors["errors"]["egen"]
    assert stored(seeded).answers["egen"] == 60_000

    before = len(posts(fake_slack))
    accepted = bot.interaction(view_submission(KARI, view, {"egen": "70 000", "mal": "Bedre lesing"}))
    assert accepted.status == 200 and not accepted.body
    review = wait_posts(fake_slack, before + 1)[-1]
    assert f"kr{NBSP}70{NBSP}000" in text_of(review) and "Bedre lesing" in text_of(review)
    assert stored(seeded).answers["egen"] == 70_000


def test_a_stranger_is_told_who_to_ask_and_a_contact_cannot_run_secretariat_commands(
    bot: BotServer, fake_slack: FakeSlack, seeded: Engine
) -> None:
    bot.dm(STRANGER, "hei")
    reply = wait_posts(fake_slack, 1)[-1]
    assert "finner deg ikke" in text_of(reply)
    refused = bot.command(KARI, f"utlys {CALL_ID}")
    assert "bare sekretariatet" in refused.json()["text"]
    wait_settled(seeded)
    assert not [c for c in posts(fake_slack) if c.args.get("channel") != reply.args.get("channel")]
    with Session(seeded) as session:
        audited = session.exec(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    assert [entry.actor for entry in audited] == [f"slack:{KARI}"]


def test_the_secretariat_announces_a_call_to_every_contact(bot: BotServer, fake_slack: FakeSlack) -> None:
    reply = bot.command(SECRETARIAT_USER, f"utlys {CALL_ID}")
    assert reply.status == 200
    sent = wait_posts(fake_slack, 4)  # Kari, Per, Oda, and the summary to the secretariat
    announcements = [c for c in sent if "har åpnet" in text_of(c) or "har opna" in text_of(c)]
    assert len(announcements) == 3
    assert any("har opna" in text_of(c) and "Osen kommune" in text_of(c) for c in announcements)  # nynorsk
    assert fake_slack.calls_to("users.lookupByEmail")


def test_a_retried_event_is_answered_once(bot: BotServer, fake_slack: FakeSlack, seeded: Engine) -> None:
    bot.command(KARI, "søk")
    wait_posts(fake_slack, 1)
    assert bot.dm(KARI, "Bedre leseopplæring", event_id="Ev0RETRY01").status == 200
    assert bot.dm(KARI, "Bedre leseopplæring", event_id="Ev0RETRY01", retry=1).status == 200
    wait_posts(fake_slack, 2)
    wait_settled(seeded)
    assert len(posts(fake_slack)) == 2
    with Session(seeded) as session:
        answers = session.exec(select(AuditEntry).where(AuditEntry.action == "answer")).all()
    assert len(answers) == 1


def test_user_text_is_escaped_so_it_cannot_ping_or_fake_a_link(bot: BotServer, fake_slack: FakeSlack) -> None:
    bot.command(KARI, "søk")
    wait_posts(fake_slack, 1)
    answer_all(bot, fake_slack, ["<!channel> se <https://evil.example|her> & nå", "se over"])
    review = text_of(posts(fake_slack)[-1])
    assert "&lt;!channel&gt; se &lt;https://evil.example|her&gt; &amp; nå" in review
    assert "<!channel>" not in review


def test_a_bad_signature_or_an_old_timestamp_is_refused(bot: BotServer, fake_slack: FakeSlack, seeded: Engine) -> None:
    body = event_body({"type": "message", "channel_type": "im", "channel": DM, "user": KARI, "text": "hei"})
    assert bot.post(body, JSON, signature="v0=" + "0" * 64).status == 401
    assert bot.post(body, JSON, timestamp=int(time.time()) - 600).status == 401
    assert bot.get("/healthz").json() == {"status": "ok"}
    assert bot.post(body, JSON).status == 200  # the same message, signed: answered, once
    wait_posts(fake_slack, 1)
    wait_settled(seeded)
    assert len(posts(fake_slack)) == 1


def test_slack_errors_are_retried_and_a_lost_reply_never_loses_the_answer(
    bot: BotServer, fake_slack: FakeSlack, seeded: Engine
) -> None:
    bot.command(KARI, "søk")
    wait_posts(fake_slack, 1)
    fake_slack.fail("chat.postMessage", status=429, retry_after=0, times=2)
    bot.dm(KARI, "Første svar")
    assert "Spørsmål 2 av 9" in text_of(wait_posts(fake_slack, 2)[-1])
    assert len(fake_slack.rejected_to("chat.postMessage")) == 2

    fake_slack.fail("chat.postMessage", status=500, times=4)  # the first try and all three retries
    bot.dm(KARI, "nei")
    deadline = time.monotonic() + 15
    while len(fake_slack.rejected_to("chat.postMessage")) < 6 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(fake_slack.rejected_to("chat.postMessage")) == 6
    assert stored(seeded).answers == {"mal": "Første svar", "ekstern": "nei"}
    bot.dm(KARI, "28.08.2027")
    assert "Spørsmål 4 av 9" in text_of(wait_posts(fake_slack, 3)[-1])


def test_app_home_shows_the_contacts_calls_and_the_secretariats_counts(bot: BotServer, fake_slack: FakeSlack) -> None:
    bot.event({"type": "app_home_opened", "user": KARI, "channel": "D0KARI", "tab": "home"})
    home = fake_slack.wait_for("views.publish")[-1]
    assert "Prøveordningen 2026" in text_of(home) and "Ikke påbegynt" in text_of(home)
    assert button(home, "frist_start")["value"] == CALL_ID
    bot.event({"type": "app_home_opened", "user": SECRETARIAT_USER, "channel": "D0SEKR", "tab": "home"})
    secretariat_home = fake_slack.wait_for("views.publish", count=2)[-1]
    assert "Sendt inn 0 av 2" in text_of(secretariat_home)


def test_buttons_answer_their_own_question_and_an_old_button_is_refused(
    bot: BotServer, fake_slack: FakeSlack, seeded: Engine
) -> None:
    bot.dm(PER, "hei")  # Per has no Slack id in the import: found by e-mail and remembered
    first = wait_posts(fake_slack, 1)[-1]
    assert "Spørsmål 1 av 9" in text_of(first)
    bot.dm(PER, "Mål")
    yesno = wait_posts(fake_slack, 2)[-1]
    no = button(yesno, "frist_answer:1")
    assert no["value"] == "nei"
    bot.interaction(block_action(PER, "D0PER", fake_slack.new_trigger_id(), no))
    assert "Spørsmål 3 av 9" in text_of(wait_posts(fake_slack, 3)[-1])
    bot.interaction(block_action(PER, "D0PER", fake_slack.new_trigger_id(), no))  # the same button again
    stale = wait_posts(fake_slack, 4)[-1]
    assert "hører til et tidligere spørsmål" in text_of(stale) and "Spørsmål 3 av 9" in text_of(stale)
    date_picker = button(stale, "frist_answer_date")
    bot.interaction(block_action(PER, "D0PER", fake_slack.new_trigger_id(), date_picker, selected_date="2027-08-28"))
    assert "Spørsmål 4 av 9" in text_of(wait_posts(fake_slack, 5)[-1])
    assert stored(seeded).answers == {"mal": "Mål", "ekstern": "nei", "start": "2027-08-28"}
    with Session(seeded) as session:
        per = session.exec(select(Contact).where(Contact.email == "per@leka.example.no")).one()
    assert per.slack_user_id == PER
    assert len(fake_slack.calls_to("users.info")) == 1


def test_the_secretariat_posts_the_digest_to_its_channel(bot: BotServer, fake_slack: FakeSlack) -> None:
    bot.dm(KARI, "hei")
    wait_posts(fake_slack, 1)
    reply = bot.command(SECRETARIAT_USER, f"oversikt {CALL_ID}")
    assert reply.status == 200
    in_channel = fake_slack.wait_for(
        "chat.postMessage", count=2, predicate=lambda c: c.args.get("channel") == SECRETARIAT_CHANNEL
    )
    main, thread = in_channel[0], in_channel[1]
    assert "Sendt inn: *0* av 2 · utkast: 1 · ikke påbegynt: 1" in text_of(main)
    assert "thread_ts" not in main.args and thread.args["thread_ts"]
    assert "Leka kommune" in text_of(thread) and "Osen kommune" in text_of(thread)
