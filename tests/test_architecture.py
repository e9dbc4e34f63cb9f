"""The shape of the code, checked: which package may import which, who may talk to Slack, and how
big a module may grow."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGES = ("bot", "intake", "models", "reminders")
# What each package may import of the others (the dependency rule: bot -> intake, reminders -> models).
ALLOWED = {
    "bot": {"bot", "intake", "reminders", "models"},
    "intake": {"intake", "models"},
    "reminders": {"reminders", "intake", "models"},  # the digest still reads intake's form engine
    "models": {"models"},
}
SLACK_LIBRARIES = ("slack_sdk", "slack_bolt")


def modules() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_modules_are_found() -> None:
    found = {relative(path) for path in modules()}
    assert {"bot/slack/listeners/dm.py", "intake/engine.py", "models/outbox.py", "reminders/policy.py"} <= found


@pytest.mark.parametrize("path", modules(), ids=relative)
def test_dependencies_point_one_way(path: Path) -> None:
    package = relative(path).split("/")[0]
    used = {name.split(".")[0] for name in imports(path)} & set(PACKAGES)
    assert used <= ALLOWED[package], f"{relative(path)} imports {sorted(used - ALLOWED[package])}"


@pytest.mark.parametrize("path", modules(), ids=relative)
def test_only_the_slack_adapter_knows_slack(path: Path) -> None:
    if relative(path).startswith("bot/slack/"):
        return
    slack = sorted(name for name in imports(path) if name.split(".")[0] in SLACK_LIBRARIES)
    assert not slack, f"{relative(path)} imports {slack}"


@pytest.mark.parametrize("path", sorted((ROOT / "bot/slack/listeners").glob("*.py")), ids=relative)
def test_no_listener_leans_on_another(path: Path) -> None:
    listeners = sorted(name for name in imports(path) if name.startswith("bot.slack.listeners"))
    assert not listeners, f"{relative(path)} imports {listeners}: shared code belongs in the toolkit"


MAX_LINES = 300


@pytest.mark.parametrize("path", modules(), ids=relative)
def test_modules_stay_small(path: Path) -> None:
    """A module that grows past this holds more than one thing: split it by what it holds."""
    if "migrations" in path.parts:
        return
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{relative(path)} has {lines} lines (at most {MAX_LINES})"


def test_the_standing_words_have_one_home() -> None:
    """Where an org stands is intake/standing.py's: no other module spells its words out."""
    spelled = [relative(path) for path in modules() if '"not_started"' in path.read_text()]
    assert spelled == ["intake/standing.py"]
