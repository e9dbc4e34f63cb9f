"""The frame and the amount asked for, shown to the contact: at the start, in the review, on the receipt.

A real database, the shipped Oppfølgingsordningen form and the bot's own templates, in nb and nn.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.messages import render_turn
from intake import usecases
from intake.spec import resolve_form
from models import Eligibility, Submission, SubmissionStatus
from tests.support.seed import CALL_ID, NOW, contact, seed

FORM = resolve_form("oppfolging-soknad").model_dump(mode="json")
# The call opens on 23.02.2026 and closes on 27.03.2026 (tests.support.seed).
ANSWERS = [
    "Vi vil styrke leseopplæringen på 1.–4. trinn.",
    "1",
    "01.04.2026",
    "Lærere på 1.–4. trinn ved to skoler.",
    "hopp over",
    "To ressurslærere, 20 % stilling hver.",
    "nei",
    "Kursrekke med NTNU; 990 000",
    "Frikjøp av ressurslærer; 300 000",
    "ferdig",
]


def seeded(session: Session) -> None:
    """The seed's call with the shipped form. Forms are cached per call id and version (`updated_at`),
    and other tests store other forms under the seed's: this version is this file's own."""
    call = seed(session, FORM)
    call.updated_at = NOW - timedelta(days=1, seconds=17)
    session.commit()


def text(turn: usecases.Turn) -> str:
    """What the contact reads; amounts keep their no-break spaces (bot.formatting), read here as spaces."""
    return "\n\n".join(render_turn(turn)).replace("\N{NO-BREAK SPACE}", " ")


def frame(session: Session, org_id: str, kroner: int) -> None:
    eligibility = session.get(Eligibility, (CALL_ID, org_id))
    assert eligibility is not None
    eligibility.frame = kroner
    session.commit()


def test_tydal_is_told_its_frame_and_cannot_send_kr_1_290_000_against_kr_150_000_unexplained(
    engine: Engine, session: Session
) -> None:
    seeded(session)
    frame(session, "5052", 150_000)
    kari = contact(session, "kari@leka.example.no")
    opened = text(usecases.open_submission(session, kari, CALL_ID, NOW))
    assert "Rammen for Leka kommune er kr 150 000." in opened
    for line in ANSWERS:
        turn = usecases.answer(session, kari, CALL_ID, line, NOW)
    asked = text(turn)
    assert "Budsjettet er over rammen. Hvorfor trenger dere mer?" in asked
    assert "_(må besvares når beløpet er over rammen)_" in asked and "valgfritt" not in asked
    for line in ["hopp over", "hopp over", "nei", "hopp over"]:
        turn = usecases.answer(session, kari, CALL_ID, line, NOW)
    shown = text(turn)
    assert "Sum: kr 1 290 000" in shown
    assert "*Beløp dere søker om: kr 1 290 000* · rammen deres: kr 150 000 (kr 1 140 000 over rammen)" in shown
    assert "(skriv `endre 9`)" in shown and "endre over_ramme" not in shown
    refused = text(usecases.answer(session, kari, CALL_ID, "send inn", NOW))
    assert "Kan ikke sende inn ennå" in refused and "kr 1 140 000 over rammen deres på kr 150 000" in refused
    assert session.exec(select(Submission)).one().status == SubmissionStatus.draft

    usecases.answer(session, kari, CALL_ID, "endre 9", NOW)
    usecases.answer(session, kari, CALL_ID, "Tre skoler er med, ikke én som i fjor.", NOW)
    receipt = text(usecases.answer(session, kari, CALL_ID, "send inn", NOW + timedelta(minutes=1)))
    assert "Kvitteringsnummer:" in receipt
    assert "*Beløp dere søker om: kr 1 290 000* · rammen deres: kr 150 000 (kr 1 140 000 over rammen)" in receipt


def test_a_nynorsk_organisation_sees_the_frame_and_the_amount_in_nynorsk(engine: Engine, session: Session) -> None:
    seeded(session)
    oda = contact(session, "oda@osen.example.no")  # Osen: nynorsk, frame kr 150 000
    opened = text(usecases.open_submission(session, oda, CALL_ID, NOW))
    assert "Ramma for Osen kommune er kr 150 000." in opened
    for line in [*ANSWERS[:7], "Kursrekke; 100 000", "ferdig", "hopp over", "nei", "hopp over"]:
        turn = usecases.answer(session, oda, CALL_ID, line, NOW)
    shown = text(turn)
    assert "*Beløp de søkjer om: kr 100 000* · ramma dykkar: kr 150 000 (kr 50 000 under ramma)" in shown
    assert "Alt er klart" in shown
    receipt = text(usecases.answer(session, oda, CALL_ID, "send inn", NOW))
    assert "*Beløp de søkjer om: kr 100 000* · ramma dykkar: kr 150 000 (kr 50 000 under ramma)" in receipt


def test_a_start_date_outside_the_calls_period_is_refused_with_the_period(engine: Engine, session: Session) -> None:
    seeded(session)
    kari = contact(session, "kari@leka.example.no")
    usecases.open_submission(session, kari, CALL_ID, NOW)
    usecases.answer(session, kari, CALL_ID, ANSWERS[0], NOW)
    usecases.answer(session, kari, CALL_ID, "1", NOW)
    refused = text(usecases.answer(session, kari, CALL_ID, "01.04.2062", NOW))
    assert "Datoen må være mellom 27.07.2025 og 27.07.2026. Sjekk særlig årstallet." in refused
    assert "oppstart" not in session.exec(select(Submission)).one().answers
