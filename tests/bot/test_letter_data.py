"""The decision letter's data from the database: the decision, its call's terms, the org's standing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from bot.letter_data import decision_letter
from bot.pdf.letter import Outcome, letter_text
from bot.settings import Settings
from models import Call, CallKind
from tests.support.decided import ASKED, decided_call
from tests.support.seed import CALL_ID

SETTINGS = Settings(
    _env_file=None,
    FRIST_LETTER_AUTHORITY="Statsforvalteren i Trøndelag",
    FRIST_LETTER_AUTHORITY_NN="Statsforvaltaren i Trøndelag",
    FRIST_LETTER_DEPARTMENT="Utdanningsavdelingen",
    FRIST_LETTER_DEPARTMENT_NN="Utdanningsavdelinga",
    FRIST_SECRETARIAT_EMAIL="sftlpost@statsforvalteren.no",
)


def test_a_bokmal_letter_carries_the_decision_the_terms_and_the_standing(session: Session) -> None:
    decisions = decided_call(session)
    letter = decision_letter(session, decisions["5052"].id or 0, SETTINGS)
    assert (letter.lang, letter.recipient.name, letter.case_number) == ("nb", "Leka kommune", "2026/8140")
    assert (letter.outcome, letter.amount, letter.asked, letter.frame) == (Outcome.partial, 100_000, ASKED, 500_000)
    assert letter.scheme == "Prøveordningen 2026" and letter.letter_date == date(2026, 4, 1)
    assert letter.conditions == ("Tiltakene skal forankres i skoleeiers plan.", "Rapporter innen juni.")
    assert letter.payment.withheld_until == "ny plan er sendt inn"
    assert letter.reporting is not None and letter.reporting.report == "proveordning-rapport-2026"
    assert letter.reporting.deadline == date(2027, 3, 1)
    assert letter.appeal is not None and letter.appeal.appeal_body == "Utdanningsdirektoratet"
    assert letter.contact.name == "Utdanningsavdelingen" and letter.contact.email == "sftlpost@statsforvalteren.no"
    assert letter.their_reference == "2026/8140-5052-2" and letter.version == 1
    text = letter_text(letter)
    assert "Ubrukte midler meldes i rapporten." in text and "betales tilbake" not in text


def test_a_nynorsk_letter_is_in_nynorsk_and_names_a_loaded_report_call_by_its_title(session: Session) -> None:
    decisions = decided_call(session)
    call = session.get(Call, CALL_ID)
    assert call is not None
    report = Call(
        id="proveordning-rapport-2026",
        title={"nb": "Rapport", "nn": "Rapport for prøveordninga"},
        kind=CallKind.report,
        form_ref=call.form_ref,
        form=call.form,
        case_number=call.case_number,
        opens=call.opens,
        deadline=call.deadline,
        created_at=call.created_at,
        updated_at=call.updated_at,
    )
    session.add(report)
    session.commit()
    letter = decision_letter(session, decisions["5020"].id or 0, SETTINGS)
    assert (letter.lang, letter.sender.authority, letter.contact.name) == (
        "nn",
        "Statsforvaltaren i Trøndelag",
        "Utdanningsavdelinga",
    )
    assert letter.scheme == "Prøveordninga 2026" and letter.amount == ASKED and letter.payment.withheld_until is None
    assert letter.conditions == ("Tiltaka skal forankrast i planen til skuleeigaren.",)
    assert letter.appeal is not None and letter.appeal.appeal_body == "Klagenemnda for tilskot"
    assert letter.reporting is not None and letter.reporting.report == "Rapport for prøveordninga"
    assert "Ubrukte midlar skal meldast i rapporten." in letter_text(letter)


@pytest.mark.parametrize(
    ("kinds", "appeal"), [([], None), (["kommune"], "Klagenemnda")], ids=["no-enkeltvedtak", "appeal-setting"]
)
def test_the_appeal_only_for_an_individual_decision_and_else_to_the_setting(
    session: Session, kinds: list[str], appeal: str | None
) -> None:
    decisions = decided_call(session, {"decision": {"individual_decision_for": kinds}})
    settings = Settings(_env_file=None, FRIST_APPEAL_BODY="Klagenemnda")
    letter = decision_letter(session, decisions["5052"].id or 0, settings)
    assert (letter.appeal.appeal_body if letter.appeal else None) == appeal
    assert letter.unspent_text is None and letter.reporting is None and letter.conditions == ("Rapporter innen juni.",)
    assert ("Klagerett" in letter_text(letter)) == (appeal is not None)
