"""The words a contact can type at any question, in bokmål and nynorsk."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Every spelling a contact may use, mapped to one command name.
WORDS: dict[str, str] = {
    "tilbake": "back",
    "attende": "back",
    "forrige": "back",
    "hopp over": "skip",
    "hopp": "skip",
    "neste": "keep",
    "behold": "keep",
    "status": "status",
    "hjelp": "help",
    "avbryt": "pause",
    "pause": "pause",
    "stopp": "pause",
    "send inn": "submit",
    "se over": "review",
    "sjå over": "review",
    "oppsummering": "review",
    "samandrag": "review",
    "ferdig": "done",
}
WITH_ARGUMENT: dict[str, str] = {"endre": "edit", "fjern": "remove", "slett": "remove"}
# `endre ...` longer than this is an answer that happens to start with the word, not a command.
MAX_ARGUMENT = 40


@dataclass(frozen=True)
class Command:
    name: str
    argument: str = ""
    text: str = ""


def read_command(text: str) -> Command | None:
    """The command in `text`, or None when it is an answer."""
    words = re.sub(r"\s+", " ", text.strip().casefold()).rstrip(".!")
    if words in WORDS:
        return Command(WORDS[words], text=text)
    first, _, rest = words.partition(" ")
    if first not in WITH_ARGUMENT or len(rest) > MAX_ARGUMENT:
        return None
    name = WITH_ARGUMENT[first]
    if name == "remove" and not rest.isdigit():
        return None
    return Command(name, text.strip().split(None, 1)[1] if rest else "", text)
