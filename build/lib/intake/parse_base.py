"""What every parser shares: the error it raises and how typed text is tidied before reading."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from intake.text import INVISIBLE

DIGITS = re.compile(r"[0-9]+")

_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE), None)
# Minus signs and dashes people (and their word processors) use for a hyphen.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"), ord("-"))


class ParseError(ValueError):
    """A user's input could not be read. `code` picks the message template; `params` fill it."""

    code: str
    params: dict[str, object]

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return f"{self.code} {self.params}" if self.params else self.code

    def __repr__(self) -> str:
        return f"ParseError({self.code!r}, **{self.params!r})"


def clean(text: str) -> str:
    """Invisible characters dropped, dashes made `-`, any run of whitespace (NBSP, thin space, ...) one space."""
    return " ".join(text.translate(_INVISIBLE).translate(_DASHES).split())


def trim(text: str, junk: Callable[[str], bool]) -> str:
    """`text` without the characters at either end for which `junk` is true."""
    start, end = 0, len(text)
    while start < end and junk(text[start]):
        start += 1
    while end > start and junk(text[end - 1]):
        end -= 1
    return text[start:end]


def is_blank(char: str) -> bool:
    """Whitespace of any kind, or a character that shows as nothing."""
    return char.isspace() or ord(char) in _INVISIBLE


def _is_edge_junk(char: str) -> bool:
    return is_blank(char) or unicodedata.category(char)[0] in "PS"


def strip_punctuation(text: str) -> str:
    """`text` without whitespace, punctuation and symbols at either end (`2.`, `«Ja»`, `nei!`)."""
    return trim(text, _is_edge_junk)


def key(text: str) -> str:
    """How answers and labels are compared: tidied, case-folded, punctuation trimmed at the ends."""
    return strip_punctuation(clean(text).casefold())
