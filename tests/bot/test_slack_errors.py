"""Through the real Bolt app: input that used to crash a listener gets a clear reply, and a bug
anywhere still answers the person in their language form while the log names the delivery."""

from __future__ import annotations

import json
import logging
from typing import Any, NoReturn

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.slack.ids import View
from intake import directory, usecases
from models import Submission
from tests.fakes.slack_api import FakeSlack
from tests.support.seed import CALL_ID, KARI, ODA
from tests.support.slack_app import InProcessApp
from tests.support.slack_views import posts, text_of, wait_posts

SORRY_NB = "Beklager, noe gikk galt hos meg"
SORRY_NN = "Orsak, noko gjekk gale hos meg"


def boom(*args: Any, **kwargs: Any) -> NoReturn:
    raise RuntimeError("a bug planted by the test")


def stored_answers(engine: Engine) -> dict[str, Any]:
    with Session(engine) as session:
        return dict(session.exec(select(Submission)).one().answers)


def test_endre_with_a_digit_int_cannot_read_gets_a_clear_reply(slack_app: InProcessApp, fake_slack: FakeSlack) -> None:
    slack_app.dm(KARI, "hei")
    assert "Spørsmål 1 av 9" in text_of(wait_posts(fake_slack, 1)[-1])
    slack_app.dm(KARI, "endre ²")
    reply = text_of(wait_posts(fake_slack, 2)[-1])
    assert "Det finnes ikke noe spørsmål nummer «²»" in reply and "fra 1 til 9" in reply
    assert "Spørsmål 1 av 9" in reply  # and the question it stands at, again


def test_a_nul_byte_or_half_an_emoji_in_an_answer_is_saved_without_them(
    slack_app: InProcessApp, fake_slack: FakeSlack, seeded: Engine
) -> None:
    slack_app.dm(KARI, "hei")
    wait_posts(fake_slack, 1)
    slack_app.dm(KARI, "Bedre\x00 lesing \ud83d")
    assert "Spørsmål 2 av 9" in text_of(wait_posts(fake_slack, 2)[-1])
    assert stored_answers(seeded) == {"mal": "Bedre lesing"}


@pytest.mark.unhandled_error
def test_a_bug_in_a_dm_answers_the_contact_and_logs_the_event_id(
    slack_app: InProcessApp, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(usecases, "answer_latest", boom)
    with caplog.at_level(logging.ERROR, logger="frist.slack"):
        assert slack_app.dm(KARI, "hei", event_id="Ev0BUG0001").status == 200
        reply = wait_posts(fake_slack, 1)[-1]
    assert reply.args["channel"] == "D0KARI"
    assert SORRY_NB in text_of(reply) and "Svarene du har gitt til nå, er lagret" in text_of(reply)
    logged = [r for r in caplog.records if "event:Ev0BUG0001" in r.getMessage()]
    assert logged and logged[0].exc_info and "a bug planted by the test" in str(logged[0].exc_info[1])


@pytest.mark.unhandled_error
def test_the_apology_is_in_the_contacts_language_form(
    slack_app: InProcessApp, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(usecases, "answer", boom)  # Oda is found (by e-mail) first, then it fails
    slack_app.dm(ODA, "hei")
    reply = wait_posts(fake_slack, 1)[-1]
    assert SORRY_NN in text_of(reply) and "Svara du har gitt til no, er lagra" in text_of(reply)


@pytest.mark.unhandled_error
def test_a_retried_event_that_fails_again_is_not_apologised_for_twice(
    slack_app: InProcessApp, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(usecases, "answer_latest", boom)
    slack_app.dm(KARI, "hei", event_id="Ev0BUG0002")
    wait_posts(fake_slack, 1)
    slack_app.dm(KARI, "hei", event_id="Ev0BUG0002", retry=1)
    slack_app.dm(KARI, "hallo", event_id="Ev0BUG0003")  # a new message that fails is answered again
    wait_posts(fake_slack, 2)
    assert len([c for c in posts(fake_slack) if SORRY_NB in text_of(c)]) == 2


@pytest.mark.unhandled_error
def test_a_bug_in_a_slash_command_is_answered_in_the_response(
    slack_app: InProcessApp, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(directory, "org_calls", boom)
    reply = slack_app.command(KARI, "søk")
    assert reply.status == 200
    assert reply.json()["response_type"] == "ephemeral" and SORRY_NB in reply.json()["text"]


@pytest.mark.unhandled_error
def test_a_bug_in_the_edit_modal_shows_under_its_first_input_so_nothing_typed_is_lost(
    slack_app: InProcessApp, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.slack.listeners.modals.edit_answers", boom)
    view = {
        "id": "V0EDIT",
        "type": "modal",
        "callback_id": View.edit.value,
        "private_metadata": json.dumps({"c": CALL_ID, "v": 0}),
        "blocks": [],
        "state": {"values": {"mal": {"value": {"type": "plain_text_input", "value": "Et langt svar"}}}},
    }
    payload = {"type": "view_submission", "user": {"id": KARI}, "team": {"id": "T0FAKE0001"}, "view": view}
    reply = slack_app.interaction({**payload, "api_app_id": "A0FAKE0001", "trigger_id": "1.2.3"})
    assert reply.status == 200
    assert reply.json()["response_action"] == "errors" and SORRY_NB in reply.json()["errors"]["mal"]
