"""App Home lists what someone may assess, through the real Bolt app: an assessor of the forum's
Gruppe 1 sees every network of seed 002 with its own `Vurder`, what they have assessed and where
they are disqualified; a contact sees none of it; a long list comes as selects that open the same
modal."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.slack import home_assess
from intake.actors import Actor
from intake.assess import Marked, assess, declare_disqualified
from models import Contact, Mark, Submission
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import SECRETARIAT_USER
from tests.support.kompetanse import CALL, NETWORKS, seed_kompetanse
from tests.support.seed import NOW
from tests.support.slack_app import InProcessApp, in_process_app
from tests.support.slack_views import block_action

GROUP_1, GROUP_3 = "U0GRP1NTNU", "U0GRP3NORD"


def app_for(engine: Engine, fake: FakeSlack) -> InProcessApp:
    with Session(engine) as session:
        seed_kompetanse(session, NOW)
        assess(session, Actor(GROUP_1), CALL, "nett-fosen", {"a": Marked(Mark.ok, "")}, "", NOW)
        declare_disqualified(session, Actor(GROUP_1), CALL, "nett-gauldal", "Styremedlem", NOW)
    return in_process_app(engine, fake.base_url, lambda: NOW)


def home_of(app: InProcessApp, fake: FakeSlack, user: str) -> dict[str, Any]:
    before = len(fake.calls_to("views.publish"))
    app.event({"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"})
    return fake.wait_for("views.publish", count=before + 1)[-1].args["view"]


def sections(view: dict[str, Any]) -> dict[str, dict[str, Any] | None]:
    """Each org line of the list, by its text, with its button (None: no button)."""
    return {
        block["text"]["text"]: block.get("accessory")
        for block in view["blocks"]
        if block["type"] == "section"
        and " – " in block["text"]["text"]
        and "Til vurdering" not in block["text"]["text"]
    }


def test_an_assessor_sees_each_network_with_vurder_and_what_they_did(engine: Engine, fake_slack: FakeSlack) -> None:
    app = app_for(engine, fake_slack)
    view = home_of(app, fake_slack, GROUP_1)
    text = "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")
    assert (
        "Til vurdering: Kompetanseløftet for spesialpedagogikk" in text and "du har vurdert 1 av 10" in text
    )  # not Gauldal, where they are inhabil
    lines = sections(view)
    assert len(lines) == len(NETWORKS)
    fosen = next(line for line in lines if line.startswith("Fosennettverket"))
    assert "vurdert av deg" in fosen and lines[fosen] is not None
    gauldal = next(line for line in lines if line.startswith("Gauldal"))
    assert "inhabil" in gauldal and lines[gauldal] is None  # no button for an org they may not assess
    fake_slack.assert_no_violations()

    with Session(engine) as session:
        fosen_id = session.exec(select(Submission.id).where(Submission.org_id == "nett-fosen")).one()
    (button,) = [b for b in lines.values() if b and b["value"] == str(fosen_id)]
    body = block_action(GROUP_1, "D0HOME", fake_slack.new_trigger_id(), {**button, "block_id": "home"})
    assert app.interaction(body).status == 200
    modal = fake_slack.calls_to("views.open")[-1].args["view"]
    assert modal["callback_id"] == "frist_assess_modal" and "Fosennettverket" in modal["blocks"][0]["text"]["text"]


def test_a_contact_sees_nothing_to_assess_and_the_secretariat_sees_it_all(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app = app_for(engine, fake_slack)
    with Session(engine) as session:
        contact = session.exec(select(Contact).where(Contact.org_id == "nett-fosen")).one()
        contact.slack_user_id = "U0MONA"
        session.add(contact)
        session.commit()
    contact_home = text_of_view(home_of(app, fake_slack, "U0MONA"))
    assert "Fosennettverket" in contact_home and "Til vurdering" not in contact_home
    secretariat = text_of_view(home_of(app, fake_slack, SECRETARIAT_USER))
    assert "Sekretariatet: utlysninger som pågår" in secretariat and "du har vurdert 0 av 11" in secretariat


def text_of_view(view: dict[str, Any]) -> str:
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")


def test_a_long_list_comes_as_a_select_that_opens_the_same_modal(
    engine: Engine, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(home_assess, "BUTTONS_UP_TO", 3)
    app = app_for(engine, fake_slack)
    view = home_of(app, fake_slack, GROUP_1)
    (select_,) = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert select_["type"] == "static_select" and len(select_["options"]) == 10  # not Gauldal
    assert any(option["text"]["text"] == "Fosennettverket (vurdert)" for option in select_["options"])
    option = select_["options"][0]
    element = {"action_id": select_["action_id"], "block_id": "home", "type": "static_select"}
    body = block_action(GROUP_1, "D0HOME", fake_slack.new_trigger_id(), element, selected_option=option)
    assert app.interaction(body).status == 200
    assert fake_slack.calls_to("views.open")[-1].args["view"]["callback_id"] == "frist_assess_modal"
    assert GROUP_3 not in str(view)
