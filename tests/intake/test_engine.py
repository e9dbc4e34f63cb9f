"""The conversation engine, driven line by line as a contact would type."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.engine import REVIEW, Context, Outcome, State, find_field, start, step
from intake.replies import Invalid, Notice, Question, Review, RuleBroken, Status, SubmitRefused
from intake.values import applicable_fields
from tests.support.forms import COMMANDS, HAPPY, sample_form

FORM = sample_form()
CONTEXT = Context(lang="nb", frame=500_000)


def talk(lines: list[str], state: State | None = None, context: Context = CONTEXT) -> Outcome:
    outcome = start(FORM, state or State({}), context)
    for line in lines:
        outcome = step(FORM, outcome.state, line, context)
    return outcome


def asked(outcome: Outcome) -> str:
    question = outcome.replies[-1]
    assert isinstance(question, Question), outcome.replies
    return question.field.id


def test_a_whole_form_ends_at_a_review_that_can_be_submitted() -> None:
    outcome = talk(HAPPY)
    assert outcome.state.position == REVIEW
    review = outcome.replies[-1]
    assert isinstance(review, Review) and review.can_submit
    answers = outcome.state.answers
    assert answers["start"] == "2027-08-28"
    assert answers["niva"] == "barnehage"
    assert answers["malgrupper"] == ["ledere", "ppt"]
    assert answers["budsjett"] == [
        {"post": "Frikjøp av ressurslærer", "belop": 120_000},
        {"post": "Kurs med UH", "belop": 80_000},
    ]
    assert answers["nivaer"] == {"leder": "ja", "ansatte": "vet_ikke"}
    assert "partner" not in answers
    submitted = step(FORM, outcome.state, "send inn", CONTEXT)
    assert submitted.action == "submit"


def test_a_conditional_field_is_asked_only_when_its_condition_holds() -> None:
    assert asked(talk(["Mål", "nei"])) == "start"
    outcome = talk(["Mål", "ja"])
    assert asked(outcome) == "partner"
    outcome = talk(["Mål", "ja", "NTNU", "tilbake", "tilbake", "nei"])
    assert asked(outcome) == "start"
    review = talk(["endre ekstern"], outcome.state)
    shown = step(FORM, review.state, "se over", CONTEXT).replies[-1]
    assert isinstance(shown, Review) and all(item.field.id != "partner" for item in shown.items)


def test_bad_input_gets_a_clear_error_and_the_same_question_and_keeps_earlier_answers() -> None:
    before = talk(["Mål", "nei"])
    outcome = step(FORM, before.state, "neste fredag kanskje", CONTEXT)
    assert isinstance(outcome.replies[0], Invalid)
    assert outcome.replies[0].error.code.startswith("date")
    assert asked(outcome) == "start"
    assert outcome.state == before.state


def test_a_forbidden_budget_line_is_refused_with_the_rule_and_the_line() -> None:
    outcome = talk(HAPPY[:6] + ["Studietur til Danmark; 40 000"])
    refused = outcome.replies[0]
    assert isinstance(refused, RuleBroken)
    problem = refused.problems[0]
    assert problem.data["term"] == "studietur" and problem.data["row"] == 1
    assert "budsjett" not in outcome.state.answers


def test_too_little_own_financing_blocks_submission_with_the_numbers() -> None:
    lines = HAPPY[:9] + ["50 000", "ja", "nei"]
    outcome = talk(lines)
    review = outcome.replies[-1]
    assert isinstance(review, Review) and not review.can_submit
    (problem,) = review.problems
    assert problem.kind == "min_ratio"
    assert problem.data == {
        "own": 50_000,
        "base": 200_000,
        "needed": 60_000,
        "percent": 30.0,
        "of": FORM.field("budsjett"),
    }
    refused = step(FORM, outcome.state, "send inn", CONTEXT)
    assert refused.action is None and isinstance(refused.replies[0], SubmitRefused)


def test_the_explanation_is_asked_only_when_the_amount_exceeds_the_frame() -> None:
    assert talk(HAPPY, context=Context("nb", frame=200_000)).state.position == REVIEW
    over = Context("nb", frame=150_000)
    outcome = talk(HAPPY, context=over)
    assert asked(outcome) == "forklaring"
    skipped = step(FORM, outcome.state, "hopp over", over)
    assert isinstance(skipped.replies[-1], Review)
    problems = skipped.replies[-1].problems
    assert [p.kind for p in problems] == ["max_of_frame"]
    assert problems[0].data["over"] == 50_000
    explained = talk(["endre forklaring", "Vi har to skoler ekstra i år"], skipped.state, over)
    assert isinstance(explained.replies[-1], Review) and explained.replies[-1].can_submit


def test_back_skip_keep_status_help_and_pause() -> None:
    outcome = talk(["Mål", "nei", "1.9.2027"])
    assert asked(outcome) == "deltakere"
    skipped = step(FORM, outcome.state, "hopp over", CONTEXT)
    assert skipped.state.answers["deltakere"] is None and asked(skipped) == "niva"
    back = step(FORM, skipped.state, "tilbake", CONTEXT)
    assert asked(back) == "deltakere"
    kept = step(FORM, talk(["attende"], back.state).state, "neste", CONTEXT)
    assert asked(kept) == "deltakere"
    cannot = step(FORM, State({}, "mal"), "hopp over", CONTEXT)
    assert isinstance(cannot.replies[0], Notice) and cannot.replies[0].kind == "cannot_skip"
    assert step(FORM, outcome.state, "avbryt", CONTEXT).action == "pause"
    assert step(FORM, outcome.state, "hjelp", CONTEXT).replies[0].template == "help"
    status = step(FORM, outcome.state, "status", CONTEXT).replies[0]
    assert isinstance(status, Status) and (status.answered, status.total) == (3, 9)


def test_table_rows_can_be_removed_and_a_required_table_needs_a_row() -> None:
    at_table = talk(HAPPY[:6])
    assert asked(at_table) == "budsjett"
    empty = step(FORM, at_table.state, "ferdig", CONTEXT)
    assert isinstance(empty.replies[0], Notice) and empty.replies[0].kind == "table_needs_rows"
    added = talk(["Kurs; 10 000", "Bøker; 5 000", "fjern 1"], at_table.state)
    assert added.state.answers["budsjett"] == [{"post": "Bøker", "belop": 5000}]
    wrong = step(FORM, added.state, "Bøker 5 000", CONTEXT)
    assert isinstance(wrong.replies[0], Invalid) and wrong.replies[0].error.code == "table_columns"
    bad_money = step(FORM, added.state, "Bøker; fem tusen", CONTEXT)
    assert isinstance(bad_money.replies[0], Invalid) and bad_money.replies[0].error.code == "table_cell"


def test_a_matrix_is_asked_row_by_row_and_back_steps_one_row() -> None:
    at_matrix = talk(HAPPY[:10])
    question = at_matrix.replies[-1]
    assert isinstance(question, Question) and question.row is not None
    assert question.field.id == "nivaer" and question.row.id == "leder"
    one = step(FORM, at_matrix.state, "1", CONTEXT)
    next_row = one.replies[-1]
    assert isinstance(next_row, Question) and next_row.row is not None and next_row.row.id == "ansatte"
    back = step(FORM, one.state, "tilbake", CONTEXT).replies[-1]
    assert isinstance(back, Question) and back.row is not None
    assert back.row.id == "leder" and back.current == "ja"


def test_edit_jumps_to_a_field_by_number_id_or_label_and_returns_to_the_review() -> None:
    done = talk(HAPPY)
    by_number = step(FORM, done.state, "endre 4", CONTEXT)
    assert asked(by_number) == "deltakere"
    changed = step(FORM, by_number.state, "30", CONTEXT)
    assert changed.state.position == REVIEW and changed.state.answers["deltakere"] == 30
    assert asked(step(FORM, done.state, "endre egenfin", CONTEXT)) == "egen"
    unknown = step(FORM, done.state, "endre xyz", CONTEXT)
    assert isinstance(unknown.replies[0], Notice)
    assert unknown.replies[0].kind == "unknown_field"


@pytest.mark.parametrize("name", ["²", "①", "٣", "½", "0", "99"])
def test_find_field_finds_no_field_for_a_number_that_is_not_one_of_them(name: str) -> None:
    assert find_field(FORM, talk(HAPPY).state.answers, name, CONTEXT.frame) is None


def test_find_field_takes_a_number_in_plain_digits() -> None:
    assert find_field(FORM, {}, " 2 ", CONTEXT.frame) == FORM.field("ekstern")


@pytest.mark.parametrize("line", ["endre ²", "endre ①", "endre 99", "endre 0"])
def test_edit_with_a_number_that_is_no_question_says_which_numbers_there_are(line: str) -> None:
    for state in (talk(HAPPY).state, talk([]).state):  # at the review, and at a text question
        outcome = step(FORM, state, line, CONTEXT)
        notice = outcome.replies[0]
        assert isinstance(notice, Notice) and notice.kind == "unknown_field_number"
        count = len(applicable_fields(FORM, state.answers, CONTEXT.frame))
        assert notice.data["name"] == line.split()[1] and notice.data["count"] == count
        assert outcome.state == state  # nothing stored: `endre 99` is not an answer to a text question


def test_remove_with_a_number_that_is_no_row_says_so() -> None:
    at_table = talk(HAPPY[:6] + ["Kurs; 10 000"])
    for line in ("fjern ²", "fjern ١", "fjern 2"):
        outcome = step(FORM, at_table.state, line, CONTEXT)
        assert isinstance(outcome.replies[0], Notice)
        assert outcome.replies[0].kind == "no_such_row" and outcome.state == at_table.state


@pytest.mark.parametrize("line", ["endre 99", "endre xyz", "Endre praksis", "fjern", "fjern 2", "slett xyz"])
def test_a_line_starting_with_a_reserved_word_is_never_a_text_answer(line: str) -> None:
    at_text = talk([])
    outcome = step(FORM, at_text.state, line, CONTEXT)
    notice = outcome.replies[0]
    assert isinstance(notice, Notice) and notice.data["reserved"] == line.split()[0].casefold()
    assert outcome.state == at_text.state and asked(outcome) == "mal"


def test_text_at_the_review_gets_a_hint() -> None:
    done = talk(HAPPY)
    outcome = step(FORM, done.state, "hei", CONTEXT)
    assert isinstance(outcome.replies[0], Notice)
    assert outcome.replies[0].kind == "review_hint" and outcome.state == done.state


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(HAPPY + COMMANDS + ["send inn"]),
        ),
        max_size=25,
    )
)
def test_any_input_gives_a_reply_and_never_loses_an_answer(lines: list[str]) -> None:
    """Whatever is typed: a reply every time, and an answer only ever changes at its own question."""
    outcome = start(FORM, State({}), CONTEXT)
    for line in lines:
        before: dict[str, Any] = outcome.state.answers
        position = outcome.state.position
        outcome = step(FORM, outcome.state, line, CONTEXT)
        assert outcome.replies or outcome.action == "submit"
        for key, value in before.items():
            if outcome.state.answers.get(key) != value:
                assert position is not None and position.partition("#")[0] == key
