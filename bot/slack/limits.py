"""Slack's size limits, in one table: every place that cuts text or counts blocks reads them here.

From Slack's Block Kit reference, chat.postMessage and views.open. Slack refuses a call that
exceeds one (invalid_blocks, invalid_arguments), so text is cut to fit before it is sent. The fake
Slack in tests/fakes checks the same limits on its own, from the spec, as an independent check.
"""

from __future__ import annotations

SECTION_TEXT = 3000  # a section block's mrkdwn text
SECTION_FIELD = 2000  # one of a section block's fields
SECTION_FIELDS = 10  # fields in one section block
MESSAGE_BLOCKS = 50  # blocks in one message
FALLBACK_TEXT = 3000  # the notification text we send with blocks (Slack allows 40 000; this stays readable)
VIEW_BLOCKS = 100  # blocks in a modal or App Home
VIEW_TITLE = 24  # a modal's title, submit and close labels
BUTTON_TEXT = 75  # a button's label; also a select option's text
OPTION_TEXT = 75
ACTION_ID = 255
BLOCK_ID = 255
BUTTON_VALUE = 2000
ACTIONS_ELEMENTS = 25  # elements in one actions block
CHECKBOX_OPTIONS = 10  # options in a checkboxes element
SELECT_OPTIONS = 100  # options in a static select or multi-select
INPUT_LABEL = 2000  # an input block's label and hint
INPUT_ERROR = 2000  # one message under an input (response_action "errors")
PLAIN_TEXT_INPUT = 3000  # a plain-text input's max_length
PRIVATE_METADATA = 3000


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
