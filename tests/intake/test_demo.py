"""The demo data: 21 orgs and 4 open calls from the seeds, loadable again and again."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from intake.calls import is_open
from intake.demo import DEMO_CALLS, DEMO_CONTACT, load_demo, load_demo_call
from intake.import_errors import DataImportError
from models import Call, Contact, Eligibility, Organisation
from models.clock import OSLO
from tests.support.files import NOW, counts

SEED_000 = {"5060", "5033", "5052", "5044", "5020", "5058", "5049", "5047", "5022", "5014"}


def snapshot(session: Session) -> dict[str, object]:
    """Everything the demo writes, except times."""
    return {
        "orgs": sorted((o.id, o.name, o.kind, o.language) for o in session.exec(select(Organisation))),
        "contacts": sorted((c.id, c.org_id, c.email, c.name) for c in session.exec(select(Contact))),
        "calls": sorted((c.id, c.kind, c.case_number, c.form_ref, str(c.title)) for c in session.exec(select(Call))),
        "eligible": sorted((e.call_id, e.org_id, e.frame or 0) for e in session.exec(select(Eligibility))),
    }


def frames(session: Session, call_id: str) -> dict[str, int | None]:
    return {e.org_id: e.frame for e in session.exec(select(Eligibility).where(Eligibility.call_id == call_id))}


def test_demo_loads_21_orgs_and_4_open_calls(session: Session) -> None:
    report = load_demo(session, NOW)
    session.commit()
    assert counts(session) | {"Submission": 0} == {
        "Organisation": 21, "Contact": 22, "Call": 4, "Eligibility": 35, "Submission": 0,
    }  # fmt: skip
    assert [call.id for call in report.calls] == list(DEMO_CALLS)
    assert all(is_open(call, NOW) for call in report.calls)
    deadlines = [call.deadline.astimezone(OSLO) for call in report.calls]
    assert [d.date() - NOW.date() for d in deadlines] == [timedelta(days=n) for n in (21, 28, 35, 42)]
    assert all(d.time() == time(23, 59) for d in deadlines)
    assert "21 organisations (21 new" in report.summary()


def test_demo_content_follows_the_seeds(session: Session) -> None:
    load_demo(session, NOW)
    oppfolging = session.get(Call, "oppfolging-2020")
    assert (
        oppfolging is not None and oppfolging.case_number == "2019/8140" and oppfolging.form_ref == "oppfolging-soknad"
    )
    assert set(frames(session, "oppfolging-2020")) == SEED_000
    assert all(150_000 <= (f or 0) <= 400_000 for f in frames(session, "oppfolging-2020").values())
    networks = frames(session, "kompetanseloftet-2025")
    assert len(networks) == 11 and sum(f or 0 for f in networks.values()) == 11_400_000
    assert (networks["nett-ytre-namdal"], networks["nett-varnes"]) == (449_418, 793_881)
    assert (networks["nett-indre-namdal"], networks["nett-trondheim-malvik"]) == (379_221, 3_533_145)
    report = session.get(Call, "oppfolging-rapport")
    assert report is not None and report.kind == "report" and set(frames(session, report.id)) == SEED_000
    assert set(frames(session, "dekom-2018")) < SEED_000
    assert {o.id for o in session.exec(select(Organisation).where(Organisation.language == "nn"))} == {"5033", "5022"}
    demo = session.exec(select(Contact).where(Contact.email == DEMO_CONTACT)).one()
    assert (demo.org_id, demo.name) == ("5052", "Demo Kontakt")


def test_demo_is_idempotent_except_for_dates(session: Session) -> None:
    load_demo(session, NOW)
    session.commit()
    before = snapshot(session)
    later = NOW + timedelta(days=3)
    report = load_demo(session, later)
    session.commit()
    assert snapshot(session) == before
    orgs = report.orgs
    assert (orgs.orgs_created, orgs.orgs_updated, orgs.contacts_created, orgs.contacts_updated) == (0, 0, 0, 0)
    call = session.get(Call, "oppfolging-2020")
    assert call is not None and call.opens == later - timedelta(days=1) and call.updated_at == later
    assert call.created_at == NOW


def test_deadline_follows_oslo_calendar_day(session: Session) -> None:
    late_evening = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # already 3 March in Oslo
    load_demo(session, late_evening)
    call = session.get(Call, "oppfolging-2020")
    assert call is not None and call.deadline == datetime(2026, 3, 24, 22, 59, tzinfo=UTC)


def test_a_demo_call_file_needs_deadline_in_days(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("id: x\n", encoding="utf-8")
    with pytest.raises(DataImportError, match="deadline_in_days"):
        load_demo_call(session, path, NOW)
