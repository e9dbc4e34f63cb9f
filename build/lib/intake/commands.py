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
# Reserved first words: a line that starts with one is always that command, never an answer. If
# the command fails (`endre xyz`, `fjern 9`), the contact gets its error and the same question.
WITH_ARGUMENT: dict[str, str] = {"endre": "edit", "fjern": "remove", "slett": "remove"}


@dataclass(frozen=True)
class Command:
    name: str
    argument: str = ""
    text: str = ""
    word: str = ""  # the reserved first word as typed, for commands that take an argument


def read_command(text: str) -> Command | None:
    """The command in `text`, or None when it is an answer."""
    words = re.sub(r"\s+", " ", text.strip().casefold()).rstrip(".!")
    if words in WORDS:
        return Command(WORDS[words], text=text)
    first, _, rest = words.partition(" ")
    if first not in WITH_ARGUMENT:
        return None
    argument = text.strip().split(None, 1)[1].strip().rstrip(".!").strip() if rest else ""
    return Command(WITH_ARGUMENT[first], argument, text, first)
