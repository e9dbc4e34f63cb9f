"""Importing the forum's table of recommendations: `org_id,outcome,amount,comment,withhold` (and,
optionally, `conditions`), one row per org, amounts as people type them (`449 418`, `kr 1,2 mill`).

Every row is checked before anything is written, against the others and against what each org
asked for; a file with one bad row writes nothing and names every problem with its line. Orgs not
in the file keep the recommendation they have.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from intake.actors import Actor, call_or_fail
from intake.csv_input import at, read_text, records
from intake.import_errors import DataImportError
from intake.money import parse_money
from intake.parse_base import ParseError
from intake.recommend import Proposal, check_may_recommend, proposal_problems, store
from intake.standing import call_standings
from intake.text import normalise
from models import Outcome

COLUMNS = ("org_id", "outcome", "amount", "comment", "withhold", "conditions")
OPTIONAL = frozenset({"comment", "withhold", "conditions"})
# The forum's own words are accepted too.
OUTCOME_WORDS = {
    "full": Outcome.full,
    "innstilt": Outcome.full,
    "innstilling": Outcome.full,
    "partial": Outcome.partial,
    "delvis": Outcome.partial,
    "delvis innstilt": Outcome.partial,
    "rejected": Outcome.rejected,
    "avslått": Outcome.rejected,
    "avslag": Outcome.rejected,
}


@dataclass(frozen=True)
class Imported:
    changed: list[str]
    unchanged: list[str]

    def summary(self) -> str:
        total, changed = len(self.changed) + len(self.unchanged), len(self.changed)
        return f"imported {total} recommendations ({changed} changed, {total - changed} unchanged)"


def import_recommendations(
    session: Session, actor: Actor, call_id: str, source: Path | str | bytes, now: datetime
) -> Imported:
    """Check the whole file, then store every row in one transaction with its audit entry. Commits."""
    call = call_or_fail(session, call_id)
    check_may_recommend(session, actor, call, "recommendation_import", now)
    text, name = read_text(source)
    standings = {standing.org.id: standing for standing in call_standings(session, call)}
    problems: list[str] = []
    proposals: dict[str, Proposal] = {}
    first_line: dict[str, int] = {}
    try:
        for line, cells in records(text, COLUMNS, OPTIONAL):
            org_id = cells["org_id"]
            row_problems: list[str] = []
            if not org_id:
                row_problems.append(at(line, "org_id", "an org id", ""))
            elif org_id not in standings:
                row_problems.append(at(line, "org_id", f"an org eligible in {call_id}", org_id))
            elif org_id in first_line:
                row_problems.append(at(line, "org_id", f"each org once (also on line {first_line[org_id]})", org_id))
            outcome = OUTCOME_WORDS.get(" ".join(cells["outcome"].lower().split()))
            if outcome is None:
                row_problems.append(at(line, "outcome", "full, partial or rejected", cells["outcome"]))
            amount: int | None = None
            if not cells["amount"] and outcome == Outcome.rejected:
                amount = 0
            else:
                try:
                    amount = parse_money(cells["amount"], min=0)
                except ParseError:
                    row_problems.append(
                        at(line, "amount", "an amount in kroner like 449 418 or kr 1,2 mill", cells["amount"])
                    )
            if row_problems or outcome is None or amount is None:
                problems += row_problems
                continue
            first_line[org_id] = line
            proposal = Proposal(
                outcome, amount, cells["comment"], cells["conditions"], normalise(cells["withhold"]) or None
            ).cleaned()
            found = proposal_problems(proposal, standings[org_id])
            problems += [f"line {line}: {org_id}: {problem}" for problem in found]
            proposals[org_id] = proposal
    except DataImportError as error:
        raise DataImportError(problems + error.problems, name) from None
    if not proposals and not problems:
        problems.append("line 2: no rows after the header (expected one row per org)")
    if problems:
        raise DataImportError(problems, name)
    changed = [
        org_id for org_id, proposal in proposals.items() if store(session, actor, call_id, org_id, proposal, now)
    ]
    session.commit()
    return Imported(changed, [org_id for org_id in proposals if org_id not in changed])
