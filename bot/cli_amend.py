"""`frist amend CALL ORG --reason …`: change one organisation's decision by an amendment.

Mounted by bot/cli.py. What is not given stays as the latest decision has it; `--release` lifts a
withheld payment (Værnes, once the dialogue has taken place). The amendment is a new version of the
decision with its reason, audited, and its own decision letter in the outbox.
"""

from __future__ import annotations

from typing import Annotated

import typer
from sqlmodel import Session

from bot.cli_decisions import CallArgument, run_reported
from bot.formatting import format_money
from intake.actors import CLI
from intake.decide import amend
from intake.import_errors import DataImportError
from intake.money import parse_money
from intake.parsers import ParseError
from intake.recommend import Proposal
from intake.recommendation_table import latest_decisions
from models import Decision, Outcome
from models.clock import system_clock


def amend_decision(
    call_id: CallArgument,
    org_id: Annotated[str, typer.Argument(help="The organisation's id.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why the decision changes (in the letter and the audit log).")
    ],
    amount: Annotated[str | None, typer.Option("--amount", help="The new amount, e.g. 'kr 500 000'.")] = None,
    outcome: Annotated[Outcome | None, typer.Option("--outcome", help="full, partial or rejected.")] = None,
    release: Annotated[bool, typer.Option("--release", help="Pay out what was withheld.")] = False,
) -> None:
    """Amend one organisation's decision: a new version, audited, with its own decision letter."""
    try:
        kroner = parse_money(amount) if amount is not None else None
    except ParseError:
        typer.echo(f"error: --amount {amount!r} is not an amount in whole kroner, e.g. 'kr 500 000'", err=True)
        raise typer.Exit(2) from None

    def amending(session: Session) -> Decision:
        latest = latest_decisions(session, call_id).get(org_id)
        if latest is None:
            raise DataImportError([f"{org_id}: has no decision in {call_id} to amend (see `frist decide`)"])
        proposal = Proposal(
            outcome or latest.outcome,
            latest.amount if kroner is None else kroner,
            latest.comment,
            latest.conditions,
            None if release else latest.withhold,
        )
        return amend(session, CLI, call_id, org_id, proposal, reason, system_clock())

    decision = run_reported(amending)
    typer.echo(
        f"amended {org_id} in {call_id}: version {decision.version}, {decision.outcome}, "
        f"{format_money(decision.amount).replace(chr(0xA0), ' ')}; its decision letter is queued"
    )
