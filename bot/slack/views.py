"""Modals and App Home built from what a use case returned (the edit modal has its own module)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import DividerBlock
from slack_sdk.models.views import View

from bot.render import render
from bot.slack import limits
from bot.slack.blocks import label, text_blocks
from bot.slack.home_assess import assess_blocks
from bot.slack.ids import View as ViewId
from bot.slack.messages import start_buttons, stranger_text
from intake.assess_queue import CallToAssess
from intake.digest import Digest
from intake.directory import OrgCall
from intake.overview import SubmissionView
from models import Organisation


def submission_modal(shown: SubmissionView, lang: str) -> View:
    """The whole submission as the secretariat reads it, in a modal."""
    text = render(lang, "submission_view", "mrkdwn", shown=shown, form=shown.review, reply=shown.review)
    return View(
        type="modal",
        callback_id=ViewId.submission,
        title=limits.clip(label(lang, "submission_title"), limits.VIEW_TITLE),
        close=label(lang, "close"),
        blocks=text_blocks(text)[: limits.VIEW_BLOCKS],
    )


def home_view(
    contact_home: tuple[Organisation, Sequence[OrgCall]] | None,
    digests: Sequence[Digest] | None,
    secretariat_lang: str,
    secretariat_email: str | None,
    now: Any,
    to_assess: Sequence[CallToAssess] = (),
) -> View:
    """App Home: a contact's open calls with a button each; for the secretariat, its open calls with
    counts; for the secretariat and the call's assessors, what they may assess; for anyone else,
    whom to ask."""
    blocks: list[Any] = []
    if contact_home is not None:
        org, calls = contact_home
        blocks += text_blocks(render(org.language, "home_contact", "mrkdwn", org=org, calls=calls))
        blocks += start_buttons(calls, org.language)
    if digests is not None:
        if blocks:
            blocks.append(DividerBlock())
        blocks += text_blocks(render(secretariat_lang, "home_secretariat", "mrkdwn", digests=digests, now=now))
    if to_assess:
        if blocks:
            blocks.append(DividerBlock())
        blocks += assess_blocks(to_assess, secretariat_lang)
    if not blocks:
        blocks = text_blocks(stranger_text(secretariat_email))
    return View(type="home", blocks=blocks[: limits.VIEW_BLOCKS])
