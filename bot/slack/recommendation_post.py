"""`/frist innstilling ID`: the recommendation table in the secretariat channel, as the forum knows it.

A summary message (totals, budget and what is left, who is withheld, what is not assessed yet, and
a select of the orgs that opens one org's recommendation in a modal, or once decided its
amendment; and while some org that sent in has none, a button for the quick default), the
rows in its thread (split to stay inside Slack's limits), and the chart (frame / asked /
recommended per organisation, bot/charts.py) uploaded in the thread with an alt text that states the
same numbers. The command only queues an outbox row, claimed by this process and sent at once; the
table is read when it is sent. Each part is recorded in the row's progress as it goes out, so a
retry after a 429 or a crash goes on from there instead of posting the summary twice.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.models.blocks import ActionsBlock
from sqlalchemy import Engine
from sqlmodel import Session

from bot.charts import ChartRow, recommendation_chart
from bot.render import render
from bot.slack import limits
from bot.slack.blocks import chunk, text_blocks
from bot.slack.client import post_in_order
from bot.slack.deps import Deps
from bot.slack.ids import Action
from bot.slack.messages import confirmed_button, org_pickers
from bot.slack.replies import SlackReplies
from bot.slack.respond import queue_secretariat_work
from intake.recommendation_table import RecommendationTable, recommendation_table
from models import OutboxKind, OutboxMessage


def queue_recommendation(deps: Deps, call_id: str, replies: SlackReplies) -> None:
    """Queue the table for the secretariat channel (without one: the asker's DM); an unknown call is
    answered at once instead."""
    queue_secretariat_work(deps, call_id, replies, OutboxKind.recommendation)


def chart_rows(table: RecommendationTable) -> list[ChartRow]:
    return [ChartRow(row.standing.org.name, row.standing.frame, row.asked, row.recommended) for row in table.rows]


def _pickers(table: RecommendationTable, lang: str) -> list[Any]:
    """The selects that open one org's recommendation, or once decided its amendment."""
    if table.decided:
        rows = [(table.call.id, row.standing.org.id, row.standing.org.name) for row in table.rows if row.decision]
        return org_pickers(rows, lang, Action.amend)
    rows = [(table.call.id, row.standing.org.id, row.standing.org.name) for row in table.rows]
    blocks: list[Any] = org_pickers(rows, lang, Action.recommend)
    if table.without_recommendation:
        default = confirmed_button(lang, "recommend_default", Action.recommend_default, table.call.id, None)
        blocks.append(ActionsBlock(elements=[default]))
    return blocks


def post_recommendation(
    engine: Engine, client: WebClient, lang: str, message: OutboxMessage, channel: str, sent: dict[str, Any]
) -> None:
    """Post the summary, then the rows in its thread, then the chart there."""
    assert message.call_id is not None
    with Session(engine, expire_on_commit=False) as session:
        table = recommendation_table(session, message.call_id)
    title = table.call.title.get(lang) or next(iter(table.call.title.values()), table.call.id)
    if "ts" not in sent:
        summary = render(lang, "recommendation_summary", "mrkdwn", table=table, title=title)
        first = chunk(summary, text_blocks(summary))[0]
        blocks = [*first.blocks, *_pickers(table, lang)][: limits.MESSAGE_BLOCKS]
        sent["ts"] = str(client.chat_postMessage(channel=channel, text=first.text, blocks=blocks)["ts"])
    rows = sent.setdefault("rows", {})
    text = render(lang, "recommendation_table", "mrkdwn", table=table)
    post_in_order(client, channel, chunk(text, text_blocks(text)), rows, thread_ts=sent["ts"])
    if not sent.get("chart") and table.rows:
        chart = recommendation_chart(chart_rows(table), title, lang)
        client.files_upload_v2(
            channel=channel,
            thread_ts=sent["ts"],
            file=chart.png,
            filename=f"innstilling-{table.call.id}.png",
            title=title,
            alt_txt=chart.alt_text[:1000],
        )
        sent["chart"] = True
