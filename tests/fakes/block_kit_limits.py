"""Size limits Slack enforces on messages, Block Kit blocks and views.

Each check returns a list of human-readable problems (empty when fine). Limits are those documented
on docs.slack.dev (Block Kit reference, chat.postMessage, views.open); Slack rejects the call
(invalid_blocks / invalid_arguments / msg_too_long) when they are exceeded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100  # modals and App Home
MAX_MESSAGE_TEXT = 40_000
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_SECTION_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_MODAL_TITLE = 24  # also submit and close
MAX_ACTION_ID = 255
MAX_BLOCK_ID = 255
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_INPUT_LABEL = 2000
MAX_PRIVATE_METADATA = 3000
MAX_CALLBACK_ID = 255

MESSAGE_METHODS = {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"}
VIEW_METHODS = {"views.open", "views.push", "views.update", "views.publish"}


def _text(obj: Any) -> str:
    """The string inside a text object ({"type": "plain_text", "text": ...}) or a bare string."""
    if isinstance(obj, dict):
        value = obj.get("text", "")
        return value if isinstance(value, str) else ""
    return obj if isinstance(obj, str) else ""


def _too_long(where: str, what: str, value: str, limit: int) -> list[str]:
    if len(value) > limit:
        return [f"{where}: {what} is {len(value)} chars (max {limit})"]
    return []


def _walk(node: Any, path: str) -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")


def _check_element(where: str, element: dict) -> list[str]:
    problems: list[str] = []
    if isinstance(element.get("action_id"), str):
        problems += _too_long(where, "action_id", element["action_id"], MAX_ACTION_ID)
    if element.get("type") == "button":
        problems += _too_long(where, "button text", _text(element.get("text")), MAX_BUTTON_TEXT)
        if isinstance(element.get("value"), str):
            problems += _too_long(where, "button value", element["value"], MAX_BUTTON_VALUE)
    return problems


def _check_block(where: str, block: dict) -> list[str]:
    problems: list[str] = []
    kind = block.get("type")
    if isinstance(block.get("block_id"), str):
        problems += _too_long(where, "block_id", block["block_id"], MAX_BLOCK_ID)
    if kind == "section":
        problems += _too_long(where, "section text", _text(block.get("text")), MAX_SECTION_TEXT)
        fields = block.get("fields") or []
        if len(fields) > MAX_SECTION_FIELDS:
            problems.append(f"{where}: section has {len(fields)} fields (max {MAX_SECTION_FIELDS})")
        for index, field in enumerate(fields):
            problems += _too_long(f"{where}.fields[{index}]", "text", _text(field), MAX_SECTION_FIELD_TEXT)
    elif kind == "header":
        problems += _too_long(where, "header text", _text(block.get("text")), MAX_HEADER_TEXT)
    elif kind == "actions" and len(block.get("elements") or []) > MAX_ACTIONS_ELEMENTS:
        problems.append(f"{where}: actions block has more than {MAX_ACTIONS_ELEMENTS} elements")
    elif kind == "context" and len(block.get("elements") or []) > MAX_CONTEXT_ELEMENTS:
        problems.append(f"{where}: context block has more than {MAX_CONTEXT_ELEMENTS} elements")
    elif kind == "input":
        problems += _too_long(where, "input label", _text(block.get("label")), MAX_INPUT_LABEL)
    for key, value in block.items():
        for path, node in _walk(value, f"{where}.{key}"):
            if "action_id" in node or node.get("type") == "button":
                problems += _check_element(path, node)
    return problems


def check_blocks(blocks: Any, *, max_blocks: int, where: str = "blocks") -> list[str]:
    if blocks is None:
        return []
    if not isinstance(blocks, list):
        return [f"{where}: must be a JSON array, got {type(blocks).__name__}"]
    problems: list[str] = []
    if len(blocks) > max_blocks:
        problems.append(f"{where}: {len(blocks)} blocks (max {max_blocks})")
    for index, block in enumerate(blocks):
        if not isinstance(block, dict) or "type" not in block:
            problems.append(f"{where}[{index}]: not a block object with a type")
            continue
        problems += _check_block(f"{where}[{index}]", block)
    return problems


def check_message(args: dict) -> list[str]:
    """chat.postMessage / chat.update / ... arguments."""
    problems: list[str] = []
    text = args.get("text")
    if isinstance(text, str):
        problems += _too_long("message", "text", text, MAX_MESSAGE_TEXT)
    problems += check_blocks(args.get("blocks"), max_blocks=MAX_MESSAGE_BLOCKS)
    return problems


def check_view(view: Any) -> list[str]:
    """A modal or App Home view object (views.open/push/update/publish)."""
    if view is None:
        return []
    if not isinstance(view, dict):
        return [f"view: must be a JSON object, got {type(view).__name__}"]
    problems: list[str] = []
    kind = view.get("type")
    if kind not in ("modal", "home"):
        problems.append(f"view: type must be 'modal' or 'home', got {kind!r}")
    if kind == "modal":
        if "title" not in view:
            problems.append("view: modal needs a title")
        for key in ("title", "submit", "close"):
            problems += _too_long("view", f"modal {key}", _text(view.get(key)), MAX_MODAL_TITLE)
    for key, limit in (("private_metadata", MAX_PRIVATE_METADATA), ("callback_id", MAX_CALLBACK_ID)):
        if isinstance(view.get(key), str):
            problems += _too_long("view", key, view[key], limit)
    problems += check_blocks(view.get("blocks", []), max_blocks=MAX_VIEW_BLOCKS, where="view.blocks")
    return problems


def check_call(method: str, args: dict) -> list[str]:
    """Limits that apply to a Web API call's arguments (empty for methods without Block Kit)."""
    if method in MESSAGE_METHODS:
        return check_message(args)
    if method in VIEW_METHODS:
        return check_view(args.get("view"))
    return []
