"""The outbox and the delivery worker on a real database (SQLite, and PostgreSQL when configured).

Time never passes by itself here: the worker reads a FakeClock, and its RateLimiter gets a fake
monotonic clock whose `sleep` only moves that clock forward and records how long it was asked to wait.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from models import (
    Call,
    Contact,
    Intent,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Snooze,
    SubmissionStatus,
    enqueue,
)
from models.clock import OSLO
from models.db import make_engine
from reminders.notifier import Delivery, Notifier
from reminders.outbox import LEASE, claim, renew
from reminders.rate import RateLimiter
from reminders.tick import preview, tick
from reminders.worker import Worker, WorkerSettings, channel_key
from tests.support.seed import CALL_ID, NOW, add_submission, contact, seed


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


# The seeded call: opens 23 Feb 2026, deadline Friday 27 March 2026 10:00 Oslo (NOW + 25 days).
DEADLINE = oslo(2026, 3, 27, 10)
D14, D7, D2, D0 = oslo(2026, 3, 13, 9), oslo(2026, 3, 20, 9), oslo(2026, 3, 25, 9), oslo(2026, 3, 27, 9)
T = D14 + timedelta(minutes=5)  # inside the 14-day window: 3 reminders and the day's digest are due
DIGEST_T = f"digest:{CALL_ID}:2026-03-13"


class FakeClock:
    """The worker's wall clock; always UTC so that advancing never does wall-clock arithmetic."""

    def __init__(self, at: datetime) -> None:
        self.now = at.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def set(self, at: datetime) -> None:
        self.now = at.astimezone(UTC)


class FakeMonotonic:
    """monotonic() and sleep() for a RateLimiter: sleeping moves time on and is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


class RecordingNotifier:
    """A Notifier that records every attempt; answers can be scripted per key, otherwise it succeeds."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock
        self.attempts: list[str] = []
        self.sent: list[tuple[str, datetime | None, str]] = []  # key, when, which thread
        self._answers: dict[str, deque[Delivery]] = defaultdict(deque)
        self._lock = threading.Lock()

    def rate_limit(self, key: str, retry_after: float) -> None:
        self._answers[key].append(Delivery(ok=False, retry_after=retry_after))

    def fail(self, key: str, times: int, error: str = "HTTP 500 internal_error", permanent: bool = False) -> None:
        self._answers[key].extend(Delivery(ok=False, error=error, permanent=permanent) for _ in range(times))

    def deliver(self, message: OutboxMessage) -> Delivery:
        with self._lock:
            self.attempts.append(message.key)
            answers = self._answers.get(message.key)
            answer = answers.popleft() if answers else Delivery(ok=True)
            if answer.ok:
                when = self.clock() if self.clock else None
                self.sent.append((message.key, when, threading.current_thread().name))
            return answer

    @property
    def sent_keys(self) -> list[str]:
        return [key for key, _, _ in self.sent]


def make_worker(
    engine: Engine, notifier: Notifier, clock: FakeClock, name: str = "worker-1", **options: float
) -> tuple[Worker, FakeMonotonic]:
    settings = WorkerSettings(**options)  # type: ignore[arg-type]
    fake = FakeMonotonic()
    limiter = RateLimiter(settings.per_minute, settings.per_channel_per_second, fake.monotonic, fake.sleep)
    return Worker(engine, notifier, clock, name, settings, limiter), fake


def outbox(engine: Engine) -> dict[str, OutboxMessage]:
    with Session(engine) as session:
        return {row.key: row for row in session.exec(select(OutboxMessage)).all()}


def row_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage)).one()


def statuses(engine: Engine) -> dict[str, str]:
    return {key: row.status for key, row in outbox(engine).items()}


@pytest.fixture
def people(session: Session) -> dict[str, Contact]:
    seed(session, now=NOW)
    return {
        "kari": contact(session, "kari@leka.example.no"),
        "per": contact(session, "per@leka.example.no"),
        "oda": contact(session, "oda@osen.example.no"),
    }


def reminder(person: Contact, slot: str) -> str:
    return f"reminder:{CALL_ID}:{person.org_id}:{person.id}:{slot}"


def keys_due_at_t(people: dict[str, Contact]) -> set[str]:
    return {DIGEST_T} | {reminder(people[name], "d14") for name in ("kari", "per", "oda")}


def set_submission(session: Session, org_id: str, status: SubmissionStatus, by: Contact, at: datetime) -> None:
    add_submission(session, org_id, status, by=by, at=at)


# --- tick --------------------------------------------------------------------------------------------


def test_the_seeded_call_is_what_these_tests_assume(engine: Engine, people: dict[str, Contact]) -> None:
    with Session(engine) as session:
        call = session.get(Call, CALL_ID)
        assert call is not None and call.deadline == DEADLINE


def test_tick_twice_at_the_same_moment_writes_each_key_once(engine: Engine, people: dict[str, Contact]) -> None:
    assert tick(engine, T) == 4
    assert tick(engine, T) == 0
    assert tick(engine, T + timedelta(hours=2)) == 0  # still the same slot and the same digest
    assert set(outbox(engine)) == keys_due_at_t(people)
    assert row_count(engine) == 4
    # The ineligible org's contact is never queued.
    assert not any(":9999:" in key for key in outbox(engine))


def test_a_restarted_worker_sends_nothing_already_sent(engine: Engine, people: dict[str, Contact]) -> None:
    clock = FakeClock(T)
    notifier = RecordingNotifier(clock)
    tick(engine, clock())
    worker, _ = make_worker(engine, notifier, clock)
    assert worker.run_until_idle() == 4

    # A new process: its own engine on the same database, a new worker, the same notifier to watch.
    restarted_engine = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        clock.advance(minutes=30)
        assert tick(restarted_engine, clock()) == 0
        again, _ = make_worker(restarted_engine, notifier, clock, name="worker-after-restart")
        assert again.run_until_idle() == 0
    finally:
        restarted_engine.dispose()
    assert sorted(notifier.sent_keys) == sorted(keys_due_at_t(people))
    assert set(statuses(engine).values()) == {OutboxStatus.sent}


# --- the worker --------------------------------------------------------------------------------------


def test_every_due_message_is_sent_exactly_once_through_the_whole_call(
    engine: Engine, people: dict[str, Contact]
) -> None:
    """A scheduler ticking hourly from before the first digest to after the deadline, with a restart
    half way: every reminder, digest and deadline notice goes out once, in its own slot."""
    clock = FakeClock(D14 - timedelta(hours=1))
    notifier = RecordingNotifier(clock)
    worker, _ = make_worker(engine, notifier, clock, per_minute=6000, per_channel_per_second=100)
    end = DEADLINE + timedelta(days=4)
    while clock() < end:
        if clock() >= D2 and worker.name == "worker-1":
            worker, _ = make_worker(engine, notifier, clock, name="worker-2")
        tick(engine, clock())
        worker.run_until_idle()
        clock.advance(hours=1)

    counts = Counter(notifier.sent_keys)
    assert set(counts.values()) == {1}, [key for key, n in counts.items() if n > 1]
    contacts = list(people.values())
    slots = {"d14": D14, "d7": D7, "d2": D2, "d0": D0}
    expected_reminders = {reminder(p, name): at for p in contacts for name, at in slots.items()}
    weekdays = [13, 16, 17, 18, 19, 20, 23, 24, 25, 26, 27]
    expected_digests = {f"digest:{CALL_ID}:2026-03-{day:02d}": oslo(2026, 3, day, 8) for day in weekdays}
    expected_digests[f"digest:{CALL_ID}:2026-03-30-after"] = oslo(2026, 3, 30, 8)  # after summer time began
    expected_notices = {f"deadline_passed:{CALL_ID}:{p.org_id}:{p.id}": DEADLINE for p in contacts}
    expected = expected_reminders | expected_digests | expected_notices
    assert set(counts) == set(expected)
    for key, when, _ in notifier.sent:
        assert when == expected[key], key  # hourly ticks land exactly on every slot
    assert set(statuses(engine).values()) == {OutboxStatus.sent}


def test_rows_past_their_expiry_are_marked_expired_and_not_sent(engine: Engine, people: dict[str, Contact]) -> None:
    tick(engine, T)
    clock = FakeClock(D7 + timedelta(minutes=1))  # the worker was down until the next slot had come
    notifier = RecordingNotifier(clock)
    worker, _ = make_worker(engine, notifier, clock)
    assert worker.run_until_idle() == 0
    assert notifier.attempts == []
    assert set(statuses(engine).values()) == {OutboxStatus.expired}
    assert all(row.last_error == "no longer makes sense" for row in outbox(engine).values())

    # The newer slot is queued by the next tick and does go out.
    assert tick(engine, clock()) == 4
    assert worker.run_until_idle() == 4
    assert set(notifier.sent_keys) == {f"digest:{CALL_ID}:2026-03-20"} | {reminder(p, "d7") for p in people.values()}


@pytest.mark.parametrize("closed", [SubmissionStatus.submitted, SubmissionStatus.declined])
def test_a_reminder_whose_org_closed_after_it_was_queued_is_cancelled(
    engine: Engine, session: Session, people: dict[str, Contact], closed: SubmissionStatus
) -> None:
    tick(engine, T)
    set_submission(session, "5052", closed, people["kari"], T + timedelta(minutes=1))
    clock = FakeClock(T + timedelta(minutes=2))
    notifier = RecordingNotifier(clock)
    worker, _ = make_worker(engine, notifier, clock)
    assert worker.run_until_idle() == 2
    assert sorted(notifier.sent_keys) == sorted([DIGEST_T, reminder(people["oda"], "d14")])
    state = statuses(engine)
    assert state[reminder(people["kari"], "d14")] == OutboxStatus.cancelled
    assert state[reminder(people["per"], "d14")] == OutboxStatus.cancelled
    assert state[reminder(people["oda"], "d14")] == OutboxStatus.sent


def test_a_reminder_to_a_contact_who_snoozed_after_it_was_queued_is_cancelled(
    engine: Engine, session: Session, people: dict[str, Contact]
) -> None:
    tick(engine, T)
    oda = people["oda"]
    assert oda.id is not None
    session.add(Snooze(contact_id=oda.id, call_id=CALL_ID, until=T + timedelta(days=1)))
    session.commit()
    clock = FakeClock(T + timedelta(minutes=2))
    worker, _ = make_worker(engine, RecordingNotifier(clock), clock)
    assert worker.run_until_idle() == 3
    assert statuses(engine)[reminder(oda, "d14")] == OutboxStatus.cancelled
    assert statuses(engine)[reminder(people["per"], "d14")] == OutboxStatus.sent

    # When the snooze ends the tick queues one snooze reminder, and the worker sends it.
    clock.set(T + timedelta(days=1))
    assert tick(engine, clock()) >= 1
    assert reminder(oda, "snooze-20260314T0905") in outbox(engine)
    worker.run_until_idle()
    assert statuses(engine)[reminder(oda, "snooze-20260314T0905")] == OutboxStatus.sent


def test_a_429_puts_the_row_back_without_counting_an_attempt_and_pauses_sending(
    engine: Engine, people: dict[str, Contact]
) -> None:
    tick(engine, T)
    clock = FakeClock(T)
    notifier = RecordingNotifier(clock)
    notifier.rate_limit(DIGEST_T, retry_after=2)  # the digest is due first (08:00), so it is tried first
    worker, limiter_time = make_worker(engine, notifier, clock)

    assert worker.run_once() == 0
    assert notifier.attempts == [DIGEST_T]  # the rest of the batch was not tried
    rows = outbox(engine)
    assert rows[DIGEST_T].status == OutboxStatus.pending
    assert rows[DIGEST_T].next_attempt_at == clock() + timedelta(seconds=2)
    assert rows[DIGEST_T].attempts == 0
    for key in keys_due_at_t(people) - {DIGEST_T}:
        assert (rows[key].status, rows[key].attempts, rows[key].next_attempt_at) == (OutboxStatus.pending, 0, clock())

    # Same moment: the others go out, but only after the limiter has waited out the Retry-After.
    assert worker.run_once() == 3
    assert limiter_time.sleeps[0] == pytest.approx(2.0)
    assert DIGEST_T not in notifier.sent_keys
    assert outbox(engine)[DIGEST_T].status == OutboxStatus.pending

    clock.advance(seconds=2)
    assert worker.run_once() == 1
    assert Counter(notifier.sent_keys) == Counter(keys_due_at_t(people))
    assert outbox(engine)[DIGEST_T].status == OutboxStatus.sent
    assert outbox(engine)[DIGEST_T].attempts == 0


def test_failures_back_off_and_end_in_failed_after_max_attempts(engine: Engine, people: dict[str, Contact]) -> None:
    tick(engine, T)
    clock = FakeClock(T)
    notifier = RecordingNotifier(clock)
    key = reminder(people["kari"], "d14")
    notifier.fail(key, times=10, error="HTTP 503 service_unavailable")
    worker, _ = make_worker(engine, notifier, clock, max_attempts=3, backoff_seconds=30)

    assert worker.run_once() == 3
    row = outbox(engine)[key]
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.pending, 1, "HTTP 503 service_unavailable")
    assert row.next_attempt_at == clock() + timedelta(seconds=30)

    clock.advance(seconds=29)
    assert worker.run_once() == 0
    assert notifier.attempts.count(key) == 1  # not retried before its time

    clock.advance(seconds=1)
    worker.run_once()
    row = outbox(engine)[key]
    assert (row.status, row.attempts) == (OutboxStatus.pending, 2)
    assert row.next_attempt_at == clock() + timedelta(seconds=60)  # the backoff doubles

    clock.advance(seconds=60)
    worker.run_once()
    row = outbox(engine)[key]
    assert row.status == OutboxStatus.failed
    assert row.last_error == "HTTP 503 service_unavailable"
    assert notifier.attempts.count(key) == 3

    clock.advance(days=1)
    assert worker.run_once() == 0
    assert notifier.attempts.count(key) == 3
    assert key not in notifier.sent_keys


def test_a_failure_that_clears_up_is_sent_on_a_retry(engine: Engine, people: dict[str, Contact]) -> None:
    tick(engine, T)
    clock = FakeClock(T)
    notifier = RecordingNotifier(clock)
    key = reminder(people["oda"], "d14")
    notifier.fail(key, times=2)
    worker, _ = make_worker(engine, notifier, clock, max_attempts=5, backoff_seconds=30)
    worker.run_once()
    clock.advance(seconds=30)
    worker.run_once()
    clock.advance(seconds=60)
    worker.run_once()
    row = outbox(engine)[key]
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.sent, 2, None)
    assert notifier.sent_keys.count(key) == 1


def test_a_permanent_failure_is_not_retried(engine: Engine, people: dict[str, Contact]) -> None:
    tick(engine, T)
    clock = FakeClock(T)
    notifier = RecordingNotifier(clock)
    key = reminder(people["per"], "d14")
    notifier.fail(key, times=1, error="user_not_found", permanent=True)
    worker, _ = make_worker(engine, notifier, clock)
    worker.run_once()
    clock.advance(hours=1)
    worker.run_once()
    row = outbox(engine)[key]
    assert (row.status, row.last_error) == (OutboxStatus.failed, "user_not_found")
    assert notifier.attempts.count(key) == 1


def test_two_workers_deliver_200_rows_exactly_once_between_them(
    engine: Engine, session: Session, people: dict[str, Contact]
) -> None:
    intents = [
        Intent(
            key=f"announcement:{CALL_ID}:{n:03d}",
            kind=OutboxKind.announcement,
            call_id=CALL_ID,
            due_at=T - timedelta(seconds=n),
            expires_at=None,
        )
        for n in range(200)
    ]
    assert len(enqueue(session, intents, T)) == 200
    session.commit()

    clock = FakeClock(T)
    notifier = RecordingNotifier(clock)
    workers = [make_worker(engine, notifier, clock, name=f"worker-{n}", batch=5)[0] for n in (1, 2)]
    start = threading.Barrier(2)

    def run(worker: Worker) -> int:
        threading.current_thread().name = worker.name
        start.wait()
        return worker.run_until_idle()

    with ThreadPoolExecutor(max_workers=2) as pool:
        totals = list(pool.map(run, workers))

    assert sum(totals) == 200
    assert min(totals) > 0, totals  # both really took part
    assert len(notifier.attempts) == 200
    assert sorted(notifier.sent_keys) == sorted(intent.key for intent in intents)
    assert set(statuses(engine).values()) == {OutboxStatus.sent}
    by_thread = Counter(thread for _, _, thread in notifier.sent)
    assert by_thread == Counter(dict(zip(["worker-1", "worker-2"], totals, strict=True)))


def test_claim_skips_rows_that_another_transaction_has_locked(engine: Engine, people: dict[str, Contact]) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks and SKIP LOCKED are PostgreSQL's; SQLite has a single writer")
    tick(engine, T)
    held = sorted(outbox(engine))[:2]
    with engine.connect() as other:
        locked = other.execute(
            select(OutboxMessage.key).where(col(OutboxMessage.key).in_(held)).with_for_update()
        ).all()
        assert len(locked) == 2
        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(claim, engine, "worker-1", T, 10)
            try:
                claimed = future.result(timeout=20)  # would block on the locked rows without SKIP LOCKED
            finally:
                other.rollback()
    assert sorted(row.key for row in claimed) == sorted(keys_due_at_t(people) - set(held))
    # Once released, the held rows are there for the next claim, and nothing is claimed twice.
    assert sorted(row.key for row in claim(engine, "worker-2", T, 10)) == held


def test_rows_claimed_by_a_worker_that_died_are_sent_once_its_lease_runs_out(
    engine: Engine, people: dict[str, Contact]
) -> None:
    tick(engine, T)
    dead = claim(engine, "crashed-worker", T, 10)  # claimed, never finished, never renewed
    assert len(dead) == 4 and set(statuses(engine).values()) == {OutboxStatus.sending}
    clock = FakeClock(T + LEASE - timedelta(seconds=1))
    notifier = RecordingNotifier(clock)
    worker, _ = make_worker(engine, notifier, clock)
    assert worker.run_until_idle() == 0  # it may still be sending them
    clock.set(T + LEASE + timedelta(seconds=1))
    assert worker.run_until_idle() == 4
    assert sorted(notifier.sent_keys) == sorted(keys_due_at_t(people))


def test_a_live_workers_claims_are_renewed_and_never_taken_however_long_it_sends(
    engine: Engine, people: dict[str, Contact]
) -> None:
    tick(engine, T)
    assert len(claim(engine, "slow-worker", T, 10)) == 4
    for beat in range(1, 20):  # ten minutes of a slow Slack, renewed every LEASE / 3
        at = T + beat * LEASE / 3
        assert renew(engine, "slow-worker", at) == 4
        assert claim(engine, "other-worker", at + LEASE / 3 - timedelta(seconds=1), 10) == []
    assert renew(engine, "other-worker", T + 10 * LEASE) == 0  # renewing takes only one's own rows


# --- preview -----------------------------------------------------------------------------------------


def test_preview_lists_what_would_go_out_without_writing_and_marks_known_keys(
    engine: Engine, people: dict[str, Contact]
) -> None:
    before = preview(engine, T)
    assert {p.intent.key for p in before} == keys_due_at_t(people)
    assert all(p.already is None for p in before)
    assert row_count(engine) == 0

    tick(engine, T)
    queued = preview(engine, T)
    assert {p.intent.key: p.already for p in queued} == dict.fromkeys(keys_due_at_t(people), OutboxStatus.pending)

    clock = FakeClock(T)
    make_worker(engine, RecordingNotifier(clock), clock)[0].run_until_idle()
    later = preview(engine, D7)  # the next slot: new keys, nothing known yet
    assert {p.intent.key for p in later} == {f"digest:{CALL_ID}:2026-03-20"} | {
        reminder(p, "d7") for p in people.values()
    }
    assert all(p.already is None for p in later)
    assert {p.intent.key: p.already for p in preview(engine, T)} == dict.fromkeys(
        keys_due_at_t(people), OutboxStatus.sent
    )
    assert row_count(engine) == 4


# --- pacing ------------------------------------------------------------------------------------------


def test_the_rate_limiter_spaces_per_channel_and_per_workspace_and_honours_a_pause() -> None:
    fake = FakeMonotonic()
    limiter = RateLimiter(per_minute=60, per_channel_per_second=0.5, monotonic=fake.monotonic, sleep=fake.sleep)
    limiter.wait("contact:1")  # t=0: free
    limiter.wait("contact:1")  # same channel: 2 s after the first
    limiter.wait("contact:2")  # another channel: 1 s after the previous message (workspace pace)
    assert fake.sleeps == [2.0, 1.0] and fake.now == 3.0
    limiter.pause(5)  # a 429 with Retry-After: 5 at t=3
    limiter.wait("contact:3")
    assert fake.sleeps == [2.0, 1.0, 5.0] and fake.now == 8.0
    limiter.wait("contact:4")  # after the pause the workspace pace applies again
    assert fake.sleeps[-1] == 1.0


def test_a_pause_shorter_than_the_pace_changes_nothing() -> None:
    fake = FakeMonotonic()
    limiter = RateLimiter(per_minute=6, per_channel_per_second=1, monotonic=fake.monotonic, sleep=fake.sleep)
    limiter.wait("a")
    limiter.pause(3)
    limiter.wait("b")
    assert fake.sleeps == [10.0]


def test_the_worker_paces_each_contact_and_the_workspace(
    engine: Engine, session: Session, people: dict[str, Contact]
) -> None:
    kari, oda = people["kari"], people["oda"]

    def to(person: Contact, key: str, seconds: int) -> Intent:
        return Intent(
            key=key,
            kind=OutboxKind.reminder,
            call_id=CALL_ID,
            due_at=T + timedelta(seconds=seconds),
            expires_at=None,
            org_id=person.org_id,
            contact_id=person.id,
        )

    enqueue(session, [to(kari, "kari-a", 0), to(kari, "kari-b", 1), to(oda, "oda", 2)], T)
    session.commit()
    clock = FakeClock(T + timedelta(minutes=1))
    notifier = RecordingNotifier(clock)
    worker, limiter_time = make_worker(engine, notifier, clock, per_minute=120, per_channel_per_second=0.25)
    assert worker.run_until_idle() == 3
    assert notifier.sent_keys == ["kari-a", "kari-b", "oda"]
    # Kari's second message waits 4 s for her channel; Oda's only the 0.5 s workspace pace.
    assert limiter_time.sleeps == [4.0, 0.5]
    rows = outbox(engine)
    assert [channel_key(rows[key]) for key in ("kari-a", "kari-b", "oda")] == [f"contact:{kari.id}"] * 2 + [
        f"contact:{oda.id}"
    ]


def test_digests_share_the_secretariat_channel(engine: Engine, people: dict[str, Contact]) -> None:
    tick(engine, T)
    rows = outbox(engine)
    assert channel_key(rows[DIGEST_T]) == f"secretariat:{CALL_ID}"
    assert channel_key(rows[reminder(people["kari"], "d14")]) == f"contact:{people['kari'].id}"


# --- bugs --------------------------------------------------------------------------------------------


class CountingWorker(Worker):
    rounds = 0

    def run_once(self) -> int:
        self.rounds += 1
        return super().run_once()


def test_run_until_idle_returns_when_the_only_pending_row_waits_for_a_retry(
    engine: Engine, people: dict[str, Contact]
) -> None:
    tick(engine, T)
    clock = FakeClock(T)
    notifier = RecordingNotifier(clock)
    notifier.fail(DIGEST_T, times=1)
    settings = WorkerSettings(backoff_seconds=30)
    fake = FakeMonotonic()
    limiter = RateLimiter(settings.per_minute, settings.per_channel_per_second, fake.monotonic, fake.sleep)
    worker = CountingWorker(engine, notifier, clock, "worker-1", settings, limiter)
    assert worker.run_until_idle(max_rounds=50) == 3
    assert outbox(engine)[DIGEST_T].next_attempt_at == clock() + timedelta(seconds=30)
    assert worker.rounds <= 3
