"""The secretariat's digest of a call: where every eligible org stands, counted, and what needs a look.

Pure computation over the database rows, with no Slack and no templates: the bot renders a Digest
(bot/digest_text.py, bot/slack/digest_blocks.py). Where each org stands comes from intake.standing
(one query for the whole call); the failed deliveries from the outbox (one more). Amounts are the
form's `amount` (e.g. meldt behov), counted only while an org asks for something (ASKING): the
amount left in a declined or withdrawn draft counts neither in the totals nor as a deviation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from intake.decision_state import DecisionState, decision_state
from intake.standing import EDITABLE, IN, OrgRef, OrgStanding, Standing, call_standings, sort_name
from models import Call, Contact, Organisation, OutboxMessage, OutboxStatus
from models.clock import OSLO
from models.outbox import NO_USER


@dataclass(frozen=True)
class Counts:
    submitted: int
    drafts: int  # draft and reopened
    not_started: int
    declined: int
    withdrawn: int
    eligible: int


@dataclass(frozen=True)
class Deviation:
    """An org whose submitted or drafted amount is not its frame."""

    row: OrgStanding
    amount: int
    frame: int

    @property
    def difference(self) -> int:
        """Signed: positive is over the frame, negative under it."""
        return self.amount - self.frame

    @property
    def org(self) -> OrgRef:
        return self.row.org

    @property
    def status(self) -> str:
        return self.row.status


@dataclass(frozen=True)
class Totals:
    frames: int | None  # sum of the frames of all eligible orgs; None when no org has a frame
    asked: int | None  # sum of the amounts of the orgs that have one; None when none has
    askers: int  # how many orgs have an amount
    ratio: float | None  # asked / frames; None when either is missing or the frames sum to 0


@dataclass(frozen=True)
class Late:
    row: OrgStanding
    submitted_at: datetime
    late_by: timedelta

    @property
    def org(self) -> OrgRef:
        return self.row.org


@dataclass(frozen=True)
class FailedDelivery:
    key: str
    kind: str
    org_id: str | None
    error: str | None


@dataclass(frozen=True)
class FailedDeliveries:
    """Outbox rows of this call that the worker gave up on (status failed), oldest first."""

    items: tuple[FailedDelivery, ...]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)


@dataclass(frozen=True)
class UnknownContact:
    """A contact whose messages failed for good because Slack has no user with their e-mail address
    (and none has been found since): the secretariat needs to fix the address or add the Slack id."""

    name: str
    email: str
    org: str  # the organisation's name
    messages: int  # how many of the call's messages never reached them


@dataclass(frozen=True)
class Digest:
    call: Call
    now: datetime
    days_left: int  # calendar days in Europe/Oslo from today to the deadline's day; negative after it
    counts: Counts
    drafts: tuple[OrgStanding, ...]  # draft and reopened, least progress first
    not_started: tuple[OrgStanding, ...]
    declined: tuple[OrgStanding, ...]
    withdrawn: tuple[OrgStanding, ...]
    submitted: tuple[OrgStanding, ...]
    amounts: tuple[OrgStanding, ...]  # every eligible org, amount vs frame, by name
    deviations: tuple[Deviation, ...]  # largest difference first
    totals: Totals
    late: tuple[Late, ...]  # submitted after the deadline, earliest first
    failed_deliveries: FailedDeliveries  # all but those to unknown contacts, which are listed apart
    unknown_contacts: tuple[UnknownContact, ...]  # by organisation, then name
    decisions: DecisionState  # assessed, recommended, decided, letters sent, withheld

    @property
    def deadline_passed(self) -> bool:
        return self.now > self.call.deadline


def days_between(now: datetime, deadline: datetime) -> int:
    """Calendar days in Europe/Oslo from `now`'s day to the deadline's day (negative once past)."""
    return (deadline.astimezone(OSLO).date() - now.astimezone(OSLO).date()).days


def failed_deliveries(session: Session, call_id: str) -> tuple[FailedDeliveries, tuple[UnknownContact, ...]]:
    """The call's failed outbox rows: those that failed because Slack has no user for a contact who
    still has no Slack id, by contact; every other one as it is. One query."""
    rows: Sequence[tuple[Any, ...]] = session.execute(
        sa_select(
            col(OutboxMessage.key),
            col(OutboxMessage.kind),
            col(OutboxMessage.org_id),
            col(OutboxMessage.last_error),
            col(OutboxMessage.contact_id),
            col(Contact.name),
            col(Contact.email),
            col(Contact.slack_user_id),
            col(Organisation.name),
        )
        .outerjoin(Contact, col(Contact.id) == col(OutboxMessage.contact_id))
        .outerjoin(Organisation, col(Organisation.id) == col(Contact.org_id))
        .where(col(OutboxMessage.call_id) == call_id, col(OutboxMessage.status) == OutboxStatus.failed)
        .order_by(col(OutboxMessage.id))
    ).all()
    items: list[FailedDelivery] = []
    unknown: dict[int, UnknownContact] = {}
    for key, kind, org_id, error, contact_id, name, email, slack_user_id, org_name in rows:
        if error == NO_USER and contact_id is not None and name is not None and slack_user_id is None:
            seen = unknown.get(contact_id)
            count = seen.messages + 1 if seen else 1
            unknown[contact_id] = UnknownContact(name, email, org_name or "", count)
        else:
            items.append(FailedDelivery(key, str(kind), org_id, error))
    by_org = sorted(unknown.values(), key=lambda c: (sort_name(c.org), sort_name(c.name), c.email))
    return FailedDeliveries(tuple(items)), tuple(by_org)


def _least_progress(row: OrgStanding) -> tuple[float, int]:
    return (row.answered / row.total if row.total else 0.0, row.answered)


def build_digest(session: Session, call_id: str, now: datetime) -> Digest | None:
    """The digest of a call at `now`, or None if there is no such call."""
    call = session.get(Call, call_id)
    if call is None:
        return None
    rows = call_standings(session, call)
    by_status: dict[Standing, list[OrgStanding]] = {}
    for row in rows:
        by_status.setdefault(row.standing, []).append(row)
    # Python's sort is stable: from rows in alphabetical order, ties stay alphabetical.
    drafts = sorted((row for row in rows if row.standing in EDITABLE), key=_least_progress)

    deviations = sorted(
        (
            Deviation(r, r.amount, r.frame)
            for r in rows
            if r.amount is not None and r.frame is not None and r.amount != r.frame
        ),
        key=lambda d: -abs(d.difference),
    )

    frames = [r.frame for r in rows if r.frame is not None]
    amounts = [r.amount for r in rows if r.amount is not None]
    frames_sum = sum(frames) if frames else None
    asked = sum(amounts) if amounts else None
    ratio = asked / frames_sum if asked is not None and frames_sum else None

    late = sorted(
        (
            Late(r, r.submitted_at, r.submitted_at - call.deadline)
            for r in rows
            if r.standing in IN and r.submitted_at is not None and r.submitted_at > call.deadline
        ),
        key=lambda item: item.submitted_at,
    )

    failed, unknown = failed_deliveries(session, call_id)
    return Digest(
        call=call,
        now=now,
        days_left=days_between(now, call.deadline),
        counts=Counts(
            submitted=len(by_status.get(Standing.submitted, [])),
            drafts=len(drafts),
            not_started=len(by_status.get(Standing.not_started, [])),
            declined=len(by_status.get(Standing.declined, [])),
            withdrawn=len(by_status.get(Standing.withdrawn, [])),
            eligible=len(rows),
        ),
        drafts=tuple(drafts),
        not_started=tuple(by_status.get(Standing.not_started, [])),
        declined=tuple(by_status.get(Standing.declined, [])),
        withdrawn=tuple(by_status.get(Standing.withdrawn, [])),
        submitted=tuple(by_status.get(Standing.submitted, [])),
        amounts=tuple(rows),
        deviations=tuple(deviations),
        totals=Totals(frames_sum, asked, len(amounts), ratio),
        late=tuple(late),
        failed_deliveries=failed,
        unknown_contacts=unknown,
        decisions=decision_state(session, call_id),
    )
