"""Rendered text into Block Kit, with the controls that answer a question by a click.

Slack's limits are kept here: sections of at most 3000 characters, at most 50 blocks a message
(longer replies become several messages), button values of at most 2000 characters.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DatePickerElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
)

from bot.render import render
from bot.slack.ids import Action
from intake.replies import Question, Review
from intake.spec import FormField

SECTION_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50
MAX_BUTTONS = 5
FALLBACK_TEXT_LIMIT = 3000


@dataclass(frozen=True)
class Message:
    """One chat.postMessage: blocks plus the plain-text fallback Slack shows in notifications."""

    text: str
    blocks: list[dict[str, Any]]


def label(lang: str, name: str, **context: Any) -> str:
    return render(lang, "label", name=name, **context)


def _pieces(text: str, limit: int = SECTION_LIMIT) -> Iterable[str]:
    """Split at line breaks where possible, and hard inside a line longer than `limit`.

    Whitespace-only pieces are dropped: Slack refuses a section without text.
    """
    chunk = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if chunk.strip():
                yield chunk
            chunk = ""
            if line[:limit].strip():
                yield line[:limit]
            line = line[limit:]
        candidate = f"{chunk}\n{line}" if chunk else line
        if len(candidate) > limit:
            if chunk.strip():
                yield chunk
            candidate = line
        chunk = candidate
    if chunk.strip():
        yield chunk


def text_blocks(text: str) -> list[Block]:
    return [SectionBlock(text=MarkdownTextObject(text=piece)) for piece in _pieces(text)]


def question_block_id(call_id: str, position: str | None) -> str:
    """Which question a control answers: a click on an old message must not answer a newer question."""
    return json.dumps({"c": call_id, "p": position}, ensure_ascii=False)


def read_block_id(block_id: str) -> tuple[str, str | None]:
    data = json.loads(block_id)
    return str(data["c"]), data.get("p")


def _choices(field: FormField, lang: str) -> list[tuple[str, str]]:
    if field.type == "yesno":
        names = ["ja", "nei"] + (["vet_ikke"] if field.allow_unknown else [])
        return [(name, label(lang, name)) for name in names]
    if field.type in ("choice", "matrix"):
        return [(choice.id, choice.label(lang)) for choice in field.choices]
    return []


def question_controls(reply: Question, call_id: str, position: str | None, lang: str) -> list[Block]:
    """Shortcuts for the question (buttons, selects, a date picker); every answer can also be typed."""
    field = reply.field
    block_id = question_block_id(call_id, position)
    choices = _choices(field, lang)
    if choices and len(choices) <= MAX_BUTTONS:
        elements: list[Any] = [
            ButtonElement(text=text[:75], action_id=f"{Action.answer}:{index}", value=value)
            for index, (value, text) in enumerate(choices)
        ]
    elif choices:
        elements = [
            StaticSelectElement(
                placeholder=label(lang, "choose"),
                action_id=Action.answer,
                options=[Option(text=text[:75], value=value) for value, text in choices],
            )
        ]
    elif field.type == "multichoice":
        elements = [
            StaticMultiSelectElement(
                placeholder=label(lang, "choose_many"),
                action_id=Action.answer_many,
                options=[Option(text=c.label(lang)[:75], value=c.id) for c in field.choices],
            )
        ]
    elif field.type == "date":
        elements = [DatePickerElement(placeholder=label(lang, "choose_date"), action_id=Action.answer_date)]
    else:
        return []
    return [ActionsBlock(block_id=block_id, elements=elements)]


def review_controls(review: Review, call_id: str, revision: int, lang: str) -> list[Block]:
    value = json.dumps({"c": call_id, "r": revision})
    buttons = [ButtonElement(text=label(lang, "edit"), action_id=Action.edit, value=value)]
    if review.can_submit:
        buttons.insert(
            0, ButtonElement(text=label(lang, "submit"), action_id=Action.submit, value=value, style="primary")
        )
    return [ActionsBlock(elements=buttons)]


def start_button(call_id: str, lang: str, name: str = "start") -> ButtonElement:
    return ButtonElement(
        text=label(lang, name), action_id=f"{Action.start}:{call_id}"[:255], value=call_id, style="primary"
    )


def chunk(text: str, blocks: list[Block]) -> list[Message]:
    """Split into messages of at most 50 blocks; each gets a plain-text fallback."""
    dicts = [block.to_dict() if isinstance(block, Block) else block for block in blocks]
    messages = []
    for start in range(0, len(dicts), MESSAGE_BLOCK_LIMIT):
        part = dicts[start : start + MESSAGE_BLOCK_LIMIT]
        fallback = text if start == 0 else _section_text(part)
        messages.append(Message(fallback[:FALLBACK_TEXT_LIMIT], part))
    return messages or [Message(text[:FALLBACK_TEXT_LIMIT], [])]


def text_message(text: str, extra: list[Any] | None = None) -> list[Message]:
    """A rendered text as messages, with `extra` blocks (buttons) after it."""
    return chunk(text, text_blocks(text) + (extra or []))


def _section_text(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(b["text"]["text"] for b in blocks if b.get("type") == "section" and "text" in b)
