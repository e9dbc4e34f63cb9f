"""A call's answers, one entry per eligible org: what both exports (CSV for machines, XLSX for
people, bot/export_xlsx.py) are made from.

Orgs that never started are there too (status `not_started`), so the sheet doubles as a checklist.
An org that has a submission but is no longer eligible (the call was reloaded) is kept at the end.
Only the answers to questions the org was asked are kept: a stale answer to a question that no
longer applies (its `when` no longer holds) is left out. Answers stored under a field the form no
longer has (the call was reloaded with `--allow-hidden-answers`) are kept apart, in `hidden`, and
both exports show them after the form's own columns: a reload never makes an answer disappear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from intake.calls import form_of
from intake.import_errors import NotFound
from intake.spec import FormSpec
from intake.standing import Standing
from intake.values import applies, has_value, sum_ref
from models import Call, Contact, Eligibility, Organisation, Submission


@dataclass(frozen=True)
class OrgEntry:
    """One org's row: who, where it stands, and its answers (only those it was asked, not empty)."""

    org_id: str
    org_name: str
    status: str
    frame: int | None
    amount: int | None
    submitted_at: datetime | None  # aware, as stored
    submitted_by: str  # the e-mail address of the contact who sent it in
    receipt_number: str
    answers: dict[str, Any]
    hidden: dict[str, Any] = field(default_factory=dict)  # answers to fields the form no longer has


@dataclass(frozen=True)
class CallExport:
    call: Call
    spec: FormSpec
    entries: list[OrgEntry]

    @property
    def hidden_ids(self) -> list[str]:
        """The ids of the fields no longer in the form that some org has an answer to, sorted."""
        return sorted({key for entry in self.entries for key in entry.hidden})


def call_export(session: Session, call_id: str) -> CallExport:
    """Every eligible org of the call, ordered by org id, then those no longer eligible that answered."""
    call = session.get(Call, call_id)
    if call is None:
        known = ", ".join(session.exec(select(Call.id).order_by(col(Call.id)))) or "none"
        raise NotFound(f"no call {call_id!r} (known calls: {known})")
    spec = form_of(call)
    frames = {row.org_id: row.frame for row in session.exec(select(Eligibility).where(Eligibility.call_id == call_id))}
    submissions = {sub.org_id: sub for sub in session.exec(select(Submission).where(Submission.call_id == call_id))}
    org_ids = sorted(frames) + sorted(set(submissions) - set(frames))
    orgs = {org.id: org for org in session.exec(select(Organisation).where(col(Organisation.id).in_(org_ids)))}
    contact_ids = {sub.submitted_by for sub in submissions.values() if sub.submitted_by is not None}
    emails = dict(session.exec(select(Contact.id, Contact.email).where(col(Contact.id).in_(contact_ids))).all())
    field_ids = set(spec.fields_by_id)
    entries = []
    for org_id in org_ids:
        org, sub, frame = orgs.get(org_id), submissions.get(org_id), frames.get(org_id)
        name = org.name if org else ""
        if sub is None:
            entries.append(OrgEntry(org_id, name, Standing.not_started, frame, None, None, "", "", {}))
            continue
        stored = sub.answers or {}
        answers = {
            question.id: stored[question.id]
            for question in spec.fields
            if has_value(stored.get(question.id)) and applies(spec, question, stored, frame)
        }
        hidden = _hidden(spec, stored, field_ids)
        entries.append(
            OrgEntry(
                org_id,
                name,
                str(sub.status),
                frame,
                sum_ref(spec, stored, spec.amount) if spec.amount else None,
                sub.submitted_at,
                emails.get(sub.submitted_by or -1, ""),
                sub.receipt_number or "",
                answers,
                hidden,
            )
        )
    return CallExport(call, spec, entries)


def _hidden(spec: FormSpec, stored: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """What a reload left without a question: answers to dropped fields (by id), to dropped matrix
    rows (`field.row`), and table cells of dropped columns (`field.column`: one value per table row)."""
    hidden = {key: value for key, value in stored.items() if key not in known and has_value(value)}
    for question in spec.fields:
        value = stored.get(question.id)
        if question.type == "matrix" and isinstance(value, dict):
            rows = {row.id for row in question.rows}
            hidden |= {
                f"{question.id}.{key}": cell for key, cell in value.items() if key not in rows and has_value(cell)
            }
        elif question.type == "table" and isinstance(value, list):
            columns = {column.id for column in question.columns}
            table = [row for row in value if isinstance(row, dict)]
            for key in sorted({key for row in table for key in row} - columns):
                cells = [row.get(key) for row in table]
                if any(has_value(cell) for cell in cells):
                    hidden[f"{question.id}.{key}"] = cells
    return hidden
