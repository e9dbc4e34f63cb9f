"""`/frist` through the real Bolt app: what contacts, secretariat members who are no contact, and
strangers are told."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import SECRETARIAT_USER
from tests.support.seed import CALL_ID, KARI, STRANGER
from tests.support.slack_app import InProcessApp
from tests.support.slack_views import text_of, wait_posts


@pytest.fixture
def secretariat_in_slack(fake_slack: FakeSlack) -> str:
    """A secretariat member Slack knows, with an address that is no contact's."""
    fake_slack.users_by_email = {**fake_slack.users_by_email, "sekretariat@statsforvalteren.no": SECRETARIAT_USER}
    return SECRETARIAT_USER


@pytest.mark.parametrize("text", ["", "hjelp"])
def test_a_secretariat_member_who_is_no_contact_gets_the_secretariats_help(
    slack_app: InProcessApp, secretariat_in_slack: str, text: str
) -> None:
    reply = slack_app.command(secretariat_in_slack, text).json()
    assert reply["response_type"] == "ephemeral"
    help_text = reply["text"]
    assert "*For sekretariatet:*" in help_text and "`/frist utlys ID`" in help_text
    assert "er for kontaktpersonene i kommunene" in help_text
    assert "finner deg ikke" not in help_text and "start eller fortsett søknaden" not in help_text


@pytest.mark.parametrize("word", ["søk", "rapport", "status"])
def test_the_contacts_commands_tell_a_secretariat_member_they_are_for_contacts(
    slack_app: InProcessApp, secretariat_in_slack: str, word: str
) -> None:
    text = slack_app.command(secretariat_in_slack, word).json()["text"]
    assert text.startswith(f"`/frist {word}` er for kontaktpersonene") and "`/frist oversikt ID`" in text


def test_the_secretariats_help_is_in_the_secretariats_language_form(
    slack_app_with: Callable[..., InProcessApp], secretariat_in_slack: str
) -> None:
    app = slack_app_with(FRIST_SECRETARIAT_LANGUAGE="nn")
    assert "er for kontaktpersonane i kommunane" in app.command(secretariat_in_slack, "hjelp").json()["text"]
    assert "Eg kjenner ikkje kommandoen «hei»" in app.command(secretariat_in_slack, "hei").json()["text"]
    assert app.command(secretariat_in_slack, "søk").json()["text"].startswith("`/frist søk` er for kontaktpersonane")


def test_a_stranger_is_still_told_whom_to_ask_and_a_contact_gets_the_contacts_help(
    slack_app: InProcessApp, fake_slack: FakeSlack
) -> None:
    assert "finner deg ikke" in slack_app.command(STRANGER, "hjelp").json()["text"]
    contact_help = slack_app.command(KARI, "").json()["text"]
    assert "start eller fortsett søknaden" in contact_help and "For sekretariatet" not in contact_help


def test_a_call_id_with_a_nul_byte_in_it_is_read_without_it(slack_app: InProcessApp, fake_slack: FakeSlack) -> None:
    reply = slack_app.command(KARI, f"søk {CALL_ID}\x00")
    assert "meldingene dine" in reply.json()["text"]
    assert "Spørsmål 1 av 9" in text_of(wait_posts(fake_slack, 1)[-1])
