"""Issue 9, "Answers only when meant": what a contact types is stored only when it was meant as the
answer to the question on screen. Driven through the real use cases on a real database, and read
back as the contact sees it (the rendered nb text)."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.messages import render_turn
from intake import usecases
from intake.drafts import Turn
from intake.replies import Invalid, Notice, Question, Review, Status, SubmitRefused
from intake.spec import Choice
from models import Submission
from tests.support.forms import HAPPY, SAMPLE
from tests.support.seed import CALL_ID, NOW, contact, seed

# The sample form with a third matrix row, so a matrix can be walked backwards from its last row.
THREE_ROWS = copy.deepcopy(SAMPLE)
next(f for f in THREE_ROWS["fields"] if f["id"] == "nivaer")["rows"].append({"id": "ppt", "label": "PPT"})
BEFORE_MATRIX = HAPPY[:10]


@pytest.fixture
def call(session: Session):
    # Its own `updated_at`: parsed forms are cached per call id and version (intake.calls.form_of).
    return seed(session, THREE_ROWS, NOW - timedelta(seconds=3))


class Kari:
    """Kari Leka of Leka kommune typing in her DM."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.who = contact(session, "kari@leka.example.no")
        self.turn = usecases.open_submission(session, self.who, CALL_ID, NOW)

    def says(self, *lines: str) -> Turn:
        for line in lines:
            self.turn = usecases.answer(self.session, self.who, CALL_ID, line, NOW)
        return self.turn

    def sees(self) -> str:
        """What Kari reads; amounts keep their no-break spaces (bot.formatting), read here as spaces."""
        return "\n".join(render_turn(self.turn)).replace("\N{NO-BREAK SPACE}", " ")

    @property
    def question(self) -> Question:
        question = self.turn.replies[-1]
        assert isinstance(question, Question), self.turn.replies
        return question

    @property
    def row(self) -> Choice:
        """The matrix row on screen."""
        row = self.question.row
        assert row is not None, self.question
        return row


def stored(engine: Engine) -> dict:
    with Session(engine) as fresh:
        return dict(fresh.exec(select(Submission)).one().answers)


@pytest.mark.parametrize("after", ["hei", "fortsett", "Bedre leseopplæring", "ja", "hopp over", "send inn"])
def test_the_first_line_after_a_pause_resumes_and_is_never_stored(
    engine: Engine, session: Session, call, after: str
) -> None:
    kari = Kari(session)
    kari.says("Mål", "avbryt")
    assert "Skriv hva som helst når du vil fortsette" in kari.sees()
    before = stored(engine)
    turn = kari.says(after)
    assert stored(engine) == before
    notice = turn.replies[0]
    assert isinstance(notice, Notice) and notice.kind == "resumed"
    assert kari.question.field.id == "ekstern"
    assert "Velkommen tilbake" in kari.sees()
    kari.says("nei")  # the pause is over: the next line is an answer again
    assert stored(engine) == {**before, "ekstern": "nei"}


def test_a_button_clicked_after_a_pause_is_meant(engine: Engine, session: Session, call) -> None:
    kari = Kari(session)
    kari.says("Mål", "avbryt")
    usecases.answer(session, kari.who, CALL_ID, "ja", NOW, expected_position="ekstern")
    assert stored(engine)["ekstern"] == "ja"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("endre 99", "unknown_field_number"),
        ("endre xyz", "unknown_field"),
        ("Endre praksis i klasserommet", "unknown_field"),
        ("fjern", "not_a_table"),
        ("fjern 2", "not_a_table"),
        ("slett alt", "not_a_table"),
    ],
)
def test_a_failed_command_at_a_text_question_is_refused_and_not_stored(
    engine: Engine, session: Session, call, line: str, kind: str
) -> None:
    kari = Kari(session)
    turn = kari.says(line)
    assert isinstance(turn.replies[0], Notice) and turn.replies[0].kind == kind and kari.question.field.id == "mal"
    assert stored(engine) == {}
    word = line.split()[0].casefold()
    assert f"Et svar kan ikke begynne med «{word}»" in kari.sees()


def test_fjern_in_a_table_needs_a_row_that_exists(engine: Engine, session: Session, call) -> None:
    kari = Kari(session)
    kari.says(*HAPPY[:6], "Kurs; 10 000", "Bøker; 5 000")
    rows = stored(engine)["budsjett"]
    for line, kind in (("fjern", "which_row"), ("fjern 9", "no_such_row"), ("slett tre", "no_such_row")):
        turn = kari.says(line)
        assert isinstance(turn.replies[0], Notice) and turn.replies[0].kind == kind
        assert kari.question.field.id == "budsjett"
        assert stored(engine)["budsjett"] == rows
    assert "Hvilken rad vil du fjerne? Skriv `fjern` og radnummeret" in "\n".join(render_turn(kari.says("fjern")))
    assert "Det finnes ingen rad «9». Tabellen har 2 rader" in "\n".join(render_turn(kari.says("fjern 9")))
    kari.says("fjern 1")
    assert stored(engine)["budsjett"] == rows[1:]


def test_matrix_rows_walk_back_and_forth_like_questions(engine: Engine, session: Session, call) -> None:
    kari = Kari(session)
    kari.says(*BEFORE_MATRIX, "ja", "nei")
    assert (kari.row.id, kari.question.current) == ("ppt", None)
    kari.says("tilbake")
    assert (kari.row.id, kari.question.current) == ("ansatte", "nei")
    assert "Svaret nå: Nei (skriv `neste` for å beholde det)" in kari.sees()
    kari.says("neste")  # keeps row 2 and goes to row 3, not out of the matrix
    assert kari.question.field.id == "nivaer" and kari.row.id == "ppt"
    kari.says("tilbake", "tilbake", "vet ikke")  # change one row; the next row is shown with its answer
    assert (kari.row.id, kari.question.current) == ("ansatte", "nei")
    assert stored(engine)["nivaer"] == {"leder": "vet_ikke", "ansatte": "nei"}


def test_the_review_shows_each_answered_row_of_a_matrix(engine: Engine, session: Session, call) -> None:
    kari = Kari(session)
    kari.says(*BEFORE_MATRIX, "ja", "nei", "se over")
    assert isinstance(kari.turn.replies[-1], Review)
    text = kari.sees()
    assert "9. Nivåer:\n    Leder: Ja\n    Ansatte: Nei\n    PPT: _ikke besvart_" in text


def test_status_reports_answered_skipped_and_missing_apart(session: Session, call) -> None:
    kari = Kari(session)
    kari.says("Mål", "nei", "1.9.2027", "hopp over", "status")
    status = kari.turn.replies[0]
    assert isinstance(status, Status)
    assert (status.filled, status.skipped, len(status.missing)) == (3, 1, 5)
    assert kari.sees().startswith(
        "Du har besvart 3 av 9 spørsmål og hoppet over 1. Påkrevd og ikke besvart (5): «Nivå», "
    )


def test_a_refused_send_inn_lists_the_problems_once(session: Session, call) -> None:
    kari = Kari(session)
    kari.says("se over", "send inn")
    assert isinstance(kari.turn.replies[0], SubmitRefused) and len(kari.turn.replies) == 1
    assert kari.sees().count("«Mål og tiltak» er ikke besvart.") == 1
    kari.says("endre 1", "send inn")  # at a question: the problems, then the question again
    assert kari.sees().count("«Mål og tiltak» er ikke besvart.") == 1 and kari.question.field.id == "mal"


def test_natural_answers_are_understood(engine: Engine, session: Session, call) -> None:
    kari = Kari(session)
    turn = kari.says("Mål", "Ja, vi samarbeider med NTNU om kursene.")
    assert stored(engine)["ekstern"] == "ja"
    dropped = turn.replies[0]
    assert isinstance(dropped, Notice) and dropped.kind == "yesno_rest_dropped"
    assert "Jeg lagret svaret «Ja». Resten av meldingen («vi samarbeider med NTNU om kursene») ble ikke lagret" in (
        kari.sees()
    )
    assert kari.question.field.id == "partner"
    kari.says("NTNU", "1.9.2027", "ca. 15")
    assert stored(engine)["deltakere"] == 15


@pytest.mark.parametrize(
    ("prefix", "line", "code"),
    [
        (HAPPY[:9], "5-", "money_dash"),
        (HAPPY[:9], "kr 100 000 000 000 000 000 000 000 000 000 mill", "money_range"),  # kr 10^35
        (HAPPY[:9], "kr 100 000 000 000", "money_range"),
        (HAPPY[:4], "-1", "choice"),
        (HAPPY[:1], "ja?", "answer_is_question"),
        (HAPPY[:2], "1.1.99", "date_two_digit_year"),
        (HAPPY[:2], "1.1.0001", "date_year_range"),
        (BEFORE_MATRIX, "ja?", "answer_is_question"),
    ],
)
def test_what_is_ambiguous_is_refused_with_why(
    engine: Engine, session: Session, call, prefix: list[str], line: str, code: str
) -> None:
    kari = Kari(session)
    kari.says(*prefix)
    before, asked = stored(engine), kari.question.field.id
    turn = kari.says(line)
    invalid = turn.replies[0]
    assert isinstance(invalid, Invalid) and invalid.error.code == code
    assert stored(engine) == before and kari.question.field.id == asked


def test_every_money_field_has_a_ceiling(session: Session, call) -> None:
    kari = Kari(session)
    kari.says(*HAPPY[:9], "kr 100 000 001")
    assert "Beløpet kan være høyst kr 100 000 000." in kari.sees()
    kari.says("kr 100 000 000")
    assert kari.question.field.id == "nivaer"
