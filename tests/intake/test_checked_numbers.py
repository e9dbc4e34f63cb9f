"""Numbers the bot can check, it checks: frames, sums it works out itself, parts of wholes, date bounds.

Driven through the engine with the shipped forms and the real figures of the seeds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from intake.date_bounds import CallDates, resolve
from intake.engine import REVIEW, Context, Outcome, State, review, start, step
from intake.parsers import ParseError
from intake.replies import Invalid, Question, Review, RuleBroken, SubmitRefused
from intake.spec import resolve_form

OPPFOLGING = resolve_form("oppfolging-soknad")
DEKOM = resolve_form("dekom-behov")
KOMPETANSE = resolve_form("kompetanseloftet-grunnlag")
# The 2020 call: open in summer, deadline Friday 28 August 2020 (seed 000).
CALL_2020 = CallDates(dt.date(2020, 6, 15), dt.date(2020, 8, 28))


def at(spec: Any, answers: dict[str, Any], position: str, text: str, context: Context) -> Outcome:
    return step(spec, State(answers, position), text, context)


def question(outcome: Outcome) -> Question:
    reply = outcome.replies[-1]
    assert isinstance(reply, Question), outcome.replies
    return reply


# --- frames -------------------------------------------------------------------------------------

TYDAL_BUDGET = [{"post": "Kursrekke med NTNU", "belop": 990_000}, {"post": "Frikjøp av ressurslærer", "belop": 300_000}]


def test_oppfolging_refuses_a_budget_over_the_frame_without_a_word_of_explanation() -> None:
    """Tydal, frame kr 150 000, sent in kr 1 290 000: the shipped form now has max_of_frame."""
    context = Context("nb", frame=150_000, dates=CALL_2020)
    answers = {"budsjett": TYDAL_BUDGET}
    problems = [p for p in review(OPPFOLGING, answers, context).problems if p.kind == "max_of_frame"]
    assert problems and problems[0].data == {
        "asked": 1_290_000,
        "frame": 150_000,
        "over": 1_140_000,
        "explain": OPPFOLGING.field("over_ramme"),
        "explain_number": 9,  # the conditional questions about an external partner are not asked
    }
    refused = at(OPPFOLGING, answers, REVIEW, "send inn", context)
    assert refused.action is None and isinstance(refused.replies[0], SubmitRefused)


def test_the_explanation_a_frame_rule_needs_is_asked_as_needed_not_as_optional() -> None:
    context = Context("nb", frame=150_000, dates=CALL_2020)
    outcome = at(OPPFOLGING, {"budsjett": TYDAL_BUDGET}, "budsjett", "ferdig", context)
    asked = question(outcome)
    assert asked.field.id == "over_ramme" and asked.needed
    within = at(OPPFOLGING, {"budsjett": TYDAL_BUDGET[1:]}, "budsjett", "ferdig", Context("nb", frame=400_000))
    assert question(within).field.id == "egenandel" and not question(within).needed


def test_the_review_carries_the_amount_asked_for_and_the_frame_and_a_tables_totals() -> None:
    shown = review(OPPFOLGING, {"budsjett": TYDAL_BUDGET}, Context("nb", frame=150_000))
    assert (shown.amount, shown.frame) == (1_290_000, 150_000)
    budget = next(item for item in shown.items if item.field.id == "budsjett")
    assert [(column.id, total) for column, total in budget.totals] == [("belop", 1_290_000)]


# --- a sum the bot works out ----------------------------------------------------------------------

FOSEN_MEASURES = [
    {"tiltak": "Inkluderende praksis i SFO", "kostnad_nettverk": 67_783, "kostnad_uh": 370_000, "uh_partner": "NTNU"},
    {"tiltak": "Lærende nettverk PPT", "kostnad_nettverk": 100_000, "kostnad_uh": 0, "uh_partner": None},
]
FOSEN = {"tiltak": FOSEN_MEASURES, "koordinering": 105_259}  # 67 783 + 370 000 + 100 000 + 105 259


def test_kompetanseloftet_works_out_meldt_behov_and_the_contact_confirms_it() -> None:
    assert KOMPETANSE.field("meldt_behov").sum_of == ["tiltak.kostnad_nettverk", "tiltak.kostnad_uh", "koordinering"]
    context = Context("nb", frame=643_042)
    shown = question(at(KOMPETANSE, FOSEN, "koordinering", "105 259", context))
    assert shown.field.id == "meldt_behov" and shown.sum is not None
    assert shown.sum.value == 643_042
    assert [(part.number, part.value) for part in shown.sum.parts] == [(1, 167_783), (1, 370_000), (2, 105_259)]
    confirmed = at(KOMPETANSE, FOSEN, "meldt_behov", "ja", context)
    assert confirmed.state.answers["meldt_behov"] == 643_042
    assert question(confirmed).field.id == "prioriterte"  # at the frame: no explanation is asked


def test_a_sum_cannot_be_typed_or_refused_and_is_asked_again_when_a_part_changes() -> None:
    context = Context("nb", frame=643_042)
    typed = at(KOMPETANSE, FOSEN, "meldt_behov", "700 000", context)
    assert isinstance(typed.replies[0], Invalid) and typed.replies[0].error.code == "sum_confirm"
    assert "meldt_behov" not in typed.state.answers
    declined = at(KOMPETANSE, FOSEN, "meldt_behov", "nei", context)
    assert isinstance(declined.replies[0], Invalid) and declined.replies[0].error.code == "sum_declined"
    assert "meldt_behov" not in declined.state.answers
    confirmed = {**FOSEN, "meldt_behov": 643_042}
    raised = at(KOMPETANSE, confirmed, "koordinering", "205 259", context)
    assert "meldt_behov" not in raised.state.answers  # the old confirmation no longer adds up
    again = question(raised)
    assert again.field.id == "meldt_behov" and again.sum is not None and again.sum.value == 743_042
    over = at(KOMPETANSE, raised.state.answers, "meldt_behov", "ja", context)
    assert over.state.answers["meldt_behov"] == 743_042 and question(over).field.id == "forklaring_ramme"


def test_a_sum_waits_for_its_parts() -> None:
    outcome = at(KOMPETANSE, {"tiltak": FOSEN_MEASURES}, "meldt_behov", "ja", Context("nb"))
    assert isinstance(outcome.replies[0], Invalid) and outcome.replies[0].error.code == "sum_incomplete"
    shown = question(outcome)
    assert shown.sum is not None and shown.sum.value is None


def test_a_table_row_added_or_removed_unsettles_a_confirmed_sum() -> None:
    confirmed = {**FOSEN, "meldt_behov": 643_042}
    removed = at(KOMPETANSE, confirmed, "tiltak", "fjern 2", Context("nb"))
    assert "meldt_behov" not in removed.state.answers
    added = at(KOMPETANSE, confirmed, "tiltak", "Veiledning; 10 000; 0", Context("nb"))
    assert "meldt_behov" not in added.state.answers


# --- a part may not exceed its whole ---------------------------------------------------------------


def test_dekom_refuses_a_uh_share_larger_than_the_whole_amount() -> None:
    answers = {"sokt_belop": 500_000}
    outcome = at(DEKOM, answers, "belop_uh", "600 000", Context("nb"))
    assert isinstance(outcome.replies[0], RuleBroken) and "belop_uh" not in outcome.state.answers
    problem = outcome.replies[0].problems[0]
    assert problem.kind == "part_of" and problem.data["part"] == 600_000 and problem.data["whole"] == 500_000
    assert at(DEKOM, answers, "belop_uh", "500 000", Context("nb")).state.answers["belop_uh"] == 500_000


def test_a_whole_lowered_below_its_part_is_listed_at_the_review() -> None:
    shown = review(DEKOM, {"sokt_belop": 400_000, "belop_uh": 450_000}, Context("nb"))
    assert [p.data["over"] for p in shown.problems if p.kind == "part_of"] == [50_000]


# --- plausible dates and amounts -----------------------------------------------------------------


def test_relative_date_bounds_follow_the_calls_dates() -> None:
    assert resolve("deadline - 8 months", CALL_2020) == dt.date(2019, 12, 28)
    assert resolve("deadline + 4 months", CALL_2020) == dt.date(2020, 12, 28)
    assert resolve("opens + 2 weeks", CALL_2020) == dt.date(2020, 6, 29)
    assert resolve("2020-01-31", None) == dt.date(2020, 1, 31)
    assert resolve("deadline", None) is None  # no call: unknown
    assert resolve("deadline + 1 month", CallDates(dt.date(2020, 1, 1), dt.date(2020, 1, 31))) == dt.date(2020, 2, 29)


@pytest.mark.parametrize(("typed", "accepted"), [("01.03.2020", True), ("28.08.2002", False), ("1.9.2021", False)])
def test_oppfolging_bounds_the_start_date_to_the_calls_year(typed: str, accepted: bool) -> None:
    outcome = at(OPPFOLGING, {}, "oppstart", typed, Context("nb", dates=CALL_2020))
    if accepted:
        assert outcome.state.answers["oppstart"] == dt.datetime.strptime(typed, "%d.%m.%Y").date().isoformat()
    else:
        error = outcome.replies[0]
        assert isinstance(error, Invalid) and error.error.code == "date_range"
        assert error.error.params == {"min": dt.date(2019, 12, 28), "max": dt.date(2020, 12, 28)}


def test_dekom_bounds_the_start_of_the_training_to_its_year() -> None:
    dekom_2018 = CallDates(dt.date(2018, 3, 1), dt.date(2018, 7, 1))
    late = at(DEKOM, {}, "oppstart", "15.08.2028", Context("nb", dates=dekom_2018))
    assert isinstance(late.replies[0], Invalid) and late.replies[0].error.code == "date_range"
    assert at(DEKOM, {}, "oppstart", "15.08.2018", Context("nb", dates=dekom_2018)).state.answers["oppstart"]


@pytest.mark.parametrize(
    ("spec", "position", "typed"),
    [
        (OPPFOLGING, "budsjett", "Kursrekke; 12 000 000"),  # one zero too many
        (DEKOM, "sokt_belop", "400 000 000"),
        (KOMPETANSE, "koordinering", "13 000 000"),
    ],
)
def test_money_in_the_shipped_forms_has_a_sane_maximum(spec: Any, position: str, typed: str) -> None:
    outcome = at(spec, {}, position, typed, Context("nb"))
    error = outcome.replies[0]
    assert isinstance(error, Invalid) and position not in outcome.state.answers
    cause = error.error.params["cause"] if error.error.code == "table_cell" else error.error
    assert isinstance(cause, ParseError) and cause.code == "money_range"


def test_every_money_field_of_the_shipped_forms_has_a_max() -> None:
    for spec in (OPPFOLGING, DEKOM, KOMPETANSE, resolve_form("oppfolging-arsrapport")):
        for field in spec.fields:
            for money in [field, *field.columns]:
                if money.type == "money":
                    assert isinstance(money.max, int), (spec.id, money.id)


def test_a_form_that_has_no_call_yet_still_starts() -> None:
    assert isinstance(start(OPPFOLGING, State({}), Context("nb")).replies[0], Question)
    assert isinstance(review(OPPFOLGING, {}, Context("nb")), Review)
