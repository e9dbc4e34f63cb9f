"""What reloading a call would hide: stored answers the new form has no place for, and orgs with a
submission that the new `eligible` list leaves out.

Reloading never deletes a submission or an answer; these checks only keep the secretariat from
hiding them without knowing. `calls load` refuses such a reload unless it is explicitly allowed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from intake.import_errors import DataImportError
from intake.spec import FormField, FormSpec
from intake.values import has_value
from models import Organisation, Submission, SubmissionStatus

ALLOW_FLAG = "--allow-hidden-answers"
# A submission that holds something of the org's: sent in, or a draft with answers.
_KEPT = (SubmissionStatus.submitted, SubmissionStatus.reopened, SubmissionStatus.withdrawn)


class HiddenAnswers(DataImportError):
    """The reload would hide stored answers or submissions; `problems` names each of them."""


def hidden_by_reload(session: Session, call_id: str, spec: FormSpec, eligible: Iterable[str]) -> list[str]:
    """One line per thing the reload would hide, naming the orgs concerned; empty if nothing."""
    submissions = session.exec(select(Submission).where(Submission.call_id == call_id)).all()
    holding = [sub for sub in submissions if sub.status in _KEPT or any(map(has_value, sub.answers.values()))]
    if not holding:
        return []
    org_ids = [sub.org_id for sub in holding]
    query = select(Organisation.id, Organisation.name).where(col(Organisation.id).in_(org_ids))
    names: dict[str, str] = dict(session.exec(query).all())
    by_place: dict[str, set[str]] = defaultdict(set)
    for sub in holding:
        for place in _places_without_field(spec, sub.answers):
            by_place[place].add(sub.org_id)
    problems = [
        f"{place}: {_what(place)}, and {_orgs(orgs, names)} {'has' if len(orgs) == 1 else 'have'} answered it"
        for place, orgs in sorted(by_place.items())
    ]
    wanted = set(eligible)
    for sub in sorted(holding, key=lambda s: s.org_id):
        if sub.org_id not in wanted:
            problems.append(
                f"eligible: {sub.org_id} ({names.get(sub.org_id, '?')}) is left out, "
                f"but has a submission ({sub.status}, {_count(sub.answers)})"
            )
    return problems


def _places_without_field(spec: FormSpec, answers: dict[str, Any]) -> list[str]:
    """`form.FIELD`, `form.FIELD.COLUMN` or `form.FIELD.ROW` for each stored value the form drops."""
    places = []
    for field_id, value in answers.items():
        if not has_value(value):
            continue
        field = spec.fields_by_id.get(field_id)
        if field is None:
            places.append(f"form.{field_id}")
        else:
            places += [f"form.{field_id}.{part}" for part in _parts_without_place(field, value)]
    return places


def _parts_without_place(field: FormField, value: Any) -> list[str]:
    if field.type == "table" and isinstance(value, list):
        known = {column.id for column in field.columns}
        cells = {key for row in value if isinstance(row, dict) for key, cell in row.items() if has_value(cell)}
        return sorted(cells - known)
    if field.type == "matrix" and isinstance(value, dict):
        known = {row.id for row in field.rows}
        return sorted(key for key, cell in value.items() if has_value(cell) and key not in known)
    return []


def _what(place: str) -> str:
    parts = place.split(".")[1:]
    if len(parts) == 1:
        return f"the form no longer has the field {parts[0]!r} (dropped or renamed)"
    return f"the field {parts[0]!r} no longer has the column or row {parts[1]!r} (dropped or renamed)"


def _orgs(org_ids: set[str], names: dict[str, str]) -> str:
    return ", ".join(f"{org_id} ({names.get(org_id, '?')})" for org_id in sorted(org_ids))


def _count(answers: dict[str, Any]) -> str:
    count = sum(1 for value in answers.values() if has_value(value))
    return f"{count} answer{'' if count == 1 else 's'}"
