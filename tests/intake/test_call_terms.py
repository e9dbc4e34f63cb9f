"""The call file's assessment and decision terms: criteria, budget, assessors, what a decision carries."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from intake.call_terms import terms_of
from intake.calls_load import load_call
from intake.import_errors import DataImportError
from intake.orgs_import import import_orgs
from models import OrgKind
from tests.support.files import CALL_YAML, NOW, ORGS_CSV, counts, write_call

TERMS = """budget: kr 1 500 000
criteria:
  - {id: mal, label: {nb: Mål og tiltak, nn: Mål og tiltak}}
  - {id: budsjett, label: Budsjett}
assessors:
  - U0SEKR1
  - {group: Gruppe 1, members: [U0AAA, U0BBB], orgs: ["5052"]}
decision:
  report: {call: lesekampanje-rapport, due: 2027-12-01}
  conditions:
    - {nb: Midlene skal gå til lesekampanjen., nn: Midlane skal gå til lesekampanjen.}
"""


@pytest.fixture
def orgs(session: Session) -> Session:
    import_orgs(session, ORGS_CSV)
    session.commit()
    return session


def test_the_terms_are_stored_with_the_call_and_read_back(orgs: Session, tmp_path: Path) -> None:
    call = load_call(orgs, write_call(tmp_path, CALL_YAML + TERMS), NOW)
    terms = terms_of(call)
    assert terms.budget == 1_500_000 and [c.id for c in terms.criteria] == ["mal", "budsjett"]
    assert terms.criteria[1].label("nn") == "Budsjett"
    assert terms.may_assess("U0SEKR1", "5020") and terms.may_assess("U0AAA", "5052")
    assert not terms.may_assess("U0AAA", "5020") and not terms.may_assess("U0CCC", "5052")
    assert terms.group_of("U0BBB") == "Gruppe 1"
    assert terms.decision.report is not None and str(terms.decision.report.due) == "2027-12-01"
    assert terms.individual_decision(OrgKind.privat) and not terms.individual_decision(OrgKind.kommune)


def test_a_call_without_terms_gets_the_defaults(orgs: Session, tmp_path: Path) -> None:
    terms = terms_of(load_call(orgs, write_call(tmp_path), NOW))
    assert (terms.criteria, terms.budget, terms.assessors) == ([], None, [])
    assert terms.decision.individual_decision_for == [OrgKind.privat]


def test_bad_terms_are_named_and_nothing_is_written(orgs: Session, tmp_path: Path) -> None:
    bad = """budget: mye
criteria:
  - {id: a, label: A}
  - {id: a, label: B, weight: 2}
assessors:
  - kari@example.no
  - {group: Gruppe 1, members: [U0AAA], orgs: ["0301"]}
decision:
  individual_decision_for: [stiftelse]
  appeal: Udir
"""
    before = counts(orgs)
    with pytest.raises(DataImportError) as caught:
        load_call(orgs, write_call(tmp_path, CALL_YAML + bad), NOW)
    orgs.rollback()
    assert counts(orgs) == before
    problems = "\n".join(caught.value.problems)
    assert "criteria[1].weight: unknown key (allowed: id, label)" in problems
    assert "budget: Input should be a valid integer" in problems
    assert "assessors[0].members: a Slack user id like U012AB3CD (got 'kari@example.no')" in problems
    assert "decision.individual_decision_for[0]: Input should be" in problems
    assert (
        "decision.appeal: unknown key (allowed: report, conditions, unspent, appeal_to, individual_decision_for)"
        in problems
    )
    fixed = bad.replace("budget: mye", "budget: 1").replace(", weight: 2", "").replace("kari@example.no", "U0KARI")
    fixed = fixed.replace("[stiftelse]", "[privat]").replace("  appeal: Udir\n", "")
    with pytest.raises(DataImportError) as caught:
        load_call(orgs, write_call(tmp_path, CALL_YAML + fixed), NOW)
    assert caught.value.problems == ["(top): criteria: each id once (a more than once)"]
    fixed = fixed.replace("{id: a, label: B}", "{id: b, label: B}")
    with pytest.raises(DataImportError) as caught:
        load_call(orgs, write_call(tmp_path, CALL_YAML + fixed), NOW)
    assert caught.value.problems == ["assessors[1].orgs: '0301' is not in `eligible`"]
