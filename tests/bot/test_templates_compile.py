"""Every template compiles at start-up, in both flavours, so a broken one stops the start, not a reply."""

from __future__ import annotations

from pathlib import Path

import bot
from bot.render import compile_templates


def test_every_template_in_both_languages_compiles_in_both_flavours() -> None:
    root = Path(bot.__file__).parent / "templates"
    files = sorted(path.relative_to(root) for path in root.rglob("*.j2"))
    assert {path.parts[0] for path in files} == {"nb", "nn"}
    assert {p.relative_to("nb") for p in files if p.parts[0] == "nb"} == {
        p.relative_to("nn") for p in files if p.parts[0] == "nn"
    }
    assert compile_templates() == 2 * len(files)
