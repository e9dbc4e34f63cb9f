"""The digest in Slack for a call with 1 000 eligible orgs: within Slack's limits, and nobody lost."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlmodel import Session

from bot.digest_text import MAIN_LIMIT
from bot.slack.blocks import Message
from bot.slack.digest_blocks import digest_messages, post_digest
from intake.calls_load import load_call_data
from intake.digest import Digest, build_digest
from models import (
    CallKind,
    Contact,
    Language,
    Organisation,
    OrgKind,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Submission,
    SubmissionStatus,
)
from reminders.notifier import NO_USER
from tests.fakes.block_kit_limits import check_message
from tests.fakes.slack_api import FakeSlack
from tests.support.seed import NOW

CALL = "stor-2026"
ORGS = 1000
UNKNOWN = 30
STATUSES = ("not_started", "draft", "submitted", "reopened", "declined", "submitted", "draft")


def org_name(i: int) -> str:
    """Some names are as long as the column allows, to press on the 3000-character sections."""
    base = f"Org {i:04d} {'Øvre ' if i % 3 else ''}kommune"
    return (base + " – " + "oppvekst og kompetanse " * 8)[:200] if i % 10 == 0 else base


def build(session: Session) -> Digest:
    """1 000 orgs, one per status in turn; every third amount is off its frame; some in late, some failed."""
    for i in range(ORGS):
        session.add(
            Organisation(id=f"K{i:04d}", name=org_name(i), kind=OrgKind.kommune, language=Language(("nb", "nn")[i % 2]))
        )
    session.flush()
    contacts = [Contact(org_id=f"K{i:04d}", name=f"Kontakt {i}", email=f"k{i}@k{i}.example.no") for i in range(ORGS)]
    session.add_all(contacts)
    call = load_call_data(
        session,
        {
            "id": CALL,
            "title": {"nb": "Stor utlysning 2026", "nn": "Stor utlysing 2026"},
            "kind": "application",
            "form": "kompetanseloftet-grunnlag",
            "case_number": "2026/4242",
            "opens": (NOW - timedelta(days=10)).isoformat(),
            "deadline": (NOW - timedelta(days=1)).isoformat(),
            "eligible": [{"org": f"K{i:04d}", "frame": 100_000 + 1_000 * i} for i in range(ORGS)],
        },
        NOW,
    )
    session.flush()
    for i, contact in enumerate(contacts):
        status = STATUSES[i % len(STATUSES)]
        if status == "not_started":
            continue
        frame = 100_000 + 1_000 * i
        amount = frame + (i * 37 % 5_000 - 2_500 if i % 3 == 0 else 0)
        submitted = status in ("submitted", "reopened")
        contact_id = contact.id
        assert contact_id is not None
        session.add(
            Submission(
                call_id=CALL,
                org_id=contact.org_id,
                kind=CallKind.application,
                status=SubmissionStatus(status),
                answers={"koordinering": 10_000, "meldt_behov": amount, "prioriterte": "Alle"},
                started_by=contact_id,
                submitted_at=(call.deadline + timedelta(minutes=i % 4 - 2)) if submitted else None,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    for i in range(25):
        session.add(
            OutboxMessage(
                key=f"reminder:{CALL}:K{i:04d}:{contacts[i].id}:d2",
                kind=OutboxKind.reminder,
                call_id=CALL,
                org_id=f"K{i:04d}",
                status=OutboxStatus.failed,
                due_at=NOW,
                last_error="user_not_found",
                created_at=NOW,
            )
        )
    for i in range(100, 100 + UNKNOWN):  # contacts Slack has no user for: named, with their address
        session.add(
            OutboxMessage(
                key=f"announcement:{CALL}:{contacts[i].id}",
                kind=OutboxKind.announcement,
                call_id=CALL,
                org_id=f"K{i:04d}",
                contact_id=contacts[i].id,
                status=OutboxStatus.failed,
                due_at=NOW,
                last_error=NO_USER,
                created_at=NOW,
            )
        )
    session.commit()
    digest = build_digest(session, CALL, NOW)
    assert digest is not None
    return digest


@pytest.fixture
def digest(session: Session) -> Digest:
    return build(session)


def shown(messages: list[Message]) -> str:
    return "\n".join(block["text"]["text"] for message in messages for block in message.blocks)


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_message_is_within_slack_limits_and_nobody_is_lost(digest: Digest, lang: str) -> None:
    assert digest.counts.eligible == ORGS
    assert len(digest.deviations) > MAIN_LIMIT and len(digest.late) > MAIN_LIMIT
    main, thread = digest_messages(digest, lang)

    assert len(main) == 1, "the summary is one message"
    assert thread, "the long lists are in the thread"
    for message in main + thread:
        assert check_message({"text": message.text, "blocks": message.blocks}) == []

    summary = shown(main)
    more = len(digest.deviations) - MAIN_LIMIT
    assert f"… og {more} til i tråden." in summary
    assert summary.count("rammen med" if lang == "nb" else "ramma med") == MAIN_LIMIT
    assert f"({digest.failed_deliveries.count})" in summary

    everything = shown(main + thread)
    missing = [org_name(i) for i in range(ORGS) if org_name(i) not in everything]
    assert missing == []
    for key in digest.failed_deliveries.keys:
        assert key in everything
    assert len(digest.unknown_contacts) == UNKNOWN and digest.failed_deliveries.count == 25
    assert summary.count("@k1") == MAIN_LIMIT and f"… og {UNKNOWN - MAIN_LIMIT} til i tråden." in summary
    for person in digest.unknown_contacts:
        assert f"• {person.name}, {person.email} ({person.org})" in everything
    for deviation in digest.deviations:  # every deviation, not only the top ten, with its amount
        assert f"{deviation.org.name}{' (utkast)' if deviation.status != 'submitted' else ''}: *" in everything


def test_the_main_message_has_the_biggest_deviations(digest: Digest) -> None:
    main, _ = digest_messages(digest, "nb")
    summary = shown(main)
    for deviation in digest.deviations[:MAIN_LIMIT]:
        assert deviation.org.name in summary
    biggest = [abs(d.difference) for d in digest.deviations]
    assert biggest == sorted(biggest, reverse=True)


def test_post_digest_posts_the_summary_then_the_thread_under_it(digest: Digest) -> None:
    main, thread = digest_messages(digest, "nb")
    with FakeSlack() as fake:
        ts = post_digest(WebClient(base_url=fake.base_url, token="xoxb-test"), "C0SEKRETAR", digest, "nb")
        posts = fake.calls_to("chat.postMessage")
        assert fake.violations == []
    assert len(posts) == len(main) + len(thread) >= 2
    first, *rest = [call.args for call in posts]
    assert first["channel"] == "C0SEKRETAR" and not first.get("thread_ts")
    blocks = [json.loads(a["blocks"]) if isinstance(a["blocks"], str) else a["blocks"] for a in (first, *rest)]
    assert blocks == [message.blocks for message in main + thread]
    assert all(args["thread_ts"] == ts and args["channel"] == "C0SEKRETAR" for args in rest)
