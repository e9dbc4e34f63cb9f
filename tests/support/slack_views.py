"""Reading what the bot posted, and answering a modal the way Slack's client would."""

from __future__ import annotations

import itertools
import json
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, or_
from sqlmodel import Session, col, func, select

from models import OutboxMessage, OutboxStatus
from tests.fakes.slack_api import Call, FakeSlack
from tests.support.bot_process import BotServer
from tests.support.seed import KARI
from tests.support.slack_app import InProcessApp
from tests.support.waiting import wait_until


def _blocks(call: Call) -> list[dict[str, Any]]:
    blocks = call.args.get("blocks") or (call.args.get("view") or {}).get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def text_of(call: Call) -> str:
    """Every section text of a message or view, joined."""
    texts = [b["text"]["text"] for b in _blocks(call) if b.get("type") == "section" and "text" in b]
    return "\n".join(texts) or str(call.args.get("text", ""))


def posts(fake: FakeSlack, channel: str | None = None) -> list[Call]:
    return [c for c in fake.calls_to("chat.postMessage") if channel is None or c.args.get("channel") == channel]


def wait_posts(fake: FakeSlack, count: int, timeout: float = 15) -> list[Call]:
    return fake.wait_for("chat.postMessage", count=count, timeout=timeout)


def answer_all(bot: BotServer, fake: FakeSlack, lines: list[str], user: str = KARI) -> int:
    """Type each line in the DM, waiting for the bot's reply before the next one; returns the posts so far."""
    count = len(fake.calls_to("chat.postMessage"))
    for line in lines:
        assert bot.dm(user, line).status == 200
        count += 1
        wait_posts(fake, count)
    return count


def wait_settled(engine: Engine, timeout: float = 15) -> None:
    """Until nothing in the outbox is due and unsent: every reply Frist acknowledged has been posted.

    The positive signal a check for "no further message" waits on: once it holds, no post is on its way.
    """
    wait_until(lambda: due_and_unsent(engine) == 0, timeout, lambda: f"{due_and_unsent(engine)} message(s) still due")


def due_and_unsent(engine: Engine) -> int:
    """Outbox rows being sent, or pending and due now."""
    with Session(engine) as session:
        return session.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                or_(
                    col(OutboxMessage.status) == OutboxStatus.sending,
                    (col(OutboxMessage.status) == OutboxStatus.pending)
                    & (col(OutboxMessage.due_at) <= datetime.now(UTC)),
                )
            )
        ).one()


def button(call: Call, action_id: str) -> dict[str, Any]:
    for block in _blocks(call):
        for element in block.get("elements", []):
            if str(element.get("action_id", "")).startswith(action_id):
                return {**element, "block_id": block.get("block_id", "")}
    raise AssertionError(f"no {action_id} in {json.dumps(_blocks(call))[:500]}")


def block_action(
    user: str, channel: str, trigger_id: str, element: dict[str, Any], acted: float | None = None, **chosen: Any
) -> dict[str, Any]:
    """A click, at `acted` (Unix seconds; now by default) as Slack's `action_ts` says."""
    action = {
        "action_id": element["action_id"],
        "block_id": element["block_id"],
        "type": element["type"],
        "action_ts": f"{time.time() if acted is None else acted:.6f}",
        **({"value": element["value"]} if "value" in element else {}),
        **chosen,
    }
    return {
        "type": "block_actions",
        "user": {"id": user},
        "trigger_id": trigger_id,
        "api_app_id": "A0FAKE0001",
        "team": {"id": "T0FAKE0001"},
        "channel": {"id": channel},
        "container": {"type": "message", "channel_id": channel, "message_ts": "1700000000.000001"},
        "actions": [action],
    }


def modal_action(user: str, trigger_id: str, element: dict[str, Any], view_id: str) -> dict[str, Any]:
    """A click on `element` inside an open modal: no channel, the view as the container."""
    body = block_action(user, "", trigger_id, element)
    del body["channel"]
    return {**body, "container": {"type": "view", "view_id": view_id}, "view": {"id": view_id, "type": "modal"}}


def opened_by(app: InProcessApp, fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any] | None:
    """Send the interaction `body`; the modal it opened (views.open), or None when it opened none."""
    before = len(fake.calls_to("views.open"))
    assert app.interaction(body).status == 200
    opened = fake.calls_to("views.open")
    return opened[-1].args["view"] if len(opened) > before else None


_TRIGGERS = itertools.count()


def save_modal(app: InProcessApp, user: str, view: dict[str, Any], **typed: Any) -> dict[str, Any]:
    """Send the modal as it opened, with what is `typed` per block id (view_submission), each time
    as a new submission; Slack's answer once what it caused is posted."""
    response = app.interaction(view_submission(user, view, typed, f"1.2.{next(_TRIGGERS)}"))
    assert response.status == 200
    app.drain()
    return response.json()


def _state(element: dict[str, Any]) -> dict[str, Any]:
    kind = element["type"]
    if kind == "plain_text_input":
        return {"type": kind, "value": element.get("initial_value")}
    if kind == "datepicker":
        return {"type": kind, "selected_date": element.get("initial_date")}
    if kind == "static_select":
        return {"type": kind, "selected_option": element.get("initial_option")}
    return {"type": kind, "selected_options": element.get("initial_options") or []}


def view_submission(
    user: str, view: dict[str, Any], changes: dict[str, Any], trigger_id: str = "1.2.3"
) -> dict[str, Any]:
    """Submit a modal with its pre-filled values and `changes` (block id -> what is typed: text for a
    text input, an option value (or None) for a select, a list of values for a multi-select)."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        state = _state(block["element"])
        if block["block_id"] in changes:
            typed = changes[block["block_id"]]
            if state["type"] == "static_select":
                state["selected_option"] = {"value": typed} if typed else None
            elif "selected_options" in state:
                state["selected_options"] = [{"value": value} for value in typed]
            else:
                state["value"] = typed or None
        values[block["block_id"]] = {block["element"]["action_id"]: state}
    submitted = {**view, "id": "V0EDIT", "state": {"values": values}}
    return {
        "type": "view_submission",
        "user": {"id": user},
        "api_app_id": "A0FAKE0001",
        "team": {"id": "T0FAKE0001"},
        "trigger_id": trigger_id,
        "view": submitted,
    }
