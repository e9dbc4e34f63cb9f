"""The inputs of a proposal (outcome, amount, comment, conditions, the condition a payment waits for),
shared by the recommendation modal and the amendment modal: building them filled in, reading what
was typed back, and saying each problem under its input."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import InputBlock, Option, PlainTextInputElement, StaticSelectElement

from bot.formatting import NBSP
from bot.render import render
from bot.slack import limits
from bot.slack.blocks import label
from intake.recommend import TEXT_MAX, Problem, Proposal
from intake.recommend_form import TypedRecommendation
from models import Outcome

INPUT = "value"
FIELDS = ("outcome", "amount", "comment", "conditions", "withhold", "reasons", "reason")


def text_input(block_id: str, title: str, initial: str, multiline: bool, hint: str | None = None) -> InputBlock:
    element = PlainTextInputElement(
        action_id=INPUT, multiline=multiline, initial_value=initial or None, max_length=TEXT_MAX
    )
    return InputBlock(block_id=block_id, label=title, element=element, optional=True, hint=hint)


def proposal_inputs(current: Proposal | None, lang: str, amount_label: str = "recommended_amount") -> list[InputBlock]:
    options = [Option(value=o.value, text=render(lang, "export_label", name=f"outcome_{o.value}")) for o in Outcome]
    initial = next((o for o in options if current and o.value == current.outcome), None)
    outcome = StaticSelectElement(
        action_id=INPUT, options=options, initial_option=initial, placeholder=label(lang, "choose")
    )
    amount = "" if current is None else f"{current.amount:,}".replace(",", " ")
    return [
        InputBlock(block_id="outcome", label=render(lang, "export_label", name="outcome"), element=outcome),
        text_input("amount", label(lang, amount_label), amount, False),
        text_input("comment", label(lang, "comment"), current.comment if current else "", True),
        text_input("conditions", label(lang, "conditions"), current.conditions if current else "", True),
        text_input(
            "withhold",
            label(lang, "withhold"),
            (current.withhold or "") if current else "",
            False,
            label(lang, "withhold_hint"),
        ),
    ]


def typed_value(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return (view["state"]["values"].get(block_id) or {}).get(INPUT) or {}


def read_typed(view: dict[str, Any]) -> TypedRecommendation:
    def text(block_id: str) -> str:
        return typed_value(view, block_id).get("value") or ""

    return TypedRecommendation(
        outcome=(typed_value(view, "outcome").get("selected_option") or {}).get("value"),
        amount=text("amount").replace(NBSP, " "),
        comment=text("comment"),
        conditions=text("conditions"),
        withhold=text("withhold"),
        reasons=tuple(option["value"] for option in typed_value(view, "reasons").get("selected_options") or []),
    )


def problem_errors(problems: list[Problem], lang: str, view: dict[str, Any]) -> dict[str, str]:
    """Each problem under its input (one without an input of its own under the amount)."""
    present = set(view["state"]["values"]) & set(FIELDS)
    errors: dict[str, str] = {}
    for problem in problems:
        block = problem.field if problem.field in present else "amount"
        text = render(lang, "recommend_result", "mrkdwn", result="problem", problem=problem, org="").strip()
        errors[block] = limits.clip(f"{errors[block]} {text}" if block in errors else text, limits.INPUT_ERROR)
    return errors
