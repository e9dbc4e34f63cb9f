"""App Home: a contact's open calls with a button each; the secretariat's open calls with counts."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.models.blocks import ActionsBlock, DividerBlock
from slack_sdk.models.views import View
from sqlmodel import col, select

from bot.render import render
from bot.slack.blocks import start_button, text_blocks
from bot.slack.deps import Deps
from bot.slack.identity import contact_for_user
from intake import directory
from intake.calls import is_open
from models import Call, Organisation
from reminders.digest import build_digest

HOME_BLOCK_LIMIT = 100


def home_view(client: WebClient, deps: Deps, user_id: str) -> View:
    blocks: list[Any] = []
    now = deps.now()
    with deps.session() as session:
        contact = contact_for_user(session, client, user_id)
        if contact is not None:
            org = session.get(Organisation, contact.org_id)
            assert org is not None
            calls = directory.org_calls(session, org, now)
            blocks += text_blocks(render(org.language, "home_contact", "mrkdwn", org=org, calls=calls))
            buttons = [
                start_button(c.call.id, org.language, "start" if c.status == "not_started" else "resume")
                for c in calls
                if c.status != "submitted"
            ]
            if buttons:
                blocks.append(ActionsBlock(elements=buttons[:25]))
        if deps.is_secretariat(user_id):
            open_calls = [c for c in session.exec(select(Call).order_by(col(Call.deadline))).all() if is_open(c, now)]
            digests = [d for d in (build_digest(session, c.id, now) for c in open_calls) if d is not None]
            if blocks:
                blocks.append(DividerBlock())
            blocks += text_blocks(
                render(deps.settings.secretariat_language, "home_secretariat", "mrkdwn", digests=digests, now=now)
            )
        if not blocks:
            blocks = text_blocks(render("nb", "stranger", "mrkdwn", contact_email=deps.settings.secretariat_email))
    return View(type="home", blocks=blocks[:HOME_BLOCK_LIMIT])


def on_home_opened(event: dict[str, Any], client: WebClient, deps: Deps) -> None:
    if event.get("tab", "home") != "home":
        return
    client.views_publish(user_id=event["user"], view=home_view(client, deps, event["user"]))
