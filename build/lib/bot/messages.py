"""Turning what a use case returned into text, with the templates."""

from __future__ import annotations

from sqlmodel import Session

from bot.render import render
from intake.usecases import IntakeRefusal, Turn
from models import ContactData, Organisation


def render_turn(turn: Turn, flavour: str = "plain") -> list[str]:
    """One rendered text per reply, in the org's language form."""
    return [
        render(
            turn.lang,
            reply.template,
            flavour,
            reply=reply,
            form=turn.form,
            call=turn.call,
            org=turn.org,
            contact=turn.contact,
        )
        for reply in turn.replies
    ]


def render_refusal(refusal: IntakeRefusal, lang: str, flavour: str = "plain") -> str:
    return render(lang, "refusal", flavour, refusal=refusal)


def refusal_to(session: Session, contact: ContactData, refusal: IntakeRefusal, flavour: str = "plain") -> str:
    """The refusal in the contact's org's language form."""
    org = session.get(Organisation, contact.org_id)
    return render_refusal(refusal, org.language if org else "nb", flavour)
