"""The secretariat's digest of a call: where every eligible org stands, counted, and what needs a look.

Pure computation over the database rows, with no Slack and no templates: the bot renders a Digest
(bot/templates/*/digest.j2 and digest_thread.j2, bot/slack/digest_blocks.py). The rows are read with
a fixed number of queries whatever the number of orgs (the call; its submissions; its orgs joined to
their eligibility, in `call_overview`; its failed outbox rows); everything else is done in Python.

Amounts are the form's `amount` (e.g. meldt behov). Only submitted, draft and reopened submissions
ask for anything: the amount left in a declined or withdrawn draft counts neither in the totals nor
as a deviation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from intake.overview import OrgStanding, call_overview
from models import Call, Organisation, OutboxMessage, OutboxStatus
from models.clock import OSLO

ASKING = ("submitted", "draft", "reopened")  # statuses whose amount is asked for
DRAFTS = ("draft", "reopened")
IN = ("submitted", "reopened")  # has been submitted (a reopened one was submitted before)


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

    standing: OrgStanding
    amount: int
    frame: int

    @property
    def difference(self) -> int:
        """Signed: positive is over the frame, negative under it."""
        return self.amount - self.frame

    @property
    def org(self) -> Organisation:
        return self.standing.org

    @property
    def status(self) -> str:
        return self.standing.status


@dataclass(frozen=True)
class Totals:
    frames: int | None  # sum of the frames of all eligible orgs; None when no org has a frame
    asked: int | None  # sum of the amounts of the orgs that have one; None when none has
    askers: int  # how many orgs have an amount
    ratio: float | None  # asked / frames; None when either is missing or the frames sum to 0


@dataclass(frozen=True)
class Late:
    standing: OrgStanding
    submitted_at: datetime
    late_by: timedelta


@dataclass(frozen=True)
class FailedDelivery:
    key: str
    kind: str
    org_id: str | None
    error: str | None


@dataclass(frozen=True)
class FailedDeliveries:
    """Outbox rows of this call that the worker gave up on (status failed)."""

    items: tuple[FailedDelivery, ...]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)


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
    amounts: tuple[OrgStanding, ...]  # every eligible org, amount (None unless asking) vs frame, by name
    deviations: tuple[Deviation, ...]  # largest difference first
    totals: Totals
    late: tuple[Late, ...]  # submitted after the deadline, earliest first
    failed_deliveries: FailedDeliveries

    @property
    def deadline_passed(self) -> bool:
        return self.now > self.call.deadline


def days_between(now: datetime, deadline: datetime) -> int:
    """Calendar days in Europe/Oslo from `now`'s day to the deadline's day (negative once past)."""
    return (deadline.astimezone(OSLO).date() - now.astimezone(OSLO).date()).days


def _progress(standing: OrgStanding) -> tuple[float, int, str]:
    share = standing.answered / standing.total if standing.total else 0.0
    return (share, standing.answered, standing.org.name.casefold())


def _asking(standing: OrgStanding) -> OrgStanding:
    """A declined or withdrawn org asks for nothing, whatever its abandoned draft says."""
    return standing if standing.status in ASKING or standing.amount is None else replace(standing, amount=None)


def failed_deliveries(session: Session, call_id: str) -> FailedDeliveries:
    rows = session.exec(
        select(OutboxMessage.key, OutboxMessage.kind, OutboxMessage.org_id, OutboxMessage.last_error)
        .where(OutboxMessage.call_id == call_id, OutboxMessage.status == OutboxStatus.failed)
        .order_by(col(OutboxMessage.id))
    ).all()
    return FailedDeliveries(tuple(FailedDelivery(key, str(kind), org_id, error) for key, kind, org_id, error in rows))


def build_digest(session: Session, call_id: str, now: datetime) -> Digest | None:
    """The digest of a call at `now`, or None if there is no such call."""
    overview = call_overview(session, call_id)
    if overview is None:
        return None
    call = overview.call
    standings = tuple(_asking(standing) for standing in overview.orgs)
    by_status: dict[str, list[OrgStanding]] = {}
    for standing in standings:
        by_status.setdefault(str(standing.status), []).append(standing)
    drafts = sorted(by_status.get("draft", []) + by_status.get("reopened", []), key=_progress)

    deviations = sorted(
        (
            Deviation(s, s.amount, s.frame)
            for s in standings
            if s.amount is not None and s.frame is not None and s.amount != s.frame
        ),
        key=lambda d: (-abs(d.difference), d.standing.org.name.casefold()),
    )

    frames = [s.frame for s in standings if s.frame is not None]
    amounts = [s.amount for s in standings if s.amount is not None]
    frames_sum = sum(frames) if frames else None
    asked = sum(amounts) if amounts else None
    ratio = asked / frames_sum if asked is not None and frames_sum else None

    late = sorted(
        (
            Late(s, s.submitted_at, s.submitted_at - call.deadline)
            for s in standings
            if s.status in IN and s.submitted_at is not None and s.submitted_at > call.deadline
        ),
        key=lambda item: item.submitted_at,
    )

    return Digest(
        call=call,
        now=now,
        days_left=days_between(now, call.deadline),
        counts=Counts(
            submitted=len(by_status.get("submitted", [])),
            drafts=len(drafts),
            not_started=len(by_status.get("not_started", [])),
            declined=len(by_status.get("declined", [])),
            withdrawn=len(by_status.get("withdrawn", [])),
            eligible=len(standings),
        ),
        drafts=tuple(drafts),
        not_started=tuple(by_status.get("not_started", [])),
        declined=tuple(by_status.get("declined", [])),
        withdrawn=tuple(by_status.get("withdrawn", [])),
        submitted=tuple(by_status.get("submitted", [])),
        amounts=standings,
        deviations=tuple(deviations),
        totals=Totals(frames_sum, asked, len(amounts), ratio),
        late=tuple(late),
        failed_deliveries=failed_deliveries(session, call_id),
    )
