"""A decision amended in Slack, through the real Bolt app: `Endre vedtak` opens the decision in force
(Værnes, whose payment was withheld until a dialogue), the change needs a reason, the next version is
fixed with its own letter queued and the letter's reasons kept; anyone but the secretariat, and an
org with no decision, is refused and audited."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.formatting import NBSP
from intake.actors import CLI
from intake.decide import decide
from intake.recommendation_import import import_recommendations
from models import AuditEntry, Decision, OutboxKind, OutboxMessage
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import SECRETARIAT_USER
from tests.support.kompetanse import CALL, FORUM_TABLE, seed_kompetanse
from tests.support.seed import KARI, NOW
from tests.support.slack_app import InProcessApp, in_process_app
from tests.support.slack_views import block_action, opened_by, posts, save_modal, text_of

CHANNEL = "C0SEKRETAR"
VARNES = "nett-varnes"


def app_for(engine: Engine, fake: FakeSlack, decided: bool = True) -> InProcessApp:
    with Session(engine) as session:
        seed_kompetanse(session, NOW)
        import_recommendations(session, CLI, CALL, FORUM_TABLE, NOW)
        if decided:
            decide(session, CLI, CALL, NOW)
            varnes = session.exec(select(Decision).where(Decision.org_id == VARNES)).one()
            varnes.reasons = [{"criterion": "j", "text": "Nettverket har ikke plan for restmidlene."}]
            session.add(varnes)
            session.commit()
    return in_process_app(engine, fake.base_url, lambda: NOW)


def click_amend(app: InProcessApp, fake: FakeSlack, user: str) -> dict[str, Any] | None:
    value = json.dumps({"c": CALL, "o": VARNES})
    element = {"action_id": "frist_amend", "block_id": "n", "type": "button", "value": value}
    return opened_by(app, fake, block_action(user, CHANNEL, fake.new_trigger_id(), element))


def versions(engine: Engine) -> list[Decision]:
    with Session(engine) as session:
        found = select(Decision).where(Decision.org_id == VARNES).order_by(col(Decision.version))
        return list(session.exec(found))


def test_the_withheld_payment_is_released_by_an_amendment_with_a_reason_and_its_own_letter(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app = app_for(engine, fake_slack)
    view = click_amend(app, fake_slack, SECRETARIAT_USER)
    assert view is not None and view["callback_id"] == "frist_amend_modal"
    heading = view["blocks"][0]["elements"][0]["text"].replace(NBSP, " ")
    assert (
        "vedtak versjon 1: kr 793 881" in heading and "holdes tilbake til: Værnes går i dialog med SF og UH" in heading
    )
    inputs = {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}
    assert inputs["withhold"]["element"]["initial_value"] == "Værnes går i dialog med SF og UH"
    assert inputs["amount"]["element"]["initial_value"] == "793 881" and inputs["reason"].get("optional") is False

    no_reason = save_modal(app, SECRETARIAT_USER, view, withhold="", reason="", amount="tja")
    assert set(no_reason["errors"]) == {"reason", "amount"}
    assert no_reason["errors"]["reason"] == "Skriv hvorfor vedtaket endres; det står i loggen og i brevet."
    assert len(versions(engine)) == 1

    released = save_modal(app, SECRETARIAT_USER, view, withhold="", reason="Dialogen med SF og UH er gjennomført.")
    assert released == {"response_action": "clear"}
    first, second = versions(engine)
    assert (first.withhold, second.withhold) == ("Værnes går i dialog med SF og UH", None)
    assert second.version == 2 and second.amount == 793_881 and second.reason == "Dialogen med SF og UH er gjennomført."
    assert second.reasons == first.reasons and second.decided_by == SECRETARIAT_USER
    assert "Vedtaket for Værnes-nettverket er endret (versjon 2)" in text_of(posts(fake_slack)[-1])
    with Session(engine) as session:
        keys = session.exec(select(OutboxMessage.key).where(OutboxMessage.kind == OutboxKind.letter)).all()
        amended = session.exec(select(AuditEntry).where(AuditEntry.action == "amended")).one()
    assert f"letter:{CALL}:{VARNES}:v2" in keys and amended.actor == SECRETARIAT_USER
    fake_slack.assert_no_violations()


def test_an_outsider_and_an_undecided_call_are_refused_and_audited(engine: Engine, fake_slack: FakeSlack) -> None:
    app = app_for(engine, fake_slack, decided=False)
    assert click_amend(app, fake_slack, SECRETARIAT_USER) is None
    assert "ikke fattet vedtak for Værnes-nettverket" in fake_slack.calls_to("chat.postEphemeral")[-1].args["text"]
    assert click_amend(app, fake_slack, KARI) is None
    assert "Bare sekretariatet" in fake_slack.calls_to("chat.postEphemeral")[-1].args["text"]
    with Session(engine) as session:
        refused = session.exec(select(AuditEntry).where(AuditEntry.action == "refused").order_by(col(AuditEntry.id)))
        found = [(entry.actor, entry.detail["attempted"], entry.detail["reason"]) for entry in refused]
    assert found == [
        (SECRETARIAT_USER, "open_amendment", "not_decided"),
        (KARI, "open_amendment", "not_secretariat"),
    ]


def test_an_amendment_sent_from_a_modal_opened_before_anothers_is_refused_and_stores_nothing(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app = app_for(engine, fake_slack)
    mine = click_amend(app, fake_slack, SECRETARIAT_USER)
    theirs = click_amend(app, fake_slack, SECRETARIAT_USER)
    assert mine is not None and theirs is not None
    assert save_modal(app, SECRETARIAT_USER, theirs, withhold="", reason="Dialogen er holdt.") == {
        "response_action": "clear"
    }
    stale = save_modal(app, SECRETARIAT_USER, mine, amount="700 000", reason="Redusert.")
    assert "Noen andre har endret dette for Værnes-nettverket" in stale["errors"]["outcome"]
    assert [d.version for d in versions(engine)] == [1, 2] and versions(engine)[-1].amount == 793_881
