"""Rendered text into Block Kit, with the controls that answer a question by a click.

Text is cut to Slack's limits (bot/slack/limits.py): a long text becomes several sections, and a
message with more blocks than Slack takes becomes several messages.
"""

from __future__ import annotations

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
from bot.slack import limits
from bot.slack.ids import Action, QuestionRef, ReviewRef
from intake.replies import Question, Review
from intake.spec import FormField

MAX_BUTTONS = 5  # more choices than this get a select menu instead of buttons


@dataclass(frozen=True)
class Message:
    """One chat.postMessage: blocks plus the plain-text fallback Slack shows in notifications."""

    text: str
    blocks: list[dict[str, Any]]


def label(lang: str, name: str, **context: Any) -> str:
    return render(lang, "label", name=name, **context)


def _pieces(text: str, limit: int = limits.SECTION_TEXT) -> Iterable[str]:
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
    block_id = QuestionRef(call_id, position).encode()
    choices = _choices(field, lang)
    if choices and len(choices) <= MAX_BUTTONS:
        elements: list[Any] = [
            ButtonElement(text=limits.clip(text, limits.BUTTON_TEXT), action_id=f"{Action.answer}:{index}", value=value)
            for index, (value, text) in enumerate(choices)
        ]
    elif choices:
        elements = [
            StaticSelectElement(
                placeholder=label(lang, "choose"),
                action_id=Action.answer,
                options=[Option(text=limits.clip(text, limits.OPTION_TEXT), value=value) for value, text in choices],
            )
        ]
    elif field.type == "multichoice":
        elements = [
            StaticMultiSelectElement(
                placeholder=label(lang, "choose_many"),
                action_id=Action.answer_many,
                options=[
                    Option(text=limits.clip(c.label(lang), limits.OPTION_TEXT), value=c.id) for c in field.choices
                ],
            )
        ]
    elif field.type == "date":
        elements = [DatePickerElement(placeholder=label(lang, "choose_date"), action_id=Action.answer_date)]
    else:
        return []
    return [ActionsBlock(block_id=block_id, elements=elements)]


def review_controls(review: Review, call_id: str, revision: int, lang: str) -> list[Block]:
    value = ReviewRef(call_id, revision).encode()
    buttons = [ButtonElement(text=label(lang, "edit"), action_id=Action.edit, value=value)]
    if review.can_submit:
        buttons.insert(
            0, ButtonElement(text=label(lang, "submit"), action_id=Action.submit, value=value, style="primary")
        )
    return [ActionsBlock(elements=buttons)]


def chunk(text: str, blocks: list[Block]) -> list[Message]:
    """Split into messages of at most 50 blocks; each gets a plain-text fallback."""
    dicts = [block.to_dict() if isinstance(block, Block) else block for block in blocks]
    messages = []
    for start in range(0, len(dicts), limits.MESSAGE_BLOCKS):
        part = dicts[start : start + limits.MESSAGE_BLOCKS]
        fallback = text if start == 0 else _section_text(part)
        messages.append(Message(fallback[: limits.FALLBACK_TEXT], part))
    return messages or [Message(text[: limits.FALLBACK_TEXT], [])]


def text_message(text: str, extra: list[Any] | None = None) -> list[Message]:
    """A rendered text as messages, with `extra` blocks (buttons) after it."""
    return chunk(text, text_blocks(text) + (extra or []))


def _section_text(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(b["text"]["text"] for b in blocks if b.get("type") == "section" and "text" in b)


def select_blocks(options: list[Option], action_id: str, placeholder: str) -> list[ActionsBlock]:
    """`options` in selects of a hundred (Slack's most per select), side by side in one actions block
    (the first select's action id is `action_id`, the next `action_id:1`, ...); no block for none."""
    size = limits.SELECT_OPTIONS
    groups = [options[start : start + size] for start in range(0, len(options), size)][: limits.ACTIONS_ELEMENTS]
    selects = [
        StaticSelectElement(action_id=f"{action_id}:{n}" if n else action_id, placeholder=placeholder, options=group)
        for n, group in enumerate(groups)
    ]
    return [ActionsBlock(elements=selects)] if selects else []
