"""Jinja2 rendering of everything the bot says, in bokmål or nynorsk.

Templates live in bot/templates/<lang>/. Two flavours share them: `plain` for the console and
`mrkdwn` for Slack. In `mrkdwn` every value put into a template is escaped (Jinja's autoescape,
narrowed afterwards to the three characters Slack reserves), so user text cannot ping `<!channel>`
or fake a link, while macro output is never escaped twice.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from bot.formatting import format_date, format_datetime, format_money
from bot.pdf.blocks import pdf_answer, pdf_literal


def _html_to_mrkdwn(text: str) -> str:
    """Autoescape also encodes quotes, which Slack would show literally: put them back."""
    return text.replace("&#34;", '"').replace("&#39;", "'")


def _percent(value: float) -> str:
    return f"{value:g} %".replace(".", ",")


@cache
def environment(flavour: str = "plain") -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("bot", "templates"),
        autoescape=flavour == "mrkdwn",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates ship with the code: no stat() of the file on every message
    )
    env.filters["money"] = format_money
    env.filters["date"] = format_date
    env.filters["datetime"] = format_datetime
    env.filters["percent"] = _percent
    env.filters["pdf_literal"] = pdf_literal  # the PDF templates' markup (bot/pdf/blocks.py)
    env.filters["pdf_answer"] = pdf_answer
    return env


def compile_templates() -> int:
    """Compile every template in both flavours now, so the first messages after a start are not slow."""
    count = 0
    for flavour in ("plain", "mrkdwn"):
        env = environment(flavour)
        for name in env.list_templates(extensions=["j2"]):
            env.get_template(name)
            count += 1
    return count


def render(lang: str, template: str, flavour: str = "plain", **context: Any) -> str:
    """Render `<lang>/<name>.j2`; surplus blank lines are squeezed so templates can stay readable."""
    if lang not in ("nb", "nn"):
        raise ValueError(f"unknown language form {lang!r}")
    text = environment(flavour).get_template(f"{lang}/{template}.j2").render(lang=lang, **context)
    if flavour == "mrkdwn":
        text = _html_to_mrkdwn(text)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    squeezed: list[str] = []
    for line in lines:
        if line or (squeezed and squeezed[-1]):
            squeezed.append(line)
    return "\n".join(squeezed)
