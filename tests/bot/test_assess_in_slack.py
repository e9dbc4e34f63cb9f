"""`Vurder` on a submission notice, through the real Bolt app: the criteria in a modal, each page
stored when it is sent, the next one pushed; a disqualified assessor and an outsider are refused."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.slack import assess_modal
from intake.actors import Actor
from intake.assess import Marked, assess
from models import Assessment, AuditEntry, Disqualification, Mark, Submission, SubmissionStatus
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import SECRETARIAT_CHANNEL
from tests.support.kompetanse import CALL, seed_kompetanse
from tests.support.seed import KARI, NOW
from tests.support.slack_app import InProcessApp, in_process_app
from tests.support.slack_views import block_action, modal_action, posts, text_of

ASSESSOR = "U0GRP1NTNU"  # Gruppe 1 in the shipped Kompetanseløftet call: assesses every network


def app_and_submission(engine: Engine, fake: FakeSlack) -> tuple[InProcessApp, int]:
    with Session(engine) as session:
        seed_kompetanse(session, NOW)
        submission = session.exec(select(Submission).where(Submission.org_id == "nett-fosen")).one()
        assert submission.id is not None
        return in_process_app(engine, fake.base_url, lambda: NOW), submission.id


def click(app: InProcessApp, fake: FakeSlack, user: str, submission_id: int) -> None:
    element = {"action_id": "frist_assess", "block_id": "notice", "type": "button", "value": str(submission_id)}
    assert app.interaction(block_action(user, SECRETARIAT_CHANNEL, fake.new_trigger_id(), element)).status == 200


def submit(app: InProcessApp, user: str, view: dict[str, Any], marks: dict[str, tuple[str, str]], **more: Any) -> Any:
    """Send the modal with `marks` (criterion -> (mark, comment)) chosen and typed."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        kind, _, criterion = block["block_id"].partition(":")
        if kind == "mark":
            chosen = marks.get(criterion, ("", ""))[0]
            state: dict[str, Any] = {"type": "static_select", "selected_option": {"value": chosen} if chosen else None}
        elif kind == "comment":
            state = {"type": "plain_text_input", "value": marks.get(criterion, ("", ""))[1] or None}
        elif block["block_id"] == "overall":
            state = {"type": "plain_text_input", "value": more.get("overall")}
        else:
            state = {"type": "checkboxes", "selected_options": [{"value": "yes"}] if more.get("inhabil") else []}
        values[block["block_id"]] = {"value": state}
    body = {
        "type": "view_submission",
        "user": {"id": user},
        "api_app_id": "A0FAKE0001",
        "team": {"id": "T0FAKE0001"},
        "trigger_id": "1.2.3",
        "view": {**view, "id": "V0ASSESS", "state": {"values": values}},
    }
    response = app.interaction(body)
    assert response.status == 200
    app.drain()
    return response.json()


def opened_view(fake: FakeSlack) -> dict[str, Any]:
    return fake.calls_to("views.open")[-1].args["view"]


def stored(engine: Engine, assessor: str) -> Assessment:
    with Session(engine) as session:
        return session.exec(select(Assessment).where(Assessment.assessor == assessor)).one()


def test_an_assessor_marks_the_criteria_and_the_assessment_is_stored(engine: Engine, fake_slack: FakeSlack) -> None:
    app, submission_id = app_and_submission(engine, fake_slack)
    click(app, fake_slack, ASSESSOR, submission_id)
    view = opened_view(fake_slack)
    labels = [b["label"]["text"] for b in view["blocks"] if b.get("block_id", "").startswith("mark:")]
    assert len(labels) == 10 and labels[0].startswith("a) ")  # seed 002's criteria a)-j)

    answer = submit(
        app, ASSESSOR, view, {"a": ("ok", ""), "j": ("merknad", "Plan for restmidler mangler")}, overall="God"
    )
    assert answer == {"response_action": "clear"}
    saved = stored(engine, ASSESSOR)
    assert saved.marks == {
        "a": {"mark": "ok", "comment": ""},
        "j": {"mark": "merknad", "comment": "Plan for restmidler mangler"},
    }
    assert saved.comment == "God" and saved.assessor_group == "Gruppe 1"
    assert "Vurderingen din av Fosennettverket" in text_of(posts(fake_slack)[-1])

    error = submit(app, ASSESSOR, view, {"b": ("", "En kommentar uten vurdering")})
    assert error["response_action"] == "errors" and "mark:b" in error["errors"]


def test_a_long_list_of_criteria_is_paged_and_each_page_is_kept(
    engine: Engine, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assess_modal, "CRITERIA_PER_PAGE", 4)  # 10 criteria: three pages
    app, submission_id = app_and_submission(engine, fake_slack)
    click(app, fake_slack, ASSESSOR, submission_id)
    first = opened_view(fake_slack)
    assert first["title"]["text"].endswith("1/3") and first["submit"]["text"] == "Neste"

    pushed = submit(app, ASSESSOR, first, {"a": ("mangler", "Mål mangler")})
    assert pushed["response_action"] == "push" and pushed["view"]["title"]["text"].endswith("2/3")
    assert stored(engine, ASSESSOR).marks["a"] == {"mark": "mangler", "comment": "Mål mangler"}  # kept already
    last = submit(app, ASSESSOR, pushed["view"], {"e": ("ok", "")})["view"]
    assert last["submit"]["text"] == "Lagre" and any(b.get("block_id") == "overall" for b in last["blocks"])
    assert submit(app, ASSESSOR, last, {"j": ("ok", "")}, overall="Samlet: bra") == {"response_action": "clear"}
    assert set(stored(engine, ASSESSOR).marks) == {"a", "e", "j"} and stored(engine, ASSESSOR).comment == "Samlet: bra"


def test_an_outsider_is_refused_and_a_disqualified_assessor_is_refused_from_then_on(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app, submission_id = app_and_submission(engine, fake_slack)
    click(app, fake_slack, KARI, submission_id)
    assert not fake_slack.calls_to("views.open")
    (refusal,) = fake_slack.calls_to("chat.postEphemeral")
    assert "står ikke på listen" in refusal.args["text"] and "Fosennettverket" in refusal.args["text"]

    click(app, fake_slack, ASSESSOR, submission_id)
    assert submit(app, ASSESSOR, opened_view(fake_slack), {}, inhabil=True) == {"response_action": "clear"}
    assert "registrert som inhabil" in text_of(posts(fake_slack)[-1])
    click(app, fake_slack, ASSESSOR, submission_id)
    assert "meldt deg inhabil" in fake_slack.calls_to("chat.postEphemeral")[-1].args["text"]
    with Session(engine) as session:
        assert session.exec(select(Disqualification)).one().assessor == ASSESSOR
        refused = session.exec(select(AuditEntry).where(AuditEntry.action == "refused")).all()
        assert {entry.actor for entry in refused} == {KARI, ASSESSOR}
        with pytest.raises(Exception, match="refused"):
            assess(session, Actor(ASSESSOR), CALL, "nett-fosen", {"a": Marked(Mark.ok, "")}, "", NOW)


def test_a_submission_withdrawn_while_the_modal_was_open_is_said_in_norwegian(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app, submission_id = app_and_submission(engine, fake_slack)
    click(app, fake_slack, ASSESSOR, submission_id)
    view = opened_view(fake_slack)
    with Session(engine) as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        submission.status = SubmissionStatus.withdrawn
        session.add(submission)
        session.commit()
    answer = submit(app, ASSESSOR, view, {"a": ("ok", "")})
    assert answer["response_action"] == "errors"
    assert "Søknaden er ikke lenger sendt inn" in next(iter(answer["errors"].values()))
    with Session(engine) as session:
        assert session.exec(select(Assessment)).first() is None


def test_the_whole_submission_is_one_click_away_for_an_assessor_and_refused_to_others(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app, submission_id = app_and_submission(engine, fake_slack)
    click(app, fake_slack, ASSESSOR, submission_id)
    heading = opened_view(fake_slack)["blocks"][0]
    show = {**heading["accessory"], "block_id": heading.get("block_id", "h")}
    assert show["action_id"] == "frist_view_submission" and show["value"] == str(submission_id)
    body = modal_action(ASSESSOR, fake_slack.new_trigger_id(), {**show, "type": "button"}, "V0ASSESS")
    assert app.interaction(body).status == 200
    (pushed,) = fake_slack.calls_to("views.push")  # on top of the assessment, not instead of it
    assert "Fosennettverket" in text_of(pushed) and "Inkluderende praksis" in text_of(pushed)

    outsider = {**body, "user": {"id": KARI}, "trigger_id": fake_slack.new_trigger_id()}
    assert app.interaction(outsider).status == 200
    assert len(fake_slack.calls_to("views.push")) == 1
    with Session(engine) as session:
        refused = session.exec(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    assert [(entry.actor, entry.detail["attempted"]) for entry in refused] == [(KARI, "view_submission")]
