"""The parsers for what contacts type: examples, rejections and properties."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.formatting import format_date, format_money
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

LEVELS = [
    ("skoleeier", ("Skoleeiers administrasjon", "Skuleeigars administrasjon")),
    ("ledere", ("Ledere og mellomledere", "Leiarar og mellomleiarar")),
    ("ansatte", ("Ansatte i skolen", "Tilsette i skulen")),
    ("ppt", ("PPT",)),
    ("barnehage", ("Barnehage",)),
    ("andre", ("Andre",)),
]
IDS = [choice_id for choice_id, _ in LEVELS]


def code_of(parse: Callable[[], object]) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse()
    return caught.value


# --- ParseError -------------------------------------------------------------------------------------


def test_parse_error_carries_code_and_params() -> None:
    error = ParseError("money_range", min=0, max=10)
    assert isinstance(error, ValueError)
    assert (error.code, error.params) == ("money_range", {"min": 0, "max": 10})
    assert "money_range" in str(error) and "money_range" in repr(error)


# --- money ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kroner"),
    [
        ("1 200 000", 1_200_000),
        ("1.200.000", 1_200_000),
        ("1 200 000 kr", 1_200_000),
        ("1,2 mill", 1_200_000),
        ("1.2 mill", 1_200_000),
        ("1,2 millioner", 1_200_000),
        ("2 mill.", 2_000_000),
        ("2 mill. kr", 2_000_000),
        ("1,25 mill", 1_250_000),
        ("0,5 mio", 500_000),
        ("kr 350 000,-", 350_000),
        ("kr. 350 000", 350_000),
        ("Kr 350 000", 350_000),
        ("350000 kr", 350_000),
        ("350000kr", 350_000),
        ("350 000,00", 350_000),
        ("350 000,0", 350_000),
        ("NOK 350 000", 350_000),
        ("350 000 NOK", 350_000),
        ("350 000 kroner", 350_000),
        ("350k", 350_000),
        ("350 K", 350_000),
        ("350 tusen", 350_000),
        ("1,5 tusen kr", 1_500),
        ("350\u00a0000", 350_000),  # no-break space
        ("350\u202f000", 350_000),  # narrow no-break space
        ("350\u2009000", 350_000),  # thin space
        ("1\u00a0200\u00a0000\u00a0kr", 1_200_000),
        ("  350 000  ", 350_000),
        ("350 000.", 350_000),
        ("350000", 350_000),
        ("1.200,00", 1_200),
        ("0", 0),
        ("kr 0", 0),
        ("kr 14 239 000", 14_239_000),
    ],
)
def test_money_reads(text: str, kroner: int) -> None:
    assert parse_money(text) == kroner


@pytest.mark.parametrize(
    ("text", "code", "params"),
    [
        ("", "money", {}),
        ("   ", "money", {}),
        ("mye penger", "money", {}),
        ("kr", "money", {}),
        ("ca. 350 000", "money", {}),
        ("350,000", "money", {}),  # comma decimals with three digits: ambiguous, refused
        ("1,200,000", "money", {}),
        ("1.2.3", "money", {}),
        ("12 34", "money", {}),
        ("350 000 til lønn", "money", {}),
        ("350 000 ?", "money", {}),
        ("200 000 og 300 000", "money_several", {}),
        ("200 000 - 300 000", "money_several", {}),
        ("kr 350 000 (2020: 200 000)", "money_several", {}),
        ("-5000", "money_negative", {}),
        ("- 5 000 kr", "money_negative", {}),
        ("-kr 5 000", "money_negative", {}),
        ("kr -5 000", "money_negative", {}),
        ("minus 5000", "money_negative", {}),
        ("\u22125000", "money_negative", {}),  # unicode minus sign
        ("1,5 mrd", "money_unit", {"unit": "mrd"}),
        ("1,5 milliarder", "money_unit", {"unit": "milliarder"}),
        ("350 000 euro", "money_unit", {"unit": "euro"}),
        ("5-", "money_dash", {}),
        ("kr 5 000 -", "money_dash", {}),
        ("350 000,50", "money_ore", {"rounded": 350_001}),
        ("350 000,49", "money_ore", {"rounded": 350_000}),
        ("350.50", "money_ore", {"rounded": 351}),
        ("1,2345675 mill", "money_ore", {"rounded": 1_234_568}),
    ],
)
def test_money_rejects(text: str, code: str, params: dict[str, object]) -> None:
    error = code_of(lambda: parse_money(text))
    assert (error.code, error.params) == (code, params)


@pytest.mark.parametrize(
    ("text", "low", "high", "ok"),
    [
        ("500 000", 0, 500_000, True),
        ("500 001", 0, 500_000, False),
        ("0", 1, None, False),
        ("1", 1, None, True),
        ("10 mill", None, 5_000_000, False),
    ],
)
def test_money_range(text: str, low: int | None, high: int | None, ok: bool) -> None:
    if ok:
        assert parse_money(text, min=low, max=high) == parse_money(text)
    else:
        error = code_of(lambda: parse_money(text, min=low, max=high))
        assert (error.code, error.params) == ("money_range", {"min": low, "max": high})


@given(st.integers(min_value=0, max_value=10**10))
def test_money_round_trips_through_format_money(kroner: int) -> None:
    assert parse_money(format_money(kroner)) == kroner


@given(st.integers(min_value=0, max_value=10**10))
def test_money_reads_every_grouping(kroner: int) -> None:
    grouped = f"{kroner:,}"
    assert parse_money(grouped.replace(",", " ")) == kroner
    assert parse_money(grouped.replace(",", ".")) == kroner
    assert parse_money(grouped.replace(",", "\u00a0") + ",-") == kroner
    assert parse_money(str(kroner)) == kroner


# --- integer ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("25", 25),
        (" 25 ", 25),
        ("25.", 25),
        ("1 200", 1_200),
        ("1.200", 1_200),
        ("1\u00a0200", 1_200),
        ("1 200 000", 1_200_000),
        ("0", 0),
        ("-5", -5),
    ],
)
def test_integer_reads(text: str, value: int) -> None:
    assert parse_integer(text) == value


@pytest.mark.parametrize("text", ["", "tjuefem", "1,5", "1 20", "12 3456", "1.2", "25 elever", "1 200.000", "5-6"])
def test_integer_rejects(text: str) -> None:
    error = code_of(lambda: parse_integer(text))
    assert (error.code, error.params) == ("integer", {})


@pytest.mark.parametrize("text", ["ca. 15", "ca 15", "Ca. 15", "omtrent 15", "cirka 15", "om lag 15", "rundt 15"])
def test_integer_reads_an_approximate_number_as_the_number(text: str) -> None:
    assert parse_integer(text) == 15


@pytest.mark.parametrize("text", ["ca.", "omtrent", "ca. femten", "ca. 15 elever", "cavalier 15"])
def test_integer_refuses_an_approximation_without_a_number(text: str) -> None:
    assert code_of(lambda: parse_integer(text)).code == "integer"


def test_integer_range() -> None:
    assert parse_integer("10", min=1, max=10) == 10
    error = code_of(lambda: parse_integer("11", min=1, max=10))
    assert (error.code, error.params) == ("integer_range", {"min": 1, "max": 10})
    error = code_of(lambda: parse_integer("-1", min=0))
    assert (error.code, error.params) == ("integer_range", {"min": 0, "max": None})


@given(st.integers(min_value=0, max_value=10**12))
def test_integer_reads_its_own_grouping(value: int) -> None:
    assert parse_integer(f"{value:,}".replace(",", " ")) == value


# --- date -------------------------------------------------------------------------------------------

AUG_28 = dt.date(2020, 8, 28)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("28.08.2020", AUG_28),
        ("28.8.20", AUG_28),
        ("28/8/2020", AUG_28),
        ("28-08-2020", AUG_28),
        ("2020-08-28", AUG_28),
        ("28. august 2020", AUG_28),
        ("28 aug 2020", AUG_28),
        ("28. aug. 2020", AUG_28),
        ("28.aug.2020", AUG_28),
        ("28. AUGUST 2020", AUG_28),
        ("fredag 28. august 2020", AUG_28),
        ("Fredag 28. august 2020", AUG_28),
        ("fredag, 28. august 2020", AUG_28),
        ("fre. 28.08.2020", AUG_28),
        ("den 28. august 2020", AUG_28),
        ("fredag den 28. august 2020", AUG_28),
        ("  28.08.2020. ", AUG_28),
        ("28\u00a0august\u00a02020", AUG_28),
        ("1. juli 2018", dt.date(2018, 7, 1)),
        ("17. mai 2021", dt.date(2021, 5, 17)),
        ("1. juni 2021", dt.date(2021, 6, 1)),
        ("3. sept. 2021", dt.date(2021, 9, 3)),
        ("1. mars 2025", dt.date(2025, 3, 1)),
        ("24. desember 2024", dt.date(2024, 12, 24)),
        ("laurdag 29. august 2020", dt.date(2020, 8, 29)),  # nynorsk weekdays
        ("sundag 30. august 2020", dt.date(2020, 8, 30)),
        ("tysdag 1. september 2020", dt.date(2020, 9, 1)),
        ("måndag 31. august 2020", dt.date(2020, 8, 31)),
        ("søndag 30. august 2020", dt.date(2020, 8, 30)),
        ("29.02.2024", dt.date(2024, 2, 29)),
        ("1.1.00", dt.date(2000, 1, 1)),
        ("31.12.49", dt.date(2049, 12, 31)),
    ],
)
def test_date_reads(text: str, date: dt.date) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    "text",
    [
        "",
        "i morgen",
        "28.08",
        "28. august",
        "august 2020",
        "28.08.202",
        "2020/08/28",
        "28. ma 2020",
        "28. foo 2020",
        "fredag",
        "28.08.2020 kl 12",
        "28.08.2020 og 29.08.2020",
        "28082020",
    ],
)
def test_date_rejects_unreadable(text: str) -> None:
    error = code_of(lambda: parse_date(text))
    assert (error.code, error.params) == ("date", {})


@pytest.mark.parametrize(
    ("text", "day", "month", "year"),
    [
        ("31.02.2021", 31, 2, 2021),
        ("29.02.2023", 29, 2, 2023),
        ("1.13.2020", 1, 13, 2020),
        ("0.1.2020", 0, 1, 2020),
        ("31. april 2020", 31, 4, 2020),
    ],
)
def test_date_rejects_impossible(text: str, day: int, month: int, year: int) -> None:
    error = code_of(lambda: parse_date(text))
    assert (error.code, error.params) == ("date_invalid", {"day": day, "month": month, "year": year})


@pytest.mark.parametrize("text", ["1.1.50", "1.1.99", "31.12.75", "1. mai 99"])
def test_a_two_digit_year_that_could_be_either_century_is_refused(text: str) -> None:
    error = code_of(lambda: parse_date(text))
    assert error.code == "date_two_digit_year" and error.params["year"] == text[-2:]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("1.1.0001", 1),
        ("1.1.0000", 0),
        ("1.1.1899", 1899),
        ("31.12.9999", 9999),
        ("2100-01-01", 2100),
        ("28. august 2202", 2202),
    ],
)
def test_a_year_far_from_now_is_refused_as_a_typo(text: str, year: int) -> None:
    error = code_of(lambda: parse_date(text))
    assert (error.code, error.params) == ("date_year_range", {"year": year, "first": 1900, "last": 2099})


def test_date_rejects_the_wrong_weekday() -> None:
    error = code_of(lambda: parse_date("fredag 29. august 2020"))
    assert (error.code, error.params) == ("date_weekday", {"date": dt.date(2020, 8, 29), "weekday": "fredag"})


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(["nb", "nn"]))
def test_date_round_trips_through_format_date(date: dt.date, lang: str) -> None:
    assert parse_date(format_date(date, lang)) == date


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_date_reads_day_month_year(date: dt.date) -> None:
    assert parse_date(date.strftime("%d.%m.%Y")) == date
    assert parse_date(date.isoformat()) == date


# --- yes/no -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("ja", "ja"),
        ("Ja", "ja"),
        ("j", "ja"),
        ("yes", "ja"),
        ("JA!", "ja"),
        (" ja. ", "ja"),
        ("«ja»", "ja"),
        ("nei", "nei"),
        ("Nei.", "nei"),
        ("n", "nei"),
        ("no", "nei"),
        ("NEI!", "nei"),
    ],
)
def test_yesno_reads_yes_and_no(text: str, answer: str) -> None:
    assert parse_yesno(text, allow_unknown=False) == answer
    assert parse_yesno(text, allow_unknown=True) == answer


UNKNOWN = ["vet ikke", "Vet ikkje", "veit ikkje", "veit ikke", "usikker", "?", "??", "vet_ikke", "Vet  ikke."]


@pytest.mark.parametrize("text", UNKNOWN)
def test_yesno_reads_unknown_when_allowed(text: str) -> None:
    assert parse_yesno(text, allow_unknown=True) == "vet_ikke"
    error = code_of(lambda: parse_yesno(text, allow_unknown=False))
    assert (error.code, error.params) == ("yesno", {"allow_unknown": False})


@pytest.mark.parametrize("text", ["ja?", "Nei?", "ja ?", "vet ikke?", "Ja, lærerne bruker den?"])
def test_yesno_refuses_a_question(text: str) -> None:
    for allow in (False, True):
        error = code_of(lambda: parse_yesno_start(text, allow_unknown=allow))  # noqa: B023
        assert (error.code, error.params) == ("answer_is_question", {"kind": "yesno", "allow_unknown": allow})


@pytest.mark.parametrize(
    ("text", "value", "rest"),
    [
        ("Ja, lærerne bruker verktøyet hver uke.", "ja", "lærerne bruker verktøyet hver uke"),
        ("Nei. Vi har ikke startet", "nei", "Vi har ikke startet"),
        ("ja – men bare på 1.–4. trinn", "ja", "men bare på 1.-4. trinn"),  # dashes tidied
        ("Ja takk, gjerne", "ja", "gjerne"),
        ("vet ikke, spør rektor", "vet_ikke", "spør rektor"),
        ("ja", "ja", ""),
    ],
)
def test_yesno_start_takes_the_answer_and_hands_back_the_rest(text: str, value: str, rest: str) -> None:
    assert parse_yesno_start(text, allow_unknown=True) == (value, rest)


@pytest.mark.parametrize("text", ["Ja, og nei", "nei, ja", "ja nei", "Ja, vet ikke"])
def test_yesno_start_refuses_both_yes_and_no(text: str) -> None:
    assert code_of(lambda: parse_yesno_start(text, allow_unknown=True)).code == "yesno_mixed"


@pytest.mark.parametrize("text", ["No har vi starta", "Jammen", "n. 5", "kanskje, ja"])
def test_yesno_start_needs_a_yes_or_no_word_first(text: str) -> None:
    assert code_of(lambda: parse_yesno_start(text, allow_unknown=True)).code == "yesno"


@pytest.mark.parametrize("text", ["", "kanskje", "ja nei", "jaaa", "1"])
def test_yesno_rejects(text: str) -> None:
    error = code_of(lambda: parse_yesno(text, allow_unknown=True))
    assert (error.code, error.params) == ("yesno", {"allow_unknown": True})


# --- choice -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "choice_id"),
    [
        ("2", "ledere"),
        ("2.", "ledere"),
        ("2)", "ledere"),
        (" 4 ", "ppt"),
        ("ppt", "ppt"),
        ("PPT!", "ppt"),
        ("ledere", "ledere"),
        ("barne", "barnehage"),
        ("  Barnehage. ", "barnehage"),
        ("le", "ledere"),
        ("skuleeig", "skoleeier"),
        ("tilsette", "ansatte"),
        ("Ansatte i skolen", "ansatte"),
    ],
)
def test_choice_reads(text: str, choice_id: str) -> None:
    assert parse_choice(text, LEVELS) == choice_id


def test_choice_prefers_an_exact_label_to_a_longer_one() -> None:
    choices = [("ja", ("Ja",)), ("delvis", ("Ja, delvis",))]
    assert parse_choice("ja", choices) == "ja"
    assert parse_choice("ja, d", choices) == "delvis"


def test_choice_ambiguous_prefix() -> None:
    error = code_of(lambda: parse_choice("a", LEVELS))
    assert error.code == "choice_ambiguous"
    assert error.params == {"candidates": ["ansatte", "andre"], "numbers": [3, 6], "count": 6}


@pytest.mark.parametrize(
    "text", ["", "0", "7", "99999999999999999999", "x", "skolen", "?", "1 og 2", "-1", "- 2", "+1"]
)
def test_choice_rejects(text: str) -> None:
    error = code_of(lambda: parse_choice(text, LEVELS))
    assert (error.code, error.params) == ("choice", {"count": 6})


def test_a_choice_that_asks_is_refused() -> None:
    error = code_of(lambda: parse_choice("ppt?", LEVELS))
    assert (error.code, error.params) == ("answer_is_question", {"kind": "choice", "count": 6})


def test_a_negative_number_is_not_a_choice_in_a_multichoice() -> None:
    error = code_of(lambda: parse_multichoice("-1, 2", LEVELS))
    assert error.code == "multichoice" and error.params["bad_parts"] == ["-1"]


def test_choice_numbers_out_of_range_may_still_be_labels() -> None:
    assert parse_choice("2024", [("a", ("2023",)), ("b", ("2024",))]) == "b"


@given(st.lists(st.text(min_size=1), min_size=1, max_size=8), st.data())
def test_choice_by_number_returns_that_choice(labels: list[str], data: st.DataObject) -> None:
    choices = [(f"id{i}", (label,)) for i, label in enumerate(labels)]
    number = data.draw(st.integers(min_value=1, max_value=len(choices)))
    suffix = data.draw(st.sampled_from(["", ".", ")", " "]))
    assert parse_choice(f"{number}{suffix}", choices) == f"id{number - 1}"


# --- multichoice ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("1, 3", ["skoleeier", "ansatte"]),
        ("1,3", ["skoleeier", "ansatte"]),
        ("1 og 3", ["skoleeier", "ansatte"]),
        ("1 Og 3", ["skoleeier", "ansatte"]),
        ("1 3", ["skoleeier", "ansatte"]),
        ("3, 1", ["skoleeier", "ansatte"]),
        ("1-3", ["skoleeier", "ledere", "ansatte"]),
        ("1 – 3", ["skoleeier", "ledere", "ansatte"]),
        ("1-2, 5", ["skoleeier", "ledere", "barnehage"]),
        ("1, 1, 1", ["skoleeier"]),
        ("4", ["ppt"]),
        ("ppt og barnehage", ["ppt", "barnehage"]),
        ("PPT, Barnehage", ["ppt", "barnehage"]),
        ("barne, 1", ["skoleeier", "barnehage"]),
        ("Ledere og mellomledere, ppt", ["ledere", "ppt"]),
        ("Leiarar og mellomleiarar og 6", ["ledere", "andre"]),
        ("ppt; barnehage", ["ppt", "barnehage"]),
        ("ppt & barnehage", ["ppt", "barnehage"]),
        ("ppt\nbarnehage", ["ppt", "barnehage"]),
        ("1, 3,", ["skoleeier", "ansatte"]),
        ("1. 3.", ["skoleeier", "ansatte"]),
    ],
)
def test_multichoice_reads(text: str, ids: list[str]) -> None:
    assert parse_multichoice(text, LEVELS) == ids


@pytest.mark.parametrize(
    ("text", "bad_parts"),
    [
        ("", []),
        (" , ", []),
        ("1, 9", ["9"]),
        ("0", ["0"]),
        ("1, 9, foo", ["9", "foo"]),
        ("3-1", ["3-1"]),
        ("1-7", ["1-7"]),
        ("1 99999999999999999999", ["99999999999999999999"]),
        ("a", ["a"]),  # ambiguous: ansatte or andre
        ("ppt og Foo Bar", ["Foo Bar"]),
        ("ppt barnehage", ["ppt barnehage"]),
    ],
)
def test_multichoice_rejects(text: str, bad_parts: list[str]) -> None:
    error = code_of(lambda: parse_multichoice(text, LEVELS))
    assert error.code == "multichoice"
    assert error.params == {"bad": bad_parts[0] if bad_parts else "", "bad_parts": bad_parts, "count": 6}


@given(st.lists(st.integers(min_value=1, max_value=len(LEVELS)), min_size=1), st.data())
def test_multichoice_returns_ids_in_choice_order(numbers: list[int], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(numbers))
    separator = data.draw(st.sampled_from([", ", ",", " og ", " ", "; "]))
    expected = [IDS[n - 1] for n in sorted(set(numbers))]
    assert parse_multichoice(separator.join(map(str, shuffled)), LEVELS) == expected


# --- text -------------------------------------------------------------------------------------------


def test_text() -> None:
    assert parse_text("  Kurs for lærere \n") == "Kurs for lærere"
    assert parse_text("a\nb") == "a\nb"
    assert parse_text("abc", max_length=3) == "abc"
    assert code_of(lambda: parse_text(" \n\u00a0\u200b ")).code == "empty"
    error = code_of(lambda: parse_text(" abcd ", max_length=3))
    assert (error.code, error.params) == ("text_too_long", {"max_length": 3, "length": 4})


# --- any string in: a value or a ParseError out -----------------------------------------------------

PARSERS: dict[str, Callable[[str], object]] = {
    "money": parse_money,
    "money_range": lambda text: parse_money(text, min=1000, max=10**7),
    "integer": parse_integer,
    "integer_range": lambda text: parse_integer(text, min=0, max=100),
    "date": parse_date,
    "yesno": lambda text: parse_yesno(text, allow_unknown=False),
    "yesno_unknown": lambda text: parse_yesno(text, allow_unknown=True),
    "choice": lambda text: parse_choice(text, LEVELS),
    "multichoice": lambda text: parse_multichoice(text, LEVELS),
    "text": lambda text: parse_text(text, max_length=20),
}

# Text made of the characters the parsers care about finds the corners faster than st.text() alone.
NEAR_MISSES = st.text(alphabet=st.sampled_from(list("0123456789 .,-–/:;?!()kKrmilnoNOgjaevtsdfu\u00a0\n")))


@pytest.mark.parametrize("name", PARSERS)
@given(text=st.one_of(st.text(), NEAR_MISSES))
def test_any_text_gives_a_value_or_a_parse_error(name: str, text: str) -> None:
    try:
        PARSERS[name](text)
    except ParseError as error:
        assert isinstance(error.code, str) and isinstance(error.params, dict)


@given(st.text(), st.lists(st.tuples(st.text(), st.lists(st.text(), max_size=3)), max_size=6))
def test_choices_of_any_shape_give_a_value_or_a_parse_error(text: str, choices: list) -> None:
    for parse in (parse_choice, parse_multichoice):
        with contextlib.suppress(ParseError):
            parse(text, choices)
