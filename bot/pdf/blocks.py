"""The blocks a PDF is laid out from, and the small line markup templates write them in.

A document's text comes from a Jinja2 template (bot/templates/<lang>/*.j2) that writes one block per
group of lines, blocks separated by a blank line:

    # Title                      a heading (## and ### for smaller ones)
    : Label | value              a field row; consecutive rows make one two-column list
    | Label | kr 1 200 000       an amount row; `|= Label | amount` is a total (bold); rows make one table
    - text                       a bullet; consecutive bullets make one list
    \\any text                   a literal line: the backslash is dropped, the rest is never markup
    anything else                a paragraph line; consecutive lines make one paragraph, breaks kept

Text that people typed (answers, comments, names) goes through the `pdf_literal` filter, which marks
every line of it literal, so an answer that starts with `#` or `- ` stays an answer (`pdf_answer` for
an answer rendered by the review's macros). Slack's mrkdwn marks in template text are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LITERAL = "\\"
# The review's macros write Slack mrkdwn (`_ikke besvart_`, `*Beløp …*`, `endre 3` in backticks); a
# PDF shows the words without the marks, as the contact saw them in Slack.
_SLACK_MARKS = re.compile(r"(?<![\w_*`])([_*`])([^_*`\n]+)\1(?![\w_*`])")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Fields:
    """Label/value rows, e.g. the letter's reference and date."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AmountRow:
    label: str
    amount: str
    total: bool = False


@dataclass(frozen=True)
class AmountTable:
    rows: tuple[AmountRow, ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


Block = Heading | Paragraph | Fields | AmountTable | Bullets


def unmark(text: str) -> str:
    """`_ikke besvart_` -> `ikke besvart`: Slack's emphasis and code marks dropped."""
    return _SLACK_MARKS.sub(r"\2", text)


def pdf_literal(value: object) -> str:
    """Mark every line of `value` literal (the template filter for text people typed)."""
    return "\n".join(LITERAL + line for line in str(value).split("\n"))


def pdf_answer(value: object) -> str:
    """An answer as the review shows it in Slack: its marks dropped, every line literal."""
    return pdf_literal(unmark(str(value)))


def _kind(line: str) -> str:
    if line.startswith(LITERAL):
        return "paragraph"
    if re.match(r"#{1,3} ", line):
        return "heading"
    if line.startswith(": "):
        return "field"
    if line.startswith("| ") or line.startswith("|= "):
        return "amount"
    if line.startswith("- "):
        return "bullet"
    return "paragraph"


def _text(line: str) -> str:
    return line[len(LITERAL) :] if line.startswith(LITERAL) else unmark(line)


def _cells(line: str, prefix: str) -> tuple[str, str]:
    label, separator, value = line[len(prefix) :].rstrip(" |").partition(" | ")
    if not separator:
        raise ValueError(f"a `{prefix.strip()}` row needs `label | value`, got {line!r}")
    return label.strip(), value.strip()


def _block(kind: str, lines: list[str]) -> Block:
    if kind == "field":
        return Fields(tuple(_cells(line, ": ") for line in lines))
    if kind == "amount":
        rows = []
        for line in lines:
            total = line.startswith("|= ")
            label, amount = _cells(line, "|= " if total else "| ")
            rows.append(AmountRow(label, amount, total))
        return AmountTable(tuple(rows))
    if kind == "bullet":
        return Bullets(tuple(line[2:] for line in lines))
    return Paragraph(tuple(_text(line) for line in lines))


def parse_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of a rendered template, in order."""
    blocks: list[Block] = []
    group: list[str] = []
    group_kind = ""

    def flush() -> None:
        if group:
            blocks.append(_block(group_kind, group))
            group.clear()

    for raw in text.split("\n"):
        line = raw.rstrip()
        if not line:
            flush()
            continue
        kind = _kind(line)
        if kind == "heading":
            flush()
            marks, _, heading = line.partition(" ")
            blocks.append(Heading(heading.strip(), len(marks)))
            continue
        if kind != group_kind:
            flush()
            group_kind = kind
        group.append(line)
    flush()
    return tuple(blocks)
