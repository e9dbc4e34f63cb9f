"""A call's submissions as a table: one row per eligible org, for the secretariat's spreadsheet.

Orgs that never started are there too (status `not_started`), so the sheet doubles as a checklist.
An org that has a submission but is no longer eligible (the call was reloaded) is kept at the end.
"""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from sqlmodel import Session, col, select

from intake.calls import form_of
from intake.import_errors import NotFound
from intake.spec import FormField
from intake.values import applies, sum_ref
from models import Call, Contact, Eligibility, Organisation, Submission
from models.clock import OSLO

NOT_STARTED = "not_started"
FIXED_COLUMNS = [
    "org_id",
    "org_name",
    "status",
    "frame",
    "amount",
    "submitted_at",
    "submitted_by",
    "receipt_number",
]
Cell = str | int


def export_rows(session: Session, call_id: str) -> tuple[list[str], list[list[Cell]]]:
    """The header and the rows, ordered by org id; empty cells are ""."""
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
    header = FIXED_COLUMNS + [field.id for field in spec.fields]
    rows: list[list[Cell]] = []
    for org_id in org_ids:
        org, sub = orgs.get(org_id), submissions.get(org_id)
        row: list[Cell] = [org_id, org.name if org else "", str(sub.status) if sub else NOT_STARTED]
        row.append(_blank(frames.get(org_id)))
        if sub is None:
            rows.append(row + [""] * (len(header) - len(row)))
            continue
        answers = sub.answers or {}
        amount = sum_ref(spec, answers, spec.amount) if spec.amount else None
        submitted_at = sub.submitted_at.astimezone(OSLO).isoformat(timespec="seconds") if sub.submitted_at else ""
        row += [_blank(amount), submitted_at, emails.get(sub.submitted_by or -1, ""), sub.receipt_number or ""]
        row += [_cell(field, answers) if applies(spec, field, answers) else "" for field in spec.fields]
        rows.append(row)
    return header, rows


def write_csv(session: Session, call_id: str, out: TextIO) -> int:
    """Write the export as comma-separated UTF-8 text; returns the number of rows (without the header)."""
    header, rows = export_rows(session, call_id)
    write_table(out, header, rows)
    return len(rows)


def write_table(out: TextIO, header: list[str], rows: list[list[Cell]]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def _blank(value: int | None) -> Cell:
    return "" if value is None else value


def _cell(field: FormField, answers: dict[str, Any]) -> Cell:
    value = answers.get(field.id)
    if value in (None, "", [], {}):
        return ""
    kind = field.type
    if kind in ("money", "integer"):
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
    if kind == "multichoice" and isinstance(value, list):
        return "|".join(str(item) for item in value)
    if kind in ("table", "matrix"):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)
