"""Loading calls from YAML files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from intake.calls_load import load_call, load_call_data
from intake.import_errors import DataImportError
from intake.orgs_import import import_orgs
from intake.spec import SHIPPED_FORMS_DIR
from models import Call, Eligibility
from tests.support.files import CALL_YAML, FORM_FILE, NOW, ORGS_CSV, counts, write_call
from tests.support.forms import SAMPLE

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def orgs(session: Session) -> Session:
    import_orgs(session, ORGS_CSV)
    session.commit()
    return session


def frames(session: Session, call_id: str) -> dict[str, int | None]:
    rows = session.exec(select(Eligibility).where(Eligibility.call_id == call_id))
    return {row.org_id: row.frame for row in rows}


def problems_of(session: Session, path: Path) -> list[str]:
    before = counts(session)
    with pytest.raises(DataImportError) as caught:
        load_call(session, path, NOW)
    session.rollback()
    assert counts(session) == before
    return caught.value.problems


def test_loads_a_call(orgs: Session, tmp_path: Path) -> None:
    call = load_call(orgs, write_call(tmp_path), NOW)
    orgs.commit()
    stored = orgs.get(Call, "lesekampanje-2027")
    assert stored is call
    assert call.title == {"nb": "Tilskudd til lesekampanje 2027", "nn": "Tilskot til lesekampanje 2027"}
    assert (call.kind, call.case_number, call.form_ref) == ("application", "2026/1234", "sample.yaml")
    assert call.form["id"] == "sample" and [f["id"] for f in call.form["fields"]][:2] == ["mal", "ekstern"]
    assert call.opens == datetime(2026, 11, 1, 7, 0, tzinfo=UTC)  # 08:00 CET
    assert call.deadline == datetime(2027, 1, 15, 22, 59, tzinfo=UTC)
    assert call.reminders == [14, 7, 2, 0]
    assert (call.created_at, call.updated_at) == (NOW, NOW)
    assert frames(orgs, call.id) == {"5052": 300_000, "5020": None, "nett-fosen": 1_200_000}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("deadline: 2027-03-29T09:00", datetime(2027, 3, 29, 7, 0, tzinfo=UTC)),  # after the DST change: CEST
        ("deadline: 2026-10-26", datetime(2026, 10, 26, 22, 59, tzinfo=UTC)),  # bare date, CET again
        ("deadline: 2027-03-28", datetime(2027, 3, 28, 21, 59, tzinfo=UTC)),  # the day of the change
        ("deadline: 2027-01-15T12:00+00:00", datetime(2027, 1, 15, 12, 0, tzinfo=UTC)),
        ("deadline: 2027-01-15T12:00:00Z", datetime(2027, 1, 15, 12, 0, tzinfo=UTC)),
        ("deadline: '15.01.2027 12:00'", datetime(2027, 1, 15, 11, 0, tzinfo=UTC)),
        ("deadline: 15.01.2027", datetime(2027, 1, 15, 22, 59, tzinfo=UTC)),
    ],
)
def test_deadline_times_are_oslo_unless_an_offset_is_given(
    orgs: Session, tmp_path: Path, line: str, expected: datetime
) -> None:
    text = CALL_YAML.replace("deadline: 2027-01-15T23:59", line).replace("2026-11-01T08:00", "2026-10-01")
    call = load_call(orgs, write_call(tmp_path, text), NOW)
    assert call.deadline == expected
    assert call.opens == datetime(2026, 9, 30, 22, 0, tzinfo=UTC)  # a bare opens date is 00:00 Oslo


def test_date_objects_from_other_loaders_are_accepted(orgs: Session, tmp_path: Path) -> None:
    write_call(tmp_path)
    data = {
        "id": "x", "title": "Plain title", "kind": "report", "form": FORM_FILE, "case_number": "2026/1",
        "opens": date(2026, 10, 1), "deadline": datetime(2027, 3, 29, 9, 0), "reminders": [2, 14, 2],
        "eligible": [{"org": 5052}],
    }  # fmt: skip
    call = load_call_data(orgs, data, NOW, base=tmp_path)
    assert call.title == {"nb": "Plain title", "nn": "Plain title"}
    assert call.deadline == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    assert call.reminders == [14, 2]
    assert frames(orgs, "x") == {"5052": None}


def test_unquoted_kommunenummer_with_leading_zero_stays_text(orgs: Session, tmp_path: Path) -> None:
    import_orgs(orgs, "org_id,name,kind,language,contact_name,contact_email\n0301,Oslo,kommune,nb,O,o@oslo.no\n")
    load_call(orgs, write_call(tmp_path, CALL_YAML + "  - {org: 0301, frame: 5_000}\n"), NOW)
    assert frames(orgs, "lesekampanje-2027")["0301"] == 5000


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("kind: application", "kind: application\nsubject: x"), "subject: unknown key (allowed: id, title"),
        (("{org: 5020}", "{org: 5020, fram: 3}"), "eligible[1].fram: unknown key (allowed: org, frame)"),
        (("nn: Tilskot", "en: Tilskot"), "title.en: unknown key (allowed: nb, nn)"),
        (("{org: 5020}", "{org: 9999}"), "eligible[1].org: no organisation '9999' (import orgs first)"),
        (("{org: 5020}", "{org: 5052}"), "eligible[1].org: each org once, and 5052 is already eligible[0]"),
        (("frame: 300000", "frame: -1"), "eligible[0].frame: Input should be greater than or equal to 0"),
        (("frame: 300000", "frame: mye"), "eligible[0].frame: Input should be a valid integer"),
        (("2027-01-15T23:59", "2026-10-31"), "deadline: a time after opens 2026-11-01T08:00 (got '2026-10-31T23:59')"),
        (("2027-01-15T23:59", "snart"), "deadline: a date like 2027-01-15 or a time like 2027-01-15T23:59"),
        (("case_number: 2026/1234", "case_number: 1234"), "case_number: a case number like 2026/1234 (got '1234')"),
        (("case_number: 2026/1234", "case_number: ٢٠٢٦/١"), "case_number: a case number like 2026/1234"),
        (("kind: application", "kind: application\nreminder_time: '0٩:00'"), "reminder_time: String should match"),
        (("kind: application", "kind: søknad"), "kind: Input should be 'application' or 'report'"),
        (("form: sample.yaml", "form: nowhere.yaml"), "form: form 'nowhere.yaml' is neither a shipped form"),
        (("id: lesekampanje-2027\n", ""), "id: required"),
    ],
)
def test_bad_call_files_name_the_key_and_write_nothing(
    orgs: Session, tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    problems = problems_of(orgs, write_call(tmp_path, CALL_YAML.replace(*change)))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_all_problems_are_reported_together(orgs: Session, tmp_path: Path) -> None:
    text = CALL_YAML.replace("form: sample.yaml", "form: nowhere.yaml").replace("{org: 5020}", "{org: 9998}")
    text = text.replace("2027-01-15T23:59", "2026-01-01")
    problems = problems_of(orgs, write_call(tmp_path, text))
    assert [problem.split(":")[0] for problem in problems] == ["deadline", "form", "eligible[1].org"]


def test_broken_yaml_and_missing_files(orgs: Session, tmp_path: Path) -> None:
    assert problems_of(orgs, write_call(tmp_path, "id: [unclosed\n"))[0].startswith("not valid YAML")
    assert problems_of(orgs, write_call(tmp_path, "- a list\n")) == [
        "(top): a mapping of keys like id, title, form, deadline, eligible"
    ]
    assert problems_of(orgs, tmp_path / "missing.yaml")[0].startswith("cannot read the file")


def test_a_bad_form_file_is_reported_as_the_form_key(orgs: Session, tmp_path: Path) -> None:
    write_call(tmp_path)
    (tmp_path / FORM_FILE).write_text("id: sample\ntitle: x\nfields: []\n", encoding="utf-8")
    problems = problems_of(orgs, write_call(tmp_path))
    assert problems[0].startswith("form: ") and "fields" in problems[0]


def test_reload_updates_the_call_and_replaces_eligibility(orgs: Session, tmp_path: Path) -> None:
    load_call(orgs, write_call(tmp_path), NOW)
    orgs.commit()
    text = CALL_YAML.replace("{org: 5020}", "{org: 5020, frame: 50000}").replace(
        "  - {org: nett-fosen, frame: 1 200 000}\n", ""
    )
    text = text.replace("Tilskot til", "Tilskot for").replace("eligible:", "reminders: [3, 1]\neligible:")
    later = NOW + timedelta(days=1)
    call = load_call(orgs, write_call(tmp_path, text), later)
    orgs.commit()
    assert counts(orgs)["Call"] == 1
    assert frames(orgs, call.id) == {"5052": 300_000, "5020": 50_000}
    assert (call.created_at, call.updated_at) == (NOW, later)
    assert call.title["nn"] == "Tilskot for lesekampanje 2027" and call.reminders == [3, 1]


def test_shipped_forms_load_by_id(orgs: Session, tmp_path: Path) -> None:
    if not (SHIPPED_FORMS_DIR / "oppfolging-soknad.yaml").exists():
        pytest.skip("shipped forms not written yet")
    call = load_call(orgs, write_call(tmp_path, CALL_YAML.replace(FORM_FILE, "oppfolging-soknad")), NOW)
    assert call.form_ref == "oppfolging-soknad" and call.form["id"] != SAMPLE["id"]


def test_the_documented_example_loads(session: Session) -> None:
    example = REPO / "docs" / "examples"
    if not (example / "lesekampanje-call.yaml").exists():
        pytest.skip("docs/examples not written yet")
    import_orgs(session, example / "orgs.csv")
    call = load_call(session, example / "lesekampanje-call.yaml", NOW)
    assert call.id == "lesekampanje-2027" and call.deadline == datetime(2027, 1, 15, 22, 59, tzinfo=UTC)
