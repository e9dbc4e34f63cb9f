"""Block Kit messages built from what a use case returned: the toolkit every listener and the outbox
use, so each message is built in one place (the stranger's answer, the start/resume buttons, ...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ConfirmObject, Option

from bot.messages import render_turn
from bot.render import render
from bot.slack import limits
from bot.slack.blocks import (
    Message,
    chunk,
    label,
    question_controls,
    review_controls,
    select_blocks,
    text_blocks,
    text_message,
)
from bot.slack.ids import Action, RecommendRef
from intake.directory import OrgCall
from intake.overview import SubmissionView
from intake.replies import Question, Review
from intake.standing import EDITABLE, Standing
from intake.usecases import Turn
from models import Call, ContactData, Organisation, OutboxKind


def turn_messages(turn: Turn) -> list[Message]:
    """A use case's replies, with the controls that answer a question or submit the review by a click."""
    texts = render_turn(turn, "mrkdwn")
    blocks: list[Any] = []
    for reply, text in zip(turn.replies, texts, strict=True):
        blocks += text_blocks(text)
        if isinstance(reply, Question):
            blocks += question_controls(reply, turn.call.id, turn.position, turn.lang)
        elif isinstance(reply, Review) and turn.submission.status in EDITABLE:
            blocks += review_controls(reply, turn.call.id, turn.submission.revision, turn.lang)
    return chunk("\n\n".join(texts), blocks)


def stranger_messages(secretariat_email: str | None) -> list[Message]:
    """The answer to a Slack user who is no contact of any organisation."""
    return text_message(stranger_text(secretariat_email))


def stranger_text(secretariat_email: str | None) -> str:
    return render("nb", "stranger", "mrkdwn", contact_email=secretariat_email)


def start_button(call_id: str, lang: str, standing: str) -> ButtonElement:
    """`Start` for a call not started, `Fortsett`/`Hald fram` for one under way."""
    name = "start" if standing == Standing.not_started else "resume"
    action_id = limits.clip(f"{Action.start}:{call_id}", limits.ACTION_ID)
    return ButtonElement(text=label(lang, name), action_id=action_id, value=call_id, style="primary")


def start_buttons(calls: Sequence[OrgCall], lang: str) -> list[ActionsBlock]:
    """A start or resume button for each call not yet submitted; no block when there is none."""
    buttons = [start_button(item.call.id, lang, item.status) for item in calls if item.status != Standing.submitted]
    return [ActionsBlock(elements=buttons[: limits.ACTIONS_ELEMENTS])] if buttons else []


def calls_messages(org: Organisation, calls: Sequence[OrgCall]) -> list[Message]:
    """The org's open calls with a start button each: the answer when it is unclear which call is meant."""
    text = render(org.language, "org_calls", "mrkdwn", org=org, calls=calls)
    return text_message(text, list(start_buttons(calls, org.language)))


def contact_message(kind: str, call: Call, lang: str, standing: str, text: str) -> list[Message]:
    """An announcement, a reminder or a deadline notice (`text`, rendered by bot/outbox_text.py),
    with its buttons: start or resume, and on a reminder snooze and decline."""
    blocks: list[Any] = text_blocks(text)
    if kind != OutboxKind.deadline_passed:
        blocks.append(ActionsBlock(elements=_contact_buttons(call, lang, standing, kind)))
    return chunk(text, blocks)


def _contact_buttons(call: Call, lang: str, standing: str, kind: str) -> list[Any]:
    buttons: list[Any] = [start_button(call.id, lang, standing)]
    if kind == OutboxKind.reminder:
        buttons.append(ButtonElement(text=label(lang, "snooze"), action_id=Action.snooze, value=call.id))
        if standing in (Standing.not_started, Standing.draft):
            buttons.append(confirmed_button(lang, "decline", Action.decline, call.id))
    return buttons


def confirmed_button(lang: str, name: str, action: Action, value: str, style: str | None = "danger") -> ButtonElement:
    """A button for what cannot be undone: Slack asks once more, with the labels `<name>_title`,
    `<name>_question` and `<name>_confirm`."""
    confirm = ConfirmObject(
        title=label(lang, f"{name}_title"),
        text=label(lang, f"{name}_question"),
        confirm=label(lang, f"{name}_confirm"),
        deny=label(lang, "cancel"),
    )
    return ButtonElement(text=label(lang, name), action_id=action, value=value, style=style, confirm=confirm)


def notice_message(shown: SubmissionView, contact: ContactData | None, amount: int | None, lang: str) -> list[Message]:
    """A short notice for the secretariat channel, with a button that opens the whole submission."""
    text = render(
        lang,
        "secretariat_notice",
        "mrkdwn",
        org=shown.org,
        call=shown.call,
        contact=contact,
        submission=shown.submission,
        amount=amount,
        frame=shown.frame,
    )
    assert shown.submission.id is not None
    value = str(shown.submission.id)
    view = ButtonElement(text=label(lang, "view_submission"), action_id=Action.view_submission, value=value)
    assess = ButtonElement(text=label(lang, "assess"), action_id=Action.assess, value=value)
    ref = RecommendRef(shown.call.id, shown.org.id).encode()
    recommend = ButtonElement(text=label(lang, "recommend"), action_id=Action.recommend, value=ref)
    return chunk(text, [*text_blocks(text), ActionsBlock(elements=[view, assess, recommend])])


def org_pickers(rows: Sequence[tuple[str, str, str]], lang: str, action: Action) -> list[ActionsBlock]:
    """Selects of `(call id, org id, org name)` that open an org's recommendation (or, `action`
    amend, amendment) modal: one per hundred orgs (Slack's options in a select), in one actions block."""
    options = [
        Option(value=RecommendRef(call_id, org_id).encode(), text=limits.clip(name, limits.OPTION_TEXT))
        for call_id, org_id, name in rows
    ]
    return select_blocks(options, action.value, label(lang, f"{action.name}_pick"))


def amend_button(call_id: str, org_id: str, lang: str) -> ButtonElement:
    """`Endre vedtak` under a decision letter's notice."""
    return ButtonElement(
        text=label(lang, "amend"), action_id=Action.amend, value=RecommendRef(call_id, org_id).encode()
    )


def decide_prompt(text: str, call_id: str, lang: str) -> Message:
    """The totals before a decision, with `Fatt vedtak`, which Slack confirms once more."""
    button = confirmed_button(lang, "decide", Action.decide, call_id)
    return text_message(text, [ActionsBlock(elements=[button])])[0]
