"""Wording that once read wrong, in bokmål and in nynorsk: each test renders the real template with
the real shipped forms and checks the sentence a contact reads."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from bot.formatting import NBSP
from bot.render import render
from intake import engine
from intake.parsers import ParseError
from intake.replies import Notice, NoticeKind, RuleBroken
from intake.rules import forbidden_term_problems
from intake.spec import SHIPPED_FORMS_DIR, FormSpec, load_form, parse_form
from intake.usecases import Submitted

SENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 3, 27, 22, 59, tzinfo=UTC)
LEKA = SimpleNamespace(id="5052", name="Leka kommune")


def shipped(form_id: str) -> FormSpec:
    return load_form(SHIPPED_FORMS_DIR / f"{form_id}.yaml")


def call(kind: str = "application") -> SimpleNamespace:
    title = {"nb": "Tilskudd 2026", "nn": "Tilskot 2026"}
    return SimpleNamespace(id="tilskudd-2026", kind=kind, title=title, case_number="2019/8140", deadline=DEADLINE)


def receipt(lang: str, form: FormSpec, kind: str = "application", answers: dict[str, Any] | None = None) -> str:
    review = engine.review(form, answers or {}, engine.Context(lang))
    reply = Submitted("2019/8140-5052-17-1", SENT, review)
    return render(lang, "submitted", reply=reply, form=form, call=call(kind), org=LEKA)


def notice(lang: str, kind: str, form: FormSpec | None = None, **data: Any) -> str:
    form = form or shipped("oppfolging-soknad")
    return render(lang, "notice", reply=Notice(NoticeKind(kind), data), form=form, call=call(), org=LEKA)


# --- the receipt and the header say what was sent ----------------------------------------------


@pytest.mark.parametrize(
    ("form_id", "kind", "nb", "nn"),
    [
        ("oppfolging-soknad", "application", "Søknaden fra", "Søknaden frå"),
        ("dekom-behov", "application", "Meldingen om behov fra", "Meldinga om behov frå"),
        ("kompetanseloftet-grunnlag", "application", "Meldt behov fra", "Meldt behov frå"),
        ("oppfolging-arsrapport", "report", "Årsrapporten fra", "Årsrapporten frå"),
    ],
)
def test_the_receipt_says_what_was_sent(form_id: str, kind: str, nb: str, nn: str) -> None:
    form = shipped(form_id)
    assert f"Takk! {nb} Leka kommune er sendt til Statsforvalteren." in receipt("nb", form, kind)
    assert f"Takk! {nn} Leka kommune er sendt til Statsforvaltaren." in receipt("nn", form, kind)
    for text in (receipt("nb", form, kind), receipt("nn", form, kind)):
        assert "har sendt inn til" not in text


def test_a_form_without_a_document_name_takes_it_from_the_call_kind() -> None:
    form = parse_form({"id": "x", "title": "X", "fields": [{"id": "a", "type": "text", "label": "A"}]})
    assert "Takk! Søknaden fra Leka kommune er sendt" in receipt("nb", form, "application")
    assert "Takk! Rapporten frå Leka kommune er sendt" in receipt("nn", form, "report")


@pytest.mark.parametrize(
    ("form_id", "nb", "nn"),
    [
        ("oppfolging-soknad", "– søknad fra Leka kommune.", "– søknad frå Leka kommune."),
        ("dekom-behov", "– melding om behov fra Leka kommune.", "– melding om behov frå Leka kommune."),
        ("kompetanseloftet-grunnlag", "– meldt behov fra Leka kommune.", "– meldt behov frå Leka kommune."),
    ],
)
def test_the_header_names_what_is_sent(form_id: str, nb: str, nn: str) -> None:
    form = shipped(form_id)
    status = engine.progress(form, {}, engine.Context("nb"))
    assert nb in notice("nb", "started", form, status=status)
    assert nn in notice("nn", "started", form, status=status)


# --- refusals ----------------------------------------------------------------------------------


def budget_refusal(lang: str, text: str) -> str:
    form = shipped("oppfolging-soknad")
    row = {"post": text, "belop": 20_000}
    broken = forbidden_term_problems(form, "budsjett", row, row_number=2)
    assert broken, text
    return render(lang, "rule_broken", reply=RuleBroken(tuple(broken)), form=form, call=call(), org=LEKA)


@pytest.mark.parametrize(
    ("typed", "word", "stem"),
    [
        ("Studietur til Finland", "Studietur", "studietur"),
        ("Kjøregodtgjørelse til kurset", "Kjøregodtgjørelse", "kjøregodtgj"),
    ],
)
def test_a_refused_table_row_is_called_a_row_and_quotes_the_contacts_own_word(typed: str, word: str, stem: str) -> None:
    nb, nn = budget_refusal("nb", typed), budget_refusal("nn", typed)
    assert nb.startswith("Den raden kan ikke tas med:")
    assert nn.startswith("Den rada kan ikkje takast med:")
    assert f"rad 2 («{typed}»): «{word}» kan ikke dekkes" in nb
    assert f"rad 2 («{typed}»): «{word}» kan ikkje dekkjast" in nn
    assert f"«{stem}»" not in nb + nn


def test_a_refused_answer_that_is_not_a_row_is_still_an_answer() -> None:
    form = parse_form(
        {
            "id": "x",
            "title": "X",
            "fields": [{"id": "plan", "type": "text", "label": "Plan"}],
            "rules": [{"type": "forbidden_terms", "field": "plan", "terms": ["ipad"]}],
        }
    )
    broken = tuple(forbidden_term_problems(form, "plan", "iPader til alle"))
    nb = render("nb", "rule_broken", reply=RuleBroken(broken), form=form, call=call(), org=LEKA)
    nn = render("nn", "rule_broken", reply=RuleBroken(broken), form=form, call=call(), org=LEKA)
    assert nb.startswith("Det svaret kan ikke tas med:") and "«iPader» kan ikke" in nb
    assert nn.startswith("Det svaret kan ikkje takast med:") and "«iPader» kan ikkje" in nn


def columns(count: int) -> SimpleNamespace:
    kinds = ["text", "money", "money", "integer"][:count]
    return SimpleNamespace(
        columns=[SimpleNamespace(id=f"c{n}", type=kind, label=lambda lang: "Kolonne") for n, kind in enumerate(kinds)]
    )


@pytest.mark.parametrize("count", [2, 3, 4])
def test_the_example_row_has_as_many_columns_as_the_table(count: int) -> None:
    error = ParseError("table_columns", expected=count, got=1)
    for lang, lead in (("nb", "For eksempel: "), ("nn", "Til dømes: ")):
        text = render(lang, "parse_error", error=error, field=columns(count))
        example = text.split(lead)[1]
        assert len(example.split(";")) == count, text


def test_the_kompetanseloftet_table_example_has_its_three_columns() -> None:
    form = shipped("kompetanseloftet-grunnlag")
    table = next(field for field in form.fields if field.type == "table")
    error = ParseError("table_columns", expected=len(table.columns), got=2)
    assert "For eksempel: Kurs for lærere; 350 000; 120 000" in render("nb", "parse_error", error=error, field=table)
    assert "Til dømes: Kurs for lærarar; 350 000; 120 000" in render("nn", "parse_error", error=error, field=table)


def test_the_rounded_amount_is_not_offered_as_an_example() -> None:
    error = ParseError("money_ore", rounded=30_001)
    nb, nn = render("nb", "parse_error", error=error), render("nn", "parse_error", error=error)
    assert nb == f"Skriv beløpet i hele kroner, uten øre. Avrundet blir det kr{NBSP}30{NBSP}001."
    assert nn == f"Skriv beløpet i heile kroner, utan øre. Avrunda blir det kr{NBSP}30{NBSP}001."


# --- notices -----------------------------------------------------------------------------------


def test_declining_says_how_to_change_ones_mind_without_doubled_words() -> None:
    data: dict[str, Any] = {"status": "declined", "call": call()}
    nb, nn = notice("nb", "declined", **data), notice("nn", "declined", **data)
    assert "Hvis dere ombestemmer dere, skriv `/frist søk tilskudd-2026` før fristen." in nb
    assert "Kjem de på andre tankar, skriv `/frist søk tilskudd-2026` før fristen." in nn
    assert "dere dere" not in nb and "de dykk" not in nn


def test_a_change_by_another_contact_is_by_someone_else_in_nynorsk() -> None:
    status = engine.progress(shipped("oppfolging-soknad"), {}, engine.Context("nn"))
    text = notice("nn", "changed_by_other", changes=[{"who": "Per Leka", "fields": ["mal"]}], status=status)
    assert text.startswith("Utkastet er endra av nokon annan sidan sist:")


# --- the shipped forms and the hints around them ----------------------------------------------


def shipped_texts() -> list[tuple[str, str]]:
    return [(path.stem, path.read_text(encoding="utf-8")) for path in sorted(SHIPPED_FORMS_DIR.glob("*.yaml"))]


@pytest.mark.parametrize(("form_id", "text"), shipped_texts())
def test_the_forms_speak_as_we_and_write_kroner_first(form_id: str, text: str) -> None:
    assert "Frist spør" not in text  # the bot's name reads as "the deadline asks"
    assert not re.search(r"[0-9] kr\b", text), re.findall(r".{20}[0-9] kr\b", text)


def test_a_multichoice_question_asks_to_choose_once_and_in_one_way() -> None:
    form = shipped("dekom-behov")
    field = next(f for f in form.fields if f.type == "multichoice" and "UH" in f.label("nb"))
    state = engine.State({}, field.id)
    for lang, words in (
        ("nb", ("Velg", "ett eller flere", "én eller flere")),
        ("nn", ("Vel", "eitt eller fleire", "éin eller fleire")),
    ):
        question = engine.ask(form, state, engine.Context(lang))
        text = render(lang, question.template, reply=question, form=form, call=call(), org=LEKA)
        choose, right, wrong = words
        assert text.count(f"{choose} ") == 1 and right in text and wrong not in text, text
        placeholder = render(lang, "label", name="choose_many")
        assert right in placeholder, placeholder


def test_money_in_a_receipt_cannot_wrap() -> None:
    form = shipped("oppfolging-soknad")
    text = receipt("nb", form, answers={"budsjett": [{"post": "Kurs", "belop": 1_200_000}]})
    assert f"kr{NBSP}1{NBSP}200{NBSP}000" in text and "kr 1" not in text
