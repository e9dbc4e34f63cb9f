"""The Web API method table extracted from Slack's OpenAPI spec, and the argument checks on it.

The table is tests/fakes/slack_web_api_methods.json, written by scripts/extract_slack_spec.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SPEC_FILE = Path(__file__).with_name("slack_web_api_methods.json")


@dataclass(frozen=True)
class MethodSpec:
    name: str
    required: frozenset[str]
    optional: frozenset[str]
    one_of: tuple[tuple[str, ...], ...] = ()

    @property
    def needs_token(self) -> bool:
        return "token" in self.required


@cache
def load_methods(path: Path = SPEC_FILE) -> dict[str, MethodSpec]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: MethodSpec(
            name=name,
            required=frozenset(entry["required"]),
            optional=frozenset(entry["optional"]),
            one_of=tuple(tuple(group) for group in entry.get("one_of", [])),
        )
        for name, entry in raw.items()
    }


def _present(args: dict, name: str) -> bool:
    """Slack treats an empty string like a missing argument."""
    value = args.get(name)
    return value is not None and value != ""


def missing_args(spec: MethodSpec, args: dict, token: str | None) -> list[str]:
    """Problems with a call's arguments: required ones missing, or no member of a one_of group.

    ``token`` is the token from the Authorization header or the ``token`` argument.
    """
    problems: list[str] = []
    for name in sorted(spec.required):
        if name == "token":
            if not token:
                problems.append(f"{spec.name}: no token (neither Authorization header nor token arg)")
        elif not _present(args, name):
            problems.append(f"{spec.name}: missing required argument {name!r}")
    for group in spec.one_of:
        if not any(_present(args, name) for name in group):
            problems.append(f"{spec.name}: needs one of {', '.join(group)}")
    return problems
