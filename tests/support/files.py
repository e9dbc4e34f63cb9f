"""Small files for the import, call-loading and export tests: the sample form written to YAML, an orgs
CSV and call YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func
from sqlmodel import Session, select

from models import Call, Contact, Eligibility, Organisation, Submission
from tests.support.forms import SAMPLE
from tests.support.seed import NOW

__all__ = ["CALL_YAML", "FORM_FILE", "NOW", "ORGS_CSV", "counts", "write_call", "write_form"]

FORM_FILE = "sample.yaml"  # what CALL_YAML names as its form

ORGS_CSV = """org_id,name,kind,language,contact_name,contact_email,slack_user_id
5052,Leka kommune,kommune,nb,Kari Leka,Kari@Leka.example.no,U0KARI
5052,Leka kommune,kommune,nb,Per Leka,per@leka.example.no,
5020,Osen kommune,kommune,nn,Oda Osen,oda@osen.example.no,
nett-fosen,"Fosennettverket, Trøndelag",nettverk,nb,Mona Rissa,mona@fosen.example.no,W0MONA
"""


def write_form(directory: Path, form: dict[str, Any] = SAMPLE, name: str = FORM_FILE) -> Path:
    """The form (the sample form unless a test gives a variant of it) as the YAML file CALL_YAML names."""
    path = directory / name
    path.write_text(yaml.safe_dump(form, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


CALL_YAML = """id: lesekampanje-2027
title: {nb: Tilskudd til lesekampanje 2027, nn: Tilskot til lesekampanje 2027}
kind: application
form: sample.yaml
case_number: 2026/1234
opens: 2026-11-01T08:00
deadline: 2027-01-15T23:59
eligible:
  - {org: "5052", frame: 300000}
  - {org: 5020}
  - {org: nett-fosen, frame: 1 200 000}
"""


def write_call(directory: Path, text: str = CALL_YAML, name: str = "call.yaml") -> Path:
    """The call file next to the form file it names."""
    if not (directory / FORM_FILE).exists():
        write_form(directory)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def counts(session: Session) -> dict[str, int]:
    """Rows per table, to show that a failed import wrote nothing."""
    return {
        table.__name__: session.exec(select(func.count()).select_from(table)).one()
        for table in (Organisation, Contact, Call, Eligibility, Submission)
    }
