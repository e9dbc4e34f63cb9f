"""The recommendation (innstilling) as a sheet of the XLSX export: one row per eligible org with its
frame, what it asked, what is recommended, the outcome, the comment, a withheld payment and the
decision's version once decided. Added to the workbook once the call has a recommendation."""

from __future__ import annotations

from sqlmodel import Session

from bot.export_xlsx import Column, Sheet, export_label
from intake.recommendation_table import TableRow, recommendation_table


def recommendation_sheet(session: Session, call_id: str, lang: str) -> list[Sheet]:
    """The sheet, or none while nobody has recommended anything."""
    table = recommendation_table(session, call_id)
    if not any(row.recommendation for row in table.rows):
        return []

    def outcome(row: TableRow) -> str | None:
        return export_label(lang, f"outcome_{row.recommendation.outcome}") if row.recommendation else None

    columns = [
        Column(export_label(lang, "org_id"), "org_id", "text", lambda row: row.standing.org.id),
        Column(export_label(lang, "org_name"), "org_name", "text", lambda row: row.standing.org.name),
        Column(export_label(lang, "frame"), "frame", "money", lambda row: row.standing.frame),
        Column(export_label(lang, "asked"), "asked", "money", lambda row: row.asked),
        Column(export_label(lang, "recommended"), "recommended", "money", lambda row: row.recommended),
        Column(export_label(lang, "outcome"), "outcome", "text", outcome),
        Column(
            export_label(lang, "comment"),
            "comment",
            "text",
            lambda r: r.recommendation.comment if r.recommendation else None,
        ),
        Column(
            export_label(lang, "withhold"),
            "withhold",
            "text",
            lambda r: r.recommendation.withhold if r.recommendation else None,
        ),
        Column(
            export_label(lang, "decision"), "decision", "integer", lambda r: r.decision.version if r.decision else None
        ),
    ]
    return [Sheet(export_label(lang, "sheet_recommendation"), columns, list(table.rows))]
