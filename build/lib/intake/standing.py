"""Where an organisation stands in a call: the one model that the digest, App Home, `/frist status`,
the reminders, the export and the decisions read.

An org's standing is its submission's status, or `not_started` when it has none. Its progress is
the engine's own (`engine.progress`: the same `applies` and `sum_ref` the conversation uses), and its
amount the form's `amount` (`sum_ref`), counted only while the org asks for something (ASKING). A
whole call is read in one query, columns only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import and_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from intake import engine
from intake.calls import form_of
from intake.date_bounds import CallDates
from intake.replies import Status
from intake.spec import FormSpec
from intake.values import sum_ref
from models import Call, CallData, Eligibility, Organisation, Submission, SubmissionStatus


class Standing(StrEnum):
    """An org's standing in a call: not started, or its submission's status."""

    not_started = "not_started"
    draft = SubmissionStatus.draft.value
    reopened = SubmissionStatus.reopened.value  # sent in before, opened again to change it
    submitted = SubmissionStatus.submitted.value
    declined = SubmissionStatus.declined.value  # the org said it will not apply this time
    withdrawn = SubmissionStatus.withdrawn.value


# The groups hold the words, so that a submission's status (SubmissionStatus) is looked up as it is.
EDITABLE: frozenset[str] = frozenset({Standing.draft, Standing.reopened})  # started, not (or no longer) in
ASKING: frozenset[str] = frozenset({Standing.draft, Standing.reopened, Standing.submitted})  # its amount counts
IN: frozenset[str] = frozenset({Standing.submitted, Standing.reopened})  # sent in (a reopened one was before)
CLOSED: frozenset[str] = frozenset({Standing.submitted, Standing.declined, Standing.withdrawn})  # not reminded


def standing_of(status: str | None) -> Standing:
    """The standing of an org whose submission has `status` (None: it has none)."""
    return Standing(status) if status else Standing.not_started


# Norwegian alphabetical order: æ, ø, å after z (and the Swedish ä, ö with them).
_NORWEGIAN = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"})


def sort_name(name: str) -> str:
    return name.casefold().translate(_NORWEGIAN)


@dataclass(frozen=True)
class OrgRef:
    id: str
    name: str
    language: str


@dataclass(frozen=True)
class OrgStanding:
    """One eligible org in one call: where it stands, how far it has come, what it asks for."""

    org: OrgRef
    frame: int | None
    standing: Standing
    progress: Status
    amount: int | None  # the form's amount while the org asks (ASKING); else None
    submitted_at: datetime | None
    receipt_number: str | None

    @property
    def status(self) -> str:
        """The standing as a word, as templates compare it."""
        return self.standing.value

    @property
    def answered(self) -> int:
        return self.progress.answered

    @property
    def total(self) -> int:
        return self.progress.total

    @property
    def difference(self) -> int | None:
        """Asked for minus frame: positive is more than the frame."""
        if self.amount is None or self.frame is None:
            return None
        return self.amount - self.frame


class _Measure:
    """Progress and amount of many orgs on one form; an org that never started is measured once."""

    def __init__(self, call: CallData, spec: FormSpec) -> None:
        self.spec, self.dates = spec, CallDates.of(call.opens, call.deadline)
        self._unstarted: dict[tuple[str, int | None], Status] = {}

    def progress(self, answers: dict[str, Any] | None, lang: str, frame: int | None) -> Status:
        if answers is None:  # without answers no amount is over a frame, and no condition matches
            key = (lang, frame)
            if key not in self._unstarted:
                self._unstarted[key] = engine.progress(self.spec, {}, engine.Context(lang, frame, self.dates))
            return self._unstarted[key]
        return engine.progress(self.spec, answers, engine.Context(lang, frame, self.dates))

    def amount(self, answers: dict[str, Any] | None, standing: Standing) -> int | None:
        if answers is None or standing not in ASKING or not self.spec.amount:
            return None
        return sum_ref(self.spec, answers, self.spec.amount)


def _standing(measure: _Measure, row: Any) -> OrgStanding:
    org_id, name, language, frame, status, answers, submitted_at, receipt_number = row
    standing = standing_of(status)
    lang = str(language)
    return OrgStanding(
        OrgRef(org_id, name, lang),
        frame,
        standing,
        measure.progress(answers, lang, frame),
        measure.amount(answers, standing),
        submitted_at,
        receipt_number,
    )


COLUMNS = (
    col(Organisation.id),
    col(Organisation.name),
    col(Organisation.language),
    col(Eligibility.frame),
    col(Submission.status),
    col(Submission.answers),
    col(Submission.submitted_at),
    col(Submission.receipt_number),
)


def _query(call_id: str) -> Any:
    """Every org with its eligibility (frame) and its submission in the call, if any."""
    return (
        sa_select(*COLUMNS)
        .outerjoin(
            Eligibility, and_(col(Eligibility.call_id) == call_id, col(Eligibility.org_id) == col(Organisation.id))
        )
        .outerjoin(Submission, and_(col(Submission.call_id) == call_id, col(Submission.org_id) == col(Organisation.id)))
    )


def call_standings(session: Session, call: Call) -> list[OrgStanding]:
    """Every eligible org of the call, in Norwegian alphabetical order. One query."""
    measure = _Measure(call, form_of(call))
    query = _query(call.id).where(col(Eligibility.call_id).is_not(None))
    rows = [_standing(measure, row) for row in session.execute(query).all()]
    rows.sort(key=lambda row: (sort_name(row.org.name), row.org.id))
    return rows


def org_standing(session: Session, call: CallData, org_id: str) -> OrgStanding:
    """One org in one call (no frame if it is no longer eligible)."""
    row = session.execute(_query(call.id).where(col(Organisation.id) == org_id)).one()
    return _standing(_Measure(call, form_of(call, session)), row)


def org_call_standings(session: Session, org_id: str) -> list[tuple[Call, OrgStanding]]:
    """The org in every call it is eligible for, soonest deadline first. One query."""
    rows = session.execute(
        sa_select(Call, *COLUMNS)
        .join(Eligibility, col(Eligibility.call_id) == col(Call.id))
        .join(Organisation, col(Organisation.id) == col(Eligibility.org_id))
        .outerjoin(Submission, and_(col(Submission.call_id) == col(Call.id), col(Submission.org_id) == org_id))
        .where(col(Eligibility.org_id) == org_id)
        .order_by(col(Call.deadline), col(Call.id))
    ).all()
    found = []
    for row in rows:
        call: Call = row[0]
        found.append((call, _standing(_Measure(call, form_of(call)), row[1:])))
    return found
