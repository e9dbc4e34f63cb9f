"""Extract a small method/argument table from Slack's Web API OpenAPI spec.

Reads ``slack_web_openapi_v2_without_examples.json`` (from github.com/slackapi/slack-api-specs,
MIT licensed) and writes ``tests/fakes/slack_web_api_methods.json``::

    {"chat.postMessage": {"required": ["channel", "token"], "optional": [...]}, ...}

The fake Slack server (tests/fakes/slack_api.py) checks every call against that file. The output
is committed, so tests do not need the spec itself (CI clones the project without ../shared).

``token`` is kept in the lists exactly as the spec says; the fake counts an
``Authorization: Bearer`` header as supplying it (that is how slack_sdk sends it).

The published spec (version 1.7.0) is from 2020 and has gaps. Every deviation from it is listed
below with its reason and is also written into the output as a ``note`` on that method.
Entries may carry ``one_of``: groups of arguments of which at least one must be present.

Usage: python scripts/extract_slack_spec.py [SPEC_JSON] [OUTPUT_JSON]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT.parent / "shared" / "slack-api-specs" / "slack_web_openapi_v2_without_examples.json"
DEFAULT_OUTPUT = ROOT / "tests" / "fakes" / "slack_web_api_methods.json"

ARG_LOCATIONS = {"formData", "query", "header", "body"}

# Methods slack_sdk/Bolt use that post-date the 2020 spec. Without them Socket Mode (which calls
# apps.connections.open) and files_upload_v2 would be reported as unknown methods.
# Arguments as documented on docs.slack.dev/reference/methods/<method>.
ADDED_METHODS: dict[str, dict] = {
    "apps.connections.open": {
        "required": ["token"],
        "optional": [],
        "note": "missing from the 2020 spec; token must be an app-level (xapp-) token",
    },
    "files.getUploadURLExternal": {
        "required": ["filename", "length", "token"],
        "optional": ["alt_txt", "snippet_type"],
        "note": "missing from the 2020 spec (files.upload v2 flow, step 1)",
    },
    "files.completeUploadExternal": {
        "required": ["files", "token"],
        "optional": ["blocks", "channel_id", "channels", "initial_comment", "thread_ts"],
        "note": "missing from the 2020 spec (files.upload v2 flow, step 3)",
    },
}

# Arguments the spec marks required although Slack accepts an alternative. Moved to optional and
# replaced by a one_of group, so the alternative is accepted but omitting both is still flagged.
ALTERNATIVES: dict[str, tuple[list[str], str]] = {
    "views.open": (
        ["trigger_id", "interactivity_pointer"],
        "spec requires trigger_id; Slack also accepts interactivity_pointer (views_open takes either)",
    ),
    "views.push": (
        ["trigger_id", "interactivity_pointer"],
        "spec requires trigger_id; Slack also accepts interactivity_pointer (views_push takes either)",
    ),
}

# Rules the spec cannot express (it has no "one of"), or marks optional although Slack rejects the
# call without them. These only tighten the check; each matches an error Slack actually returns.
EXTRA_ONE_OF: dict[str, tuple[list[list[str]], str]] = {
    "chat.postMessage": (
        [["text", "blocks", "attachments", "markdown_text"]],
        "Slack answers no_text unless one of text/blocks/attachments/markdown_text is given",
    ),
    "chat.postEphemeral": (
        [["text", "blocks", "attachments"]],
        "Slack answers no_text unless one of text/blocks/attachments is given",
    ),
    "conversations.open": (
        [["channel", "users"]],
        "Slack answers users_list_not_supplied unless channel or users is given",
    ),
    "views.update": (
        [["view_id", "external_id"]],
        "Slack needs view_id or external_id to find the view to update",
    ),
}
# The spec leaves token optional on ~50 methods (conversations.*, chat.delete, files.*, ...), but
# every method that takes a token at all answers not_authed without one. Methods with no token
# parameter (api.test, oauth.*) are left alone.
TOKEN_NOTE = "spec leaves token optional; Slack answers not_authed without one"
EXTRA_REQUIRED: dict[str, tuple[list[str], str]] = {
    "views.update": (["view"], "spec marks view optional; Slack (and slack_sdk views_update) require it"),
    "users.info": (["user"], "spec marks user optional; Slack requires it (user_not_found otherwise)"),
}


def method_args(operation: dict) -> tuple[set[str], set[str]]:
    required: set[str] = set()
    optional: set[str] = set()
    for param in operation.get("parameters", []):
        location = param.get("in")
        if location not in ARG_LOCATIONS:
            continue
        if location == "body":  # not used by Slack's spec today, but handle it per OpenAPI 2
            schema = param.get("schema", {})
            body_required = set(schema.get("required", []))
            for name in schema.get("properties", {}):
                (required if name in body_required else optional).add(name)
            continue
        (required if param.get("required") else optional).add(param["name"])
    return required, optional - required


def extract(spec: dict) -> dict[str, dict]:
    methods: dict[str, dict] = {}
    for path, operations in spec["paths"].items():
        name = path.lstrip("/")
        required: set[str] = set()
        optional: set[str] = set()
        for verb, operation in operations.items():
            if verb.startswith("x-") or not isinstance(operation, dict):
                continue
            req, opt = method_args(operation)
            required |= req
            optional |= opt
        methods[name] = {"required": required, "optional": optional - required}

    notes: dict[str, list[str]] = {}
    for name, added in ADDED_METHODS.items():
        if name in methods:
            raise SystemExit(f"{name} is in the spec now: drop it from ADDED_METHODS")
        methods[name] = {"required": set(added["required"]), "optional": set(added["optional"])}
        notes.setdefault(name, []).append(added["note"])
    for name, (group, reason) in ALTERNATIVES.items():
        entry = methods[name]
        if group[0] not in entry["required"]:
            raise SystemExit(f"{name}: {group[0]} is no longer required in the spec; review ALTERNATIVES")
        entry["required"].discard(group[0])
        entry["optional"] |= set(group)
        entry.setdefault("one_of", []).append(group)
        notes.setdefault(name, []).append(reason)
    for name, (groups, reason) in EXTRA_ONE_OF.items():
        entry = methods[name]
        entry.setdefault("one_of", []).extend(groups)
        entry["optional"] |= {arg for group in groups for arg in group}
        notes.setdefault(name, []).append(reason)
    for name, (args, reason) in EXTRA_REQUIRED.items():
        entry = methods[name]
        entry["required"] |= set(args)
        entry["optional"] -= set(args)
        notes.setdefault(name, []).append(reason)

    for name, entry in methods.items():
        if "token" in entry["optional"]:
            entry["optional"].discard("token")
            entry["required"].add("token")
            notes.setdefault(name, []).append(TOKEN_NOTE)

    output: dict[str, dict] = {}
    for name in sorted(methods):
        entry = methods[name]
        out: dict = {"required": sorted(entry["required"]), "optional": sorted(entry["optional"])}
        if entry.get("one_of"):
            out["one_of"] = entry["one_of"]
        if name in notes:
            out["note"] = "; ".join(notes[name])
        output[name] = out
    return output


def main(argv: list[str]) -> int:
    spec_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SPEC
    out_path = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUTPUT
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    methods = extract(spec)
    out_path.write_text(json.dumps(methods, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {len(methods)} methods to {out_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
