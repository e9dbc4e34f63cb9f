"""`/frist eksport ID`: the call's XLSX export, uploaded to the secretariat channel.

Making the workbook and uploading it can take longer than the 3 s Slack gives a slash command, so
the command only queues an outbox row (claimed by this process, which sends it at once, like a
reply); the workbook is made from the answers as they are when it is sent. A failed upload (a
429, a 5xx, a lost connection) leaves the row to the outbox worker, which tries again.
"""

from __future__ import annotations

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import Session

from bot.export_recommendation import recommendation_sheet
from bot.export_xlsx import xlsx_bytes, xlsx_filename
from bot.render import render
from bot.slack.deps import Deps
from bot.slack.replies import SlackReplies
from bot.slack.respond import queue_secretariat_work
from intake import audit
from intake.export import call_export
from models import OutboxKind, OutboxMessage
from models.clock import Clock


def queue_export(deps: Deps, call_id: str, replies: SlackReplies) -> None:
    """Queue the upload of the call's export, and audit it; an unknown call is answered at once instead."""
    if queue_secretariat_work(deps, call_id, replies, OutboxKind.export):
        with deps.session() as session:
            audit.record(session, f"slack:{replies.user}", "export", deps.now(), call_id=call_id)
            session.commit()


def upload_export(
    engine: Engine, client: WebClient, clock: Clock, lang: str, message: OutboxMessage, channel: str
) -> None:
    """Make the workbook now and upload it (files.getUploadURLExternal, the bytes, then
    files.completeUploadExternal: slack_sdk's files_upload_v2)."""
    assert message.call_id is not None
    with Session(engine, expire_on_commit=False) as session:
        export = call_export(session, message.call_id)
        data = xlsx_bytes(export, lang, recommendation_sheet(session, message.call_id, lang))
        comment = render(lang, "export_upload", "mrkdwn", export=export, now=clock())
        title = export.call.title.get(lang) or next(iter(export.call.title.values()), export.call.id)
    client.files_upload_v2(
        channel=channel, file=data, filename=xlsx_filename(export), title=title, initial_comment=comment
    )
