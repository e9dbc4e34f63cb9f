"""The call benchmarks/letters_queued.py decides: the demo's Kompetanseløftet 2025 (its decision terms,
an appeal for private owners) and `count` more eligible orgs, all sent in and recommended.

Networks and private owners (every fifth), a third in nynorsk; one contact each on Slack, and every
fourth org a colleague the notifier finds by e-mail. Frames and needs as in benchmarks/letters.py, so
the quick default (`apply_default`) gives full and partial; `recommend` then sets the exceptions: a
rejection for every fourth; for every other a comment, conditions and one to three criterion comments
as reasons; a withheld payment for every seventh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from intake.actors import CLI
from intake.demo import load_demo
from intake.recommend import GivenReason, Proposal, apply_default, recommend
from models import Contact, Eligibility, Language, Organisation, OrgKind, Outcome, SubmissionStatus
from tests.support.kompetanse import CALL, answers
from tests.support.seed import add_submission

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
SUBMITTED = SubmissionStatus.submitted
COMMENT = "Søknaden er godt forankret i nettverkets behov, og samarbeidet med UH er tydelig beskrevet."


@dataclass
class Seeded:
    users: dict[str, list[str]] = field(default_factory=dict)  # org id -> its contacts' Slack users
    emails: dict[str, str] = field(default_factory=dict)  # for users.lookupByEmail at the fake
    private: int = 0


def seed(engine: Engine, count: int) -> Seeded:
    """The demo data, `count` orgs sent in and recommended."""
    seeded = Seeded()
    users, emails = seeded.users, seeded.emails
    with Session(engine) as session:
        load_demo(session, NOW)
        session.commit()
        for i in range(count):
            org_id, private = f"L{i:04d}", i % 5 == 0
            name = f"Barnehageeier {i} AS" if private else f"Kompetansenettverk nr. {i} i Trøndelag"
            language = Language.nn if i % 3 == 0 else Language.nb
            kind = OrgKind.privat if private else OrgKind.nettverk
            seeded.private += private
            session.add(Organisation(id=org_id, name=name, kind=kind, language=language))
        session.flush()
        for i in range(count):
            org_id = f"L{i:04d}"
            users[org_id] = [f"U0L{i:04d}A"]
            first = Contact(org_id=org_id, name=f"Kontakt Ødegård {i}", email=f"a@l{i}.example.no")
            first.slack_user_id = users[org_id][0]
            session.add(first)
            if i % 4 == 1:  # a colleague the notifier finds by e-mail
                users[org_id].append(emails.setdefault(f"b@l{i}.example.no", f"U0L{i:04d}B"))
                session.add(Contact(org_id=org_id, name=f"Kollega Ås {i}", email=f"b@l{i}.example.no"))
            session.add(Eligibility(call_id=CALL, org_id=org_id, frame=frame(i)))
        session.commit()
        for i in range(count):
            send_in(session, f"L{i:04d}", i)
        apply_default(session, CLI, CALL, NOW)
        for i in range(count):
            proposal = exception(i)
            if proposal is not None:
                recommend(session, CLI, CALL, f"L{i:04d}", proposal, NOW)
    return seeded


def frame(i: int) -> int:
    return 600_000 + 7_919 * i


def need(i: int) -> int:
    return frame(i) + (i * 104_729) % 200_000 - 100_000


def send_in(session: Session, org_id: str, i: int) -> None:
    """What the org sent in, stored as the tests store it (the conversation is not what is measured)."""
    by = session.exec(select(Contact).where(Contact.org_id == org_id)).first()
    assert by is not None
    columns: dict[str, Any] = {"submitted_by": by.id, "submitted_at": NOW, "received_at": NOW, "revision": 1}
    columns["receipt_number"] = f"2025/1234-{org_id}-1"
    add_submission(session, org_id, SUBMITTED, answers(need(i), 100_000), by=by, call_id=CALL, **columns)


def exception(i: int) -> Proposal | None:
    """Where the secretariat changes the default: a rejection, conditions, a withheld payment."""
    amount = min(need(i), frame(i))
    outcome = Outcome.partial if need(i) > frame(i) else Outcome.full
    if i % 4 == 3:
        return Proposal(Outcome.rejected, 0, "Søknaden oppfyller ikke kriteriene for ordningen.")
    withhold = "nettverket har hatt dialog med SF og UH" if i % 7 == 0 else None
    if i % 2 or withhold:
        conditions = "Samarbeidet med UH skal fortsette.\nRapporter innen juni." if i % 2 else ""
        reasons = tuple(GivenReason(criterion, COMMENT) for criterion in "abc"[: 1 + i % 3])
        return Proposal(outcome, amount, COMMENT, conditions, withhold, reasons)
    return None
