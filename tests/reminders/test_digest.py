"""The secretariat's digest, on the demo's Kompetanseløftet 2025 call with the numbers of seed 002."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from bot.formatting import NBSP
from bot.render import render as render_template
from bot.slack.digest_blocks import digest_messages
from intake.demo import load_demo
from intake.digest import Digest, build_digest, days_between
from models import (
    Call,
    CallKind,
    Contact,
    Eligibility,
    Language,
    Organisation,
    OrgKind,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Submission,
    SubmissionStatus,
)
from models.clock import OSLO
from tests.support.seed import NOW


def render(*args: Any, **kwargs: Any) -> str:
    """A template as text, its amounts' no-break spaces (bot.formatting) read as plain spaces."""
    return render_template(*args, **kwargs).replace(NBSP, " ")


CALL = "kompetanseloftet-2025"
# Seed 002: meldt behov of the three networks that did not report their frame (incl. coordination).
SEED_002 = {"nett-ytre-namdal": 349_418, "nett-varnes": 630_000, "nett-indre-namdal": 380_000}
DEADLINE = datetime(2026, 3, 30, 23, 59, tzinfo=OSLO)  # the demo call's deadline when loaded at NOW


def answers(amount: int | None, complete: bool = True) -> dict[str, Any]:
    """A network's answers; an incomplete one has only the budget."""
    result: dict[str, Any] = {"koordinering": 50_000}
    if amount is not None:
        result["tiltak"] = [
            {"tiltak": "Inkluderende praksis i SFO", "kostnad_nettverk": 60_000, "kostnad_uh": amount - 110_000}
        ]
        result["meldt_behov"] = amount
    if complete:
        text = "Barnehage, skole og PPT i alle eierne."
        result |= {
            "forklaring_ramme": "Flere barnehager er med enn ventet.",
            "prioriterte": text,
            "forankring": text,
            "prioritering_behov": text,
            "langsiktig_plan": "ja",
            "metodikk": text,
            "tegn_pa_virkning": text,
            "partnerskap_uh": "ja",
            "partnerskap_beskrivelse": text,
            "fordeling": text,
            "har_restmidler": "nei",
        }
    return result


def add(
    session: Session,
    org_id: str,
    status: str,
    amount: int | None = None,
    submitted_at: datetime | None = NOW,
    complete: bool = True,
    call_id: str = CALL,
) -> None:
    contact = session.exec(select(Contact).where(Contact.org_id == org_id)).first()
    assert contact is not None and contact.id is not None
    was_submitted = status in ("submitted", "reopened")
    session.add(
        Submission(
            call_id=call_id,
            org_id=org_id,
            kind=CallKind.application,
            status=SubmissionStatus(status),
            answers=answers(amount, complete),
            revision=1 if was_submitted else 0,
            started_by=contact.id,
            submitted_by=contact.id if was_submitted else None,
            submitted_at=submitted_at if was_submitted else None,
            created_at=NOW,
            updated_at=NOW,
        )
    )


def add_org(session: Session, org_id: str, name: str, frame: int | None) -> None:
    session.add(Organisation(id=org_id, name=name, kind=OrgKind.nettverk, language=Language.nb))
    session.flush()
    session.add(Contact(org_id=org_id, name="Koordinator", email=f"k@{org_id}.example.no"))
    session.add(Eligibility(call_id=CALL, org_id=org_id, frame=frame))


def frames(session: Session) -> dict[str, int]:
    rows = session.exec(select(Eligibility).where(Eligibility.call_id == CALL)).all()
    return {row.org_id: row.frame for row in rows if row.frame is not None}


@pytest.fixture
def demo(session: Session) -> Session:
    load_demo(session, NOW)
    session.commit()
    assert session.get(Call, CALL).deadline == DEADLINE  # type: ignore[union-attr]
    return session


@pytest.fixture
def seed_002(demo: Session) -> Session:
    """Every network has reported: three off their frame, eight on it (påramme). Fosen is still a
    draft and Gauldal reopened theirs: a drafted amount counts like a submitted one."""
    for org_id, frame in frames(demo).items():
        status = {"nett-fosen": "draft", "nett-gauldal": "reopened"}.get(org_id, "submitted")
        add(demo, org_id, status, SEED_002.get(org_id, frame))
    demo.commit()
    return demo


def digest_at(session: Session, now: datetime = NOW) -> Digest:
    digest = build_digest(session, CALL, now)
    assert digest is not None
    return digest


def test_seed_002_deviations_are_exactly_ytre_namdal_varnes_and_indre_namdal(seed_002: Session) -> None:
    digest = digest_at(seed_002)
    assert [(d.org.id, d.difference) for d in digest.deviations] == [
        ("nett-varnes", -163_881),
        ("nett-ytre-namdal", -100_000),
        ("nett-indre-namdal", 779),
    ]
    assert [(d.amount, d.frame) for d in digest.deviations] == [
        (630_000, 793_881),
        (349_418, 449_418),
        (380_000, 379_221),
    ]
    assert digest.totals.frames == 11_400_000
    assert digest.totals.asked == 11_400_000 - 163_881 - 100_000 + 779 == 11_136_898
    assert digest.totals.askers == 11
    assert digest.totals.ratio == pytest.approx(11_136_898 / 11_400_000)
    assert len(digest.amounts) == 11 and all(s.amount is not None for s in digest.amounts)
    assert digest.counts.submitted == 9 and digest.counts.drafts == 2 and digest.counts.eligible == 11


def test_the_nb_digest_shows_at_a_glance_who_asks_for_less_and_who_for_more(seed_002: Session) -> None:
    text = render("nb", "digest", "mrkdwn", digest=digest_at(seed_002), limit=10)
    deviations = text.split("*Avvik fra rammen* (3)\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert deviations == [
        "• Værnes-nettverket: *under rammen med kr 163 881* (søkt kr 630 000, ramme kr 793 881)",
        "• Nettverket Ytre Namdal: *under rammen med kr 100 000* (søkt kr 349 418, ramme kr 449 418)",
        "• Nettverket Indre Namdal: *over rammen med kr 779* (søkt kr 380 000, ramme kr 379 221)",
    ]
    assert "Frist mandag 30. mars 2026 kl. 23.59: *28 dager igjen*" in text
    assert "Sendt inn: *9* av 11 · utkast: 2 · ikke påbegynt: 0 · takket nei: 0" in text
    assert "Rammer til sammen: kr 11 400 000" in text
    assert "Søkt om: *kr 11 136 898* fra 11 av 11 (innsendt og utkast), *97,7 %* av rammene" in text
    assert "Fosennettverket" not in text  # on its frame: only in the thread
    assert "etter fristen" not in text and "ikke kom fram" not in text


def test_the_nn_digest_is_in_nynorsk(seed_002: Session) -> None:
    digest = digest_at(seed_002)
    text = render("nn", "digest", "mrkdwn", digest=digest, limit=10)
    assert "• Nettverket Ytre Namdal: *under ramma med kr 100 000*" in text
    assert "• Nettverket Indre Namdal: *over ramma med kr 779*" in text
    assert "*28 dagar att*" in text
    assert "ikkje påbyrja: 0 · takka nei: 0" in text
    assert "Rammer til saman: kr 11 400 000" in text
    thread = render("nn", "digest_thread", "mrkdwn", digest=digest, limit=10)
    assert "*Utkast* (2)" in thread and "(opna for endring)" in thread and "svart på" in thread
    bokmal = re.findall(r"\b(ikke|rammen|dager|igjen|besvart|åpnet|takket|fra)\b", text + thread)
    assert bokmal == []


def test_counts_and_lists_by_status(demo: Session) -> None:
    add(demo, "nett-ytre-namdal", "submitted", 349_418)
    add(demo, "nett-varnes", "submitted", 630_000)
    add(demo, "nett-fosen", "submitted", 643_042)
    add(demo, "nett-gauldal", "draft", 900_000, complete=False)  # 3 of 14 answered
    add(demo, "nett-innherred", "draft", None, complete=False)  # 1 of 13
    add(demo, "nett-vgs", "reopened", 1_660_135)  # 13 of 13
    add(demo, "nett-indre-namdal", "declined", 500_000, complete=False)  # an abandoned draft asks for nothing
    demo.commit()
    digest = digest_at(demo)

    counts = digest.counts
    assert (counts.submitted, counts.drafts, counts.not_started, counts.declined, counts.eligible) == (3, 3, 4, 1, 11)
    assert [(s.org.id, s.answered, s.total) for s in digest.drafts] == [
        ("nett-innherred", 1, 13),
        ("nett-gauldal", 3, 14),  # over its frame: asked to explain why
        ("nett-vgs", 13, 13),
    ]
    assert {s.org.id for s in digest.not_started} == {
        "nett-levanger-verdal",
        "nett-midtre-namdal",
        "nett-trondelag-sorvest",
        "nett-trondheim-malvik",
    }
    assert [s.org.id for s in digest.declined] == ["nett-indre-namdal"]
    assert digest.declined[0].amount is None
    assert {s.org.id for s in digest.submitted} == {"nett-ytre-namdal", "nett-varnes", "nett-fosen"}
    assert [(d.org.id, d.difference) for d in digest.deviations] == [
        ("nett-varnes", -163_881),
        ("nett-ytre-namdal", -100_000),
        ("nett-gauldal", 38_096),
    ]
    assert digest.totals.asked == 349_418 + 630_000 + 643_042 + 900_000 + 1_660_135
    assert digest.totals.askers == 5

    text = render("nb", "digest", "plain", digest=digest, limit=10)
    assert "Sendt inn: *3* av 11 · utkast: 3 · ikke påbegynt: 4 · takket nei: 1" in text
    assert "• Gauldal-nettverket (utkast): *over rammen med kr 38 096*" in text
    thread = render("nb", "digest_thread", "plain", digest=digest, limit=10)
    drafts = "*Utkast* (3), de som har kommet kortest først\n• Innherredsnettverket: 1 av 13 besvart · ramme kr 754 521"
    assert drafts in thread
    assert "• Nettverket for de videregående skolene: 13 av 13 besvart (åpnet for endring)" in thread
    assert "*Takket nei* (1)\n• Nettverket Indre Namdal · ramme kr 379 221" in thread
    assert "*Ikke påbegynt* (4)" in thread and "*Sendt inn* (3)" in thread
    assert "• Værnes-nettverket: kr 630 000 (ramme kr 793 881)" in thread


# (Oslo wall-clock time, days left, deadline passed, nb, nn) for the deadline Monday 30 March 2026 23:59
DAYS_LEFT = [
    (datetime(2026, 3, 2, 10, 0), 28, False, "*28 dager igjen*", "*28 dagar att*"),
    # across the change to summer time (Sunday 29 March): still calendar days
    (datetime(2026, 3, 27, 12, 0), 3, False, "*3 dager igjen*", "*3 dagar att*"),
    (datetime(2026, 3, 29, 23, 30), 1, False, "*1 dag igjen*", "*1 dag att*"),
    (datetime(2026, 3, 30, 0, 5), 0, False, "*fristen går ut i dag*", "*fristen går ut i dag*"),
    (datetime(2026, 3, 30, 23, 59, 30), 0, True, "*fristen gikk ut i dag*", "*fristen gjekk ut i dag*"),
    # 00:30 in Oslo is still 30 March in UTC: the day is Oslo's
    (datetime(2026, 3, 31, 0, 30), -1, True, "*fristen gikk ut i går*", "*fristen gjekk ut i går*"),
    (
        datetime(2026, 4, 1, 8, 0),
        -2,
        True,
        "*fristen gikk ut for 2 dager siden*",
        "*fristen gjekk ut for 2 dagar sidan*",
    ),
]


@pytest.mark.parametrize(("local", "days"), [(case[0], case[1]) for case in DAYS_LEFT])
def test_days_left_are_calendar_days_in_oslo(local: datetime, days: int) -> None:
    now = local.replace(tzinfo=OSLO)
    assert days_between(now, DEADLINE) == days
    assert days_between(now.astimezone(UTC), DEADLINE.astimezone(UTC)) == days


def test_the_digest_says_how_long_is_left_before_and_after_the_deadline(demo: Session) -> None:
    for local, days, passed, nb, nn in DAYS_LEFT:
        digest = digest_at(demo, local.replace(tzinfo=OSLO))
        assert (digest.days_left, digest.deadline_passed) == (days, passed), local
        assert nb in render("nb", "digest", "plain", digest=digest, limit=10)
        assert nn in render("nn", "digest", "plain", digest=digest, limit=10)


def test_late_submissions_are_those_in_after_the_deadline(demo: Session) -> None:
    add(demo, "nett-ytre-namdal", "submitted", 449_418, submitted_at=DEADLINE + timedelta(hours=9, minutes=1))
    add(demo, "nett-varnes", "submitted", 793_881, submitted_at=DEADLINE - timedelta(minutes=1))
    add(demo, "nett-fosen", "submitted", 643_042, submitted_at=DEADLINE + timedelta(seconds=30))
    add(demo, "nett-gauldal", "draft", 861_904)
    demo.commit()
    digest = digest_at(demo, DEADLINE + timedelta(days=2))
    assert [(item.org.id, item.late_by) for item in digest.late] == [
        ("nett-fosen", timedelta(seconds=30)),
        ("nett-ytre-namdal", timedelta(hours=9, minutes=1)),
    ]
    text = render("nb", "digest", "plain", digest=digest, limit=10)
    assert "*Sendt inn etter fristen* (2)\n• Fosennettverket: mandag 30. mars 2026 kl. 23.59\n" in text
    assert "• Nettverket Ytre Namdal: tirsdag 31. mars 2026 kl. 09.00" in text
    assert "*Sendt inn etter fristen* (2)" in render("nn", "digest", "plain", digest=digest, limit=10)


def test_failed_deliveries_of_this_call_only(demo: Session) -> None:
    contact = demo.exec(select(Contact).where(Contact.org_id == "nett-fosen")).one()

    def outbox(key: str, status: OutboxStatus, call_id: str = CALL, error: str | None = None) -> None:
        demo.add(
            OutboxMessage(
                key=key,
                kind=OutboxKind.reminder,
                call_id=call_id,
                org_id="nett-fosen",
                contact_id=contact.id,
                status=status,
                due_at=NOW,
                attempts=5 if status == OutboxStatus.failed else 1,
                last_error=error,
                created_at=NOW,
            )
        )
        demo.flush()

    outbox(f"reminder:{CALL}:nett-fosen:{contact.id}:d14", OutboxStatus.failed, error="user_not_found")
    outbox(f"reminder:{CALL}:nett-fosen:{contact.id}:d7", OutboxStatus.sent)
    outbox(f"reminder:dekom-2018:nett-fosen:{contact.id}:d14", OutboxStatus.failed, call_id="dekom-2018")
    outbox(f"digest:{CALL}:2026-03-02", OutboxStatus.failed)
    outbox(f"reminder:{CALL}:nett-fosen:{contact.id}:d2", OutboxStatus.pending)
    demo.commit()

    failed = digest_at(demo).failed_deliveries
    assert failed.count == 2
    assert failed.keys == (f"reminder:{CALL}:nett-fosen:{contact.id}:d14", f"digest:{CALL}:2026-03-02")
    assert [item.error for item in failed.items] == ["user_not_found", None]
    text = render("nb", "digest", "mrkdwn", digest=digest_at(demo), limit=10)
    assert "*Meldinger som ikke kom fram* (2): boten ga opp etter gjentatte forsøk." in text
    assert f"• `reminder:{CALL}:nett-fosen:{contact.id}:d14`: user_not_found\n• `digest:{CALL}:2026-03-02`" in text
    assert "*Meldingar som ikkje kom fram* (2)" in render("nn", "digest", "mrkdwn", digest=digest_at(demo), limit=10)


def test_an_org_name_cannot_ping_the_channel_or_fake_a_link(demo: Session) -> None:
    name = "Nettverket <!channel> & <https://evil.example|klikk her>"
    add_org(demo, "nett-ondsinnet", name, 100_000)
    add(demo, "nett-ondsinnet", "submitted", 150_000)
    add(demo, "nett-fosen", "draft", None, complete=False)
    demo.commit()
    digest = digest_at(demo)
    assert [d.org.name for d in digest.deviations] == [name]

    escaped = "Nettverket &lt;!channel&gt; &amp; &lt;https://evil.example|klikk her&gt;"
    for lang in ("nb", "nn"):
        main, thread = digest_messages(digest, lang)
        shown = "\n".join(m.text + "\n" + b["text"]["text"] for m in main + thread for b in m.blocks)
        shown = shown.replace(NBSP, " ")
        assert "<!channel>" not in shown and "<https://" not in shown
        assert f"• {escaped}: *over" in shown  # in the deviations
        assert f"• {escaped}: kr 150 000 (ramme kr 100 000)" in shown  # in the thread
    assert f"• {name}: *over rammen med kr 50 000*" in render("nb", "digest", "plain", digest=digest, limit=10)


def test_a_call_without_frames_or_amounts_says_so_without_numbers(demo: Session) -> None:
    digest = build_digest(demo, "oppfolging-2020", NOW)
    assert digest is not None
    assert digest.totals.frames is None or digest.totals.asked is None
    assert digest.deviations == () and digest.totals.ratio is None
    text = render("nb", "digest", "plain", digest=digest, limit=10)
    assert "Avvik" not in text and "%" not in text
    empty = replace(digest, counts=replace(digest.counts, eligible=0))
    assert "tråden" not in render("nb", "digest", "plain", digest=empty, limit=10)


def test_an_unknown_call_has_no_digest(demo: Session) -> None:
    assert build_digest(demo, "finnes-ikke", NOW) is None


def test_a_fixed_number_of_queries_however_many_orgs(demo: Session, engine: Engine) -> None:
    """No query per org: 11 orgs and 211 orgs cost the same statements."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    def queries() -> int:
        demo.expunge_all()  # nothing cached in the session's identity map
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            build_digest(demo, CALL, NOW)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    add(demo, "nett-varnes", "submitted", 630_000)
    demo.commit()
    few = queries()
    for i in range(200):
        add_org(demo, f"nett-x{i:03d}", f"Ekstra nettverk {i}", 100_000)
        if i % 2:
            add(demo, f"nett-x{i:03d}", "draft", 100_000 + i, complete=False)
    demo.commit()
    assert queries() == few <= 5
    assert digest_at(demo).counts.eligible == 211
