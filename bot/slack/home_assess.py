"""The App Home part that lists what someone may assess (intake.assess_queue): per call a line with how
many they have assessed, then each org with its own `Vurder` button, or, for a call with more orgs
than sit well on a page, selects of them (a hundred options each) that open the same modal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ButtonElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
)

from bot.render import render
from bot.slack import limits
from bot.slack.blocks import label, select_blocks, text_blocks
from bot.slack.ids import Action
from intake.assess_queue import CallToAssess

BUTTONS_UP_TO = 12  # orgs per call shown one by one; more go in selects


def _line(lang: str, part: str, flavour: str = "mrkdwn", **context: Any) -> str:
    return render(lang, "home_assess", flavour, part=part, **context).strip()


def assess_blocks(queue: Sequence[CallToAssess], lang: str) -> list[Any]:
    blocks: list[Any] = []
    for entry in queue:
        blocks += text_blocks(_line(lang, "call", entry=entry))
        if len(entry.items) <= BUTTONS_UP_TO:
            for item in entry.items:
                text = limits.clip(_line(lang, "org", item=item), limits.SECTION_TEXT)
                button = None
                if not item.disqualified:
                    button = ButtonElement(
                        text=label(lang, "assess"), action_id=Action.assess, value=str(item.submission_id)
                    )
                blocks.append(SectionBlock(text=MarkdownTextObject(text=text), accessory=button))
            continue
        options = [
            Option(
                value=str(item.submission_id),
                text=limits.clip(_line(lang, "option", "plain", item=item), limits.OPTION_TEXT),
            )
            for item in entry.items
            if not item.disqualified
        ]
        blocks += select_blocks(options, f"{Action.assess}:{entry.call.id}", label(lang, "assess_pick"))
    return blocks
