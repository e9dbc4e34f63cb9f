"""Every assessment of a call as rows, for the forum that reads them on paper or in a spreadsheet:
one row per assessor, organisation and criterion (and one for the overall comment), the assessor's
group, the mark and the comment, and whether it counts (an assessor later disqualified for the org
does not count, but what they wrote is kept and shown).

The file goes back in as it came out, edited or not (intake.assessments_import): the call is its
first column, and the columns derived here (`group`, `counts`, `assessed_at`) are ignored there."""

from __future__ import annotations

from sqlmodel import Session, col, select

from intake.actors import call_or_fail
from intake.call_terms import terms_of
from models import Assessment, Disqualification

COLUMNS = ["call_id", "org_id", "assessor", "group", "criterion", "mark", "comment", "counts", "assessed_at"]
OVERALL = "samlet"  # the criterion column of the overall comment's row


def assessment_rows(session: Session, call_id: str) -> list[list[str | int]]:
    """The rows, by organisation, then assessor, then the call's order of criteria; the header apart."""
    call = call_or_fail(session, call_id)
    order = {criterion.id: n for n, criterion in enumerate(terms_of(call).criteria)}
    barred = {
        (row.org_id, row.assessor)
        for row in session.exec(select(Disqualification).where(Disqualification.call_id == call_id))
    }
    found = session.exec(
        select(Assessment)
        .where(Assessment.call_id == call_id)
        .order_by(col(Assessment.org_id), col(Assessment.assessor))
    ).all()
    rows: list[list[str | int]] = []
    for assessment in found:
        counts = "nei" if (assessment.org_id, assessment.assessor) in barred else "ja"
        when = assessment.updated_at.isoformat(timespec="seconds")
        first = [call_id, assessment.org_id, assessment.assessor, assessment.assessor_group or ""]
        for criterion in sorted(assessment.marks, key=lambda key: order.get(key, len(order))):
            marked = assessment.marks[criterion]
            rows.append([*first, criterion, marked.get("mark", ""), marked.get("comment", ""), counts, when])
        if assessment.comment:
            rows.append([*first, OVERALL, "", assessment.comment, counts, when])
    return rows
