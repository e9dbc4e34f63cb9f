"""Every ParseError the parsers raise reads as a short, friendly sentence in bokmål and in nynorsk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.formatting import NBSP
from bot.render import render as render_template
from intake.parsers import (
    ParseError,
    parse_choice,
    parse_date,
    parse_integer,
    parse_money,
    parse_multichoice,
    parse_text,
    parse_yesno,
    parse_yesno_start,
)


def render(*args: Any, **kwargs: Any) -> str:
    """A template as text, its amounts' no-break spaces (bot.formatting) read as plain spaces."""
    return render_template(*args, **kwargs).replace(NBSP, " ")


CHOICES = [("ansatte", ("Ansatte", "Tilsette")), ("andre", ("Andre",)), ("ppt", ("PPT",))]

# One input per code, run through the real parser so the params are the ones callers will see.
RAISE: dict[str, Callable[[], object]] = {
    "money": lambda: parse_money("mye"),
    "money_several": lambda: parse_money("200 000 og 300 000"),
    "money_negative": lambda: parse_money("-5 000"),
    "money_unit": lambda: parse_money("1,5 mrd"),
    "money_ore": lambda: parse_money("350 000,50"),
    "money_range": lambda: parse_money("600 000", min=1_000, max=500_000),
    "money_dash": lambda: parse_money("5-"),
    "integer": lambda: parse_integer("mange"),
    "integer_range": lambda: parse_integer("12 000", min=1, max=10_000),
    "date": lambda: parse_date("i morgen"),
    "date_invalid": lambda: parse_date("31.02.2021"),
    "date_weekday": lambda: parse_date("fredag 29. august 2020"),
    "date_two_digit_year": lambda: parse_date("1.1.99"),
    "date_year_range": lambda: parse_date("28.08.2202"),
    "yesno": lambda: parse_yesno("kanskje", allow_unknown=True),
    "yesno_mixed": lambda: parse_yesno_start("Ja, og nei", allow_unknown=True),
    "answer_is_question": lambda: parse_yesno("ja?", allow_unknown=False),
    "choice": lambda: parse_choice("9", CHOICES),
    "choice_ambiguous": lambda: parse_choice("an", CHOICES),
    "multichoice": lambda: parse_multichoice("1, 7, foo", CHOICES),
    "empty": lambda: parse_text("  "),
    "text_too_long": lambda: parse_text("abcdef", max_length=3),
}

# Words each message must contain: what was expected, in that language form.
WORDS: dict[str, tuple[list[str], list[str]]] = {
    "money": (["Jeg forstod ikke beløpet", "for eksempel 350 000"], ["Eg forstod ikkje beløpet", "til dømes 350 000"]),
    "money_several": (["flere tall", "for eksempel"], ["fleire tal", "til dømes"]),
    "money_negative": (["ikke være negativt", "for eksempel"], ["ikkje vere negativt", "til dømes"]),
    "money_unit": (["«mrd»", "for eksempel 350 000"], ["«mrd»", "til dømes 350 000"]),
    "money_ore": (["hele kroner", "Avrundet blir det kr 350 001."], ["heile kroner", "Avrunda blir det kr 350 001."]),
    "money_range": (["mellom kr 1 000 og kr 500 000"], ["vere mellom kr 1 000 og kr 500 000"]),
    "money_dash": (["bindestreken", "350 000,-"], ["bindestreken", "350 000,-"]),
    "integer": (["Jeg forstod ikke tallet", "for eksempel 25"], ["Eg forstod ikkje talet", "til dømes 25"]),
    "integer_range": (["Tallet må være mellom 1 og 10 000"], ["Talet må vere mellom 1 og 10 000"]),
    "date": (["Jeg forstod ikke datoen", "for eksempel 28.08.2025"], ["Eg forstod ikkje datoen", "til dømes"]),
    "date_invalid": (["31.02.2021 finnes ikke", "for eksempel"], ["31.02.2021 finst ikkje", "til dømes"]),
    "date_weekday": (["«fredag»", "lørdag 29. august 2020"], ["«fredag»", "laurdag 29. august 2020"]),
    "yesno": (["ja, nei eller vet ikke"], ["ja, nei eller veit ikkje"]),
    "yesno_mixed": (["både ja og nei", "vet ikke"], ["både ja og nei", "veit ikkje"]),
    "answer_is_question": (["spørsmålstegn", "Svar ja eller nei"], ["spørsmålsteikn", "Svar ja eller nei"]),
    "date_two_digit_year": (["1999 eller 2099", "fire sifre"], ["1999 eller 2099", "fire siffer"]),
    "date_year_range": (["2202", "fra 1900 til 2099"], ["2202", "frå 1900 til 2099"]),
    "choice": (["fra 1 til 3", "for eksempel 1"], ["frå 1 til 3", "til dømes 1"]),
    "choice_ambiguous": (["flere av valgene: 1 og 2", "for eksempel 1"], ["fleire av vala: 1 og 2", "til dømes 1"]),
    "multichoice": (
        ["«7» og «foo»", "fra 1 til 3", "for eksempel 1, 3"],
        ["«7» og «foo»", "frå 1 til 3", "til dømes 1, 3"],
    ),
    "empty": (["Du skrev ikke noe"], ["Du skreiv ikkje noko"]),
    "text_too_long": (["6 tegn", "høyst 3"], ["6 teikn", "høgst 3"]),
}


def raised(make: Callable[[], object]) -> ParseError:
    with pytest.raises(ParseError) as caught:
        make()
    return caught.value


def messages(error: ParseError, **context: Any) -> tuple[str, str]:
    return render("nb", "parse_error", error=error, **context), render("nn", "parse_error", error=error, **context)


def assert_short_and_distinct(nb: str, nn: str) -> None:
    for text in (nb, nn):
        assert text and "\n" not in text and len(text) < 300
        assert "None" not in text and "{" not in text and "  " not in text
        assert text[0].isupper() or text[0] in "«0123456789"
    assert nb != nn


def test_the_table_names_every_code_once() -> None:
    assert set(RAISE) == set(WORDS)
    assert all(raised(make).code == code for code, make in RAISE.items())


@pytest.mark.parametrize("code", RAISE)
def test_every_code_renders_in_both_language_forms(code: str) -> None:
    nb, nn = messages(raised(RAISE[code]))
    assert_short_and_distinct(nb, nn)
    nb_words, nn_words = WORDS[code]
    for word in nb_words:
        assert word in nb
    for word in nn_words:
        assert word in nn
    for nb_only in ("Jeg ", "ikke ", "for eksempel", "være"):
        assert nb_only not in nn


@pytest.mark.parametrize(
    ("error", "nb", "nn"),
    [
        (ParseError("money_range", min=1_000, max=None), "minst kr 1 000", "minst kr 1 000"),
        (ParseError("money_range", min=None, max=500_000), "høyst kr 500 000", "høgst kr 500 000"),
        (ParseError("integer_range", min=0, max=None), "minst 0", "minst 0"),
        (ParseError("integer_range", min=None, max=-1), "høyst -1", "høgst -1"),
        (ParseError("yesno", allow_unknown=False), "Svar ja eller nei.", "Svar ja eller nei."),
        (ParseError("multichoice", bad="", bad_parts=[], count=3), "Velg minst ett", "Vel minst eitt"),
        (ParseError("date_invalid", day=1, month=1, year=0), "01.01.0000 finnes ikke", "01.01.0000 finst ikkje"),
        (ParseError("answer_is_question", kind="choice", count=4), "fra 1 til 4", "frå 1 til 4"),
        (ParseError("table_columns", expected=3, got=2), "3 kolonner", "3 kolonnar"),
        (ParseError("no_such_code"), "Jeg forstod ikke svaret", "Eg forstod ikkje svaret"),
    ],
)
def test_variants(error: ParseError, nb: str, nn: str) -> None:
    nb_text, nn_text = messages(error)
    assert nb in nb_text
    assert nn in nn_text


def test_table_cell_names_the_column_and_explains_the_cell() -> None:
    column = SimpleNamespace(id="belop", label=lambda lang: {"nb": "Beløp", "nn": "Beløp (nn)"}[lang])
    field = SimpleNamespace(columns=[SimpleNamespace(id="tiltak", label=lambda lang: "Tiltak"), column])
    error = ParseError("table_cell", column="belop", cause=raised(RAISE["money"]))
    nb, nn = messages(error, field=field)
    assert nb.startswith("«Beløp»: Jeg forstod ikke beløpet")
    assert nn.startswith("«Beløp (nn)»: Eg forstod ikkje beløpet")
    nb, nn = messages(error)  # without a field in the context, just the reason
    assert nb.startswith("Jeg forstod ikke beløpet") and nn.startswith("Eg forstod ikkje beløpet")


def test_what_the_user_typed_is_escaped_for_slack() -> None:
    error = raised(lambda: parse_multichoice("<!channel>", CHOICES))
    text = render("nb", "parse_error", "mrkdwn", error=error)
    assert "«&lt;!channel&gt;»" in text and "<!" not in text


ANY_PARSER: list[Callable[[str], object]] = [
    parse_money,
    lambda text: parse_money(text, min=1, max=100),
    lambda text: parse_integer(text, min=1, max=100),
    parse_date,
    lambda text: parse_yesno(text, allow_unknown=False),
    lambda text: parse_choice(text, CHOICES),
    lambda text: parse_multichoice(text, CHOICES),
    lambda text: parse_text(text, max_length=5),
]


@given(st.text(alphabet=st.sampled_from(list("0123456789 .,-kmrillfredagaug?ja\u00a0"))), st.data())
def test_whatever_the_parsers_raise_renders(text: str, data: st.DataObject) -> None:
    parse = data.draw(st.sampled_from(ANY_PARSER))
    try:
        parse(text)
    except ParseError as error:
        assert error.code in RAISE
        assert_short_and_distinct(*messages(error))


def test_date_weekday_example_is_the_date_itself() -> None:
    nb, nn = messages(ParseError("date_weekday", date=dt.date(2020, 8, 30), weekday="lør"))
    assert nb.endswith("søndag 30. august 2020. Skriv datoen på nytt, for eksempel 30.08.2020.")
    assert nn.endswith("sundag 30. august 2020. Skriv datoen på nytt, til dømes 30.08.2020.")
