"""One org's recommendation set in a modal, through the real Bolt app: opened from the submission
notice's `Innstilling` or the select under the table, the assessments side by side, the amount as
people type it, each problem under its input, the chosen comments given as reasons in the letter;
anyone but the secretariat, and everyone once the call is decided, is refused and audited."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.formatting import NBSP
from bot.letter_data import decision_letter_pdf
from bot.settings import Settings
from intake.actors import CLI, Actor
from intake.assess import Marked, assess
from intake.decide import decide
from intake.recommend import Proposal, apply_default, recommend
from models import AuditEntry, Call, Decision, Mark, Outcome, Recommendation
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import SECRETARIAT_USER
from tests.support.kompetanse import CALL, seed_kompetanse
from tests.support.pdf_checks import check_archive_pdf, one_line
from tests.support.seed import KARI, NOW
from tests.support.slack_app import InProcessApp, in_process_app
from tests.support.slack_views import block_action, modal_action, opened_by, posts, save_modal, text_of

CHANNEL = "C0SEKRETAR"
ORG = "nett-ytre-namdal"  # asked kr 349 418 of a frame of kr 449 418; the forum filled it up to the frame
GROUP_1, GROUP_2 = "U0GRP1NTNU", "U0GRP2NORD"
REASON = "Nettverket bør fylle opp rammen; tiltakene er godt forankret."


def assessed_app(engine: Engine, fake: FakeSlack) -> InProcessApp:
    with Session(engine) as session:
        seed_kompetanse(session, NOW)
        assess(
            session, Actor(GROUP_1), CALL, ORG, {"a": Marked(Mark.ok, REASON), "j": Marked(Mark.merknad, "")}, "", NOW
        )
        marks = {"a": Marked(Mark.merknad, "Hvem som prioriteres er uklart."), "j": Marked(Mark.ok, "Plan finnes.")}
        assess(session, Actor(GROUP_2), CALL, ORG, marks, "Samlet: god søknad.", NOW)
    return in_process_app(engine, fake.base_url, lambda: NOW)


def open_modal(app: InProcessApp, fake: FakeSlack, user: str, org_id: str = ORG) -> dict[str, Any] | None:
    value = json.dumps({"c": CALL, "o": org_id})
    element = {"action_id": "frist_recommend", "block_id": "notice", "type": "button", "value": value}
    return opened_by(app, fake, block_action(user, CHANNEL, fake.new_trigger_id(), element))


def recommendation(engine: Engine, org_id: str = ORG) -> Recommendation | None:
    with Session(engine) as session:
        return session.get(Recommendation, (CALL, org_id))


def refusals(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as session:
        found = select(AuditEntry).where(AuditEntry.action == "refused").order_by(col(AuditEntry.id))
        return list(session.exec(found))


def test_the_assessments_stand_side_by_side_and_the_default_is_filled_in(engine: Engine, fake_slack: FakeSlack) -> None:
    app = assessed_app(engine, fake_slack)
    view = open_modal(app, fake_slack, SECRETARIAT_USER)
    assert view is not None and len(view["blocks"]) <= 100
    heading = view["blocks"][0]["text"]["text"].replace(NBSP, " ")
    assert "Ytre Namdal" in heading and "ramme kr 449 418" in heading and "meldt kr 349 418" in heading
    criterion_a = next(b for b in view["blocks"] if b["type"] == "section" and b["text"]["text"].startswith("*a) "))
    sides = [field["text"] for field in criterion_a["fields"]]
    assert sides == [
        f"<@{GROUP_1}> (Gruppe 1): *OK*\n{REASON}",
        f"<@{GROUP_2}> (Gruppe 2): *Merknad*\nHvem som prioriteres er uklart.",
    ]
    assert any(
        "Samlet vurdering" in b["text"]["text"] and "god søknad" in b["text"]["text"]
        for b in view["blocks"]
        if b["type"] == "section"
    )
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["outcome"]["initial_option"]["value"] == "full" and inputs["amount"]["initial_value"] == "349 418"
    assert [o["text"]["text"] for o in inputs["reasons"]["options"]] == [
        f"a) Gruppe 1: {REASON}",
        "a) Gruppe 2: Hvem som prioriteres er uklart.",
        "j) Gruppe 2: Plan finnes.",
    ]
    assert recommendation(engine) is None  # opening stores nothing
    fake_slack.assert_no_violations()


def test_problems_are_said_under_their_inputs_and_nothing_is_stored(engine: Engine, fake_slack: FakeSlack) -> None:
    app = assessed_app(engine, fake_slack)
    view = open_modal(app, fake_slack, SECRETARIAT_USER)
    assert view is not None
    typo = save_modal(app, SECRETARIAT_USER, view, amount="fire hundre")
    assert typo["response_action"] == "errors"
    assert typo["errors"] == {
        "amount": "Skriv et beløp i kroner, som 449 418 eller kr 1,2 mill (du skrev «fire hundre»)."
    }
    more = save_modal(app, SECRETARIAT_USER, view, amount="kr 449 418,-")
    assert list(more["errors"]) == ["comment"]
    assert "mer enn de kr 349 418 som er meldt" in more["errors"]["comment"].replace(NBSP, " ")
    partial = save_modal(app, SECRETARIAT_USER, view, outcome="partial", amount="349418")
    assert "velg innstilt" in partial["errors"]["outcome"]
    assert recommendation(engine) is None


def test_the_recommendation_is_stored_and_its_chosen_reasons_are_in_the_letter(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app = assessed_app(engine, fake_slack)
    view = open_modal(app, fake_slack, SECRETARIAT_USER)
    assert view is not None
    reason_a = next(b for b in view["blocks"] if b.get("block_id") == "reasons")["element"]["options"][0]["value"]
    answer = save_modal(
        app,
        SECRETARIAT_USER,
        view,
        amount="kr 449 418",
        comment="Gruppa innstiller på at nettverket får fylt opp rammen.",
        reasons=[reason_a],
    )
    assert answer == {"response_action": "clear"}
    stored = recommendation(engine)
    assert (
        stored is not None
        and stored.amount == 449_418
        and stored.outcome == "full"
        and stored.set_by == SECRETARIAT_USER
    )
    assert stored.reasons == [{"criterion": "a", "text": REASON}]
    assert "Innstillingen for Nettverket Ytre Namdal er lagret" in text_of(posts(fake_slack)[-1])

    again = open_modal(app, fake_slack, SECRETARIAT_USER)  # what is stored is what the modal shows
    assert again is not None
    reasons = next(b for b in again["blocks"] if b.get("block_id") == "reasons")["element"]
    assert [o["value"] for o in reasons["initial_options"]] == [reason_a]
    assert save_modal(app, SECRETARIAT_USER, again) == {"response_action": "clear"}
    assert "var allerede slik" in text_of(posts(fake_slack)[-1])

    with Session(engine) as session:
        apply_default(session, CLI, CALL, NOW)
        decide(session, CLI, CALL, NOW)
        decision = session.exec(select(Decision).where(Decision.org_id == ORG)).one()
        assert decision.reasons == [{"criterion": "a", "text": REASON}] and decision.id is not None
        _, pdf = decision_letter_pdf(session, decision.id, Settings(_env_file=None))
    text = one_line(check_archive_pdf(pdf))
    assert "a) Hvem er prioritert" in text and REASON in text and "kr 449 418" in text
    assert "Hvem som prioriteres er uklart" not in text  # not chosen: not given


def test_everyone_but_the_secretariat_is_refused_and_so_is_everyone_once_decided(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app = assessed_app(engine, fake_slack)
    for outsider in (KARI, GROUP_1):
        assert open_modal(app, fake_slack, outsider) is None
        assert "Bare sekretariatet" in fake_slack.calls_to("chat.postEphemeral")[-1].args["text"]
    view = open_modal(app, fake_slack, SECRETARIAT_USER)
    assert view is not None
    refused = save_modal(app, GROUP_1, view, amount="1")  # the modal's payload, sent by someone else
    assert "Bare sekretariatet" in refused["errors"]["outcome"] and recommendation(engine) is None
    with Session(engine) as session:
        apply_default(session, CLI, CALL, NOW)
        decide(session, CLI, CALL, NOW)
    assert open_modal(app, fake_slack, SECRETARIAT_USER) is None
    assert "fattet vedtak" in fake_slack.calls_to("chat.postEphemeral")[-1].args["text"]
    found = [(entry.actor, entry.detail["attempted"], entry.detail["reason"]) for entry in refusals(engine)]
    assert found == [
        (KARI, "open_recommendation", "not_secretariat"),
        (GROUP_1, "open_recommendation", "not_secretariat"),
        (GROUP_1, "recommend", "not_secretariat"),
        (SECRETARIAT_USER, "open_recommendation", "already_decided"),
    ]


def test_the_table_has_a_select_of_the_orgs_that_opens_one(engine: Engine, fake_slack: FakeSlack) -> None:
    app = assessed_app(engine, fake_slack)
    assert app.command(SECRETARIAT_USER, f"innstilling {CALL}").status == 200
    app.drain()
    summary = next(call for call in posts(fake_slack) if "Innstilling:" in str(call.args.get("text")))
    blocks = json.loads(summary.args["blocks"]) if isinstance(summary.args["blocks"], str) else summary.args["blocks"]
    (select_, default) = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert select_["type"] == "static_select" and len(select_["options"]) == 11
    assert default["action_id"] == "frist_recommend_default" and default["confirm"]["confirm"]["text"] == "Ja, foreslå"
    option = next(o for o in select_["options"] if o["text"]["text"] == "Nettverket Ytre Namdal")
    element = {"action_id": select_["action_id"], "block_id": "picker", "type": "static_select"}
    body = block_action(SECRETARIAT_USER, CHANNEL, fake_slack.new_trigger_id(), element, selected_option=option)
    assert app.interaction(body).status == 200
    assert "Ytre Namdal" in fake_slack.calls_to("views.open")[-1].args["view"]["blocks"][0]["text"]["text"]


def test_a_call_with_many_criteria_and_assessors_stays_inside_slacks_limits(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app = assessed_app(engine, fake_slack)
    ids = [f"k{n}" for n in range(60)]
    criteria = [{"id": one, "label": {"nb": f"Kriterium {one}", "nn": f"Kriterium {one}"}} for one in ids]
    assessors = [f"U0MANY{n:04d}" for n in range(12)]
    with Session(engine) as session:
        call = session.get(Call, CALL)
        assert call is not None
        call.terms = {**call.terms, "criteria": criteria, "assessors": [{"group": "Alle", "members": assessors}]}
        session.add(call)
        session.commit()
        for assessor in assessors:
            marks = {one: Marked(Mark.merknad, f"Kommentar {assessor} " + "x" * 300) for one in ids}
            assess(session, Actor(assessor), CALL, ORG, marks, "Samlet " * 50, NOW)
    view = open_modal(app, fake_slack, SECRETARIAT_USER)
    assert view is not None and len(view["blocks"]) == 100
    assert "Flere vurderinger er ikke vist her" in json.dumps(view["blocks"], ensure_ascii=False)
    reasons = next(b for b in view["blocks"] if b.get("block_id") == "reasons")["element"]
    assert len(reasons["options"]) == 100
    assert all(len(o["text"]["text"]) <= 75 for o in reasons["options"])
    fake_slack.assert_no_violations()


def test_the_quick_default_under_the_table_fills_in_the_rest_for_the_secretariat_only(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app = assessed_app(engine, fake_slack)
    with Session(engine) as session:
        recommend(session, CLI, CALL, ORG, Proposal(Outcome.full, 449_418, "Fylt opp til rammen."), NOW)
    element = {"action_id": "frist_recommend_default", "block_id": "d", "type": "button", "value": CALL}
    assert app.interaction(block_action(GROUP_1, CHANNEL, fake_slack.new_trigger_id(), element)).status == 200
    app.drain()
    assert "Bare sekretariatet" in text_of(posts(fake_slack)[-1])
    assert app.interaction(block_action(SECRETARIAT_USER, CHANNEL, fake_slack.new_trigger_id(), element)).status == 200
    app.drain()
    said = text_of(posts(fake_slack)[-1])
    assert "satt for 10 organisasjoner" in said and "1 hadde allerede en innstilling" in said
    with Session(engine) as session:
        rows = session.exec(select(Recommendation)).all()
    assert len(rows) == 11 and recommendation(engine).amount == 449_418  # type: ignore[union-attr]
    assert [r.amount for r in rows if r.org_id == "nett-indre-namdal"] == [379_221]  # capped at its frame


def test_the_draft_letter_of_a_stored_recommendation_comes_to_the_askers_dm(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app = assessed_app(engine, fake_slack)
    first = open_modal(app, fake_slack, SECRETARIAT_USER)
    assert first is not None and "accessory" not in first["blocks"][0]  # nothing stored: no draft yet
    assert save_modal(app, SECRETARIAT_USER, first, comment="Fylt opp til rammen.", amount="449 418") == {
        "response_action": "clear"
    }
    view = open_modal(app, fake_slack, SECRETARIAT_USER)
    assert view is not None
    preview = {**view["blocks"][0]["accessory"], "block_id": "heading"}
    assert preview["action_id"] == "frist_preview_letter"
    body = modal_action(SECRETARIAT_USER, fake_slack.new_trigger_id(), preview, "V0RECOMMEND")
    assert app.interaction(body).status == 200
    app.drain()
    (upload,) = fake_slack.uploaded_files()
    text = one_line(check_archive_pdf(upload["data"]))
    assert "UTKAST" in text and "kr 449 418" in text and "Fylt opp til rammen." in text
    assert upload["name"] == f"utkast-{CALL}-{ORG}.pdf" and "ikke* vedtatt" in upload["initial_comment"]
    with Session(engine) as session:
        assert session.exec(select(Decision)).first() is None  # a draft decides nothing

    assert app.interaction({**body, "user": {"id": GROUP_1}, "trigger_id": fake_slack.new_trigger_id()}).status == 200
    app.drain()
    assert len(fake_slack.uploaded_files()) == 1
    assert refusals(engine)[-1].detail["attempted"] == "preview_letter"
    fake_slack.assert_no_violations()


def test_a_recommendation_sent_from_a_stale_modal_or_with_an_edited_comment_stores_nothing(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    app = assessed_app(engine, fake_slack)
    mine = open_modal(app, fake_slack, SECRETARIAT_USER)
    theirs = open_modal(app, fake_slack, SECRETARIAT_USER)
    assert mine is not None and theirs is not None
    assert save_modal(app, SECRETARIAT_USER, theirs, amount="349 418") == {"response_action": "clear"}
    stale = save_modal(app, SECRETARIAT_USER, mine, outcome="rejected", amount="")
    assert "Noen andre har endret dette" in stale["errors"]["outcome"]
    assert recommendation(engine).outcome == "full"  # type: ignore[union-attr]

    fresh = open_modal(app, fake_slack, SECRETARIAT_USER)
    assert fresh is not None
    reason_a = next(b for b in fresh["blocks"] if b.get("block_id") == "reasons")["element"]["options"][0]["value"]
    with Session(engine) as session:  # the assessor rewrites the comment while the modal is open
        assess(session, Actor(GROUP_1), CALL, ORG, {"a": Marked(Mark.ok, "Nye ord.")}, "", NOW)
    gone = save_modal(app, SECRETARIAT_USER, fresh, reasons=[reason_a])
    assert "En vurdering ble endret" in gone["errors"]["reasons"]
    assert recommendation(engine).reasons == []  # type: ignore[union-attr]
