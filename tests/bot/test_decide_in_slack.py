"""`/frist vedtak ID` through the real Bolt app: the totals, the confirmed button, the decisions."""

from __future__ import annotations

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from intake.actors import CLI
from intake.recommendation_import import import_recommendations
from models import AuditEntry, Decision, OutboxKind, OutboxMessage
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import SECRETARIAT_USER
from tests.support.kompetanse import CALL, FORUM_TABLE, seed_kompetanse
from tests.support.seed import KARI, NOW
from tests.support.slack_app import InProcessApp, in_process_app
from tests.support.slack_views import block_action, posts, text_of

CHANNEL = "C0SEKRETAR"


def decided_app(engine: Engine, fake: FakeSlack) -> InProcessApp:
    with Session(engine) as session:
        seed_kompetanse(session, NOW)
        import_recommendations(session, CLI, CALL, FORUM_TABLE, NOW)
    return in_process_app(engine, fake.base_url, lambda: NOW)


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def press(app: InProcessApp, fake: FakeSlack, user: str, prompt: dict) -> None:
    decide = next(
        {**element, "block_id": block.get("block_id", "")}
        for block in prompt["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    )
    body = block_action(user, CHANNEL, fake.new_trigger_id(), decide)
    assert app.interaction(body).status == 200
    app.drain()


def test_the_secretariat_sees_the_totals_confirms_and_the_call_is_decided_once(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app = decided_app(engine, fake_slack)
    prompt = app.command(SECRETARIAT_USER, f"vedtak {CALL}").json()
    assert "11 organisasjoner, til sammen kr" in prompt["text"]
    (decide,) = [b for block in prompt["blocks"] if block["type"] == "actions" for b in block["elements"]]
    assert decide["confirm"]["confirm"]["text"] == "Ja, fatt vedtak" and decide["style"] == "danger"
    assert count(engine, Decision) == 0  # nothing is decided before the button is pressed

    press(app, fake_slack, SECRETARIAT_USER, prompt)
    assert "Vedtak er fattet for 11 organisasjoner" in text_of(posts(fake_slack)[-1])
    with Session(engine) as session:
        letters = session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.letter)).all()
    assert count(engine, Decision) == 11 and len(letters) == 11

    again = app.command(SECRETARIAT_USER, f"vedtak {CALL}").json()
    assert "alt fattet vedtak" in again["text"] and not again.get("blocks")
    press(app, fake_slack, SECRETARIAT_USER, prompt)  # the old prompt's button, pressed again
    assert "alt fattet vedtak" in text_of(posts(fake_slack)[-1]) and count(engine, Decision) == 11


def test_a_contact_cannot_decide_even_with_the_button(engine: Engine, fake_slack: FakeSlack) -> None:
    app = decided_app(engine, fake_slack)
    assert "bare sekretariatet" in app.command(KARI, f"vedtak {CALL}").json()["text"]
    prompt = app.command(SECRETARIAT_USER, f"vedtak {CALL}").json()
    press(app, fake_slack, KARI, prompt)
    assert "Bare sekretariatet kan fatte vedtak." in text_of(posts(fake_slack)[-1])
    with Session(engine) as session:
        refused = session.exec(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    assert count(engine, Decision) == 0 and [entry.actor for entry in refused][-1].endswith(KARI)


def test_an_org_without_a_recommendation_is_named_and_nothing_is_decided(engine: Engine, fake_slack: FakeSlack) -> None:
    with Session(engine) as session:
        seed_kompetanse(session, NOW)
        without_fosen = "\n".join(line for line in FORUM_TABLE.splitlines() if not line.startswith("nett-fosen"))
        import_recommendations(session, CLI, CALL, without_fosen + "\n", NOW)
    app = in_process_app(engine, fake_slack.base_url, lambda: NOW)
    prompt = app.command(SECRETARIAT_USER, f"vedtak {CALL}").json()
    press(app, fake_slack, SECRETARIAT_USER, prompt)
    said = text_of(posts(fake_slack)[-1])
    assert "Vedtak kan ikke fattes ennå: disse har sendt inn, men har ingen innstilling: Fosennettverket." in said
    assert "sent in" not in said and count(engine, Decision) == 0
