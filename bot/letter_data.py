"""The decision letter of one decision version, as data (`DecisionLetter`), from what the database
holds: the Decision row, its call and the call's decision terms, the organisation and where it stands
in the call (its frame and what it asked, `intake.standing.org_standing`), and the letter settings.

Everything is in the organisation's language form. The PDF is dated by the decision, not by when it
is rendered, so the copy a contact gets, a retry's copy and the archive's copy are the same file.
The contact person is the secretariat (the letter department, else the authority) with
FRIST_SECRETARIAT_EMAIL.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.pdf.letter import (
    Appeal,
    ContactPerson,
    DecisionLetter,
    Outcome,
    Payment,
    Reason,
    Recipient,
    ReportingDuty,
    letter_pdf,
    letter_sender,
)
from bot.settings import Settings
from intake.actors import call_or_fail
from intake.call_terms import terms_of
from intake.decide import first_decision
from intake.import_errors import NotFound
from intake.recommendation_table import latest_decisions
from intake.standing import org_standing
from models import Call, Decision, Organisation, Recommendation
from models.clock import OSLO, fixed_clock


def _title(call: Call, lang: str) -> str:
    return call.title.get(lang) or next(iter(call.title.values()), call.id)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def decision_letter(session: Session, decision_id: int, settings: Settings) -> DecisionLetter:
    """The letter of decision `decision_id`; LookupError when it, its call or its org is gone."""
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise LookupError(f"there is no decision {decision_id}")
    return letter_of(session, decision, settings)


def letter_of(session: Session, decision: Decision, settings: Settings, draft: bool = False) -> DecisionLetter:
    """The letter `decision` gives (a stored one, or a draft's that is in no session)."""
    call = session.get(Call, decision.call_id)
    org = session.get(Organisation, decision.org_id)
    if call is None or org is None:
        raise LookupError(f"decision {decision.id}: its call {decision.call_id} or org {decision.org_id} is gone")
    lang = str(org.language)
    call_terms = terms_of(call)
    terms = call_terms.decision
    labels = {criterion.id: f"{criterion.id}) {criterion.label(lang)}" for criterion in call_terms.criteria}
    standing = org_standing(session, call, org.id)
    sender = letter_sender(settings, lang)
    reporting = None
    if terms.report is not None:
        report_call = session.get(Call, terms.report.call)
        report = _title(report_call, lang) if report_call is not None else terms.report.call
        reporting = ReportingDuty(report, terms.report.due)
    appeal = None
    if decision.individual:
        appeal = Appeal(terms.appeal_to(lang) if terms.appeal_to else settings.appeal_body)
    return DecisionLetter(
        lang=lang,
        sender=sender,
        recipient=Recipient(org.name, org.id),
        case_number=call.case_number,
        letter_date=decision.decided_at.astimezone(OSLO).date(),
        scheme=_title(call, lang),
        outcome=Outcome(decision.outcome),
        amount=decision.amount,
        contact=ContactPerson(sender.department or sender.authority, settings.secretariat_email),
        asked=standing.amount,
        frame=standing.frame,
        their_reference=standing.receipt_number,
        comment=decision.comment or None,
        reasons=tuple(
            Reason(labels.get(str(given["criterion"]), str(given["criterion"])), str(given["text"]))
            for given in decision.reasons
        ),
        conditions=tuple(condition(lang) for condition in terms.conditions) + tuple(_lines(decision.conditions)),
        payment=Payment(withheld_until=decision.withhold or None),
        reporting=reporting,
        unspent_text=terms.unspent(lang) if terms.unspent else None,
        appeal=appeal,
        version=decision.version,
        draft=draft,
    )


def decision_letter_pdf(session: Session, decision_id: int, settings: Settings) -> tuple[DecisionLetter, bytes]:
    """The letter and its PDF/A file, made as of the decision's time."""
    letter = decision_letter(session, decision_id, settings)
    decision = session.get(Decision, decision_id)
    assert decision is not None
    return letter, letter_pdf(letter, fixed_clock(decision.decided_at))


def draft_letter_pdf(
    session: Session, call_id: str, org_id: str, settings: Settings, now: datetime
) -> tuple[DecisionLetter, bytes]:
    """The letter the org's recommendation would give if the call were decided at `now`, marked as a
    draft, so the secretariat can read it before deciding. NotFound without a recommendation, and
    once the call is decided (its letters are then the decisions')."""
    call = call_or_fail(session, call_id)
    if latest_decisions(session, call_id):
        raise NotFound(f"{call_id} is decided: its letters are in `frist archive export`")
    recommendation = session.get(Recommendation, (call_id, org_id))
    org = session.get(Organisation, org_id)
    if recommendation is None or org is None:
        raise NotFound(f"{org_id} has no recommendation in {call_id} (see `frist recommendation {call_id}`)")
    decision = first_decision(recommendation, terms_of(call).individual_decision(org.kind), "draft", now)
    letter = letter_of(session, decision, settings, draft=True)
    return letter, letter_pdf(letter, fixed_clock(now))
