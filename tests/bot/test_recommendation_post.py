"""`/frist innstilling ID` through the real Bolt app: the summary, the rows in its thread, the chart."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import Engine
from sqlmodel import Session

from bot.formatting import NBSP
from intake.actors import CLI
from intake.recommendation_import import import_recommendations
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import SECRETARIAT_CHANNEL, SECRETARIAT_USER
from tests.support.kompetanse import CALL, FORUM_TABLE, seed_kompetanse
from tests.support.seed import KARI, NOW
from tests.support.slack_app import in_process_app
from tests.support.slack_views import posts, text_of


def kr(amount: str) -> str:
    return "kr" + NBSP + amount.replace(" ", NBSP)


def test_the_forum_sees_its_table_with_the_rows_in_the_thread_and_the_chart(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    with Session(engine) as session:
        seed_kompetanse(session, NOW)
        import_recommendations(session, CLI, CALL, FORUM_TABLE, NOW)
    app = in_process_app(engine, fake_slack.base_url, lambda: NOW)

    reply = app.command(SECRETARIAT_USER, f"innstilling {CALL}")
    assert reply.status == 200 and "Lager innstillingen" in reply.json()["text"]
    app.drain()

    summary, *thread = posts(fake_slack, SECRETARIAT_CHANNEL)
    text = text_of(summary)
    assert "*Innstilling: " in text and "11 organisasjoner" in text
    assert f"innstilt {kr('11 400 000')}" in text and f"meldt {kr('11 136 898')}" in text
    assert "Utbetaling holdes tilbake for 1: " in text
    (summary_ts,) = {call.args.get("thread_ts") for call in thread}  # every row under one message: the summary
    assert (
        summary_ts and fake_slack.workspace.messages[(SECRETARIAT_CHANNEL, summary_ts)]["text"] == summary.args["text"]
    )
    rows = "\n".join(text_of(call) for call in thread)
    assert "Ytre Namdal" in rows and "Indre Namdal" in rows
    (chart,) = fake_slack.uploaded_files()
    assert chart["channel_id"] == SECRETARIAT_CHANNEL and chart["thread_ts"] == summary_ts
    assert Image.open(io.BytesIO(chart["data"])).format == "PNG"


def test_only_the_secretariat_may_ask_and_an_unknown_call_is_named(engine: Engine, fake_slack: FakeSlack) -> None:
    with Session(engine) as session:
        seed_kompetanse(session, NOW)
    app = in_process_app(engine, fake_slack.base_url, lambda: NOW)
    assert "bare sekretariatet" in app.command(KARI, f"innstilling {CALL}").json()["text"]
    app.command(SECRETARIAT_USER, "innstilling finnes-ikke")
    app.drain()
    assert "finnes-ikke" in text_of(posts(fake_slack)[-1])
    assert fake_slack.uploaded_files() == [] and not posts(fake_slack, SECRETARIAT_CHANNEL)
