"""The assessment modal: the call's criteria, each with a mark (ok, merknad, mangler) and a comment,
then an overall comment and a box to declare oneself disqualified (inhabil).

A call with many criteria is shown a page at a time (CRITERIA_PER_PAGE, well inside Slack's 100
blocks a view): each page is stored when it is sent, and the next is pushed (`views.push` by the
`push` response action), so nothing typed waits in Slack for a later page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ButtonElement,
    CheckboxesElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.slack import limits
from bot.slack.blocks import label
from bot.slack.ids import Action, AssessRef
from bot.slack.ids import View as ViewId
from intake.call_terms import Criterion
from models import Mark

CRITERIA_PER_PAGE = 20  # two inputs each: 40 blocks, and a few more on the last page
INPUT = "value"
DISQUALIFIED = "inhabil"
OVERALL = "overall"


def pages(criteria: Sequence[Criterion]) -> int:
    return max(1, -(-len(criteria) // CRITERIA_PER_PAGE))


def _marks(lang: str) -> list[Option]:
    return [Option(value=mark.value, text=label(lang, f"mark_{mark.value}")) for mark in Mark]


def assess_modal(
    criteria: Sequence[Criterion],
    ref: AssessRef,
    marks: dict[str, Any],
    comment: str,
    heading: str,
    lang: str,
) -> View:
    """Page `ref.page` of the modal, with what this assessor stored before filled in."""
    options = _marks(lang)
    shown = criteria[ref.page * CRITERIA_PER_PAGE : (ref.page + 1) * CRITERIA_PER_PAGE]
    last = ref.page + 1 >= pages(criteria)
    # The whole submission one click away, on every page: pushed on top of the assessment.
    show = ButtonElement(
        text=label(lang, "view_submission"), action_id=Action.view_submission, value=str(ref.submission_id)
    )
    blocks: list[Any] = [
        SectionBlock(text=MarkdownTextObject(text=limits.clip(heading, limits.SECTION_TEXT)), accessory=show)
    ]
    for criterion in shown:
        stored = marks.get(criterion.id) or {}
        initial = next((o for o in options if o.value == stored.get("mark")), None)
        title = limits.clip(f"{criterion.id}) {criterion.label(lang)}", limits.INPUT_LABEL)
        select = StaticSelectElement(
            action_id=INPUT, options=options, initial_option=initial, placeholder=label(lang, "choose")
        )
        blocks.append(InputBlock(block_id=f"mark:{criterion.id}", label=title, element=select, optional=True))
        text = PlainTextInputElement(
            action_id=INPUT, multiline=True, initial_value=stored.get("comment") or None, max_length=2000
        )
        blocks.append(
            InputBlock(block_id=f"comment:{criterion.id}", label=label(lang, "comment"), element=text, optional=True)
        )
    if last:
        overall = PlainTextInputElement(action_id=INPUT, multiline=True, initial_value=comment or None, max_length=2000)
        blocks.append(InputBlock(block_id=OVERALL, label=label(lang, "overall"), element=overall, optional=True))
        box = CheckboxesElement(action_id=INPUT, options=[Option(value="yes", text=label(lang, "disqualified"))])
        blocks.append(
            InputBlock(block_id=DISQUALIFIED, label=label(lang, "disqualified_title"), element=box, optional=True)
        )
    page_label = "" if pages(criteria) == 1 else f" {ref.page + 1}/{pages(criteria)}"
    return View(
        type="modal",
        callback_id=ViewId.assess,
        title=limits.clip(label(lang, "assess_title") + page_label, limits.VIEW_TITLE),
        submit=label(lang, "save" if last else "next"),
        close=label(lang, "cancel"),
        blocks=blocks[: limits.VIEW_BLOCKS],
        private_metadata=ref.encode(),
    )


def read_assessment(view: dict[str, Any]) -> tuple[AssessRef, dict[str, tuple[str | None, str]], str | None, bool]:
    """(which page, criterion -> (mark or None, comment), the overall comment if on this page,
    whether the box `inhabil` is ticked) from a view_submission payload."""
    values = view["state"]["values"]
    found: dict[str, tuple[str | None, str]] = {}
    for block_id, actions in values.items():
        kind, _, criterion = block_id.partition(":")
        state = actions.get(INPUT, {})
        if kind == "mark":
            chosen = (state.get("selected_option") or {}).get("value")
            found[criterion] = (chosen, found.get(criterion, (None, ""))[1])
        elif kind == "comment":
            found[criterion] = (found.get(criterion, (None, ""))[0], state.get("value") or "")
    overall = (values.get(OVERALL, {}).get(INPUT) or {}).get("value") if OVERALL in values else None
    ticked = bool((values.get(DISQUALIFIED, {}).get(INPUT) or {}).get("selected_options"))
    return AssessRef.decode(view.get("private_metadata")), found, overall, ticked
