"""The edit modal: every answer pre-filled, read back as the text the contact could have typed."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.formatting import group_thousands
from bot.slack import limits
from bot.slack.blocks import label
from bot.slack.ids import EditModalRef
from bot.slack.ids import View as ViewId
from intake.edits import EditForm
from intake.spec import FormField

INPUT = "value"


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=limits.clip(text, limits.OPTION_TEXT))


def _cell(column: FormField, value: Any) -> str:
    if value is None:
        return ""
    return group_thousands(value, " ") if column.type == "money" else str(value)


def _choices(field: FormField, lang: str) -> list[Option]:
    if field.type == "yesno":
        names = ["ja", "nei"] + (["vet_ikke"] if field.allow_unknown else [])
        return [_option(name, label(lang, name)) for name in names]
    return [_option(choice.id, choice.label(lang)) for choice in field.choices]


def _element(field: FormField, value: Any, lang: str) -> Any:
    kind = field.type
    if kind in ("choice", "yesno", "matrix"):
        options = _choices(field, lang)
        initial = next((o for o in options if o.value == value), None)
        return StaticSelectElement(
            action_id=INPUT, options=options, initial_option=initial, placeholder=label(lang, "choose")
        )
    if kind == "multichoice":
        options = _choices(field, lang)
        chosen = [o for o in options if o.value in (value or [])] or None
        if len(options) <= limits.CHECKBOX_OPTIONS:
            return CheckboxesElement(action_id=INPUT, options=options, initial_options=chosen)
        return StaticMultiSelectElement(
            action_id=INPUT, options=options, initial_options=chosen, placeholder=label(lang, "choose_many")
        )
    if kind == "date":
        return DatePickerElement(action_id=INPUT, initial_date=value)
    if kind == "table":
        lines = ["; ".join(_cell(c, row.get(c.id)) for c in field.columns) for row in value or []]
        return PlainTextInputElement(action_id=INPUT, multiline=True, initial_value="\n".join(lines) or None)
    if kind == "money" and isinstance(value, int):  # what the contact edits: plain spaces
        text: str | None = f"kr {group_thousands(value, ' ')}"
    else:
        text = None if value is None else str(value)
    return PlainTextInputElement(
        action_id=INPUT,
        multiline=kind == "longtext",
        initial_value=text,
        max_length=min(field.max_length or limits.PLAIN_TEXT_INPUT, limits.PLAIN_TEXT_INPUT),
    )


def _inputs(field: FormField, answers: dict[str, Any], lang: str) -> list[InputBlock]:
    value = answers.get(field.id)
    hint = limits.clip(field.help(lang), limits.INPUT_LABEL) if field.help else None
    if field.type == "matrix":
        return [
            InputBlock(
                block_id=f"{field.id}#{row.id}",
                label=limits.clip(f"{field.label(lang)}: {row.label(lang)}", limits.INPUT_LABEL),
                element=_element(field, (value or {}).get(row.id), lang),
                optional=not field.required,
            )
            for row in field.rows
        ]
    return [
        InputBlock(
            block_id=field.id,
            label=limits.clip(field.label(lang), limits.INPUT_LABEL),
            hint=hint,
            element=_element(field, value, lang),
            optional=not field.required,
        )
    ]


def edit_modal(form: EditForm, call_id: str, channel: str | None) -> View:
    blocks: list[Any] = []
    for field in form.fields:
        blocks += _inputs(field, form.answers, form.lang)
    if len(blocks) > limits.VIEW_BLOCKS:
        note = ContextBlock(elements=[MarkdownTextObject(text=label(form.lang, "more_in_chat"))])
        blocks = [*blocks[: limits.VIEW_BLOCKS - 1], note]
    return View(
        type="modal",
        callback_id=ViewId.edit,
        title=limits.clip(label(form.lang, "edit_title"), limits.VIEW_TITLE),
        submit=label(form.lang, "save"),
        close=label(form.lang, "cancel"),
        blocks=blocks,
        private_metadata=EditModalRef(call_id, form.version, channel).encode(),
    )


def read_modal(view: dict[str, Any]) -> tuple[EditModalRef, dict[str, str | None]]:
    """(private metadata, the text per block id) from a view_submission payload."""
    texts: dict[str, str | None] = {}
    for block_id, actions in view["state"]["values"].items():
        state = actions.get(INPUT, {})
        if "selected_options" in state:
            texts[block_id] = ", ".join(o["value"] for o in state["selected_options"] or [])
        elif "selected_option" in state:
            texts[block_id] = (state["selected_option"] or {}).get("value")
        elif "selected_date" in state:
            texts[block_id] = state["selected_date"]
        else:
            texts[block_id] = state.get("value")
    return EditModalRef.decode(view.get("private_metadata")), texts
