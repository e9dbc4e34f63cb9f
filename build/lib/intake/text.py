"""Text from people, made safe once where it enters: the same for Slack messages, buttons, the edit
modal, slash commands and the console, before any parser or the engine sees it."""

from __future__ import annotations

import unicodedata

from models.types import storable_text

# Slack and phones insert these; they are not whitespace to str.split(). Parsers drop them.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Letters and marks that show as nothing, beyond whitespace and format characters (category Cf).
_BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u3164\uffa0\u2800" + "".join(map(chr, range(0xFE00, 0xFE10))))
_INVISIBLE_CATEGORIES = ("Cc", "Cf", "Cs")  # controls, format characters (zero-width ...), surrogates
_KEPT_CONTROLS = "\n\t"


def shows_nothing(text: str) -> bool:
    """True when `text` would look empty: only whitespace, zero-width, control and other invisible characters."""
    return all(
        char.isspace()
        or char in _BLANK_LOOKING
        or unicodedata.category(char) in _INVISIBLE_CATEGORIES
        or 0xE0100 <= ord(char) <= 0xE01EF
        for char in text
    )


def _is_dropped_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in _KEPT_CONTROLS


def normalise(text: str) -> str:
    """`text` as Frist reads and stores it.

    Unpaired surrogates (half an emoji, cut off by some client) and control characters other than
    newline and tab are removed rather than refused: nobody typed them, and nothing visible is
    lost. Line endings become `\\n`. The rest is Unicode NFC, so `å` typed as `a` + ring is the `å`
    of the form's labels. A value, or a line, that shows nothing counts as empty.
    """
    text = storable_text(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isprintable():
        text = "".join(char for char in text if not _is_dropped_control(char))
    text = unicodedata.normalize("NFC", text)
    if shows_nothing(text):
        return ""
    if "\n" in text:
        text = "\n".join("" if shows_nothing(line) else line for line in text.split("\n"))
    return text
