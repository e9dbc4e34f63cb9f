"""Reading what people type: amounts, whole numbers, dates, yes/no, choices and free text.

Pure functions. Each returns a value or raises ParseError, whatever string it is given.
Amounts and dates live in `intake.money` and `intake.dates`; they are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from intake.dates import parse_date
from intake.money import parse_money
from intake.parse_base import DIGITS, ParseError, clean, is_blank, key, strip_punctuation, trim

__all__ = [
    "ParseError",
    "parse_choice",
    "parse_date",
    "parse_integer",
    "parse_money",
    "parse_multichoice",
    "parse_text",
    "parse_yesno",
    "parse_yesno_start",
]

Choices = Sequence[tuple[str, Sequence[str]]]

_INTEGER = re.compile(r"(?P<sign>- ?)?(?P<digits>[0-9]{1,3}(?P<sep>[ .])[0-9]{3}(?:(?P=sep)[0-9]{3})*|[0-9]+)")
_MAX_LENGTH = 100
# Words that make a number approximate ("ca. 15"): the number is what is stored.
_ABOUT = re.compile(r"(?:ca\.?|cirka|circa|omtrent|om lag|omlag|rundt|omkring|knapt|drøyt) ?", re.IGNORECASE)

_YES = frozenset({"ja", "j", "jo", "jepp", "ja takk", "yes", "y"})
_NO = frozenset({"nei", "n", "nei takk", "no", "nope"})
_UNKNOWN = frozenset(
    {"vet ikke", "vet ikkje", "veit ikkje", "veit ikke", "usikker", "usikkert", "ikke sikker", "ikkje sikker"}
)

# What separates the parts of a multichoice answer: commas, semicolons, "&" and the word "og".
_SEPARATOR = re.compile(r"(\s*(?:[,;&]|\bog\b)\s*)", re.IGNORECASE)
_NUMBER_LIST = re.compile(r"[0-9]+(?: ?- ?[0-9]+)?(?: [0-9]+(?: ?- ?[0-9]+)?)*")
_NUMBER_ITEM = re.compile(r"[0-9]+ ?- ?[0-9]+|[0-9]+")
_NUMBER_END = re.compile(r"(?<=[0-9])[.)](?= |$)")
_SIGNED_NUMBER = re.compile(r"[-+] ?[0-9]+")
# Leading words a yes/no answer may start a longer message with ("Ja, lærerne bruker ..."). Not
# the one-letter forms, nor `no` (nynorsk for "now").
_LEADING_WORDS = frozenset({"ja", "ja takk", "jo", "jepp", "yes", "nei", "nei takk", "nope"}) | _UNKNOWN
_LEAD = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)?")


def parse_integer(text: str, *, min: int | None = None, max: int | None = None) -> int:
    """A whole number such as `25`, `1 200` or `1.200` (groups of three after a space or dot)."""
    typed = clean(text).rstrip(".").strip()
    about = _ABOUT.match(typed)
    if about and about.end() < len(typed) and typed[about.end()].isdigit():
        typed = typed[about.end() :]
    match = _INTEGER.fullmatch(typed) if len(typed) <= _MAX_LENGTH else None
    if match is None:
        raise ParseError("integer")
    value = int(re.sub(r"[ .]", "", match["digits"]))
    if match["sign"]:
        value = -value
    if (min is not None and value < min) or (max is not None and value > max):
        raise ParseError("integer_range", min=min, max=max)
    return value


def parse_yesno(text: str, *, allow_unknown: bool) -> str:
    """`ja`, `nei` or (when allowed) `vet_ikke`. `ja?` is a question, not an answer."""
    answer = clean(text).casefold().replace("_", " ")
    _refuse_question(answer, "yesno", allow_unknown=allow_unknown)
    answer = "?" if answer and set(answer) <= {"?", " "} else key(answer)
    if answer in _YES:
        return "ja"
    if answer in _NO:
        return "nei"
    if allow_unknown and (answer in _UNKNOWN or answer == "?"):
        return "vet_ikke"
    raise ParseError("yesno", allow_unknown=allow_unknown)


def parse_yesno_start(text: str, *, allow_unknown: bool) -> tuple[str, str]:
    """A yes/no answer, and the rest of a message that starts with one: `Ja, lærerne bruker ...`
    gives ("ja", "lærerne bruker ..."). The rest is for the caller to say it was not kept. A
    message that says both yes and no, or asks, is refused."""
    try:
        return parse_yesno(text, allow_unknown=allow_unknown), ""
    except ParseError as error:
        if error.code != "yesno":
            raise
        refused = error
    typed = clean(text)
    lead = _LEAD.match(typed)
    for words in _leads(lead.group() if lead else ""):
        rest = strip_punctuation(typed[len(words) :])
        if words.casefold() not in _LEADING_WORDS or not rest or typed[len(words)].isalnum():
            continue
        try:
            value = parse_yesno(words, allow_unknown=allow_unknown)
        except ParseError:
            continue
        if {"ja", "nei"} & set(key(rest).split()) or any(phrase in key(rest) for phrase in _UNKNOWN):
            raise ParseError("yesno_mixed", allow_unknown=allow_unknown)
        return value, rest
    raise refused


def _leads(lead: str) -> list[str]:
    """The first two words and the first word of `lead`, longest first."""
    first = lead.split(" ")[0]
    return [lead, first] if first != lead else [lead]


def _refuse_question(answer: str, code: str, **params: object) -> None:
    """An answer that ends in `?` (and is not just question marks) asks rather than answers."""
    answer = answer.strip()
    if answer.endswith("?") and set(answer) - {"?", " "}:
        raise ParseError("answer_is_question", kind=code, **params)


def parse_choice(text: str, choices: Choices) -> str:
    """One choice, by its number, its id, or a unique start of any of its labels; returns the id.
    `-1` and `2?` are not choices."""
    typed = clean(text)
    if _SIGNED_NUMBER.fullmatch(typed):
        raise ParseError("choice", count=len(choices))
    _refuse_question(typed, "choice", count=len(choices))
    found = _resolve(key(text), _keys(choices))
    if len(found) == 1:
        return choices[found[0]][0]
    if len(found) > 1:
        raise ParseError(
            "choice_ambiguous",
            candidates=[choices[i][0] for i in found],
            numbers=[i + 1 for i in found],
            count=len(choices),
        )
    raise ParseError("choice", count=len(choices))


def parse_multichoice(text: str, choices: Choices) -> list[str]:
    """Several choices: `1, 3`, `1 og 3`, `1 3`, `1-3`, labels or their starts; ids in choice order."""
    keys = _keys(choices)
    parts = _SEPARATOR.split(clean(text.replace("\n", ",")))
    pieces, separators = parts[0::2], parts[1::2]
    # A label may itself hold a separator ("Ledere og mellomledere"); join pieces to find it, exactly.
    longest = max((len(_SEPARATOR.findall(label)) for _, labels in choices for label in labels), default=0)
    selected: set[int] = set()
    bad: list[str] = []
    i = 0
    while i < len(pieces):
        for j in range(min(i + longest, len(pieces) - 1), i, -1):
            joined = pieces[i] + "".join(separators[k] + pieces[k + 1] for k in range(i, j))
            exact = _exact(key(joined), keys)
            if len(exact) == 1:
                selected.update(exact)
                i = j + 1
                break
        else:
            _read_piece(pieces[i], keys, selected, bad)
            i += 1
    if bad or not selected:
        raise ParseError("multichoice", bad=bad[0] if bad else "", bad_parts=bad, count=len(choices))
    return [choice_id for index, (choice_id, _) in enumerate(choices) if index in selected]


def parse_text(text: str, *, max_length: int | None = None) -> str:
    """The text without surrounding whitespace; it may not be empty or longer than `max_length`."""
    value = trim(text, is_blank)
    if not value:
        raise ParseError("empty")
    if max_length is not None and len(value) > max_length:
        raise ParseError("text_too_long", max_length=max_length, length=len(value))
    return value


_Keys = list[tuple[str, list[str]]]


def _keys(choices: Choices) -> _Keys:
    return [(key(choice_id), [key(label) for label in labels]) for choice_id, labels in choices]


def _exact(wanted: str, keys: _Keys) -> list[int]:
    if not wanted:
        return []
    return [i for i, (id_key, labels) in enumerate(keys) if wanted == id_key or wanted in labels]


def _resolve(wanted: str, keys: _Keys) -> list[int]:
    """Indexes of the choices `wanted` names: by number, then exact id or label, then label prefix."""
    if DIGITS.fullmatch(wanted) and len(wanted) <= 6 and 1 <= int(wanted) <= len(keys):
        return [int(wanted) - 1]
    exact = _exact(wanted, keys)
    if exact or not wanted or DIGITS.fullmatch(wanted):
        return exact
    return [i for i, (_, labels) in enumerate(keys) if any(label.startswith(wanted) for label in labels)]


def _read_piece(piece: str, keys: _Keys, selected: set[int], bad: list[str]) -> None:
    wanted = key(piece)
    if not wanted:
        return
    if _SIGNED_NUMBER.fullmatch(clean(piece)):  # `-1` is not choice 1
        bad.append(clean(piece))
        return
    numbers = _NUMBER_END.sub("", wanted)  # `1. 3.` and `1) 3)` as well as `1 3`
    if _NUMBER_LIST.fullmatch(numbers) and not DIGITS.fullmatch(numbers):
        for item in _NUMBER_ITEM.findall(numbers):
            first, _, last = item.partition("-")
            low, high = (int(part) if len(part) <= 9 else 0 for part in (first, last or first))
            if 1 <= low <= high <= len(keys):
                selected.update(range(low - 1, high))
            else:
                bad.append(item)
        return
    found = _resolve(wanted, keys)
    if len(found) == 1:
        selected.update(found)
    else:
        bad.append(clean(piece).strip())
