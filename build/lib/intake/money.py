"""Reading an amount of money in whole kroner, the way Norwegians write it."""

from __future__ import annotations

import re

from intake.parse_base import ParseError, clean

# One run of digits with the dots, commas and single spaces between them.
_SPAN = re.compile(r"[0-9](?:[0-9.,]| (?=[0-9]))*")
# Thousands grouped by a space or a dot (groups of exactly three), or plain digits; then decimals.
_AMOUNT = re.compile(
    r"(?P<whole>[0-9]{1,3}(?P<sep>[ .])[0-9]{3}(?:(?P=sep)[0-9]{3})*|[0-9]+)(?:[.,](?P<decimals>[0-9]+))?"
)
_TOKEN = re.compile(r"[^\W\d_]+\.?|[.,]-+|\S")
_CURRENCY = frozenset({"kr", "kr.", "kroner", "nok", "nok."})
_NEGATIVE = frozenset({"-", "minus"})
_MULTIPLIERS = {
    "k": 1_000,
    "tusen": 1_000,
    "tusund": 1_000,
    "mill": 1_000_000,
    "million": 1_000_000,
    "millioner": 1_000_000,
    "millionar": 1_000_000,
    "mio": 1_000_000,
    "mln": 1_000_000,
}
_MAX_DIGITS = 30
# The ceiling of a money field without its own `max` (values.parse_value): far above any grant in
# these schemes (a whole county's Kompetanseløftet is about kr 11 million), so it only stops typos.
DEFAULT_MAX = 100_000_000
_MAX_LENGTH = 100


def parse_money(text: str, *, min: int | None = None, max: int | None = None) -> int:
    """Whole kroner from `1 200 000`, `1.200.000`, `kr 350 000,-`, `NOK 350 000`, `1,2 mill`, `350k`."""
    typed = clean(text).lower()
    spans = list(_SPAN.finditer(typed))
    if not spans:
        raise ParseError("money")
    if len(spans) > 1:
        raise ParseError("money_several")
    number = spans[0].group().rstrip(".,")
    before = typed[: spans[0].start()]
    after = typed[spans[0].start() + len(number) :]
    _read_before(before)
    value = _value(number, _read_after(after))
    if (min is not None and value < min) or (max is not None and value > max):
        raise ParseError("money_range", min=min, max=max)
    return value


def _read_before(before: str) -> None:
    """Only a currency and a minus sign may come before the number."""
    tokens = before.replace("-", " - ").split()
    if any(token not in _CURRENCY and token not in _NEGATIVE for token in tokens):
        raise ParseError("money")
    if any(token in _NEGATIVE for token in tokens):
        raise ParseError("money_negative")


def _read_after(after: str) -> int | None:
    """The multiplier (`mill`, `k`, ...) after the number, if any; currency and `,-` are allowed too."""
    multiplier: int | None = None
    unknown: list[str] = []
    for token in _TOKEN.findall(after):
        word = token.rstrip(".") or token
        if token == "-":  # `5-`: a dash after the number is not `,-`; it may be a range cut short
            raise ParseError("money_dash")
        if token in _CURRENCY or token in {".", "!"} or re.fullmatch(r"[.,]-+", token):
            continue
        if word in _MULTIPLIERS and multiplier is None:
            multiplier = _MULTIPLIERS[word]
        else:
            unknown.append(token)
    if len(unknown) == 1 and unknown[0][0].isalpha():
        raise ParseError("money_unit", unit=unknown[0])
    if unknown:
        raise ParseError("money")
    return multiplier


def _value(number: str, multiplier: int | None) -> int:
    match = _AMOUNT.fullmatch(number) if len(number) <= _MAX_LENGTH else None
    if match is None:
        raise ParseError("money")
    whole = re.sub(r"[ .]", "", match["whole"])
    decimals = match["decimals"] or ""
    if len(whole) + len(decimals) > _MAX_DIGITS or (multiplier is None and len(decimals) > 2):
        raise ParseError("money")
    numerator = int(whole + decimals) * (multiplier or 1)
    denominator = 10 ** len(decimals)
    if numerator % denominator:
        raise ParseError("money_ore", rounded=(2 * numerator + denominator) // (2 * denominator))
    return numerator // denominator
