"""The recommendation modal: one org's assessments side by side, then its recommendation.

On top, where the org stands, and per criterion one section whose fields are the assessors' marks
and comments next to each other (Slack lays out two columns); then the inputs: outcome, amount as
people type it, comment, conditions, the condition a payment waits for, and which assessment
comments the letter gives as reasons. A call with more criteria than fit shows the first and says
how many are left out, so the modal never exceeds Slack's 100 blocks.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ButtonElement,
    ContextBlock,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.render import render
from bot.slack import limits
from bot.slack.blocks import label
from bot.slack.ids import Action, RecommendRef
from bot.slack.ids import View as ViewId
from bot.slack.proposal_inputs import INPUT, proposal_inputs, read_typed
from intake.recommend_form import RecommendationForm, TypedRecommendation
from models import Mark

INPUT_BLOCKS = 8  # the inputs, the divider and the heading


def _text(lang: str, part: str, flavour: str = "mrkdwn", **context: Any) -> str:
    return render(lang, "recommend_modal", flavour, part=part, **context).strip()


def _side_by_side(form: RecommendationForm, lang: str, room: int) -> list[Any]:
    """The assessments, one section per criterion (and the overall comments), within `room` blocks."""
    if not form.assessments:
        return [ContextBlock(elements=[MarkdownTextObject(text=_text(lang, "none"))])]
    marks = {mark.value: label(lang, f"mark_{mark.value}") for mark in Mark}
    sections: list[Any] = []
    marked = [c for c in form.criteria if any(c.id in a.marks for a in form.assessments)]
    for criterion in marked:
        fields = []
        for assessment in form.assessments:
            found = assessment.marks.get(criterion.id)
            if found:
                text = _text(
                    lang,
                    "assessment",
                    assessor=assessment.assessor,
                    group=assessment.assessor_group,
                    mark=marks.get(str(found.get("mark")), str(found.get("mark"))),
                    comment=found.get("comment") or "",
                )
                fields.append(MarkdownTextObject(text=limits.clip(text, limits.SECTION_FIELD)))
        heading = _text(lang, "criterion", label=f"{criterion.id}) {criterion.label(lang)}")
        for start in range(0, len(fields), limits.SECTION_FIELDS):
            sections.append(
                SectionBlock(
                    text=MarkdownTextObject(text=limits.clip(heading, limits.SECTION_TEXT)),
                    fields=fields[start : start + limits.SECTION_FIELDS],
                )
            )
    for assessment in form.assessments:
        if assessment.comment:
            text = _text(
                lang,
                "overall",
                assessor=assessment.assessor,
                group=assessment.assessor_group,
                comment=assessment.comment,
            )
            sections.append(SectionBlock(text=MarkdownTextObject(text=limits.clip(text, limits.SECTION_TEXT))))
    if len(sections) > room:
        more = _text(lang, "more")
        sections = [*sections[: room - 1], ContextBlock(elements=[MarkdownTextObject(text=more)])]
    return sections


def recommend_modal(form: RecommendationForm, lang: str) -> View:
    current = form.current
    reasons: list[Option] = []
    chosen: list[Option] = []
    # Those chosen first, so that cutting at Slack's limit never drops a chosen reason on saving.
    for choice in sorted(form.choices, key=lambda choice: not choice.chosen)[: limits.SELECT_OPTIONS]:
        who = next((a.assessor_group or a.assessor for a in form.assessments if choice.ref.startswith(f"{a.id}:")), "")
        text = limits.clip(_text(lang, "option", "plain", choice=choice, name=who or "–"), limits.OPTION_TEXT)
        option = Option(value=choice.ref, text=text)
        reasons.append(option)
        if choice.chosen:
            chosen.append(option)
    heading_text = MarkdownTextObject(text=limits.clip(_text(lang, "heading", form=form), limits.SECTION_TEXT))
    preview = None
    if form.stored:  # the draft letter of the recommendation as stored, in the DM
        ref = RecommendRef(form.call.id, form.standing.org.id).encode()
        preview = ButtonElement(text=label(lang, "preview_letter"), action_id=Action.preview_letter, value=ref)
    heading = SectionBlock(text=heading_text, accessory=preview)
    inputs: list[Any] = proposal_inputs(current, lang)
    if reasons:
        select = StaticMultiSelectElement(
            action_id=INPUT, options=reasons, initial_options=chosen or None, placeholder=label(lang, "choose_many")
        )
        inputs.append(
            InputBlock(
                block_id="reasons",
                label=label(lang, "reasons"),
                element=select,
                optional=True,
                hint=label(lang, "reasons_hint"),
            )
        )
    room = limits.VIEW_BLOCKS - INPUT_BLOCKS
    blocks = [heading, *_side_by_side(form, lang, room), DividerBlock(), *inputs]
    return View(
        type="modal",
        callback_id=ViewId.recommend,
        title=limits.clip(label(lang, "recommend_title"), limits.VIEW_TITLE),
        submit=label(lang, "save"),
        close=label(lang, "cancel"),
        blocks=blocks,
        private_metadata=RecommendRef(form.call.id, form.standing.org.id, form.version).encode(),
    )


def read_recommendation(view: dict[str, Any]) -> tuple[RecommendRef, TypedRecommendation]:
    return RecommendRef.decode(view.get("private_metadata")), read_typed(view)
