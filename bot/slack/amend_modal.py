"""The amendment modal: one org's decision in force, and what changes in the next version and why.
The reasons the letter gives stay those of the decision amended."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject
from slack_sdk.models.views import View

from bot.render import render
from bot.slack import limits
from bot.slack.blocks import label
from bot.slack.ids import RecommendRef
from bot.slack.ids import View as ViewId
from bot.slack.proposal_inputs import proposal_inputs, read_typed, text_input, typed_value
from intake.amend_form import AmendmentForm
from intake.recommend_form import TypedRecommendation

REASON = "reason"


def amend_modal(form: AmendmentForm, lang: str) -> View:
    heading = render(lang, "recommend_modal", "mrkdwn", part="amend_heading", form=form).strip()
    reason = text_input(REASON, label(lang, "amend_reason"), "", True, label(lang, "amend_reason_hint"))
    reason.optional = False
    return View(
        type="modal",
        callback_id=ViewId.amend,
        title=limits.clip(label(lang, "amend_title"), limits.VIEW_TITLE),
        submit=label(lang, "amend_submit"),
        close=label(lang, "cancel"),
        blocks=[
            ContextBlock(elements=[MarkdownTextObject(text=limits.clip(heading, limits.SECTION_TEXT))]),
            *proposal_inputs(form.current, lang, "decided_amount"),
            reason,
        ],
        private_metadata=RecommendRef(form.call.id, form.standing.org.id, form.decision.version).encode(),
    )


def read_amendment(view: dict[str, Any]) -> tuple[RecommendRef, TypedRecommendation, str]:
    reason = typed_value(view, REASON).get("value") or ""
    return RecommendRef.decode(view.get("private_metadata")), read_typed(view), reason
