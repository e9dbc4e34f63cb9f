"""The secretariat's digest of a call: where every eligible org stands, counted, and what needs a look.

Pure computation over the database rows, with no Slack and no templates: the bot renders a Digest
(bot/templates/*/digest.j2 and digest_thread.j2, bot/slack/digest_blocks.py).

It must stay fast for a call with a thousand orgs, so it reads four queries whatever their number
(the call; its eligible orgs with their frames; its submissions; its failed outbox rows with their
contacts), columns only (no ORM objects per org), and measures progress with `FormProgress`: the
same answer as `intake.engine.progress` and `intake.values.sum_ref` (the tests check every org
against tests/support/overview_oracle.py, which uses those), computed once per field and org instead of
once per path through the form's conditions.

Amounts are the form's `amount` (e.g. meldt behov). Only submitted, draft and reopened submissions
ask for anything: the amount left in a declined or withdrawn draft counts neither in the totals nor
as a deviation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from intake.calls import form_of
from intake.spec import FormField, FormSpec, MaxOfFrameRule
from intake.values import is_answered, when_matches
from models import Call, Contact, Eligibility, Organisation, OutboxMessage, OutboxStatus, Submission
from models.clock import OSLO
from reminders.notifier import NO_USER

ASKING = ("submitted", "draft", "reopened")  # statuses whose amount is asked for
DRAFTS = ("draft", "reopened")
IN = ("submitted", "reopened")  # has been submitted (a reopened one was submitted before)
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
class OrgRow:
    """One eligible org of a call: how far its submission has come and what it asks for."""

    org: OrgRef
    frame: int | None
    status: str  # not_started | draft | reopened | submitted | declined | withdrawn
    answered: int
    total: int
    amount: int | None  # None unless submitted, draft or reopened with an amount
    submitted_at: datetime | None

    @property
    def difference(self) -> int | None:
        """Asked for minus frame: positive is more than the frame."""
        if self.amount is None or self.frame is None:
            return None
        return self.amount - self.frame


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

    row: OrgRow
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
    row: OrgRow
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
    drafts: tuple[OrgRow, ...]  # draft and reopened, least progress first
    not_started: tuple[OrgRow, ...]
    declined: tuple[OrgRow, ...]
    withdrawn: tuple[OrgRow, ...]
    submitted: tuple[OrgRow, ...]
    amounts: tuple[OrgRow, ...]  # every eligible org, amount vs frame, by name
    deviations: tuple[Deviation, ...]  # largest difference first
    totals: Totals
    late: tuple[Late, ...]  # submitted after the deadline, earliest first
    failed_deliveries: FailedDeliveries  # all but those to unknown contacts, which are listed apart
    unknown_contacts: tuple[UnknownContact, ...]  # by organisation, then name

    @property
    def deadline_passed(self) -> bool:
        return self.now > self.call.deadline


class FormProgress:
    """`engine.progress(...).answered/.total` and `sum_ref(spec, answers, spec.amount)` for many orgs.

    Follows `intake.values.applies` rule for rule: a field with a `when` applies if the field it
    names applies and its answer matches; the `explain` field of a max_of_frame rule applies only
    when the amount is over the frame (sum_ref itself asks without a frame). Each (field, with or
    without frame) is decided once per org; `engine.progress` walks the conditions again for
    every field and `missing_required` does it all a second time.
    """

    def __init__(self, spec: FormSpec) -> None:
        self.spec = spec
        self.by_id = {field.id: field for field in spec.fields}
        self.explained: dict[str, list[str]] = {}
        for rule in spec.rules:
            if isinstance(rule, MaxOfFrameRule) and rule.explain:
                self.explained.setdefault(rule.explain, []).append(rule.field)
        # Most fields are always asked: no condition, and no rule's `explain`. Such a field is
        # answered when its id is among the answers (a matrix also needs every row).
        always = [f for f in spec.fields if f.when is None and f.id not in self.explained]
        self.always_ids = frozenset(field.id for field in always)
        self.always_plain = frozenset(field.id for field in always if field.type != "matrix")
        self.always_matrix = [field for field in always if field.type == "matrix"]
        self.conditional = [f for f in spec.fields if f.id not in self.always_ids]
        # Without answers no amount is over a frame and no condition matches: the frame cannot matter.
        answered, total, _ = self._measure({}, None)
        self._unstarted = (answered, total, None)

    def measure(self, answers: dict[str, Any] | None, frame: int | None) -> tuple[int, int, int | None]:
        """(answered, total, amount); no answers (not started) gives no amount."""
        if answers is None:
            return self._unstarted
        return self._measure(answers, frame)

    def _measure(self, answers: dict[str, Any], frame: int | None) -> tuple[int, int, int | None]:
        memo: dict[tuple[str, bool], bool] = {}

        def applies(field: FormField, with_frame: bool) -> bool:
            if field.id in self.always_ids:
                return True
            key = (field.id, with_frame)
            known = memo.get(key)
            if known is not None:
                return known
            result = True
            limit = frame if with_frame else None
            for ref in self.explained.get(field.id, ()):
                asked = sum_ref(ref)
                if limit is None or asked is None or asked <= limit:
                    result = False
                    break
            if result and field.when is not None:
                source = self.by_id[field.when.field]
                result = applies(source, with_frame) and when_matches(field.when, answers.get(source.id))
            memo[key] = result
            return result

        def sum_ref(ref: str) -> int | None:
            field_id, _, column_id = ref.partition(".")
            if not applies(self.by_id[field_id], False):
                return None
            value = answers.get(field_id)
            if column_id:
                if not isinstance(value, list):
                    return None
                return sum(int(row.get(column_id) or 0) for row in value)
            return int(value) if isinstance(value, int) else None

        total = len(self.always_ids)
        answered = len(self.always_plain.intersection(answers))
        answered += sum(1 for field in self.always_matrix if is_answered(field, answers))
        for field in self.conditional:
            if applies(field, True):
                total += 1
                answered += is_answered(field, answers)
        amount = sum_ref(self.spec.amount) if self.spec.amount else None
        return answered, total, amount


def days_between(now: datetime, deadline: datetime) -> int:
    """Calendar days in Europe/Oslo from `now`'s day to the deadline's day (negative once past)."""
    return (deadline.astimezone(OSLO).date() - now.astimezone(OSLO).date()).days


def failed_deliveries(session: Session, call_id: str) -> tuple[FailedDeliveries, tuple[UnknownContact, ...]]:
    """The call's failed outbox rows: those that failed because Slack has no user for a contact who
    still has no Slack id, by contact; every other one as it is. One query."""
    rows = session.exec(
        select(
            OutboxMessage.key,
            OutboxMessage.kind,
            OutboxMessage.org_id,
            OutboxMessage.last_error,
            OutboxMessage.contact_id,
            Contact.name,
            Contact.email,
            Contact.slack_user_id,
            Organisation.name,
        )
        .outerjoin(Contact, col(Contact.id) == col(OutboxMessage.contact_id))
        .outerjoin(Organisation, col(Organisation.id) == col(Contact.org_id))
        .where(OutboxMessage.call_id == call_id, OutboxMessage.status == OutboxStatus.failed)
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


def org_rows(session: Session, call: Call) -> list[OrgRow]:
    """Every eligible org of the call with its standing, in Norwegian alphabetical order. Two queries."""
    progress = FormProgress(form_of(call))
    submissions = {
        org_id: (str(status), answers, submitted_at)
        for org_id, status, answers, submitted_at in session.exec(
            select(Submission.org_id, Submission.status, Submission.answers, Submission.submitted_at).where(
                Submission.call_id == call.id
            )
        ).all()
    }
    eligible = session.exec(
        select(Organisation.id, Organisation.name, Organisation.language, Eligibility.frame)
        .join(Eligibility, col(Eligibility.org_id) == col(Organisation.id))
        .where(Eligibility.call_id == call.id)
    ).all()
    rows = []
    for org_id, name, language, frame in eligible:
        status, answers, submitted_at = submissions.get(org_id, ("not_started", None, None))
        answered, total, amount = progress.measure(answers, frame)
        rows.append(
            OrgRow(
                OrgRef(org_id, name, str(language)),
                frame,
                status,
                answered,
                total,
                amount if status in ASKING else None,  # a declined org asks for nothing
                submitted_at,
            )
        )
    rows.sort(key=lambda row: (sort_name(row.org.name), row.org.id))
    return rows


def _least_progress(row: OrgRow) -> tuple[float, int]:
    return (row.answered / row.total if row.total else 0.0, row.answered)


def build_digest(session: Session, call_id: str, now: datetime) -> Digest | None:
    """The digest of a call at `now`, or None if there is no such call."""
    call = session.get(Call, call_id)
    if call is None:
        return None
    rows = org_rows(session, call)
    by_status: dict[str, list[OrgRow]] = {}
    for row in rows:
        by_status.setdefault(row.status, []).append(row)
    # Python's sort is stable: from rows in alphabetical order, ties stay alphabetical.
    drafts = sorted((row for row in rows if row.status in DRAFTS), key=_least_progress)

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
            if r.status in IN and r.submitted_at is not None and r.submitted_at > call.deadline
        ),
        key=lambda item: item.submitted_at,
    )

    failed, unknown = failed_deliveries(session, call_id)
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
            eligible=len(rows),
        ),
        drafts=tuple(drafts),
        not_started=tuple(by_status.get("not_started", [])),
        declined=tuple(by_status.get("declined", [])),
        withdrawn=tuple(by_status.get("withdrawn", [])),
        submitted=tuple(by_status.get("submitted", [])),
        amounts=tuple(rows),
        deviations=tuple(deviations),
        totals=Totals(frames_sum, asked, len(amounts), ratio),
        late=tuple(late),
        failed_deliveries=failed,
        unknown_contacts=unknown,
    )
