"""Seed 002's Kompetanseløftet 2025 in Trøndelag, as the demo call holds it: the eleven networks
with their frames incl. coordination, what each reported (meldt behov) and its coordination, and
the forum's recommendation table of 12 March 2025."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from intake.demo import load_demo
from models import CallKind, Contact, Submission, SubmissionStatus

CALL = "kompetanseloftet-2025"
# org id: (frame incl. coordination, reported need, coordination) — seed 002, "Forhåndsramme inkl.
# koordinering / Meldt behov" and the budget slide's coordination column.
NETWORKS: dict[str, tuple[int, int, int]] = {
    "nett-innherred": (754_521, 754_521, 100_000),
    "nett-levanger-verdal": (806_583, 806_583, 100_000),
    "nett-midtre-namdal": (580_367, 580_367, 100_000),
    "nett-ytre-namdal": (449_418, 349_418, 100_000),  # lower than its frame
    "nett-gauldal": (861_904, 861_904, 100_000),
    "nett-varnes": (793_881, 630_000, 100_000),  # lower than its frame
    "nett-trondelag-sorvest": (937_783, 937_783, 100_000),
    "nett-trondheim-malvik": (3_533_145, 3_533_145, 300_000),
    "nett-vgs": (1_660_135, 1_660_135, 100_000),
    "nett-indre-namdal": (379_221, 380_000, 100_000),  # a little higher than its frame
    "nett-fosen": (643_042, 643_042, 100_000),
}
# The forum's table (seed 002, "Innstilling / Kommentarer i kriteriearket"), as the secretariat types it.
FORUM_TABLE = (
    "org_id,outcome,amount,comment,withhold\n"
    "nett-innherred,innstilt,754 521,Plan for bruk av restmidler,\n"
    "nett-levanger-verdal,full,kr 806 583,Fordeling mellom UH og nettverk må ses i sammenheng med Dekom,\n"
    "nett-midtre-namdal,full,580 367,Plan for bruk av restmidler,\n"
    "nett-ytre-namdal,full,449 418,Gruppa innstiller på at nettverket får fylt opp ramme. Se"
    " merknader i kriteriearket.,\n"
    'nett-gauldal,full,861 904,"Litt uavklart mtp vekting mellom UH og nettverk. Se kriterieark.'
    ' Plan for bruk av restmidler.",\n'
    "nett-varnes,full,793 881,UH har ikke vært involvert i prosessen siden 2023. Nettverket har"
    " ikke plan for bruken av restmidler.,Værnes går i dialog med SF og UH\n"
    "nett-trondelag-sorvest,full,937 783,Plan for bruk av restmidler.,\n"
    'nett-trondheim-malvik,full,"3 533 145,-",Plan for bruk av restmidler.,\n'
    "nett-vgs,full,1 660 135,Plan for bruk av restmidler.,\n"
    "nett-indre-namdal,delvis,379 221,Plan for bruk av restmidler.,\n"
    "nett-fosen,full,643 042,Plan for bruk av restmidler.,\n"
)


def answers(need: int, coordination: int) -> dict[str, Any]:
    """A network's complete answers whose reported need (the form's sum) is `need`."""
    network = (need - coordination) // 3
    text = "Barnehage, skole og PPT i alle eierne."
    return {
        "tiltak": [
            {"tiltak": "Inkluderende praksis", "kostnad_nettverk": network, "kostnad_uh": need - coordination - network}
        ],
        "koordinering": coordination,
        "meldt_behov": need,
        "forklaring_ramme": "Flere barnehager er med enn ventet.",
        "prioriterte": text,
        "forankring": text,
        "prioritering_behov": text,
        "langsiktig_plan": "ja",
        "metodikk": text,
        "tegn_pa_virkning": text,
        "partnerskap_uh": "ja",
        "partnerskap_beskrivelse": text,
        "fordeling": text,
        "har_restmidler": "nei",
    }


def seed_kompetanse(session: Session, now: datetime) -> None:
    """The demo data, and every network's need sent in. Commits."""
    load_demo(session, now)
    for org_id, (_frame, need, coordination) in NETWORKS.items():
        contact = session.exec(select(Contact).where(Contact.org_id == org_id)).first()
        assert contact is not None and contact.id is not None
        session.add(
            Submission(
                call_id=CALL,
                org_id=org_id,
                kind=CallKind.application,
                status=SubmissionStatus.submitted,
                answers=answers(need, coordination),
                revision=1,
                started_by=contact.id,
                submitted_by=contact.id,
                submitted_at=now,
                received_at=now,
                created_at=now,
                updated_at=now,
            )
        )
    session.commit()
